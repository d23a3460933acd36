"""OpenDocument files (.odt, .odp, .ods) as Markdown, read from their XML directly.

An OpenDocument file is a zip with ``content.xml`` (the body), ``meta.xml`` (its facts)
and ``styles.xml`` (page headers and footers); reading them with the safe parser costs
less than a new dependency. Page marks in text documents come from the
``text:soft-page-break`` elements LibreOffice saves where its pages broke.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from companion.evidence.limits import EvidenceReadError, Limits
from companion.evidence.model import ExtractedFile, FileFacts
from companion.evidence.zipped import (
    TextBuilder,
    clean_line,
    damaged,
    first_lines,
    iso_date,
    mark,
    markdown_table,
    open_checked,
    parse_xml,
    read_part,
    sheet_mark,
    unique,
)

OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
DRAW = "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}"
PRESENTATION = "{urn:oasis:names:tc:opendocument:xmlns:presentation:1.0}"
STYLE = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"
META = "{urn:oasis:names:tc:opendocument:xmlns:meta:1.0}"
DC = "{http://purl.org/dc/elements/1.1/}"
FO = "{urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0}"

_KINDS = {"odt": "document", "odp": "presentation", "ods": "spreadsheet"}
_CONTAINERS = frozenset(
    {
        TEXT + "section",
        TEXT + "index-body",
        TEXT + "table-of-content",
        TEXT + "illustration-index",
        TEXT + "table-index",
        TEXT + "object-index",
        TEXT + "user-index",
        TEXT + "alphabetical-index",
        TEXT + "bibliography",
        DRAW + "frame",
        DRAW + "text-box",
        DRAW + "g",
        DRAW + "custom-shape",
        DRAW + "rect",
        DRAW + "ellipse",
        OFFICE + "text",
    }
)
"""Elements that hold blocks without being one."""
_SKIPPED = frozenset(
    {
        TEXT + "tracked-changes",
        TEXT + "sequence-decls",
        TEXT + "variable-decls",
        TEXT + "user-field-decls",
        TEXT + "index-title-template",
        TEXT + "table-of-content-source",
        OFFICE + "forms",
        OFFICE + "annotation",
        OFFICE + "annotation-end",
        TABLE + "named-expressions",
        TABLE + "database-ranges",
        TABLE + "table-columns",
        TABLE + "table-column",
        TABLE + "table-header-columns",
        TABLE + "table-column-group",
        DRAW + "image",
        PRESENTATION + "notes",
        "{http://www.w3.org/2000/svg}title",
        "{urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0}title",
        "{urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0}desc",
    }
)
_MARGIN_TAGS = frozenset(
    STYLE + name
    for name in ("header", "footer", "header-first", "footer-first", "header-left", "footer-left")
)
_SLIDE_MARGINS = frozenset({"footer", "date-time", "page-number", "header"})
_MAX_REPEAT = 1024
"""Most times one repeated row or cell with content is written out."""


def read_odf(path: Path, size: int, limits: Limits, fmt: str = "") -> ExtractedFile:
    """Read an OpenDocument text, presentation or spreadsheet; ``fmt`` (odt, odp, ods) is
    the format expected, by default the file's extension. Raises ``EvidenceReadError``."""
    expected = fmt or path.suffix.lower().lstrip(".")
    if expected not in _KINDS:
        expected = "odt"
    with open_checked(path, expected, limits, every_part=False) as (_handle, archive):
        try:
            return _read(
                archive_parts(archive, path, expected, limits), path, size, expected, limits
            )
        except EvidenceReadError:
            raise
        except Exception as error:  # lxml and zipfile raise many kinds
            reason = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
            raise damaged(path, expected, reason) from None


@dataclass(frozen=True, slots=True)
class _Parts:
    content: etree._Element
    meta: etree._Element | None
    styles: etree._Element | None


