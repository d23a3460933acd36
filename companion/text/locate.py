"""Find the place a tag's ``where`` points at in a note's text, so a reader starts there.

Learners write ``where`` as they cite a document: ``p2 para 3``, ``s3.3``, ``pp4-9 s3-6``,
``slides 7-10``, ``p1 item 2``, ``03:05`` into a recording, or words from a heading. A note
holds the document's text, so pages mostly do not survive, but its headings (``## 3.3 New
ways of working``, ``## Slides 7-10 — Brand``), paragraphs, list items and timestamps do.
The first part of ``where`` (before a comma) that can be found is the place; each part of it
narrows the search: a section, then a paragraph or item within it. Nothing found is ``None``:
the reader starts at the top and is told so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_TIME = re.compile(r"\b(\d{1,2}):([0-5]\d)(?::([0-5]\d))?\b")
_SECTION = re.compile(r"\b(?:s|sec|sect|section)\.?\s*(\d+(?:\.\d+)*)", re.IGNORECASE)
_SLIDE = re.compile(r"\bslides?\s*(\d+)(?:\s*[-–]\s*(\d+))?", re.IGNORECASE)
_PAGE = re.compile(r"\b(?:pp?|pages?)\.?\s*(\d+)", re.IGNORECASE)
_PARA = re.compile(r"\b(?:paras?|paragraphs?)\.?\s*(\d+)", re.IGNORECASE)
_ITEM = re.compile(r"\b(?:items?|bullets?|points?)\.?\s*(\d+)", re.IGNORECASE)
_ITEM_HEADING = re.compile(r"^(?:agenda\s+)?items?\s*(\d+)(?:\s*[-–]\s*(\d+))?\b", re.IGNORECASE)
_QUOTED = re.compile(r"[\"“‘']([^\"”’']{3,})[\"”’']")
_LIST_ITEM = re.compile(r"^\s{0,3}(?:[-*+]|\d+[.)])\s+")
_PAGE_MARK = re.compile(r"\bpage\s+(\d+)\b", re.IGNORECASE)
PLACE_MARK = re.compile(r"^<!-- (page|slide|sheet) (.+?) -->$")
"""A place marked in the text read from an evidence file (``companion.evidence.model``)."""


@dataclass(frozen=True)
class Location:
    """Lines ``start``..``end`` (0-based, inclusive) of the text, and what was found there."""

    start: int
    end: int
    found: str


def _body_start(lines: list[str]) -> int:
    """The first line after a front matter block, if the text starts with one."""
    if lines and lines[0].strip() == "---":
        for number, line in enumerate(lines[1:], 1):
            if line.strip() in ("---", "..."):
                return number + 1
    return 0


def _headings(lines: list[str], start: int) -> list[tuple[int, int, str]]:
    """(line, level, text) of each Markdown heading outside code fences."""
    found: list[tuple[int, int, str]] = []
    fenced = False
    for number in range(start, len(lines)):
        line = lines[number]
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
            continue
        match = None if fenced else _HEADING.match(line)
        if match:
            found.append((number, len(match.group(1)), match.group(2)))
    return found


def _section_end(lines: list[str], headings: list[tuple[int, int, str]], line: int) -> int:
    """The last line of the section whose heading is on ``line``."""
    level = next(lv for n, lv, _ in headings if n == line)
    for number, other, _ in headings:
        if number > line and other <= level:
            return number - 1
    return len(lines) - 1


def _number_heading(text: str, number: str) -> bool:
    """True for a heading that starts with the section number: '3.3 New ways', '3. Options',
    'Section 3: ...'."""
    text = re.sub(r"^(?:section|part)\s+", "", text.strip(), flags=re.IGNORECASE)
    return re.match(rf"{re.escape(number)}(?:\.?(?=\s|:|$)|\.(?=\D))", text) is not None


def _span(match: re.Match[str]) -> tuple[int, int]:
    first = int(match.group(1))
    return first, int(match.group(2) or first)


def _overlaps(pattern: re.Pattern[str], heading: str, wanted: tuple[int, int]) -> bool:
    """True for a heading that names slides (or an agenda item) in the range wanted."""
    for match in pattern.finditer(heading):
        first, last = _span(match)
        if first <= wanted[1] and wanted[0] <= last:
            return True
    return False


def _blocks(lines: list[str], start: int, end: int, items: bool) -> list[tuple[int, int]]:
    """Paragraphs (or list items, with ``items``) between two lines: (first, last) line."""
    found: list[tuple[int, int]] = []
    current: int | None = None
    for number in range(start, end + 1):
        line = lines[number]
        blank = not line.strip() or bool(_HEADING.match(line)) or _is_mark(line)
        if items:
            if _LIST_ITEM.match(line):
                if current is not None:
                    found.append((current, number - 1))
                current = number
            elif blank and current is not None:
                found.append((current, number - 1))
                current = None
            continue
        if blank:
            if current is not None:
                found.append((current, number - 1))
                current = None
        elif current is None:
            current = number
    if current is not None:
        found.append((current, end))
    return found


def _seconds(match: re.Match[str]) -> int:
    hours_or_minutes, minutes_or_seconds, seconds = match.groups()
    if seconds is None:
        return int(hours_or_minutes) * 60 + int(minutes_or_seconds)
    return int(hours_or_minutes) * 3600 + int(minutes_or_seconds) * 60 + int(seconds)


def _timestamp(lines: list[str], start: int, wanted: re.Match[str]) -> Location | None:
    """The line with the timestamp, or the last one before it in a timed transcript."""
    target = _seconds(wanted)
    best: tuple[int, int] | None = None
    for number in range(start, len(lines)):
        for match in _TIME.finditer(lines[number]):
            at = _seconds(match)
            if at == target:
                return Location(number, number, wanted.group(0))
            if at < target and (best is None or at >= best[1]):
                best = (number, at)
    if best is not None:
        return Location(best[0], best[0], f"the transcript just before {wanted.group(0)}")
    return None


@dataclass(frozen=True)
class _Scope:
    """The lines a section, slide or page spans, where it starts and how it was found."""

    first: int
    last: int
    at: int
    found: str
    agenda: bool = False
    """True when the scope is the agenda item the part names (so it is not a list item)."""
    heading: bool = False
    """True when the scope is a heading's section, so the whole of it is the place."""


