"""A note as a PDF the assessor reads: its text without the front matter, and on every page
what the handbook asks each piece of evidence to show (Section 5, Preparing Evidence): the
learner's name, the date it was produced and its evidence reference, with page numbers.

The note's Markdown is rendered by the one renderer every document uses
(``companion.documents.markdown``): tables stay tables, lists keep their numbers, quotes and
emphasis show as such. The note's own text is never changed.
"""

from __future__ import annotations

import re

from companion.assessment.status import Status
from companion.documents.markdown import parse, pdf_flowables
from companion.documents.model import Document
from companion.documents.pdf import pdf_bytes, text_width
from companion.notes.file import read_note_file
from companion.notes.record import NoteRecord
from companion.text.values import parse_date

_H1 = re.compile(r"^#\s+(.*?)\s*#*\s*$")


def _body(text: str, title: str) -> str:
    """The body without a first heading that repeats the title (the page shows it once)."""
    lines = text.split("\n")
    for index, line in enumerate(lines):
        if not line.strip():
            continue
        match = _H1.match(line)
        if match and match.group(1).strip().casefold() == title.strip().casefold():
            del lines[index]
        break
    return "\n".join(lines)


def note_pdf(status: Status, record: NoteRecord, *, draft: bool = False) -> bytes:
    """The note of ``record`` as a PDF, headed and footed as the handbook asks."""
    portfolio = status.portfolio
    note = read_note_file(portfolio.path_of(record.path))
    label = portfolio.content.evidence_type(str(record.get("type") or ""))
    kind = label.label if label is not None else str(record.get("type") or "Evidence")
    produced = parse_date(record.get("date"))
    ref = record.ref or "no reference"
    document = Document(
        title=f"{ref} — {record.title}",
        byline=f"{kind} · evidence reference {ref}",
        tables=[],
        learner=portfolio.profile.learner or str(record.get("learner") or ""),
        produced=produced,
        draft=draft,
        reference=record.ref,
    )
    body = pdf_flowables(parse(_body(note.body, record.title)), text_width(document))
    return pdf_bytes(document, body=body)


__all__ = ["note_pdf"]
