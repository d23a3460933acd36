"""One note's citations and reference list, with the lines of its file they are on.

The reference list is the ``references:`` front matter list and the entries under a
References or Bibliography heading, together. The record keeps what the evidence rules
need of this; ``companion cite`` and the note screen show all of it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from companion.notes.card import FileReader, read_card_file
from companion.notes.card_key import card_file_name
from companion.notes.file import NoteFile
from companion.text.citation_match import MATCHED, Report, match
from companion.text.citations import Citation, find_citations, has_legislation
from companion.text.prose import prose
from companion.text.references import Reference, parse_reference, reference_list, section_spans

MAX_PROBLEMS = 20
"""The most citation problems a record keeps (the rest are counted)."""


@dataclass
class NoteCitations:
    """A note's citations, its reference entries and how they match."""

    citations: list[Citation] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    report: Report = field(default_factory=Report)
    has_section: bool = False
    """True when the body has a References or Bibliography heading (even an empty one)."""


def body_first_line(note: NoteFile) -> int:
    """The 1-based line of the file the body starts on."""
    return note.fm_end + 2 if note.fm_end is not None else 1


def front_matter_references(note: NoteFile) -> list[Reference]:
    """The ``references:`` list of the front matter, each with the line it is written on."""
    value: Any = note.metadata.get("references")
    if value in (None, "", []):
        return []
    items = value if isinstance(value, list) else [value]
    texts = [str(item) for item in items if isinstance(item, str | int | float) and str(item)]
    if not texts or note.fm_end is None:
        return [parse_reference(t, 0) for t in texts]
    lines = note.lines[: note.fm_end]
    key_line = next(
        (i for i, line in enumerate(lines) if line.lstrip().startswith("references")), 0
    )
    out: list[Reference] = []
    search_from = key_line
    for text in texts:
        probe = " ".join(text.split())[:24]
        found = next(
            (i for i in range(search_from, len(lines)) if probe in " ".join(lines[i].split())),
            None,
        )
        line = (found if found is not None else key_line) + 1
        if found is not None:
            search_from = found + 1
        out.append(parse_reference(text, line))
    return out


def scan_citations(
    body: str,
    first_line: int,
    front_matter: list[Reference] | None = None,
    *,
    lowered: str | None = None,
) -> NoteCitations:
    """The citations of ``body`` matched to its reference list and ``front_matter``'s."""
    if "(" not in body and not front_matter and not has_legislation(body):
        # no citation, and no entry with a year
        return NoteCitations(has_section=bool(section_spans(body, lowered)))
    sections = section_spans(body, lowered)
    citations = find_citations(prose(body), first_line, masked=True, sections=sections)
    listed = reference_list(body, first_line, sections)
    written = {_same_entry(r.text) for r in listed}
    # an entry written both in the front matter and in the text is one entry (a card that
    # repeats its file's reference list), kept where the text has it
    kept = [r for r in front_matter or [] if _same_entry(r.text) not in written]
    references = kept + listed
    if not citations and not references:
        return NoteCitations(has_section=bool(sections))
    return NoteCitations(citations, references, match(citations, references), bool(sections))


def _same_entry(text: str) -> str:
    """An entry's text as two copies of it compare: case and spacing aside."""
    return " ".join(text.split()).casefold()


def note_citations(
    note: NoteFile, root: Path | None = None, reader: FileReader | None = None
) -> NoteCitations:
    """A note's citations and reference list, read from the file as it is; for a card in
    the portfolio at ``root``, from the text of the evidence file it names (its lines are
    then the lines of that text)."""
    name = card_file_name(note.metadata)
    if name is not None and root is not None:
        _, extracted = read_card_file(note.path, name, root, reader)
        return scan_citations(extracted.text, 1, front_matter_references(note))
    return scan_citations(note.body, body_first_line(note), front_matter_references(note))


def problems(found: NoteCitations) -> list[list[Any]]:
    """What the record keeps for the evidence rules: each citation without a (single)
    entry and each entry never cited, as ``[kind, line, shown, hint, source, written]``,
    at most ``MAX_PROBLEMS`` (then ``["more", count]``).

    ``shown`` names the work (``Schein (2017) in (Schein, 2017; Lewin, 1951)`` when its
    bracket cites several), ``written`` is the citation as written, and ``source`` the work
    as plain data, for a reference library to satisfy later (``None`` for entries and for
    citations that could be either of two entries).
    """
    per_bracket: dict[tuple[int, int], int] = {}
    for cite in found.citations:
        per_bracket[(cite.start, cite.end)] = per_bracket.get((cite.start, cite.end), 0) + 1
    out: list[list[Any]] = []
    for found_match in found.report.matches:
        if found_match.result == MATCHED:
            continue
        cite = found_match.citation
        work = cite.read
        several = per_bracket.get((cite.start, cite.end), 1) > 1
        shown = f"{work.label()} in {cite.text}" if several else cite.text
        source = source_json(work) if found_match.result != "ambiguous" else None
        out.append([found_match.result, cite.line, shown, found_match.hint, source, cite.text])
    for index in found.report.uncited:
        entry = found.references[index]
        out.append(["uncited", entry.line, entry.label(), "", None, entry.text])
    if len(out) > MAX_PROBLEMS:
        return [*out[:MAX_PROBLEMS], ["more", len(out) - MAX_PROBLEMS]]
    return out


def source_json(work: Any) -> dict[str, Any]:
    """The key of a cited work as plain data (the record is JSON): a ``CitedWork``'s, with
    how the citation names the authors kept only where it is not the first author."""
    from companion.notes.findings import CitedWork  # msgspec: not loaded by `tag`

    first = work.authors[0] if work.authors else ""
    return CitedWork(
        tuple(work.authors),
        work.year,
        work.suffix,
        bool(work.no_date),
        bool(work.et_al),
        work.alias,
        work.names if work.names != first else "",
    ).to_json()
