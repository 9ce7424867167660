"""`curbside eval`: answer a JSONL file of questions and measure what a user would notice.

Reported for every file: coverage rate, abstentions, citation validity (must be 100%).
Where records carry labels:

- ``topic`` / ``drugs`` and ``facet`` (our routing sets): routing and facet accuracy.
- ``Must_have`` (K-QA): a **must-have recall proxy**. A must-have statement counts as
  recalled when at least ``RECALL_THRESHOLD`` of its content-word stems (stopwords removed,
  Porter2 stems) occur in the answer's text. This is a lexical proxy, not K-QA's NLI judge:
  it over-credits answers that share vocabulary without entailing the statement and
  under-credits paraphrases. It is useful to compare versions of curbside, not other systems.
"""

from __future__ import annotations

import json
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path

from curbside.answer.model import Answer
from curbside.answer.text import content_stems
from curbside.answer.verify import problems
from curbside.errors import CurbsideError, UsageError

RECALL_THRESHOLD = 0.6


@dataclass
class EvalReport:
    file: str
    questions: int = 0
    covered: int = 0
    partial: int = 0
    not_covered: int = 0
    out_of_scope: int = 0
    errors: int = 0
    citation_ok: int = 0
    must_have_total: int = 0
    must_have_recalled: int = 0
    must_have_per_question: list[float] = field(default_factory=list)
    routing_total: int = 0
    routing_correct: int = 0
    facet_total: int = 0
    facet_correct: int = 0
    routing_misses: list[dict] = field(default_factory=list)
    latencies_ms: list[float] = field(default_factory=list)
    turns: int = 0  # questions asked as turns of a thread

    @property
    def answered(self) -> int:
        return self.questions - self.errors

    @property
    def citation_validity(self) -> float:
        return self.citation_ok / self.answered if self.answered else 1.0

    @property
    def coverage_rate(self) -> float:
        return (self.covered + self.partial) / self.questions if self.questions else 0.0


def answer_text(answer: Answer) -> str:
    """All the statements of an answer as one text (what the recall proxy reads)."""
    parts = [b.text for b in answer.all_bullets()] + [s.action for s in answer.algorithm]
    for s in answer.sections:
        if s.table:
            parts += [" ".join(r) for r in s.table.rows]
    return "\n".join(parts)


def statement_recalled(statement: str, answer_stems: set[str]) -> bool:
    """True when enough of the statement's content stems occur in the answer."""
    stems = set(content_stems(statement))
    if not stems:
        return False
    return len(stems & answer_stems) / len(stems) >= RECALL_THRESHOLD


def _read_jsonl(path: Path) -> list[dict]:
    if not path.is_file():
        raise UsageError(f"no such file: {path}")
    records = []
    for i, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            raise UsageError(f"{path}:{i}: not valid JSON ({exc.msg})") from None
        if isinstance(rec, dict) and isinstance(rec.get("turns"), list) and rec["turns"] and all(
                isinstance(t, dict) and isinstance(t.get("question"), str) for t in rec["turns"]):
            records.append(rec)
            continue
        if not isinstance(rec, dict) or not isinstance(rec.get("question", rec.get("Question")), str):
            raise UsageError(f"{path}:{i}: expected an object with a 'question' (or 'Question') string, or 'turns'")
        records.append(rec)
    return records


def evaluate_file(path: Path, engine, *, limit: int | None = None, audience: str = "clinician",
                  details: Path | None = None) -> EvalReport:
    """Answer every record of the file and tally the report."""
    records = _read_jsonl(Path(path))[:limit]
    report = EvalReport(file=str(path))
    out = details.open("w", encoding="utf-8") if details else None
    try:
        for rec in records:
            _evaluate_one(rec, engine, audience, report, out)
    finally:
        if out:
            out.close()
    return report


