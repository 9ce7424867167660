"""Applying an editor's changes to the bottom line and the section bullets, keeping every citation valid.

The editor form names its fields ``bottom_line`` / ``bottom_line_cites`` and ``s<i>_b<j>`` /
``s<i>_b<j>_cites`` (section i, bullet j, from 0). Citations are written ``1, 3``. A bullet whose text
and citations are both emptied is removed. The edit is refused (``UsageError``) when a statement has
no citation or cites a number that is not in the reference list; references no longer cited are
dropped and the rest renumbered in order of first use, then the citation verifier checks the result.

>>> parse_citations("1, 3 ,2")
[1, 3, 2]
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from curbside.answer.model import Answer
from curbside.answer.verify import problems
from curbside.errors import UsageError

MAX_TEXT = 2000
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def parse_citations(value: str, *, where: str = "citations") -> list[int]:
    """'1, 2' -> [1, 2]; raises ``UsageError`` for anything but numbers."""
    parts = [p for p in re.split(r"[\s,;]+", value or "") if p]
    out: list[int] = []
    for p in parts:
        if not p.isdigit() or len(p) > 4:
            raise UsageError(f"{where}: {p[:20]!r} is not a reference number (write them like '1, 3')")
        n = int(p)
        if n not in out:
            out.append(n)
    return out


def _statement(form: Mapping[str, str], field: str, where: str, n_refs: int, old_text: str,
               old_cites: list[int]) -> tuple[str, list[int]] | None:
    text = form.get(field, old_text)
    cites_raw = form.get(f"{field}_cites")
    cites = old_cites if cites_raw is None else parse_citations(cites_raw, where=where)
    text = " ".join(_CONTROL.sub(" ", str(text)).split())
    if not text and not cites:
        return None
    if not text:
        raise UsageError(f"{where}: the statement is empty; clear its citations too to remove it")
    if len(text) > MAX_TEXT:
        raise UsageError(f"{where}: the statement is too long ({len(text)} characters; the limit is {MAX_TEXT})")
    if not cites:
        raise UsageError(f"{where}: every clinical statement needs a citation; this one has none")
    missing = [n for n in cites if not 1 <= n <= n_refs]
    if missing:
        listed = f"1–{n_refs}" if n_refs else "none"
        raise UsageError(f"{where}: cites {missing}, which is not in the reference list (listed: {listed})")
    return text, cites


def apply_form(answer: Answer, form: Mapping[str, str]) -> Answer:
    """``answer`` with the form's bottom line and bullets; raises ``UsageError`` when a citation would break."""
    n_refs = len(answer.references)
    data = answer.model_dump()
    if answer.bottom_line is not None:
        got = _statement(form, "bottom_line", "bottom line", n_refs, answer.bottom_line.text,
                         answer.bottom_line.citations)
        if got is None:
            raise UsageError("bottom line: an answer needs a bottom line; it cannot be removed")
        data["bottom_line"].update(text=got[0], citations=got[1])
    for i, section in enumerate(answer.sections):
        kept = []
        for j, bullet in enumerate(section.bullets):
            where = f"section '{section.heading}', bullet {j + 1}"
            got = _statement(form, f"s{i}_b{j}", where, n_refs, bullet.text, bullet.citations)
            if got is not None:
                kept.append({**data["sections"][i]["bullets"][j], "text": got[0], "citations": got[1]})
        data["sections"][i]["bullets"] = kept
    edited = Answer.model_validate(data).renumbered()
    found = problems(edited)
    if found:
        raise UsageError("the edit is refused by the citation check: " + "; ".join(found[:5]))
    return edited
