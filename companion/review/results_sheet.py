"""Results Sheets in the handbook's Appendix E layout, filled from a feedback file.

A Results Sheet is the auditable record of the assessor's decision on each AC, with the
rationale and feedback the handbook asks for. The instructions and column headings come
from the content, so they read exactly as the handbook prints them.
"""

from __future__ import annotations

from pathlib import Path

from companion.content.model import Content, Unit
from companion.documents.model import Document, Row, Table, iso_to_date, long_date
from companion.documents.writers import write_document
from companion.errors import CompanionError
from companion.review.feedback import DECISION_LABELS, NOT_ASSESSED, PASS, REFERRAL, Feedback

RESULT_FORMATS = ("md", "docx")
_DEFAULT_COLUMNS = [
    "Assessment Criteria",
    "Assessment Requirement - Pass",
    "Pass/Referral & Assessor feedback",
]


class ResultsError(CompanionError):
    """The sheet cannot be made; the message says why."""


def _sheet_text(content: Content) -> dict:
    qualification = content.standard.qualification
    return (qualification.extra.get("results_sheet") if qualification else None) or {}


def _unit_tables(unit: Unit, feedback: Feedback, columns: list[str]) -> list[Table]:
    tables = []
    acs = [c.id for o in unit.outcomes for c in o.criteria]
    for outcome in unit.outcomes:
        rows = []
        for criterion in outcome.criteria:
            decision = feedback.on(criterion.id)
            short = criterion.id.split("/", 1)[-1]
            result = DECISION_LABELS[decision.decision]
            if decision.feedback:
                result += "\n\n" + decision.feedback
            rows.append(
                Row(
                    [f"AC{short}\n\n{criterion.text}", criterion.sufficiency, result],
                    highlight=decision.decision == NOT_ASSESSED,
                    strong=decision.decision == REFERRAL,
                )
            )
        tables.append(
            Table(
                f"Learning Outcome {outcome.id}: {outcome.text}",
                columns,
                rows,
                key=f"{unit.id} LO{outcome.id}",
                widths=(3, 4, 4),
            )
        )
    unit_decision = feedback.unit_decision(acs)
    dates = sorted(feedback.on(ac).date for ac in acs if feedback.on(ac).date)
    decided = {PASS: "PASS", REFERRAL: "REFERRAL"}.get(unit_decision, "Not yet decided")
    tables.append(
        Table(
            f"Assessor's decision: unit {unit.id}",
            ["", ""],
            [
                Row(["Assessor’s comments (optional):", feedback.unit_comments.get(unit.id, "")]),
                Row(["Assessor’s Decision:", decided]),
                Row(
                    [
                        "Date:",
                        iso_to_date(dates[-1]) if dates and unit_decision != NOT_ASSESSED else "",
                    ]
                ),
                Row(["Signature of Assessor:", ""]),
                Row(["Unit Outcome:", ""]),
                Row(["Date of QA check:", ""]),
                Row(["Signature of QA:", ""]),
            ],
            key=f"{unit.id} decision",
            widths=(1, 2),
            heading=False,
        )
    )
    return tables


def results_document(feedback: Feedback, content: Content, unit_ids: list[str]) -> Document:
    """The Results Sheet for each unit in ``unit_ids`` (all units when empty)."""
    units = {u.id: u for u in content.units}
    unknown = [u for u in unit_ids if u not in units]
    if unknown:
        raise ResultsError(f"no unit {', '.join(unknown)} (units: {', '.join(units)})")
    chosen = [units[u] for u in unit_ids] if unit_ids else list(units.values())
    text = _sheet_text(content)
    columns = list(text.get("columns") or _DEFAULT_COLUMNS)
    notes = ["Instructions for Assessment", *text.get("instructions", [])]
    if text.get("referral_intro"):
        notes.append(text["referral_intro"])
        notes += [f"• {reason}" for reason in text.get("referral_reasons", [])]
    header = Table(
        "Learner",
        ["", ""],
        [
            Row(["Centre Number:", feedback.centre_number]),
            Row(["Centre Name:", feedback.centre_name]),
            Row(["Learner Registration:", feedback.learner_registration]),
            Row(["Learner Name:", feedback.learner]),
            Row(["Assessor:", feedback.assessor]),
        ],
        key="Learner",
        widths=(1, 2),
        heading=False,
    )
    tables = [t for unit in chosen for t in _unit_tables(unit, feedback, columns)]
    title = (
        f"Results Sheet: {chosen[0].id} {chosen[0].title}"
        if len(chosen) == 1
        else "Results Sheets: " + ", ".join(u.id for u in chosen)
    )
    updated = iso_to_date(feedback.updated) if feedback.updated else None
    when = long_date(updated) if updated else "never"
    return Document(
        title,
        f"{feedback.learner} · feedback updated {when}",
        tables,
        notes=notes,
        summary=header,
        learner=feedback.learner,
        produced=updated,
    )


def write_results(doc: Document, fmt: str, out: Path, *, within: Path | None = None) -> None:
    """Write the sheets as ``md`` or ``docx``; never through a link or outside ``within``."""
    if fmt not in RESULT_FORMATS:
        raise ResultsError(f"format must be one of {', '.join(RESULT_FORMATS)}")
    write_document(doc, fmt, out, within=within)
