"""Evidence files as the Notes and Note screens show them: a card's format beside its type,
the files not yet in the portfolio, a card's facts, the text read from its file with its
places made visible, and the text at each tag's ``where``.

No Textual here: the screens turn these plain values into widgets.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from companion.notes.card import CardFile, beyond_file, checkable_in_text, clock_time
from companion.notes.record import NoteRecord
from companion.notes.tags import Tag
from companion.portfolio.cards import CARD_BODY, EvidenceFile
from companion.text.locate import Location, locate
from companion.views.files import extent, format_label
from companion.views.note_list import row_for
from companion.views.note_query import parse_filter

SHORT_LABELS = {"docx": "Word", "pptx": "PPT", "xlsx": "Excel", "odt": "ODT", "odp": "ODP"}
"""A format in the Notes list's Type column, kept short so titles keep their room at 80
columns (``presentation · PPT``); the note's pane names it in full."""

EXCERPT_CHARS = 160
"""The most of a tag's place shown beside the tag."""

_MARK = re.compile(r"^<!-- (page|slide|sheet) (.+?) -->\s*$")
_NAMED_MARKS = {"<!-- notes -->": "Speaker notes", "<!-- footnotes -->": "Footnotes"}
_MARKUP = re.compile(r"([\\`*_\[\]<>#|])")
_SPACES = re.compile(r"\s+")
_OTHER_BREAKS = dict.fromkeys(map(ord, "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"), " ")
"""Characters ``str.splitlines`` breaks lines at besides newlines."""
_LEAD = re.compile(r"^\s*(?:#{1,6}|>|[-*+]|\d+[.)])\s+")
"""A heading's hashes, a quote's mark or a list item's bullet or number."""
_EMPHASIS = re.compile(r"\*\*|__|`")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")


def type_cell(record: NoteRecord) -> str:
    """The Type column of a note: for a card, its type and its file's format
    (``minutes · Word``)."""
    kind = str(record.get("type") or "")
    if record.file is None or record.error:
        return kind
    label = SHORT_LABELS.get(record.file.format) or format_label(record.file.format or "file")
    return f"{kind} · {label}" if kind else label


def note_row(record: NoteRecord, flags: int) -> tuple[str, ...]:
    """The cells of one note in the Notes table (``row_for``, with a card's format)."""
    cells = list(row_for(record, flags))
    if record.file is not None and not record.error:
        cells[2] = type_cell(record)
    return tuple(cells)


def waiting_files(files: Iterable[EvidenceFile]) -> list[EvidenceFile]:
    """The evidence files no card names yet: not yet in the portfolio's evidence."""
    return [found for found in files if found.card is None]


def file_row(found: EvidenceFile) -> tuple[str, str, str]:
    """A file not yet in the portfolio: its path, format and extent (or why it is unreadable)."""
    said = f"! {found.problem}" if found.problem else extent(found)
    return found.path, format_label(found.format), said


def file_matches(found: EvidenceFile, needle: str) -> bool:
    """True when a file not yet in the portfolio answers the Notes filter: every word in
    its path or format; a condition on front matter (``type=minutes``) no file has."""
    clauses, words = parse_filter(needle)
    if clauses:
        return False
    haystack = f"{found.path} {found.format} {format_label(found.format)}".lower()
    return all(word in haystack for word in words.lower().split())


def waiting_line(count: int) -> str:
    """The heading over the files without a card."""
    noun = "file" if count == 1 else "files"
    return f"{count} {noun} not yet in your portfolio"


# --- one card ---------------------------------------------------------------------------


def card_facts(card: CardFile, words: int) -> list[tuple[str, str]]:
    """What a card's file is, as (label, value) pairs for the side panel: its name,
    format, pages, slides, sheets or duration and its words (when it has text)."""
    facts = [("file", card.name)]
    if card.format:
        facts.append(("format", format_label(card.format)))
    if card.pages is not None:
        facts.append(("pages", f"{card.pages:,}"))
    if card.slides is not None:
        facts.append(("slides", f"{card.slides:,}"))
    if card.sheets is not None:
        facts.append(("sheets", f"{card.sheets:,}"))
    if card.duration is not None:
        facts.append(("duration", clock_time(card.duration)))
    if card.has_text:
        facts.append(("words", f"{words:,}"))
    if not card.path:
        facts.append(("where", "outside the portfolio"))
    return facts


def commentary(body: str) -> str:
    """The learner's own words on a card: its body without the placeholder comment a new
    card is written with."""
    return body.replace(CARD_BODY.strip(), "").strip()


def shown_mark(line: str) -> str | None:
    """A place mark of the text read from a file as a heading a reader sees (``<!-- page 3
    -->`` -> ``###### Page 3``); None for any other line. One line for one line, so the
    lines of the text and of what is shown stay the same."""
    named = _NAMED_MARKS.get(line.strip())
    if named is not None:
        return f"###### {named}"
    match = _MARK.match(line)
    if match is None:
        return None
    value = _MARKUP.sub(r"\\\1", match.group(2))
    return f"###### {match.group(1).capitalize()} {value}"


