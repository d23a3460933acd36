"""Change the one front matter key the app owns, ``evidence``, and nothing else.

python-frontmatter's dump re-serialises the whole note (sorting keys, dropping comments,
quoting and line endings), so the writer splices instead: it replaces only the lines of the
``evidence`` key (or appends them to the block, or inserts a block), re-parses the result
and refuses unless the note reads back as the old fields plus the new key with the same
body. It writes atomically and never over a file that changed since it was read.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from companion.files import atomic_write
from companion.notes.file import (
    BOM,
    NoteFile,
    NoteReadError,
    file_unchanged,
    parse_note_text,
    read_note_file,
)

OWNED_KEY = "evidence"
# 'acknowledge' is the learner's field; the app writes it only when asked to acknowledge.
WRITABLE_KEYS = (OWNED_KEY, "acknowledge")


class NoteWriteError(Exception):
    """The note could not be changed safely; the file was left exactly as it was."""


def _dump_key(key: str, value: Any, newline: str) -> list[str]:
    text = yaml.safe_dump(
        {key: value},
        default_flow_style=False,
        sort_keys=False,
        allow_unicode=True,
        width=4096,
    )
    return [line + newline for line in text.splitlines()]


def _key_span(note: NoteFile, owned: str) -> tuple[int, int] | None:
    """Line indices [start, end) of the top-level ``owned`` key inside the block."""
    assert note.fm_start is not None and note.fm_end is not None
    block_lines = note.lines[note.fm_start + 1 : note.fm_end]
    block = "".join(block_lines)
    try:
        node = yaml.compose(block, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:  # pragma: no cover - the reader already parsed it
        raise NoteWriteError(f"the front matter cannot be read: {exc}") from None
    if node is None:
        return None
    if not isinstance(node, yaml.MappingNode):
        raise NoteWriteError("the front matter is not a set of 'key: value' fields")
    if node.flow_style:
        raise NoteWriteError("the front matter is written in {flow} style; tag it by hand")
    matches = [(k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == owned]
    if not matches:
        return None
    if len(matches) > 1:
        raise NoteWriteError(f"the front matter has more than one '{owned}' key")
    key, value = matches[0]
    if key.start_mark.column != 0:
        raise NoteWriteError(f"the '{owned}' key is not at the start of its line")
    first = key.start_mark.line
    last = value.end_mark.line if value.end_mark.column > 0 else value.end_mark.line - 1
    last = max(last, first)
    # Trailing blank and comment lines belong to whatever follows, not to our key.
    while last > first and (
        block_lines[last].strip() == "" or block_lines[last].lstrip().startswith("#")
    ):
        last -= 1
    if isinstance(value, yaml.ScalarNode) and value.value == "" and value.style is None:
        last = first  # 'evidence:' with no value
    offset = note.fm_start + 1
    return offset + first, offset + last + 1


def _expected(metadata: dict[str, Any], owned: str, value: Any) -> dict[str, Any]:
    expected = {k: v for k, v in metadata.items() if k != owned}
    if value:
        expected[owned] = value
    return expected


def render_with_key(note: NoteFile, owned: str, value: Any) -> bytes:
    """The note's bytes with ``owned`` set to ``value`` (the key removed when empty)."""
    nl = note.newline
    lines = list(note.lines)
    new_lines = _dump_key(owned, value, nl) if value else []
    if note.fm_start is None:
        if not value:
            return note.raw
        lines = ["---" + nl, *new_lines, "---" + nl, *lines]
    else:
        span = _key_span(note, owned)
        if span is None:
            if not value:
                return note.raw
            closing = note.fm_end
            prev = lines[closing - 1] if closing - 1 > note.fm_start else None
            if prev is not None and not prev.endswith(("\n", "\r")):
                raise NoteWriteError("the front matter's last line has no line ending")
            lines[closing:closing] = new_lines
        else:
            start, end = span
            lines[start:end] = new_lines
            if not new_lines and start == note.fm_start + 1 and end == note.fm_end:
                # The block held only our key: remove the block we (or the learner) added
                # for it, so untagging the last tag gives back the untagged note.
                del lines[note.fm_start : note.fm_start + 2]
    text = "".join(lines)
    data = ((BOM if note.has_bom else "") + text).encode("utf-8")
    _verify(note, text, owned, value)
    return data


def render_with_evidence(note: NoteFile, tags: list[dict[str, Any]] | None) -> bytes:
    """The note's bytes with ``evidence`` set to ``tags`` (removed when empty or None)."""
    return render_with_key(note, OWNED_KEY, tags)


def _verify(note: NoteFile, new_text: str, owned: str, tags: Any) -> None:
    try:
        _, span, metadata, body = parse_note_text(new_text, note.path)
    except NoteReadError as exc:
        raise NoteWriteError(f"the change would break the note ({exc.message})") from None
    if tags and span is None:
        raise NoteWriteError("the change would not read back as front matter")
    if metadata != _expected(note.metadata, owned, tags):
        raise NoteWriteError(
            "the change would alter other front matter fields (anchors, aliases or unusual "
            "layout); tag this note by hand"
        )
    if body != note.body:
        raise NoteWriteError("the change would alter the note's text")


def write_evidence(note: NoteFile, tags: list[dict[str, Any]] | None) -> NoteFile:
    """Write ``tags`` as the note's evidence; return the note as now on disk.

    Raises NoteWriteError, leaving the file byte-identical, when the file changed since it
    was read or the change cannot be made safely.
    """
    return write_key(note, OWNED_KEY, tags)


def write_key(note: NoteFile, owned: str, value: Any) -> NoteFile:
    """Set one top-level key by splicing (see the module docstring); return the new note."""
    if owned not in WRITABLE_KEYS:
        raise NoteWriteError(f"the app does not write the '{owned}' field")
    data = render_with_key(note, owned, value)
    if data == note.raw:
        return note
    if not file_unchanged(note):
        raise NoteWriteError(
            f"{note.path.name} changed on disk since it was read; reload it and try again"
        )
    try:
        atomic_write(note.path, data)
    except OSError as exc:
        raise NoteWriteError(f"{note.path.name} could not be written: {exc.strerror}") from None
    return read_note_file(note.path)


def read_for_write(path: Path) -> NoteFile:
    """Read a note to change it, turning read problems into NoteWriteError."""
    try:
        return read_note_file(path)
    except NoteReadError as exc:
        raise NoteWriteError(exc.message) from None
