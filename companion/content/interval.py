"""How often something must happen, as the funding rules and the profile write it.

Its own module, free of the funding rules, so that reading ``companion.yaml`` (every
command) does not load them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Interval:
    """How often something must happen: every N weeks, or every N calendar months.

    ``due`` says how calendar months count: ``same-day`` (1 March + 3 months is 1 June) or
    ``end-of-month``, as the 2025/26 rules' own example counts them (a review on 1 August is
    next due on or before 30 November).
    """

    weeks: int | None = None
    calendar_months: int | None = None
    due: str = "same-day"
    counting: str = ""

    def next_due(self, after: dt.date) -> dt.date:
        """The last day by which the next one must happen, when the last was on ``after``."""
        if self.weeks is not None:
            return after + dt.timedelta(weeks=self.weeks)
        months = self.calendar_months or 0
        index = after.month - 1 + months
        year, month = after.year + index // 12, index % 12 + 1
        import calendar  # here, not above: reading companion.yaml needs the class, not this

        last = calendar.monthrange(year, month)[1]
        return dt.date(year, month, last if self.due == "end-of-month" else min(after.day, last))

    def describe(self) -> str:
        """``12 weeks`` or ``3 calendar months``."""
        if self.weeks is not None:
            return f"{self.weeks} week{'s' if self.weeks != 1 else ''}"
        months = self.calendar_months or 0
        return f"{months} calendar month{'s' if months != 1 else ''}"
