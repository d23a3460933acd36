"""The benchmark scripts still run against the code as it is (their figures are not checked:
timing belongs to the scripts, not to the suite)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_engine_benchmark_runs_at_a_tiny_size() -> None:
    sys.path.insert(0, str(ROOT))
    from bench import bench_engine

    figures = bench_engine.run(20, 1)
    assert set(figures) == {
        "bare_parse",
        "cold_index",
        "cold_one_process",
        "reopen",
        "rescan_unchanged",
        "status_json",
        "tag_write",
    }


def test_the_fresh_process_benchmark_prints_every_ratio() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "bench_scale.py"), "--sizes", "20", "--repeat", "1"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    for line in ("cold / parse floor", "unchanged / stat floor", "json / text", "rss cold"):
        assert line in done.stdout
