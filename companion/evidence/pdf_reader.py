"""A PDF's text, page by page, with its running header and footer set apart.

Read with pypdf (pure Python, BSD-3): measured against pypdfium2 (bench/bench_pdf_readers.py)
it is 3-10 times slower per page, but a 1 MB PDF whose content stream inflates to 1 GB costs
it 0.4 s and 184 MB before its own limit stops it, where PDFium inflated the lot (2 GB,
6.6 s); it finds a page tree that loops, and a fault in it is an exception, never a crash
of the app. Its limits are kept as they are and set per read (``apply_configuration``), so
they hold in every thread.

The text of a page is rebuilt from the positions pypdf reports for each run of text: lines
that are further apart than the page's usual line spacing start a new paragraph, so the
Markdown has the blank lines between paragraphs that the word count and search expect.
"""

from __future__ import annotations

import datetime
import itertools
import math
import re
import statistics
import time
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pypdf
from pypdf.errors import DependencyError, LimitReachedError, PdfReadError, PyPdfError

from companion.evidence.limits import EvidenceReadError, Limits
from companion.evidence.model import ExtractedFile, FileFacts

TIME_BUDGET = 90.0
"""Seconds of reading text before the rest of a long PDF is left out (said in ``notes``).
A 2,000-page LibreOffice PDF takes about 40 s on the measured machine."""

_LIGATURES = str.maketrans(
    {chr(c): unicodedata.normalize("NFKC", chr(c)) for c in range(0xFB00, 0xFB07)}
)
"""ﬁ ﬂ ﬀ ﬃ ﬄ ﬅ ﬆ as the letters they stand for: a typesetter's glyphs, which pypdf
passes through, would otherwise split "office" into a word no search finds."""
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_DATE = re.compile(r"^(?:D:)?(\d{4})(\d{2})?(\d{2})?")


@dataclass(slots=True)
class _Line:
    text: str
    y: float | None = None
    size: float = 0.0


@dataclass(slots=True)
class _Page:
    """The lines of one page in the order pypdf reads them, each with where it starts."""

    lines: list[_Line] = field(default_factory=list)
    current: list[str] = field(default_factory=list)
    y: float | None = None
    size: float = 0.0

    def visit(
        self, text: str, cm: Sequence[float], tm: Sequence[float], _font: Any, size: float
    ) -> None:
        """pypdf's ``visitor_text``: the first non-blank run of a line gives its place."""
        pieces = text.split("\n")
        for number, piece in enumerate(pieces):
            if number:
                self.end_line()
            if piece.strip() and self.y is None:
                # The run's origin through the text and current matrices (PDF: y grows up).
                x0, y0 = tm[4], tm[5]
                self.y = x0 * cm[1] + y0 * cm[3] + cm[5]
                scale = math.hypot(tm[2] * cm[0] + tm[3] * cm[2], tm[2] * cm[1] + tm[3] * cm[3])
                self.size = abs(size * scale) if scale else abs(size)
            self.current.append(piece)

    def end_line(self) -> None:
        text = "".join(self.current)
        if text.strip():
            self.lines.append(_Line(text, self.y, self.size))
        self.current = []
        self.y = None
        self.size = 0.0


def read_pdf(path: Path, size: int, limits: Limits) -> ExtractedFile:
    """The PDF at ``path`` (``size`` bytes, already checked against the limits) read into
    page-marked Markdown. Raises ``EvidenceReadError`` for an encrypted, damaged or
    hostile file; other exceptions from pypdf are the caller's to turn into a problem."""
    name = path.name
    with path.open("rb") as handle:
        handle.seek(max(0, size - 1024))
        if b"%%EOF" not in handle.read():
            raise EvidenceReadError(
                "file-damaged",
                f"{name} is damaged: it ends before the end of a PDF (was it cut short?)",
            )
        handle.seek(0)
        with pypdf.apply_configuration(jbig2dec_binary=None):
            return _read(handle, name, size, limits)


def _read(handle: Any, name: str, size: int, limits: Limits) -> ExtractedFile:
    try:
        reader = pypdf.PdfReader(handle, strict=False)
        _unlock(reader, name)
        total = len(reader.pages)
    except EvidenceReadError:
        raise
    except LimitReachedError as error:
        raise _bomb(name) from error
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise EvidenceReadError("file-damaged", f"{name} is damaged: {_reason(error)}") from error
    notes: list[str] = []
    pages = _pages(reader, min(total, limits.max_pages), name, notes)
    if total > limits.max_pages and len(pages) == limits.max_pages:
        notes.insert(0, f"Text read from the first {limits.max_pages:,} of {total:,} pages.")
    margins = _margins(pages)
    texts = [_page_text(page, margins) for page in pages]
    text, cut = _join(texts, limits.max_text_chars)
    if cut:
        notes.append(f"Text cut at {limits.max_text_chars:,} characters.")
    meta = _metadata(reader)
    facts = FileFacts(
        format="pdf",
        kind="document",
        size=size,
        pages=total,
        created=meta["created"],
        modified=meta["modified"],
        title=meta["title"],
        author=meta["author"],
    )
    return ExtractedFile(
        facts=facts,
        text=text,
        margins=tuple(margins.values()),
        first_page=texts[0] if texts else "",
        notes=tuple(notes),
    )


