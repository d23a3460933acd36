"""Word documents (.docx) as Markdown: headings, lists, tables, page marks, footnotes.

The package is read directly, part by part, through ``zipped``'s checked reading: only the
parts read here are parsed (the main document, its styles, notes, headers and footers),
not every part as python-docx would. The body is walked as XML, so content controls (cover
pages, tables of contents), tracked insertions, text boxes and simple fields are read too.

Page marks come from the page breaks Word saved as it last laid the document out
(``w:lastRenderedPageBreak``), which match the pages the learner saw; a document without
them (written by other programs) is marked at its explicit page and section breaks only.
"""

from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from companion.evidence.limits import EvidenceReadError, Limits
from companion.evidence.model import ExtractedFile
from companion.evidence.zipped import (
    PackageProperties,
    TextBuilder,
    clean_line,
    damaged,
    first_lines,
    mark,
    markdown_table,
    open_checked,
    package_properties,
    parse_xml,
    read_part,
    unique,
)
from companion.evidence.zipped import _package_targets as package_targets

FORMAT = "docx"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_RT_FOOTNOTES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"
_RT_ENDNOTES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/endnotes"
_RT_STYLES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_CT_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_WML_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_MAIN_DEFAULT = "word/document.xml"

_SKIP = frozenset(
    W + tag
    for tag in (
        "pPr",
        "rPr",
        "tblPr",
        "tblGrid",
        "trPr",
        "tcPr",
        "sectPr",
        "del",
        "moveFrom",
        "delText",
        "instrText",
        "footnoteReference",
        "endnoteReference",
        "commentReference",
        "annotationRef",
        "sdtPr",
        "sdtEndPr",
    )
) | {_MC_FALLBACK}
"""Parts of the XML that hold no visible text (or text shown elsewhere, or deleted)."""
_WRAPPERS = frozenset(W + tag for tag in ("sdt", "sdtContent", "customXml", "ins", "moveTo"))
"""Elements that wrap blocks, rows or cells without being one."""
_NEW_PAGE_SECTIONS = frozenset({"nextPage", "oddPage", "evenPage"})
_HEADER_FOOTERS = tuple(
    (W + reference, kind)
    for reference in ("headerReference", "footerReference")
    for kind in ("first", "default", "even")
)
"""A section's margin references in the order they are read: headers then footers, each
first-page, default, even-page."""


def read_docx(path: Path, size: int, limits: Limits) -> ExtractedFile:
    """Read a Word document's text, margins and facts; raise ``EvidenceReadError`` for a
    file that is not one, is encrypted, damaged or would expand past ``limits``."""
    with open_checked(path, FORMAT, limits, every_part=False) as (_handle, archive):
        props = package_properties(archive, path, FORMAT, limits)
        try:
            document = _Package.open(archive, path, limits)
        except EvidenceReadError:
            raise
        except Exception as error:  # lxml and zipfile raise many kinds
            raise damaged(path, FORMAT, _reason(error)) from None
        try:
            builder, margins, rendered_pages = _read_document(document, path, limits)
        except EvidenceReadError:
            raise
        except Exception as error:
            raise damaged(path, FORMAT, _reason(error)) from None
    facts = props.facts(FORMAT, "document", size, pages=_pages(props, rendered_pages))
    return ExtractedFile(
        facts=facts,
        text=builder.text(),
        margins=margins,
        first_page=first_lines(builder.blocks),
        notes=tuple(builder.notes),
    )


