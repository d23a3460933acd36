"""A note reduced to what the rules, progress and screens need: a small JSON-able record.

Parsing a note and scanning its body happens once per change of the file; the record is
what the index caches, so re-scans of an unchanged portfolio never re-read note bodies.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path, PurePosixPath
from typing import Any

import msgspec

from companion.notes.card import (
    CardFile,
    FileReader,
    checkable_in_text,
    read_card_file,
    unnamed_file,
)
from companion.notes.card_key import CARD_KEY, card_file_name
from companion.notes.citations import (
    body_first_line,
    front_matter_references,
    problems,
    scan_citations,
)
from companion.notes.file import NoteReadError, read_note_file, to_plain
from companion.notes.findings import CitationProblem, CitedWork, ReadError
from companion.notes.front_matter import SHARED_TEXT
from companion.notes.tags import Tag, read_tags
from companion.text import phrases
from companion.text.citations import spans
from companion.text.links import MAX_LINKS, Link, find_links
from companion.text.locate import locate
from companion.text.mentions import Mentions, Spellings
from companion.text.values import text as as_text
from companion.text.word_rules import WordCountRules
from companion.text.wordcount import breakdown, count_words, counted, words_in_values

_URL = re.compile(r"https?://[^\s)>\]]+", re.IGNORECASE)
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.-]+\b")


class NoteRecord(msgspec.Struct, array_like=True, gc=False):
    """What the app knows about one note without reading it again (kept in the index as
    a JSON array of its fields in order: ``encode_row``). Outside the cyclic garbage
    collector, as the values it holds are (``companion.notes.findings``)."""

    path: str
    mtime_ns: int = 0
    size: int = 0
    fields: dict[str, Any] = {}
    tags: tuple[Tag, ...] = ()
    tag_problems: tuple[str, ...] = ()
    words: int = 0
    """The words that count towards a target under the profile's ``word_count`` rules."""
    word_parts: dict[str, int] = {}
    """The words of each part of the note (body, headings, references, …), where not 0."""
    urls: int = 0
    link_only: bool = False
    emails: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    citations: int = 0
    """In-text citations found (companion.text.citations)."""
    reference_entries: int = 0
    """Entries of the reference list: the front matter's and a References section's."""
    has_reference_section: bool = False
    citation_problems: tuple[CitationProblem, ...] = ()
    """Citations without an entry and entries never cited, with their lines (at most
    ``companion.notes.citations.MAX_PROBLEMS``)."""
    more_citation_problems: int = 0
    """How many problems there were beyond those kept."""
    links: tuple[Link, ...] = ()
    """Links to other notes (at most ``companion.text.links.MAX_LINKS``)."""
    simulation_phrases: tuple[str, ...] = ()
    reflective_phrases: tuple[str, ...] = ()
    we_count: int = 0
    foreign: str = ""
    """``toml`` or ``json``: front matter the app neither reads nor writes."""
    error: ReadError | None = None
    file: CardFile | None = None
    """The evidence file a card names (``file:``), as read; None for other notes."""
    spelled: str = ""
    """The key of the spellings ``unmentioned`` was worked out with ('' when no tag
    claims anything): other spellings (a changed glossary) mean reading the note again."""
    unmentioned: Sequence[list[str]] = ()
    """The items the tags claim that the evidence's text never names, each as
    ``[ac, requirement, item]`` (requirement '' for a checklist item): see ``unmentioned``."""

    def __post_init__(self) -> None:
        # one copy of the path, as the walk and the index's rows have it
        self.path = sys.intern(self.path)
        if not self.unmentioned:  # read back as a new empty list: the shared empty tuple
            self.unmentioned = ()
        # one copy of each key and short text across notes, as a freshly read note has
        # them (``companion.notes.front_matter.plain``): a record read back from the index
        # would otherwise hold its own copy of every key, type and name
        # (inline rather than through a function: this runs for every field of every row)
        intern = sys.intern
        self.fields = {
            intern(k): intern(v) if v.__class__ is str and len(v) <= SHARED_TEXT else v
            for k, v in self.fields.items()
        }
        if self.word_parts:
            self.word_parts = {intern(k): n for k, n in self.word_parts.items()}

    def get(self, key: str, default: Any = None) -> Any:
        """A front matter field of the note."""
        return self.fields.get(key, default)

    @property
    def title(self) -> str:
        """The note's title, or its file name."""
        return as_text(self.fields.get("title")) or Path(self.path).stem

    @property
    def ref(self) -> str:
        """The evidence reference number, empty when missing."""
        value = self.fields.get("ref")
        # most are text: read on every note by the rules and progress, so without a call
        return value.strip() if value.__class__ is str else as_text(value)

    @property
    def is_card(self) -> bool:
        """True for a card: a note standing for an evidence file."""
        return self.file is not None

    def to_json(self) -> dict[str, Any]:
        """A plain mapping of every field, the typed ones as their arrays."""
        return {name: msgspec.to_builtins(getattr(self, name)) for name in _FIELD_NAMES}

    def to_row(self) -> dict[str, Any]:
        """Like ``to_json`` without the fields still at their default (most notes have no
        URLs, e-mails, phrases or errors)."""
        row: dict[str, Any] = {}
        for name in _FIELD_NAMES:
            value = getattr(self, name)
            if value != _DEFAULTS[name]:
                row[name] = msgspec.to_builtins(value)
        return row

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> NoteRecord:
        """Rebuild a record from ``to_json`` or ``to_row``, ignoring keys an older or newer
        version wrote. Raises ValueError when a value is not of its field's type (a
        damaged row), so the note is read again instead of trusted."""
        values = [data.get(name, _BUILTIN_DEFAULTS[i]) for i, name in enumerate(_FIELD_NAMES)]
        return msgspec.convert(values, cls)


