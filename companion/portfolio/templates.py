"""New notes from templates: the header fields an assessor needs, filled in from the profile."""

from __future__ import annotations

import datetime as dt
import re
from difflib import get_close_matches
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from companion import clock
from companion.portfolio.layout import OTJ_FILE, REVIEW_FOLDER
from companion.portfolio.profile import Profile

if TYPE_CHECKING:
    from companion.content.model import Content
    from companion.notes.record import NoteRecord
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


REVIEW_TYPE = "progress-review"
PARTIES = (
    ("apprentice", "Apprentice"),
    ("employer", "Employer or line manager"),
    ("provider", "Tutor or coach (provider)"),
)
"""The three people of a progress review, by the key each has in a review note."""


def review_note_text(
    profile: Profile,
    date: dt.date,
    units: list[tuple[str, str, str]],
    otj: dict[str, str] | None = None,
    targets: list[tuple[str, str]] | None = None,
    title: str = "",
) -> str:
    """A progress review record: attendees, progress per unit (``id, title, progress``), OTJ
    to date, targets and a sign-off for each person; the meeting's own notes go below.
    Its length is the record's text, line by line."""

    def text(value: str) -> str:
        dumped: str = yaml.safe_dump(value, default_flow_style=True, width=4096)
        return dumped.strip().removesuffix("...").strip() if value else ""

    programme = profile.programme
    names = {
        "apprentice": profile.learner,
        "employer": programme.line_manager,
        "provider": programme.tutor,
    }
    title = title or f"Progress review, {date.day} {date.strftime('%B %Y')}"
    lines = [
        "---",
        f"title: {text(title)}",
        f"type: {REVIEW_TYPE}",
        f"date: {date.isoformat()}",
        f"learner: {text(profile.learner)}",
        "attendees:",
        *(f"  {key}: {text(names[key])}".rstrip() for key, _ in PARTIES),
        "# Progress against each unit, as it stood on the day.",
        "units:",
        *(
            f"  {text(unit_id)}: {text(progress)}   # {title_}"
            for unit_id, title_, progress in units
        ),
    ]
    if otj:
        lines += [f"# Off-the-job training to date, from {OTJ_FILE}.", "otj:"]
        lines += [f"  {key}: {value}" for key, value in otj.items()]
    lines += ["# Targets set at this review: what, and by when.", "targets:"]
    for target, due in targets or [("", "")]:
        lines += [f"  - target: {text(target)}".rstrip(), f"    due: {due}".rstrip()]
    lines += ["# Each person signs: their name, the date, signed: true.", "signoff:"]
    for key, _ in PARTIES:
        lines += [
            f"  {key}:",
            f"    name: {text(names[key])}".rstrip(),
            "    date:",
            "    signed: false",
        ]
    lines += [
        "---",
        "",
        f"# {title}",
        "",
        "## Progress since the last review",
        "",
        "## Off-the-job training",
        "",
        "## Concerns, and changes to the training plan",
        "",
        "## Actions for the next review",
        "",
    ]
    return "\n".join(lines)


def review_path(portfolio: Portfolio, date: dt.date) -> Path:
    """Where the record of a review on ``date`` goes: ``reviews/<date>-progress-review.md``."""
    return portfolio.root / REVIEW_FOLDER / f"{date.isoformat()}-progress-review.md"


def write_new(path: Path, text: str) -> Path:
    """Write a new note; never over an existing file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "x", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
    return path


def unknown_type_message(content: Content, typed: str) -> str:
    """Why ``typed`` is refused, naming the type it is closest to: 'minute' is most likely
    'minutes', and 'reflection' a reflective account, which the handbook does not accept."""
    ids = [t.id for t in content.evidence_types]
    close = [i for i in ids if typed.lower() in i.split("-")] or get_close_matches(
        typed.lower(), ids, n=1
    )
    hint = "."
    if close:
        nearest = content.evidence_type(close[0])
        assert nearest is not None
        if nearest.allowed:
            hint = f"; did you mean '{nearest.id}'?"
        else:
            hint = f". {nearest.label} is not accepted as evidence: {nearest.reason}"
    choices = ", ".join(t.id for t in content.evidence_types if t.allowed)
    return f"'{typed}' is not an evidence type{hint} Choose from: {choices}."


def assignment_units(content: Content) -> list[tuple[str, str]]:
    """The units a new assignment draft can be for (id, title): those assessed by unit
    assignment, or every unit where the framework names none."""
    units = [u for u in content.units if u.assignment is not None] or list(content.units)
    return [(u.id, u.title) for u in units]


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
        raise ValueError(unknown_type_message(content, note_type))
    if not known.allowed:
        raise ValueError(f"{known.label} is not accepted as evidence: {known.reason}")
    if note_type == REVIEW_TYPE:
        day = today or clock.today()
        units = [(u.id, u.title, "") for u in content.units]
        path = review_path(portfolio, day)
        if path.exists() or path.is_symlink():
            raise ValueError(f"{path} already exists; edit it in your editor")
        text = review_note_text(portfolio.profile, day, units, title=title.strip())
        return write_new(path, text)
    if not title.strip():
        raise ValueError("a new note needs a title")
    if note_type == "assignment":
        choices = [unit_id for unit_id, _ in assignment_units(content)]
        if unit not in choices:
            raise ValueError(
                f"an assignment draft needs its unit (one of {', '.join(choices)}): "
                "its words are counted against that unit's target"
            )
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
