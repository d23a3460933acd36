"""Markdown an apprentice wrote, as typed blocks, rendered to Word and to PDF alike.

A hand-rolled line reader once turned a Markdown table into a line of pipes, numbered the
second list on from the first, kept ``>`` on quotes and dropped bold and italic from the
proposal an assessor reads. Here markdown-it-py (CommonMark and tables, already installed
with Textual) parses the text; ``parse`` turns its tokens into a few typed blocks and both
renderers read only those, so Word and PDF show the same document.

Choices a reader would notice: raw HTML is never rendered (it stays as the text typed);
a link keeps its text, followed by its address in brackets only when the address is a web
or mail address that the text does not already show (a path inside the portfolio means
nothing to an assessor); an image is its description in brackets, as the file is not in
the document. The caller passes the body: front matter is never parsed here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from html import escape
from typing import TYPE_CHECKING, Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

from companion.text.xml import xml_safe

if TYPE_CHECKING:
    from docx.document import Document as WordFile
    from docx.text.paragraph import Paragraph as WordParagraph
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Flowable


@dataclass(frozen=True)
class Run:
    """A stretch of text in one style."""

    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False


Inline = tuple[Run, ...]


@dataclass(frozen=True)
class Heading:
    level: int  # 1 to 6, as many as the ``#``s
    runs: Inline


@dataclass(frozen=True)
class Para:
    runs: Inline


@dataclass(frozen=True)
class ListBlock:
    """A bullet list, or an ordered one numbered from ``start``; items hold blocks (their
    paragraphs and any list nested in them)."""

    ordered: bool
    start: int
    items: tuple[tuple[Block, ...], ...]
    delimiter: str = "."


@dataclass(frozen=True)
class Quote:
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class TableBlock:
    header: tuple[Inline, ...]
    rows: tuple[tuple[Inline, ...], ...]


@dataclass(frozen=True)
class Code:
    text: str


@dataclass(frozen=True)
class Rule:
    pass


Block = Heading | Para | ListBlock | Quote | TableBlock | Code | Rule


@cache
def _parser() -> MarkdownIt:
    # CommonMark's own limit on nesting (20) bounds the recursion below on hostile text.
    return MarkdownIt("commonmark", {"html": False}).enable("table")


def parse(text: str) -> list[Block]:
    """``text`` (a Markdown body, without front matter) as blocks."""
    blocks, _ = _blocks(_parser().parse(text), 0, "")
    return blocks


def _blocks(tokens: list[Token], index: int, until: str) -> tuple[list[Block], int]:
    """The blocks from ``tokens[index]`` up to the token of type ``until``, and the index
    just past it."""
    blocks: list[Block] = []
    while index < len(tokens):
        token = tokens[index]
        kind = token.type
        if kind == until:
            return blocks, index + 1
        if kind == "heading_open":
            blocks.append(Heading(int(token.tag[1:]), runs(tokens[index + 1])))
            index += 3
        elif kind == "paragraph_open":
            blocks.append(Para(runs(tokens[index + 1])))
            index += 3
        elif kind in ("bullet_list_open", "ordered_list_open"):
            items, index = _list(tokens, index)
            blocks.append(items)
        elif kind == "blockquote_open":
            inner, index = _blocks(tokens, index + 1, "blockquote_close")
            blocks.append(Quote(tuple(inner)))
        elif kind == "table_open":
            table, index = _table(tokens, index + 1)
            blocks.append(table)
        elif kind in ("fence", "code_block"):
            blocks.append(Code(token.content.rstrip("\n")))
            index += 1
        elif kind == "hr":
            blocks.append(Rule())
            index += 1
        else:  # anything else (raw HTML is off): its text, if it has any, as a paragraph
            if token.content.strip() and not token.type.endswith(("_open", "_close")):
                blocks.append(Para((Run(token.content.strip()),)))
            index += 1
    return blocks, index


def _list(tokens: list[Token], index: int) -> tuple[ListBlock, int]:
    opening = tokens[index]
    ordered = opening.type == "ordered_list_open"
    close = "ordered_list_close" if ordered else "bullet_list_close"
    start = opening.attrs.get("start", 1) if ordered else 1
    items: list[tuple[Block, ...]] = []
    index += 1
    while index < len(tokens) and tokens[index].type != close:
        if tokens[index].type == "list_item_open":
            inner, index = _blocks(tokens, index + 1, "list_item_close")
            items.append(tuple(inner))
        else:
            index += 1
    number = int(start) if isinstance(start, int | str) and str(start).isdigit() else 1
    delimiter = opening.markup if ordered and opening.markup in (".", ")") else "."
    return ListBlock(ordered, number, tuple(items), delimiter), index + 1


def _table(tokens: list[Token], index: int) -> tuple[TableBlock, int]:
    header: list[Inline] = []
    rows: list[tuple[Inline, ...]] = []
    row: list[Inline] = []
    in_head = False
    while index < len(tokens) and tokens[index].type != "table_close":
        kind = tokens[index].type
        if kind == "thead_open":
            in_head = True
        elif kind == "thead_close":
            in_head = False
        elif kind == "inline":
            row.append(runs(tokens[index]))
        elif kind == "tr_close":
            if in_head:
                header = row
            else:
                rows.append(tuple(row))
            row = []
        index += 1
    return TableBlock(tuple(header), tuple(rows)), index + 1


_SCHEME = re.compile(r"^(https?://|mailto:)", re.IGNORECASE)


def _shown(href: str, text: str) -> str | None:
    """The address to print after a link's text, or None when it would add nothing."""
    if not _SCHEME.match(href):
        return None  # a path in the portfolio or an anchor: nothing an assessor can open

    def bare(value: str) -> str:
        return _SCHEME.sub("", value.strip()).rstrip("/").lower()

    return None if bare(href) == bare(text) else href


