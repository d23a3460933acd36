"""The progress export a tutor opens: one versioned JSON file, and optionally an HTML report.

The JSON is the ``companion.progress/1`` status document plus a list of the notes (their
front matter facts, never their text unless asked: the handbook requires evidence to be
anonymised and shared with permission). The HTML report is rendered from that same JSON,
so what a tutor reads in a browser is exactly what the file holds.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from companion.assessment.status import Status, status_json
from companion.documents.model import Document, Row, Table, iso_to_date, long_date
from companion.documents.writers import render, to_html
from companion.evidence.cache import ExtractionCache
from companion.files import atomic_write
from companion.notes.card import evidence_text, file_json
from companion.notes.file import read_note_file, to_plain

NOTE_FIELDS = ("title", "ref", "date", "type", "unit")


def progress_document(status: Status, *, with_notes: bool = False) -> dict[str, Any]:
    """The export: the status JSON plus the notes' facts (and bodies with ``with_notes``)."""
    data = status_json(status)
    notes = []
    reader = ExtractionCache(status.portfolio.extraction_folder).read
    for path, record in sorted(status.portfolio.records.items()):
        entry: dict[str, Any] = {"path": path, "words": record.words, "error": bool(record.error)}
        entry |= {k: to_plain(record.get(k)) for k in NOTE_FIELDS if record.get(k) is not None}
        entry["tags"] = [str(t.get("ac", "")) for t in record.tags]
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
        [*map(_unit_table, data["units"]), *_flags_and_words(data)],
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
