"""Benchmark full-text search on generated portfolios of 1,000 and 10,000 notes (bench/corpus.py).

Measures, each size in a fresh temporary portfolio and data folder:

- the note index's first scan (what opening the portfolio costs anyway, for scale);
- the first text index: every note read into ``search.sqlite`` (once, when a search is
  first asked for);
- a search in-process once the index exists (the app's case): a common word, two words,
  a phrase, a prefix and a rare word, the best of several runs each;
- ``companion search`` as a fresh process once the index exists (start, walk the folder,
  compare with the index, search, print), the median of several runs;
- the same right after one note changed (that note is read again, the rest are not).

Run:  python bench/bench_search.py [--sizes 1000 10000] [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.corpus import generate
from companion.portfolio.portfolio import Portfolio
from companion.portfolio.search import search_notes
from companion.text.search_query import parse_query

QUERIES = ("Schein", "governance risk", '"leading change"', "procure*", "E00042")


def _timed(action) -> tuple[float, object]:
    start = time.perf_counter()
    value = action()
    return time.perf_counter() - start, value


def _fresh_search(root: Path, query: str, env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "companion", "search", str(root), query],
        env=env,
        stdout=subprocess.DEVNULL,
        check=False,
    )
    return time.perf_counter() - start


def bench(size: int, runs: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        root = generate(base / "portfolio", size)
        env = {**os.environ, "COMPANION_DATA_DIR": str(base / "data")}
        os.environ["COMPANION_DATA_DIR"] = env["COMPANION_DATA_DIR"]
        portfolio = Portfolio(root)
        scan, _ = _timed(portfolio.scan)
        first, results = _timed(lambda: search_notes(portfolio, parse_query("Schein"), limit=50))
        size_mb = (base / "data").rglob("search.sqlite")
        index_bytes = sum(p.stat().st_size for p in size_mb)
        print(f"\n{size:,} notes")
        print(f"  note index, first scan          {scan:7.2f} s")
        print(f"  text index, first build         {first:7.2f} s  ({index_bytes / 2**20:.0f} MB)")
        for text in QUERIES:
            query = parse_query(text)
            best = min(_timed(lambda q=query: search_notes(portfolio, q))[0] for _ in range(runs))
            found = search_notes(portfolio, query).total
            print(f"  search in-process {text:<16} {best * 1000:7.1f} ms  ({found:,} matching)")
        portfolio.close()
        fresh = [_fresh_search(root, "Schein", env) for _ in range(runs)]
        print(f"  companion search (new process)  {statistics.median(fresh):7.2f} s  median")
        note = next(root.rglob("n00007.md"))
        note.write_text(note.read_text() + "\nA new line about Schein.\n")
        changed = _fresh_search(root, "Schein", env)
        print(f"  … after one note changed       {changed:7.2f} s")
        bare = [
            _timed(
                lambda: subprocess.run(
                    [sys.executable, "-c", "import companion.cli.main"], env=env, check=False
                )
            )[0]
            for _ in range(runs)
        ]
        print(f"  (python + importing the CLI     {statistics.median(bare):7.2f} s)")
        assert results.total > 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    for size in args.sizes:
        bench(size, args.runs)


if __name__ == "__main__":
    main()
