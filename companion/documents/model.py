"""A small document model (title, notes, tables of typed cells) that every export writer renders.

Exports build one of these from the engine's data, so Markdown, CSV, XLSX, DOCX and HTML
show the same rows and only the rendering differs. Cells keep their type: a count is a
number and a date is a date, so a spreadsheet can sum and sort them; text formats write
them as people read them ("1 December 2026").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from companion.text.months import MONTHS

CellValue = str | int | float | dt.date | dt.datetime | None
"""What a cell holds: text, a number, a date or time, or nothing."""


@dataclass
class Row:
    """A table row. A ``group`` row is a heading spanning the table (a learning outcome)."""

    cells: list[CellValue]
    group: bool = False
    highlight: bool = False  # needs attention: no evidence yet
    strong: bool = False  # the last cell is a verdict to stand out (a Referral)


@dataclass
class SignatureRow(Row):
    """A row someone signs on paper (a name, a date, a signature): printed with room to sign."""


@dataclass
class Table:
    """A titled table; ``key`` names it in files that need short names (sheet names).

    ``widths`` are relative column widths for paged formats; ``heading`` is False for a
    table of label/value pairs, which has no header row.
    """

    title: str
    columns: list[str]
    rows: list[Row]
    key: str = ""
    widths: tuple[int, ...] = ()
    heading: bool = True


@dataclass
class Document:
    """What an export holds, and who and when it is for (shown on every page)."""

    title: str
    byline: str
    tables: list[Table]
    notes: list[str] = field(default_factory=list)
    summary: Table | None = None
    learner: str = ""
    produced: dt.datetime | dt.date | None = None
    draft: bool = False
    reference: str = ""
    """The evidence reference a page shows beside the learner and date (a piece of
    evidence rendered for the bundle); empty for the app's own documents."""


def long_date(value: dt.date | dt.datetime) -> str:
    """A date as people write it in the UK: ``1 December 2026`` (``, 14:05`` for a time)."""
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        value = value.astimezone()  # as the clock on the learner's wall reads it
    text = f"{value.day} {MONTHS[value.month - 1]} {value.year}"
    if isinstance(value, dt.datetime):
        text += f", {value.hour:02d}:{value.minute:02d}"
    return text


def iso_to_date(text: str) -> dt.datetime | dt.date | None:
    """An ISO date or time read back (``None`` when it is neither)."""
    try:
        if len(text) <= 10:
            return dt.date.fromisoformat(text)
        return dt.datetime.fromisoformat(text)
    except ValueError:
        return None


def cell_text(value: CellValue) -> str:
    """A cell as text for formats without types (Markdown, HTML, DOCX, CSV)."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return long_date(value)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)
