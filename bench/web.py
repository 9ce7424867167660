"""Benchmark ``POST /api/v1/answers``: 8 concurrent clients on loopback for 30 s.

Starts ``curbside serve`` on a free loopback port with a temporary data directory and the rate
limit raised out of the way (or uses ``--url`` of a running server), then runs ``--clients``
threads, each with its own keep-alive connection, asking a rotating set of questions until
``--seconds`` pass (and at most ``--max-requests`` in all). Prints requests/s, latency
percentiles and errors; exits 1 when ``--check`` is given and p95 > 150 ms or any request failed.

    .venv/bin/python bench/web.py                  # 8 clients, 30 s
    .venv/bin/python bench/web.py --seconds 5 --check
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import httpx

QUESTIONS = [
    "What is the best management approach for a patient with chronic back pain, considering "
    "non-pharmacological and pharmacological interventions?",
    "First-line treatment for hypertension in a 58 year old man without diabetes?",
    "Which antidepressant for a woman with depression who is breastfeeding?",
    "metformin dose when eGFR is 35",
    "Should I order an MRI for chronic low back pain without red flags?",
    "How is atrial fibrillation anticoagulation decided in an 80-year-old?",
    "What are the red flags in low back pain that need urgent referral?",
    "Heart failure with reduced ejection fraction: which drugs improve survival?",
]
P95_TARGET_MS = 150.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def _server():
    """A `curbside serve` on loopback with a temporary data dir; yields its base URL."""
    port = _free_port()
    with tempfile.TemporaryDirectory(prefix="curbside-bench-") as data:
        env = {**os.environ, "CURBSIDE_DATA_DIR": data, "CURBSIDE_WEB__RATE_LIMIT_PER_MINUTE": "100000000"}
        src = Path(__file__).resolve().parents[1] / "src"
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(src), env.get("PYTHONPATH")]))
        proc = subprocess.Popen(
            [sys.executable, "-m", "curbside.web.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                if proc.poll() is not None:
                    raise SystemExit(f"server exited: {proc.stderr.read().decode()[-2000:]}")
                try:
                    if httpx.get(f"{base}/api/v1/health", timeout=2).status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.2)
            else:
                raise SystemExit("server did not start in 120 s")
            yield base
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


def _worker(base: str, index: int, stop_at: float, budget: list[int], lock: threading.Lock,
            latencies: list[float], errors: list[str]) -> None:
    with httpx.Client(base_url=base, timeout=10) as client:
        n = index
        while time.monotonic() < stop_at:
            with lock:
                if budget[0] <= 0:
                    return
                budget[0] -= 1
            question = QUESTIONS[n % len(QUESTIONS)]
            n += 1
            started = time.perf_counter()
            try:
                r = client.post("/api/v1/answers", json={"question": question, "audience": "clinician"})
                ok = r.status_code == 200
                detail = f"HTTP {r.status_code}"
            except httpx.HTTPError as exc:
                ok, detail = False, type(exc).__name__
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                latencies.append(elapsed)
                if not ok:
                    errors.append(detail)


def run(base: str, clients: int, seconds: float, max_requests: int) -> dict:
    """Runs the load and returns the figures."""
    with httpx.Client(base_url=base, timeout=60) as warm:  # first answer loads caches; not measured
        warm.post("/api/v1/answers", json={"question": QUESTIONS[0]}).raise_for_status()
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    budget = [max_requests]
    started = time.monotonic()
    threads = [threading.Thread(target=_worker, args=(base, i, started + seconds, budget, lock, latencies, errors))
               for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.monotonic() - started
    q = statistics.quantiles(latencies, n=100, method="inclusive") if len(latencies) > 1 else latencies * 99
    return {
        "clients": clients, "seconds": round(wall, 2), "requests": len(latencies),
        "requests_per_s": round(len(latencies) / wall, 1),
        "p50_ms": round(q[49], 1), "p95_ms": round(q[94], 1), "p99_ms": round(q[98], 1),
        "max_ms": round(max(latencies), 1), "errors": len(errors),
        "error_kinds": sorted(set(errors))[:5],
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--url", help="Benchmark a running server instead of starting one")
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--max-requests", type=int, default=1_000_000, help="Stop after this many requests in all")
    ap.add_argument("--json", action="store_true", help="Print the figures as JSON")
    ap.add_argument("--check", action="store_true", help=f"Exit 1 unless p95 <= {P95_TARGET_MS:.0f} ms and no errors")
    args = ap.parse_args()

    if args.url:
        figures = run(args.url.rstrip("/"), args.clients, args.seconds, args.max_requests)
    else:
        with _server() as base:
            figures = run(base, args.clients, args.seconds, args.max_requests)
    if args.json:
        print(json.dumps(figures))
    else:
        print(f"POST /api/v1/answers, {figures['clients']} clients, {figures['seconds']} s on loopback")
        print(f"  requests: {figures['requests']}  ({figures['requests_per_s']} req/s)")
        print(f"  latency:  p50 {figures['p50_ms']} ms  p95 {figures['p95_ms']} ms  p99 {figures['p99_ms']} ms"
              f"  max {figures['max_ms']} ms  (target p95 <= {P95_TARGET_MS:.0f} ms)")
        print(f"  errors:   {figures['errors']}" + (f"  {figures['error_kinds']}" if figures["errors"] else ""))
    if args.check and (figures["p95_ms"] > P95_TARGET_MS or figures["errors"]):
        sys.exit(1)


if __name__ == "__main__":
    main()
