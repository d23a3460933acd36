"""The evidence matrices as plain data, ready for any writer.

The AC Evidence Matrix follows the handbook's Appendix D: per unit, each learning outcome
and assessment criterion with the location of its evidence ("file name & page/paragraph,
timestamp"). The KSB Evidence Matrix lists every KSB the Professional Discussion assesses
with the evidence that reaches it through its ACs, so a KSB with none stands out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from companion.assessment.decisions import Decision, status_decisions
from companion.assessment.progress import EvidenceRef
from companion.assessment.status import Status
from companion.documents.model import Document, Row, Table, iso_to_date, long_date

LOCATION_HEADING = "Evidence Location"
LOCATION_HINT = "e.g., file name & page/paragraph, timestamp"


@dataclass(frozen=True)
class Location:
    """One piece of evidence for an AC: which note, and where in it."""

    ref: str
    name: str  # the note's title, else its file name
    note: str  # path within the portfolio
    where: str
    ac: str = ""  # the AC it reaches a KSB through (KSB matrix only)
    excluded: str = ""  # why it does not count, when its note has an error

    @property
    def text(self) -> str:
        """How the location reads in the matrix: 'E014 Board minutes, p2 para 3', marked
        'NOT COUNTED: why' when the evidence does not count."""
        head = " ".join(part for part in (self.ref, self.name) if part)
        text = f"{head}, {self.where}" if self.where else f"{head} (no location given)"
        if self.ac:
            text += f" [{self.ac}]"
        return f"{text} — NOT COUNTED: {self.excluded}" if self.excluded else text


@dataclass
class CriterionRow:
    """An AC row: ``AC1.1``, its text and where its evidence is."""

    id: str
    short_id: str
    text: str
    status: str
    locations: list[Location] = field(default_factory=list)
    decision: Decision | None = None
    """The tutor's newest decision, when it refers the AC."""

    @property
    def referred(self) -> bool:
        """True when the tutor's newest feedback refers the AC."""
        return self.decision is not None and self.decision.referred

    @property
    def heading(self) -> str:
        """'AC1.3' and its text, marked 'REFERRED (Dr R. Shah, 2026-11-22)' when the tutor
        referred it."""
        mark = ""
        if self.decision is not None and self.referred:
            who = ", ".join(p for p in (self.decision.assessor, self.decision.date) if p)
            mark = " — REFERRED" + (f" ({who})" if who else "")
        return f"{self.short_id}{mark}\n{self.text}"


@dataclass
class OutcomeRows:
    """A learning outcome heading and its AC rows."""

    id: str
    text: str
    criteria: list[CriterionRow]

    @property
    def heading(self) -> str:
        """'Learning Outcome 1 The learner will be able to …', as in Appendix D."""
        return f"Learning Outcome {self.id} {self.text}"


@dataclass
class UnitRows:
    """A unit heading and its outcomes."""

    id: str
    title: str
    method: str
    outcomes: list[OutcomeRows]

    @property
    def heading(self) -> str:
        """'Unit 700 Building a High Performance Team', as in Appendix D."""
        return f"Unit {self.id} {self.title}"

    @property
    def criteria(self) -> list[CriterionRow]:
        """Every AC row of the unit."""
        return [c for o in self.outcomes for c in o.criteria]


@dataclass
class AcMatrix:
    """The whole AC Evidence Matrix."""

    learner: str
    qualification: str
    generated: str
    units: list[UnitRows]
    left_out: list[str]  # units assessed by unit assignment, left out by the profile


@dataclass
class KsbRow:
    """A Professional Discussion KSB and the evidence that covers it."""

    code: str
    text: str
    grouping: str
    criteria: list[str]
    locations: list[Location]

    @property
    def covered(self) -> bool:
        """True when at least one piece of evidence that counts reaches the KSB."""
        return any(not loc.excluded for loc in self.locations)


@dataclass
class KsbMatrix:
    """The KSB Evidence Matrix for the EPA portfolio."""

    learner: str
    qualification: str
    generated: str
    rows: list[KsbRow]

    @property
    def uncovered(self) -> list[str]:
        """KSBs with no evidence yet."""
        return [r.code for r in self.rows if not r.covered]


def _location(ref: EvidenceRef, ac: str = "") -> Location:
    name = ref.title or ref.note.rsplit("/", 1)[-1]
    return Location(ref.ref, name, ref.note, ref.where, ac, ref.excluded)


def _qualification(status: Status) -> str:
    standard = status.portfolio.content.standard
    return standard.qualification.title if standard.qualification else standard.title


def ac_matrix(status: Status, *, include_assignment_units: bool | None = None) -> AcMatrix:
    """The AC Evidence Matrix (Appendix D) from a computed status.

    Units assessed by unit assignment are left out when the profile says so
    (``matrix_leave_out_assignment_units``) unless ``include_assignment_units`` is given.
    """
    portfolio = status.portfolio
    profile = portfolio.profile
    leave_out = (
        profile.matrix_leave_out_assignment_units
        if include_assignment_units is None
        else not include_assignment_units
    )
    units: list[UnitRows] = []
    left_out: list[str] = []
    decisions = status_decisions(status)
    for unit in status.units:
        method = profile.method(unit.id)
        if leave_out and method == "assignment":
            left_out.append(unit.id)
            continue
        outcomes = []
        for outcome in unit.outcomes:
            rows = []
            for criterion in outcome.criteria:
                progress = status.progress.criteria[criterion.id]
                rows.append(
                    CriterionRow(
                        criterion.id,
                        criterion.short_id,
                        criterion.text,
                        progress.status,
                        [_location(e) for e in progress.evidence],
                        decisions.of(criterion.id) if decisions.referred(criterion.id) else None,
                    )
                )
            outcomes.append(OutcomeRows(outcome.id, outcome.text, rows))
        units.append(UnitRows(unit.id, unit.title, method, outcomes))
    return AcMatrix(profile.learner, _qualification(status), status.generated, units, left_out)


