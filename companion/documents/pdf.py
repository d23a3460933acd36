"""A Document as a PDF an assessor accepts as it is, made with reportlab alone.

A4 (landscape when a table is too wide to read upright), every page headed with the
document's title and footed with the learner, the date it was produced and "Page n of m",
as the handbook asks every piece of evidence to carry them; "DRAFT" across every page of a
draft. The text is set in DejaVu Sans, shipped in ``fonts/`` and embedded (as a subset) in
every file: the PDF must show "Siobhán Ó Súilleabháin" and "£" on a machine that has never
seen the font, and the app must install from PyPI with no system libraries. Output is
byte-for-byte repeatable (reportlab's invariant mode), so tests can compare files.

Long tables are laid out a page at a time (``_Rows``): reportlab lays out a whole Table
again each time it splits one across a page, which is quadratic in the rows, and holds a
paragraph object for every cell; here only the rows of the page being laid out exist as
reportlab objects.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from functools import cache
from html import escape
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    PageTemplate,
    Paragraph,
    Spacer,
    TableStyle,
)
from reportlab.platypus import Table as PdfTable

from companion.documents.model import (
    CellValue,
    Document,
    Row,
    SignatureRow,
    Table,
    cell_text,
)
from companion.documents.writers import produced_line
from companion.text.xml import xml_safe

FONT_DIR = Path(__file__).with_name("fonts")
"""DejaVu Sans, shipped with the package (see ``fonts/LICENSE``)."""
FONT, BOLD, ITALIC = "CompanionSans", "CompanionSans-Bold", "CompanionSans-Oblique"
"""reportlab's names for the fonts: our own, so another registration cannot replace them."""
MARGIN = 20 * mm
PORTRAIT_WIDTH = A4[0] - 2 * MARGIN
WIDE_COLUMNS = 5
"""A table with this many columns is set on landscape pages: upright, each column would be
about 34 mm, too narrow for a sentence of evidence per line."""
_PAD = (4.0, 4.0, 2.5, 3.0)  # left, right, top, bottom padding of a table cell, in points
GRID = colors.HexColor("#999999")
HEADER_FILL = colors.HexColor("#EEEEEE")
_GROUP_FILL = colors.HexColor("#DDEBF7")
_MISSING_FILL = colors.HexColor("#FCE4D6")
_SAMPLE_ROWS = 200
"""The rows read to find a table's longest words (for the landscape rule): enough to see
its kind of content without reading every row of a very long table twice."""


@cache
def register_fonts() -> None:
    """Register the bundled fonts with reportlab, once per process.

    Bold italic is set in bold: the slanted bold face would add 650 KB to the package for
    text that is rare in evidence, and bold is the emphasis a reader must not miss."""
    for name, file in (
        (FONT, "DejaVuSans.ttf"),
        (BOLD, "DejaVuSans-Bold.ttf"),
        (ITALIC, "DejaVuSans-Oblique.ttf"),
    ):
        pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / file)))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=ITALIC, boldItalic=BOLD)


@cache
def styles() -> dict[str, ParagraphStyle]:
    """The paragraph styles every PDF uses, by name (``body``, ``cell``, ``h1`` to ``h4``…)."""
    register_fonts()
    body = ParagraphStyle(
        "body", fontName=FONT, fontSize=10, leading=13.5, spaceAfter=6, alignment=TA_LEFT
    )

    def heading(name: str, size: float, before: float) -> ParagraphStyle:
        return ParagraphStyle(
            name,
            parent=body,
            fontName=BOLD,
            fontSize=size,
            leading=size * 1.25,
            spaceBefore=before,
            spaceAfter=4,
            keepWithNext=1,
        )

    cell = ParagraphStyle("cell", parent=body, fontSize=9, leading=11.5, spaceAfter=0)
    return {
        "body": body,
        "title": heading("title", 18, 0),
        "h1": heading("h1", 14, 10),
        "h2": heading("h2", 12, 8),
        "h3": heading("h3", 11, 6),
        "h4": heading("h4", 10, 6),
        # a table's title: kept with its rows by a CondPageBreak, as keepWithNext would ask
        # the rows' height, which ``_Rows`` never gives
        "caption": ParagraphStyle("caption", parent=heading("h1", 14, 10), keepWithNext=0),
        "byline": ParagraphStyle("byline", parent=body, textColor=colors.HexColor("#444444")),
        "draft": ParagraphStyle("draft", parent=body, fontName=BOLD, textColor=colors.darkred),
        "quote": ParagraphStyle(
            "quote", parent=body, fontName=ITALIC, leftIndent=8 * mm, rightIndent=4 * mm
        ),
        "code": ParagraphStyle(
            "code",
            parent=body,
            fontSize=9,
            leading=11.5,
            leftIndent=4 * mm,
            backColor=colors.HexColor("#F3F3F3"),
            borderPadding=2,
        ),
        "cell": cell,
        "head": ParagraphStyle("head", parent=cell, fontName=BOLD),
    }


