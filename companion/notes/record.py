"""A note reduced to what the rules, progress and screens need: a small JSON-able record.

Parsing a note and scanning its body happens once per change of the file; the record is
what the index caches, so re-scans of an unchanged portfolio never re-read note bodies.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field, fields, replace
from pathlib import Path, PurePosixPath
from typing import Any

from companion.notes.card import (
    CARD_KEY,
    CardFile,
    FileReader,
    card_file_name,
    checkable_in_text,
    read_card_file,
    unnamed_file,
)
from companion.notes.citations import (
    body_first_line,
    front_matter_references,
    problems,
    scan_citations,
)
from companion.notes.file import NoteReadError, read_note_file, to_plain
from companion.notes.tags import Tag, read_tags
from companion.text.citations import spans
from companion.text.links import MAX_LINKS, find_links
from companion.text.locate import locate
from companion.text.mentions import Mentions, Spellings
from companion.text.values import text as as_text
from companion.text.wordcount import (
    WordCountRules,
    breakdown,
    count_words,
    counted,
    words_in_values,
)

_URL = re.compile(r"https?://[^\s)>\]]+", re.IGNORECASE)
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.-]+\b")
_PHONE = re.compile(
    r"(?<![\w/.-])(?:\+44\s?\(?0?\)?\s?|\(?0)\d{2,4}\)?[\s-]?\d{3,4}[\s-]?\d{3,4}\b"
)
_SIMULATION = re.compile(
    r"\b(in this scenario|hypothetical scenario|role[- ]play(?:ed|ing)?|simulation exercise|"
    r"simulated (?:exercise|meeting|scenario)|case study)\b",
    re.IGNORECASE,
)
_REFLECTIVE = re.compile(
    r"\b(on reflection,? i|reflecting on (?:this|my|the)|reflective account|"
    r"when i reflect|looking back,? i (?:feel|think|realise|realize))\b",
    re.IGNORECASE,
)
_WE = re.compile(r"\bwe\b", re.IGNORECASE)


@dataclass(slots=True)
class NoteRecord:
    """What the app knows about one note without reading it again."""

    path: str
    mtime_ns: int = 0
    size: int = 0
    fields: dict[str, Any] = field(default_factory=dict)
    tags: list[dict[str, Any]] = field(default_factory=list)
    tag_problems: Sequence[str] = ()
    words: int = 0
    """The words that count towards a target under the profile's ``word_count`` rules."""
    word_parts: dict[str, int] = field(default_factory=dict)
    """The words of each part of the note (body, headings, references, …), where not 0."""
    urls: int = 0
    link_only: bool = False
    emails: Sequence[str] = ()
    phones: Sequence[str] = ()
    citations: int = 0
    """In-text citations found (companion.text.citations)."""
    reference_entries: int = 0
    """Entries of the reference list: the front matter's and a References section's."""
    has_reference_section: bool = False
    citation_problems: Sequence[list[Any]] = ()
    """Citations without an entry and entries never cited, with their lines (at most 20:
    see ``companion.notes.citations.problems``)."""
    links: Sequence[list[Any]] = ()
    """Links to other notes, as ``companion.text.links.Link.to_json`` (at most 100)."""
    simulation_phrases: Sequence[str] = ()
    reflective_phrases: Sequence[str] = ()
    we_count: int = 0
    foreign: str = ""
    """``toml`` or ``json``: front matter the app neither reads nor writes."""
    error: dict[str, Any] | None = None
    file: CardFile | None = None
    """The evidence file a card names (``file:``), as read; None for other notes."""
    unmentioned: Sequence[list[str]] = ()
    """The items the tags claim that the evidence's text never names, each as
    ``[ac, requirement, item]`` (requirement '' for a checklist item): see ``unmentioned``."""
    spelled: str = ""
    """The key of the spellings ``unmentioned`` was worked out with ('' when no tag
    claims anything): other spellings (a changed glossary) mean reading the note again."""

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
        return as_text(self.fields.get("ref"))

    @property
    def is_card(self) -> bool:
        """True for a card: a note standing for an evidence file."""
        return self.file is not None

    def to_json(self) -> dict[str, Any]:
        """A plain mapping for the cache (shallow: records are never changed in place)."""
        out = {name: getattr(self, name) for name in _FIELD_NAMES}
        out["file"] = self.file.to_json() if self.file is not None else None
        return out

    def to_row(self) -> dict[str, Any]:
        """The cache's row: like ``to_json`` without the fields still at their default.

        Most notes have no URLs, e-mails, phrases or errors, so the index file is about a
        third smaller and quicker to write and read back.
        """
        row: dict[str, Any] = {}
        for name in _FIELD_NAMES:
            value = getattr(self, name)
            if name not in _DEFAULTS or value != _DEFAULTS[name]:
                row[name] = value
        if self.file is not None:
            row["file"] = self.file.to_json()
        return row

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> NoteRecord:
        """Rebuild a record from the cache, ignoring keys an older or newer version wrote.

        Raises ValueError when a value is not of its field's type (a damaged row), so the
        note is read again instead of trusted.
        """
        kept = {k: v for k, v in data.items() if k in _FIELD_SET}
        card = kept.pop("file", None)
        for name, value in kept.items():
            kinds = _KINDS[name]
            if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
                raise ValueError(f"{name} is not a {kinds}")
        for name in ("fields", "tags", "word_parts", "citation_problems", "links"):
            # one copy of each key and short text, as a freshly read note has
            if kept.get(name):
                kept[name] = to_plain(kept[name])
        if "path" in kept:  # one copy, as the walk and the index's rows have it
            kept["path"] = sys.intern(kept["path"])
        if card is not None:
            kept["file"] = CardFile.from_json(card)
        return cls(**kept)


