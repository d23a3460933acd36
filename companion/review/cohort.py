"""A tutor's cohort: every progress export in the folders given, one row per apprentice.

Files that cannot be read still get a row, saying why, so a tutor sees that an
apprentice's export is broken instead of the apprentice silently missing from the table.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from companion import clock
from companion.documents.writers import safe_cell
from companion.errors import CompanionError
from companion.portfolio.hours import hours_number
from companion.review.compliance import Compliance, hours
from companion.review.feedback import (
    FEEDBACK_SUFFIX,
    PASS,
    REFERRAL,
    EarlierFeedback,
    FeedbackError,
    changed_since_decision,
    open_feedback,
)
from companion.review.progress_file import ExportFileError, LearnerExport, read_progress_export

MAX_FILES = 5000
COLUMNS = (
    "learner",
    "sufficient",
    "pd_ksbs",
    "errors",
    "warnings",
    "days_to_gateway",
    "otj_behind",
    "review_overdue",
    "generated",
    "referrals",
    "changed",
    "reviewed",
    "file",
)
SORT_KEYS = COLUMNS[:-2]
"""The columns the table sorts by (all but Reviewed and File), in the order ``s`` steps."""
HEADINGS = (
    "Learner",
    "ACs",
    "PD KSBs",
    "Errors",
    "Warnings",
    "Days to gateway",
    "OTJ behind",
    "Review overdue",
    "Generated",
    "Referrals",
    "Changed",
    "Reviewed",
    "File",
)
"""The table's column headings, one per ``COLUMNS`` entry (the terminal table leaves out File)."""
NOT_IN_EXPORT = "not in export"
"""What a compliance cell says for a version 1 export, which carries no such figures."""
SHOWN_REFERRALS = 3
"""The referred ACs a table cell names before it says how many more."""


@dataclass(frozen=True)
class CohortRow:
    """What the cohort table shows for one export (or why it could not be read)."""

    path: Path
    learner: str = ""
    sufficient: int = 0
    criteria: int = 0
    pd_covered: int = 0
    pd_total: int = 0
    errors: int = 0
    warnings: int = 0
    days_to_gateway: int | None = None
    generated: str = ""
    passed: int = 0
    referred: int = 0
    referrals: tuple[str, ...] = ()
    """The ACs referred, in the export's order."""
    compliance: Compliance | None = None
    """Off-the-job hours and reviews; None for an export made before they were carried."""
    review_overdue: int | None = None
    """Days the next review is overdue today (0 when not); None when not known."""
    changed: tuple[str, ...] = ()
    """The ACs whose evidence changed since the decision on them, in the export's order."""
    problem: str = ""

    @property
    def otj_behind(self) -> int | None:
        """Minutes behind the off-the-job plan (0 on or ahead of it); None when not known."""
        if self.compliance is None or self.compliance.otj_gap_minutes is None:
            return None
        return self.compliance.otj_behind_minutes or 0

    def sort_key(self, column: str) -> tuple[Any, ...]:
        """Unreadable files sort last; missing gateway dates sort after known ones."""
        values: dict[str, Any] = {
            "learner": self.learner.casefold(),
            "sufficient": self.sufficient,
            "pd_ksbs": self.pd_covered,
            "errors": self.errors,
            "warnings": self.warnings,
            "days_to_gateway": self.days_to_gateway if self.days_to_gateway is not None else 10**9,
            "otj_behind": self.otj_behind or 0,
            "review_overdue": self.review_overdue or 0,
            "generated": self.generated,
            "referrals": self.referred,
            "changed": len(self.changed),
        }
        return (bool(self.problem), values[column], self.learner.casefold(), str(self.path))

    def known(self, column: str) -> bool:
        """False when the row has no figure for ``column`` (it sorts after those that do,
        whichever the direction)."""
        if column == "otj_behind":
            return self.otj_behind is not None
        if column == "review_overdue":
            return self.review_overdue is not None
        return True

    def to_json(self) -> dict[str, Any]:
        behind = self.otj_behind
        return {
            "file": str(self.path),
            "learner": self.learner,
            "sufficient": self.sufficient,
            "criteria": self.criteria,
            "pd_ksbs_covered": self.pd_covered,
            "pd_ksbs_total": self.pd_total,
            "errors": self.errors,
            "warnings": self.warnings,
            "days_to_gateway": self.days_to_gateway,
            "otj_behind_hours": None if behind is None else hours_number(behind),
            "review_overdue_days": self.review_overdue,
            "compliance": self.compliance.to_json() if self.compliance else None,
            "generated": self.generated,
            "decisions": {
                "pass": self.passed,
                "referral": self.referred,
                "referred": list(self.referrals),
                "changed_since_decision": list(self.changed),
            },
            "problem": self.problem,
        }