def archive_parts(archive: zipfile.ZipFile, path: Path, fmt: str, limits: Limits) -> _Parts:
    """content.xml (required), meta.xml and styles.xml (optional) parsed safely."""
    content = read_part(archive, "content.xml", path, fmt, limits)
    if content is None:
        raise damaged(path, fmt, "it has no content.xml")
    optional: list[etree._Element | None] = []
    for name in ("meta.xml", "styles.xml"):
        data = read_part(archive, name, path, fmt, limits)
        try:
            optional.append(None if data is None else parse_xml(data, path, fmt, name))
        except EvidenceReadError as error:
            if error.code == "file-bomb":
                raise
            optional.append(None)
    return _Parts(parse_xml(content, path, fmt, "content.xml"), optional[0], optional[1])


def _read(parts: _Parts, path: Path, size: int, fmt: str, limits: Limits) -> ExtractedFile:
    reader = _Reader(fmt, limits, _Styles(parts.content, parts.styles))
    body = parts.content.find(OFFICE + "body")
    if body is None:
        raise damaged(path, fmt, "content.xml has no body")
    for part in body:
        reader.blocks(part)
    if reader.footnotes and not reader.builder.full:
        reader.builder.add(mark("footnotes"))
        for note in reader.footnotes:
            reader.builder.add(note)
    if parts.styles is not None:
        reader.margins.extend(_master_page_margins(parts.styles))
    meta = _Meta.read(parts.meta)
    facts = FileFacts(
        format=fmt,
        kind=_KINDS[fmt],
        size=size,
        pages=meta.pages if fmt == "odt" else None,
        slides=reader.slides if fmt == "odp" else None,
        sheets=reader.sheets if fmt == "ods" else None,
        created=meta.created,
        modified=meta.modified,
        title=meta.title,
        author=meta.author,
    )
    first = reader.first if fmt != "odt" else first_lines(reader.builder.blocks)
    return ExtractedFile(
        facts=facts,
        text=reader.builder.text(),
        margins=unique(reader.margins),
        first_page=first,
        notes=tuple(reader.builder.notes),
    )


@dataclass
class _Inline:
    """A paragraph's text and the soft page breaks before and after its text."""

    pieces: list[str] = field(default_factory=list)
    before: int = 0
    after: int = 0

    def text(self) -> str:
        return "".join(self.pieces)

    def page_break(self) -> None:
        if self.text().strip():
            self.after += 1
        else:
            self.before += 1


