"""Work out a note's new bytes when the app changes one key it owns, and nothing else.

python-frontmatter's dump re-serialises the whole note (sorting keys, dropping comments,
quoting and line endings), so the writer splices instead. For ``evidence`` it splices item by
item: entries the change leaves alone keep their lines exactly as written (indentation,
quoting, comments), and a new entry is written in the same indentation, with its timestamp
quoted or not as the others are. Other keys are replaced whole. Every result is parsed back
and refused unless it reads as the old fields, the intended value and the same body.

This module only computes bytes; ``companion.notes.edit`` writes them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

from companion.errors import CompanionError
from companion.notes.file import BOM, NoteFile, NoteReadError, parse_note_text

OWNED_KEY = "evidence"
WRITABLE_KEYS = (OWNED_KEY, "acknowledge", "title")
"""``evidence`` is the app's; ``acknowledge`` and ``title`` it writes only when asked."""


class NoteWriteError(CompanionError):
    """The note could not be changed safely; the file was left exactly as it was."""

    exit_status = 1


def refuse_unwritable(note: NoteFile) -> None:
    """Refuse notes whose front matter the app does not write (TOML, JSON)."""
    if note.foreign:
        raise NoteWriteError(
            f"{note.path.name} has {note.foreign.upper()} front matter; companion reads and "
            "writes only YAML front matter (between --- lines), so it leaves this note as it is"
        )


def _dump(value: Any) -> list[str]:
    text = yaml.safe_dump(
        value, default_flow_style=False, sort_keys=False, allow_unicode=True, width=4096
    )
    return text.splitlines()