def visible_marks(text: str) -> str:
    """``text`` with each place mark shown as a small heading (see ``shown_mark``)."""
    lines = text.split("\n")
    return "\n".join(shown_mark(line) or line for line in lines)


@dataclass(frozen=True)
class ShownCard:
    """What the body pane of a card shows, and where the file's text starts in it."""

    markdown: str
    offset: int
    """The line of ``markdown`` (0-based) where the file's text begins."""


def line_text(text: str) -> str:
    """``text`` whose lines are the same for ``str.splitlines`` (what ``locate`` counts)
    and for the Markdown view (which breaks at newlines only): other line breaks (form
    feeds from a PDF, U+2028…) become spaces."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.translate(_OTHER_BREAKS)


def shown_card(card: CardFile, body: str, text: str) -> ShownCard:
    """A card's commentary (if any), then the text read from its file with its places
    shown; a file with no text says why instead. ``text`` is as ``line_text`` gives it."""
    head: list[str] = []
    notes = line_text(commentary(body))
    if notes:
        head = [*notes.split("\n"), "", "---", ""]
    if card.problem:
        said = _MARKUP.sub(r"\\\1", " ".join((card.message or "The file cannot be read.").split()))
        head += [f"**{said}**", ""]
    if not text.strip():
        if not card.problem:
            kind = "recording" if card.kind in ("audio", "video") else "file"
            head.append(f"*No text is read from this {kind}: press O to open it.*")
        return ShownCard("\n".join(head), len(head))
    return ShownCard("\n".join([*head, visible_marks(text)]), len(head))


# --- the place each tag points at --------------------------------------------------------


@dataclass(frozen=True)
class TagPlace:
    """A tag's ``where`` and what it points at in the note's (or file's) text."""

    ac: str
    where: str
    location: Location | None
    excerpt: str
    """The text found there, on one line and cut short; '' when nothing was found."""
    problem: str
    """Why nothing is shown for a card: not found, past the file's end, a moment of a
    recording. '' for a note, whose ``where`` mostly names a page of the document it was
    written from, which its text seldom marks."""
    in_notes: bool = False
    """True when the place was found in a card's commentary rather than its file's text."""


def _not_found(where: str, text: str, card: CardFile | None) -> str:
    """Why a card's file shows nothing at ``where`` ('' for a note: see ``TagPlace``)."""
    if card is None:
        return ""
    beyond = beyond_file(where, card)
    if beyond is not None:
        return beyond
    if not card.has_text or not text.strip():
        return "the file has no text to look in"
    if not checkable_in_text(where, text):
        return "not marked in the file's text; open the file to see it"
    return "not found in the file's text"


def excerpt(text: str, location: Location, limit: int = EXCERPT_CHARS) -> str:
    """The lines of ``location`` on one line, without place marks, cut at a word."""
    lines = text.splitlines()[location.start : location.end + 1]
    kept = [
        _LEAD.sub("", line)
        for line in lines
        if shown_mark(line) is None and not line.lstrip().startswith("<!--")
    ]
    joined = _EMPHASIS.sub("", _LINK.sub(r"\1", " ".join(kept)))
    joined = _SPACES.sub(" ", joined).strip()
    if len(joined) <= limit:
        return joined
    cut = joined[:limit].rsplit(" ", 1)[0]
    return cut + " …"


def tag_places(
    tags: Sequence[Tag],
    text: str,
    card: CardFile | None = None,
    notes: str = "",
) -> list[TagPlace]:
    """For each tag with a ``where``, what that place holds in ``text`` (a note's body, or
    the text read from a card's file) or else, for a card, in the learner's ``notes`` on
    it (a recording's card often lists its moments); tags without a ``where`` are left
    out."""
    places = []
    for tag in tags:
        where = tag.where.strip()
        if not where:
            continue
        ac = tag.ac
        beyond = beyond_file(where, card) if card is not None else None
        if beyond is not None:  # past the file's end: the text just before is not it
            places.append(TagPlace(ac, where, None, "", beyond))
            continue
        for within, in_notes in ((text, False), (notes if card is not None else "", True)):
            found = locate(within, where) if within.strip() else None
            if found is not None:
                shown = excerpt(within, found)
                places.append(TagPlace(ac, where, found, shown, "", in_notes))
                break
        else:
            places.append(TagPlace(ac, where, None, "", _not_found(where, text, card)))
    return places


__all__ = [
    "ShownCard",
    "TagPlace",
    "card_facts",
    "commentary",
    "excerpt",
    "file_matches",
    "file_row",
    "line_text",
    "note_row",
    "shown_card",
    "shown_mark",
    "tag_places",
    "type_cell",
    "visible_marks",
    "waiting_files",
    "waiting_line",
]
