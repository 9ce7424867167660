"""Start a real `curbside serve` subprocess for tests, and stop it again."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

UNLIMITED = 1_000_000  # requests per minute: the rate limiter stays out of the way of tests


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_server(data_dir: Path, *, ready_path: str = "/api/v1/health", env: dict[str, str] | None = None,
                   timeout: float = 90) -> Iterator[str]:
    """Run `curbside serve` on a free loopback port with this data dir; yields its base URL once ``ready_path`` answers 200."""
    port = free_port()
    data_dir.mkdir(parents=True, exist_ok=True)
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("CURBSIDE_")}
    full_env.update(CURBSIDE_DATA_DIR=str(data_dir), CURBSIDE_WEB__RATE_LIMIT_PER_MINUTE=str(UNLIMITED), **(env or {}))
    log_path = data_dir / f"server-{port}.log"
    with log_path.open("wb") as log:
        proc = subprocess.Popen([sys.executable, "-m", "curbside", "serve", "--host", "127.0.0.1", "--port", str(port)],
                                env=full_env, stdout=log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + timeout
            while True:
                if proc.poll() is not None:
                    pytest.fail(f"server exited with {proc.returncode}:\n{log_path.read_text()[-3000:]}")
                try:
                    if httpx.get(base + ready_path, timeout=2).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline:
                    pytest.fail(f"server did not start within {timeout:.0f} s")
                time.sleep(0.2)
            yield base
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
