"""Funding compliance in a progress export: off-the-job hours and progress reviews.

The apprentice's companion works the figures out (``companion.assessment.otj`` and
``reviews``) when the export is made; a tutor's companion only reads them, with the same
distrust as the rest of the file: every number is a whole number within a sensible range
and every date a real date, or the file is refused with one line saying which field is wrong.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from companion.errors import CompanionError
from companion.portfolio.hours import hours_text

MAX_MINUTES = 100_000 * 60
"""No apprenticeship plans 100,000 hours of training: a larger figure is a broken file."""
MAX_REVIEWS = 10_000
MAX_DAYS = 100 * 366
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class ComplianceError(CompanionError):
    """The compliance section of an export is not what companion writes; the message says why."""


@dataclass(frozen=True)
class Compliance:
    """Off-the-job hours and progress reviews, as they stood on ``as_of``."""

    as_of: dt.date
    otj_done_minutes: int
    otj_planned_minutes: int | None
    """Planned by ``as_of``; None when no plan could be worked out."""
    otj_required_minutes: int | None
    reviews_held: int
    last_review: dt.date | None
    last_review_signed: bool | None
    """True when apprentice, employer and provider all signed it; None with no review."""
    next_review_due: dt.date | None
    review_overdue_days: int
    """Days overdue on ``as_of`` (0 when not, or once the planned gateway has passed)."""

    @property
    def otj_gap_minutes(self) -> int | None:
        """Minutes behind the plan (negative when ahead); None without a plan."""
        if self.otj_planned_minutes is None:
            return None
        return self.otj_planned_minutes - self.otj_done_minutes

    @property
    def otj_behind_minutes(self) -> int | None:
        """Minutes behind the plan; None when on or ahead of it, or with no plan."""
        gap = self.otj_gap_minutes
        return gap if gap is not None and gap > 0 else None

    def overdue_on(self, today: dt.date, planned_gateway: dt.date | None) -> int | None:
        """Days the next review is overdue on ``today`` (a tutor reads the export later than
        it was made); None when no due date is known, 0 when not overdue or past gateway."""
        if self.next_review_due is None:
            return None
        if planned_gateway is not None and today > planned_gateway:
            return 0
        return max((today - self.next_review_due).days, 0)

    def to_json(self) -> dict[str, Any]:
        """The export's ``compliance`` section (docs/progress-format.md)."""

        def day(value: dt.date | None) -> str | None:
            return value.isoformat() if value else None

        return {
            "as_of": self.as_of.isoformat(),
            "otj_done_minutes": self.otj_done_minutes,
            "otj_planned_minutes": self.otj_planned_minutes,
            "otj_required_minutes": self.otj_required_minutes,
            "otj_gap_minutes": self.otj_gap_minutes,
            "reviews_held": self.reviews_held,
            "last_review": day(self.last_review),
            "last_review_signed": self.last_review_signed,
            "next_review_due": day(self.next_review_due),
            "review_overdue_days": self.review_overdue_days,
        }


def hours(minutes: int | None) -> str:
    """Minutes as hours for a table ('' when not known)."""
    return "" if minutes is None else hours_text(minutes)


class _Fields:
    """Reads one field at a time from the section, naming it when it is wrong."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data

    def number(self, key: str, low: int, high: int, *, optional: bool = False) -> int | None:
        value = self.data.get(key)
        if value is None and optional:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise ComplianceError(f"compliance.{key} should be a whole number")
        if not low <= value <= high:
            raise ComplianceError(f"compliance.{key} should be between {low:,} and {high:,}")
        return value

    def date(self, key: str, *, optional: bool = False) -> dt.date | None:
        value = self.data.get(key)
        if value is None and optional:
            return None
        if isinstance(value, str) and _DATE.fullmatch(value):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        raise ComplianceError(f"compliance.{key} should be a date like 2026-11-22")


def read_compliance(value: Any) -> Compliance:
    """The ``compliance`` section checked field by field; raises ComplianceError."""
    if not isinstance(value, dict):
        raise ComplianceError("compliance should be an object")
    f = _Fields(value)
    as_of = f.date("as_of")
    assert as_of is not None
    signed = value.get("last_review_signed")
    if signed is not None and not isinstance(signed, bool):
        raise ComplianceError("compliance.last_review_signed should be true, false or null")
    found = Compliance(
        as_of=as_of,
        otj_done_minutes=f.number("otj_done_minutes", 0, MAX_MINUTES) or 0,
        otj_planned_minutes=f.number("otj_planned_minutes", 0, MAX_MINUTES, optional=True),
        otj_required_minutes=f.number("otj_required_minutes", 0, MAX_MINUTES, optional=True),
        reviews_held=f.number("reviews_held", 0, MAX_REVIEWS) or 0,
        last_review=f.date("last_review", optional=True),
        last_review_signed=signed,
        next_review_due=f.date("next_review_due", optional=True),
        review_overdue_days=f.number("review_overdue_days", 0, MAX_DAYS) or 0,
    )
    gap = f.number("otj_gap_minutes", -MAX_MINUTES, MAX_MINUTES, optional=True)
    if gap != found.otj_gap_minutes:
        raise ComplianceError(
            "compliance.otj_gap_minutes should be otj_planned_minutes less otj_done_minutes"
        )
    if (found.last_review is None) != (found.reviews_held == 0):
        raise ComplianceError("compliance.last_review should be given when reviews were held")
    return found
