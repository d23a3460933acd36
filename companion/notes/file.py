"""Read an evidence note exactly: bytes, encoding, line endings and where its front matter is.

Reading and writing share this one view of a file, so the writer splices into the very
lines the reader parsed and nothing else.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from frontmatter.default_handlers import YAMLHandler

BOM = "\ufeff"
MAX_NOTE_BYTES = 2 * 1024 * 1024
_BOUNDARY = re.compile(r"-{3,}\s*")
_HANDLER = YAMLHandler()
try:  # libyaml is much faster; fall back to the pure-Python loader where it is missing
    _YAML_LOADER: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _YAML_LOADER = yaml.SafeLoader


class NoteReadError(Exception):
    """A note that cannot be read as text with front matter; ``code`` is a stable flag code."""

    def __init__(self, code: str, message: str, line: int = 0) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.line = line


@dataclass(frozen=True)
class NoteFile:
    """One note as read from disk, with everything needed to write it back safely."""

    path: Path
    raw: bytes
    mtime_ns: int
    size: int
    has_bom: bool
    newline: str
    lines: list[str] = field(repr=False)  # decoded lines, each with its own line ending
    fm_start: int | None  # index of the opening boundary line, None without front matter
    fm_end: int | None  # index of the closing boundary line
    metadata: dict[str, Any]
    body: str

    @property
    def digest(self) -> str:
        """A hash of the bytes read, to detect changes on disk before writing."""
        return hashlib.sha256(self.raw).hexdigest()


def _split_lines(text: str) -> list[str]:
    return text.splitlines(keepends=True)


def _find_front_matter(lines: list[str]) -> tuple[int, int] | None:
    """Indices of the opening and closing boundary lines, as python-frontmatter sees them."""
    if not lines or not _BOUNDARY.fullmatch(lines[0].rstrip("\r\n")):
        return None
    for index in range(1, len(lines)):
        if _BOUNDARY.fullmatch(lines[index].rstrip("\r\n")):
            return 0, index
    return None


def parse_yaml_block(text: str) -> Any:
    """Parse a front matter block with python-frontmatter's YAML handler and libyaml."""
    return _HANDLER.load(text, Loader=_YAML_LOADER)


def decode_note(raw: bytes, path: Path) -> tuple[str, bool]:
    """Decode note bytes as UTF-8 (with or without BOM) or raise NoteReadError."""
    if b"\x00" in raw[:8192]:
        raise NoteReadError(
            "unreadable-binary", f"{path.name} looks like a binary file, not a note"
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise NoteReadError(
            "unreadable-encoding",
            f"{path.name} is not UTF-8 text (invalid byte at position {exc.start}); "
            "save it as UTF-8 to use it",
        ) from None
    if text.startswith(BOM):
        return text[1:], True
    return text, False


def parse_note_text(text: str, path: Path) -> tuple[list[str], tuple[int, int] | None, dict, str]:
    """Split decoded text into lines, the front matter span, its mapping and the body."""
    lines = _split_lines(text)
    span = _find_front_matter(lines)
    if span is None:
        return lines, None, {}, text
    start, end = span
    block = "".join(lines[start + 1 : end])
    try:
        data = parse_yaml_block(block)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 2) if mark else 1
        raise NoteReadError(
            "bad-yaml",
            f"{path.name}: the front matter is not valid YAML at line {line}: "
            f"{exc.problem or exc.context}",
            line,
        ) from None
    except yaml.YAMLError as exc:
        raise NoteReadError(
            "bad-yaml", f"{path.name}: the front matter is not valid YAML: {exc}"
        ) from None
    body = "".join(lines[end + 1 :])
    if data is None:
        data = {}
    if isinstance(data, str) and start == 0:
        # A '---' rule opening the note followed by prose: that is body text, not front matter.
        return lines, None, {}, text
    if not isinstance(data, dict):
        raise NoteReadError(
            "bad-front-matter",
            f"{path.name}: the front matter is a {type(data).__name__}, not a set of "
            "'key: value' fields",
            1,
        )
    return lines, span, data, body


def read_note_file(path: Path, max_bytes: int = MAX_NOTE_BYTES) -> NoteFile:
    """Read and parse one note; raise NoteReadError with a clear message when it cannot."""
    try:
        with open(path, "rb") as handle:  # size, time and bytes all of the one file opened
            stat = os.fstat(handle.fileno())
            if stat.st_size > max_bytes:
                raise NoteReadError(
                    "unreadable-huge",
                    f"{path.name} is {stat.st_size / 1024 / 1024:.1f} MB; notes over "
                    f"{max_bytes // 1024 // 1024} MB are not read",
                )
            raw = handle.read()
    except OSError as exc:
        raise NoteReadError(
            "unreadable-io", f"{path.name} cannot be read: {exc.strerror}"
        ) from None
    text, has_bom = decode_note(raw, path)
    newline = "\r\n" if "\r\n" in text else ("\r" if "\r" in text and "\n" not in text else "\n")
    lines, span, data, body = parse_note_text(text, path)
    return NoteFile(
        path=path,
        raw=raw,
        mtime_ns=stat.st_mtime_ns,
        size=stat.st_size,
        has_bom=has_bom,
        newline=newline,
        lines=lines,
        fm_start=span[0] if span else None,
        fm_end=span[1] if span else None,
        metadata=data,
        body=body,
    )


def file_unchanged(note: NoteFile) -> bool:
    """True when the file on disk still holds exactly the bytes that were read."""
    try:
        stat = note.path.stat()
        if stat.st_size != note.size:
            return False
        return note.path.read_bytes() == note.raw
    except OSError:
        return False


def to_plain(value: Any) -> Any:
    """YAML values as JSON-friendly Python: dates become ISO text."""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): to_plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_plain(v) for v in value]
    return value