def _page_mark(lines: list[str], start: int, page: int) -> int | None:
    for number in range(start, len(lines)):
        if any(int(m.group(1)) == page for m in _PAGE_MARK.finditer(lines[number])):
            return number
    return None


def _marked(lines: list[str], start: int, kind: str, first: int, last: int) -> _Scope | None:
    """The lines from the mark of ``kind`` number ``first`` up to the mark after ``last``,
    in the text of an evidence file (``<!-- slide 4 -->``)."""
    begin = end = None
    for number in range(start, len(lines)):
        match = PLACE_MARK.match(lines[number])
        if match is None or match.group(1) != kind or not match.group(2).isdigit():
            continue
        value = int(match.group(2))
        if begin is None and value == first:
            begin = number
        elif begin is not None and value > last:
            end = number - 1
            break
    if begin is None:
        return None
    label = f"{kind} {first}" if first == last else f"{kind}s {first}-{last}"
    return _Scope(begin + 1, len(lines) - 1 if end is None else end, begin, label, heading=True)


def _is_mark(line: str) -> bool:
    """A mark companion put in a file's text (``<!-- page 3 -->``, ``<!-- notes -->``)."""
    return line.startswith("<!-- ") and line.rstrip().endswith(" -->")


PLACE_LABELS = {"page": "p{}", "slide": "slide {}", "sheet": "sheet {}"}
"""How a place of a file is written in a ``where`` (and so how search names it)."""


def place_of_line(lines: list[str], line: int) -> str:
    """Where line ``line`` (0-based) of a file's text is, written as a ``where`` that
    ``locate`` finds again: ``p2 para 3``, ``slide 4 para 1``, ``para 5``."""
    start, label = 0, ""
    for number in range(min(line, len(lines) - 1), -1, -1):
        match = PLACE_MARK.match(lines[number])
        if match is not None:
            start, label = number + 1, PLACE_LABELS[match.group(1)].format(match.group(2))
            break
    paragraphs = [b for b in _blocks(lines, start, line, items=False) if b[0] <= line]
    para = f"para {len(paragraphs)}" if paragraphs else ""
    return " ".join(part for part in (label, para) if part)


