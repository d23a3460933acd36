"""The EPA bundle's peak memory, made and verified as a user does: each a fresh process.

Two portfolios: the bundled example with three large recordings added (150 MB each by
default, random bytes behind a WAV header, so nothing compresses them away), and a generated
portfolio of many notes. For each it makes a draft bundle and verifies it, and prints the peak
memory (RSS) of every process (the command and any worker it starts) and the bundle's size,
against the goal of 150 MB whatever the bundle holds. Run:

    python bench/bench_bundle.py [--video-mb 150] [--notes 10000]
"""

from __future__ import annotations

import argparse
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.corpus import generate

COMPANION = [sys.executable, "-m", "companion"]
GOAL_MB = 150.0


def _wav(path: Path, megabytes: int) -> None:
    """A WAV whose data is random bytes: a long recording that no zip can shrink."""
    size = megabytes * 1024 * 1024
    rate = 8000
    header = b"RIFF" + struct.pack("<I", 36 + size) + b"WAVEfmt "
    header += struct.pack("<IHHIIHH", 16, 1, 1, rate, rate, 1, 8) + b"data"
    header += struct.pack("<I", size)
    with open(path, "wb") as handle:
        handle.write(header)
        left = size
        while left:
            piece = min(left, 4 * 1024 * 1024)
            handle.write(os.urandom(piece))
            left -= piece


def run(argv: list[str], data: Path) -> tuple[float, float, int]:
    """Wall seconds, peak MB of this process alone (``wait4`` gives each child's own usage,
    not the largest of every child so far), and the exit status."""
    env = dict(os.environ, COMPANION_DATA_DIR=str(data))
    started = time.perf_counter()
    child = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert child.stderr is not None
    errors = child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.perf_counter() - started
    if child.returncode not in (0, 1):
        sys.stderr.write(errors.decode("utf-8", "replace")[-2000:])
    return elapsed, usage.ru_maxrss / 1024, child.returncode


def measure(label: str, root: Path, work: Path) -> None:
    out = work / f"{label}.zip"
    data = work / f"data-{label}"
    subprocess.run(
        [*COMPANION, "status", str(root)],
        env=dict(os.environ, COMPANION_DATA_DIR=str(data)),
        stdout=subprocess.DEVNULL,
        check=False,
    )
    made = run([*COMPANION, "export", "bundle", str(root), "--out", str(out), "--draft"], data)
    checked = run([*COMPANION, "export", "bundle", "--verify", str(out)], data)
    size = out.stat().st_size / 1024**2 if out.exists() else 0.0
    for what, (seconds, peak, code) in (("make", made), ("verify", checked)):
        verdict = "ok" if peak < GOAL_MB and code == 0 else "OVER" if code == 0 else "FAILED"
        print(
            f"  {label:<10} {what:<7} {seconds:7.1f} s  peak {peak:7.1f} MB  "
            f"bundle {size:8.1f} MB  goal < {GOAL_MB:.0f} MB  {verdict}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--video-mb", type=int, default=150, help="size of each recording")
    parser.add_argument("--notes", type=int, default=2000, help="notes of the large portfolio")
    args = parser.parse_args()
    from companion.portfolio.example import copy_example

    work = Path(tempfile.mkdtemp(prefix="bench-bundle-"))
    try:
        example = copy_example(work / "example")
        for number in range(3):
            name = f"meeting-{number + 1}.wav"
            _wav(example / "files" / name, args.video_mb)
            (example / "files" / f"{name}.md").write_text(
                f"---\ntitle: Meeting {number + 1}\nref: E09{number}\ndate: 2026-06-0{number + 1}\n"
                f"learner: Alex Morgan\ntype: recording\nfile: {name}\n"
                "recording:\n  introduction: true\nevidence:\n  - ac: 700/1.1\n"
                "    where: '00:10'\n---\n",
                encoding="utf-8",
            )
        many = generate(work / "many", args.notes)
        print("peak memory of 'export bundle --draft' and '--verify', fresh processes")
        measure("recordings", example, work)
        measure(f"{args.notes}-notes", many, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