def runs(inline: Token) -> Inline:
    """The inline content of one ``inline`` token as runs, adjacent equal styles merged."""
    out: list[Run] = []
    bold = italic = 0
    links: list[tuple[str, int]] = []
    for child in inline.children or []:
        kind = child.type
        if kind == "text":
            out.append(Run(child.content, bold > 0, italic > 0))
        elif kind == "code_inline":
            out.append(Run(child.content, bold > 0, italic > 0, code=True))
        elif kind == "softbreak":
            out.append(Run(" ", bold > 0, italic > 0))
        elif kind == "hardbreak":
            out.append(Run("\n", bold > 0, italic > 0))
        elif kind == "strong_open":
            bold += 1
        elif kind == "strong_close":
            bold -= 1
        elif kind == "em_open":
            italic += 1
        elif kind == "em_close":
            italic -= 1
        elif kind == "link_open":
            links.append((str(child.attrs.get("href", "")), len(out)))
        elif kind == "link_close" and links:
            href, first = links.pop()
            address = _shown(href, "".join(r.text for r in out[first:]))
            if address:
                out.append(Run(f" ({address})", bold > 0, italic > 0))
        elif kind == "image":
            out.append(Run(f"[image: {child.content}]" if child.content else "[image]"))
        elif child.content:
            out.append(Run(child.content, bold > 0, italic > 0))
    return _merged(out)


def _merged(items: list[Run]) -> Inline:
    merged: list[Run] = []
    for item in items:
        if not item.text:
            continue
        if merged and replace(merged[-1], text="") == replace(item, text=""):
            merged[-1] = replace(item, text=merged[-1].text + item.text)
        else:
            merged.append(item)
    return tuple(merged)


def plain(inline: Inline) -> str:
    """The runs' text without styles."""
    return "".join(r.text for r in inline)


# --- Word ---------------------------------------------------------------------------------

_STEP_MM = 6.35  # a quarter inch: Word's own indent for a list level
_PT = 72 / 25.4  # points in a millimetre
_MAX_INDENT_MM = 60.0  # nesting deeper than this stays here: the text keeps its width
_CODE_FONT = "Courier New"


@dataclass(frozen=True)
class _Where:
    """Where blocks are being written: how far in, and whether in a quote (italic)."""

    indent_mm: float = 0.0
    italic: bool = False
    depth: int = 0  # lists this one is nested in
    shift: int = 1


def _in(where: _Where, mm: float, **changes: Any) -> _Where:
    """``where``, ``mm`` further in (up to the limit)."""
    return replace(where, indent_mm=min(where.indent_mm + mm, _MAX_INDENT_MM), **changes)


def _word_runs(paragraph: WordParagraph, inline: Inline, italic: bool = False) -> None:
    for item in inline:
        run = paragraph.add_run(xml_safe(item.text))
        run.bold = item.bold or None
        run.italic = (item.italic or italic) or None
        if item.code:
            run.font.name = _CODE_FONT


def add_docx(word: WordFile, blocks: Sequence[Block], *, heading_shift: int = 1) -> None:
    """Append ``blocks`` to a Word document: Heading styles, runs in bold and italic, lists
    numbered by their own text so each restarts where the author did, real tables, quotes
    as indented italic paragraphs. A Markdown heading of level n is Word's "Heading
    n - heading_shift" (at least 1): the document's title is already its level 1."""
    _word_blocks(word, blocks, _Where(shift=heading_shift))