def _unlock(reader: pypdf.PdfReader, name: str) -> None:
    """Open an encrypted PDF with the empty user password (one that only restricts
    printing or copying), else refuse it: companion never asks for a password."""
    if not reader.is_encrypted:
        return
    refusal = EvidenceReadError(
        "file-encrypted",
        f"{name} is password-protected; save a copy without the password to include it.",
    )
    try:
        opened = reader.decrypt("")
    except (DependencyError, NotImplementedError, PdfReadError) as error:
        raise refusal from error
    if opened == pypdf.PasswordType.NOT_DECRYPTED:
        raise refusal


def _pages(reader: pypdf.PdfReader, count: int, name: str, notes: list[str]) -> list[_Page]:
    """The lines of the first ``count`` pages; a page that cannot be read is left empty
    and named in ``notes``, and reading stops at ``TIME_BUDGET``."""
    pages: list[_Page] = []
    unreadable: list[int] = []
    started = time.monotonic()
    for number in range(count):
        if time.monotonic() - started > TIME_BUDGET:
            notes.append(
                f"Text read from the first {number:,} pages: the rest would take too long."
            )
            break
        page = _Page()
        try:
            reader.pages[number].extract_text(visitor_text=page.visit)
        except LimitReachedError as error:
            raise _bomb(name) from error
        except (
            PyPdfError,
            ValueError,
            KeyError,
            TypeError,
            AttributeError,
            IndexError,
            ZeroDivisionError,
        ):
            page = _Page()
            unreadable.append(number + 1)
        page.end_line()
        pages.append(page)
    if unreadable and len(unreadable) == len(pages):
        raise EvidenceReadError(
            "file-damaged", f"{name} is damaged: none of its pages could be read."
        )
    if unreadable:
        listed = ", ".join(str(n) for n in unreadable[:10]) + (" …" if len(unreadable) > 10 else "")
        notes.append(f"Page{'s' if len(unreadable) > 1 else ''} {listed} could not be read.")
    return pages


def _bomb(name: str) -> EvidenceReadError:
    return EvidenceReadError(
        "file-bomb", f"{name} has a page that expands past what companion reads; it was not read."
    )


def _reason(error: BaseException) -> str:
    """pypdf's own words, shortened to a clause."""
    text = " ".join(str(error).split()) or type(error).__name__
    return (
        text[:120].rstrip(".").lower() if text[:1].isupper() and text[1:2].islower() else text[:120]
    )


def _clean(text: str) -> str:
    return _CONTROLS.sub("", text.translate(_LIGATURES)).replace("\t", " ")


def _key(text: str) -> str:
    """A margin line's identity: page numbers and spacing left out."""
    return re.sub(r"\d+", "#", " ".join(text.split())).casefold()


def _margins(pages: list[_Page]) -> dict[str, str]:
    """Lines that stand at the top or bottom of most pages (a running header or footer),
    by key, with their text as first seen, in the order first seen (headers before
    footers). Only the two highest and two lowest lines of
    a page are candidates, so a repeated sentence in the body is never taken."""
    if len(pages) < 2:
        return {}
    seen: Counter[str] = Counter()
    first: dict[str, str] = {}
    for page in pages:
        keys = set()
        for line in _edge_lines(page):
            key = _key(line.text)
            if key and key not in keys:
                keys.add(key)
                first.setdefault(key, " ".join(_clean(line.text).split()))
        seen.update(keys)
    needed = max(2, math.ceil(0.6 * len(pages)))
    return {key: text for key, text in first.items() if seen[key] >= needed}


def _edge_lines(page: _Page) -> list[_Line]:
    """The one or two highest and lowest lines of a page that stand apart from the rest
    by more than the usual line spacing, as a running header or footer does."""
    placed = sorted(
        (line for line in page.lines if line.y is not None), key=lambda ln: -(ln.y or 0.0)
    )
    apart = 1.4 * (_usual_pitch(placed) or 12.0) + 0.5
    edges: list[_Line] = []
    for ordered in (placed, placed[::-1]):
        for count in (1, 2):
            if len(ordered) > count and _gap(ordered[count - 1], ordered[count]) > apart:
                edges += ordered[:count]
                break
    return edges


def _gap(one: _Line, other: _Line) -> float:
    return abs((one.y or 0.0) - (other.y or 0.0))


