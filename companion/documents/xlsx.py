"""A Document as an Excel workbook a tutor can sum, sort and print as it is.

One sheet per table (the summary first, then one per unit), numbers and dates stored as
numbers and dates, the header row bold, frozen and repeated on each printed page, text
wrapped in columns sized to their contents, thin borders round every cell, rows tall enough
for their wrapped text, and A4 pages as wide as the sheet (landscape when it is wide), so a
sheet prints one page across however many pages down. A draft says so at the top of every
sheet and in every printed page's header.

The workbook is written as it is made (openpyxl's write-only mode): each row goes to the
file when it is added, so a sheet of ten thousand rows is never held as cells.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable
from typing import TYPE_CHECKING, Protocol, cast

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from companion.documents.model import CellValue, Document, Row, Table, cell_text
from companion.documents.wrapping import lines_at
from companion.documents.writers import safe_cell
from companion.text.xml import xml_safe

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell
    from openpyxl.worksheet.cell_range import MultiCellRange
    from openpyxl.worksheet.dimensions import ColumnDimension, DimensionHolder, RowDimension
    from openpyxl.worksheet.header_footer import HeaderFooterItem
    from openpyxl.worksheet.page import PrintPageSetup
    from openpyxl.worksheet.properties import WorksheetProperties


class _Sheet(Protocol):
    """What is used here of openpyxl's write-only sheet: its ``_setup`` gives it these as a
    sheet of a normal workbook has them, which openpyxl's type stubs do not say."""

    row_dimensions: DimensionHolder[int, RowDimension]
    column_dimensions: DimensionHolder[str, ColumnDimension]
    merged_cells: MultiCellRange
    page_setup: PrintPageSetup
    sheet_properties: WorksheetProperties
    freeze_panes: str | None
    print_title_rows: str | None

    @property
    def oddHeader(self) -> HeaderFooterItem | None: ...

    @property
    def oddFooter(self) -> HeaderFooterItem | None: ...

    def append(self, row: Iterable[Cell]) -> None: ...


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
    return lines_at(text, int(width * 1.1))  # a width counts digits; most letters are narrower


def row_height(cells: list[str], widths: list[float]) -> float:
    """The height in points of a row holding ``cells`` in columns of ``widths``."""
    lines = max(
        (wrapped_lines(text, width) for text, width in zip(cells, widths, strict=False)),
        default=1,
    )
    return min(MAX_ROW_POINTS, lines * LINE_POINTS + 3)


def _cell(
    sheet: _Sheet,
    value: CellValue,
    *,
    font: Font | None = None,
    fill: PatternFill | None = None,
    framed: bool = True,
) -> Cell:
    """A cell as it is written: its value, wrapped and bordered (``framed``), a date or time
    shown as people write it."""
    cell = WriteOnlyCell(cast(WriteOnlyWorksheet, sheet))
    cell.value = _value(value)
    if framed:
        cell.alignment, cell.border = _WRAP, _BORDER
    if isinstance(value, dt.datetime):
        cell.number_format = _TIME
    elif isinstance(value, dt.date):
        cell.number_format = _DATE
    if font is not None:
        cell.font = font
    if fill is not None:
        cell.fill = fill
    return cell


def _write(sheet: _Sheet, number: int, cells: list[Cell], height: float) -> None:
    """Row ``number``, with its height: given before the row, as the row is written at once."""
    sheet.row_dimensions[number].height = height
    sheet.append(cells)
    del sheet.row_dimensions[number]  # written: not kept for every row of a long sheet


def _across(sheet: _Sheet, number: int, width: int) -> None:
    """Merge row ``number`` across the table."""
    if width > 1:
        sheet.merged_cells.add(CellRange(min_col=1, min_row=number, max_col=width, max_row=number))


def _draft_row(sheet: _Sheet, width: int, total: float) -> None:
    """The draft note across the top of the sheet, where anyone opening it looks first."""
    _across(sheet, 1, width)
    note = _cell(sheet, DRAFT_NOTE, font=_DRAFT_FONT, framed=False)
    _write(sheet, 1, [note], row_height([DRAFT_NOTE], [total]))


def _header_row(sheet: _Sheet, number: int, table: Table, widths: list[float]) -> None:
    cells = [_cell(sheet, xml_safe(c), font=_BOLD, fill=_HEADING) for c in table.columns]
    _write(sheet, number, cells, row_height(table.columns, widths))


def _data_row(sheet: _Sheet, row: Row, number: int, width: int, widths: list[float]) -> None:
    """``row`` as the sheet's row ``number``: its values, look and height; every column of
    the table bordered, those it has no value for too."""
    values: list[CellValue] = [*row.cells, *[None] * (width - len(row.cells))]
    if row.group:
        _across(sheet, number, width)
        cells = [_cell(sheet, values[0], font=_BOLD, fill=_GROUP)]
        cells += [_cell(sheet, None) for _ in values[1:]]
        texts, spans = [cell_text(row.cells[0])], [sum(widths)]
    else:
        cells = [_cell(sheet, value) for value in values]
        if row.highlight:
            cells[width - 1].fill = _MISSING
        if row.strong:
            cells[width - 1].font = _BOLD
        texts, spans = [cell_text(c) for c in row.cells], widths
    _write(sheet, number, cells, row_height(texts, spans))


def _fill(sheet: _Sheet, table: Table, widths: list[float], draft: bool) -> None:
    width = len(table.columns)
    # What goes before the rows in the file is set first: the column widths, the frozen
    # rows and the rows every printed page repeats (the draft note, the header).
    for index, column_width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column_width
    titles = int(draft) + int(table.heading)
    if titles:
        sheet.freeze_panes = f"A{titles + 1}"
        sheet.print_title_rows = f"1:{titles}"
    if draft:
        _draft_row(sheet, width, sum(widths))
    if table.heading:
        _header_row(sheet, titles, table, widths)
    for number, row in enumerate(table.rows, start=titles + 1):
        _data_row(sheet, row, number, width, widths)


def _header_text(text: str) -> str:
    """Text for a print header or footer, where ``&`` starts a code (``&P``)."""
    return xml_safe(text).replace("&", "&&")


def _page_setup(sheet: _Sheet, doc: Document, widths: list[float]) -> None:
    """A4, one page wide however many pages down, headed and footed on every page.

    ``fitToWidth`` alone does nothing: Excel and LibreOffice read it only when the sheet
    asks to fit to pages, and without ``fitToHeight = 0`` that squeezes everything onto
    one page.
    """
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
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
    book = Workbook(write_only=True)
    tables = ([doc.summary] if doc.summary else []) + doc.tables
    used: set[str] = set()
    if not tables:
        book.create_sheet("Sheet")  # a workbook has at least one sheet, if only an empty one
    for table in tables:
        sheet = cast(_Sheet, book.create_sheet(_sheet_name(table, used)))
        widths = _column_widths(table)
        _page_setup(sheet, doc, widths)
        _fill(sheet, table, widths, doc.draft)
    book.properties.title = xml_safe(doc.title)
    book.properties.creator = "companion"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
