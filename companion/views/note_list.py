"""The list of notes: filtered by words, sorted by a column, each with its open flags.

The Notes screen and ``companion notes`` show the same rows in the same order.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from typing import Any

from companion.assessment.status import Status
from companion.documents.writers import safe_cell
from companion.notes.card import file_json
from companion.notes.record import NoteRecord
from companion.views.note_query import Clause, parse_filter

COLUMNS = ("Ref", "Date", "Type", "Title", "Words", "Tags", "Flags")
SORTS = tuple(c.lower() for c in COLUMNS)
"""The columns by the names ``companion notes --sort`` takes."""

Row = tuple[NoteRecord, int]
"""A note and how many of its flags are still open (not acknowledged)."""

SORT_KEYS: tuple[Callable[[Row], Any], ...] = (
    lambda row: row[0].ref.lower(),
    lambda row: str(row[0].get("date") or ""),
    lambda row: str(row[0].get("type") or "").lower(),
    lambda row: row[0].title.lower(),
    lambda row: row[0].words,
    lambda row: len(row[0].tags),
    lambda row: row[1],
)
"""How each column sorts: text ignoring case, numbers as numbers."""


def row_for(record: NoteRecord, flags: int) -> tuple[str, ...]:
    """The cells of one note, one per column."""
    if record.error:
        return ("", "", "unreadable", record.path, "", "", str(flags))
    return (
        record.ref,
        str(record.get("date") or ""),
        str(record.get("type") or ""),
        record.title,
        str(record.words),
        str(len(record.tags)),
        str(flags or ""),
    )


def matches(record: NoteRecord, needle: str) -> bool:
    """True when every word of ``needle`` appears in the note's path, ref, title, type or ACs."""
    if not needle:
        return True
    haystack = " ".join(
        [
            record.path,
            record.ref,
            record.title,
            str(record.get("type") or ""),
            *(t.ac for t in record.tags),
        ]
    ).lower()
    return all(word in haystack for word in needle.lower().split())


def note_rows(
    status: Status,
    needle: str = "",
    column: int = 0,
    reverse: bool = False,
    clauses: Sequence[Clause] = (),
) -> list[Row]:
    """Every note matching ``needle`` and ``clauses`` with its count of open flags, sorted
    by ``column``. Conditions in ``needle`` (``type=minutes``) are clauses too."""
    open_flags: dict[str, int] = {}
    for flag in status.flags:
        if not flag.acknowledged:
            open_flags[flag.note] = open_flags.get(flag.note, 0) + 1
    written, words = parse_filter(needle)
    conditions = [*clauses, *written]
    rows = [
        (record, open_flags.get(record.path, 0))
        for record in status.portfolio.records.values()
        if matches(record, words)
        and all(c.matches(record, open_flags.get(record.path, 0)) for c in conditions)
    ]
    rows.sort(key=SORT_KEYS[column], reverse=reverse)
    return rows


def rows_json(rows: list[Row]) -> list[dict[str, Any]]:
    """The rows for ``companion notes --json``."""
    return [
        {
            "note": record.path,
            "ref": record.ref,
            "date": str(record.get("date") or ""),
            "type": str(record.get("type") or ""),
            "title": record.title,
            "words": record.words,
            "tags": [t.ac for t in record.tags],
            "open_flags": flags,
            "readable": record.error is None,
            "file": file_json(record.file) if record.file is not None else None,
        }
        for record, flags in rows
    ]


CSV_COLUMNS = ("note", "ref", "date", "type", "title", "words", "tags", "open_flags")


def rows_csv(rows: list[Row]) -> str:
    """The rows for ``companion notes --csv``: tags joined by ``;``, and cells a
    spreadsheet would run as formulas neutralised."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for entry in rows_json(rows):
        values = [entry[c] for c in CSV_COLUMNS]
        values[6] = ";".join(entry["tags"])
        writer.writerow([safe_cell(str(v)) for v in values])
    return out.getvalue()
