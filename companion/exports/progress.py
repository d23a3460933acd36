"""The progress export a tutor opens: one versioned JSON file, and optionally an HTML report.

The JSON is the status document plus a list of the notes (their front matter facts, never
their text unless asked: the handbook requires evidence to be anonymised and shared with
permission), the funding compliance figures (off-the-job hours, progress reviews) and a
fingerprint of each AC's evidence, so a tutor sees which ACs changed after they decided.
That makes it ``companion.progress/2``. The HTML report is rendered from that same JSON,
so what a tutor reads in a browser is exactly what the file holds.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from companion.assessment.otj import otj_status
from companion.assessment.reviews import review_schedule
from companion.assessment.status import Status, status_json
from companion.documents.model import Document, Row, Table, iso_to_date, long_date
from companion.documents.writers import render, to_html
from companion.evidence.cache import ExtractionCache
from companion.exports.fingerprints import evidence_fingerprints
from companion.files import atomic_write
from companion.notes.card import evidence_text, file_json
from companion.notes.file import read_note_file, to_plain
from companion.portfolio.hours import hours_text
from companion.review.compliance import Compliance, hours, read_compliance
from companion.review.progress_file import PROGRESS_SCHEMA

NOTE_FIELDS = ("title", "ref", "date", "type", "unit")


def compliance(status: Status, day: dt.date) -> Compliance:
    """Off-the-job hours and progress reviews on ``day``, worked out as the review pack does."""
    otj = otj_status(status, day)
    schedule = review_schedule(status, day)
    held = [r for r in schedule.reviews if r.date <= day]
    last = held[-1] if held else None
    return Compliance(
        as_of=day,
        otj_done_minutes=otj.done,
        otj_planned_minutes=otj.planned,
        otj_required_minutes=otj.required,
        reviews_held=len(held),
        last_review=last.date if last else None,
        last_review_signed=last.fully_signed if last else None,
        next_review_due=schedule.next_due,
        review_overdue_days=schedule.overdue,
    )


def progress_document(status: Status, *, with_notes: bool = False) -> dict[str, Any]:
    """The export: the status JSON plus the notes' facts (and bodies with ``with_notes``),
    the compliance figures on the day it is made and each AC's evidence fingerprint."""
    data = status_json(status)
    data["schema"] = PROGRESS_SCHEMA
    day = dt.date.fromisoformat(status.generated[:10])
    data["compliance"] = compliance(status, day).to_json()
    tagged = {
        c["id"]: [e["note"] for e in c["evidence"]] for u in data["units"] for c in u["criteria"]
    }
    data["evidence_sha256"] = evidence_fingerprints(status, tagged)
    notes = []
    reader = ExtractionCache(status.portfolio.extraction_folder).read
    for path, record in sorted(status.portfolio.records.items()):
        entry: dict[str, Any] = {"path": path, "words": record.words, "error": bool(record.error)}
        entry |= {k: to_plain(record.get(k)) for k in NOTE_FIELDS if record.get(k) is not None}
        entry["tags"] = [t.ac for t in record.tags]
        if record.file is not None:
            entry["file"] = file_json(record.file)
        if with_notes and not record.error:
            try:
                note = read_note_file(status.portfolio.path_of(path))
                root = status.portfolio.root
                entry["body"] = evidence_text(note.path, note.metadata, note.body, root, reader)
            except Exception as exc:
                entry["body_error"] = str(exc)
        notes.append(entry)
    data["notes"] = notes
    data["with_notes"] = with_notes
    return data


def _requirements(criterion: dict[str, Any]) -> str:
    parts = []
    for r in criterion.get("requirements", []):
        items = f": {', '.join(map(str, r['items']))}" if r.get("items") else ""
        parts.append(f"{r['label']} {r['have']}/{r['min']}{items}")
    for item in criterion.get("checklist", []):
        parts.append(f"{'✔' if item['covered'] else '✘'} {item['label']}")
    return "\n".join(parts)


def _evidence(criterion: dict[str, Any]) -> str:
    return "\n".join(
        " ".join(p for p in (e.get("ref", ""), e.get("title", "") or e["note"]) if p)
        + (f", {e['where']}" if e.get("where") else "")
        + (f" — NOT COUNTED: {e['excluded']}" if e.get("excluded") else "")
        for e in criterion.get("evidence", [])
    )


def _day(value: Any) -> str:
    """A date from the JSON as people read it ('1 September 2025'), or 'not set'."""
    day = iso_to_date(str(value)) if value else None
    return long_date(day) if day else "not set"


def _unit_table(unit: dict[str, Any]) -> Table:
    """One unit's ACs: status, requirements, evidence (none yet is highlighted)."""
    rows = [
        Row(
            [
                criterion["id"],
                f"{criterion.get('verb', '')}\n{criterion['text']}".strip(),
                criterion["status"],
                _requirements(criterion),
                _evidence(criterion),
            ],
            highlight=not criterion.get("evidence"),
        )
        for criterion in unit["criteria"]
    ]
    return Table(
        f"Unit {unit['id']} {unit['title']}",
        ["AC", "Criterion", "Status", "Requirements", "Evidence"],
        rows,
        key=unit["id"],
    )


