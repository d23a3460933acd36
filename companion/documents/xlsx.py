"""A Document as an Excel workbook a tutor can sum, sort and print as it is.

One sheet per table (the summary first, then one per unit), numbers and dates stored as
numbers and dates, the header row bold, frozen and repeated on each printed page, text
wrapped in columns sized to their contents, A4 pages.
"""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from companion.documents.model import CellValue, Document, Table, cell_text
from companion.documents.writers import safe_cell
from companion.text.xml import xml_safe

_BOLD = Font(bold=True)
_WRAP = Alignment(wrap_text=True, vertical="top")
_GROUP = PatternFill("solid", fgColor="DDEBF7")
_MISSING = PatternFill("solid", fgColor="FCE4D6")
_DATE = "d mmmm yyyy"
_TIME = "d mmmm yyyy hh:mm"
_MAX_WIDTH = 70


def _value(value: CellValue) -> str | int | float | dt.date | dt.datetime | None:
    """A cell as openpyxl stores it: text made safe, times without a zone (Excel has none)."""
    if isinstance(value, str):
        return xml_safe(safe_cell(value))
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.UTC).replace(tzinfo=None)
    return value


def _sheet_name(table: Table, used: set[str]) -> str:
    name = f"Unit {table.key}" if table.key.isdigit() else table.title
    for bad in "[]:*?/\\":
        name = name.replace(bad, " ")
    name = name.strip()[:31] or "Sheet"
    base, n = name, 2
    while name.lower() in used:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(name.lower())
    return name


def _fill(sheet: Worksheet, table: Table) -> None:
    width = len(table.columns)
    if table.heading:
        sheet.append([xml_safe(c) for c in table.columns])
        for cell in sheet[1]:
            cell.font, cell.alignment = _BOLD, _WRAP
        sheet.freeze_panes = "A2"
        sheet.print_title_rows = "1:1"
    for row in table.rows:
        sheet.append([_value(c) for c in row.cells])
        current = sheet.max_row
        for column, value in enumerate(row.cells, start=1):
            cell = sheet.cell(current, column)
            cell.alignment = _WRAP
            if isinstance(value, dt.datetime):
                cell.number_format = _TIME
            elif isinstance(value, dt.date):
                cell.number_format = _DATE
        if row.group:
            sheet.merge_cells(start_row=current, start_column=1, end_row=current, end_column=width)
            sheet.cell(current, 1).font = _BOLD
            sheet.cell(current, 1).fill = _GROUP
        elif row.highlight:
            sheet.cell(current, width).fill = _MISSING
        if row.strong and not row.group:
            sheet.cell(current, width).font = _BOLD


def _size_columns(sheet: Worksheet, table: Table) -> None:
    for index in range(len(table.columns)):
        lines = table.columns[index].split("\n") if table.heading else []
        for row in table.rows:
            if not row.group and index < len(row.cells):
                lines += cell_text(row.cells[index]).split("\n")
        longest = max((len(line) for line in lines), default=8)
        sheet.column_dimensions[get_column_letter(index + 1)].width = max(
            10, min(longest + 2, _MAX_WIDTH)
        )


def xlsx_bytes(doc: Document) -> bytes:
    """The workbook's bytes: a summary sheet, then a sheet per table."""
    book = Workbook()
    tables = ([doc.summary] if doc.summary else []) + doc.tables
    used: set[str] = set()
    for index, table in enumerate(tables):
        sheet = book.active if index == 0 else book.create_sheet()
        assert isinstance(sheet, Worksheet)
        sheet.title = _sheet_name(table, used)
        _fill(sheet, table)
        _size_columns(sheet, table)
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.fitToWidth = 1
        header, footer = sheet.oddHeader, sheet.oddFooter
        if header is not None and footer is not None:
            header.center.text = xml_safe(doc.title)
            footer.left.text = xml_safe(doc.learner or "")
            footer.right.text = "Page &P of &N"
    book.properties.title = xml_safe(doc.title)
    book.properties.creator = "companion"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
