"""Where an export may be written: never over the apprentice's own files in the portfolio.

An export path is typed by a person, so it can name the assignment draft, the proposal
summary or ``companion.yaml`` by mistake. Inside the portfolio an export is refused where
companion would read it (a note, a setting) and over any file it did not write itself; it
remembers the digest of each export it writes, so writing the same export again to the same
place still works. Outside the portfolio ``--out`` replaces the file, as any command's output
file does; the app asks first when that file is not one it wrote.
"""

from __future__ import annotations

import contextlib
import hashlib
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from companion.errors import CompanionError

if TYPE_CHECKING:
    from companion.portfolio.portfolio import Portfolio

READ_SUFFIXES = (".md", ".markdown", ".yaml", ".yml")
"""Files the portfolio reads: notes, and settings such as companion.yaml and otj.yaml."""

EXPORTS_WRITTEN = "exports_written"
"""State key: per export path, the size, time and SHA-256 of what was last written there."""

REMEMBERED = 500
"""Export paths remembered, the most recent kept: far more than one learner writes to."""


class ExportError(CompanionError):
    """An export that cannot be written; the message says why."""


def _entry(out: Path) -> Path:
    """Where the file's name sits, its folder's links followed but not a link of its own: the
    place an atomic write puts the new file."""
    return out.parent.resolve() / out.name


def inside_portfolio(out: Path, portfolio: Portfolio) -> bool:
    """Whether ``out`` names a place in the portfolio's folder (a link's own place, too)."""
    return _entry(out).is_relative_to(portfolio.root.resolve())


class _Written(NamedTuple):
    """What companion last wrote at one export path (kept in the state as a JSON list)."""

    size: int
    mtime_ns: int
    sha256: str


def _written(portfolio: Portfolio) -> dict[str, _Written]:
    """Per export path: the size, time and SHA-256 of what companion last wrote there."""
    if portfolio.store is None:
        return {}
    try:
        value = portfolio.store.get_state(EXPORTS_WRITTEN, {})
    except Exception:  # an unreadable state only makes the check stricter
        return {}
    return _valid_written(value)


def _valid_written(value: object) -> dict[str, _Written]:
    """The remembered exports, each entry that is not [size, mtime_ns, sha256] left out."""
    if not isinstance(value, dict):
        return {}
    return {
        str(k): _Written(*v)
        for k, v in value.items()
        if isinstance(v, list)
        and len(v) == 3
        and all(isinstance(n, int) and not isinstance(n, bool) for n in v[:2])
        and isinstance(v[2], str)
    }


def _digest(path: Path) -> str | None:
    try:
        with path.open("rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:
        return None


def replaces_other_file(out: Path, portfolio: Portfolio) -> bool:
    """Whether writing ``out`` would replace a file (or link) that is not, byte for byte, the
    export companion last wrote there. Size and time settle it without reading the file
    (a bundle can be large); a file touched since is read to compare its digest."""
    if out.is_symlink():
        return True
    try:
        stat = out.stat()
    except OSError:
        return False  # nothing there (the folder's problems are reported on writing)
    known = _written(portfolio).get(str(_entry(out)))
    if known is None or known.size != stat.st_size:
        return True
    return known.mtime_ns != stat.st_mtime_ns and known.sha256 != _digest(out)


def check_output(out: Path, portfolio: Portfolio, *, read_here: bool = True) -> None:
    """Refuse ``out`` if it is a folder, has no folder, or inside the portfolio would be read
    by companion (``read_here``) or replace a file that is not an export companion wrote."""
    if out.is_dir():
        raise ExportError(f"{out} is a folder; give a file name")
    if not out.parent.is_dir():
        raise ExportError(f"{out.parent} does not exist")
    if not inside_portfolio(out, portfolio):
        return
    if read_here and out.suffix.lower() in READ_SUFFIXES:
        what = "a note" if out.suffix.lower() in READ_SUFFIXES[:2] else "a setting"
        raise ExportError(
            f"{out} is inside the portfolio, where it would be read as {what}; "
            "write it somewhere else"
        )
    if replaces_other_file(out, portfolio):
        raise ExportError(
            f"{out} is a file of yours in the portfolio, not an export companion wrote; "
            "write the export somewhere else, or delete that file first to replace it"
        )


def remember_output(out: Path, portfolio: Portfolio) -> None:
    """Note what was just written at ``out``, so that writing the same export there again
    neither is refused (in the portfolio) nor asks first (in the app)."""
    if portfolio.store is None:
        return
    try:
        stat = out.stat()
    except OSError:
        return
    digest = _digest(out)
    if digest is None:
        return
    entry = str(_entry(out))

    def change(value: object) -> dict[str, list[int | str]]:
        written = _valid_written(value)
        written.pop(entry, None)
        written[entry] = _Written(stat.st_size, stat.st_mtime_ns, digest)
        return {path: list(known) for path, known in list(written.items())[-REMEMBERED:]}

    with contextlib.suppress(Exception):  # without the record the next write is refused
        portfolio.store.update_state(EXPORTS_WRITTEN, change)
