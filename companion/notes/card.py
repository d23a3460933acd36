"""Cards: a note that stands for an evidence file beside it (``file: minutes-march.docx``).

The file (Word, PDF, PowerPoint, a recording…) is the evidence and is never written, moved
or renamed; the card holds what companion knows about it (reference, date, type, tags) in
plain text the learner owns. The card names its file relative to itself, so a card and its
file moved together stay linked. What is read from the file (its text with places marked,
its pages, slides or duration) stands in for the card's body wherever a note's text is
read: word counts, citations, search, the evidence rules.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from pathlib import Path, PurePosixPath
from typing import Any

from companion.evidence.model import ExtractedFile, FileFacts, ReadProblem
from companion.files import stamp_of
from companion.notes.card_key import card_file_name
from companion.text.counted import counted
from companion.text.locate import PLACE_MARK
from companion.text.months import MONTHS

CARD_SUFFIX = ".md"
"""A card is named after its file: ``minutes-march.docx.md``."""
FRONT_TEXT_CHARS = 4000
"""How much of a file's headers, footers and first page a record keeps for the checks of
"Preparing Evidence" (learner name, date produced, reference)."""

FileReader = Callable[[Path, Path], ExtractedFile]
"""Reads the evidence file at a path, refusing links that leave the folder given."""


def default_reader(path: Path, within: Path) -> ExtractedFile:
    """Read a file with no cache (a command reading one card, a test)."""
    from companion.evidence.read import read_evidence_file

    return read_evidence_file(path, within=within)


def unnamed_file(value: object) -> CardFile:
    """What a card whose ``file`` is not one file name (a list, an empty value) stands for:
    a problem to fix, never a note silently taken as no card."""
    return CardFile(
        name=str(value)[:80],
        problem="file-not-named",
        message="'file' must name one evidence file beside the card, e.g. file: minutes.docx",
    )


def card_name_for(file_name: str) -> str:
    """The card's file name for an evidence file: ``minutes.docx`` -> ``minutes.docx.md``."""
    return file_name + CARD_SUFFIX


@dataclass(frozen=True, slots=True)
class CardFile:
    """What a note record keeps of the evidence file its card names."""

    name: str
    """The file as the card names it."""
    path: str = ""
    """The file relative to the portfolio ('/'-separated); '' when it is not inside it."""
    mtime_ns: int = 0
    size: int = 0
    format: str = ""
    kind: str = ""
    pages: int | None = None
    slides: int | None = None
    sheets: int | None = None
    duration: float | None = None
    created: str = ""
    title: str = ""
    author: str = ""
    problem: str = ""
    """A ``ReadProblem`` code ('' when the file was read)."""
    message: str = ""
    front_text: str = ""
    """Headers, footers and the first page, for the "Preparing Evidence" checks."""
    has_text: bool = False
    unfound: tuple[str, ...] = ()
    """The ACs whose tag's ``where`` names a place not found in the file's text."""
    marks: tuple[tuple[int, str], ...] = ()
    """Where each page, slide or sheet starts in the file's text: (line, ``page 3``), so a
    line the citation reader names is told as the place a reader finds it."""

    def place_of(self, line: int) -> str:
        """``page 3``/``slide 2`` for a line of the file's text; ``line N`` unmarked."""
        place = ""
        for start, label in self.marks:
            if start > line:
                break
            place = label
        return place or f"line {line}"

    @property
    def stamp(self) -> tuple[int, int]:
        return self.mtime_ns, self.size

    def to_json(self) -> dict[str, Any]:
        """A compact mapping for the index: fields at their default are left out."""
        out: dict[str, Any] = {}
        for name in _NAMES:
            value = getattr(self, name)
            if value != _DEFAULTS[name]:
                out[name] = (
                    [list(v) if isinstance(v, tuple) else v for v in value]
                    if isinstance(value, tuple)
                    else value
                )
        return out

    @classmethod
    def from_json(cls, data: object) -> CardFile:
        """The inverse of ``to_json``; ValueError for a damaged row."""
        if not isinstance(data, dict) or not isinstance(data.get("name"), str):
            raise ValueError("not a card file")
        kept: dict[str, Any] = {}
        for name, value in data.items():
            if name not in _DEFAULTS:
                continue
            if name == "unfound":
                if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                    raise ValueError("unfound is not a list of texts")
                value = tuple(value)
            elif name == "marks":
                if not isinstance(value, list) or not all(
                    isinstance(v, list)
                    and len(v) == 2
                    and isinstance(v[0], int)
                    and isinstance(v[1], str)
                    for v in value
                ):
                    raise ValueError("marks is not a list of places")
                value = tuple((v[0], v[1]) for v in value)
            elif not isinstance(value, _KINDS[name]) or isinstance(value, bool) != (
                _KINDS[name] == (bool,)
            ):
                raise ValueError(f"{name} is not a {_KINDS[name]}")
            kept[name] = value
        return cls(**kept)