def _evaluate_thread(rec: dict, engine, audience: str, report: EvalReport, out) -> None:
    """A multi-turn thread: each turn is asked as a follow-up of the one before and scored like a question."""
    thread_id = None
    for turn in rec["turns"]:
        thread_id = _evaluate_one(turn, engine, audience, report, out, thread_id=thread_id)
        report.turns += 1


def _evaluate_one(rec: dict, engine, audience: str, report: EvalReport, out, thread_id: str | None = None) -> str | None:
    if "turns" in rec:
        _evaluate_thread(rec, engine, audience, report, out)
        return None
    question = rec.get("question", rec.get("Question"))
    report.questions += 1
    start = time.perf_counter()
    try:
        answer = engine.ask(question, audience=audience, thread_id=thread_id)
    except CurbsideError as exc:
        report.errors += 1
        if out:
            out.write(json.dumps({"question": question, "error": exc.message}) + "\n")
        return None
    report.latencies_ms.append((time.perf_counter() - start) * 1000)
    if answer.intent == "out_of_scope":
        report.out_of_scope += 1
    setattr(report, answer.coverage, getattr(report, answer.coverage) + 1)
    report.citation_ok += not problems(answer)
    topic_ids = [t.split("@")[0] for t in answer.topics]
    row = {"question": question, "coverage": answer.coverage, "topics": topic_ids, "facet": answer.facet}
    if "Must_have" in rec:
        stems = set(content_stems(answer_text(answer)))
        hits = [statement_recalled(s, stems) for s in rec["Must_have"]]
        report.must_have_total += len(hits)
        report.must_have_recalled += sum(hits)
        report.must_have_per_question.append(sum(hits) / len(hits) if hits else 0.0)
        row["must_have_recalled"] = f"{sum(hits)}/{len(hits)}"
    expected = rec.get("drugs") or ([rec["topic"]] if rec.get("topic") else None)
    if expected:
        report.routing_total += 1
        ok = bool(topic_ids) and topic_ids[0] in expected and set(expected) <= set(topic_ids)
        report.routing_correct += ok
        if rec.get("facet"):
            report.facet_total += 1
            facet_ok = answer.facet == rec["facet"]
            report.facet_correct += facet_ok
        else:
            facet_ok = True
        if not (ok and facet_ok):
            report.routing_misses.append({"question": question, "expected": expected, "expected_facet": rec.get("facet"),
                                          "got": topic_ids, "got_facet": answer.facet})
    if out:
        out.write(json.dumps(row) + "\n")
    return answer.thread_id


def format_report(r: EvalReport) -> str:
    """The report as a few readable lines."""
    lines = [
        f"file: {r.file}",
        f"questions: {r.questions}  answered: {r.answered}  errors: {r.errors}"
        + (f"  (of which {r.turns} were thread turns)" if r.turns else ""),
        f"coverage: {r.coverage_rate:.1%} (covered {r.covered}, partial {r.partial}, not covered {r.not_covered}, "
        f"of which out of scope {r.out_of_scope})",
        f"abstentions (not covered): {r.not_covered}",
        f"citation validity: {r.citation_validity:.1%}",
    ]
    if r.latencies_ms:
        lat = sorted(r.latencies_ms)
        lines.append(f"latency: p50 {statistics.median(lat):.1f} ms  p95 {lat[int(0.95 * (len(lat) - 1))]:.1f} ms")
    if r.must_have_total:
        lines.append(
            f"must-have recall proxy (>= {RECALL_THRESHOLD:.0%} of content stems present): "
            f"{r.must_have_recalled}/{r.must_have_total} = {r.must_have_recalled / r.must_have_total:.1%} of statements; "
            f"mean per question {statistics.mean(r.must_have_per_question):.1%}"
        )
    if r.routing_total:
        lines.append(f"topic routing accuracy: {r.routing_correct}/{r.routing_total} = {r.routing_correct / r.routing_total:.1%}")
    if r.facet_total:
        lines.append(f"facet accuracy: {r.facet_correct}/{r.facet_total} = {r.facet_correct / r.facet_total:.1%}")
    return "\n".join(lines)
