"""The engine with an imported corpus, as a user runs it: ingest, then ask what no topic covers."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from tests.conftest import run_cli

SAMPLE = Path(__file__).resolve().parent / "data" / "corpus" / "medquad-sample.jsonl.gz"


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    data = tmp_path_factory.mktemp("corpus-engine")
    r = run_cli("ingest", "medquad", str(SAMPLE), env={"CURBSIDE_DATA_DIR": str(data)})
    assert r.returncode == 0, r.stderr
    return data


def _texts_by_url() -> dict[str, str]:
    out: dict[str, str] = {}
    with gzip.open(SAMPLE, "rt", encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            out[rec["url"]] = out.get(rec["url"], "") + "\n" + rec["answer"]
    return out


def _ask(data_dir, question):
    r = run_cli("ask", question, "-f", "json", env={"CURBSIDE_DATA_DIR": str(data_dir)})
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def test_uncovered_question_is_answered_from_documents_each_sentence_cited_to_its_own(data_dir):
    a = _ask(data_dir, "What are the treatments for Aspergillosis?")
    assert a["coverage"] == "partial"
    assert "reference documents" in a["coverage_note"]
    texts = _texts_by_url()
    refs = {r["n"]: r for r in a["references"]}
    bullets = [a["bottom_line"]] + [b for s in a["sections"] for b in s["bullets"]]
    assert len(bullets) >= 2
    for b in bullets:
        assert len(b["citations"]) == 1
        ref = refs[b["citations"][0]]
        assert ref["publisher"] and ref["url"]
        words = " ".join(b["text"].split())
        assert words[:60] in " ".join(texts[ref["url"]].split()), (words, ref["url"])


def test_curated_topics_still_answer_first(data_dir):
    a = _ask(data_dir, "What is the first-line treatment for chronic low back pain?")
    assert a["coverage"] == "covered"
    assert not any(r["source_id"].startswith("medquad:") for r in a["references"])