_COMPOSER: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml where it is built: its nodes carry the same lines and columns, several times
faster than the pure-Python composer. A plain scalar's style is ``''`` there and ``None``
in pure Python, so the writer tests it with ``not node.style``."""


def _compose_block(note: NoteFile) -> yaml.MappingNode | None:
    assert note.fm_start is not None and note.fm_end is not None
    block = "".join(note.lines[note.fm_start + 1 : note.fm_end])
    try:
        node = yaml.compose(block, Loader=_COMPOSER)
    except yaml.YAMLError as exc:  # pragma: no cover - the reader already parsed it
        raise NoteWriteError(f"the front matter cannot be read: {exc}") from None
    if node is None:
        return None
    if not isinstance(node, yaml.MappingNode):
        raise NoteWriteError("the front matter is not a set of 'key: value' fields")
    if node.flow_style:
        raise NoteWriteError("the front matter is written in {flow} style; tag it by hand")
    return node


@dataclass(frozen=True)
class _KeySpan:
    """Where a top-level key is: line indices [start, end) in the note, and its value node."""

    start: int
    end: int
    value: yaml.Node


def _key_span(note: NoteFile, owned: str) -> _KeySpan | None:
    node = _compose_block(note)
    if node is None:
        return None
    matches = [(k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == owned]
    if not matches:
        return None
    if len(matches) > 1:
        raise NoteWriteError(f"the front matter has more than one '{owned}' key")
    key, value = matches[0]
    if key.start_mark.column != 0:
        raise NoteWriteError(f"the '{owned}' key is not at the start of its line")
    assert note.fm_start is not None
    block_lines = note.lines[note.fm_start + 1 : note.fm_end]
    first = key.start_mark.line
    last = value.end_mark.line if value.end_mark.column > 0 else value.end_mark.line - 1
    last = max(last, first)
    # Trailing blank and comment lines belong to whatever follows, not to our key.
    while last > first and (
        block_lines[last].strip() == "" or block_lines[last].lstrip().startswith("#")
    ):
        last -= 1
    if isinstance(value, yaml.ScalarNode) and value.value == "" and not value.style:
        last = first  # 'evidence:' with no value
    offset = note.fm_start + 1
    return _KeySpan(offset + first, offset + last + 1, value)


def _finish(note: NoteFile, lines: list[str]) -> tuple[bytes, str]:
    text = "".join(lines)
    return ((BOM if note.has_bom else "") + text).encode("utf-8"), text


def _drop_empty_block(note: NoteFile, lines: list[str]) -> None:
    """Remove a front matter block left empty (the one the app added for its first tag)."""
    assert note.fm_start is not None
    start = note.fm_start
    if (
        len(lines) > start + 1
        and lines[start].rstrip("\r\n") == "---"
        and lines[start + 1].rstrip("\r\n") == "---"
    ):
        del lines[start : start + 2]


def _whole_key(
    note: NoteFile, owned: str, value: Any, *, drop_empty_block: bool
) -> tuple[bytes, str]:
    """The note with ``owned`` replaced whole by ``value`` (removed when empty)."""
    nl = note.newline
    lines = list(note.lines)
    new_lines = [line + nl for line in _dump({owned: value})] if value else []
    if note.fm_start is None:
        if not value:
            return note.raw, "".join(note.lines)
        return _finish(note, ["---" + nl, *new_lines, "---" + nl, *lines])
    span = _key_span(note, owned)
    if span is None:
        if not value:
            return note.raw, "".join(note.lines)
        assert note.fm_end is not None
        closing = note.fm_end
        prev = lines[closing - 1] if closing - 1 > note.fm_start else None
        if prev is not None and not prev.endswith(("\n", "\r")):
            raise NoteWriteError("the front matter's last line has no line ending")
        lines[closing:closing] = new_lines
        return _finish(note, lines)
    lines[span.start : span.end] = new_lines
    if not new_lines and drop_empty_block:
        _drop_empty_block(note, lines)
    return _finish(note, lines)


def verify(
    note: NoteFile, new_text: str, owned: str, check: Any, *, expect_block: bool = True
) -> None:
    """Refuse unless ``new_text`` reads back as the old note with only ``owned`` changed.

    ``check(value)`` says whether the owned key's new value is the intended one.
    """
    try:
        _, span, metadata, body = parse_note_text(new_text, note.path)
    except NoteReadError as exc:
        raise NoteWriteError(f"the change would break the note ({exc.message})") from None
    if expect_block and span is None:
        raise NoteWriteError("the change would not read back as front matter")
    others_old = {k: v for k, v in note.metadata.items() if k != owned}
    others_new = {k: v for k, v in metadata.items() if k != owned}
    if others_old != others_new:
        raise NoteWriteError(
            "the change would alter other front matter fields (anchors, aliases or unusual "
            "layout); tag this note by hand"
        )
    if not check(metadata.get(owned)):
        raise NoteWriteError(f"the '{owned}' field would not read back as intended")
    if body != note.body:
        raise NoteWriteError("the change would alter the note's text")


def render_with_key(
    note: NoteFile, owned: str, value: Any, *, drop_empty_block: bool = True
) -> bytes:
    """The note's bytes with ``owned`` set to ``value`` (the key removed when empty)."""
    refuse_unwritable(note)
    if owned not in WRITABLE_KEYS:
        raise NoteWriteError(f"the app does not write the '{owned}' field")
    data, text = _whole_key(note, owned, value, drop_empty_block=drop_empty_block)
    if data != note.raw:
        expected = value or None
        verify(note, text, owned, lambda got: (got or None) == expected, expect_block=bool(value))
    return data


# --- evidence, entry by entry ---------------------------------------------------------


@dataclass(frozen=True)
class _Item:
    """One entry of a block ``evidence`` list: its lines [start, end), leading gap included,
    and the line of its dash (comments and blank lines before it are the gap)."""

    start: int
    end: int
    dash: int
    node: yaml.Node


def _items(note: NoteFile, span: _KeySpan) -> list[_Item] | None:
    """The entries of a block sequence of block mappings, or None when laid out otherwise."""
    seq = span.value
    if not isinstance(seq, yaml.SequenceNode) or seq.flow_style or not seq.value:
        return None
    assert note.fm_start is not None
    offset = note.fm_start + 1
    dash_lines: list[int] = []
    for item in seq.value:
        if not isinstance(item, yaml.MappingNode) or item.flow_style:
            return None
        line = offset + item.start_mark.line
        text = note.lines[line]
        if not text.lstrip().startswith("-"):
            return None  # '-' on a line of its own before the mapping: not spliced
        dash_lines.append(line)
    items: list[_Item] = []
    first = span.start + 1
    for index, item in enumerate(seq.value):
        start = first if index == 0 else items[-1].end
        end = dash_lines[index + 1] if index + 1 < len(dash_lines) else span.end
        if index + 1 < len(dash_lines):
            # trailing comments and blanks before the next dash go with the next entry
            while end - 1 > dash_lines[index] and (
                note.lines[end - 1].strip() == "" or note.lines[end - 1].lstrip().startswith("#")
            ):
                end -= 1
        items.append(_Item(start, end, dash_lines[index], item))
    # Every entry's first line is its dash; the gap before it is at the start of its span.
    return items