def _reason(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__


def _pages(props: PackageProperties, rendered_pages: int | None) -> int | None:
    """The pages the learner saw: Word's own count when Word saved the file; else the pages
    Word marked where it last broke them; else unknown, never a stale guess (a where past
    it would be an error the learner cannot fix)."""
    if props.laid_out and props.pages:
        return props.pages
    return rendered_pages


class _Package:
    """The parts of a Word package this reader needs, each read through ``read_part`` and
    parsed with ``parse_xml`` (so the limits and the DOCTYPE refusal apply to every one)."""

    def __init__(
        self, archive: zipfile.ZipFile, path: Path, limits: Limits, main: str, body: etree._Element
    ) -> None:
        self._archive = archive
        self.path = path
        self._limits = limits
        self.body = body
        self.rels = self._relationships(main)
        """The main part's internal relationships: id -> (type, part name)."""
        styles = self.related(_RT_STYLES)
        self.styles = self.part(styles[0]) if styles else etree.Element(W + "styles")

    @classmethod
    def open(cls, archive: zipfile.ZipFile, path: Path, limits: Limits) -> _Package:
        """The package's main document part and its relations; a template or a document with
        macros is refused, a missing or broken main part is damage."""
        main = package_targets(archive, path, FORMAT, limits).get("/officeDocument")
        main = main or _MAIN_DEFAULT
        content_type = _content_type(archive, path, limits, main)
        if content_type is None:
            raise damaged(path, FORMAT, f"no content type is given for {main}")
        if content_type != _WML_MAIN:
            raise EvidenceReadError(
                "file-wrong-format",
                f"{path.name} is not a Word document (it is a Word template or a "
                "document with macros); save it from Word as a .docx document.",
            )
        data = read_part(archive, main, path, FORMAT, limits)
        if data is None:
            raise damaged(path, FORMAT, f"its main part {main} is missing")
        root = parse_xml(data, path, FORMAT, main)
        body = root.find(W + "body") if root.tag == W + "document" else None
        if body is None:
            raise damaged(path, FORMAT, f"{main} holds no document body")
        return cls(archive, path, limits, main, body)

    def _relationships(self, main: str) -> dict[str, tuple[str, str]]:
        folder, name = posixpath.split(main)
        rels_name = posixpath.join(folder, "_rels", name + ".rels")
        data = read_part(self._archive, rels_name, self.path, FORMAT, self._limits)
        if data is None:
            return {}
        found: dict[str, tuple[str, str]] = {}
        for rel in parse_xml(data, self.path, FORMAT, rels_name).iter(_REL_NS + "Relationship"):
            target = rel.get("Target") or ""
            if rel.get("TargetMode") == "External" or not target:
                continue
            # relative to the part's folder, or to the package when it starts with "/"
            resolved = posixpath.normpath(posixpath.join("/" + folder, target)).lstrip("/")
            found[rel.get("Id") or ""] = (rel.get("Type") or "", resolved)
        return found

    def related(self, relation: str) -> list[str]:
        """The names of the parts related to the main part by ``relation``, in order."""
        return [name for kind, name in self.rels.values() if kind == relation]

    def part(self, name: str) -> etree._Element:
        """A part the document relates to, parsed; a missing one is damage."""
        data = read_part(self._archive, name, self.path, FORMAT, self._limits)
        if data is None:
            raise damaged(self.path, FORMAT, f"its part {name} is missing")
        return parse_xml(data, self.path, FORMAT, name)


def _content_type(archive: zipfile.ZipFile, path: Path, limits: Limits, name: str) -> str | None:
    """A part's content type from ``[Content_Types].xml``: its override, else the default
    for its extension; None when neither is given."""
    data = read_part(archive, "[Content_Types].xml", path, FORMAT, limits)
    if data is None:
        return None
    root = parse_xml(data, path, FORMAT, "[Content_Types].xml")
    wanted = "/" + name.lower()
    for override in root.iter(_CT_NS + "Override"):
        if (override.get("PartName") or "").lower() == wanted:
            return override.get("ContentType") or ""
    extension = name.rsplit(".", 1)[-1].lower()
    for default in root.iter(_CT_NS + "Default"):
        if (default.get("Extension") or "").lower() == extension:
            return default.get("ContentType") or ""
    return None


def _read_document(
    document: _Package, path: Path, limits: Limits
) -> tuple[TextBuilder, tuple[str, ...], int | None]:
    """The body as Markdown, the margins, and the pages Word marked (None when Word never
    laid the document out)."""
    styles = _Styles(document.styles)
    body = document.body
    rendered = next(body.iter(W + "lastRenderedPageBreak"), None) is not None
    builder = TextBuilder(limits)
    page = 1
    for block in _blocks(body):
        if builder.full:
            break
        walk = _Walk(rendered=rendered)
        if block.tag == W + "tbl":
            content = markdown_table(_table_rows(block, walk))
        else:
            walk.paragraph_breaks(block)
            walk.children(block)
            content = _paragraph_markdown(block, walk.text(), styles)
        for _ in range(walk.before):
            page += 1
            builder.add(mark(f"page {page}"))
        builder.add(content)
        for _ in range(walk.after):
            page += 1
            builder.add(mark(f"page {page}"))
    notes = _notes(document)
    if notes and not builder.full:
        builder.add(mark("footnotes"))
        for note in notes:
            builder.add(note)
    return builder, _margins(document), page if rendered else None


def _blocks(container: etree._Element) -> Iterator[etree._Element]:
    """Paragraphs and tables in document order, through content controls and the like."""
    for child in container:
        if child.tag in (W + "p", W + "tbl"):
            yield child
        elif child.tag in _WRAPPERS:
            yield from _blocks(child)


def _children(container: etree._Element, tag: str) -> Iterator[etree._Element]:
    """Rows of a table or cells of a row, through wrappers."""
    for child in container:
        if child.tag == tag:
            yield child
        elif child.tag in _WRAPPERS:
            yield from _children(child, tag)


@dataclass
class _Walk:
    """The visible text of a paragraph or table, and the page breaks in it: those before
    any of its text (the block starts a page) and those after (a page starts within or
    after it)."""

    rendered: bool
    pieces: list[str] = field(default_factory=list)
    before: int = 0
    after: int = 0
    seen_text: bool = False

    def text(self) -> str:
        return "".join(self.pieces)

    def take(self) -> str:
        text = self.text()
        self.pieces.clear()
        return text

    def page_break(self) -> None:
        if self.seen_text:
            self.after += 1
        else:
            self.before += 1

    def paragraph_breaks(self, paragraph: etree._Element) -> None:
        """Explicit breaks set on the paragraph itself (only without rendered breaks)."""
        properties = paragraph.find(W + "pPr")
        if self.rendered or properties is None:
            return
        before = properties.find(W + "pageBreakBefore")
        if before is not None and before.get(W + "val", "true") not in ("0", "false", "off"):
            self.before += 1
        section = properties.find(W + "sectPr")
        if section is not None:
            kind = section.find(W + "type")
            value = "nextPage" if kind is None else kind.get(W + "val", "nextPage")
            if value in _NEW_PAGE_SECTIONS:
                self.after += 1

    def children(self, element: etree._Element) -> None:
        for child in element:
            tag = child.tag
            if not isinstance(tag, str) or tag in _SKIP:
                continue
            if tag == W + "t":
                self.pieces.append(child.text or "")
                if (child.text or "").strip():
                    self.seen_text = True
            elif tag in (W + "tab", W + "ptab"):
                self.pieces.append(" ")
            elif tag == W + "br":
                if child.get(W + "type") == "page" and not self.rendered:
                    self.page_break()
                self.pieces.append(" ")
            elif tag == W + "cr":
                self.pieces.append(" ")
            elif tag == W + "noBreakHyphen":
                self.pieces.append("-")
            elif tag == W + "lastRenderedPageBreak":
                if self.rendered:
                    self.page_break()
            elif tag == W + "r" and _hidden(child):
                continue
            elif tag == W + "p":
                self.paragraph_breaks(child)
                self.children(child)
                self.pieces.append(" ")
            else:
                self.children(child)


def _hidden(run: etree._Element) -> bool:
    properties = run.find(W + "rPr")
    if properties is None:
        return False
    vanish = properties.find(W + "vanish")
    return vanish is not None and vanish.get(W + "val", "true") not in ("0", "false", "off")


def _table_rows(table: etree._Element, walk: _Walk) -> Iterator[list[str]]:
    for row in _children(table, W + "tr"):
        cells: list[str] = []
        for cell in _children(row, W + "tc"):
            walk.children(cell)
            cells.append(walk.take())
            span = _int_attribute(cell.find(f"{W}tcPr/{W}gridSpan"))
            cells.extend([""] * (min(span, 64) - 1 if span else 0))
        yield cells


def _int_attribute(element: etree._Element | None) -> int:
    if element is None:
        return 0
    try:
        return int(element.get(W + "val", "0"))
    except ValueError:
        return 0


def _paragraph_markdown(paragraph: etree._Element, text: str, styles: _Styles) -> str:
    line = clean_line(text)
    if not line:
        return ""
    properties = paragraph.find(W + "pPr")
    style_id = None
    own_level: int | None = None
    own_list: tuple[bool, int] | None = None
    if properties is not None:
        style = properties.find(W + "pStyle")
        style_id = None if style is None else style.get(W + "val")
        outline = properties.find(W + "outlineLvl")
        if outline is not None:
            own_level = _int_attribute(outline) + 1
        own_list = _numbering(properties)
    level = own_level if own_level is not None else styles.heading_level(style_id)
    if level is not None and 1 <= level <= 9:
        return "#" * min(level, 6) + " " + line.removeprefix("\\")
    listed = own_list if own_list is not None else styles.list_level(style_id)
    if listed is not None and listed[0]:
        return "  " * min(listed[1], 8) + "- " + line
    return line


def _numbering(properties: etree._Element) -> tuple[bool, int] | None:
    """(is a list item, level) from ``w:numPr``; None when the paragraph does not say."""
    numbering = properties.find(W + "numPr")
    if numbering is None:
        return None
    number_id = numbering.find(W + "numId")
    listed = number_id is None or number_id.get(W + "val", "0") != "0"
    return listed, _int_attribute(numbering.find(W + "ilvl"))


class _Styles:
    """Heading levels and list levels of paragraph styles, following ``w:basedOn``."""

    def __init__(self, styles: etree._Element) -> None:
        self._by_id: dict[str, etree._Element] = {}
        self._default: str | None = None
        for style in styles.iter(W + "style"):
            if style.get(W + "type") != "paragraph":
                continue
            style_id = style.get(W + "styleId") or ""
            self._by_id.setdefault(style_id, style)
            if style.get(W + "default") in ("1", "true", "on") and self._default is None:
                self._default = style_id

    def _chain(self, style_id: str | None) -> Iterator[etree._Element]:
        seen: set[str] = set()
        current = style_id if style_id in self._by_id else self._default
        while current is not None and current not in seen and len(seen) < 16:
            seen.add(current)
            style = self._by_id.get(current)
            if style is None:
                return
            yield style
            based = style.find(W + "basedOn")
            current = None if based is None else based.get(W + "val")

    def heading_level(self, style_id: str | None) -> int | None:
        """1 for Title and Heading 1, n for Heading n or outline level n-1; else None."""
        for style in self._chain(style_id):
            name_element = style.find(W + "name")
            name = "" if name_element is None else (name_element.get(W + "val") or "").lower()
            if name == "title":
                return 1
            if name.startswith("heading ") and name[8:].strip().isdigit():
                return int(name[8:].strip())
            outline = style.find(f"{W}pPr/{W}outlineLvl")
            if outline is not None:
                level = _int_attribute(outline) + 1
                return level if level <= 9 else None
        return None

    def list_level(self, style_id: str | None) -> tuple[bool, int] | None:
        """(is a list item, level) from the style's numbering or its List name."""
        for style in self._chain(style_id):
            properties = style.find(W + "pPr")
            numbering = None if properties is None else _numbering(properties)
            if numbering is not None:
                name_element = style.find(W + "name")
                name = "" if name_element is None else (name_element.get(W + "val") or "")
                # "List Bullet 2" numbers at level 0 of its own list: its name says the level
                return numbering[0], max(numbering[1], _int_suffix(name) - 1)
            name_element = style.find(W + "name")
            name = "" if name_element is None else (name_element.get(W + "val") or "").lower()
            if name.startswith(("list bullet", "list number")):
                return True, _int_suffix(name) - 1 if _int_suffix(name) > 1 else 0
        return None


def _int_suffix(name: str) -> int:
    """2 for 'List Bullet 2'; 0 when the name does not end in a number."""
    last = name.rsplit(" ", 1)[-1]
    return int(last) if last.isdigit() and len(last) < 3 else 0


def _notes(document: _Package) -> list[str]:
    """Footnotes then endnotes, each as one paragraph, without Word's separator notes."""
    found: list[str] = []
    for relation, tag in ((_RT_FOOTNOTES, "footnote"), (_RT_ENDNOTES, "endnote")):
        for name in document.related(relation):
            root = document.part(name)
            for note in root.iter(W + tag):
                if note.get(W + "type") in (
                    "separator",
                    "continuationSeparator",
                    "continuationNotice",
                ):
                    continue
                walk = _Walk(rendered=True)
                walk.children(note)
                line = clean_line(walk.text())
                if line:
                    found.append(line)
    return found


def _margins(document: _Package) -> tuple[str, ...]:
    """Each distinct header and footer text of every section (tables included), sections
    in document order; a section without a reference of its own shows the previous one's,
    read already."""
    texts: list[str] = []
    read: set[str] = set()
    for section in document.body.iter(W + "sectPr"):
        for tag, kind in _HEADER_FOOTERS:
            reference = next(
                (child for child in section if child.tag == tag and child.get(W + "type") == kind),
                None,
            )
            if reference is None:
                continue
            relation = document.rels.get(reference.get(_R_ID) or "")
            if relation is None:
                raise damaged(document.path, FORMAT, "a header or footer it names is missing")
            if relation[1] in read:
                continue
            read.add(relation[1])
            lines: list[str] = []
            for block in _blocks(document.part(relation[1])):
                walk = _Walk(rendered=True)
                if block.tag == W + "tbl":
                    lines.append(markdown_table(_table_rows(block, walk)))
                else:
                    walk.children(block)
                    lines.append(clean_line(walk.text()))
            texts.append("\n".join(line for line in lines if line))
    return unique(texts)
