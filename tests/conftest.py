"""Shared fixtures: a clean environment, a temporary data directory, one engine per session."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
MODEL_QUESTION = (
    "What is the best management approach for a patient with chronic back pain, considering "
    "non-pharmacological and pharmacological interventions?"
)


@pytest.fixture(autouse=True)
def clean_environ(monkeypatch, tmp_path_factory):
    """No CURBSIDE_* variable from the developer's shell leaks into a test."""
    for key in list(os.environ):
        if key.startswith("CURBSIDE_"):
            monkeypatch.delenv(key)
    data = tmp_path_factory.getbasetemp() / "curbside-data"
    monkeypatch.setenv("CURBSIDE_DATA_DIR", str(data))
    from curbside.config import get_settings

    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture(scope="session")
def engine(tmp_path_factory):
    """One real engine over the real knowledge base (no corpus), shared by the session."""
    from curbside.config import Settings
    from curbside.engine import Engine

    data = tmp_path_factory.mktemp("engine-data")
    return Engine(Settings(data_dir=data, retrieval={"dense": False}))


def run_cli(*args: str, input: str | None = None, env: dict | None = None, timeout: int = 120) -> subprocess.CompletedProcess:
    """Run the real `curbside` command line as a subprocess."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("CURBSIDE_")}
    full_env.update(env or {})
    full_env.setdefault("CURBSIDE_DATA_DIR", os.environ.get("CURBSIDE_DATA_DIR", "/tmp/curbside-test-data"))
    full_env["COLUMNS"] = "200"
    return subprocess.run([sys.executable, "-m", "curbside", *args], input=input, capture_output=True, text=True,
                          env=full_env, timeout=timeout)


@pytest.fixture(scope="session")
def shipped_engine(tmp_path_factory):
    """The engine with its defaults: the real ONNX model gives the ranker its semantic signal."""
    from curbside.config import Settings
    from curbside.engine import Engine

    engine = Engine(Settings(data_dir=tmp_path_factory.mktemp("shipped-engine-data")))
    assert engine.claim_space is not None, "the ONNX model must load"
    return engine
