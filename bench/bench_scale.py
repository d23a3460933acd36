"""The engine as a user runs it: a fresh ``companion`` process each time, against a floor.

Figures are CPU time (user + sys, of the command and every process it starts, index workers
included), because wall time on a shared two-core machine carries whatever else runs. Each
round runs, one after the other, each as a fresh process:

- the floor: read every note, parse its front matter with libyaml (``CSafeLoader``) and run
  one compiled regex over its body;
- ``companion status`` cold (no index), then unchanged, then just after one note changed;
- ``companion check``, ``companion notes`` and ``companion export matrix`` just after the
  change (shown, no goal), then each again with nothing changed since, and
  ``companion status --json`` unchanged;

and each command's ratio to the floor of its own round is taken, then the median of the
rounds' ratios printed beside its goal. Memory is the sum of the peak RSS of every process
of a command (the command itself from ``wait4``, its workers sampled from ``/proc`` while
they run); memory per note is what a cold status at that size takes beyond one of a small
portfolio, divided by the notes. On a small portfolio ``--version``, ``--help`` and one
``tag`` are timed against a bare interpreter. Run:

    python bench/bench_scale.py [--sizes 1000 10000 50000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.corpus import generate

ROOT = Path(__file__).resolve().parent.parent
COMPANION = [sys.executable, "-m", "companion"]
FLOOR = """
import os, re, sys, yaml
years = re.compile(r"\\([^()\\n]*\\b\\d{4}\\b[^()\\n]*\\)")
for folder, _, names in os.walk(sys.argv[1]):
    for name in names:
        if name.endswith(".md"):
            with open(os.path.join(folder, name), "rb") as handle:
                text = handle.read().decode("utf-8")
            if text.startswith("---"):
                end = text.find("\\n---", 3)
                yaml.load(text[4:end], Loader=yaml.CSafeLoader)
                years.findall(text, end + 4)
