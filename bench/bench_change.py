"""CPU time of the commands a learner runs, each in a fresh process, around one edit.

Wall time on a shared machine says more about the neighbours than about the code, so each
run is timed by the CPU it used (user + system, its worker processes included: they are
waited for, so the kernel adds them to the command's own). For each size, in rounds (so a
busy spell slows them alike), medians of --repeat:

- ``status`` cold (no index);
- ``status`` after one note changed (a sentence added), the index otherwise current;
- ``check`` and ``notes`` with nothing changed since the last command;
- ``tag`` of one note (what a learner does most, and needs no index).

``--trees`` compares checkouts of companion (a folder holding its ``companion`` package
each) on the same portfolio, taking turns within each round, so a busy spell on the
machine slows them alike. Run:

    python bench/bench_change.py [--sizes 1000 10000] [--repeat 5] [--trees A B]
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
RUNS = ("cold status", "status after one change", "check unchanged", "notes unchanged", "tag")


def _env(data: Path, tree: Path = ROOT) -> dict[str, str]:
    """The companion of ``tree``, with bytecode caches, its data in ``data``."""
    env = {**os.environ, "COMPANION_DATA_DIR": str(data), "PYTHONPATH": str(tree)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def cpu_of(argv: list[str], env: dict[str, str]) -> float:
    """User + system seconds of one fresh process and the processes it waited for, run in
    the tree it imports companion from (``python -m`` puts the working folder first)."""
    process = subprocess.Popen(
        argv,
        env=env,
        cwd=env["PYTHONPATH"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    _, status, usage = os.wait4(process.pid, 0)
    code = os.waitstatus_to_exitcode(status)
    message = process.stderr.read().decode() if process.stderr else ""
    if process.stderr:
        process.stderr.close()
    if code not in (0, 1) or "Traceback" in message:
        raise SystemExit(f"{' '.join(argv)} failed ({code}): {message}")
    return usage.ru_utime + usage.ru_stime


def edit_one(root: Path, round_number: int) -> None:
    """Add a sentence to one note, a different one each round."""
    notes = sorted((root / "notes").rglob("*.md"))
    note = notes[(round_number * 7919) % len(notes)]
    with open(note, "a", encoding="utf-8") as handle:
        handle.write(f"\nOne more sentence on the change, written in round {round_number}.\n")


def measure(root: Path, data: Path, repeat: int, trees: list[Path]) -> list[dict[str, float]]:
    """Median CPU seconds of each run over ``repeat`` rounds, for each tree."""
    envs = [_env(data / str(i), tree) for i, tree in enumerate(trees)]
    times: list[dict[str, list[float]]] = [{name: [] for name in RUNS} for _ in trees]
    path = str(root)
    for number in range(repeat):
        for index, env in enumerate(envs):
            mine = times[index]
            shutil.rmtree(Path(env["COMPANION_DATA_DIR"]) / "portfolios", ignore_errors=True)
            mine["cold status"].append(cpu_of([*COMPANION, "status", path], env))
            edit_one(root, number * len(envs) + index)
            mine["status after one change"].append(cpu_of([*COMPANION, "status", path], env))
            mine["check unchanged"].append(cpu_of([*COMPANION, "check", path], env))
            mine["notes unchanged"].append(cpu_of([*COMPANION, "notes", path], env))
            note = str(sorted((root / "notes").rglob("*.md"))[number])
            tag = [*COMPANION, "tag", note, f"700/1.{1 + (number + index) % 2}", "--where", "p1"]
            mine["tag"].append(cpu_of(tag, env))
    return [{name: statistics.median(values) for name, values in t.items()} for t in times]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="generate the portfolios here and keep them")
    parser.add_argument("--trees", type=Path, nargs="+", default=[ROOT])
    args = parser.parse_args()
    base = args.keep or Path(tempfile.mkdtemp(prefix="companion-change-"))
    try:
        for size in args.sizes:
            root = base / f"p{size}"
            if root.exists():
                shutil.rmtree(root)
            generate(root, size)
            figures = measure(root, base / f"data{size}", args.repeat, args.trees)
            print(f"\n{size:,} notes (CPU seconds, median of {args.repeat})")
            print(f"  {'':<26}" + "".join(f" {tree.name[-12:]:>12}" for tree in args.trees))
            for name in RUNS:
                print(f"  {name:<26}" + "".join(f" {f[name]:12.3f}" for f in figures))
    finally:
        if args.keep is None:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
