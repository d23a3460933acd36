"""A small document model (title, notes, tables) that every export writer renders.

Exports build one of these from the engine's data, so Markdown, CSV, XLSX, DOCX and HTML
show the same rows and only the rendering differs.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Row:
    """A table row. A ``group`` row is a heading spanning the table (a learning outcome)."""

    cells: list[str]
    group: bool = False
    highlight: bool = False  # needs attention: no evidence yet


@dataclass
class Table:
    """A titled table; ``key`` names it in files that need short names (sheet names)."""

    title: str
    columns: list[str]
    rows: list[Row]
    key: str = ""


@dataclass
class Document:
    """What an export holds."""

    title: str
    byline: str
    tables: list[Table]
    notes: list[str] = field(default_factory=list)
    summary: Table | None = None