def _scope(lines: list[str], start: int, part: str) -> _Scope | None:
    """The section, slides, agenda item or marked page ``part`` names; the whole text when
    it names none (or only page 1); ``None`` when it names one that is not there."""
    headings = _headings(lines, start)
    section, slide, item = _SECTION.search(part), _SLIDE.search(part), _ITEM.search(part)
    heading, agenda = None, False
    if section:
        label = f"section {section.group(1)}"
        heading = next((h for h in headings if _number_heading(h[2], section.group(1))), None)
    elif slide:
        first, last = _span(slide)
        label = f"slide {first}" if first == last else f"slides {first}-{last}"
        heading = next((h for h in headings if _overlaps(_SLIDE, h[2], _span(slide))), None)
    if slide and heading is None:
        marked = _marked(lines, start, "slide", *_span(slide))
        if marked is not None:
            return marked
    if slide and heading is None and _span(slide)[0] == 1:
        return _Scope(start, len(lines) - 1, start, "slide 1")  # the deck starts the note
    if section or slide:
        if heading is None:
            return None
    elif item:  # minutes: an agenda item is a heading; elsewhere it is a list item
        label = f"item {item.group(1)}"
        wanted = (int(item.group(1)), int(item.group(1)))
        heading = next((h for h in headings if _overlaps(_ITEM_HEADING, h[2], wanted)), None)
        if heading is None:  # minutes whose items are numbered headings: '## 3. Programme'
            heading = next((h for h in headings if _number_heading(h[2], item.group(1))), None)
        agenda = heading is not None
    if heading is not None:
        end = _section_end(lines, headings, heading[0])
        return _Scope(heading[0], end, heading[0], f"{label} ('{heading[2]}')", agenda, True)
    page = _PAGE.search(part)
    if page:
        number = int(page.group(1))
        marked = _marked(lines, start, "page", number, number)
        if marked is not None:  # the pages of a file read: paragraphs within that page
            return marked
        mark = _page_mark(lines, start, number)
        if mark is not None:  # paragraphs are counted after the page mark
            return _Scope(mark + 1, len(lines) - 1, mark, f"page {number}")
        if number > 1:
            return None  # a paragraph on an unmarked later page cannot be counted to
        return _Scope(start, len(lines) - 1, start, "page 1")
    return _Scope(start, len(lines) - 1, start, "")


def _part(lines: list[str], start: int, part: str) -> Location | None:
    """One comma-separated part of ``where``: a moment, or a place narrowed section (or
    slide, or page), then paragraph or list item."""
    time = _TIME.search(part)
    if time:
        return _timestamp(lines, start, time)
    scope = _scope(lines, start, part)
    if scope is None:
        return None
    found = [scope.found] if scope.found else []
    para = _PARA.search(part)
    item = None if scope.agenda else _ITEM.search(part)
    wanted = para or item
    if wanted:
        blocks = _blocks(lines, scope.first, scope.last, items=wanted is item)
        index = int(wanted.group(1)) - 1
        if 0 <= index < len(blocks):
            found.append(f"{'item' if wanted is item else 'paragraph'} {index + 1}")
            return Location(blocks[index][0], blocks[index][1], ", ".join(found))
    if found:
        # a section is shown whole (to the next heading of its level); a page mark alone
        end = scope.last if scope.heading else scope.at
        return Location(scope.at, end, ", ".join(found))
    return None


def _words(lines: list[str], start: int, where: str) -> Location | None:
    """A quoted phrase, or the whole of ``where``, found in a heading or the text."""
    quoted = _QUOTED.search(where)
    phrase = (quoted.group(1) if quoted else where).strip().casefold()
    if len(phrase) < 3:
        return None
    for number in range(start, len(lines)):
        if phrase in lines[number].casefold():
            return Location(number, number, f"'{phrase}'")
    return None


def locate(text: str, where: str) -> Location | None:
    """Where ``where`` points in ``text``, or ``None`` when it cannot be found."""
    lines = text.splitlines()
    start = _body_start(lines)
    for part in (p.strip() for p in where.split(",")):
        if part:
            found = _part(lines, start, part)
            if found is not None:
                return found
    return _words(lines, start, where)