def _flags_and_words(data: dict[str, Any]) -> list[Table]:
    """The open flags and the word counts against their targets."""
    flag_rows = [
        Row([f["severity"], f["note"], f["code"], f["message"]])
        for f in data["flags"]
        if not f.get("acknowledged")
    ]
    word_rows = [
        Row(
            [
                f"unit {w['unit']} assignment" if w["kind"] == "assignment" else "proposal summary",
                w["note"],
                str(w["words"]),
                f"{w['low']}–{w['high']}",
                w["band"],
            ]
        )
        for w in data["word_counts"]
    ]
    return [
        Table("Flags", ["Severity", "Note", "Code", "Message"], flag_rows),
        Table("Word counts", ["What", "Note", "Words", "Target", "Band"], word_rows),
    ]


def _hours(minutes: int | None) -> str:
    return f"{hours(minutes)} hours" if minutes is not None else "not known"


def _against(gap: int | None) -> str:
    """The gap in words an employer reads: '233 hours behind the plan'."""
    if gap is None:
        return "no plan to measure against"
    if gap == 0:
        return "on the plan"
    return f"{hours_text(abs(gap))} hours {'behind' if gap > 0 else 'ahead of'} the plan"


def _when(day: dt.date | None, none: str) -> str:
    return long_date(day) if day else none


def compliance_table(data: dict[str, Any]) -> Table:
    """Off-the-job hours and progress reviews for an employer: label and value, one a row."""
    found = read_compliance(data["compliance"])
    signed = {True: "yes", False: "no", None: "no review held yet"}[found.last_review_signed]
    overdue = found.review_overdue_days
    rows = [
        ("Figures as at", long_date(found.as_of)),
        ("Off-the-job hours to date", f"{hours_text(found.otj_done_minutes)} hours"),
        ("Planned to date", _hours(found.otj_planned_minutes)),
        ("Required in total", _hours(found.otj_required_minutes)),
        ("Against the plan", _against(found.otj_gap_minutes)),
        ("Progress reviews held", str(found.reviews_held)),
        ("Last review", _when(found.last_review, "none held yet")),
        ("Last review signed by apprentice, employer and provider", signed),
        ("Next review due by", _when(found.next_review_due, "not known")),
        ("Review overdue", f"{overdue} days" if overdue else "no"),
    ]
    return Table(
        "Funding compliance",
        ["", ""],
        [Row(list(pair)) for pair in rows],
        key="compliance",
        widths=(3, 4),
        heading=False,
    )


def report_document(data: dict[str, Any]) -> Document:
    """The progress JSON as tables for the HTML report."""
    learner = data["learner"]
    summary = data["summary"]
    produced = iso_to_date(str(data.get("generated", "")))
    byline = (
        f"{learner.get('name') or 'Learner not named'} · {data['qualification']['title']} · "
        f"produced {long_date(produced) if produced else data['generated']}"
    )
    notes = [
        f"Programme start {_day(learner.get('programme_start'))}; planned gateway "
        f"{_day(learner.get('planned_gateway'))}.",
        f"ACs sufficient: {summary['sufficient']}/{summary['criteria']}. Professional "
        f"Discussion KSBs with evidence: {summary['pd_ksbs_covered']}/{summary['pd_ksbs_total']}."
        f" Errors: {summary['errors']}. Warnings: {summary['warnings']}.",
    ]
    if any(e.get("excluded") for u in data["units"] for c in u["criteria"] for e in c["evidence"]):
        notes.append(
            "Evidence marked NOT COUNTED is on a note with an error (the reason follows the "
            "mark) and is left out of the figures until it is fixed."
        )
    unit_rows = [
        Row(
            [
                f"{u['id']} {u['title']}",
                u["method"],
                f"{u['sufficient']}/{u['total']}",
                str(u["in_progress"]),
            ]
        )
        for u in data["units"]
    ]
    return Document(
        "Progress report",
        byline,
        [compliance_table(data), *map(_unit_table, data["units"]), *_flags_and_words(data)],
        notes,
        Table("Units", ["Unit", "Assessed by", "Sufficient", "In progress"], unit_rows),
        learner=str(learner.get("name") or ""),
        produced=produced,
    )


def write_progress(
    status: Status, out: Path, *, with_notes: bool = False, html: bool = False, pdf: bool = False
) -> list[Path]:
    """Write the JSON export (and the report beside it, ``out`` with .html and/or .pdf, for
    a tutor or employer to read); return the files written."""
    data = progress_document(status, with_notes=with_notes)
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    atomic_write(out, text.encode("utf-8"))
    written = [out]
    if html:
        page = out.with_suffix(".html")
        atomic_write(page, to_html(report_document(data)).encode("utf-8"))
        written.append(page)
    if pdf:
        paged = out.with_suffix(".pdf")
        atomic_write(paged, render(report_document(data), "pdf"))
        written.append(paged)
    return written
