"""Fixed cost of `claimledger ingest` on one small post vs a bare one-task Prefect flow.

Both are measured side by side in this run, as whole processes (what a user
waits for).  The baseline runs under Prefect's default settings: no
PREFECT_API_URL, so Prefect starts its temporary server for the run.  Our CLI
records into its background server (started once, before timing, as a user's
first call would).  Each is run REPEATS times with a fresh database; the
first baseline run (which also creates Prefect's database) is reported apart.

Target (issue 2): median claimledger time <= 0.5 x median bare-flow time, and
nothing on stderr.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
REPEATS = int(os.environ.get("BENCH_REPEATS", 5))
POST = """---
title: 基准测试短文
date: 2026-01-05
---

据统计，2025年全国算力规模约为280 EFLOPS，较上年增长超过30%。
"""
BARE_FLOW = """
from prefect import flow, task

@task
def one():
    return 1

@flow
def bare():
    return one()

if __name__ == "__main__":
    bare()
"""


def _timed(cmd: list[str], env: dict[str, str], cwd: Path) -> tuple[float, str]:
    start = time.perf_counter()
    proc = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True, timeout=600)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    return elapsed, proc.stderr


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="bench-cli-"))
    base_env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "CLAIMLEDGER_"))}

    bare_env = {**base_env, "PREFECT_HOME": str(work / "bare-prefect-home")}
    (work / "bare.py").write_text(BARE_FLOW)
    bare = [_timed([sys.executable, "bare.py"], bare_env, work)[0] for _ in range(REPEATS + 1)]

    cl_env = {**base_env, "CLAIMLEDGER_HOME": str(work / "cl-home")}
    (work / "post.md").write_text(POST, encoding="utf-8")
    claimledger = str(BIN / "claimledger")
    _timed([claimledger, "ingest", "post.md", "--db", str(work / "warmup.db")], cl_env, work)
    ours, noise = [], []
    for i in range(REPEATS):
        elapsed, stderr = _timed([claimledger, "ingest", "post.md", "--db", str(work / f"run{i}.db")],
                                 cl_env, work)
        ours.append(elapsed)
        if stderr.strip():
            noise.append(stderr.strip())
    subprocess.run([claimledger, "server", "stop"], env=cl_env, cwd=work, capture_output=True)

    bare_median = statistics.median(bare[1:])
    ours_median = statistics.median(ours)
    print(f"bare one-task flow, default settings: first {bare[0]:.2f} s, "
          f"then median {bare_median:.2f} s over {REPEATS} runs")
    print(f"claimledger ingest (one small post):  median {ours_median:.2f} s over {REPEATS} runs "
          f"(min {min(ours):.2f}, max {max(ours):.2f})")
    print(f"ratio claimledger / bare flow: {ours_median / bare_median:.2f} (target <= 0.50)")
    print(f"stderr lines from claimledger runs: {sum(len(n.splitlines()) for n in noise)}")
    for n in noise[:3]:
        print("  " + n.replace("\n", "\n  "))


if __name__ == "__main__":
    main()
