"""What the tutor reads about one AC or unit of an export, as Markdown.

Every value comes from someone else's file, so each is escaped: a title with a link, an
image or markup shows as the characters it is.
"""

from __future__ import annotations

from dataclasses import dataclass

from companion.review.export_shape import ExportUnit
from companion.review.feedback import (
    DECISION_LABELS,
    NOT_ASSESSED,
    PASS,
    REFERRAL,
    Feedback,
    changed_since_decision,
)
from companion.review.progress_file import LearnerExport
from companion.text.locate import Location, locate
from companion.text.markdown import cell, escape_markdown

CHANGED = "changed since your decision"
"""Said beside a decision made on evidence the apprentice has changed since."""
DECISION_MARK = {PASS: "✔", REFERRAL: "✘", NOT_ASSESSED: "·"}
STATUS_WORD = {
    "sufficient": "sufficient",
    "in-progress": "in progress",
    "not-started": "not started",
}


def _unit(export: LearnerExport, unit_id: str) -> ExportUnit | None:
    return next((u for u in export.units if u["id"] == unit_id), None)


def criterion_review_markdown(export: LearnerExport, ac: str, feedback: Feedback) -> str:
    """One AC as the apprentice's export reports it, with its evidence and their flags."""
    criterion = export.criterion(ac)
    if criterion is None:
        return f"No AC {escape_markdown(ac)} in this export."
    decision = feedback.on(ac).decision
    verdict = "" if decision == NOT_ASSESSED else f" — {DECISION_LABELS[decision].upper()}"
    changed = ac in changed_since_decision(feedback, export)
    lines = [
        f"# {DECISION_MARK[decision]} {escape_markdown(criterion['verb'].upper())}{verdict}",
        f"**{escape_markdown(ac)}** · the apprentice's status: "
        f"**{STATUS_WORD[criterion['status']]}** · your decision: "
        f"**{DECISION_LABELS[decision]}**" + (f" · **{CHANGED}**" if changed else ""),
    ]
    if changed:
        lines += [
            "",
            f"The evidence tagged to this AC has changed since your decision of "
            f"{escape_markdown(feedback.on(ac).date) or 'an earlier export'}: read it again and "
            "record a decision to confirm or change it.",
        ]
    lines += ["", escape_markdown(criterion["text"])]
    if criterion["requirements"]:
        lines += ["", "## Requirements"]
        for r in criterion["requirements"]:
            items = ", ".join(r.get("items", [])) or "none given"
            lines.append(
                f"- {'✔' if r['met'] else '✘'} **{r['have']}/{r['min']}** "
                f"{escape_markdown(r['label'])}: {escape_markdown(items)}"
            )
    if criterion["checklist"]:
        lines += ["", "## Checklist"]
        lines += [
            f"- {'☑' if i['covered'] else '☐'} {escape_markdown(i['label'])}"
            for i in criterion["checklist"]
        ]
    lines += ["", "## Evidence"]
    notes = {e["note"] for e in criterion["evidence"]}
    if criterion["evidence"]:
        lines += ["| Ref | Evidence | Where |", "|---|---|---|"]
        for e in criterion["evidence"]:
            title = e.get("title") or e["note"]
            if e.get("excluded"):
                title += f" — NOT COUNTED: {e['excluded']}"
            lines.append(
                f"| {cell(e.get('ref') or '—')} | {cell(title)} | {cell(e.get('where') or '—')} |"
            )
        if export.with_notes:
            lines += ["", "Press **v** to read the evidence, from where it meets the AC."]
        else:
            lines += ["", "The export was made without the notes' text (`--with-notes`)."]
    else:
        lines.append("None tagged.")
    flags = export.flags_for(notes)
    if flags:
        lines += ["", "## Flags on this evidence"]
        lines += [
            f"- **{f['severity']}** {escape_markdown(f['note'])}: {escape_markdown(f['message'])}"
            for f in flags
        ]
    return "\n".join(lines)


def unit_review_markdown(export: LearnerExport, unit_id: str, feedback: Feedback) -> str:
    """A unit's figures and the decision its ACs add up to."""
    unit = _unit(export, unit_id)
    if unit is None:
        return f"No unit {escape_markdown(unit_id)} in this export."
    acs = [c["id"] for c in unit["criteria"]]
    mine = [feedback.on(ac).decision for ac in acs]
    lines = [
        f"# {escape_markdown(unit['id'])} {escape_markdown(unit['title'])}",
        f"Assessed by **{escape_markdown(unit['method'])}** · "
        f"{sum(c['status'] == 'sufficient' for c in unit['criteria'])}/{len(acs)} ACs "
        "sufficient by the apprentice's count",
        "",
        f"Your decisions: {mine.count(PASS)} Pass, {mine.count(REFERRAL)} Referral, "
        f"{mine.count(NOT_ASSESSED)} not yet assessed → unit: "
        f"**{DECISION_LABELS[feedback.unit_decision(acs)]}**",
        "",
        "Type the unit comments (optional on the Results Sheet) below.",
        "",
        _sheet_line(feedback),
    ]
    return "\n".join(lines)


def _sheet_line(feedback: Feedback) -> str:
    """The details the Results Sheets will carry, and how to set them."""

    def shown(value: str) -> str:
        return escape_markdown(value) if value else "(not set)"

    return (
        f"Results Sheet: assessor {shown(feedback.assessor)} · centre "
        f"{shown(feedback.centre_name)} (number {shown(feedback.centre_number)}) · "
        f"registration {shown(feedback.learner_registration)} — press **d** to change them."
    )


def ac_label(short: str, verb: str, decision: str, changed: bool = False) -> str:
    """A tree label: the tutor's decision mark, the AC's number and its verb, and the word
    Referral where it is one (a mark alone is easy to miss), and "changed" where the
    evidence changed since the decision."""
    referred = " · Referral" if decision == REFERRAL else ""
    return f"{DECISION_MARK[decision]} {short} {verb}{referred}{' · changed' if changed else ''}"


@dataclass(frozen=True)
class EvidenceText:
    """One piece of an AC's evidence as the tutor reads it: the note's text where the
    export includes it, and the place the tag points at."""

    label: str
    note: str
    where: str
    text: str | None
    location: Location | None
    excluded: str = ""

    @property
    def place(self) -> str:
        """Where the reader starts, said in words."""
        if self.text is None:
            return "The export does not include this note's text."
        if not self.where:
            return "The tag does not say where; shown from the start."
        if self.location is None:
            return f"'{self.where}' could not be found in the text; shown from the start."
        return f"'{self.where}': {self.location.found}, line {self.location.start + 1}."


def evidence_texts(export: LearnerExport, ac: str) -> list[EvidenceText]:
    """The AC's evidence in the export's order, each with its text and its tagged place."""
    criterion = export.criterion(ac)
    if criterion is None:
        return []
    found: list[EvidenceText] = []
    for evidence in criterion["evidence"]:
        note = export.note(evidence["note"])
        text = note.get("body") if note is not None and export.with_notes else None
        where = evidence.get("where") or ""
        ref = evidence.get("ref") or ""
        title = evidence.get("title") or evidence["note"]
        found.append(
            EvidenceText(
                label=f"{ref} {title}".strip(),
                note=evidence["note"],
                where=where,
                text=text,
                location=locate(text, where) if text and where else None,
                excluded=evidence.get("excluded") or "",
            )
        )
    return found
