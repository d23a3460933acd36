"""The engine as a user runs it: a fresh ``companion`` process each time, against its floors.

For each size it times, in turns (so a busy spell slows them alike), medians of --repeat:

- the parse floor: a fresh interpreter reading every note and parsing its front matter
  with libyaml, and the stat floor: one walking the folders and stat-ing every note;
- ``companion status`` cold (no index), unchanged (text), ``--json`` just after the text
  (the status worked out again from the index: only the text was remembered) and
  ``--json`` unchanged (run again, as a tool polling it would);
- the cold status again with the other core kept busy;
- peak memory (RSS) of the cold and unchanged runs;

and, on a small portfolio, ``companion --help`` and ``companion tag``. It prints each figure
with its ratio (the median of the ratios of each round) and the goal it is held to. Run:

    python bench/bench_scale.py [--sizes 1000 10000 50000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.corpus import generate

ROOT = Path(__file__).resolve().parent.parent
COMPANION = [sys.executable, "-m", "companion"]
PARSE_FLOOR = """
import os, sys, yaml
for folder, _, names in os.walk(sys.argv[1]):
    for name in names:
        if name.endswith(".md"):
            with open(os.path.join(folder, name), "rb") as handle:
                text = handle.read().decode("utf-8")
            if text.startswith("---"):
                yaml.load(text[4:text.find("\\n---", 3)], Loader=yaml.CSafeLoader)
"""
STAT_FLOOR = """
import os, sys
for folder, _, names in os.walk(sys.argv[1]):
    for name in names:
        if name.endswith(".md"):
            os.stat(os.path.join(folder, name))
"""
RATIOS = {
    "cold / parse floor": ("cold", "parse floor"),
    "cold busy / parse floor busy": ("cold busy", "parse floor busy"),
    "unchanged / parse floor": ("unchanged", "parse floor"),
    "unchanged / stat floor": ("unchanged", "stat floor"),
    "json / text": ("json", "unchanged"),
}
"""Each ratio's two runs (what is measured, what it is held against)."""
GOALS = {
    "cold / parse floor": 1.5,
    "cold busy / parse floor busy": 1.5,
    "unchanged / parse floor": 0.3,
    "unchanged / stat floor": 4.0,
    "json / text": 1.5,
}
RSS_GOAL_MB = {10_000: 60, 50_000: 200}