"""
"""Floor (c): what any reader of the notes must do, in one process."""

GOALS = {
    "cold status": 4.0,
    "status, one note changed": 0.25,
    "check": 0.4,
    "notes": 0.4,
    "export matrix": 0.4,
    "status unchanged": 0.2,
}
"""Each command's CPU time against the floor's in the same round."""
JSON_MEMORY_GOAL_MB = 50.0
"""Peak memory of ``status --json`` with nothing changed."""
MEMORY_GOAL_KB = 2.0
"""Memory of a cold status per note, every process counted."""
SMALL_GOALS = {"--version": 2.5, "--help": 2.5}
"""CPU time against a bare interpreter (``python -c pass``)."""
TAG_GOAL = 0.060
"""CPU seconds of one ``tag``."""
SMALL_NOTES = 100


@dataclass(frozen=True)
class Run:
    """One fresh process: CPU seconds (its own and its children's), wall seconds, and the
    sum of the peak RSS (MB) of it and every process it started."""

    cpu: float
    wall: float
    rss_mb: float


def _env(data: Path) -> dict[str, str]:
    """The environment of each run: this checkout's companion, with bytecode caches.

    An installed package has its modules compiled; a shell that turns caching off
    (``PYTHONDONTWRITEBYTECODE``) would make every run compile them all again, about a
    third of a small command's time, so the setting is dropped here.
    """
    env = {**os.environ, "COMPANION_DATA_DIR": str(data), "PYTHONPATH": str(ROOT)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def _parents() -> dict[int, int]:
    """Every process's parent, read from ``/proc``."""
    out: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as handle:
                    stat = handle.read()
            except OSError:
                continue
            out[int(entry)] = int(stat[stat.rindex(b")") + 2 :].split()[1])
    return out


def _peak_kb(pid: int) -> int | None:
    """The peak RSS (VmHWM) of a running process, in KB."""
    try:
        with open(f"/proc/{pid}/status", "rb") as handle:
            for line in handle:
                if line.startswith(b"VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


class Descendants:
    """The peak RSS of every process below ``pid`` (not ``pid`` itself), sampled from
    ``/proc`` every ``interval`` seconds while the command runs. A peak only grows, so a
    worker read some time before it exits is read at nearly its peak."""

    def __init__(self, pid: int, interval: float = 0.05) -> None:
        self.pid = pid
        self.interval = interval
        self.peaks: dict[int, int] = {}
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()

    def _watch(self) -> None:
        while not self._done.wait(self.interval):
            parents = _parents()
            below = {self.pid}
            for _ in range(4):  # workers and what they start
                below |= {pid for pid, parent in parents.items() if parent in below}
            for pid in below - {self.pid}:
                peak = _peak_kb(pid)
                if peak is not None:
                    self.peaks[pid] = max(peak, self.peaks.get(pid, 0))

    def stop(self) -> int:
        """The sum of the peaks seen, in KB."""
        self._done.set()
        self._thread.join()
        return sum(self.peaks.values())


def run_once(argv: list[str], env: dict[str, str]) -> Run:
    """CPU, wall and memory of one fresh process; its output is thrown away."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    process = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    watch = Descendants(process.pid)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    workers_kb = watch.stop()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    process.returncode = os.waitstatus_to_exitcode(status)
    message = process.stderr.read().decode() if process.stderr else ""
    if process.stderr:
        process.stderr.close()
    if process.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(argv)} failed ({process.returncode}): {message}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Run(cpu, wall, (usage.ru_maxrss + workers_kb) / 1024)


def _change(note: Path, round_number: int) -> None:
    """Edit one note as a learner would: one more sentence."""
    with note.open("a", encoding="utf-8") as handle:
        handle.write(f"\nOne more sentence, written in round {round_number}.\n")


def measure(root: Path, data: Path, repeat: int) -> dict[str, list[Run]]:
    """Every command's runs, ``repeat`` rounds of them, each round's in turn."""
    env = _env(data)
    out = root.parent / f"{root.name}-matrix.md"
    notes = sorted((root / "notes").rglob("*.md"))
    matrix = [*COMPANION, "export", "matrix", str(root), "--out", str(out)]
    runs: dict[str, list[Run]] = {}
    commands: dict[str, Callable[[int], Run]] = {
        "floor": lambda n: run_once([sys.executable, "-c", FLOOR, str(root)], env),
        "cold status": lambda n: (
            shutil.rmtree(data / "portfolios", ignore_errors=True),
            run_once([*COMPANION, "status", str(root)], env),
        )[1],
        "status unchanged": lambda n: run_once([*COMPANION, "status", str(root)], env),
        "status, one note changed": lambda n: (
            _change(notes[n * 7919 % len(notes)], n),
            run_once([*COMPANION, "status", str(root)], env),
        )[1],
        # Each of these is run just after the change (it works out what changed), then
        # again with nothing changed since, as a learner running it twice sees it.
        "check after the change": lambda n: run_once([*COMPANION, "check", str(root)], env),
        "check": lambda n: run_once([*COMPANION, "check", str(root)], env),
        "notes after the change": lambda n: run_once([*COMPANION, "notes", str(root)], env),
        "notes": lambda n: run_once([*COMPANION, "notes", str(root)], env),
        "export matrix after the change": lambda n: run_once(matrix, env),
        "export matrix": lambda n: run_once(matrix, env),
        # The first JSON status after a change works it out and remembers it; the second
        # is the unchanged one a script sees.
        "status --json unchanged": lambda n: (
            run_once([*COMPANION, "status", str(root), "--json"], env),
            run_once([*COMPANION, "status", str(root), "--json"], env),
        )[1],
    }
    for n in range(repeat):
        for name, command in commands.items():
            runs.setdefault(name, []).append(command(n))
    return runs


def small_commands(tmp: Path, repeat: int) -> dict[str, list[Run]]:
    """A bare interpreter, ``--version``, ``--help`` and one ``tag`` on a small portfolio,
    each in a fresh process, in turns."""
    root = generate(tmp / "small", SMALL_NOTES)
    env = _env(tmp / "small-data")
    run_once([*COMPANION, "status", str(root)], env)
    note = next((root / "notes").rglob("*.md"))
    runs: dict[str, list[Run]] = {}
    for n in range(repeat):
        for name, argv in (
            ("bare interpreter", [sys.executable, "-c", "pass"]),
            ("--version", [*COMPANION, "--version"]),
            ("--help", [*COMPANION, "--help"]),
            ("tag", [*COMPANION, "tag", str(note), f"700/1.{1 + n % 2}", "--where", "p1"]),
            ("cold status", [*COMPANION, "status", str(root)]),
        ):
            if name == "cold status":
                shutil.rmtree(tmp / "small-data" / "portfolios", ignore_errors=True)
            runs.setdefault(name, []).append(run_once(argv, env))
    return runs


def _ratio(runs: dict[str, list[Run]], top: str, bottom: str) -> float:
    """The median over rounds of ``top``'s CPU over ``bottom``'s in the same round: the
    machine's speed drifts over minutes, and a ratio of medians would carry the drift."""
    pairs = zip(runs[top], runs[bottom], strict=True)
    return statistics.median(a.cpu / b.cpu for a, b in pairs)


def _mark(value: float, goal: float) -> str:
    return "met" if value <= goal else "NOT MET"


def report_small(runs: dict[str, list[Run]]) -> float:
    """Print the small commands; return the cold status's memory (MB), the baseline."""
    print(f"\nsmall portfolio ({SMALL_NOTES} notes), fresh process each time")
    print(f"  {'':<32} {'CPU s':>8} {'wall s':>8} {'ratio':>7}  goal")
    for name, values in runs.items():
        cpu = statistics.median(r.cpu for r in values)
        wall = statistics.median(r.wall for r in values)
        line = f"  {name:<32} {cpu:8.3f} {wall:8.3f}"
        if name in SMALL_GOALS:
            ratio = _ratio(runs, name, "bare interpreter")
            goal = SMALL_GOALS[name]
            line += f" {ratio:6.2f}x  <= {goal}x bare: {_mark(ratio, goal)}"
        elif name == "tag":
            line += f" {'':>7}  <= {TAG_GOAL * 1000:.0f} ms CPU: {_mark(cpu, TAG_GOAL)}"
        print(line)
    return statistics.median(r.rss_mb for r in runs["cold status"])


def report(size: int, runs: dict[str, list[Run]], baseline_mb: float) -> None:
    print(f"\n{size:,} notes (medians of {len(runs['floor'])} rounds)")
    print(f"  {'':<32} {'CPU s':>8} {'wall s':>8} {'/ floor':>7}  goal {'':>12} {'peak MB':>8}")
    for name, values in runs.items():
        cpu = statistics.median(r.cpu for r in values)
        wall = statistics.median(r.wall for r in values)
        rss = statistics.median(r.rss_mb for r in values)
        line = f"  {name:<32} {cpu:8.3f} {wall:8.3f}"
        if name in GOALS:
            ratio, goal = _ratio(runs, name, "floor"), GOALS[name]
            line += f" {ratio:6.2f}x  <= {goal:<4}x {_mark(ratio, goal):>8}"
        else:
            line += f" {'':>7}  {'':>18}"
        if name == "status --json unchanged":
            line += (
                f" {rss:8.1f}  <= {JSON_MEMORY_GOAL_MB:.0f} MB {_mark(rss, JSON_MEMORY_GOAL_MB)}"
            )
            print(line)
            continue
        print(f"{line} {rss:8.1f}")
    cold = statistics.median(r.rss_mb for r in runs["cold status"])
    per_note = (cold - baseline_mb) * 1024 / size
    print(
        f"  memory of a cold status: {cold:.1f} MB, every process counted; beyond a "
        f"{SMALL_NOTES}-note portfolio's {baseline_mb:.1f} MB: {per_note:.2f} KB a note "
        f"(goal <= {MEMORY_GOAL_KB} KB): {_mark(per_note, MEMORY_GOAL_KB)}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 50000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        baseline = report_small(small_commands(base, args.repeat))
        for size in args.sizes:
            root = generate(base / f"p{size}", size)
            report(size, measure(root, base / f"data{size}", args.repeat), baseline)
            shutil.rmtree(root)


if __name__ == "__main__":
    main()