@dataclass
class Cohort:
    rows: list[CohortRow] = field(default_factory=list)
    exports: dict[Path, LearnerExport] = field(default_factory=dict)

    def sorted(self, column: str = "learner", reverse: bool = False) -> list[CohortRow]:
        if column not in SORT_KEYS:
            raise ValueError(f"sort by one of {', '.join(SORT_KEYS)}")
        readable = [r for r in self.rows if not r.problem]
        known = sorted(
            (r for r in readable if r.known(column)),
            key=lambda r: r.sort_key(column),
            reverse=reverse,
        )
        unknown = sorted(
            (r for r in readable if not r.known(column)), key=lambda r: r.sort_key(column)
        )
        broken = sorted((r for r in self.rows if r.problem), key=lambda r: str(r.path))
        return known + unknown + broken


class CohortError(CompanionError):
    """The paths given hold nothing to review."""


def find_exports(paths: Iterable[Path]) -> list[Path]:
    """Progress exports named directly or found in folders (``*.json``, not feedback files)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(
                p
                for p in path.rglob("*.json")
                if p.is_file()
                and not p.name.endswith(FEEDBACK_SUFFIX)
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
        elif path.is_file():
            found.append(path)
        else:
            raise CohortError(f"{path}: no such file or folder")
        if len(found) > MAX_FILES:
            raise CohortError(f"more than {MAX_FILES} files to open; name a smaller folder")
    return list(dict.fromkeys(found))


def row_for(
    export: LearnerExport, today: dt.date, earlier: EarlierFeedback | None = None
) -> CohortRow:
    """The row for one export, with the decisions on it (or carried over to it)."""
    summary = export.summary
    passed = referred = 0
    referrals: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    try:
        feedback = open_feedback(export, earlier).feedback
    except FeedbackError:
        pass  # shown when the apprentice is opened; the row still gives the export's figures
    else:
        counts = feedback.counts()
        passed, referred = counts[PASS], counts[REFERRAL]
        referrals = tuple(
            ac for ac in export.criterion_ids() if feedback.on(ac).decision == REFERRAL
        )
        changed = tuple(changed_since_decision(feedback, export))
    found = export.compliance
    return CohortRow(
        path=export.path,
        learner=export.learner,
        sufficient=summary["sufficient"],
        criteria=summary["criteria"],
        pd_covered=summary["pd_ksbs_covered"],
        pd_total=summary["pd_ksbs_total"],
        errors=summary["errors"],
        warnings=summary["warnings"],
        days_to_gateway=export.days_to_gateway(today),
        generated=export.generated[:10],
        passed=passed,
        referred=referred,
        referrals=referrals,
        compliance=found,
        review_overdue=found.overdue_on(today, export.planned_gateway) if found else None,
        changed=changed,
    )


def load_cohort(
    paths: Iterable[Path],
    progress: Callable[[int, int], None] | None = None,
    today: dt.date | None = None,
) -> Cohort:
    """Open every export; ``progress(done, total)`` is called after each file."""
    today = today or clock.today()
    files = find_exports(paths)
    if not files:
        raise CohortError("no progress exports (*.json) found")
    cohort = Cohort()
    earlier = EarlierFeedback()
    for done, path in enumerate(files, 1):
        try:
            export = read_progress_export(path)
        except ExportFileError as exc:
            cohort.rows.append(CohortRow(path=path, problem=str(exc)))
        else:
            cohort.exports[path] = export
            cohort.rows.append(row_for(export, today, earlier))
        if progress:
            progress(done, len(files))
    return cohort


def referral_text(row: CohortRow) -> str:
    """The referred ACs by id, the first few and how many more."""
    shown = ", ".join(row.referrals[:SHOWN_REFERRALS])
    more = len(row.referrals) - SHOWN_REFERRALS
    return f"{shown} and {more} more" if more > 0 else shown


def behind_text(row: CohortRow) -> str:
    """Hours behind the off-the-job plan; blank when on track or not known."""
    if row.compliance is None:
        return NOT_IN_EXPORT
    return f"{hours(row.otj_behind)} h" if row.otj_behind else ""


def overdue_text(row: CohortRow) -> str:
    """Days the next review is overdue; blank when it is not, or not known."""
    if row.compliance is None:
        return NOT_IN_EXPORT
    if not row.review_overdue:
        return ""
    return f"{row.review_overdue} day{'' if row.review_overdue == 1 else 's'}"


def row_values(row: CohortRow) -> list[str]:
    """The table's cells for ``row``, as text (a broken file: its problem and name)."""
    if row.problem:
        return [row.problem, *([""] * (len(COLUMNS) - 2)), str(row.path)]
    days = "" if row.days_to_gateway is None else str(row.days_to_gateway)
    reviewed = f"{row.passed} Pass, {row.referred} Referral" if row.passed or row.referred else ""
    return [
        row.learner,
        f"{row.sufficient}/{row.criteria}",
        f"{row.pd_covered}/{row.pd_total}",
        str(row.errors),
        str(row.warnings),
        days,
        behind_text(row),
        overdue_text(row),
        row.generated,
        referral_text(row),
        str(len(row.changed)) if row.changed else "",
        reviewed,
        str(row.path),
    ]


