"""Status transitions, roles, edits that must keep citations valid, and the audit trail."""

from __future__ import annotations

import pytest

from curbside.answer.model import Answer
from curbside.errors import Conflict, PermissionDenied, UsageError
from curbside.review import workflow
from curbside.review.diff import diff_answers
from curbside.review.service import ReviewService
from curbside.store import articles, audit
from tests.review.factories import users

HTN = "What is the first-line treatment for hypertension?"


@pytest.fixture
def setup(db, engine):
    accounts = users(db)
    answer = ReviewService(db, engine).ask(HTN)
    return accounts, answer.review.article_id, answer


def _current(db, article_id) -> Answer:
    with db.transaction() as s:
        return Answer.model_validate_json(articles.latest_version(s, article_id=article_id).answer_json)


def test_full_cycle_is_versioned_and_audited(db, setup):
    acc, aid, _ = setup
    assert workflow.start_review(db, account=acc["reviewer"], article_id=aid).status == "under_review"
    out = workflow.request_changes(db, account=acc["reviewer"], article_id=aid, version=1, comment="cite NICE")
    assert out.status == "changes_requested"
    out = workflow.edit(db, account=acc["editor"], article_id=aid, version=1, form={"s0_b0": "Edited first bullet."},
                        comment="reworded")
    assert (out.status, out.version) == ("under_review", 2)
    out = workflow.approve(db, account=acc["reviewer"], article_id=aid, version=2, comment="good")
    assert out.status == "approved"
    with db.transaction() as s:
        trail = [(e.action, e.actor, e.from_version, e.to_version, e.from_status, e.to_status)
                 for e in audit.entries(s, article_id=aid, newest_first=False)]
    assert trail == [
        ("created", "engine", None, 1, None, "submitted"),
        ("start_review", "reviewer@example.org", 1, 1, "submitted", "under_review"),
        ("request_changes", "reviewer@example.org", 1, 1, "under_review", "changes_requested"),
        ("edit", "editor@example.org", 1, 2, "changes_requested", "under_review"),
        ("approve", "reviewer@example.org", 2, 2, "under_review", "approved"),
    ]


@pytest.mark.parametrize("role", ["editor", "admin"])
def test_only_reviewers_approve_or_request_changes(db, setup, role):
    acc, aid, _ = setup
    with pytest.raises(PermissionDenied, match="only reviewers"):
        workflow.approve(db, account=acc[role], article_id=aid, version=1)
    with pytest.raises(PermissionDenied):
        workflow.request_changes(db, account=acc[role], article_id=aid, version=1, comment="x")


def test_admin_cannot_edit(db, setup):
    acc, aid, _ = setup
    with pytest.raises(PermissionDenied):
        workflow.edit(db, account=acc["admin"], article_id=aid, version=1, form={"bottom_line": "x"})


def test_approving_a_stale_version_is_a_conflict(db, setup):
    acc, aid, _ = setup
    workflow.edit(db, account=acc["editor"], article_id=aid, version=1, form={"bottom_line": "New wording."})
    with pytest.raises(Conflict, match="changed while you were reading"):
        workflow.approve(db, account=acc["reviewer"], article_id=aid, version=1)


def test_request_changes_needs_a_comment(db, setup):
    acc, aid, _ = setup
    with pytest.raises(UsageError, match="comment is required"):
        workflow.request_changes(db, account=acc["reviewer"], article_id=aid, version=1, comment="  ")


def test_edit_removing_every_citation_is_refused(db, setup):
    acc, aid, _ = setup
    with pytest.raises(UsageError, match="needs a citation"):
        workflow.edit(db, account=acc["editor"], article_id=aid, version=1, form={"s0_b0_cites": ""})


def test_edit_citing_a_missing_reference_is_refused(db, setup):
    acc, aid, answer = setup
    n = len(answer.references)
    with pytest.raises(UsageError, match=rf"cites \[{n + 5}\], which is not in the reference list \(listed: 1–{n}\)"):
        workflow.edit(db, account=acc["editor"], article_id=aid, version=1, form={"bottom_line_cites": f"1, {n + 5}"})
    with pytest.raises(UsageError, match="not a reference number"):
        workflow.edit(db, account=acc["editor"], article_id=aid, version=1, form={"bottom_line_cites": "1; DROP"})
    with db.transaction() as s:
        assert len(articles.list_versions(s, article_id=aid)) == 1  # nothing half-written


def test_removing_a_bullet_drops_its_unused_references_and_renumbers(db, setup):
    acc, aid, answer = setup
    form = {f"s{i}_b{j}": "" for i, s in enumerate(answer.sections) for j, _ in enumerate(s.bullets) if (i, j) != (0, 0)}
    form.update({f"{k}_cites": "" for k in list(form)})
    workflow.edit(db, account=acc["editor"], article_id=aid, version=1, form=form)
    edited = _current(db, aid)
    assert sum(len(s.bullets) for s in edited.sections) == 1
    assert [r.n for r in edited.references] == list(range(1, len(edited.references) + 1))


def test_sql_metacharacters_and_html_are_stored_verbatim(db, setup):
    acc, aid, _ = setup
    nasty = "Robert'); DROP TABLE articles;-- <script>alert(1)</script> & \"quotes\""
    workflow.edit(db, account=acc["editor"], article_id=aid, version=1, form={"bottom_line": nasty},
                  comment="'; DELETE FROM audit_log; --")
    assert _current(db, aid).bottom_line.text == nasty
    with db.transaction() as s:
        assert len(articles.list_articles(s)) == 1
        assert audit.entries(s, article_id=aid)[0].detail == "'; DELETE FROM audit_log; --"


def test_unchanged_edit_is_refused(db, setup):
    acc, aid, _ = setup
    with pytest.raises(UsageError, match="nothing changed"):
        workflow.edit(db, account=acc["editor"], article_id=aid, version=1, form={})


def test_diff_shows_the_edited_line(db, setup):
    acc, aid, answer = setup
    workflow.edit(db, account=acc["editor"], article_id=aid, version=1, form={"bottom_line": "Brand new bottom line."})
    ops = diff_answers(answer, _current(db, aid))
    assert any(op == "removed" and answer.bottom_line.text in line for op, line in ops)
    assert any(op == "added" and "Brand new bottom line." in line for op, line in ops)


def test_invalid_transitions_are_conflicts(db, setup):
    acc, aid, _ = setup
    workflow.approve(db, account=acc["reviewer"], article_id=aid, version=1)
    with pytest.raises(Conflict, match="cannot approve"):
        workflow.approve(db, account=acc["reviewer"], article_id=aid, version=1)
    with pytest.raises(Conflict, match="cannot submit"):
        workflow.submit(db, account=acc["editor"], article_id=aid)
