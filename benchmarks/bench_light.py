"""How light the default run is (issue 15, part 6): peak memory, extract start-up, no PyTorch.

Three measurements, all of whole ``claimledger`` processes, taken in this run
and printed against the targets:

(a) peak RSS of ``claimledger ingest`` of the 25 national government work
    reports (``../shared/corpora/gov-reports-national/``) into a fresh SQLite
    file, with a fresh ``CLAIMLEDGER_HOME`` (so Prefect's extraction cache is
    cold: every report is really extracted).  The background Prefect server
    is started first by a warm-up ingest of one small post, as a user's first
    call would; it is a separate process (its own session, not a child of the
    measured command), so the number is the claimledger process itself: the
    ``ru_maxrss`` that ``os.wait4`` reports for it.  The warm-up also builds
    the compact jieba word table cached in the temp dir if this machine has
    none yet (once per machine, as jieba's own cache beside it).  The same ingest with
    ``--prefect off`` is shown for comparison.  Target <= 250 MB.
(b) wall time of ``claimledger extract`` of one small example file, best of
    ``BENCH_REPEATS`` (default 5).  Target <= 1.5 s.  The wall time follows
    the machine's load (printed with the results), so the CPU time (user +
    system, from the same ``os.wait4``) is printed beside it.
(c) whether the default path imports PyTorch (and which of HanLP, Prefect,
    SQLAlchemy it imports): a ``claimledger extract`` inside a fresh
    interpreter that prints ``sys.modules`` afterwards.  Target: no torch.

Exit status 0 whatever the numbers: this reports, the tests assert.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
CLAIMLEDGER = str(BIN / "claimledger")
REPORTS = ROOT.parent / "shared" / "corpora" / "gov-reports-national"
SMALL = ROOT / "examples" / "zh_policy_notes.txt"
REPEATS = int(os.environ.get("BENCH_REPEATS", 5))
RSS_TARGET_MB = 250.0
EXTRACT_TARGET_S = 1.5
WARMUP_POST = "---\ntitle: 预热\n---\n\n2025年算力规模增长30%。\n"
MODULES = ("torch", "hanlp", "spacy", "prefect", "sqlalchemy")


def run_measured(cmd: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak RSS (MB) of one process; raises SystemExit if it fails."""
    with tempfile.TemporaryFile() as stderr:  # a file, not a pipe: wait4 must not block on a full pipe
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=stderr)
        _, status, usage = os.wait4(proc.pid, 0)  # rusage of this process alone, not of the Prefect server
        elapsed = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            stderr.seek(0)
            raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n"
                             f"{stderr.read().decode(errors='replace')[-2000:]}")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024  # Linux reports kilobytes


def ingest_peak(env: dict[str, str], work: Path, *extra: str) -> tuple[float, float, float]:
    db = work / f"reports{'-'.join(extra)}.db"
    return run_measured([CLAIMLEDGER, "ingest", str(REPORTS), "--db", f"sqlite:///{db}", *extra], env, work)


def extract_best(env: dict[str, str], work: Path) -> tuple[float, float, float]:
    """Best wall and best CPU seconds over the repeats, and the largest peak RSS (MB)."""
    runs = [run_measured([CLAIMLEDGER, "extract", str(SMALL)], env, work) for _ in range(REPEATS)]
    return min(t for t, _, _ in runs), min(c for _, c, _ in runs), max(m for _, _, m in runs)


def default_path_modules(env: dict[str, str], work: Path) -> dict[str, bool]:
    code = (f"import sys; sys.argv = ['claimledger', 'extract', {str(SMALL)!r}]\n"
            "from flows.cli import main\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            f"import json; print(); print(json.dumps({{m: m in sys.modules for m in {MODULES!r}}}))")
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True,
                         timeout=300, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def main() -> None:
    if not REPORTS.is_dir():
        raise SystemExit(f"{REPORTS} not found (../shared beside the checkout)")
    work = Path(tempfile.mkdtemp(prefix="bench-light-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "CLAIMLEDGER_"))}
    env["CLAIMLEDGER_HOME"] = str(work / "home")
    load_before = os.getloadavg()
    try:
        (work / "warmup.md").write_text(WARMUP_POST, encoding="utf-8")
        run_measured([CLAIMLEDGER, "ingest", "warmup.md", "--db", str(work / "warmup.db")], env, work)
        ingest_s, _, ingest_mb = ingest_peak(env, work)
        off_s, _, off_mb = ingest_peak(env, work, "--prefect", "off")
        extract_s, extract_cpu, extract_mb = extract_best(env, work)
        modules = default_path_modules(env, work)
    finally:
        subprocess.run([CLAIMLEDGER, "server", "stop"], env=env, cwd=work, capture_output=True)

    reports = len(list(REPORTS.glob("*.txt")))
    print(f"machine: {os.cpu_count()} cores, load average {load_before[0]:.1f} before and "
          f"{os.getloadavg()[0]:.1f} after (wall times grow with it)")
    print(f"(a) claimledger ingest of {reports} national reports (Prefect run, cold cache): "
          f"peak RSS {ingest_mb:.0f} MB in {ingest_s:.1f} s (target <= {RSS_TARGET_MB:.0f} MB: "
          f"{verdict(ingest_mb <= RSS_TARGET_MB)})")
    print(f"    same with --prefect off: peak RSS {off_mb:.0f} MB in {off_s:.1f} s")
    print(f"(b) claimledger extract {SMALL.name}: best {extract_s:.2f} s of {REPEATS} (best CPU "
          f"{extract_cpu:.2f} s), peak RSS {extract_mb:.0f} MB (target <= {EXTRACT_TARGET_S} s: "
          f"{verdict(extract_s <= EXTRACT_TARGET_S)})")
    print(f"(c) default path imports torch: {modules['torch']} (target False: {verdict(not modules['torch'])}); "
          + ", ".join(f"{m}: {v}" for m, v in modules.items() if m != "torch"))


if __name__ == "__main__":
    main()
