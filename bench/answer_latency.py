"""Answer latency: p50/p95 of 200 varied questions in a warm process, and a cold `curbside ask`.

Targets (issue 3): warm p95 <= 50 ms; cold CLI <= 1.5 s. Prints figures and ratios; asserts nothing.
Questions are taken from the routing sets in eval/ (and a few out-of-scope ones), cycled to 200.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
WARM_TARGET_MS = 50.0
COLD_TARGET_S = 1.5


def questions(n: int = 200) -> list[str]:
    qs: list[str] = []
    for f in sorted(p for d in ("routing", "drugs", "threads") for p in (REPO / "eval" / d).glob("*.jsonl")):
        for line in f.read_text().splitlines():
            if line.strip():
                rec = json.loads(line)
                qs += [t["question"] for t in rec["turns"]] if "turns" in rec else [rec["question"]]
    qs += ["What is the capital of France?", "What is the treatment for sarcoidosis?", "back pain and numb groin, can't pee"]
    step = max(1, len(qs) // n)
    picked = qs[::step][:n]
    while len(picked) < n:
        picked += qs[: n - len(picked)]
    return picked


def warm(qs: list[str]) -> list[float]:
    from curbside.config import Settings
    from curbside.engine import Engine

    engine = Engine(Settings(data_dir=Path(tempfile.mkdtemp(prefix="curbside-bench-"))))
    engine.ask("warm up: chronic low back pain")
    out = []
    for q in qs:
        t = time.perf_counter()
        engine.ask(q)
        out.append((time.perf_counter() - t) * 1000)
    return out


def cold(runs: int = 5) -> list[float]:
    env = dict(os.environ, CURBSIDE_DATA_DIR=tempfile.mkdtemp(prefix="curbside-bench-cold-"))
    cli = [sys.executable, "-m", "curbside", "ask", "What is the first-line drug for chronic back pain?", "-f", "json"]
    subprocess.run(cli, env=env, capture_output=True, check=True)  # builds the knowledge-base cache once
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cli, env=env, capture_output=True, check=True)
        times.append(time.perf_counter() - t)
    return times


def main() -> None:
    qs = questions()
    lat = sorted(warm(qs))
    p50, p95 = statistics.median(lat), lat[int(0.95 * (len(lat) - 1))]
    print(f"warm: {len(lat)} questions  p50 {p50:.1f} ms  p95 {p95:.1f} ms  max {lat[-1]:.1f} ms  "
          f"(target p95 <= {WARM_TARGET_MS:.0f} ms: {p95 / WARM_TARGET_MS:.2f}x of target)")
    c = cold()
    med = statistics.median(c)
    print(f"cold CLI `curbside ask`: median {med:.2f} s  min {min(c):.2f} s  max {max(c):.2f} s  "
          f"(target <= {COLD_TARGET_S} s: {med / COLD_TARGET_S:.2f}x of target)")


if __name__ == "__main__":
    main()
