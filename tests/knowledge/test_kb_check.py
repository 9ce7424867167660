"""`curbside kb check` on the real knowledge base and on broken files."""

from __future__ import annotations

import textwrap

from tests.conftest import run_cli

GOOD = textwrap.dedent("""\
    id: {id}
    title: A Test Topic
    scope: A topic used only by the checker's tests.
    last_reviewed: 2026-11-26
    references:
      - {{key: ref1, title: A real-looking title, publisher: Test Org, year: 2020, type: guideline}}
    bottom_line:
      default: {{text: The bottom line of the test topic., refs: [ref1], patient: This is the main point.}}
    sections:
      - facet: first_line
        heading: First line
        claims:
          - {{text: A first-line statement that is cited., refs: [ref1], patient: Try this first.}}
""")


def test_the_shipped_knowledge_base_passes():
    result = run_cli("kb", "check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "topics:" in result.stdout and "references:" in result.stdout
    assert "median patient-text grade" in result.stdout


def _check(tmp_path, text, name="bad-topic.yaml"):
    (tmp_path / name).write_text(text)
    return run_cli("kb", "check", "--dir", str(tmp_path))


def test_a_good_extra_topic_passes(tmp_path):
    result = _check(tmp_path, GOOD.format(id="zz-good-topic"), "zz-good-topic.yaml")
    assert result.returncode == 0, result.stdout


def test_uncited_claim_names_file_and_item(tmp_path):
    text = GOOD.format(id="zz-bad").replace("refs: [ref1], patient: Try", "refs: [], patient: Try")
    result = _check(tmp_path, text)
    assert result.returncode != 0
    assert "bad-topic.yaml" in result.stdout and "claims[0]" in result.stdout and "no citation" in result.stdout


def test_undefined_and_unused_references_are_errors(tmp_path):
    text = GOOD.format(id="zz-bad").replace("refs: [ref1], patient: Try", "refs: [nosuch], patient: Try")
    text = text.replace("references:\n", "references:\n  - {key: spare, title: Spare title, publisher: Org, year: 2020, type: review}\n")
    result = _check(tmp_path, text)
    assert result.returncode != 0
    assert "undefined reference 'nosuch'" in result.stdout
    assert "references.spare" in result.stdout and "never cited" in result.stdout


def test_empty_section_and_duplicate_topic_id_are_errors(tmp_path):
    text = GOOD.format(id="chronic-low-back-pain") + "  - facet: pitfalls\n    heading: Nothing here\n"
    result = _check(tmp_path, text)
    assert result.returncode != 0
    assert "duplicate topic id" in result.stdout
    text = GOOD.format(id="zz-empty") + "  - facet: pitfalls\n    heading: Nothing here\n"
    result = _check(tmp_path, text)
    assert "empty section" in result.stdout


def test_malformed_yaml_and_schema_errors_are_reported_not_raised(tmp_path):
    (tmp_path / "broken.yaml").write_text("id: [unclosed\n")
    (tmp_path / "schema.yaml").write_text("id: x\ntitle: 1\n")
    result = run_cli("kb", "check", "--dir", str(tmp_path))
    assert result.returncode != 0
    assert "broken.yaml" in result.stdout and "not valid YAML" in result.stdout
    assert "schema.yaml" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_missing_folder_is_a_clear_error(tmp_path):
    result = run_cli("kb", "check", "--dir", str(tmp_path / "nope"))
    assert result.returncode != 0 and "no such folder" in result.stderr


def test_an_alias_shared_with_another_topic_is_flagged_even_as_a_plural(tmp_path):
    for topic_id, alias in (("zz-boils", "skin abscesses"), ("zz-spreading", "skin abscess")):
        text = GOOD.format(id=topic_id).replace("scope:", f"aliases: [{alias}]\nscope:")
        (tmp_path / f"{topic_id}.yaml").write_text(text)
    result = run_cli("kb", "check", "--dir", str(tmp_path))
    assert "alias 'skin abscess'" in result.stdout and "also an alias of topic" in result.stdout, result.stdout
