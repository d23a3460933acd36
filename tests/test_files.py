"""The one writer every file goes through: on every platform, and tidy after a killed write."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from companion.cli.main import main
from companion.files import PieceWriter, atomic_output, atomic_write
from companion.portfolio.example import copy_example


@pytest.fixture
def without_fchmod(monkeypatch: pytest.MonkeyPatch) -> None:
    """Python before 3.13 on Windows: no ``os.fchmod`` and no ``os.fchown``."""
    for name in ("fchmod", "fchown"):
        if hasattr(os, name):
            monkeypatch.delattr(os, name)


@pytest.mark.usefixtures("without_fchmod")
def test_a_write_keeps_the_files_mode_where_the_platform_has_no_fchmod(tmp_path: Path) -> None:
    new = tmp_path / "new.md"
    atomic_write(new, b"first")
    assert new.read_bytes() == b"first"
    assert stat.S_IMODE(new.stat().st_mode) == 0o644
    kept = tmp_path / "kept.md"
    kept.write_bytes(b"old")
    kept.chmod(0o600)
    atomic_write(kept, b"new")
    assert kept.read_bytes() == b"new"
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


@pytest.mark.usefixtures("without_fchmod")
def test_an_output_and_a_remembered_file_are_written_where_the_platform_has_no_fchmod(
    tmp_path: Path,
) -> None:
    with atomic_output(tmp_path / "bundle.zip") as handle:
        handle.write(b"zip bytes")
    assert (tmp_path / "bundle.zip").read_bytes() == b"zip bytes"
    writer = PieceWriter(tmp_path / "memo")
    writer.write(b"status")
    assert writer.finish()
    assert (tmp_path / "memo").read_bytes() == b"status"
    assert stat.S_IMODE((tmp_path / "memo").stat().st_mode) == 0o644


def _dead_pid() -> int:
    """The id of a process that has run and gone."""
    child = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(child.stdout)


def _aged(path: Path, seconds: float) -> Path:
    moment = time.time() - seconds
    os.utime(path, (moment, moment), follow_symlinks=False)
    return path


def test_a_killed_exports_temporary_file_is_removed_by_the_next_export_into_that_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = copy_example(tmp_path / "example")
    out = tmp_path / "out"
    out.mkdir()
    stale = out / f".Alex Morgan EPA.zip.{_dead_pid()}.0badc0de.tmp"
    stale.write_bytes(b"half a zip")
    assert main(["export", "matrix", str(root), "--out", str(out / "matrix.docx")]) == 0
    capsys.readouterr()
    assert not stale.exists()
    assert (out / "matrix.docx").is_file()


@pytest.mark.parametrize("write", ["atomic_write", "atomic_output"])
def test_only_companions_own_stale_temporary_files_are_removed(tmp_path: Path, write: str) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    dead, alive = _dead_pid(), os.getppid()
    gone = folder / f".bundle.zip.{dead}.0123abcd.tmp"
    old = folder / f".notes.md.{alive}.89abcdef.tmp"
    kept = {
        "live writer": folder / f".bundle.zip.{alive}.0123abcd.tmp",
        "no random part": folder / f".bundle.zip.{dead}.tmp",
        "not hidden": folder / f"bundle.zip.{dead}.0123abcd.tmp",
        "upper-case hex": folder / f".bundle.zip.{dead}.0123ABCD.tmp",
        "short random part": folder / f".bundle.zip.{dead}.0123abc.tmp",
        "another ending": folder / f".bundle.zip.{dead}.0123abcd.tmp.bak",
        "the learner's": folder / ".my-own-hidden-file.tmp",
    }
    for path in [gone, old, *kept.values()]:
        path.write_bytes(b"x")
    _aged(old, 2 * 3600)  # untouched for two hours: its writer is stuck, or is not this one
    _aged(kept["live writer"], 60)
    target = tmp_path / "elsewhere.md"
    target.write_bytes(b"a file the link points to")
    link = folder / f".link.md.{dead}.fedcba98.tmp"
    link.symlink_to(target)
    linked_folder = folder / f".sub.{dead}.fedcba98.tmp"
    linked_folder.mkdir()

    if write == "atomic_write":
        atomic_write(folder / "report.docx", b"report")
    else:
        with atomic_output(folder / "bundle.zip") as handle:
            handle.write(b"zip")

    assert not gone.exists() and not old.exists()
    assert all(path.exists() for path in kept.values()), [
        why for why, path in kept.items() if not path.exists()
    ]
    assert link.is_symlink() and target.read_bytes() == b"a file the link points to"
    assert linked_folder.is_dir()
