"""The `curbside` command line. Heavy modules are imported inside commands to keep start-up fast."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from curbside.errors import CurbsideError

app = typer.Typer(help="curbside: guideline-backed, fully cited answers to clinical questions.", no_args_is_help=True,
                  pretty_exceptions_enable=False, add_completion=False)
kb_app = typer.Typer(help="The curated knowledge base.", no_args_is_help=True)
app.add_typer(kb_app, name="kb")


def _fail(exc: CurbsideError) -> None:
    from rich.console import Console

    Console(stderr=True).print(f"[bold red]Error:[/] {exc.message}", highlight=False, markup=True)
    raise typer.Exit(exc.exit_code)


@kb_app.command("check")
def kb_check(
    extra: Annotated[list[Path] | None, typer.Option("--dir", help="Extra folder of topic files to check")] = None,
) -> None:
    """Validate every topic file: schema, citations, references, empty sections, duplicate ids."""
    from rich.console import Console

    from curbside.config import get_settings
    from curbside.knowledge.check import check_knowledge_base

    console = Console()
    dirs = [*get_settings().kb_dirs, *(extra or [])]
    for d in dirs:
        if not Path(d).is_dir():
            _fail(CurbsideError(f"no such folder: {d}"))
    report = check_knowledge_base(dirs)
    for w in report.warnings:
        console.print(f"[yellow]warning[/] {w}", highlight=False, markup=True, soft_wrap=True)
    for e in report.errors:
        console.print(f"[red]error[/] {e}", highlight=False, markup=True, soft_wrap=True)
    grade = report.median_patient_grade
    console.print(
        f"topics: {report.topics}  drug monographs: {report.drugs}  claims: {report.claims}  "
        f"references: {report.references}  median patient-text grade: {grade if grade is None else round(grade, 1)}"
    )
    if not report.ok:
        console.print(f"[bold red]{len(report.errors)} error(s)[/]")
        raise typer.Exit(1)
    console.print(f"[green]ok[/] ({len(report.warnings)} warning(s))")


def main() -> None:
    """Entry point: runs the app, turning curbside errors into a message and an exit code."""
    try:
        app()
    except CurbsideError as exc:
        print(f"Error: {exc.message}", file=sys.stderr)
        sys.exit(exc.exit_code)
