"""The benchmark scripts still run against the code as it is (their figures are not checked:
timing belongs to the scripts, not to the suite)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

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
    for line in (
        "cold status",
        "status, one note changed",
        "check after the change",
        "export matrix after the change",
        "KB a note",
        "--version",
        "tag",
    ):
        assert line in done.stdout
    assert done.stdout.count("goal") >= 1 and "met" in done.stdout


def test_the_cpu_benchmark_times_every_command() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "bench_change.py"), "--sizes", "5", "--repeat", "1"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    for line in ("cold status", "status after one change", "check unchanged", "tag"):
        assert line in done.stdout


def test_the_record_codec_benchmark_reads_back_what_it_wrote() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "bench_record_codec.py"), "--rows", "50"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "app decode" in done.stdout and "msgspec decode" in done.stdout


def test_the_evidence_files_benchmark_prints_every_goal() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "bench_files.py"), "--quick", "--repeat", "1"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    for line in ("cold / floor", "warm / notes", "peak memory cold"):
        assert line in done.stdout


@pytest.mark.skipif(
    not Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf").is_file(),
    reason="the example PDF embeds DejaVu Sans (fonts-dejavu-core, which .ci/run installs)",
)
def test_the_example_files_are_what_their_script_makes(tmp_path: Path) -> None:
    """The example's Word, PDF, PowerPoint and WAV files come from scripts/make_example_files.py,
    byte for byte, so they can be made again and reviewed as source."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "make_example_files.py"), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    bundled = ROOT / "companion" / "example_portfolio" / "files"
    made = sorted(p.name for p in tmp_path.iterdir())
    assert made == sorted(p.name for p in bundled.iterdir())
    for name in made:
        if not name.endswith(".md"):
            assert (tmp_path / name).read_bytes() == (bundled / name).read_bytes(), name
