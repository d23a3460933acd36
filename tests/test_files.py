"""The one writer every file goes through: on every platform, and tidy after a killed write."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from companion.files import PieceWriter, atomic_output, atomic_write


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