def _style(note: NoteFile, items: list[_Item]) -> tuple[str, bool] | None:
    """The indentation of the entries and whether their ``tagged`` values are plain."""
    first_dash = next(
        i for i in range(items[0].start, items[0].end) if note.lines[i].lstrip().startswith("-")
    )
    line = note.lines[first_dash]
    indent = line[: len(line) - len(line.lstrip())]
    after = line.lstrip()[1:]
    if not after.startswith(" ") or after.startswith("  "):
        return None  # not '- key:' with one space: leave the whole list to the fallback
    plain_stamp = False
    for item in items:
        assert isinstance(item.node, yaml.MappingNode)
        for key, value in item.node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == "tagged":
                plain_stamp = plain_stamp or (
                    isinstance(value, yaml.ScalarNode) and not value.style
                )
    return indent, plain_stamp


def _entry_lines(entry: dict[str, Any], indent: str, plain_stamp: bool, nl: str) -> list[str]:
    lines = _dump([entry])
    if plain_stamp and entry.get("tagged"):
        quoted = yaml.safe_dump({"tagged": entry["tagged"]}, width=4096).strip()
        lines = [
            f"  tagged: {entry['tagged']}" if line == "  " + quoted else line for line in lines
        ]
    return [indent + line + nl for line in lines]


def render_evidence(
    note: NoteFile,
    old: list[Any],
    new: list[Any],
    *,
    check: Any,
    drop_empty_block: bool = True,
) -> bytes:
    """The note with its tags changed from ``old`` to ``new`` (``Tag``-like, with ``to_yaml``).

    Entries in both keep their lines; others are added in the list's own style. Falls back
    to replacing the whole key when the list is laid out in a way that cannot be spliced.
    ``check(value)`` says whether the parsed ``evidence`` value is the intended one.
    """
    refuse_unwritable(note)
    if not new or not old or note.fm_start is None:
        return _checked_whole(note, new, check, drop_empty_block)
    span = _key_span(note, OWNED_KEY)
    items = _items(note, span) if span is not None else None
    style = _style(note, items) if items else None
    if span is None or items is None or style is None or len(items) != len(old):
        return _checked_whole(note, new, check, drop_empty_block)
    indent, plain_stamp = style
    kept = {id(tag): item for tag, item in zip(old, items, strict=True)}
    by_value: dict[str, list[Any]] = {}
    for tag in old:
        by_value.setdefault(_freeze(tag), []).append(tag)
    replaced = {tag.ac: kept[id(tag)] for tag in old}
    region: list[str] = []
    for tag in new:
        same = by_value.get(_freeze(tag))
        if same:
            item = kept[id(same.pop(0))]
            region += note.lines[item.start : item.end]
        else:
            if (before := replaced.get(tag.ac)) is not None:
                region += note.lines[before.start : before.dash]  # its comments stay
            region += _entry_lines(tag.to_yaml(), indent, plain_stamp, note.newline)
    lines = list(note.lines)
    lines[span.start + 1 : span.end] = region
    data, text = _finish(note, lines)
    try:
        verify(note, text, OWNED_KEY, check)
    except NoteWriteError:
        return _checked_whole(note, new, check, drop_empty_block)
    return data


def _freeze(tag: Any) -> Any:
    return repr(tag.to_yaml())


def _checked_whole(note: NoteFile, new: list[Any], check: Any, drop_empty_block: bool) -> bytes:
    value = [t.to_yaml() for t in new] or None
    data, text = _whole_key(note, OWNED_KEY, value, drop_empty_block=drop_empty_block)
    if data != note.raw:
        verify(note, text, OWNED_KEY, check, expect_block=bool(value))
    return data
