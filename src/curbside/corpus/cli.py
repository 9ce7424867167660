"""`curbside ingest ...` and `curbside sources ...`: light at import time, heavy modules inside commands."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

ingest_app = typer.Typer(help="Import a corpus into the searchable index (idempotent, atomic).", no_args_is_help=True)
sources_app = typer.Typer(help="The ingested corpora.", no_args_is_help=True)

NameOpt = Annotated[str | None, typer.Option("--name", help="Source name (default: per kind)")]
NoDenseOpt = Annotated[bool, typer.Option("--no-dense", help="Lexical index only (skip embeddings)")]
ForceOpt = Annotated[bool, typer.Option("--force", help="Rebuild even if the input is unchanged")]


def register(app: typer.Typer) -> None:
    """Add the `ingest` and `sources` command groups to the main app."""
    app.add_typer(ingest_app, name="ingest")
    app.add_typer(sources_app, name="sources")


@ingest_app.command("medquad")
def ingest_medquad(
    path: Annotated[Path, typer.Argument(help="medquad.jsonl.gz (e.g. ../shared/data/medquad/medquad.jsonl.gz)")],
    name: NameOpt = None,
    no_dense: NoDenseOpt = False,
    force: ForceOpt = False,
) -> None:
    """Import MedQuAD (NIH consumer-health answers, CC BY 4.0) from its JSON Lines file."""
    from curbside.corpus.importers.medquad import fingerprint_medquad, import_medquad
    from curbside.corpus.ingest import SourceSpec

    name = name or "medquad"
    _must_exist(path)
    _run(SourceSpec(name, "medquad", str(path), lambda: fingerprint_medquad(path), lambda: import_medquad(path, name)),
         no_dense, force)


@ingest_app.command("open-medicine")
def ingest_open_medicine(name: NameOpt = None, no_dense: NoDenseOpt = False, force: ForceOpt = False) -> None:
    """Import the guideline summaries shipped in the `open-medicine` package (MIT)."""
    from curbside.corpus.importers.open_medicine import (
        fingerprint_open_medicine,
        guidelines_dir,
        import_open_medicine,
    )
    from curbside.corpus.ingest import SourceSpec

    name = name or "open-medicine"
    folder = guidelines_dir()
    _run(SourceSpec(name, "open-medicine", str(folder), lambda: fingerprint_open_medicine(folder),
                    lambda: import_open_medicine(name, folder)), no_dense, force)


@ingest_app.command("folder")
def ingest_folder(
    path: Annotated[Path, typer.Argument(help="Folder of .md, .html, .pdf and .txt files (searched recursively)")],
    name: NameOpt = None,
    publisher: Annotated[str | None, typer.Option(help="Publisher shown in references (default: the name)")] = None,
    no_dense: NoDenseOpt = False,
    force: ForceOpt = False,
) -> None:
    """Import your own documents: Markdown (optional YAML front matter), HTML, PDF and plain text."""
    from curbside.corpus.importers.files import fingerprint_folder, import_folder
    from curbside.corpus.ingest import SourceSpec
    from curbside.errors import UsageError

    if not path.is_dir():
        raise UsageError(f"no such folder: {path}")
    name = name or path.resolve().name
    _run(SourceSpec(name, "folder", str(path), lambda: fingerprint_folder(path),
                    lambda: import_folder(path, name, publisher)), no_dense, force)


@ingest_app.command("jsonl")
def ingest_jsonl(
    path: Annotated[Path, typer.Argument(help="JSON Lines file: one {id, title, text|sections, url?, ...} a line")],
    name: NameOpt = None,
    no_dense: NoDenseOpt = False,
    force: ForceOpt = False,
) -> None:
    """Import a generic JSON Lines corpus."""
    from curbside.corpus.importers.jsonl import fingerprint_jsonl, import_jsonl
    from curbside.corpus.ingest import SourceSpec

    _must_exist(path)
    name = name or path.name.split(".")[0]
    _run(SourceSpec(name, "jsonl", str(path), lambda: fingerprint_jsonl(path), lambda: import_jsonl(path, name)),
         no_dense, force)


@sources_app.command("list")
def sources_list() -> None:
    """Show the ingested sources with their document and passage counts."""
    from rich.console import Console
    from rich.table import Table

    from curbside.corpus.ingest import list_sources

    sources = list_sources()
    console = Console()
    if not sources:
        console.print("No sources ingested yet. Try: curbside ingest medquad ../shared/data/medquad/medquad.jsonl.gz")
        return
    table = Table("name", "kind", "documents", "passages", "ingested", "origin")
    for name, s in sorted(sources.items()):
        table.add_row(name, s["kind"], str(s["documents"]), str(s["passages"]), s.get("ingested_at", ""), s["origin"])
    console.print(table)


@sources_app.command("remove")
def sources_remove(name: Annotated[str, typer.Argument(help="Source name, as `curbside sources list` shows it")]) -> None:
    """Remove a source from the index (atomically; other sources are kept)."""
    from rich.console import Console

    from curbside.corpus.ingest import remove_source

    report = remove_source(name)
    Console().print(f"[green]removed[/] {name}: {report.total_passages} passages remain ({report.seconds:.1f} s)")


def _must_exist(path: Path) -> None:
    from curbside.errors import UsageError

    if not path.is_file():
        raise UsageError(f"no such file: {path}")


def _run(spec, no_dense: bool, force: bool) -> None:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from curbside.config import get_settings
    from curbside.corpus.ingest import ingest
    from curbside.index.embed import load_embedder

    settings = get_settings()
    console = Console(stderr=True)
    embedder = None if no_dense else load_embedder(settings.retrieval.dense)
    if embedder is None and not no_dense and settings.retrieval.dense:
        console.print("[yellow]dense model unavailable[/]: building the lexical index only")
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        report = ingest(spec, settings, embedder=embedder, progress=_RichProgress(bar), force=force)
    for problem in report.problems:
        console.print(f"[yellow]skipped[/] {problem}", highlight=False, markup=False)
    out = Console()
    if report.status == "unchanged":
        out.print(f"[green]unchanged[/] {spec.name}: {report.documents} documents, {report.passages} passages (nothing to do)")
        return
    dense = f"{report.embedded} embedded, {report.reused_vectors} from cache" if report.dense else "lexical only"
    out.print(
        f"[green]{report.status}[/] {spec.name}: {report.documents} documents, {report.passages} passages "
        f"({dense}; {len(report.problems)} skipped) in {report.seconds:.1f} s; index holds {report.total_passages} passages"
    )


class _RichProgress:
    def __init__(self, bar) -> None:
        self.bar = bar
        self.task = None

    def stage(self, name: str, total: int) -> None:
        if self.task is not None:
            self.bar.remove_task(self.task)
        self.task = self.bar.add_task(name, total=total)

    def advance(self, n: int) -> None:
        if self.task is not None:
            self.bar.advance(self.task, n)
