"""Read an evidence note exactly: bytes, encoding, line endings and where its front matter is.

Reading and writing share this one view of a file, so the writer splices into the very
lines the reader parsed and nothing else.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from companion.errors import CompanionError
from companion.files import NotRegularFile, read_regular_stat
from companion.notes.front_matter import FrontMatterError, load_front_matter, plain

BOM = "\ufeff"
MAX_NOTE_BYTES = 2 * 1024 * 1024
# The boundaries other Markdown tools (Jekyll, Hugo, Obsidian, python-frontmatter) agree on,
# so a note is split where the learner's other tools split it.
_BOUNDARY = re.compile(r"^-{3,}\s*$", re.MULTILINE)
_TOML_BOUNDARY = re.compile(r"^\+{3,}\s*$", re.MULTILINE)
_JSON_BOUNDARY = re.compile(r"^(?:{|})$", re.MULTILINE)


class NoteReadError(CompanionError):
    """A note that cannot be read as text with front matter; ``code`` is a stable flag code."""

    def __init__(self, code: str, message: str, line: int = 0) -> None:
        super().__init__(message)
        self.code = code
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
    foreign: str = ""
    """``toml`` or ``json`` when the note opens with front matter the app does not write."""

    @property
    def digest(self) -> str:
        """A hash of the bytes read, to detect changes on disk before writing."""
        return hashlib.sha256(self.raw).hexdigest()


def _split_lines(text: str) -> list[str]:
    return text.splitlines(keepends=True)


def _find_front_matter(lines: list[str]) -> tuple[int, int] | None:
    """Indices of the opening and closing ``---`` lines, as the other tools see them."""
    if not lines or not _BOUNDARY.fullmatch(lines[0].rstrip("\r\n")):
        return None
    for index in range(1, len(lines)):
        if _BOUNDARY.fullmatch(lines[index].rstrip("\r\n")):
            return 0, index
    return None


def foreign_front_matter(text: str) -> str:
    """``toml`` or ``json`` for a note in Hugo/Zola style, ``""`` otherwise."""
    if _TOML_BOUNDARY.match(text):
        return "toml"
    if text.startswith("{") and _JSON_BOUNDARY.match(text):
        return "json"
    return ""


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


def parse_note_text(
    text: str, path: Path
) -> tuple[list[str], tuple[int, int] | None, dict[str, Any], str]:
    """Split decoded text into lines, the front matter span, its mapping and the body."""
    lines = _split_lines(text)
    span = _find_front_matter(lines)
    if span is None:
        return lines, None, {}, text
    start, end = span
    block = "".join(lines[start + 1 : end])
    try:
        data = load_front_matter(block)
    except FrontMatterError as exc:
        line = exc.line + 1 if exc.line else 0  # the block starts on the note's second line
        where = f" at line {line}" if line else ""
        what = "is not valid YAML" if exc.syntax else "cannot be used"
        raise NoteReadError(
            "bad-yaml", f"{path.name}: the front matter {what}{where}: {exc.message}", line
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
        # Size, time and bytes all of the one file opened; never blocking on a FIFO.
        raw, stat = read_regular_stat(path, max_bytes)
    except NotRegularFile as exc:
        raise NoteReadError("unreadable-io", exc.message) from None
    except OSError as exc:
        raise NoteReadError(
            "unreadable-io", f"{path.name} cannot be read: {exc.strerror or exc}"
        ) from None
    if stat.st_size > max_bytes:
        raise NoteReadError(
            "unreadable-huge",
            f"{path.name} is {stat.st_size / 1024 / 1024:.1f} MB; notes over "
            f"{max_bytes // 1024 // 1024} MB are not read",
        )
    if len(raw) > max_bytes:
        raise NoteReadError("unreadable-huge", f"{path.name} grew past {max_bytes // 2**20} MB")
    text, has_bom = decode_note(raw, path)
    newline = "\r\n" if "\r\n" in text else ("\r" if "\r" in text and "\n" not in text else "\n")
    foreign = foreign_front_matter(text)
    data: dict[str, Any]
    if foreign:
        lines, span, data, body = text.splitlines(keepends=True), None, {}, text
    else:
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
        foreign=foreign,
    )


def to_plain(value: Any) -> Any:
    """YAML values as JSON-friendly Python: dates become ISO text (see ``plain``)."""
    return plain(value)
