"""A Document as an Excel workbook a tutor can sum, sort and print as it is.

One sheet per table (the summary first, then one per unit), numbers and dates stored as
numbers and dates, the header row bold, frozen and repeated on each printed page, text
wrapped in columns sized to their contents, thin borders round every cell, rows tall enough
for their wrapped text, and A4 pages as wide as the sheet (landscape when it is wide), so a
sheet prints one page across however many pages down. A draft says so at the top of every
sheet and in every printed page's header.
"""

from __future__ import annotations

import datetime as dt
import io
import math

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from companion.documents.model import CellValue, Document, Row, Table, cell_text
from companion.documents.writers import safe_cell
from companion.text.xml import xml_safe

_BOLD = Font(name="Calibri", size=11, bold=True)  # the workbook's font: not a fallback serif
_DRAFT_FONT = Font(name="Calibri", size=11, bold=True, color="AA0000")
_WRAP = Alignment(wrap_text=True, vertical="top")
_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_GROUP = PatternFill("solid", fgColor="DDEBF7")
_HEADING = PatternFill("solid", fgColor="EEEEEE")
_MISSING = PatternFill("solid", fgColor="FCE4D6")
_DATE = "d mmmm yyyy"
_TIME = "d mmmm yyyy hh:mm"
_MAX_WIDTH = 70
DRAFT_NOTE = "DRAFT: not ready for submission."

LINE_POINTS = 15.0
"""The height of one line of 11-point Calibri, Excel's default row height."""
MAX_ROW_POINTS = 409.0
"""The tallest row Excel allows."""
PORTRAIT_WIDTH = 90
"""About how many characters of column width fit across A4 portrait at Excel's margins;
a wider sheet prints landscape so its text is not shrunk to fit."""


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


def _column_widths(table: Table) -> list[float]:
    """Each column as wide as its longest line (within limits), so text wraps rarely."""
    widths = []
    for index in range(len(table.columns)):
        lines = table.columns[index].split("\n") if table.heading else []
        for row in table.rows:
            if not row.group and index < len(row.cells):
                lines += cell_text(row.cells[index]).split("\n")
        longest = max((len(line) for line in lines), default=8)
        widths.append(float(max(10, min(longest + 2, _MAX_WIDTH))))
    return widths


def wrapped_lines(text: str, width: float) -> int:
    """How many lines ``text`` takes wrapped in a column ``width`` characters wide.

    Excel does not grow a row for wrapped text it has not laid out itself, and LibreOffice
    and printers keep the height the file gives, so a row too short prints its lines over
    the next row: the height is estimated here, erring on the tall side.
    """
    per_line = max(1, int(width * 1.1))  # a width counts digits; most letters are narrower
    return sum(max(1, math.ceil(len(line) / per_line)) for line in text.split("\n"))


def row_height(cells: list[str], widths: list[float]) -> float:
    """The height in points of a row holding ``cells`` in columns of ``widths``."""
    lines = max(
        (wrapped_lines(text, width) for text, width in zip(cells, widths, strict=False)),
        default=1,
    )
    return min(MAX_ROW_POINTS, lines * LINE_POINTS + 3)


def _style_row(sheet: Worksheet, number: int, width: int) -> None:
    """Wrap and border every cell of a row, merged ones included."""
    for column in range(1, width + 1):
        cell = sheet.cell(number, column)
        cell.alignment, cell.border = _WRAP, _BORDER


def _draft_row(sheet: Worksheet, width: int, total: float) -> None:
    """The draft note across the top of the sheet, where anyone opening it looks first."""
    sheet.append([DRAFT_NOTE])
    if width > 1:
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet.cell(1, 1).font = _DRAFT_FONT
    sheet.row_dimensions[1].height = row_height([DRAFT_NOTE], [total])


def _data_row(sheet: Worksheet, row: Row, current: int, width: int, widths: list[float]) -> None:
    """``row`` as the sheet's row number ``current``: its values, look and height."""
    sheet.append([_value(c) for c in row.cells])
    _style_row(sheet, current, width)
    for column, value in enumerate(row.cells, start=1):
        cell = sheet.cell(current, column)
        if isinstance(value, dt.datetime):
            cell.number_format = _TIME
        elif isinstance(value, dt.date):
            cell.number_format = _DATE
    if row.group:
        if width > 1:
            sheet.merge_cells(start_row=current, start_column=1, end_row=current, end_column=width)
        sheet.cell(current, 1).font = _BOLD
        sheet.cell(current, 1).fill = _GROUP
        texts, spans = [cell_text(row.cells[0])], [sum(widths)]
    else:
        if row.highlight:
            sheet.cell(current, width).fill = _MISSING
        if row.strong:
            sheet.cell(current, width).font = _BOLD
        texts, spans = [cell_text(c) for c in row.cells], widths
    sheet.row_dimensions[current].height = row_height(texts, spans)


def _fill(sheet: Worksheet, table: Table, widths: list[float], draft: bool) -> None:
    width = len(table.columns)
    # the rows every printed page repeats: the draft note, the header; counted here, as
    # the sheet's max_row looks at every cell each time it is asked (and says 1 when empty)
    titles = 0
    if draft:
        _draft_row(sheet, width, sum(widths))
        titles += 1
    if table.heading:
        sheet.append([xml_safe(c) for c in table.columns])
        titles += 1
        _style_row(sheet, titles, width)
        for cell in sheet[titles]:
            cell.font, cell.fill = _BOLD, _HEADING
        sheet.row_dimensions[titles].height = row_height(table.columns, widths)
    if titles:
        sheet.freeze_panes = f"A{titles + 1}"
        sheet.print_title_rows = f"1:{titles}"
    for number, row in enumerate(table.rows, start=titles + 1):
        _data_row(sheet, row, number, width, widths)
    for index, column_width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column_width


def _header_text(text: str) -> str:
    """Text for a print header or footer, where ``&`` starts a code (``&P``)."""
    return xml_safe(text).replace("&", "&&")


def _page_setup(sheet: Worksheet, doc: Document, widths: list[float]) -> None:
    """A4, one page wide however many pages down, headed and footed on every page.

    ``fitToWidth`` alone does nothing: Excel and LibreOffice read it only when the sheet
    asks to fit to pages, and without ``fitToHeight = 0`` that squeezes everything onto
    one page.
    """
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    wide = sum(widths) > PORTRAIT_WIDTH
    sheet.page_setup.orientation = "landscape" if wide else "portrait"
    if sheet.sheet_properties.pageSetUpPr is None:
        sheet.sheet_properties.pageSetUpPr = PageSetupProperties()
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    header, footer = sheet.oddHeader, sheet.oddFooter
    if header is None or footer is None:
        return
    header.center.text = _header_text(doc.title)
    if doc.draft:
        header.left.text, header.left.font = "DRAFT", "-,Bold"
    footer.left.text = _header_text(doc.learner or "")
    footer.right.text = "Page &P of &N"


def xlsx_bytes(doc: Document) -> bytes:
    """The workbook's bytes: a summary sheet, then a sheet per table."""
    book = Workbook()
    tables = ([doc.summary] if doc.summary else []) + doc.tables
    used: set[str] = set()
    for index, table in enumerate(tables):
        sheet = book.active if index == 0 else book.create_sheet()
        assert isinstance(sheet, Worksheet)
        sheet.title = _sheet_name(table, used)
        widths = _column_widths(table)
        _fill(sheet, table, widths, doc.draft)
        _page_setup(sheet, doc, widths)
    book.properties.title = xml_safe(doc.title)
    book.properties.creator = "companion"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
