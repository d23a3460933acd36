"""A note reduced to what the rules, progress and screens need: a small JSON-able record.

Parsing a note and scanning its body happens once per change of the file; the record is
what the index caches, so re-scans of an unchanged portfolio never re-read note bodies.
"""

from __future__ import annotations

import json
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
from companion.notes.findings import CitationProblem, CitedWork, ReadError, shared
from companion.notes.tags import Tag, read_tags
from companion.text.citations import spans
from companion.text.links import MAX_LINKS, Link, find_links
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
    tags: tuple[Tag, ...] = ()
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
    citation_problems: tuple[CitationProblem, ...] = ()
    """Citations without an entry and entries never cited, with their lines (at most
    ``companion.notes.citations.MAX_PROBLEMS``)."""
    more_citation_problems: int = 0
    """How many problems there were beyond those kept."""
    links: tuple[Link, ...] = ()
    """Links to other notes (at most ``companion.text.links.MAX_LINKS``)."""
    simulation_phrases: Sequence[str] = ()
    reflective_phrases: Sequence[str] = ()
    we_count: int = 0
    foreign: str = ""
    """``toml`` or ``json``: front matter the app neither reads nor writes."""
    error: ReadError | None = None
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
        """A plain mapping of every field, the typed ones as their rows."""
        return {name: _plain_field(name, getattr(self, name)) for name in _FIELD_NAMES}

    def to_row(self) -> dict[str, Any]:
        """Like ``to_json`` without the fields still at their default.

        Most notes have no URLs, e-mails, phrases or errors: their mapping is a third the
        size of the whole.
        """
        row: dict[str, Any] = {}
        for name in _FIELD_NAMES:
            value = getattr(self, name)
            if name not in _DEFAULTS or value != _DEFAULTS[name]:
                row[name] = _plain_field(name, value)
        return row

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> NoteRecord:
        """Rebuild a record from ``to_json`` or ``to_row``, ignoring keys an older or newer
        version wrote. Raises ValueError or TypeError when a value is not of its field's
        type (a damaged row), so the note is read again instead of trusted."""
        return _from_values(
            [data.get(name, _ROW_DEFAULTS[i]) for i, name in enumerate(_FIELD_NAMES)]
        )


def _plain_field(name: str, value: Any) -> Any:
    """A field's value as plain JSON data: the typed values as their rows."""
    if name == "links":
        return [link.to_json() for link in value]
    if name in _ROW_FIELDS:
        return [item.to_row() for item in value]
    if name in ("error", "file"):
        return None if value is None else (value.to_row() if name == "error" else value.to_json())
    return value


_FIELD_NAMES = tuple(f.name for f in fields(NoteRecord))
_ROW_FIELDS = frozenset({"tags", "citation_problems"})
"""The fields holding typed values, each kept as a list of rows."""
_DEFAULTS: dict[str, Any] = {f.name: getattr(NoteRecord(""), f.name) for f in fields(NoteRecord)}
"""Each field's value in a record of nothing: what ``to_row`` leaves out."""
_ROW_DEFAULTS: tuple[Any, ...] = tuple(_plain_field(name, _DEFAULTS[name]) for name in _FIELD_NAMES)
"""Each field's default as the index writes it (``encode_row`` leaves trailing ones out)."""
_SCALARS: tuple[tuple[int, type], ...] = tuple(
    (i, kind)
    for i, (name, kind) in enumerate(
        (f.name, {"int": int, "str": str, "bool": bool}.get(str(f.type)))
        for f in fields(NoteRecord)
    )
    if kind is not None
)
"""The position and exact type of each field that holds a number, text or yes/no."""
_TEXTS = frozenset(
    _FIELD_NAMES.index(name)
    for name in ("tag_problems", "emails", "phones", "simulation_phrases", "reflective_phrases")
)
"""The positions of the fields that hold a list of texts."""


def encode_row(record: NoteRecord) -> str:
    """The index's row of a record: a JSON array of its fields in order, those at their
    default at the end left out, the typed values as arrays (``companion.notes.findings``).

    Positions rather than names make the row a third shorter and quicker to read back;
    the index's schema key changes with this code, so a row is only read by the code
    that wrote it.
    """
    values = [_plain_field(name, getattr(record, name)) for name in _FIELD_NAMES]
    end = len(values)
    while end > 1 and values[end - 1] == _ROW_DEFAULTS[end - 1]:
        end -= 1
    return json.dumps(values[:end], ensure_ascii=False, separators=(",", ":"))


def decode_row(text: str) -> NoteRecord | None:
    """The record of an index row (``encode_row``); None when the row is damaged, so the
    note is read again instead of trusted."""
    try:
        values = json.loads(text)
        if type(values) is not list or not values or len(values) > len(_ROW_DEFAULTS):
            return None
        if len(values) < len(_ROW_DEFAULTS):
            values += _ROW_DEFAULTS[len(values) :]
        return _from_values(values)
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
        return None


