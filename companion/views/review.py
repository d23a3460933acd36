"""What the tutor reads about one AC or unit of an export, as Markdown.

Every value comes from someone else's file, so each is escaped: a title with a link, an
image or markup shows as the characters it is.
"""

from __future__ import annotations

from typing import Any

from companion.review.feedback import DECISION_LABELS, NOT_ASSESSED, PASS, REFERRAL, Feedback
from companion.review.progress_file import LearnerExport
from companion.text.markdown import cell, escape_markdown

DECISION_MARK = {PASS: "✔", REFERRAL: "✘", NOT_ASSESSED: "·"}
STATUS_WORD = {
    "sufficient": "sufficient",
    "in-progress": "in progress",
    "not-started": "not started",
}


def _unit(export: LearnerExport, unit_id: str) -> dict[str, Any] | None:
    return next((u for u in export.units if u["id"] == unit_id), None)


def criterion_review_markdown(export: LearnerExport, ac: str, feedback: Feedback) -> str:
    """One AC as the apprentice's export reports it, with its evidence and their flags."""
    criterion = export.criterion(ac)
    if criterion is None:
        return f"No AC {escape_markdown(ac)} in this export."
    lines = [
        f"# {escape_markdown(criterion['verb'].upper())}",
        f"**{escape_markdown(ac)}** · the apprentice's status: "
        f"**{STATUS_WORD[criterion['status']]}** · your decision: "
        f"**{DECISION_LABELS[feedback.on(ac).decision]}**",
        "",
        escape_markdown(criterion["text"]),
    ]
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
    ]
    return "\n".join(lines)


def ac_label(short: str, verb: str, decision: str) -> str:
    """A tree label: the tutor's decision mark, the AC's number and its verb."""
    return f"{DECISION_MARK[decision]} {short} {verb}"