def markup(text: str) -> str:
    """Plain text as reportlab paragraph markup: escaped, with its line breaks kept."""
    return escape(xml_safe(text), quote=False).replace("\n", "<br/>")


def _weights(table: Table) -> list[float]:
    count = len(table.columns)
    weights = [float(w) for w in table.widths] if len(table.widths) == count else []
    if not weights or sum(weights) <= 0:
        weights = [1.0] * count
    total = sum(weights)
    return [w / total for w in weights]


def is_wide(table: Table) -> bool:
    """Whether ``table`` is set on landscape pages: it has WIDE_COLUMNS or more columns, or
    a column's longest word (in its heading or its first rows; a word longer than 45 mm is
    broken anyway) is wider than the column would be on an upright page."""
    if len(table.columns) >= WIDE_COLUMNS:
        return True
    register_fonts()  # to measure the words
    longest = [0.0] * len(table.columns)
    texts = [table.columns] if table.heading else []
    texts += [[cell_text(c) for c in r.cells] for r in table.rows[:_SAMPLE_ROWS] if not r.group]
    for cells in texts:
        for index, text in enumerate(cells[: len(longest)]):
            for word in text.split():
                longest[index] = max(longest[index], pdfmetrics.stringWidth(word, BOLD, 9))
    share = [PORTRAIT_WIDTH * w for w in _weights(table)]
    return any(
        min(word, 45 * mm) + _PAD[0] + _PAD[1] > room
        for word, room in zip(longest, share, strict=True)
    )


def _printed_lines(text: str) -> int:
    """The lines of ``text`` that are not blank: each takes at least a line of its cell."""
    return sum(1 for line in text.split("\n") if line.strip())


SIGN_HEIGHT = 15 * mm
"""A row someone signs on paper is this tall, as in the Word documents."""


