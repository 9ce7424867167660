"""The `ingest` and `sources` commands, mounted on a bare Typer app as the main CLI mounts them."""

from __future__ import annotations

import subprocess
import sys

import pytest
import typer
from typer.testing import CliRunner

from curbside.corpus.cli import register
from tests.corpus.conftest import DATA, MEDQUAD_SAMPLE


@pytest.fixture
def app() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def _root() -> None:
        pass

    register(app)
    return app


@pytest.fixture
def run(app, monkeypatch, tmp_path):
    monkeypatch.setenv("CURBSIDE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("CURBSIDE_RETRIEVAL__DENSE", "false")
    from curbside.config import get_settings

    get_settings.cache_clear()
    runner = CliRunner()

    def _run(*args: str):
        return runner.invoke(app, list(args), catch_exceptions=False)

    return _run


def test_ingest_list_remove(run):
    result = run("ingest", "medquad", str(MEDQUAD_SAMPLE))
    assert result.exit_code == 0 and "added medquad" in result.output
    assert "unchanged medquad" in run("ingest", "medquad", str(MEDQUAD_SAMPLE)).output
    result = run("ingest", "folder", str(DATA / "folder_bad"), "--name", "mine")
    assert result.exit_code == 0
    for name in ("broken.pdf", "empty.md", "latin1.txt", "bad-front-matter.md"):
        assert name in result.output  # each malformed file named
    assert run("ingest", "jsonl", str(DATA / "sample.jsonl")).exit_code == 0
    listing = run("sources", "list").output
    assert "medquad" in listing and "mine" in listing and "sample" in listing
    assert "removed mine" in run("sources", "remove", "mine").output
    assert "mine" not in run("sources", "list").output


def test_errors_are_curbside_errors(run):
    from curbside.errors import NotFound, UsageError

    with pytest.raises(UsageError):
        run("ingest", "medquad", str(DATA / "nope.jsonl.gz"))
    with pytest.raises(NotFound):
        run("sources", "remove", "nothing")


def test_importing_the_cli_module_stays_light():
    code = "import sys, curbside.corpus.cli; heavy = {'numpy', 'bm25s', 'onnxruntime', 'tokenizers', 'pypdf'}; print(sorted(heavy & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]"
