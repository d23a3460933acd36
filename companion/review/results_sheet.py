"""Results Sheets in the handbook's Appendix E layout, filled from a feedback file.

A Results Sheet is the auditable record of the assessor's decision on each AC, with the
rationale and feedback the handbook asks for. The instructions and column headings come
from the content, so they read exactly as the handbook prints them. Appendix E is one sheet
per unit, and so is a file of several units' sheets: each from a new page (in Word a section
of its own, its page header naming the unit), with its own title, instructions and centre
and learner block, so any one sheet can be printed, filed or signed alone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from companion.content.model import Content, Unit
from companion.documents.model import Document, Row, SignatureRow, Table, iso_to_date, long_date
from companion.documents.writers import to_markdown
from companion.errors import CompanionError
from companion.files import atomic_write
from companion.review.feedback import DECISION_LABELS, NOT_ASSESSED, PASS, REFERRAL, Feedback

RESULT_FORMATS = ("md", "docx", "pdf")
_DEFAULT_COLUMNS = [
    "Assessment Criteria",
    "Assessment Requirement - Pass",
    "Pass/Referral & Assessor feedback",
]


class ResultsError(CompanionError):
    """The sheet cannot be made; the message says why."""


@dataclass
class ResultsSheets(Document):
    """The sheets of one or more units: ``sheets`` holds a whole Document per unit, which is
    what is written; the Document itself holds every unit's tables, for reading them."""

    sheets: list[Document] = field(default_factory=list)


@dataclass(frozen=True)
class _SheetWording:
    """Appendix E's own words for the sheet, from the content; defaults where it has none."""

    instructions: tuple[str, ...] = ()
    referral_intro: str = ""
    referral_reasons: tuple[str, ...] = ()
    columns: tuple[str, ...] = tuple(_DEFAULT_COLUMNS)


def _texts(value: object) -> tuple[str, ...]:
    return tuple(str(item) for item in value) if isinstance(value, list) else ()


def _sheet_wording(content: Content) -> _SheetWording:
    """The content's ``qualification.results_sheet``, which is kept as it was written."""
    qualification = content.standard.qualification
    found = qualification.extra.get("results_sheet") if qualification else None
    if not isinstance(found, dict):
        return _SheetWording()
    intro = found.get("referral_intro")
    return _SheetWording(
        instructions=_texts(found.get("instructions")),
        referral_intro=intro if isinstance(intro, str) else "",
        referral_reasons=_texts(found.get("referral_reasons")),
        columns=_texts(found.get("columns")) or tuple(_DEFAULT_COLUMNS),
    )


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
                SignatureRow(["Signature of Assessor:", ""]),
                Row(["Unit Outcome:", ""]),
                Row(["Date of QA check:", ""]),
                SignatureRow(["Signature of QA:", ""]),
            ],
            key=f"{unit.id} decision",
            widths=(1, 2),
            heading=False,
        )
    )
    return tables


def _instructions(content: Content) -> list[str]:
    """The instructions for assessment and the reasons for a referral, as Appendix E words them."""
    wording = _sheet_wording(content)
    notes = ["Instructions for Assessment", *wording.instructions]
    if wording.referral_intro:
        notes.append(wording.referral_intro)
        notes += [f"• {reason}" for reason in wording.referral_reasons]
    return notes


def _learner_block(feedback: Feedback) -> Table:
    """The centre and learner details at the head of each sheet."""
    return Table(
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


def _sheet(
    unit: Unit, feedback: Feedback, content: Content, updated: dt.date | dt.datetime | None
) -> Document:
    """One unit's Results Sheet, whole: title, instructions, learner block, outcomes, decision."""
    columns = list(_sheet_wording(content).columns)
    when = long_date(updated) if updated else "never"
    return Document(
        f"Results Sheet: {unit.id} {unit.title}",
        f"{feedback.learner} · feedback updated {when}",
        _unit_tables(unit, feedback, columns),
        notes=_instructions(content),
        summary=_learner_block(feedback),
        learner=feedback.learner,
        produced=updated,
    )


def results_document(feedback: Feedback, content: Content, unit_ids: list[str]) -> ResultsSheets:
    """The Results Sheet for each unit in ``unit_ids`` (all units when empty)."""
    units = {u.id: u for u in content.units}
    unknown = [u for u in unit_ids if u not in units]
    if unknown:
        raise ResultsError(f"no unit {', '.join(unknown)} (units: {', '.join(units)})")
    chosen = [units[u] for u in unit_ids] if unit_ids else list(units.values())
    updated = iso_to_date(feedback.updated) if feedback.updated else None
    sheets = [_sheet(unit, feedback, content, updated) for unit in chosen]
    title = (
        sheets[0].title
        if len(sheets) == 1
        else "Results Sheets: " + ", ".join(u.id for u in chosen)
    )
    return ResultsSheets(
        title,
        sheets[0].byline,
        [t for sheet in sheets for t in sheet.tables],
        notes=sheets[0].notes,
        summary=sheets[0].summary,
        learner=feedback.learner,
        produced=updated,
        sheets=sheets,
    )


def _pdf(sheets: list[Document]) -> bytes:
    """Each unit's sheet as a PDF of its own (its page header naming that unit), then put
    one after another: every unit starts a new page, as Appendix E lays them out."""
    import io

    from pypdf import PdfWriter

    from companion.documents.pdf import pdf_bytes

    if len(sheets) == 1:
        return pdf_bytes(sheets[0])
    writer = PdfWriter()
    for sheet in sheets:
        writer.append(io.BytesIO(pdf_bytes(sheet)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def results_bytes(doc: Document, fmt: str) -> bytes:
    """The file's bytes: each unit's sheet whole, from a new page (in Markdown, after a rule)."""
    sheets = doc.sheets if isinstance(doc, ResultsSheets) and doc.sheets else [doc]
    if fmt == "docx":
        from companion.documents.docx import sections_bytes  # only exports need python-docx

        return sections_bytes(sheets, doc.title)
    if fmt == "md":
        return "\n---\n\n".join(to_markdown(sheet) for sheet in sheets).encode("utf-8")
    if fmt == "pdf":
        return _pdf(sheets)
    raise ResultsError(f"format must be one of {', '.join(RESULT_FORMATS)}")


def write_results(doc: Document, fmt: str, out: Path, *, within: Path | None = None) -> None:
    """Write the sheets as ``md`` or ``docx``; never through a link or outside ``within``."""
    if fmt not in RESULT_FORMATS:
        raise ResultsError(f"format must be one of {', '.join(RESULT_FORMATS)}")
    atomic_write(out, results_bytes(doc, fmt), within=within)