class _Rows(Flowable):
    """The rows of a table from ``start`` on, laid out a page at a time.

    It never fits as a whole: the frame asks it to ``split`` into a reportlab Table of the
    rows that fit in the space left (under the header row again, so it repeats on every
    page) and a ``_Rows`` of the rest. A row taller than a page (an AC's evidence, a KSB's
    notes: a line each, thousands at scale) is cut at a line break into what fits and the
    rest (``carry``), laying out only the lines each page holds: reportlab's own split
    inside a row lays the whole rest of the cell out again at every page."""

    def __init__(
        self, table: Table, width: float, start: int = 0, carry: Row | None = None
    ) -> None:
        super().__init__()
        self.table, self.width, self.start, self.carry = table, width, start, carry
        self.widths = [width * w for w in _weights(table)]

    def _pending(self) -> Iterator[Row]:
        """The rows still to lay out: what is left of the row at ``start``, then the rest."""
        rows = self.table.rows
        first = self.start
        if self.carry is not None:
            yield self.carry
            first += 1
        for index in range(first, len(rows)):
            yield rows[index]

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return availWidth, availHeight + 1

    def _cells(self, row: Row) -> list[Any]:
        sheet = styles()
        if row.group:
            label = cell_text(row.cells[0]) if row.cells else ""
            return [Paragraph(markup(label), sheet["head"])] + [""] * (len(self.widths) - 1)
        texts = [cell_text(c) for c in row.cells][: len(self.widths)]
        texts += [""] * (len(self.widths) - len(texts))
        parts = [markup(t) for t in texts]
        if row.highlight and not texts[-1]:
            parts[-1] = "<i>none yet</i>"
        if row.strong and texts[-1]:
            first, _, rest = parts[-1].partition("<br/>")
            parts[-1] = f"<b>{first}</b>" + (f"<br/>{rest}" if rest else "")
        return [Paragraph(p, sheet["cell"]) for p in parts]

    def _height(self, cells: list[Any], row: Row | None) -> float:
        if row is not None and row.group:
            inner = [(cells[0], self.width)]
        else:
            inner = list(zip(cells, self.widths, strict=True))
        tallest = max(
            (c.wrap(w - _PAD[0] - _PAD[1], 1e9)[1] for c, w in inner if isinstance(c, Flowable)),
            default=0.0,
        )
        height = float(tallest) + _PAD[2] + _PAD[3]
        return max(height, SIGN_HEIGHT) if isinstance(row, SignatureRow) else height

    def _least_height(self, row: Row) -> float:
        """The least height ``row`` can take, from its lines alone (wrapping only adds):
        enough to tell that a cell of a thousand lines does not fit without laying it out."""
        lines = max((_printed_lines(cell_text(c)) for c in row.cells), default=0)
        height = lines * styles()["cell"].leading + _PAD[2] + _PAD[3]
        return max(height, SIGN_HEIGHT) if isinstance(row, SignatureRow) else height

    def _header(self) -> list[Any]:
        sheet = styles()
        return [Paragraph(markup(c), sheet["head"]) for c in self.table.columns]

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        rows = self.table.rows
        data: list[list[Any]] = [self._header()] if self.table.heading else []
        used = self._height(data[0], None) if data else 0.0
        taken: list[Row] = []
        for row in self._pending():
            height = self._least_height(row)
            cells: list[Any] | None = None  # a row that cannot fit is not laid out
            if used + height <= availHeight:
                cells = self._cells(row)
                height = self._height(cells, row)
            if taken and used + height > availHeight:
                break
            if not taken and used + height > availHeight:
                if not getattr(self, "_postponed", False):
                    return []  # next page; the frame marks us postponed
                cut = self._cut(row, availHeight - used)
                if cut is not None:  # taller than a page: its first lines here, the rest on
                    head, rest = cut
                    data.append(self._cells(head))
                    carried = _Rows(self.table, self.width, self.start, rest)
                    return [self._table(data, [head]), carried]
                # one line taller than a page on its own: let reportlab split inside the row
                data.append(cells if cells is not None else self._cells(row))
                table = self._table(data, [row], split_in_row=True)
                return [*table.split(availWidth, availHeight), *self._rest(1)]
            assert cells is not None  # it fits, so it was laid out
            data.append(cells)
            taken.append(row)
            used += height
        if not taken and rows:
            return []
        if not data:  # no header and no rows: nothing to draw
            return []
        return [self._table(data, taken), *self._rest(len(taken))]

    def _cut(self, row: Row, room: float) -> tuple[Row, Row] | None:
        """``row`` cut at a line break, each cell at the same line, into the most lines that
        fit in ``room`` and the rest; None when not even the first line fits, or the row is
        a heading or a row to sign (short by their nature)."""
        if row.group or isinstance(row, SignatureRow):
            return None
        lines = [cell_text(c).split("\n") for c in row.cells]
        longest = max((len(cell) for cell in lines), default=0)

        def part(start: int, end: int | None) -> list[CellValue]:
            return ["\n".join(cell[start:end]) for cell in lines]

        def fits(count: int) -> bool:
            head = replace(row, cells=part(0, count))
            return self._height(self._cells(head), head) <= room

        if longest < 2 or not fits(1):
            return None
        # the most lines that fit, found by doubling and then halving: each try lays out
        # only the lines it would put on this page, never the whole rest of the cell
        low, high = 1, 2
        while high < longest and fits(high):
            low, high = high, high * 2
        high = min(high, longest)  # the whole row does not fit: ``high`` lines do not
        while high - low > 1:
            middle = (low + high) // 2
            low, high = (middle, high) if fits(middle) else (low, middle)
        left = part(low, None)
        rest = replace(row, cells=left, strong=False, highlight=row.highlight and bool(left[-1]))
        return replace(row, cells=part(0, low)), rest

    def _rest(self, placed: int) -> list[Flowable]:
        start = self.start + placed
        return [_Rows(self.table, self.width, start)] if start < len(self.table.rows) else []

    def _table(self, data: list[list[Any]], rows: list[Row], *, split_in_row: bool = False) -> Any:
        heading = 1 if self.table.heading else 0
        commands: list[tuple[Any, ...]] = [
            ("GRID", (0, 0), (-1, -1), 0.5, GRID),
            ("FONT", (0, 0), (-1, -1), FONT, 9),  # for cells of plain text: not Helvetica
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), _PAD[0]),
            ("RIGHTPADDING", (0, 0), (-1, -1), _PAD[1]),
            ("TOPPADDING", (0, 0), (-1, -1), _PAD[2]),
            ("BOTTOMPADDING", (0, 0), (-1, -1), _PAD[3]),
        ]
        if heading:
            commands.append(("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL))
        for index, row in enumerate(rows, start=heading):
            if row.group:
                commands.append(("SPAN", (0, index), (-1, index)))
                commands.append(("BACKGROUND", (0, index), (-1, index), _GROUP_FILL))
            elif row.highlight:
                commands.append(("BACKGROUND", (-1, index), (-1, index), _MISSING_FILL))
        heights = [None] * heading + [
            SIGN_HEIGHT if isinstance(row, SignatureRow) else None for row in rows
        ]
        return PdfTable(
            data,
            colWidths=self.widths,
            rowHeights=heights if len(heights) == len(data) else None,
            style=TableStyle(commands),
            repeatRows=heading,
            splitInRow=1 if split_in_row else 0,
            hAlign="LEFT",
        )


def table_flowables(table: Table, width: float) -> list[Flowable]:
    """A titled table: its heading kept on the page with the first rows, then its rows."""
    title = [CondPageBreak(60 * mm), Paragraph(markup(table.title), styles()["caption"])]
    if not table.columns or not (table.rows or table.heading):
        return title  # nothing to tabulate, but the reader sees the section was there
    return [*title, _Rows(table, width), Spacer(1, 4 * mm)]


def _decorate(doc: Document, canvas: Canvas, template: BaseDocTemplate) -> None:
    """What every page carries, drawn under its content: header, footer, DRAFT."""
    width, height = template.pagesize
    if doc.draft:
        canvas.saveState()
        canvas.setFillColor(colors.Color(0.8, 0.1, 0.1, alpha=0.13))
        canvas.setFont(BOLD, 110)
        canvas.translate(width / 2, height / 2)
        canvas.rotate(35 if width < height else 25)
        canvas.drawCentredString(0, -40, "DRAFT")
        canvas.restoreState()
    canvas.saveState()
    canvas.setFillColor(colors.HexColor("#444444"))
    canvas.setStrokeColor(GRID)
    canvas.setLineWidth(0.4)
    canvas.setFont(FONT, 8)
    canvas.drawString(MARGIN, height - 12 * mm, _fit(xml_safe(doc.title), width - 2 * MARGIN))
    canvas.line(MARGIN, height - 13.5 * mm, width - MARGIN, height - 13.5 * mm)
    canvas.line(MARGIN, 14.5 * mm, width - MARGIN, 14.5 * mm)
    canvas.drawString(MARGIN, 10 * mm, _fit(xml_safe(footer_line(doc)), width - 2 * MARGIN - 90))
    canvas.restoreState()


def footer_line(doc: Document) -> str:
    """The learner, the date, and a piece of evidence's reference, as every page shows."""
    line = produced_line(doc)
    if doc.reference and doc.reference not in line:
        line += f" · evidence reference {doc.reference}"
    return line


def _fit(text: str, room: float) -> str:
    """``text`` cut with an ellipsis to fit ``room`` points of a header or footer line."""
    if pdfmetrics.stringWidth(text, FONT, 8) <= room:
        return text
    while text and pdfmetrics.stringWidth(text + "…", FONT, 8) > room:
        text = text[:-1]
    return text + "…"


class _NumberedCanvas(Canvas):
    """A canvas that holds its pages until the end, to write "Page n of m" on each.

    A held page's drawing is kept as one compressed string rather than reportlab's list of
    operators: a page of a long table is thousands of them, and a table of ten thousand
    rows is four hundred pages."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._held: list[dict[str, Any]] = []
        self._width = float(kwargs.get("pagesize", A4)[0])

    def showPage(self) -> None:
        state = dict(self.__dict__)
        drawn = "\n".join(state["_code"])  # reportlab joins them so itself
        state["_code"] = zlib.compress(drawn.encode("utf-8"), 1)
        self._held.append(state)
        self._startPage()  # type: ignore[attr-defined]  # reportlab's own, as its docs do

    def save(self) -> None:
        total = len(self._held)
        self._held.reverse()  # taken from the end: each page let go once it is drawn
        while self._held:
            state = self._held.pop()
            state["_code"] = [zlib.decompress(state["_code"]).decode("utf-8")]
            self.__dict__.update(state)
            self.saveState()
            self.setFont(FONT, 8)
            self.setFillColor(colors.HexColor("#444444"))
            number = self.getPageNumber()
            self.drawRightString(self._width - MARGIN, 10 * mm, f"Page {number} of {total}")
            self.restoreState()
            super().showPage()
        super().save()


def heading_flowables(doc: Document) -> list[Flowable]:
    """The title, byline, DRAFT line and notes that open every document."""
    sheet = styles()
    story: list[Flowable] = [
        Paragraph(markup(doc.title), sheet["title"]),
        Paragraph(markup(doc.byline), sheet["byline"]),
    ]
    if doc.draft:
        story.append(Paragraph("DRAFT: not ready for submission.", sheet["draft"]))
    story += [Paragraph(markup(note), sheet["body"]) for note in doc.notes]
    return story


def text_width(doc: Document) -> float:
    """The width of the text on ``doc``'s pages, in points."""
    return PORTRAIT_WIDTH if not _landscape(doc) else landscape(A4)[0] - 2 * MARGIN


def _landscape(doc: Document) -> bool:
    return any(is_wide(t) for t in ([doc.summary] if doc.summary else []) + doc.tables)


def pdf_bytes(doc: Document, *, body: Sequence[Flowable] | Iterable[Flowable] = ()) -> bytes:
    """The PDF file's bytes: ``doc``'s title, notes, any ``body`` flowables (a rendered
    Markdown text), then its tables."""
    register_fonts()
    size = landscape(A4) if _landscape(doc) else A4
    width = size[0] - 2 * MARGIN
    out = io.BytesIO()
    template = BaseDocTemplate(
        out,
        pagesize=size,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=xml_safe(doc.title),
        author=xml_safe(doc.learner),
        creator="companion",
        invariant=1,
        initialFontName=FONT,  # else every page names Helvetica, a font not embedded
    )
    frame = Frame(
        MARGIN, MARGIN, width, size[1] - 2 * MARGIN, id="text", leftPadding=0, rightPadding=0
    )
    template.addPageTemplates(
        [PageTemplate("page", [frame], onPage=lambda c, t: _decorate(doc, c, t))]
    )
    story = heading_flowables(doc) + list(body)
    for table in ([doc.summary] if doc.summary else []) + doc.tables:
        story += table_flowables(table, width)
    template.build(story, canvasmaker=_NumberedCanvas)
    return out.getvalue()