class _Reader:
    """Walks the body, writing Markdown blocks and counting pages, slides and sheets."""

    def __init__(self, fmt: str, limits: Limits, styles: _Styles) -> None:
        self.fmt = fmt
        self.styles = styles
        self.builder = TextBuilder(limits)
        self.cells = limits.max_sheet_cells
        self.page = 1
        self.slides = 0
        self.sheets = 0
        self.first = ""
        self.footnotes: list[str] = []
        self.margins: list[str] = []

    def page_marks(self, count: int) -> None:
        for _ in range(count):
            self.page += 1
            self.builder.add(mark(f"page {self.page}"))

    def blocks(self, element: etree._Element) -> None:
        """Write each block inside ``element`` in document order."""
        for child in element:
            if self.builder.full:
                return
            self.block(child)

    def block(self, element: etree._Element) -> None:
        """Write one block: a paragraph, list, table, slide, or a container of blocks."""
        tag = element.tag
        if not isinstance(tag, str) or tag in _SKIPPED:
            return
        if tag in (TEXT + "p", TEXT + "h"):
            self.paragraph(element)
        elif tag == TEXT + "list":
            self.list_items(element, 0)
        elif tag == TEXT + "soft-page-break":
            self.page_marks(1)
        elif tag == TABLE + "table":
            self.table(element)
        elif tag == DRAW + "page":
            self.slide(element)
        elif tag == PRESENTATION + "footer-decl":
            self.margins.append(clean_line("".join(element.itertext())))
        elif tag in _CONTAINERS or tag.startswith(OFFICE):
            self.blocks(element)

    def paragraph(self, element: etree._Element, prefix: str = "") -> None:
        inline = _Inline()
        self.inline(element, inline)
        line = clean_line(inline.text())
        style = element.get(TEXT + "style-name")
        level = self.styles.heading_level(style)
        if element.tag == TEXT + "h":
            level = _int(element.get(TEXT + "outline-level"), level or 1)
        if line and level:
            line = "#" * max(1, min(level, 6)) + " " + line.removeprefix("\\")
        elif line:
            line = prefix + line
        before, after = self.styles.page_breaks(style) if self.fmt == "odt" else (0, 0)
        self.page_marks(inline.before + before)
        self.builder.add(line)
        self.page_marks(inline.after + after)

    def inline(self, element: etree._Element, inline: _Inline) -> None:
        """A paragraph's visible text; its notes go to ``footnotes``."""
        if element.text:
            inline.pieces.append(element.text)
        for child in element:
            tag = child.tag
            if isinstance(tag, str) and tag not in _SKIPPED:
                if tag == TEXT + "s":
                    inline.pieces.append(" " * min(_int(child.get(TEXT + "c"), 1), 8))
                elif tag in (TEXT + "tab", TEXT + "line-break"):
                    inline.pieces.append(" ")
                elif tag == TEXT + "soft-page-break":
                    inline.page_break()
                elif tag == TEXT + "note":
                    self.note(child)
                elif tag in (TEXT + "p", TEXT + "h"):
                    inline.pieces.append(" ")
                    self.inline(child, inline)
                    inline.pieces.append(" ")
                else:
                    self.inline(child, inline)
            if child.tail:
                inline.pieces.append(child.tail)

    def note(self, element: etree._Element) -> None:
        body = element.find(TEXT + "note-body")
        if body is None:
            return
        inline = _Inline()
        self.inline(body, inline)
        line = clean_line(inline.text())
        if line:
            self.footnotes.append(line)

    def list_items(self, element: etree._Element, depth: int) -> None:
        for item in element:
            if item.tag not in (TEXT + "list-item", TEXT + "list-header"):
                continue
            for child in item:
                if child.tag in (TEXT + "p", TEXT + "h"):
                    self.paragraph(child, prefix="  " * min(depth, 8) + "- ")
                elif child.tag == TEXT + "list":
                    self.list_items(child, depth + 1)
                elif child.tag == TEXT + "soft-page-break":
                    self.page_marks(1)

    def table(self, element: etree._Element) -> None:
        before = len(list(element.iter(TEXT + "soft-page-break")))
        rows = list(self.rows(element))
        if self.fmt == "ods":
            self.sheets += 1
            self.builder.add(sheet_mark(element.get(TABLE + "name") or f"Sheet{self.sheets}"))
        table = markdown_table(rows)
        self.builder.add(table)
        if self.fmt == "ods" and self.sheets == 1:
            self.first = table + ("\n" if table else "")
        if self.fmt == "odt":
            self.page_marks(before)

    def rows(self, element: etree._Element) -> Iterator[list[str]]:
        """Rows with repeats expanded (up to ``_MAX_REPEAT``, and within the cell budget)
        and trailing empty cells dropped, so a sheet styled to its last column costs
        nothing."""
        for row in _row_elements(element):
            cells: list[tuple[str, int]] = []
            for cell in row:
                if cell.tag not in (TABLE + "table-cell", TABLE + "covered-table-cell"):
                    continue
                inline = _Inline()
                for paragraph in cell.iter(TEXT + "p", TEXT + "h"):
                    inline.pieces.append(" ")
                    self.inline(paragraph, inline)
                repeat = _int(cell.get(TABLE + "number-columns-repeated"), 1)
                cells.append((clean_line(inline.text()), max(1, repeat)))
            while cells and not cells[-1][0]:
                cells.pop()
            if not cells:
                continue
            expanded: list[str] = []
            for text, repeat in cells:
                expanded.extend([text] * min(repeat, _MAX_REPEAT))
            for _ in range(min(_int(row.get(TABLE + "number-rows-repeated"), 1), _MAX_REPEAT)):
                self.cells -= len(expanded)
                if self.cells < 0:
                    if not any("cells were read" in note for note in self.builder.notes):
                        self.builder.notes.append(
                            "Only the first cells were read; the rest of the tables were left out."
                        )
                    return
                yield expanded

    def slide(self, element: etree._Element) -> None:
        self.slides += 1
        self.builder.add(mark(f"slide {self.slides}"))
        blocks_before = len(self.builder.blocks)
        for frame in element.iter(DRAW + "frame"):
            if frame.get(PRESENTATION + "class") == "title":
                title = clean_line(" ".join(frame.itertext()))
                if title:
                    self.builder.add("## " + title.removeprefix("\\"))
                break
        for child in element:
            if child.get(PRESENTATION + "class") in _SLIDE_MARGINS | {"title"}:
                continue
            if child.tag == PRESENTATION + "notes":
                continue
            self.block(child)
        if self.slides == 1:
            blocks = self.builder.blocks[blocks_before:]
            self.first = "\n\n".join(blocks) + ("\n" if blocks else "")
        notes = element.find(PRESENTATION + "notes")
        if notes is not None:
            start = len(self.builder.blocks)
            self.builder.add(mark("notes"))
            for child in notes:
                if child.get(PRESENTATION + "class") in _SLIDE_MARGINS:
                    continue
                if child.tag == DRAW + "frame" and child.find(DRAW + "text-box") is not None:
                    self.blocks(child)
            if len(self.builder.blocks) == start + 1:
                self.builder.blocks.pop()  # a notes page with nothing written on it


