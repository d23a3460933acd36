"""PowerPoint presentations (.pptx) as Markdown: one ``<!-- slide N -->`` per slide, its
title as a heading, its text, tables and speaker notes.

The package is read part by part through ``read_part`` and ``parse_xml``, as python-pptx
would resolve it: the presentation part orders the slides, each slide part's shape tree is
walked as XML (so groups, tables and content-part alternatives are read the same way
everywhere), and its notes slide gives the speaker notes. Nothing else is parsed: masters,
layouts, themes and media are never opened, which is most of what a whole-package load costs.
Footer, date and slide-number placeholders are margins, not body text: they repeat on
every slide and say nothing of the work.
"""

from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from companion.evidence.limits import EvidenceReadError, Limits
from companion.evidence.model import ExtractedFile
from companion.evidence.zipped import (
    TextBuilder,
    clean_line,
    damaged,
    mark,
    markdown_table,
    open_checked,
    package_properties,
    parse_xml,
    read_part,
    unique,
)

FORMAT = "pptx"
P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PR = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_OFFICE_DOCUMENT = _RT + "officeDocument"
_NOTES_SLIDE = _RT + "notesSlide"
_PML = "application/vnd.openxmlformats-officedocument.presentationml."
_MAIN_TYPES = frozenset(
    {
        _PML + "presentation.main+xml",
        "application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml",
    }
)
"""Main parts read as presentations (as python-pptx did): not templates or slide shows."""
_SLIDE_TYPE = _PML + "slide+xml"
_NOTES_TYPE = _PML + "notesSlide+xml"
_TITLES = frozenset({"title", "ctrTitle"})
_MARGINS = frozenset({"ftr", "dt", "sldNum"})
_BULLETED = frozenset({"body", "obj"})
"""Placeholder types whose paragraphs are bullets unless they say otherwise."""
_PLACEHOLDER_TYPES = frozenset(
    {
        "body", "chart", "clipArt", "ctrTitle", "dgm", "dt", "ftr", "hdr", "media", "obj",
        "pic", "sldImg", "sldNum", "subTitle", "tbl", "title",
    }
)  # fmt: skip
"""The ``p:ph/@type`` values the format has; another one before the notes is damage."""
_TOP_SHAPES = frozenset(
    P + tag for tag in ("sp", "grpSp", "graphicFrame", "cxnSp", "pic", "contentPart")
)
"""The shapes a notes slide's own placeholders are looked for among."""

_Rels = dict[str, tuple[str, str | None]]
"""A part's relationships by id: (type, target part name, or None when external)."""


def read_pptx(path: Path, size: int, limits: Limits) -> ExtractedFile:
    """Read a presentation's slides, notes, margins and facts; raise
    ``EvidenceReadError`` for a file that is not one, is encrypted, damaged or too big."""
    with open_checked(path, FORMAT, limits, every_part=False) as (_handle, archive):
        props = package_properties(archive, path, FORMAT, limits)
        try:
            package = _Package(archive, path, limits)
            builder, margins, first, count = _read_presentation(package, limits)
        except EvidenceReadError:
            raise
        except Exception as error:  # a malformed package, lxml and zipfile raise many kinds
            reason = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
            raise damaged(path, FORMAT, reason) from None
    facts = props.facts(FORMAT, "presentation", size, slides=count)
    return ExtractedFile(
        facts=facts,
        text=builder.text(),
        margins=margins,
        first_page=first,
        notes=tuple(builder.notes),
    )


