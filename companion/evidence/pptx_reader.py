"""PowerPoint presentations (.pptx) as Markdown: one ``<!-- slide N -->`` per slide, its
title as a heading, its text, tables and speaker notes.

python-pptx opens the package and orders the slides; each slide's shape tree is walked as
XML, so groups, tables and content-part alternatives are read the same way everywhere.
Footer, date and slide-number placeholders are margins, not body text: they repeat on
every slide and say nothing of the work.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pptx
from lxml import etree

from companion.evidence.limits import EvidenceReadError, Limits
from companion.evidence.model import ExtractedFile, FileFacts
from companion.evidence.zipped import (
    TextBuilder,
    clean_line,
    damaged,
    mark,
    markdown_table,
    open_checked,
    package_properties,
    unique,
)

FORMAT = "pptx"
P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_TITLES = frozenset({"title", "ctrTitle"})
_MARGINS = frozenset({"ftr", "dt", "sldNum"})
_BULLETED = frozenset({"body", "obj"})
"""Placeholder types whose paragraphs are bullets unless they say otherwise."""


def read_pptx(path: Path, size: int, limits: Limits) -> ExtractedFile:
    """Read a presentation's slides, notes, margins and facts; raise
    ``EvidenceReadError`` for a file that is not one, is encrypted, damaged or too big."""
    with open_checked(path, FORMAT, limits) as (handle, archive):
        props = package_properties(archive, path, FORMAT, limits)
        try:
            presentation = pptx.Presentation(handle)
            builder, margins, first, count = _read_presentation(presentation, limits)
        except EvidenceReadError:
            raise
        except Exception as error:  # python-pptx, lxml and zipfile raise many kinds
            reason = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
            raise damaged(path, FORMAT, reason) from None
    facts = FileFacts(
        format=FORMAT,
        kind="presentation",
        size=size,
        slides=count,
        created=props.created,
        modified=props.modified,
        title=props.title,
        author=props.author,
    )
    return ExtractedFile(
        facts=facts,
        text=builder.text(),
        margins=margins,
        first_page=first,
        notes=tuple(builder.notes),
    )


def _read_presentation(
    presentation: Any, limits: Limits
) -> tuple[TextBuilder, tuple[str, ...], str, int]:
    builder = TextBuilder(limits)
    margins: list[str] = []
    first = ""
    count = 0
    for number, slide in enumerate(presentation.slides, start=1):
        count = number
        if builder.full:
            continue
        blocks = list(_slide_blocks(slide.shapes.element, margins))
        builder.add(mark(f"slide {number}"))
        for block in blocks:
            builder.add(block)
        if number == 1:
            first = "\n\n".join(blocks) + ("\n" if blocks else "")
        if slide.has_notes_slide:
            notes = slide.notes_slide.notes_placeholder
            lines = [] if notes is None else _paragraphs(notes.element, bulleted=False)
            if lines:
                builder.add(mark("notes"))
                for line in lines:
                    builder.add(line)
    return builder, unique(margins), first, count


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