CSV_COLUMNS = (
    "learner",
    "sufficient",
    "total",
    "pd_ksbs_covered",
    "pd_ksbs_total",
    "errors",
    "warnings",
    "days_to_gateway",
    "otj_behind_hours",
    "review_overdue_days",
    "generated",
    "passed",
    "referred",
    "referrals",
    "changed_since_decision",
    "file",
    "error",
)
"""One value per column, counts as plain numbers, so a spreadsheet sums and sorts them."""


def csv_values(row: CohortRow) -> list[str | int | float]:
    """The CSV cells for ``row``: numbers as numbers, an unreadable file's problem in
    ``error`` (never in ``learner``)."""
    if row.problem:
        return [*([""] * (len(CSV_COLUMNS) - 2)), str(row.path), row.problem]
    days: str | int = "" if row.days_to_gateway is None else row.days_to_gateway
    behind: str | float = "" if not row.otj_behind else hours_number(row.otj_behind)
    overdue: str | int = "" if row.review_overdue is None else row.review_overdue
    return [
        row.learner,
        row.sufficient,
        row.criteria,
        row.pd_covered,
        row.pd_total,
        row.errors,
        row.warnings,
        days,
        behind,
        overdue,
        row.generated,
        row.passed,
        row.referred,
        " ".join(row.referrals),
        len(row.changed),
        str(row.path),
        "",
    ]


def cohort_csv(rows: list[CohortRow]) -> str:
    """CSV for a spreadsheet; cells a spreadsheet would run as formulas are neutralised."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        writer.writerow([safe_cell(c) if isinstance(c, str) else c for c in csv_values(row)])
    return out.getvalue()


def cohort_text(rows: list[CohortRow]) -> str:
    """A plain table for the terminal."""
    header = list(HEADINGS[:-1])
    body = [row_values(r)[: len(header)] for r in rows]
    widths = [
        max(len(h), *(len(b[i]) for b in body)) if body else len(h) for i, h in enumerate(header)
    ]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip()]
    for cells in body:
        lines.append("  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip())
    return "\n".join(lines)
