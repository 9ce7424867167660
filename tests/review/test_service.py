"""Answering through articles: one article per equivalence key, reuse of approved ones, invalidation."""

from __future__ import annotations

import pytest

from curbside.review import workflow
from curbside.review.keys import equivalence_key
from curbside.review.service import ReviewService, current_topic_hashes
from curbside.store import articles, audit
from tests.review.factories import ChangingEngine, users

HTN = "What is the first-line treatment for hypertension?"


@pytest.fixture
def service(db, engine):
    return ReviewService(db, ChangingEngine(engine))


def test_first_answer_becomes_a_submitted_article_with_version_1(service, db):
    answer = service.ask(HTN)
    assert answer.review.status == "submitted"
    assert answer.review.article_id and answer.review.version == 1
    with db.transaction() as s:
        article = articles.get_article(s, article_id=answer.review.article_id)
        (version,) = articles.list_versions(s, article_id=article.id)
        assert article.key == equivalence_key(answer)
        assert version.author == "engine"
        assert any(src.startswith("hypertension@") for src in articles.version_sources(version))
        assert answer.review.last_updated == version.created_at.date().isoformat()
        assert [e.action for e in audit.entries(s, article_id=article.id)] == ["created"]


def test_equivalent_phrasings_share_one_article(service, engine):
    a = service.ask(HTN)
    b = service.ask("first line tx for HTN?")
    c = service.ask("Which first-line drug for high blood pressure in a 50 year old?")
    assert engine.ask(HTN).topics[0].startswith("hypertension@")
    assert a.review.article_id == b.review.article_id == c.review.article_id
    assert b.question == "first line tx for HTN?"  # the reader's own question is shown
    pregnant = service.ask("first-line treatment for hypertension in pregnancy?")
    assert pregnant.review.article_id != a.review.article_id
    patient = service.ask(HTN, audience="patient")
    assert patient.review.article_id != a.review.article_id


def test_approved_article_is_reused_not_regenerated(service, db):
    reviewer = users(db)["reviewer"]
    first = service.ask(HTN)
    workflow.edit(db, account=reviewer, article_id=first.review.article_id, version=1,
                  form={"bottom_line": "Reviewed wording of the bottom line."})
    workflow.approve(db, account=reviewer, article_id=first.review.article_id, version=2, comment="ok")
    again = service.ask("first line tx for HTN?")
    assert again.review.status == "approved"
    assert again.review.reviewed_by == "reviewer@example.org"
    assert again.review.version == 2
    assert again.bottom_line.text == "Reviewed wording of the bottom line."
    with db.transaction() as s:
        assert len(articles.list_versions(s, article_id=first.review.article_id)) == 2


def test_changed_topic_sends_approved_article_back_to_review(service, db):
    reviewer = users(db)["reviewer"]
    first = service.ask(HTN)
    workflow.approve(db, account=reviewer, article_id=first.review.article_id, version=1)
    assert service.ask(HTN).review.status == "approved"
    service.engine.changed["hypertension"] = "0123456789ab"
    after = service.ask(HTN)
    assert after.review.status == "under_review"
    assert after.review.version == 2
    with db.transaction() as s:
        last = audit.entries(s, article_id=first.review.article_id)[0]
        assert (last.action, last.actor, last.from_status, last.to_status) == (
            "sources_changed", "engine", "approved", "under_review")
        assert "hypertension@0123456789ab" in last.detail
    assert service.ask(HTN).review.version == 2  # stable afterwards


def test_recheck_topics_invalidates_without_a_reader_asking(service, db, engine):
    reviewer = users(db)["reviewer"]
    first = service.ask(HTN)
    workflow.approve(db, account=reviewer, article_id=first.review.article_id, version=1)
    hashes = current_topic_hashes(engine)
    assert service.recheck_topics(hashes).invalidated == []
    result = service.recheck_topics({**hashes, "hypertension": "feedfacecafe"})
    assert result.invalidated == [first.review.article_id]
    assert service.ask(HTN).review.status == "under_review"


def test_changed_corpus_document_sends_article_back_to_review(db, engine):
    from curbside.answer.model import Answer, Bullet, ReferenceEntry, Review

    class CorpusEngine:
        text = "Gout is a kind of arthritis."

        def ask(self, question, audience="clinician", thread_id=None):
            ref = ReferenceEntry(n=1, title="Gout", publisher="NIH", type="patient_information", source_id="medquad:42")
            return Answer(question=question, normalized_question="what is gout?", slug="what-is-gout",
                          title="From reference documents: Gout", bottom_line=Bullet(text=self.text, citations=[1]),
                          references=[ref], review=Review(last_updated="2026-01-01"), disclaimer="d",
                          coverage="partial")

        def topics(self):
            return []

    corpus = CorpusEngine()
    service = ReviewService(db, corpus)
    reviewer = users(db)["reviewer"]
    first = service.ask("what is gout?")
    assert equivalence_key(first).startswith("q:what is gout|")
    workflow.approve(db, account=reviewer, article_id=first.review.article_id, version=1)
    assert service.ask("What is gout").review.status == "approved"
    corpus.text = "Gout is an inflammatory arthritis caused by urate crystals."
    after = service.ask("what is gout?")
    assert after.review.status == "under_review"
    assert after.bottom_line.text == corpus.text


def test_not_covered_answers_are_not_stored(service, db):
    answer = service.ask("what is the best pizza topping?")
    assert answer.coverage == "not_covered"
    assert answer.review.article_id is None
    with db.transaction() as s:
        assert articles.list_articles(s) == []


def test_question_for_slug_finds_the_first_askers_question(service):
    answer = service.ask(HTN)
    assert service.question_for_slug(answer.slug) == HTN
    assert service.question_for_slug("no-such-slug") is None


def test_recheck_all_reasks_approved_articles(service, db):
    reviewer = users(db)["reviewer"]
    first = service.ask(HTN)
    workflow.approve(db, account=reviewer, article_id=first.review.article_id, version=1)
    assert service.recheck_all().invalidated == []
    service.engine.changed["hypertension"] = "abcdefabcdef"
    result = service.recheck_all()
    assert (result.checked, result.invalidated) == (1, [first.review.article_id])


def test_an_unreachable_database_still_answers_unreviewed(engine, caplog):
    from curbside.store.db import Database

    service = ReviewService(Database("postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2"), engine)
    answer = service.ask(HTN)
    assert answer.review.status == "submitted" and answer.review.article_id is None
    assert "article store unavailable" in caplog.text


def test_concurrent_first_asks_make_exactly_one_article(db, engine):
    from concurrent.futures import ThreadPoolExecutor

    answer = engine.ask(HTN)

    class Fixed:
        def ask(self, question, audience="clinician", thread_id=None):
            return answer

        def topics(self):
            return []

    service = ReviewService(db, Fixed())
    service.ready()
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda _: service.ask(HTN), range(16)))
    assert len({r.review.article_id for r in results}) == 1
    with db.transaction() as s:
        (article,) = articles.list_articles(s)
        assert len(articles.list_versions(s, article_id=article.id)) == 1
        assert [e.action for e in audit.entries(s)] == ["created"]