class _Styles:
    """Paragraph styles of content.xml and styles.xml, for what a style says of its
    paragraphs: a title or heading, or a page break before or after (explicit breaks are
    kept in styles; ``text:soft-page-break`` marks only the breaks of the layout)."""

    def __init__(self, *roots: etree._Element | None) -> None:
        self._by_name: dict[str, etree._Element] = {}
        for root in roots:
            if root is None:
                continue
            for style in root.iter(STYLE + "style"):
                if style.get(STYLE + "family") == "paragraph":
                    self._by_name.setdefault(style.get(STYLE + "name") or "", style)

    def _chain(self, name: str | None) -> Iterator[etree._Element]:
        seen: set[str] = set()
        while name and name not in seen and len(seen) < 16:
            seen.add(name)
            style = self._by_name.get(name)
            if style is None:
                return
            yield style
            name = style.get(STYLE + "parent-style-name")

    def heading_level(self, name: str | None) -> int | None:
        """1 for the Title style; a style's default outline level; else None."""
        for style in self._chain(name):
            names = {style.get(STYLE + "name"), style.get(STYLE + "display-name")}
            if "Title" in names:
                return 1
            level = style.get(STYLE + "default-outline-level")
            if level:
                return _int(level, 0) or None
        return None

    def page_breaks(self, name: str | None) -> tuple[int, int]:
        """(1 if a page break comes before, 1 if one comes after) from the style."""
        for style in self._chain(name):
            properties = style.find(STYLE + "paragraph-properties")
            if properties is None:
                continue
            before = properties.get(FO + "break-before")
            after = properties.get(FO + "break-after")
            if before or after:
                return int(before == "page"), int(after == "page")
        return 0, 0


def _row_elements(table: etree._Element) -> Iterator[etree._Element]:
    for child in table:
        if child.tag == TABLE + "table-row":
            yield child
        elif child.tag in (
            TABLE + "table-rows",
            TABLE + "table-header-rows",
            TABLE + "table-row-group",
        ):
            yield from _row_elements(child)


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _master_page_margins(styles: etree._Element) -> list[str]:
    """Page header and footer texts of each master page (styles.xml)."""
    texts: list[str] = []
    for master in styles.iter(STYLE + "master-page"):
        for child in master:
            if child.tag in _MARGIN_TAGS:
                lines = [
                    clean_line(" ".join(p.itertext())) for p in child.iter(TEXT + "p", TEXT + "h")
                ]
                texts.append("\n".join(line for line in lines if line))
    return texts


@dataclass(frozen=True, slots=True)
class _Meta:
    created: str = ""
    modified: str = ""
    title: str = ""
    author: str = ""
    pages: int | None = None

    @classmethod
    def read(cls, root: etree._Element | None) -> _Meta:
        if root is None:
            return cls()

        def first(tag: str) -> str:
            for element in root.iter(tag):
                return " ".join("".join(element.itertext()).split())
            return ""

        pages: int | None = None
        for statistic in root.iter(META + "document-statistic"):
            value = _int(statistic.get(META + "page-count"), -1)
            pages = value if value >= 0 else None
        return cls(
            created=iso_date(first(META + "creation-date")),
            modified=iso_date(first(DC + "date")),
            title=first(DC + "title"),
            author=first(META + "initial-creator") or first(DC + "creator"),
            pages=pages,
        )