def _env(data: Path) -> dict[str, str]:
    """The environment of each run: this checkout's companion, with bytecode caches.

    An installed package has its modules compiled; a shell that turns caching off
    (``PYTHONDONTWRITEBYTECODE``) would make every run compile them all again, about a
    third of a small command's time, so the setting is dropped here.
    """
    env = {**os.environ, "COMPANION_DATA_DIR": str(data), "PYTHONPATH": str(ROOT)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def run_once(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Seconds and peak RSS (MB) of one fresh process; its output is thrown away."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0, 1):
        message = process.stderr.read().decode() if process.stderr else ""
        raise SystemExit(f"{' '.join(argv)} failed ({process.returncode}): {message}")
    if process.stderr:
        process.stderr.close()
    return elapsed, usage.ru_maxrss / 1024


class Busy:
    """Keep one other core busy while a measurement runs."""

    def __enter__(self) -> Busy:
        self.process = subprocess.Popen([sys.executable, "-c", "while True: pass"])
        time.sleep(0.2)
        return self

    def __exit__(self, *exc: object) -> None:
        self.process.kill()
        self.process.wait()


def measure(root: Path, data: Path, repeat: int) -> tuple[dict[str, float], dict[str, float]]:
    """Median seconds (and peak RSS) of each run, and the median of each ratio's per-round values.

    A ratio is worked out within each round, from runs made one after the other, then the
    median taken: the machine's speed drifts over minutes, and a ratio of medians taken from
    different rounds would carry that drift.
    """
    env = _env(data)
    runs: dict[str, list[float]] = {}
    rss: dict[str, list[float]] = {}

    def add(name: str, fn: Callable[[], tuple[float, float]]) -> None:
        seconds, peak = fn()
        runs.setdefault(name, []).append(seconds)
        rss.setdefault(name, []).append(peak)

    def cold() -> tuple[float, float]:
        shutil.rmtree(data / "portfolios", ignore_errors=True)
        return run_once([*COMPANION, "status", str(root)], env)

    for _ in range(repeat):
        add("parse floor", lambda: run_once([sys.executable, "-c", PARSE_FLOOR, str(root)], env))
        add("stat floor", lambda: run_once([sys.executable, "-c", STAT_FLOOR, str(root)], env))
        add("cold", cold)
        add("unchanged", lambda: run_once([*COMPANION, "status", str(root)], env))
        add("json after text", lambda: run_once([*COMPANION, "status", str(root), "--json"], env))
        add("json", lambda: run_once([*COMPANION, "status", str(root), "--json"], env))
        with Busy():
            add(
                "parse floor busy",
                lambda: run_once([sys.executable, "-c", PARSE_FLOOR, str(root)], env),
            )
            add("cold busy", cold)
    figures = {name: statistics.median(values) for name, values in runs.items()}
    figures["rss cold"] = max(rss["cold"])
    figures["rss unchanged"] = max(rss["unchanged"])
    figures["rss json after text"] = max(rss["json after text"])
    ratios = {
        name: statistics.median(a / b for a, b in zip(runs[top], runs[bottom], strict=True))
        for name, (top, bottom) in RATIOS.items()
    }
    return figures, ratios


def small_commands(tmp: Path, repeat: int) -> dict[str, float]:
    """``--help`` and one ``tag`` on a portfolio of 20 notes, each in a fresh process."""
    root = generate(tmp / "small", 20)
    data = tmp / "small-data"
    env = _env(data)
    run_once([*COMPANION, "status", str(root)], env)
    note = next((root / "notes").rglob("*.md"))
    bare = [run_once([sys.executable, "-c", "pass"], env)[0] for _ in range(repeat)]
    helps = [run_once([*COMPANION, "--help"], env)[0] for _ in range(repeat)]
    tags = [
        run_once([*COMPANION, "tag", str(note), f"700/1.{1 + n % 2}", "--where", "p1"], env)[0]
        for n in range(repeat)
    ]
    return {
        "bare interpreter": statistics.median(bare),
        "--help": statistics.median(helps),
        "tag": statistics.median(tags),
    }


def report(size: int, f: dict[str, float], ratios: dict[str, float]) -> None:
    print(f"\n{size:,} notes")
    for name in (
        "parse floor",
        "stat floor",
        "cold",
        "unchanged",
        "json after text",
        "json",
        "parse floor busy",
        "cold busy",
    ):
        print(f"  {name:<30} {f[name]:8.3f} s")
    for name, value in ratios.items():
        goal = GOALS[name]
        mark = "ok" if value <= goal else "OVER"
        print(f"  {name:<30} {value:8.2f}   goal <= {goal:<4}  {mark}")
    for name in ("rss cold", "rss unchanged", "rss json after text"):
        goal = RSS_GOAL_MB.get(size)
        mark = "" if goal is None else ("ok" if f[name] <= goal else "OVER")
        print(f"  {name:<30} {f[name]:8.1f} MB" + (f"  goal <= {goal} MB  {mark}" if goal else ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 50000])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        small = small_commands(base, args.repeat)
        print("small portfolio, fresh process each time")
        for name, value in small.items():
            goal = "" if name == "bare interpreter" else "  goal <= 0.2 s"
            print(f"  {name:<30} {value:8.3f} s{goal}")
        for size in args.sizes:
            root = generate(base / f"p{size}", size)
            figures, ratios = measure(root, base / f"data{size}", args.repeat)
            report(size, figures, ratios)
            shutil.rmtree(root)


if __name__ == "__main__":
    main()
