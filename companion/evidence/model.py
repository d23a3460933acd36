"""What is read from one evidence file: its facts, its text with places marked, and a problem.

The text is Markdown, so word counts, citations, search and the evidence rules read a file
exactly as they read a note. Places are HTML comments on lines of their own, which every
Markdown reader (and the word count) leaves out: ``<!-- page 3 -->``, ``<!-- slide 4 -->``,
``<!-- sheet Budget -->``, ``<!-- notes -->`` (a slide's speaker notes follow),
``<!-- footnotes -->``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SCHEMA = 1
"""Bumped whenever what a reader extracts changes, so cached extractions are read again."""


@dataclass(frozen=True, slots=True)
class ReadProblem:
    """Why a file could not be read; ``code`` is a stable flag code."""

    code: str
    """``file-missing``, ``file-unreadable``, ``file-encrypted``, ``file-damaged``,
    ``file-wrong-format`` (not what its extension says), ``file-too-large``, ``file-bomb``
    (a zip or XML that would expand past the limits), ``file-not-regular`` (a folder, FIFO,
    device, or a link leaving the portfolio), ``file-unsupported``."""
    message: str
    """One line a learner understands, naming the file (by its name, not its full path)."""


@dataclass(frozen=True, slots=True)
class FileFacts:
    """What a file is, read from the file itself."""

    format: str
    """The format by content: docx, pdf, pptx, xlsx, odt, odp, ods, txt, md, image, audio, video."""
    kind: str
    """document, presentation, spreadsheet, text, image, audio or video."""
    size: int
    pages: int | None = None
    """Pages: a PDF's own; a Word document's as Word last saved them (docProps/app.xml)."""
    slides: int | None = None
    sheets: int | None = None
    duration: float | None = None
    """Seconds, for audio and video."""
    created: str = ""
    """ISO date (YYYY-MM-DD) the file says it was created, from its own metadata; '' if none."""
    modified: str = ""
    title: str = ""
    author: str = ""


@dataclass(frozen=True, slots=True)
class ExtractedFile:
    """Everything companion knows of one file's contents."""

    facts: FileFacts
    text: str = ""
    """The body as Markdown with place marks (see the module docstring)."""
    margins: tuple[str, ...] = ()
    """Header and footer texts (docx headers/footers, pptx footers), each once."""
    first_page: str = ""
    """The text of the first page (PDF), first slide (pptx) or first ~40 lines (docx)."""
    problem: ReadProblem | None = None
    notes: tuple[str, ...] = field(default=())
    """Things worth saying that are not problems (e.g. 'text read from the first 2,000 pages')."""

    def to_json(self) -> dict[str, Any]:
        """A compact dict for the cache: empty and ``None`` fields are left out, so a row
        costs little beyond its text, and ``schema`` says which readers made it."""
        facts: dict[str, Any] = {"format": self.facts.format, "kind": self.facts.kind}
        facts["size"] = self.facts.size
        for name in _OPTIONAL_NUMBERS:
            value = getattr(self.facts, name)
            if value is not None:
                facts[name] = value
        for name in _OPTIONAL_STRINGS:
            value = getattr(self.facts, name)
            if value:
                facts[name] = value
        row: dict[str, Any] = {"schema": SCHEMA, "facts": facts}
        if self.text:
            row["text"] = self.text
        if self.margins:
            row["margins"] = list(self.margins)
        if self.first_page:
            row["first_page"] = self.first_page
        if self.problem is not None:
            row["problem"] = [self.problem.code, self.problem.message]
        if self.notes:
            row["notes"] = list(self.notes)
        return row

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ExtractedFile:
        """The file a row of ``to_json`` describes; ``ValueError`` for a row of another
        schema or of any shape ``to_json`` does not write (a damaged cache is read again,
        never trusted)."""
        if not isinstance(data, dict):
            raise ValueError("an extraction row is not an object")
        if data.get("schema") != SCHEMA or isinstance(data.get("schema"), bool):
            raise ValueError(f"an extraction row of schema {data.get('schema')!r}, not {SCHEMA}")
        unknown = set(data) - _ROW_KEYS
        if unknown:
            raise ValueError(f"an extraction row with unknown keys {sorted(unknown)}")
        problem_row = data.get("problem")
        problem = None
        if problem_row is not None:
            if not (
                isinstance(problem_row, list)
                and len(problem_row) == 2
                and all(isinstance(part, str) for part in problem_row)
            ):
                raise ValueError("an extraction row's problem is not [code, message]")
            problem = ReadProblem(problem_row[0], problem_row[1])
        return cls(
            facts=_facts_from_json(data.get("facts")),
            text=_string(data, "text"),
            margins=_strings(data, "margins"),
            first_page=_string(data, "first_page"),
            problem=problem,
            notes=_strings(data, "notes"),
        )


_OPTIONAL_NUMBERS = ("pages", "slides", "sheets", "duration")
_OPTIONAL_STRINGS = ("created", "modified", "title", "author")
_ROW_KEYS = {"schema", "facts", "text", "margins", "first_page", "problem", "notes"}
_FACT_KEYS = {"format", "kind", "size", *_OPTIONAL_NUMBERS, *_OPTIONAL_STRINGS}


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _facts_from_json(data: object) -> FileFacts:
    """The facts of a row, each checked for its type (``bool`` is not a number here)."""
    if not isinstance(data, dict):
        raise ValueError("an extraction row's facts are not an object")
    unknown = set(data) - _FACT_KEYS
    if unknown:
        raise ValueError(f"an extraction row's facts have unknown keys {sorted(unknown)}")
    for name in ("format", "kind"):
        if not isinstance(data.get(name), str) or not data[name]:
            raise ValueError(f"an extraction row's {name} is not a name")
    size = data.get("size")
    if not isinstance(size, int) or isinstance(size, bool) or size < 0:
        raise ValueError("an extraction row's size is not a count of bytes")
    numbers: dict[str, int | None] = {}
    for name in ("pages", "slides", "sheets"):
        value = data.get(name)
        if value is not None and (not _is_int(value) or value < 0):
            raise ValueError(f"an extraction row's {name} is not a count")
        numbers[name] = value
    duration = data.get("duration")
    if duration is not None:
        if not (_is_int(duration) or isinstance(duration, float)) or not duration >= 0:
            raise ValueError("an extraction row's duration is not a number of seconds")
        duration = float(duration)
    strings: dict[str, str] = {}
    for name in _OPTIONAL_STRINGS:
        value = data.get(name, "")
        if not isinstance(value, str):
            raise ValueError(f"an extraction row's {name} is not text")
        strings[name] = value
    return FileFacts(
        format=data["format"],
        kind=data["kind"],
        size=size,
        pages=numbers["pages"],
        slides=numbers["slides"],
        sheets=numbers["sheets"],
        duration=duration,
        created=strings["created"],
        modified=strings["modified"],
        title=strings["title"],
        author=strings["author"],
    )


def _string(data: dict[str, Any], key: str) -> str:
    value = data.get(key, "")
    if not isinstance(value, str):
        raise ValueError(f"an extraction row's {key} is not text")
    return value


def _strings(data: dict[str, Any], key: str) -> tuple[str, ...]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValueError(f"an extraction row's {key} is not a list of text")
    return tuple(value)
