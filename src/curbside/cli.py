"""The `curbside` command line. Heavy modules are imported inside commands to keep start-up fast."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from curbside.errors import CurbsideError, UsageError

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


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="The clinical question, in quotes; '-' reads it from standard input")],
    audience: Annotated[str, typer.Option("--audience", "-a", help="clinician, student or patient")] = "clinician",
    fmt: Annotated[str, typer.Option("--format", "-f", help="terminal, markdown or json")] = "terminal",
    thread: Annotated[str | None, typer.Option("--thread", help="Thread id of an earlier answer, for a follow-up")] = None,
) -> None:
    """Answer a clinical question: bottom line first, every statement cited."""
    from curbside.config import get_settings

    if fmt not in ("terminal", "markdown", "json"):
        _fail(UsageError(f"unknown format {fmt!r}; choose terminal, markdown or json"))
    if question == "-":
        question = sys.stdin.read()
    settings = get_settings()
    limit = settings.max_question_chars
    if len(question) > limit:
        print(f"Note: the question is {len(question)} characters long; only the first {limit} are read.", file=sys.stderr)
        question = question[:limit]
    try:
        from curbside.engine import get_engine

        engine = get_engine(settings)
        try:  # answers go through the reviewed articles when the store is installed
            from curbside.review.service import reviewed_engine

            engine = reviewed_engine(engine, settings)
        except ImportError:
            pass
        answer = engine.ask(question, audience=audience, thread_id=thread)
    except CurbsideError as exc:
        _fail(exc)
    if fmt == "json":
        sys.stdout.write(answer.model_dump_json(indent=2) + "\n")
    elif fmt == "markdown":
        from curbside.render.markdown import render_markdown

        sys.stdout.write(render_markdown(answer))
    else:
        from curbside.render.terminal import render_terminal

        render_terminal(answer)
        if answer.thread_id:
            from rich.console import Console

            Console(stderr=True).print(f"[dim]Follow-up: curbside ask --thread {answer.thread_id} \"...\"[/]")


@app.command("eval")
def eval_cmd(
    file: Annotated[Path, typer.Argument(help="JSONL file: one {\"question\": ...} per line (K-QA, routing or drug sets)")],
    limit: Annotated[int | None, typer.Option(help="Only the first N questions")] = None,
    audience: Annotated[str, typer.Option(help="Audience to answer for")] = "clinician",
    details: Annotated[Path | None, typer.Option(help="Write one JSON line per question here")] = None,
) -> None:
    """Answer every question in a JSONL file and report coverage, citation validity and accuracy."""
    from rich.console import Console

    from curbside.config import get_settings
    from curbside.engine import get_engine
    from curbside.evaluation import evaluate_file, format_report

    try:
        report = evaluate_file(file, get_engine(get_settings()), limit=limit, audience=audience, details=details)
    except CurbsideError as exc:
        _fail(exc)
    Console().print(format_report(report), highlight=False)
    if report.citation_validity < 1.0:
        raise typer.Exit(1)


def _register_optional() -> None:
    """Add the command groups of optional parts (corpora, web, store) when they are installed."""
    import importlib

    for module in ("curbside.corpus.cli", "curbside.web.cli", "curbside.store.cli"):
        try:
            mod = importlib.import_module(module)
        except ImportError:
            continue
        mod.register(app)


def main() -> None:
    """Entry point: runs the app, turning curbside errors into a message and an exit code."""
    _register_optional()
    try:
        app()
    except CurbsideError as exc:
        print(f"Error: {exc.message}", file=sys.stderr)
        sys.exit(exc.exit_code)