_FIELD_NAMES = tuple(f.name for f in fields(NoteRecord))
_FIELD_SET = frozenset(_FIELD_NAMES)
_DEFAULTS: dict[str, Any] = {f.name: getattr(NoteRecord(""), f.name) for f in fields(NoteRecord)}
"""Each field's value in a record of nothing: what ``to_row`` leaves out."""
_KINDS: dict[str, tuple[type, ...]] = {
    "path": (str,),
    "mtime_ns": (int,),
    "size": (int,),
    "fields": (dict,),
    "tags": (list,),
    "tag_problems": (list, tuple),
    "words": (int,),
    "word_parts": (dict,),
    "urls": (int,),
    "link_only": (bool,),
    "emails": (list, tuple),
    "phones": (list, tuple),
    "citations": (int,),
    "reference_entries": (int,),
    "has_reference_section": (bool,),
    "citation_problems": (list, tuple),
    "links": (list, tuple),
    "simulation_phrases": (list, tuple),
    "reflective_phrases": (list, tuple),
    "we_count": (int,),
    "foreign": (str,),
    "error": (dict, type(None)),
    "file": (dict, type(None)),
    "unmentioned": (list, tuple),
    "spelled": (str,),
}
"""The type of each field, to refuse a damaged index row."""
_SIMULATION_HINTS = ("scenario", "role", "simulat", "case study")
_REFLECTIVE_HINTS = ("reflect", "looking back")


_DIGIT_RUN = re.compile(r"\d[\d \t()-]{8,}\d")


def _may_hold_phone(text: str) -> bool:
    """Every phone number the pattern finds is ten or more digits, spaces, dashes and
    brackets in a row: a much cheaper search than the pattern itself."""
    return ("0" in text or "+44" in text) and _DIGIT_RUN.search(text) is not None


def _phrases(
    pattern: re.Pattern[str], body: str, lowered: str, hints: tuple[str, ...]
) -> Sequence[str]:
    """Matches of ``pattern``, skipping the regex when no hint word occurs at all."""
    for hint in hints:
        if hint in lowered:
            return _unique([m.group(0) for m in pattern.finditer(body)])
    return ()


def _shared(tag: dict[str, Any]) -> dict[str, Any]:
    """A tag's mapping with its texts kept once across notes (see ``front_matter.plain``)."""
    return {key: to_plain(value) for key, value in tag.items()}


def _unique(found: list[str], limit: int = 10) -> Sequence[str]:
    """The first ``limit`` distinct texts found, ignoring case; one shared empty tuple when
    none (most notes have none, and an empty list is 56 bytes per field per note)."""
    out: list[str] = []
    for item in found:
        item = item.strip()
        if item and item.lower() not in (o.lower() for o in out):
            out.append(item)
        if len(out) >= limit:
            break
    return out or ()


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
            error={"code": exc.code, "message": exc.message, "line": exc.line},
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
    return NoteRecord(
        path=relative,
        mtime_ns=note.mtime_ns,
        size=note.size,
        fields=fields,
        tags=[_shared(t.to_yaml()) for t in tags],
        tag_problems=tag_problems or (),
        words=words,
        word_parts={part: n for part, n in parts.items() if n},
        urls=len(urls),
        link_only=bool(file_urls) and prose_words < 25,
        emails=_unique(_EMAIL.findall(said)) if "@" in said else (),
        phones=_unique(_PHONE.findall(said)) if _may_hold_phone(said) else (),
        citations=len(cited.report.matches),
        reference_entries=len(cited.references),
        has_reference_section=cited.has_section,
        citation_problems=problems(cited) or (),
        links=[link.to_json() for link in find_links(link_text, body_first_line(note))[:MAX_LINKS]]
        or (),
        simulation_phrases=_phrases(_SIMULATION, said, said_lowered, _SIMULATION_HINTS),
        reflective_phrases=_phrases(_REFLECTIVE, said, said_lowered, _REFLECTIVE_HINTS),
        we_count=lowered.count("we ") and len(_WE.findall(body)),
        foreign=note.foreign,
        file=card,
        unmentioned=unmentioned(said, tags, spellings) or (),
        spelled=spellings.key if claimed else "",
    )
