"""CPU time of the commands a learner runs, each in a fresh process, around one edit.

Wall time on a shared machine says more about the neighbours than about the code, so each
run is timed by the CPU it used (user + system, its worker processes included: they are
waited for, so the kernel adds them to the command's own). For each size, in rounds (so a
busy spell slows them alike), medians of --repeat:

- ``status`` cold (no index);
- ``status`` after one note changed (a sentence added), the index otherwise current;
- ``check`` and ``notes`` with nothing changed since the last command.

Run:

    python bench/bench_change.py [--sizes 1000 10000] [--repeat 5] [--keep FOLDER]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.corpus import generate

ROOT = Path(__file__).resolve().parent.parent
COMPANION = [sys.executable, "-m", "companion"]
RUNS = ("cold status", "status after one change", "check unchanged", "notes unchanged")


def _env(data: Path) -> dict[str, str]:
    """This checkout's companion, with bytecode caches, its data in ``data``."""
    env = {**os.environ, "COMPANION_DATA_DIR": str(data), "PYTHONPATH": str(ROOT)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def cpu_of(argv: list[str], env: dict[str, str]) -> float:
    """User + system seconds of one fresh process and the processes it waited for."""
    process = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    code = os.waitstatus_to_exitcode(status)
    message = process.stderr.read().decode() if process.stderr else ""
    if process.stderr:
        process.stderr.close()
    if code not in (0, 1):
        raise SystemExit(f"{' '.join(argv)} failed ({code}): {message}")
    return usage.ru_utime + usage.ru_stime


def edit_one(root: Path, round_number: int) -> None:
    """Add a sentence to one note, a different one each round."""
    notes = sorted((root / "notes").rglob("*.md"))
    note = notes[(round_number * 7919) % len(notes)]
    with open(note, "a", encoding="utf-8") as handle:
        handle.write(f"\nOne more sentence on the change, written in round {round_number}.\n")


def measure(root: Path, data: Path, repeat: int) -> dict[str, float]:
    """Median CPU seconds of each run over ``repeat`` rounds."""
    env = _env(data)
    times: dict[str, list[float]] = {name: [] for name in RUNS}
    path = str(root)
    for number in range(repeat):
        shutil.rmtree(data / "portfolios", ignore_errors=True)
        times["cold status"].append(cpu_of([*COMPANION, "status", path], env))
        edit_one(root, number)
        times["status after one change"].append(cpu_of([*COMPANION, "status", path], env))
        times["check unchanged"].append(cpu_of([*COMPANION, "check", path], env))
        times["notes unchanged"].append(cpu_of([*COMPANION, "notes", path], env))
    return {name: statistics.median(values) for name, values in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="generate the portfolios here and keep them")
    args = parser.parse_args()
    base = args.keep or Path(tempfile.mkdtemp(prefix="companion-change-"))
    try:
        for size in args.sizes:
            root = base / f"p{size}"
            if root.exists():
                shutil.rmtree(root)
            generate(root, size)
            figures = measure(root, base / f"data{size}", args.repeat)
            print(f"\n{size:,} notes (CPU seconds, median of {args.repeat})")
            for name in RUNS:
                print(f"  {name:<26} {figures[name]:8.3f}")
    finally:
        if args.keep is None:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
