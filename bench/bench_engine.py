"""Benchmark the engine in one process on realistic portfolios of 100, 1,000 and 10,000 notes.

The notes come from ``bench/corpus.py``: headings, lists, citations and a reference list,
dates, numbers and phone-like figures, so every rule's costly pattern runs. Measures: a
bare read + CSafeLoader parse of the same files (the floor), a cold index (no cache; shared
with worker processes where they win) and the same in one process, opening the portfolio
again with its index, an unchanged re-scan of an open portfolio, building the status JSON,
and one tag write. ``bench/bench_scale.py`` measures the same as a user runs it, a fresh
process each time. Run:

    python bench/bench_engine.py [--sizes 100 1000 10000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.corpus import generate
from companion.assessment.status import build_status, status_json
from companion.content.load import load_content
from companion.notes.file import read_note_file
from companion.notes.tags import tag_note
from companion.portfolio import index as index_build
from companion.portfolio.portfolio import Portfolio


def timed(fn: Callable[[], object], repeat: int) -> float:
    """Median seconds of ``repeat`` runs."""
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def timed_together(runs: dict[str, Callable[[], object]], repeat: int) -> dict[str, float]:
    """Median seconds of each of ``runs``, which take turns ``repeat`` times over."""
    times: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(repeat):
        for name, fn in runs.items():
            start = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in times.items()}


def bare_parse(root: Path) -> None:
    """The floor: read every file and parse its front matter with libyaml."""
    for dirpath, _, files in os.walk(root):
        for name in files:
            if name.endswith(".md"):
                text = Path(dirpath, name).read_text(encoding="utf-8")
                if text.startswith("---"):
                    end = text.find("\n---", 3)
                    yaml.load(text[4:end], Loader=yaml.CSafeLoader)


def run(size: int, repeat: int) -> dict[str, float]:
    content = load_content()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "portfolio"
        generate(root, size)
        os.environ["COMPANION_DATA_DIR"] = str(Path(tmp) / "data")
        figures: dict[str, float] = {}

        def cold() -> None:
            data = Path(tmp) / "data"
            for index in data.glob("portfolios/*/index.sqlite*"):
                index.unlink()
            portfolio = Portfolio(root, content)
            portfolio.scan()
            portfolio.close()

        def cold_one_process() -> None:
            workers = index_build.worker_count
            index_build.worker_count = lambda jobs: 1  # the same index without workers
            try:
                cold()
            finally:
                index_build.worker_count = workers

        # The floor and the cold index take turns, so a busy spell slows them alike.
        figures.update(
            timed_together(
                {
                    "bare_parse": lambda: bare_parse(root),
                    "cold_index": cold,
                    "cold_one_process": cold_one_process,
                },
                repeat,
            )
        )

        def reopen() -> None:
            again = Portfolio(root, content)
            again.scan()
            again.close()

        figures["reopen"] = timed(reopen, repeat)
        portfolio = Portfolio(root, content)
        portfolio.scan()
        figures["rescan_unchanged"] = timed(portfolio.scan, repeat)
        figures["status_json"] = timed(
            lambda: json.dumps(status_json(build_status(portfolio))), repeat
        )
        note = next((root / "notes").rglob("*.md"))

        def one_tag() -> None:
            snapshot = read_note_file(note)
            tag_note(note, content, "700/1.1", where="p1", since=snapshot)

        figures["tag_write"] = timed(one_tag, repeat)
        portfolio.close()
        return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(
        f"{'notes':>7} {'bare parse':>11} {'cold index':>11} {'ratio':>6} "
        f"{'1 process':>10} {'ratio':>6} {'reopen':>9} "
        f"{'re-scan':>9} {'status':>9} {'tag write':>10}"
    )
    for size in args.sizes:
        f = run(size, args.repeat)
        ratio = f["cold_index"] / f["bare_parse"] if f["bare_parse"] else float("nan")
        single = f["cold_one_process"] / f["bare_parse"] if f["bare_parse"] else float("nan")
        print(
            f"{size:>7} {f['bare_parse']:>10.3f}s {f['cold_index']:>10.3f}s {ratio:>6.2f} "
            f"{f['cold_one_process']:>9.3f}s {single:>6.2f} "
            f"{f['reopen']:>8.3f}s "
            f"{f['rescan_unchanged']:>8.3f}s {f['status_json']:>8.3f}s "
            f"{f['tag_write'] * 1000:>8.1f}ms"
        )


if __name__ == "__main__":
    main()