def _page_text(page: _Page, margins: dict[str, str]) -> str:
    """A page's body as paragraphs separated by blank lines, running header and footer
    left out (they are in ``margins``)."""
    edges = {id(line) for line in _edge_lines(page)} if margins else set()
    lines = [line for line in page.lines if not (id(line) in edges and _key(line.text) in margins)]
    pitch = _usual_pitch(lines)
    paragraphs: list[list[str]] = []
    previous: _Line | None = None
    for line in lines:
        text = " ".join(_clean(line.text).split())
        if not text:
            continue
        if previous is None or _new_paragraph(previous, line, pitch):
            paragraphs.append([text])
        else:
            paragraphs[-1].append(text)
        previous = line
    return "\n\n".join(_join_lines(paragraph) for paragraph in paragraphs)


def _usual_pitch(lines: list[_Line]) -> float | None:
    """The page's usual distance from one line to the next (the median of the downward
    steps no larger than three lines of text)."""
    steps = []
    for before, after in itertools.pairwise(lines):
        if before.y is None or after.y is None:
            continue
        step = before.y - after.y
        if 0 < step <= 3 * max(before.size, 1.0):
            steps.append(step)
    return statistics.median(steps) if steps else None


def _new_paragraph(before: _Line, line: _Line, pitch: float | None) -> bool:
    """A wider gap than usual, a step up the page (a new column or box), or a change of
    type size (a heading) starts a paragraph."""
    if before.y is None or line.y is None:
        return False
    step = before.y - line.y
    if step <= 0.5:
        return True
    if (
        before.size
        and line.size
        and abs(before.size - line.size) > 0.15 * max(before.size, line.size)
    ):
        return True
    usual = pitch if pitch is not None else 1.2 * max(before.size, line.size, 1.0)
    return step > usual * 1.4 + 0.5


def _join_lines(lines: list[str]) -> str:
    """Lines of a paragraph joined by spaces; a line ending in a hyphen is joined to a
    next line starting in lower case without one (the hyphen kept: ``well-`` ``known``
    may be a real compound), and a soft hyphen at a line's end is dropped."""
    out = lines[0]
    for line in lines[1:]:
        if out.endswith("\u00ad"):
            out = out[:-1] + line
        elif out.endswith("-") and line[:1].islower():
            out += line
        else:
            out += " " + line
    return out.replace("\u00ad", "")


def _join(texts: list[str], max_chars: int) -> tuple[str, bool]:
    """The pages with their marks, cut at ``max_chars`` (at a line's end where one is near)."""
    parts = []
    for number, text in enumerate(texts, 1):
        parts.append(f"<!-- page {number} -->\n\n{text}\n" if text else f"<!-- page {number} -->\n")
    whole = "\n".join(parts)
    if len(whole) <= max_chars:
        return whole, False
    cut = whole[:max_chars]
    at = cut.rfind("\n", max(0, max_chars - 2000))
    return (cut[:at] if at > 0 else cut).rstrip() + "\n", True


def _metadata(reader: pypdf.PdfReader) -> dict[str, str]:
    """Created and modified dates, title and author from the info dictionary, else XMP."""
    found = {"created": "", "modified": "", "title": "", "author": ""}
    try:
        info: Any = reader.metadata
        if info is not None:
            found["created"] = _pdf_date(_resolved(info.get("/CreationDate")))
            found["modified"] = _pdf_date(_resolved(info.get("/ModDate")))
            found["title"] = _text_field(_resolved(info.get("/Title")))
            found["author"] = _text_field(_resolved(info.get("/Author")))
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError):
        pass
    if all(found.values()):
        return found
    try:
        xmp = reader.xmp_metadata
        if xmp is not None:
            found["created"] = found["created"] or _iso(xmp.xmp_create_date)
            found["modified"] = found["modified"] or _iso(xmp.xmp_modify_date)
            found["title"] = found["title"] or _text_field((xmp.dc_title or {}).get("x-default"))
            found["author"] = found["author"] or _text_field(", ".join(xmp.dc_creator or []))
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, LookupError):
        pass
    return found


def _resolved(value: object) -> object:
    """An info entry that is a reference to another object, as that object."""
    return value.get_object() if isinstance(value, pypdf.generic.IndirectObject) else value


def _pdf_date(value: object) -> str:
    """``D:20260314103000+00'00'`` as ``2026-03-14``; '' for anything that is not a date."""
    if not isinstance(value, str):
        return ""
    match = _DATE.match(value.strip())
    if not match:
        return ""
    year, month, day = (int(part) if part else 1 for part in match.groups())
    try:
        return datetime.date(year, month, day).isoformat()
    except ValueError:
        return ""


def _iso(value: object) -> str:
    if isinstance(value, datetime.datetime | datetime.date):
        return value.strftime("%Y-%m-%d")
    return ""


_PLACEHOLDERS = frozenset({"untitled", "anonymous", "(anonymous)", "unknown", "unspecified"})
"""What PDF makers write when nobody gave a title or author: no title at all."""


def _text_field(value: object) -> str:
    if not isinstance(value, str):
        return ""
    text = " ".join(_clean(value).split())[:500]
    return "" if text.casefold() in _PLACEHOLDERS else text