def _from_values(values: list[Any]) -> NoteRecord:
    """A record from its fields as plain data, in order; TypeError or ValueError when one
    is not of its field's type.

    Keys and short texts are kept once across notes (``companion.notes.findings.shared``),
    as a freshly read note has them."""
    for i, kind in _SCALARS:
        if type(values[i]) is not kind:
            raise TypeError(f"{_FIELD_NAMES[i]} is not a {kind.__name__}")
    for i in _TEXTS:
        if type(values[i]) is not list and values[i] != ():
            raise TypeError(f"{_FIELD_NAMES[i]} is not a list")
    (
        path,
        mtime_ns,
        size,
        front,
        tags,
        tag_problems,
        words,
        parts,
        urls,
        link_only,
        emails,
        phones,
        citations,
        reference_entries,
        has_reference_section,
        problems_found,
        more_problems,
        links,
        simulation_phrases,
        reflective_phrases,
        we_count,
        foreign,
        error,
        card,
        unmentioned_items,
        spelled,
    ) = values
    if (
        type(front) is not dict
        or type(parts) is not dict
        or type(unmentioned_items)
        not in (
            list,
            tuple,
        )
    ):
        raise TypeError("a mapping or list is not one")
    return NoteRecord(
        sys.intern(path),
        mtime_ns,
        size,
        {shared(k): _shared_value(v) for k, v in front.items()} if front else {},
        tuple(_tag_from_row(t) for t in tags) if tags else (),
        tag_problems or (),
        words,
        {shared(k): n for k, n in parts.items()} if parts else {},
        urls,
        link_only,
        emails or (),
        phones or (),
        citations,
        reference_entries,
        has_reference_section,
        tuple(CitationProblem.from_row(p) for p in problems_found) if problems_found else (),
        more_problems,
        tuple(_link_from_row(link) for link in links) if links else (),
        simulation_phrases or (),
        reflective_phrases or (),
        we_count,
        foreign,
        ReadError.from_row(error) if error is not None else None,
        CardFile.from_json(card) if card is not None else None,
        unmentioned_items or (),
        spelled,
    )


def _shared_value(value: Any) -> Any:
    """A front matter value read back, its short texts kept once (see ``shared``)."""
    if type(value) is str:
        return shared(value)
    if type(value) is dict or type(value) is list:
        return to_plain(value)
    return value


def _tag_from_row(row: Any) -> Tag:
    ac, where, tagged, counts, covers = row
    if (
        type(ac) is not str
        or type(where) is not str
        or type(tagged) is not str
        or type(counts) is not dict
        or type(covers) is not list
    ):
        raise TypeError("not a tag")
    return Tag(
        shared(ac),
        where,
        tagged,
        {shared(k): tuple(map(shared, v)) for k, v in counts.items()} if counts else {},
        tuple(map(shared, covers)) if covers else (),
    )


def _link_from_row(row: Any) -> Link:
    link = Link.from_json(row)
    if link is None:
        raise TypeError("not a link")
    return link


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


def _shared_tag(tag: Tag) -> Tag:
    """A tag with its texts kept once across notes (see ``findings.shared``)."""
    return Tag(
        shared(tag.ac),
        tag.where,
        tag.tagged,
        {shared(k): tuple(map(shared, v)) for k, v in tag.counts.items()},
        tuple(map(shared, tag.covers)),
    )


def _citation_problems(found: list[list[Any]]) -> tuple[tuple[CitationProblem, ...], int]:
    """The problems ``companion.notes.citations.problems`` lists, typed, and how many more
    there were than it kept (its last entry, ``["more", count]``)."""
    more = 0
    if found and found[-1][0] == "more":
        more = int(found[-1][1])
        found = found[:-1]
    typed = tuple(
        CitationProblem(
            shared(kind),
            line,
            shown,
            hint,
            CitedWork.from_json(source) if isinstance(source, dict) else None,
            written,
        )
        for kind, line, shown, hint, source, written in found
    )
    return typed, more


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
        tags=tuple(_shared_tag(t) for t in tags),
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
        citation_problems=problems_found,
        more_citation_problems=more_problems,
        links=tuple(find_links(link_text, body_first_line(note))[:MAX_LINKS]),
        simulation_phrases=_phrases(_SIMULATION, said, said_lowered, _SIMULATION_HINTS),
        reflective_phrases=_phrases(_REFLECTIVE, said, said_lowered, _REFLECTIVE_HINTS),
        we_count=lowered.count("we ") and len(_WE.findall(body)),
        foreign=note.foreign,
        file=card,
        unmentioned=unmentioned(said, tags, spellings) or (),
        spelled=spellings.key if claimed else "",
    )
