"""Render an Answer for the terminal with Rich."""

from __future__ import annotations

from rich.console import Console, Group
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from curbside.answer.model import Answer, Bullet
from curbside.render.markdown import STATUS_LABEL, banner, reference_line


def _cites(numbers: list[int]) -> str:
    return " " + "".join(f"[cyan]\\[{n}][/]" for n in numbers) if numbers else ""


def _bullet(b: Bullet, indent: str = "  • ") -> str:
    line = f"{indent}{escape(b.text)}{_cites(b.citations)}"
    if b.note:
        line += f"\n      [dim]Why: {escape(b.note)}[/]"
    return line


def stepper(status: str) -> str:
    steps = ["submitted", "under_review", "approved"]
    current = "under_review" if status == "changes_requested" else status
    return "  →  ".join(f"[bold green]● {STATUS_LABEL[s]}[/]" if s == current else f"[dim]○ {STATUS_LABEL[s]}[/]" for s in steps)


def render_terminal(answer: Answer, console: Console | None = None) -> None:
    """Print the answer page."""
    console = console or Console()
    console.print(Text(answer.normalized_question, style="bold"))
    console.print(f"[dim]{escape(banner(answer))}[/]")
    console.print(stepper(answer.review.status))
    console.print()
    if answer.safety:
        console.print(Panel(escape(answer.safety.message), title="URGENT", border_style="bold red"))
    console.print(Text(answer.title, style="bold underline"))
    if answer.coverage_note:
        console.print(f"[yellow]{escape(answer.coverage_note)}[/]")
    if answer.bottom_line:
        console.print(f"\n[bold]{escape(answer.bottom_line.text)}[/]{_cites(answer.bottom_line.citations)}")
    for s in answer.sections:
        console.print(f"\n[bold magenta]{escape(s.heading)}[/]")
        if s.intro:
            console.print(f"{escape(s.intro.text)}{_cites(s.intro.citations)}")
        if s.table:
            table = Table(title=f"{s.table.caption}{' ' + ''.join(f'[{n}]' for n in s.table.citations)}", show_lines=False)
            for col in s.table.columns:
                table.add_column(escape(col))
            for row in s.table.rows:
                table.add_row(*[escape(c) for c in row])
            console.print(table)
        for b in s.bullets:
            console.print(_bullet(b))
    if answer.seek_care:
        console.print("\n[bold red]When to seek care now[/]")
        for b in answer.seek_care:
            console.print(_bullet(b))
    if answer.pitfalls:
        console.print("\n[bold magenta]Critical pitfalls to avoid[/]")
        for b in answer.pitfalls:
            console.print(_bullet(b))
    if answer.algorithm:
        console.print("\n[bold magenta]Treatment algorithm[/]")
        for i, st in enumerate(answer.algorithm, 1):
            console.print(f"  {i}. [bold]{escape(st.when)}:[/] {escape(st.action)}{_cites(st.citations)}")
    if answer.searched:
        sr = answer.searched
        console.print("\n[bold]What was searched[/]")
        console.print(f"  Sources: {escape(', '.join(sr.sources) or 'none')}")
        console.print(f"  Terms: {escape(', '.join(sr.terms) or 'none')}")
        if sr.topics_considered:
            console.print(f"  Closest topics (not a match): {escape(', '.join(sr.topics_considered))}")
    if answer.references:
        console.print("\n[bold]References[/]")
        for r in answer.references:
            console.print(f"  [cyan]{r.n}.[/] {escape(reference_line(r))}")
    if answer.related_questions:
        console.print("\n[bold]Related questions[/]")
        for q in answer.related_questions:
            console.print(f"  ? {escape(q)}")
    console.print()
    console.print(Group(Text(answer.disclaimer, style="dim italic")))