_FIELD_NAMES = tuple(f.name for f in msgspec.structs.fields(NoteRecord))
_DEFAULTS: dict[str, Any] = {name: getattr(NoteRecord(""), name) for name in _FIELD_NAMES}
"""Each field's value in a record of nothing: what ``to_row`` leaves out."""
_BUILTIN_DEFAULTS = tuple(msgspec.to_builtins(_DEFAULTS[name]) for name in _FIELD_NAMES)
_ENCODER = msgspec.json.Encoder()
_DECODER = msgspec.json.Decoder(NoteRecord)


def encode_row(record: NoteRecord) -> str:
    """The index's row of a record: a JSON array of its fields in order.

    Positions rather than names make the row shorter; msgspec writes it and reads it back
    checking every value's type, twice as quick as ``json`` and Python code building the
    record, and written seven times as quick (``bench/bench_record_codec.py``). The index's
    schema key changes with this code, so a row is only read by the code that wrote it.
    """
    return _ENCODER.encode(record).decode("utf-8")


def decode_row(text: str | bytes) -> NoteRecord | None:
    """The record of an index row (``encode_row``); None when the row is damaged (a value
    not of its field's type), so the note is read again instead of trusted."""
    try:
        return _DECODER.decode(text)
    except (msgspec.DecodeError, RecursionError):
        return None


def _citation_problems(found: list[list[Any]]) -> tuple[tuple[CitationProblem, ...], int]:
    """The problems ``companion.notes.citations.problems`` lists, typed, and how many more
    there were than it kept (its last entry, ``["more", count]``)."""
    more = 0
    if found and found[-1][0] == "more":
        more = int(found[-1][1])
        found = found[:-1]
    typed = tuple(
        CitationProblem(
            kind,
            line,
            shown,
            hint,
            CitedWork.from_json(source) if isinstance(source, dict) else None,
            written,
        )
        for kind, line, shown, hint, source, written in found
    )
    return typed, more


def _unique(found: list[str], limit: int = 10) -> tuple[str, ...]:
    """The first ``limit`` distinct texts found, ignoring case (a tuple: the empty one is
    shared, and most notes have none)."""
    out: list[str] = []
    for item in found:
        item = item.strip()
        if item and item.lower() not in (o.lower() for o in out):
            out.append(item)
        if len(out) >= limit:
            break
    return tuple(out)


def portfolio_root(path: Path, relative: str) -> Path:
    """The portfolio folder of a note at ``path`` whose portfolio path is ``relative``."""
    depth = len(PurePosixPath(relative).parts)
    return path.parents[depth - 1] if 0 < depth <= len(path.parents) else path.parent