def ksb_matrix(status: Status) -> KsbMatrix:
    """The KSB Evidence Matrix: each Professional Discussion KSB with its evidence."""
    content = status.portfolio.content
    rows: list[KsbRow] = []
    seen: set[str] = set()
    for grouping in content.standard.groupings:
        if grouping.epa_method != "professional-discussion":
            continue
        for code in grouping.ksbs:
            if code in seen:
                continue
            seen.add(code)
            ksb = status.progress.ksbs.get(code)
            criteria = list(ksb.criteria) if ksb else []
            locations: list[Location] = []
            for ac in criteria:
                locations += [_location(e, ac) for e in status.progress.criteria[ac].evidence]
            rows.append(KsbRow(code, content.ksb_text(code), grouping.title, criteria, locations))
    return KsbMatrix(
        status.portfolio.profile.learner, _qualification(status), status.generated, rows
    )


# --- as documents any writer can render --------------------------------------------------


def ac_matrix_document(matrix: AcMatrix) -> Document:
    """Appendix D as tables: one per unit, outcome headings spanning both columns."""
    columns = ["Assessment Criteria", f"{LOCATION_HEADING}\n{LOCATION_HINT}"]
    tables = []
    summary_rows = []
    for unit in matrix.units:
        rows: list[Row] = []
        for outcome in unit.outcomes:
            rows.append(Row([outcome.heading], group=True))
            for c in outcome.criteria:
                where = "\n".join(loc.text for loc in c.locations)
                counted = any(not loc.excluded for loc in c.locations)
                rows.append(Row([c.heading, where], highlight=not counted or c.referred))
        if not rows:
            rows.append(Row(["No assessment criteria are given for this unit.", ""]))
        tables.append(Table(unit.heading, columns, rows, key=unit.id, widths=(5, 6)))
        criteria = unit.criteria
        summary_rows.append(
            Row(
                [
                    unit.heading,
                    len(criteria),
                    sum(1 for c in criteria if any(not loc.excluded for loc in c.locations)),
                    sum(1 for c in criteria if c.status == "sufficient"),
                ]
            )
        )
    notes = ["Add the location of evidence for each Assessment Criteria."]
    if any(loc.excluded for u in matrix.units for c in u.criteria for loc in c.locations):
        notes.append(
            "Evidence marked NOT COUNTED is on a note with an error (the reason follows the "
            "mark); it is left out of the counts until the error is fixed."
        )
    referred = [c.id for u in matrix.units for c in u.criteria if c.referred]
    if referred:
        notes.append(
            "ACs marked REFERRED were referred in the tutor's newest feedback and need more "
            f"work before gateway: {', '.join(referred)}."
        )
    if matrix.left_out:
        notes.append(
            "Units assessed by unit assignment are left out: " + ", ".join(matrix.left_out) + "."
        )
    return Document(
        title="Portfolio Evidence Matrix",
        byline=_byline(matrix.learner, matrix.qualification, matrix.generated),
        notes=notes,
        tables=tables,
        summary=Table(
            "Summary",
            ["Unit", "ACs", "ACs with evidence", "ACs sufficient"],
            summary_rows,
            widths=(8, 2, 3, 3),
        ),
        learner=matrix.learner,
        produced=_day(matrix.generated),
    )


def ksb_matrix_document(matrix: KsbMatrix) -> Document:
    """The KSB matrix as one table; KSBs without evidence are highlighted."""
    rows = [
        Row(
            [
                r.code,
                r.text,
                ", ".join(r.criteria),
                "\n".join(loc.text for loc in r.locations) or "NO EVIDENCE YET",
            ],
            highlight=not r.covered,
        )
        for r in matrix.rows
    ]
    covered = len(matrix.rows) - len(matrix.uncovered)
    notes = [f"{covered} of {len(matrix.rows)} Professional Discussion KSBs have evidence."]
    if matrix.uncovered:
        notes.append("No evidence yet: " + ", ".join(matrix.uncovered) + ".")
    return Document(
        title="KSB Evidence Matrix (Professional Discussion)",
        byline=_byline(matrix.learner, matrix.qualification, matrix.generated),
        notes=notes,
        tables=[
            Table(
                "Professional Discussion KSBs",
                ["KSB", "Text", "Assessment criteria", LOCATION_HEADING],
                rows,
                key="ksbs",
                widths=(2, 7, 3, 7),
            )
        ],
        learner=matrix.learner,
        produced=_day(matrix.generated),
    )


def _day(generated: str) -> dt.date | None:
    """The day a matrix was produced, where the learner is. A day, as the handbook's
    "date produced" asks, not a time: the same matrix made twice in a day is the same
    file, so one made again from what was kept (``companion.cli.remembered``) is true."""
    moment = iso_to_date(generated)
    if isinstance(moment, dt.datetime):
        return (moment.astimezone() if moment.tzinfo else moment).date()
    return moment


def _byline(learner: str, qualification: str, generated: str) -> str:
    day = _day(generated)
    when = long_date(day) if day else generated
    return f"{learner or 'Learner not named'} · {qualification} · produced {when}"