def _word_blocks(word: WordFile, blocks: Sequence[Block], where: _Where) -> None:
    for block in blocks:
        _word_block(word, block, where)


def _word_block(word: WordFile, block: Block, where: _Where) -> None:
    from docx.shared import Mm, Pt

    if isinstance(block, Heading):
        level = max(1, min(block.level - where.shift, 9))
        _word_runs(word.add_paragraph(style=f"Heading {level}"), block.runs)
    elif isinstance(block, Para):
        paragraph = word.add_paragraph()
        if where.indent_mm:
            paragraph.paragraph_format.left_indent = Mm(where.indent_mm)
        _word_runs(paragraph, block.runs, where.italic)
    elif isinstance(block, ListBlock):
        _word_list(word, block, where)
    elif isinstance(block, Quote):
        inner = _in(where, 10, italic=True)
        _word_blocks(word, block.blocks, inner)
    elif isinstance(block, TableBlock):
        _word_table(word, block)
    elif isinstance(block, Code):
        paragraph = word.add_paragraph()
        paragraph.paragraph_format.left_indent = Mm(where.indent_mm + 5)
        run = paragraph.add_run(xml_safe(block.text))
        run.font.name, run.font.size = _CODE_FONT, Pt(9)
    elif isinstance(block, Rule):
        _rule(word.add_paragraph())


def _word_list(word: WordFile, block: ListBlock, where: _Where) -> None:
    from docx.shared import Mm

    inner = _in(where, _STEP_MM, depth=where.depth + 1)
    text_mm = inner.indent_mm
    for number, item in enumerate(block.items, start=block.start):
        first, rest = (item[0], item[1:]) if item and isinstance(item[0], Para) else (None, item)
        if block.ordered:
            paragraph = word.add_paragraph()
            form = paragraph.paragraph_format
            form.left_indent, form.first_line_indent = Mm(text_mm), Mm(-_STEP_MM)
            form.tab_stops.add_tab_stop(Mm(text_mm))
            paragraph.add_run(f"{number}{block.delimiter}\t").italic = where.italic or None
        else:
            style = "List Bullet" if where.depth == 0 else f"List Bullet {min(where.depth + 1, 3)}"
            paragraph = word.add_paragraph(style=style)
            if where.indent_mm and where.depth == 0:  # a list in a quote: in with the quote
                paragraph.paragraph_format.left_indent = Mm(text_mm)
        if first is not None:
            _word_runs(paragraph, first.runs, where.italic)
        _word_blocks(word, rest, inner)


def _word_table(word: WordFile, block: TableBlock) -> None:
    from companion.documents.docx import _on, _shade

    columns = max([len(block.header), *(len(r) for r in block.rows)], default=0)
    if not columns:
        return
    grid = word.add_table(rows=0, cols=columns)
    grid.style = "Table Grid"
    if block.header:
        row = grid.add_row()
        _on(row._tr.get_or_add_trPr(), "w:tblHeader")
        for cell, inline in zip(row.cells, block.header, strict=False):
            _word_runs(cell.paragraphs[0], tuple(replace(r, bold=True) for r in inline))
            _shade(cell, "EEEEEE")
    for cells in block.rows:
        row = grid.add_row()
        _on(row._tr.get_or_add_trPr(), "w:cantSplit")
        for cell, inline in zip(row.cells, cells, strict=False):
            _word_runs(cell.paragraphs[0], inline)
    word.add_paragraph()  # Word runs two tables together without a paragraph between