_NAMES = tuple(f.name for f in fields(CardFile))
_DEFAULTS: dict[str, Any] = {f.name: getattr(CardFile(""), f.name) for f in fields(CardFile)}
_KINDS: dict[str, tuple[type, ...]] = {
    "name": (str,),
    "path": (str,),
    "mtime_ns": (int,),
    "size": (int,),
    "format": (str,),
    "kind": (str,),
    "pages": (int, type(None)),
    "slides": (int, type(None)),
    "sheets": (int, type(None)),
    "duration": (float, int, type(None)),
    "created": (str,),
    "title": (str,),
    "author": (str,),
    "problem": (str,),
    "message": (str,),
    "front_text": (str,),
    "has_text": (bool,),
}


def locate_file(card: Path, name: str, root: Path) -> tuple[Path, str]:
    """The file a card names and its path relative to the portfolio ('' when the name
    leads out of it). The name is taken as written, relative to the card's folder."""
    candidate = PurePosixPath(name.replace("\\", "/"))
    path = card.parent / Path(*candidate.parts) if not candidate.is_absolute() else Path(name)
    joined = os.path.normpath(path.absolute())
    base = os.path.normpath(root.absolute())
    if joined != base and joined.startswith(base + os.sep):
        return Path(joined), Path(joined).relative_to(base).as_posix()
    return Path(joined), ""


def read_card_file(
    card: Path, name: str, root: Path, reader: FileReader | None = None
) -> tuple[CardFile, ExtractedFile]:
    """Read the file a card names (through ``reader``, a cache in the portfolio)."""
    path, relative = locate_file(card, name, root)
    if not relative:
        outside = ReadProblem(
            "file-not-regular",
            f"{name} is outside the portfolio; keep the file beside its card",
        )
        extracted = ExtractedFile(FileFacts("", "", 0), problem=outside)
    else:
        extracted = (reader or default_reader)(path, root)
    facts = extracted.facts
    try:
        mtime, size = stamp_of(os.stat(path))
    except OSError:
        mtime, size = 0, 0
    problem = extracted.problem
    front = "\n".join((*extracted.margins, extracted.first_page))[:FRONT_TEXT_CHARS]
    return (
        CardFile(
            name=name,
            path=relative,
            mtime_ns=mtime,
            size=size,
            format=facts.format,
            kind=facts.kind,
            pages=facts.pages,
            slides=facts.slides,
            sheets=facts.sheets,
            duration=facts.duration,
            created=facts.created,
            title=facts.title,
            author=facts.author,
            problem=problem.code if problem else "",
            message=problem.message if problem else "",
            front_text=front,
            has_text=bool(extracted.text.strip()),
            marks=place_marks(extracted.text),
        ),
        extracted,
    )


def file_json(card: CardFile) -> dict[str, Any]:
    """What exports and ``--json`` say of a card's file: the file and what it holds."""
    return {
        "name": card.name,
        "path": card.path,
        "format": card.format,
        "kind": card.kind,
        "size": card.size,
        "pages": card.pages,
        "slides": card.slides,
        "sheets": card.sheets,
        "duration": card.duration,
        "problem": card.problem,
        "message": card.message,
    }


def evidence_text(
    path: Path, metadata: Mapping[str, Any], body: str, root: Path, reader: FileReader | None = None
) -> str:
    """The text that is a note's evidence: its body, or for a card the text read from its
    file (places marked), which is what an assessor reads; for a file with no text (a
    recording, a picture), the card's own body, where a learner keeps its transcript."""
    name = card_file_name(metadata)
    if name is None:
        return body
    return read_card_file(path, name, root, reader)[1].text or body


def place_marks(text: str) -> tuple[tuple[int, str], ...]:
    """(line, ``page 3``) for each place marked in a file's text, lines counted from 1."""
    if "<!-- " not in text:
        return ()
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        match = PLACE_MARK.match(line)
        if match is not None:
            found.append((number, f"{match.group(1)} {match.group(2)}"))
    return tuple(found)


# --- where a tag points: a place the file has -----------------------------------------

_PAGES = re.compile(r"\b(?:pp?|pages?)\.?\s*(\d+)(?:\s*[-–]\s*(\d+))?", re.IGNORECASE)
_SLIDES = re.compile(r"\bslides?\.?\s*(\d+)(?:\s*[-–]\s*(\d+))?", re.IGNORECASE)
_TIMES = re.compile(r"(?<![\d:])(?:(\d{1,2}):)?(\d{1,3}):([0-5]\d)(?![\d:])")


