"""A Document as a Word file an assessor accepts as it is.

A4 pages (a UK qualification), every page headed with the document's title and footed with
the learner's name, the date it was produced and "Page n of m", as the handbook asks every
piece of evidence to carry them. Tables have sized columns, a header row repeated on each
page, and rows that do not split across pages (unless one may be taller than a page); a
table of label/value pairs has no empty header row, and a row to sign on paper is tall
enough to sign. Several documents in one file (a Results Sheet per unit) each start a
section of their own: a new page, and a page header naming that document.

A table's rows are written into the file as it is saved, one at a time (``_Later``): Word's
XML for a row of cells is a dozen elements, and a portfolio's evidence index of thousands
of rows held whole would take a hundred megabytes.
"""

from __future__ import annotations

import copy
import io
import os
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import BinaryIO, cast

from docx import Document as WordDocument
from docx.document import Document as WordFile
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_ROW_HEIGHT_RULE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Cm, Mm, Pt
from docx.table import Table as WordTable
from docx.table import _Cell
from docx.text.paragraph import Paragraph
from lxml import etree

from companion.documents.model import Document, Row, SignatureRow, Table, cell_text
from companion.documents.wrapping import lines_at
from companion.documents.writers import produced_line
from companion.text.xml import xml_safe

PAGE_WIDTH, PAGE_HEIGHT, MARGIN = Mm(210), Mm(297), Mm(20)
TEXT_WIDTH_MM = 170
SIGNATURE_ROW = Cm(1.5)
"""The least height of a row signed on paper: room for a handwritten signature."""


def _on(element: object, tag: str) -> None:
    """Add an empty switch element such as ``w:tblHeader`` to a properties element."""
    child = OxmlElement(tag)
    child.set(qn("w:val"), "true")
    element.append(child)  # type: ignore[attr-defined]


def _bold_first_line(cell: _Cell) -> None:
    """Make the first line of the cell's text bold, leaving the rest as it was."""
    paragraph = cell.paragraphs[0]
    first, newline, rest = paragraph.text.partition("\n")
    for run in list(paragraph.runs):
        run._r.getparent().remove(run._r)
    paragraph.add_run(first).bold = True
    if newline:
        paragraph.add_run(newline + rest)


def _shade(cell: _Cell, colour: str) -> None:
    properties = cell._tc.get_or_add_tcPr()
    fill = OxmlElement("w:shd")
    fill.set(qn("w:val"), "clear")
    fill.set(qn("w:color"), "auto")
    fill.set(qn("w:fill"), colour)
    properties.append(fill)