def _rule(paragraph: WordParagraph) -> None:
    """A horizontal line: the paragraph's bottom border."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "999999")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


# --- PDF ----------------------------------------------------------------------------------


def pdf_markup(inline: Inline) -> str:
    """Runs as reportlab paragraph markup, every character escaped."""
    parts = []
    for item in inline:
        text = escape(xml_safe(item.text), quote=False).replace("\n", "<br/>")
        if item.code:
            text = f'<font backColor="#EEEEEE">{text}</font>'
        if item.italic:
            text = f"<i>{text}</i>"
        if item.bold:
            text = f"<b>{text}</b>"
        parts.append(text)
    return "".join(parts)


@dataclass
class _Pdf:
    width: float
    shift: int
    out: list[Flowable] = field(default_factory=list)


@cache
def _style(kind: str, indent: float, italic: bool) -> ParagraphStyle:
    from reportlab.lib.styles import ParagraphStyle

    from companion.documents.pdf import FONT, ITALIC, styles

    base = styles()[kind]
    return ParagraphStyle(
        f"{kind}-{indent:g}-{int(italic)}",
        parent=base,
        leftIndent=base.leftIndent + indent,
        bulletIndent=base.leftIndent + indent - _STEP_MM * _PT,
        bulletFontName=ITALIC if italic else FONT,
        fontName=ITALIC if italic and kind == "body" else base.fontName,
    )


def pdf_flowables(blocks: Sequence[Block], width: float, *, heading_shift: int = 1) -> list[Any]:
    """``blocks`` as reportlab flowables for a text ``width`` points wide: the same
    headings, lists, quotes and tables as ``add_docx`` writes."""
    state = _Pdf(width, heading_shift)
    _pdf_blocks(state, blocks, _Where(shift=heading_shift))
    return state.out


def _pdf_blocks(state: _Pdf, blocks: Sequence[Block], where: _Where) -> None:
    for block in blocks:
        _pdf_block(state, block, where)


def _pdf_block(state: _Pdf, block: Block, where: _Where) -> None:
    from reportlab.lib import colors
    from reportlab.platypus import HRFlowable, Paragraph

    from companion.documents.pdf import styles

    indent = where.indent_mm * _PT  # points
    if isinstance(block, Heading):
        level = max(1, min(block.level - where.shift, 4))
        state.out.append(Paragraph(pdf_markup(block.runs), styles()[f"h{level}"]))
    elif isinstance(block, Para):
        state.out.append(Paragraph(pdf_markup(block.runs), _style("body", indent, where.italic)))
    elif isinstance(block, ListBlock):
        _pdf_list(state, block, where)
    elif isinstance(block, Quote):
        inner = _in(where, 10, italic=True)
        _pdf_blocks(state, block.blocks, inner)
    elif isinstance(block, TableBlock):
        _pdf_table(state, block, indent)
    elif isinstance(block, Code):
        text = escape(xml_safe(block.text), quote=False)
        text = re.sub(r"(?m)^ +", lambda m: "&nbsp;" * len(m.group()), text)
        state.out.append(Paragraph(text.replace("\n", "<br/>"), _style("code", indent, False)))
    elif isinstance(block, Rule):
        state.out.append(HRFlowable(width="100%", thickness=0.5, color=colors.grey))


def _pdf_list(state: _Pdf, block: ListBlock, where: _Where) -> None:
    from reportlab.platypus import Paragraph

    inner = _in(where, _STEP_MM, depth=where.depth + 1)
    text_mm = inner.indent_mm
    style = _style("body", text_mm * _PT, where.italic)
    for number, item in enumerate(block.items, start=block.start):
        marker = f"{number}{block.delimiter}" if block.ordered else "•"
        first, rest = (item[0], item[1:]) if item and isinstance(item[0], Para) else (None, item)
        text = pdf_markup(first.runs) if first is not None else ""
        state.out.append(Paragraph(text, style, bulletText=marker))
        _pdf_blocks(state, rest, inner)


def _pdf_table(state: _Pdf, block: TableBlock, indent: float) -> None:
    from reportlab.platypus import Paragraph, Spacer, TableStyle
    from reportlab.platypus import Table as PdfTable

    from companion.documents import pdf

    columns = max([len(block.header), *(len(r) for r in block.rows)], default=0)
    if not columns:
        return
    sheet = pdf.styles()
    lines = [block.header, *block.rows] if block.header else list(block.rows)
    # Columns as wide as their longest text asks, within limits, to fill the text width.
    need = [4.0] * columns
    for cells in lines:
        for index, inline in enumerate(cells[:columns]):
            need[index] = max(need[index], min(len(plain(inline)), 40))
    room = state.width - indent
    widths = [room * n / sum(need) for n in need]
    data = []
    for row_index, cells in enumerate(lines):
        style = sheet["head"] if block.header and row_index == 0 else sheet["cell"]
        padded = list(cells[:columns]) + [()] * (columns - len(cells))
        data.append([Paragraph(pdf_markup(inline), style) for inline in padded])
    commands: list[tuple[Any, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.5, pdf.GRID),
        ("FONT", (0, 0), (-1, -1), pdf.FONT, 9),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    if block.header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), pdf.HEADER_FILL))
    table = PdfTable(
        data,
        colWidths=widths,
        style=TableStyle(commands),
        repeatRows=1 if block.header else 0,
        hAlign="LEFT",
    )
    state.out += [table, Spacer(1, 6)]
