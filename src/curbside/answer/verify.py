"""Verify: refuse to show an answer with an uncited statement or a citation that resolves to nothing."""

from __future__ import annotations

from curbside.answer.model import Answer
from curbside.errors import VerificationError


def problems(answer: Answer) -> list[str]:
    """Every citation problem in the answer (empty when it may be shown)."""
    found: list[str] = []
    n_refs = len(answer.references)
    if [r.n for r in answer.references] != list(range(1, n_refs + 1)):
        found.append("references are not numbered 1..n")
    cited: list[int] = []

    def check(where: str, text: str, citations: list[int]) -> None:
        if not text.strip():
            found.append(f"{where}: empty statement")
        if not citations:
            found.append(f"{where}: uncited statement: {text[:80]!r}")
        for n in citations:
            if not 1 <= n <= n_refs:
                found.append(f"{where}: citation [{n}] resolves to no listed reference")
        cited.extend(citations)

    for where, text, citations in answer.cited_items():
        check(where, text, citations)
    unused = sorted(set(range(1, n_refs + 1)) - set(cited))
    if unused:
        found.append(f"reference(s) {unused} listed but never cited")
    first_use = list(dict.fromkeys(cited))
    if first_use != sorted(first_use):
        found.append("citations are not numbered in order of first use")
    if answer.coverage != "not_covered" and answer.bottom_line is None:
        found.append("a covered answer needs a bottom line")
    return found


def verify(answer: Answer) -> Answer:
    """The answer unchanged when every statement is cited and every citation resolves; raises otherwise."""
    found = problems(answer)
    if found:
        raise VerificationError("answer refused by the citation verifier: " + "; ".join(found[:5]))
    return answer