class _Package:
    """A checked OPC package's parts, by absolute part name (``/ppt/slides/slide1.xml``),
    read and parsed only when asked for."""

    def __init__(self, archive: zipfile.ZipFile, path: Path, limits: Limits) -> None:
        self._archive = archive
        self._path = path
        self._limits = limits
        self._names = frozenset("/" + name for name in archive.namelist())
        types = self.xml("/[Content_Types].xml")
        self._overrides = {
            _required(item, "PartName").lower(): _required(item, "ContentType")
            for item in types.findall(_CT + "Override")
        }
        self._defaults = {
            _required(item, "Extension").lower(): _required(item, "ContentType")
            for item in types.findall(_CT + "Default")
        }

    def xml(self, partname: str) -> etree._Element:
        """A part, parsed safely; KeyError when the package has no such part."""
        name = partname[1:]
        data = read_part(self._archive, name, self._path, FORMAT, self._limits)
        if data is None:
            raise KeyError(f"no member '{partname}' in package")
        return parse_xml(data, self._path, FORMAT, name)

    def content_type(self, partname: str) -> str:
        """The part's content type, from ``[Content_Types].xml`` (names case-insensitive)."""
        found = self._overrides.get(partname.lower())
        if found is None:
            extension = posixpath.splitext(partname)[1].removeprefix(".")
            found = self._defaults.get(extension.lower())
        if found is None:
            raise KeyError(f"no content-type for partname '{partname}' in [Content_Types].xml")
        return found

    def rels(self, partname: str) -> _Rels:
        """A part's relationships (``/`` for the package's own); those to parts the package
        does not hold are left out, as python-pptx leaves them out."""
        base, filename = posixpath.split(partname)
        rels_name = posixpath.join(base, "_rels", filename + ".rels")
        if rels_name not in self._names:
            return {}
        found: _Rels = {}
        for rel in self.xml(rels_name).findall(_PR + "Relationship"):
            rid = _required(rel, "Id")
            kind = _required(rel, "Type")
            target_ref = _required(rel, "Target")
            target: str | None = None
            if rel.get("TargetMode") != "External":
                target = posixpath.abspath(posixpath.join(base, target_ref))
                if target not in self._names:
                    continue
            found[rid] = (kind, target)
        return found

    def shape_tree(self, partname: str, content_type: str, root: str) -> etree._Element:
        """A slide's or notes slide's ``p:cSld/p:spTree``; damage when the part is not
        of that type or has none."""
        found = self.content_type(partname)
        if found != content_type:
            raise ValueError(f"part {partname} is {found}, not {content_type}")
        element = self.xml(partname)
        if element.tag != root:
            raise ValueError(f"part {partname} is not a {etree.QName(root).localname}")
        return _child(_child(element, P + "cSld"), P + "spTree")


def _required(element: etree._Element, name: str) -> str:
    value = element.get(name)
    if value is None:
        raise ValueError(f"required '{name}' attribute not present")
    return str(value)


def _child(element: etree._Element, tag: str) -> etree._Element:
    found = element.find(tag)
    if found is None:
        raise ValueError(f"required '{etree.QName(tag).localname}' child element not present")
    return found


def _target_of_type(rels: _Rels, kind: str) -> str | None:
    """The one part related by ``kind``; None when there is none, damage when several or
    when it lies outside the package."""
    targets = [target for rel_kind, target in rels.values() if rel_kind == kind]
    if not targets:
        return None
    if len(targets) > 1:
        raise ValueError(f"multiple relationships of type '{kind}' in collection")
    if targets[0] is None:
        raise ValueError(f"the relationship of type '{kind}' points outside the package")
    return targets[0]


def _slide_parts(package: _Package) -> list[str]:
    """The slides' part names in the presentation's order; damage when any listed slide
    does not resolve to a slide part."""
    main = _target_of_type(package.rels("/"), _OFFICE_DOCUMENT)
    if main is None:
        raise KeyError(f"no relationship of type '{_OFFICE_DOCUMENT}' in collection")
    content_type = package.content_type(main)
    if content_type not in _MAIN_TYPES:
        raise ValueError(f"not a PowerPoint file, content type is '{content_type}'")
    root = package.xml(main)
    if root.tag != P + "presentation":
        raise ValueError(f"part {main} is not a presentation")
    listed = root.find(P + "sldIdLst")
    if listed is None:
        return []
    rels = package.rels(main)
    parts: list[str] = []
    for slide_id in listed:
        if slide_id.tag != P + "sldId":
            raise ValueError(f"unexpected {slide_id.tag} in the slide list")
        rid = _required(slide_id, _R + "id")
        if rid not in rels:
            raise KeyError(f"no relationship with key '{rid}'")
        _kind, target = rels[rid]
        if target is None:
            raise ValueError("a slide's relationship points outside the package")
        if package.content_type(target) != _SLIDE_TYPE:
            raise ValueError(f"part {target} is not a slide")
        parts.append(target)
    return parts


def _read_presentation(
    package: _Package, limits: Limits
) -> tuple[TextBuilder, tuple[str, ...], str, int]:
    builder = TextBuilder(limits)
    margins: list[str] = []
    first = ""
    slides = _slide_parts(package)
    for number, part in enumerate(slides, start=1):
        if builder.full:
            break
        tree = package.shape_tree(part, _SLIDE_TYPE, P + "sld")
        blocks = list(_slide_blocks(tree, margins))
        builder.add(mark(f"slide {number}"))
        for block in blocks:
            builder.add(block)
        if number == 1:
            first = "\n\n".join(blocks) + ("\n" if blocks else "")
        notes_part = _target_of_type(package.rels(part), _NOTES_SLIDE)
        if notes_part is not None:
            notes = _notes_placeholder(package.shape_tree(notes_part, _NOTES_TYPE, P + "notes"))
            lines = [] if notes is None else _paragraphs(notes, bulleted=False)
            if lines:
                builder.add(mark("notes"))
                for line in lines:
                    builder.add(line)
    return builder, unique(margins), first, len(slides)


