"""Render an Answer as Markdown (citations as [n], references as a numbered list)."""

from __future__ import annotations

from curbside.answer.model import Answer, Bullet, ReferenceEntry

STATUS_LABEL = {"submitted": "Submitted", "under_review": "Under Review", "changes_requested": "Changes Requested",
                "approved": "Approved"}


def cites(numbers: list[int]) -> str:
    return " " + "".join(f"[{n}]" for n in numbers) if numbers else ""


def reference_line(ref: ReferenceEntry) -> str:
    """'Title. Publisher, 2017. Guideline. doi:...' for one reference."""
    parts = [f"{ref.title}.", f"{ref.publisher}{', ' + str(ref.year) if ref.year else ''}.", ref.type.replace("_", " ").capitalize() + "."]
    if ref.doi:
        parts.append(f"https://doi.org/{ref.doi}")
    elif ref.url:
        parts.append(ref.url)
    return " ".join(parts)


def banner(answer: Answer) -> str:
    if answer.review.status == "approved":
        return f"Reviewed and approved by the medical advisory board • Last updated {answer.review.last_updated}"
    return f"Educational purpose only • content pending human review • Last updated {answer.review.last_updated}"


def _bullet(b: Bullet) -> str:
    line = f"- {b.text}{cites(b.citations)}"
    if b.note:
        line += f"\n  - *Why:* {b.note}"
    return line


def render_markdown(answer: Answer) -> str:
    """The whole answer page as Markdown."""
    out = [f"# {answer.normalized_question}", "", f"*{banner(answer)}*", ""]
    if answer.safety:
        out += [f"> **URGENT: {answer.safety.message}**", ""]
    out += [f"## {answer.title}", ""]
    if answer.coverage_note:
        out += [f"> {answer.coverage_note}", ""]
    if answer.bottom_line:
        out += [f"**{answer.bottom_line.text}**{cites(answer.bottom_line.citations)}", ""]
    for s in answer.sections:
        out += [f"### {s.heading}", ""]
        if s.intro:
            out += [f"{s.intro.text}{cites(s.intro.citations)}", ""]
        if s.table:
            t = s.table
            out += [f"*{t.caption}*{cites(t.citations)}", "", "| " + " | ".join(t.columns) + " |",
                    "|" + "---|" * len(t.columns)] + ["| " + " | ".join(r) + " |" for r in t.rows] + [""]
        out += [_bullet(b) for b in s.bullets] + [""]
    if answer.seek_care:
        out += ["### When to seek care now", ""] + [_bullet(b) for b in answer.seek_care] + [""]
    if answer.pitfalls:
        out += ["### Critical pitfalls to avoid", ""] + [_bullet(b) for b in answer.pitfalls] + [""]
    if answer.algorithm:
        out += ["### Treatment algorithm", ""]
        out += [f"{i}. **{st.when}:** {st.action}{cites(st.citations)}" for i, st in enumerate(answer.algorithm, 1)] + [""]
    if answer.searched:
        sr = answer.searched
        out += ["### What was searched", "", f"- Sources: {', '.join(sr.sources) or 'none'}",
                f"- Terms: {', '.join(sr.terms) or 'none'}"]
        if sr.topics_considered:
            out.append(f"- Closest topics (not a match): {', '.join(sr.topics_considered)}")
        out.append("")
    if answer.references:
        out += ["### References", ""] + [f"{r.n}. {reference_line(r)}" for r in answer.references] + [""]
    if answer.related_questions:
        out += ["### Related questions", ""] + [f"- {q}" for q in answer.related_questions] + [""]
    out += ["---", "", f"*{answer.disclaimer}*", ""]
    return "\n".join(out)