def _field(paragraph: Paragraph, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word fills in on each page."""
    for kind, text in (("begin", None), (None, instruction), ("end", None)):
        run = paragraph.add_run()
        if kind is not None:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        else:
            code = OxmlElement("w:instrText")
            code.set(qn("xml:space"), "preserve")
            code.text = f" {text} "
            run._r.append(code)


def _headed(section: Section, doc: Document) -> None:
    """A4 with margins, and a header and footer of the section's own naming ``doc``.

    The header is unlinked from the section before, so a file of several documents heads
    each page with the document it belongs to rather than the first one's title.
    """
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, MARGIN)
    section.header.is_linked_to_previous = False
    section.header.paragraphs[0].text = xml_safe(doc.title)
    section.footer.is_linked_to_previous = False
    footer = section.footer.paragraphs[0]
    footer.add_run(xml_safe(produced_line(doc)) + " · Page ")
    _field(footer, "PAGE")
    footer.add_run(" of ")
    _field(footer, "NUMPAGES")


def _widths(table: Table) -> list[int]:
    weights = list(table.widths) or [1] * len(table.columns)
    total = sum(weights) or 1
    return [round(TEXT_WIDTH_MM * w / total) for w in weights]


@dataclass
class _Later:
    """A table whose data rows are made as the file is saved, each written and let go:
    in the document it has its header and one placeholder row holding ``marker``."""

    marker: str
    grid: WordTable
    table: Table
    widths: list[int]


def _table(word: WordFile, table: Table, later: list[_Later]) -> WordTable:
    """The table with its header row; its data rows are added to ``later``, to be written
    when the file is saved (``finish``)."""
    widths = _widths(table)
    grid: WordTable = word.add_table(rows=0, cols=len(table.columns))  # unannotated upstream
    grid.style = "Table Grid"
    grid.autofit = False
    if table.heading:
        row = grid.add_row()
        trPr = row._tr.get_or_add_trPr()
        _on(trPr, "w:tblHeader")
        _on(trPr, "w:cantSplit")
        for cell, title in zip(row.cells, table.columns, strict=True):
            cell.text = xml_safe(title)
            for run in cell.paragraphs[0].runs:
                run.bold = True
            _shade(cell, "EEEEEE")
    # Word reads each cell's width, LibreOffice the table grid's: set both.
    for column, width in zip(grid.columns, widths, strict=True):
        column.width = Mm(width)
    for row in grid.rows:
        for cell, width in zip(row.cells, widths, strict=False):
            cell.width = Mm(width)
    if table.rows and table.columns:  # a row of no columns has nothing to show
        marker = f"companion-rows-{len(later)}-{os.urandom(8).hex()}"  # no text holds it
        grid.add_row().cells[0].text = marker
        later.append(_Later(marker, grid, table, widths))
    return grid


PAGE_LINES = 40
"""The most lines a row is estimated to take and still be kept on one page. An A4 page
holds about 55 lines of 10-point text under its header, its footer and the table's header
row; Word cuts off a row taller than a page that may not break, so a longer one may."""
CHAR_MM = 2.0
"""The width taken for a character in the estimate, in mm: more than most take at 10
points, so lines are overestimated and a row that might not fit on a page may break."""


def _keeps_together(data: Row, widths: list[int]) -> bool:
    """Whether ``data`` is kept on one page (``cantSplit``): yes unless it may be taller
    than a page, as a KSB's evidence in a large portfolio is."""
    if data.group:
        texts, spans = [cell_text(data.cells[0]) if data.cells else ""], [sum(widths)]
    else:
        texts, spans = [cell_text(c) for c in data.cells], widths
    lines = (lines_at(text, int(span / CHAR_MM)) for text, span in zip(texts, spans, strict=False))
    return max(lines, default=1) <= PAGE_LINES


def _data_row(grid: WordTable, data: Row, widths: list[int]) -> etree._Element:
    """One data row, added to the end of ``grid``: its element."""
    row = grid.add_row()
    if _keeps_together(data, widths):
        _on(row._tr.get_or_add_trPr(), "w:cantSplit")
    if isinstance(data, SignatureRow):
        row.height, row.height_rule = SIGNATURE_ROW, WD_ROW_HEIGHT_RULE.AT_LEAST
    cells = row.cells
    if data.group:
        merged = cells[0].merge(cells[-1])
        merged.text = xml_safe(cell_text(data.cells[0]))
        merged.paragraphs[0].runs[0].bold = True
        _shade(merged, "DDEBF7")
    else:
        for cell, value in zip(cells, data.cells, strict=False):
            cell.text = xml_safe(cell_text(value))
        if data.strong:  # the verdict's first line in bold: it is what the reader looks for
            _bold_first_line(cells[-1])
        if data.highlight:
            _shade(cells[-1], "FCE4D6")
    for cell, width in zip(row.cells, widths, strict=False):
        cell.width = Mm(width)
    return cast(etree._Element, row._tr)


_W = f' xmlns:w="{qn("w:tr")[1:].partition("}")[0]}"'.encode()
"""The declaration of Word's namespace, which the document's root already makes."""


def _row_xml(tr: etree._Element) -> bytes:
    """A row's XML as it stands in the document: declaring only what its root does not."""
    alone = copy.deepcopy(tr)
    etree.cleanup_namespaces(alone)
    xml = cast(bytes, etree.tostring(alone, encoding="utf-8"))
    head = b"<w:tr" + _W
    return b"<w:tr" + xml[len(head) :] if xml.startswith(head) else xml


def _rows_xml(later: _Later) -> Iterator[bytes]:
    """The table's data rows, each made, written out and taken off the table again."""
    tbl = later.grid._tbl
    for data in later.table.rows:
        tr = _data_row(later.grid, data, later.widths)
        yield _row_xml(tr)
        tbl.remove(tr)


def _placeholder(xml: bytes, marker: str, start: int) -> tuple[int, int]:
    """Where the placeholder row holding ``marker`` begins and ends in the XML."""
    found = xml.index(marker.encode(), start)
    opening = max(xml.rfind(b"<w:tr>", start, found), xml.rfind(b"<w:tr ", start, found))
    closing = xml.index(b"</w:tr>", found) + len(b"</w:tr>")
    if opening < 0:
        raise ValueError(f"no row holds {marker}")
    return opening, closing


def _write_document(out: BinaryIO, xml: bytes, later: Sequence[_Later]) -> None:
    """The document's XML with each placeholder row replaced by its table's rows."""
    done = 0
    for table in later:
        opening, closing = _placeholder(xml, table.marker, done)
        out.write(xml[done:opening])
        for piece in _rows_xml(table):
            out.write(piece)
        done = closing
    out.write(xml[done:])


def _with_rows(packed: bytes, part: str, later: Sequence[_Later]) -> bytes:
    """The saved file ``packed`` with its tables' rows written into its ``part``."""
    result = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(packed)) as source,
        zipfile.ZipFile(result, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            if info.filename != part:
                target.writestr(info, source.read(info))
                continue
            entry = zipfile.ZipInfo(info.filename, info.date_time)
            entry.compress_type = zipfile.ZIP_DEFLATED
            # No ZIP64 header: zipfile would put it in the part's own header only, not in the
            # file's directory, and Office takes a small part whose two disagree as damaged.
            with target.open(entry, "w") as out:
                _write_document(cast(BinaryIO, out), source.read(info), later)
    return result.getvalue()


def _opening(word: WordFile, doc: Document) -> None:
    """The title, the byline and any draft mark at the top of ``doc``'s first page."""
    word.add_heading(xml_safe(doc.title), level=0)
    word.add_paragraph(xml_safe(doc.byline))
    if doc.draft:
        word.add_paragraph().add_run("DRAFT: not ready for submission.").bold = True


def _body(word: WordFile, doc: Document, later: list[_Later]) -> None:
    """The notes, then the summary and each table under its heading."""
    for note in doc.notes:
        word.add_paragraph(xml_safe(note))
    for table in ([doc.summary] if doc.summary else []) + doc.tables:
        word.add_heading(xml_safe(table.title), level=1)
        _table(word, table, later)


def start(doc: Document, *, font_size: int = 10) -> WordFile:
    """A Word document laid out for ``doc``: A4, header and footer, title and byline."""
    word = WordDocument()
    word.styles["Normal"].font.size = Pt(font_size)
    _headed(word.sections[0], doc)
    _opening(word, doc)
    word.core_properties.title = xml_safe(doc.title)[:255]
    word.core_properties.author = xml_safe(doc.learner)[:255]
    return word


def finish(word: WordFile, later: Sequence[_Later] = ()) -> bytes:
    """The document's bytes, the rows of its ``later`` tables written in as it is saved."""
    out = io.BytesIO()
    word.save(out)
    if not later:
        return out.getvalue()
    return _with_rows(out.getvalue(), word.part.partname.lstrip("/"), later)


def docx_bytes(doc: Document) -> bytes:
    """The Word file's bytes."""
    word, later = start(doc), list[_Later]()
    _body(word, doc, later)
    return finish(word, later)


def sections_bytes(docs: Sequence[Document], title: str = "") -> bytes:
    """One Word file holding each of ``docs`` from a new page, in a section of its own.

    Each is laid out as ``docx_bytes`` lays it out alone (title, byline, notes, tables) and
    its pages are headed with its own title; ``title`` names the file as a whole.
    """
    if not docs:
        raise ValueError("no documents to write")
    word, later = start(docs[0]), list[_Later]()
    _body(word, docs[0], later)
    for doc in docs[1:]:
        _headed(word.add_section(WD_SECTION.NEW_PAGE), doc)
        _opening(word, doc)
        _body(word, doc, later)
    if title:
        word.core_properties.title = xml_safe(title)[:255]
    return finish(word, later)
