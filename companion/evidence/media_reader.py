"""A recording's length and tags, read from its headers with tinytag (MIT).

tinytag reads a container's headers and skips its media data by seeking, so a 2 GB video
costs what a 2 KB one does, and no codec is ever run on an apprentice's file.

A recording tinytag cannot parse (a container it does not know, such as Matroska, WebM or
AVI, or a variant of one it does) is still returned with its facts, the duration ``None``
and a note, not flagged ``file-damaged``: the file has already been recognised as a
recording by its first bytes, so a parse failure is far more often tinytag's limit than a
broken file, and a false "damaged" flag on a learner's video would send them to re-record
it for nothing. Only an empty file is damaged.
"""

from __future__ import annotations

import datetime
import math
import re
from pathlib import Path
from typing import BinaryIO

from tinytag import TinyTag

from companion.evidence.limits import EvidenceReadError, Limits
from companion.evidence.model import ExtractedFile, FileFacts

_DATE = re.compile(r"^\s*(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")


def read_media(path: Path, size: int, limits: Limits, fmt: str) -> ExtractedFile:
    """The facts of the recording at ``path``: ``fmt`` is ``audio`` or ``video``.
    ``limits`` has no bound for recordings (only their headers are read)."""
    del limits
    if size == 0:
        raise EvidenceReadError("file-damaged", f"{path.name} is empty: nothing was recorded.")
    try:
        with path.open("rb") as handle:
            bounded = _Bounded(handle)
            tag = TinyTag.get(file_obj=bounded, tags=True, duration=True, image=False)  # type: ignore[arg-type]
    except Exception:
        # TinyTagException, and more: a parser slip on an odd header (struct.error,
        # IndexError, ...) is tinytag's limit too, and the file was recognised already.
        return _facts_only(path, size, fmt)
    duration = tag.duration
    if duration is not None and not (math.isfinite(duration) and duration >= 0):
        duration = None
    notes: tuple[str, ...] = ()
    if duration is None:
        notes = (f"The length of {path.name} could not be read from its headers.",)
    facts = FileFacts(
        format=fmt,
        kind=fmt,
        size=size,
        duration=None if duration is None else float(duration),
        created=_tag_date(tag.year),
        title=_tag_text(tag.title),
        author=_tag_text(tag.artist),
    )
    return ExtractedFile(facts=facts, notes=notes)


READ_BUDGET = 16 * 1024 * 1024
"""The most of a recording tinytag may read; a header is a few kilobytes."""
CALL_BUDGET = 50_000
"""The most reads it may make: a WAV padded with zeros is a run of empty chunks, which
tinytag would walk 8 bytes at a time (a sparse 2 GB file took 212 s before this bound)."""


class _Bounded:
    """The recording's file as tinytag sees it: past either budget it reads as ended, so
    tinytag stops with what the headers gave instead of walking the whole file."""

    def __init__(self, handle: BinaryIO) -> None:
        self._handle = handle
        self._read = 0
        self._calls = 0

    def read(self, size: int = -1) -> bytes:
        self._calls += 1
        if self._calls > CALL_BUDGET or self._read >= READ_BUDGET:
            return b""
        if size < 0 or size > READ_BUDGET - self._read:
            size = READ_BUDGET - self._read
        data = self._handle.read(size)
        self._read += len(data)
        return data

    def seek(self, offset: int, whence: int = 0) -> int:
        return self._handle.seek(offset, whence)

    def tell(self) -> int:
        return self._handle.tell()

    def close(self) -> None:
        """tinytag closes only what it opened; the caller's ``with`` closes the file."""


def _facts_only(path: Path, size: int, fmt: str) -> ExtractedFile:
    suffix = path.suffix.lower() or "this kind of"
    return ExtractedFile(
        facts=FileFacts(format=fmt, kind=fmt, size=size),
        notes=(
            f"companion cannot read the length of {suffix} recordings; "
            "the file is listed as it is.",
        ),
    )


def _tag_date(value: object) -> str:
    """A tag's year or date in ISO form: ``2026-03-14``, or ``2026`` / ``2026-03`` when
    the tag says no more (ISO 8601's reduced precision); '' for anything else."""
    if not isinstance(value, str):
        return ""
    match = _DATE.match(value)
    if not match:
        return ""
    year, month, day = match.groups()
    try:
        datetime.date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        return ""
    if day and month:
        return f"{year}-{month}-{day}"
    return f"{year}-{month}" if month else year


def _tag_text(value: object) -> str:
    if not isinstance(value, str):
        return ""
    return " ".join(value.replace("\x00", " ").split())[:500]
