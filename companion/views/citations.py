"""A note's citations and reference list as ``companion cite`` prints them and the note
screen lists them: each with its line, what it matched and why not."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from companion.notes.citations import NoteCitations
from companion.portfolio.library import ReferenceLibrary
from companion.text.citation_match import AMBIGUOUS, MATCHED, UNMATCHED
from companion.text.citations import Source
from companion.text.references import short

STATUS_WORDS = {
    MATCHED: "matched",
    UNMATCHED: "no entry",
    AMBIGUOUS: "ambiguous",
    "library": "in the library",
    "cited": "cited",
    "uncited": "not cited",
    "bibliography": "bibliography",
    "link": "a link only",
    "no-key": "no author and year",
}


@dataclass(frozen=True)
class CiteRow:
    """One line of the listing: a citation or a reference entry."""

    kind: str  # citation | reference
    line: int
    text: str
    status: str  # matched | unmatched | ambiguous | library | cited | uncited | bibliography | link
    detail: str

    @property
    def problem(self) -> bool:
        """True for what the evidence rules warn about."""
        return self.status in (UNMATCHED, AMBIGUOUS, "uncited")

    @property
    def status_words(self) -> str:
        """The status as the listing says it."""
        return STATUS_WORDS.get(self.status, self.status.replace("-", " "))


def _hint(hint: str) -> str:
    return hint.split(": ", 1)[1] if ": " in hint else hint


Place = Callable[[int], str]
"""Where a line is for its reader: ``page 3`` of a card's file (see ``CardFile.place_of``)."""


def cite_rows(
    found: NoteCitations, library: ReferenceLibrary | None = None, place: Place | None = None
) -> list[CiteRow]:
    """The citations in reading order, then the reference entries in theirs (an entry named
    by its ``place`` in a card's file, where one is given)."""
    rows: list[CiteRow] = []
    references = found.references
    usable = library if library is not None and library.references else None
    for match in found.report.matches:
        cite = match.citation
        if match.result == MATCHED and match.reference is not None:
            entry = references[match.reference]
            if place is not None:
                where = f"the entry on {_place(place, entry.line)}"
            else:
                where = f"the entry on line {entry.line}" if entry.line else entry.label()
            hint = f"; {_hint(match.hint)}" if match.hint else ""
            rows.append(CiteRow("citation", cite.line, cite.text, MATCHED, f"{where}{hint}"))
            continue
        status = match.result
        detail = _hint(match.hint)
        if status == UNMATCHED and usable is not None:
            held = usable.entries.find(cite)
            if held.result != UNMATCHED and held.reference is not None:
                status = "library"
                detail = f"{usable.references[held.reference].text} in {usable.name}"
        rows.append(CiteRow("citation", cite.line, cite.text, status, detail))
    cited = {m.reference for m in found.report.matches if m.reference is not None}
    uncited = set(found.report.uncited)
    for index, entry in enumerate(references):
        if entry.url_only:
            status, detail = "link", "only a link: give author, year and title"
        elif not entry.keyed:
            status, detail = "no-key", "no author and year the app can read"
        elif index in uncited:
            status, detail = "uncited", ""
        elif entry.bibliography and index not in cited:
            status, detail = "bibliography", "background reading"
        else:
            status, detail = "cited", ""
        rows.append(CiteRow("reference", entry.line, entry.label(), status, detail))
    return rows


def _work(source: Source) -> dict[str, Any]:
    return {
        "authors": list(source.authors),
        "et_al": source.et_al,
        "year": source.year,
        "suffix": source.suffix,
        "no_date": source.no_date,
        "pages": source.pages,
    }


def cite_json(
    note: str,
    found: NoteCitations,
    library: ReferenceLibrary | None = None,
    place: Place | None = None,
) -> dict[str, Any]:
    """One note's listing for ``companion cite --json`` (with ``place``, each line's place
    in the card's file too)."""
    rows = cite_rows(found, library)
    citation_rows = [r for r in rows if r.kind == "citation"]
    reference_rows = [r for r in rows if r.kind == "reference"]
    citations = []
    for match, row in zip(found.report.matches, citation_rows, strict=True):
        cite = match.citation
        entry = found.references[match.reference] if match.reference is not None else None
        citations.append(
            {
                "line": cite.line,
                "text": cite.text,
                "work": _work(cite.source),
                "secondary": _work(cite.secondary) if cite.secondary else None,
                "narrative": cite.narrative,
                "result": row.status,
                "reference_line": entry.line if entry else None,
                "hint": match.hint,
            }
        )
    references = [
        {
            "line": entry.line,
            "text": entry.text,
            "key": entry.label() if entry.keyed else None,
            "status": row.status,
        }
        for entry, row in zip(found.references, reference_rows, strict=True)
    ]
    if place is not None:
        for listed in (citations, references):
            for item in listed:
                line = item["line"]
                item["place"] = _place(place, line if isinstance(line, int) else 0)
    return {
        "note": note,
        "citations": citations,
        "references": references,
        "problems": sum(1 for r in rows if r.problem),
    }


def _place(place: Place, line: int) -> str:
    return place(line) if line > 0 else "front matter"


def cite_lines(
    note: str,
    found: NoteCitations,
    library: ReferenceLibrary | None = None,
    place: Place | None = None,
) -> list[str]:
    """One note's listing as text for the terminal: each row by its line, or for a card by
    its place in the file (``page 3``), which is what its reader can find."""
    rows = cite_rows(found, library, place)
    lines = [note]
    for kind, title in (("citation", "citations"), ("reference", "references")):
        chosen = [r for r in rows if r.kind == kind]
        if not chosen:
            continue
        lines.append(f"  {title}")
        width = min(44, max(len(short(r.text, 44)) for r in chosen))
        for row in chosen:
            mark = "!" if row.problem else " "
            detail = f"  {row.detail}" if row.detail else ""
            text = short(row.text, 44).ljust(width)
            at = f"{row.line:>5}" if place is None else f"{_place(place, row.line):>12}"
            lines.append(f"  {mark}{at}  {text}  {row.status_words}{detail}".rstrip())
    problems = sum(1 for r in rows if r.problem)
    lines.append(f"  {problems} problem(s)" if problems else "  every citation has its entry")
    return lines