def clock_time(seconds: float) -> str:
    """``m:ss`` (or ``h:mm:ss``) for a number of seconds."""
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def beyond_file(where: str, card: CardFile) -> str | None:
    """Why ``where`` names a place the file does not have ("p9, but the document has 1
    page"), or None when every page, slide and moment it names is within the file."""
    if card.problem:
        return None
    for match in _PAGES.finditer(where):
        last = max(int(n) for n in match.groups() if n)
        if card.pages is not None and last > card.pages:
            return f"{match.group(0).strip()}, but the document has {counted(card.pages, 'page')}"
    for match in _SLIDES.finditer(where):
        last = max(int(n) for n in match.groups() if n)
        if card.slides is not None and last > card.slides:
            return f"{match.group(0).strip()}, but the presentation has " + counted(
                card.slides, "slide"
            )
    if card.duration is not None:
        for match in _TIMES.finditer(where):
            hours, minutes, seconds = (int(n) if n else 0 for n in match.groups())
            at = hours * 3600 + minutes * 60 + seconds
            if at > card.duration:
                return f"{match.group(0)}, but the recording lasts {clock_time(card.duration)}"
    return None


def checkable_in_text(where: str, text: str) -> bool:
    """True when the text read from a file can tell whether ``where`` is found: not a
    moment (a recording has no text to find it in), and not only a page of a document
    whose pages the file does not mark (a Word document Word never paginated)."""
    if not where.strip() or not text.strip() or _TIMES.search(where):
        return False
    rest = _PAGES.sub("", where).strip(" ,;")
    return bool(rest) or "<!-- page " in text


# --- "Preparing Evidence": what the file itself shows --------------------------------


def date_forms(date: dt.date) -> tuple[str, ...]:
    """The ways a document commonly writes a date: 2026-05-12, 12/05/2026, 12.5.26,
    12 May 2026, 12-May-2026, May 12, 2026… (ordinals, "of" and commas are taken out of the
    text before these are looked for: ``12th of May, 2026`` is ``12 May 2026``)."""
    d, m, y = date.day, date.month, date.year
    month, short = MONTHS[m - 1], MONTHS[m - 1][:3]
    forms = {date.isoformat()}
    for day in {str(d), f"{d:02d}"}:
        for mon in {str(m), f"{m:02d}"}:
            for year in (str(y), f"{y % 100:02d}"):
                forms |= {f"{day}/{mon}/{year}", f"{day}.{mon}.{year}", f"{day}-{mon}-{year}"}
        for name in (month, short):
            forms |= {f"{day} {name} {y}", f"{day}-{name}-{y}", f"{name} {day} {y}"}
    return tuple(sorted(forms))


_ORDINAL = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)\b(?:\s+of\b)?", re.IGNORECASE)
_COMMAS = re.compile(r"\s*,\s*")
_SPACES = re.compile(r"\s+")


def _normalised(text: str) -> str:
    text = _ORDINAL.sub(r"\1", text)
    text = _COMMAS.sub(" ", text)
    return _SPACES.sub(" ", text).casefold()


def _stands_alone(text: str, wanted: str, joiners: str) -> bool:
    """True when ``wanted`` occurs in ``text`` with no letter or digit against it, nor a
    ``joiners`` character that would make it part of a longer number (``21/5/26``)."""
    start = text.find(wanted)
    while start != -1:
        end = start + len(wanted)
        before = text[start - 1] if start else " "
        after = text[end : end + 2]
        joined_after = bool(after) and (
            after[0].isalnum()
            or after[0] == "_"
            or (after[0] in joiners and len(after) > 1 and after[1].isdigit())
        )
        if not (before.isalnum() or before == "_" or before in joiners) and not joined_after:
            return True
        start = text.find(wanted, start + 1)
    return False


def shows_date(text: str, date: dt.date) -> bool:
    """True when ``text`` writes ``date`` in one of its common forms, standing on its own
    (``12 May 2026`` does not show 2 May 2026, nor ``21/5/26`` 1 May)."""
    found = _normalised(text)
    return any(_stands_alone(found, form.casefold(), "/.-") for form in date_forms(date))


def shows_text(text: str, wanted: str) -> bool:
    """True when ``text`` holds ``wanted`` as whole words, ignoring case and runs of spaces
    (``E032`` is not shown by ``E0321``, nor Alex Morgan by Alex Morganson)."""
    wanted = _normalised(wanted.strip())
    return bool(wanted) and _stands_alone(_normalised(text), wanted, "")


__all__ = [
    "CardFile",
    "FileReader",
    "beyond_file",
    "card_name_for",
    "checkable_in_text",
    "clock_time",
    "date_forms",
    "default_reader",
    "evidence_text",
    "file_json",
    "locate_file",
    "read_card_file",
    "shows_date",
    "shows_text",
    "unnamed_file",
]