def unmentioned(text: str, tags: Sequence[Tag], spellings: Spellings) -> list[list[str]]:
    """``[ac, requirement, item]`` for each item a tag claims that ``text`` never names:
    every item a requirement counts, and each checklist item that names something the
    spellings know (a model); a plain checklist item ("teams") is not a name to look for."""
    found: list[list[str]] = []
    text_read: Mentions | None = None
    for tag in tags:
        claims = [(req, str(item)) for req, items in tag.counts.items() for item in items]
        claims += [("", str(item)) for item in tag.covers if spellings.known(str(item))]
        for req, item in claims:
            if not item.strip():
                continue
            text_read = text_read or Mentions(text)
            if not text_read.names(item, spellings):
                found.append([tag.ac, req, item])
    return found


def build_record(
    path: Path,
    relative: str,
    rules: WordCountRules,
    reader: FileReader | None = None,
    spellings: Spellings | None = None,
) -> NoteRecord:
    """Read one note and compute everything the rules and progress need from it; for a
    card, from the text of the file it names (read through ``reader``). ``spellings`` are
    the other names of what a tag may claim (the glossary's), to tell a claim the text
    bears out."""
    try:
        note = read_note_file(path)
    except NoteReadError as exc:
        try:
            stat = path.stat()
            mtime, size = stat.st_mtime_ns, stat.st_size
        except OSError:
            mtime, size = 0, 0
        return NoteRecord(
            relative,
            mtime,
            size,
            error=ReadError(exc.code, exc.message, exc.line),
        )
    tags, tag_problems = read_tags(note.metadata)
    fields = to_plain({k: v for k, v in note.metadata.items() if k != "evidence"})
    card: CardFile | None = None
    named = note.metadata.get(CARD_KEY)
    name = card_file_name(note.metadata)
    if name is None and named is not None:  # `file: 123` or a list: a card gone wrong
        card = unnamed_file(named)
    if name is None:
        body, first_line = note.body, body_first_line(note)
    else:
        card, extracted = read_card_file(path, name, portfolio_root(path, relative), reader)
        body, first_line = extracted.text, 1
        unfound = [
            t.ac for t in tags if checkable_in_text(t.where, body) and locate(body, t.where) is None
        ]
        if unfound:
            card = replace(card, unfound=tuple(unfound))
    # what the learner wrote on a card goes to the assessor too: the checks that read text
    # (personal data, reflective writing, links) read it with the file's text
    said = body if card is None or not note.body.strip() else f"{note.body}\n{body}"
    urls = _URL.findall(said) if "://" in said else []
    lowered = body.lower()
    said_lowered = lowered if said is body else said.lower()
    references = front_matter_references(note)
    if card is not None:  # the card's own lines are not the file's: no place to give
        references = [replace(r, line=0) for r in references]
    cited = scan_citations(body, first_line, references, lowered=lowered)
    parts = breakdown(body, rules, spans(cited.citations))
    parts["front-matter"] = words_in_values({k: v for k, v in fields.items() if k != "references"})
    parts["references"] += words_in_values(fields.get("references"))
    words = counted(parts, rules)
    file_urls = urls if said is body else _URL.findall(body)
    prose_words = count_words(_URL.sub(" ", body), rules) if file_urls else words
    link_text = note.body if card is not None else body
    spellings = spellings or Spellings()
    claimed = any(t.counts or t.covers for t in tags)
    problems_found, more_problems = _citation_problems(problems(cited))
    return NoteRecord(
        path=relative,
        mtime_ns=note.mtime_ns,
        size=note.size,
        fields=fields,
        tags=tuple(tags),
        tag_problems=tuple(tag_problems),
        words=words,
        word_parts={part: n for part, n in parts.items() if n},
        urls=len(urls),
        link_only=bool(file_urls) and prose_words < 25,
        emails=_unique(_EMAIL.findall(said)) if "@" in said else (),
        phones=_unique(phrases.phones(said)),
        citations=len(cited.report.matches),
        reference_entries=len(cited.references),
        has_reference_section=cited.has_section,
        citation_problems=problems_found,
        more_citation_problems=more_problems,
        links=tuple(find_links(link_text, body_first_line(note))[:MAX_LINKS]),
        simulation_phrases=_unique(phrases.simulation_phrases(said, said_lowered)),
        reflective_phrases=_unique(phrases.reflective_phrases(said, said_lowered)),
        we_count=phrases.we_count(body, lowered),
        foreign=note.foreign,
        file=card,
        unmentioned=unmentioned(said, tags, spellings) or (),
        spelled=spellings.key if claimed else "",
    )