def _notes_placeholder(tree: etree._Element) -> etree._Element | None:
    """The notes slide's body placeholder: the first top-level shape whose own placeholder
    (under its first child) is of type ``body``."""
    for shape in tree:
        if shape.tag not in _TOP_SHAPES:
            continue
        placeholder = next(
            (child.find(f"{P}nvPr/{P}ph") for child in shape if isinstance(child.tag, str)),
            None,
        )
        if placeholder is None:
            continue
        kind = placeholder.get("type", "obj")
        if kind not in _PLACEHOLDER_TYPES:
            raise ValueError(f"{kind!r} is not a placeholder type")
        if kind == "body":
            return shape
    return None


def _slide_blocks(tree: etree._Element, margins: list[str]) -> Iterator[str]:
    """The slide's title as a heading first, then every other shape's text in order."""
    shapes = list(_shapes(tree))
    for shape in shapes:
        if _placeholder_type(shape) in _TITLES:
            title = " ".join(_paragraphs(shape, bulleted=False, markdown=False))
            if title:
                yield "## " + title.removeprefix("\\")
            break
    for shape in shapes:
        kind = _placeholder_type(shape)
        if kind in _TITLES:
            continue
        if kind in _MARGINS:
            margins.append("\n".join(_paragraphs(shape, bulleted=False, markdown=False)))
            continue
        if shape.tag == P + "graphicFrame":
            table = shape.find(f"{A}graphic/{A}graphicData/{A}tbl")
            if table is not None:
                yield markdown_table(_table_rows(table))
            continue
        yield from _paragraphs(shape, bulleted=kind in _BULLETED)


def _shapes(tree: etree._Element) -> Iterator[etree._Element]:
    """Text-holding shapes and tables in document order, through groups."""
    for child in tree:
        tag = child.tag
        if tag in (P + "sp", P + "graphicFrame", P + "cxnSp"):
            yield child
        elif tag == P + "grpSp":
            yield from _shapes(child)
        elif tag == _MC + "AlternateContent":
            choice = child.find(_MC + "Choice")
            if choice is not None:
                yield from _shapes(choice)


def _placeholder_type(shape: etree._Element) -> str | None:
    for nv in shape:
        placeholder = nv.find(f"{P}nvPr/{P}ph")
        if placeholder is not None:
            return str(placeholder.get("type", "obj"))
    return None


def _paragraphs(shape: etree._Element, *, bulleted: bool, markdown: bool = True) -> list[str]:
    """Each paragraph of a shape's text body as a line; bullets as ``- `` items."""
    body = shape if shape.tag in (P + "txBody", A + "txBody") else shape.find(P + "txBody")
    if body is None:
        return []
    lines: list[str] = []
    for paragraph in body.iter(A + "p"):
        line = clean_line(_paragraph_text(paragraph))
        if not line:
            continue
        properties = paragraph.find(A + "pPr")
        level = _level(properties)
        is_bullet = bulleted
        if properties is not None:
            if properties.find(A + "buNone") is not None:
                is_bullet = False
            elif (
                properties.find(A + "buChar") is not None
                or properties.find(A + "buAutoNum") is not None
            ):
                is_bullet = True
        if markdown and is_bullet:
            line = "  " * level + "- " + line
        lines.append(line)
    return lines


def _level(properties: etree._Element | None) -> int:
    if properties is None:
        return 0
    try:
        return max(0, min(int(properties.get("lvl", "0")), 8))
    except ValueError:
        return 0


def _paragraph_text(paragraph: etree._Element) -> str:
    pieces: list[str] = []
    for child in paragraph:
        if child.tag in (A + "r", A + "fld"):
            pieces.append(child.findtext(A + "t") or "")
        elif child.tag == A + "br":
            pieces.append(" ")
    return "".join(pieces)


def _table_rows(table: etree._Element) -> Iterator[list[str]]:
    for row in table.iter(A + "tr"):
        cells: list[str] = []
        for cell in row.iter(A + "tc"):
            if cell.get("hMerge") in ("1", "true") or cell.get("vMerge") in ("1", "true"):
                cells.append("")
                continue
            body = cell.find(A + "txBody")
            lines = [] if body is None else _paragraphs(body, bulleted=False, markdown=False)
            cells.append(" ".join(lines))
        yield cells
