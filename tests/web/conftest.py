"""Fixtures for the web tests: an app on a temporary data dir, a TestClient, and a real server.

The engine and knowledge base are the real ones (loaded once per session); nothing here builds
answers by hand.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from curbside.config import Settings
from curbside.web.app import create_app
from tests.servers import running_server

MODEL_QUESTION = (
    "What is the best management approach for a patient with chronic back pain, considering "
    "non-pharmacological and pharmacological interventions?"
)
UNLIMITED = 1_000_000  # requests a minute: tests measure behaviour, not the limiter (except its own tests)


@pytest.fixture(scope="session")
def model_question() -> str:
    """The question of the model page (seed/answer-page.txt)."""
    return MODEL_QUESTION


@pytest.fixture(scope="session", autouse=True)
def _clean_environ() -> Iterator[None]:
    """No CURBSIDE_* variable from the developer's shell leaks into the tests."""
    mp = pytest.MonkeyPatch()
    for key in [k for k in os.environ if k.startswith("CURBSIDE_")]:
        mp.delenv(key)
    yield
    mp.undo()


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("curbside-data")


@pytest.fixture(scope="session")
def settings(data_dir: Path) -> Settings:
    return Settings(data_dir=data_dir, web={"rate_limit_per_minute": UNLIMITED})


@pytest.fixture(scope="session")
def app(settings: Settings):
    return create_app(settings)


@pytest.fixture(scope="session")
def client(app) -> Iterator[TestClient]:
    with TestClient(app) as c:
        yield c


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real `curbside serve` (the same command code) on a free loopback port; yields its base URL."""
    with running_server(tmp_path_factory.mktemp("serve-data")) as base:
        yield base
