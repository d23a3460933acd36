"""New notes from templates: the header fields an assessor needs, filled in from the profile."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from companion import clock
from companion.notes.record import NoteRecord
from companion.portfolio.profile import Profile

if TYPE_CHECKING:
    from companion.portfolio.portfolio import Portfolio

_EXTRA_FIELDS: dict[str, str] = {
    "witness-testimony": ("witness:\n  name: \n  relationship: \n  date: \n  signed: false\n"),
    "recording": 'recording:\n  duration: "0:00"\n  introduction: false\n',
    "assignment": 'unit: ""\n',
}

_BODIES: dict[str, str] = {
    "witness-testimony": (
        "## Statement\n\nWhat the witness directly observed the learner do, when and where.\n"
    ),
    "recording": (
        "## Introduction (00:00)\n\nWho is present and the date of the recording.\n\n"
        "## Timestamps\n\n- 00:00 Introduction\n"
    ),
    "minutes": "## Attendees\n\n## Items\n\n## Actions\n",
    "assignment": "## Introduction\n\n## References\n",
}


def slugify(text: str) -> str:
    """A file-name-safe version of a title."""
    slug = re.sub(r"[^\w\s-]", "", text, flags=re.UNICODE).strip().lower()
    return re.sub(r"[\s_-]+", "-", slug)[:60].strip("-") or "note"


def next_ref(records: list[NoteRecord]) -> str:
    """The next free evidence reference number, E001, E002, ..."""
    highest = 0
    for record in records:
        match = re.fullmatch(r"[Ee](\d+)", record.ref)
        if match:
            highest = max(highest, int(match.group(1)))
    return f"E{highest + 1:03d}"


def new_note_text(
    title: str, note_type: str, profile: Profile, ref: str, date: dt.date, unit: str = ""
) -> str:
    """The text of a new note of ``note_type``."""

    def dump_text(value: str) -> str:
        text: str = yaml.safe_dump(value, default_flow_style=True, width=4096)
        return text.strip().removesuffix("...").strip()

    header = (
        "---\n"
        f"title: {dump_text(title)}\n"
        f"ref: {ref}\n"
        f"date: {date.isoformat()}\n"
        f"learner: {dump_text(profile.learner) if profile.learner else ''}\n"
        f"type: {note_type}\n"
    )
    extra = _EXTRA_FIELDS.get(note_type, "")
    if note_type == "assignment" and unit:
        extra = f'unit: "{unit}"\n'
    header += extra + "contribution: \nreferences: []\n---\n"
    return header + f"\n# {title}\n\n" + _BODIES.get(note_type, "")


def create_note(
    portfolio: Portfolio,
    title: str,
    note_type: str,
    *,
    folder: str = "notes",
    unit: str = "",
    today: dt.date | None = None,
) -> Path:
    """Create a new note in ``portfolio`` with the next free reference; refuse unknown types
    and never overwrite a file."""
    content = portfolio.content
    known = content.evidence_type(note_type)
    if known is None:
        choices = ", ".join(t.id for t in content.evidence_types if t.allowed)
        raise ValueError(f"'{note_type}' is not an evidence type (choose from: {choices})")
    if not known.allowed:
        raise ValueError(f"{known.label} is not accepted as evidence: {known.reason}")
    if not title.strip():
        raise ValueError("a new note needs a title")
    ref = next_ref(list(portfolio.records.values()))
    target_dir = portfolio.root / folder
    target_dir.mkdir(parents=True, exist_ok=True)
    path = target_dir / f"{ref.lower()}-{slugify(title)}.md"
    text = new_note_text(
        title.strip(), note_type, portfolio.profile, ref, today or clock.today(), unit
    )
    with open(path, "x", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
    return path
