"""What changed between two versions of an article, line by line over the parts a reader sees.

>>> [op for op, _ in diff_lines(["a", "b"], ["a", "c"])]
['same', 'removed', 'added']
"""

from __future__ import annotations

import difflib

from curbside.answer.model import Answer


def answer_lines(answer: Answer) -> list[str]:
    """The answer as lines of text with their citation numbers resolved to reference titles."""
    titles = {r.n: r.title for r in answer.references}

    def cited(text: str, cites: list[int]) -> str:
        return f"{text} [{'; '.join(titles.get(n, f'?{n}') for n in cites)}]"

    lines = [f"Title: {answer.title}"]
    if answer.bottom_line:
        lines.append("Bottom line: " + cited(answer.bottom_line.text, answer.bottom_line.citations))
    for s in answer.sections:
        lines.append(f"## {s.heading}")
        if s.intro:
            lines.append(cited(s.intro.text, s.intro.citations))
        lines.extend("• " + cited(b.text, b.citations) for b in s.bullets)
    if answer.algorithm:
        lines.append("## Algorithm")
        lines.extend(f"{st.when}: " + cited(st.action, st.citations) for st in answer.algorithm)
    if answer.pitfalls:
        lines.append("## Pitfalls")
        lines.extend("• " + cited(b.text, b.citations) for b in answer.pitfalls)
    return lines


def diff_lines(old: list[str], new: list[str]) -> list[tuple[str, str]]:
    """(op, line) pairs, op one of 'same', 'removed', 'added'."""
    out: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if tag == "equal":
            out.extend(("same", line) for line in old[i1:i2])
        else:
            out.extend(("removed", line) for line in old[i1:i2])
            out.extend(("added", line) for line in new[j1:j2])
    return out


def diff_answers(old: Answer, new: Answer) -> list[tuple[str, str]]:
    """The line diff between two versions' answers."""
    return diff_lines(answer_lines(old), answer_lines(new))
