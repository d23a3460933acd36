"""Hours as people write them, ``3.5`` or ``3:30``, held as whole minutes.

An off-the-job log of hundreds of entries must total exactly: summing floats drifts (0.1 added
ten times is not 1.0), so every duration is an integer number of minutes and a decimal that is
not a whole number of minutes (1.33 hours is 79.8 minutes) is refused with the h:mm to write
instead. YAML reads an unquoted ``3:30`` as the base-60 number 210, so callers pass the text
as written wherever they can; a number is taken as hours.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from companion.text.values import MAX_ENTRY_MINUTES, NotHours, hmm, read_hours

if TYPE_CHECKING:
    from decimal import Decimal

MAX_MINUTES = MAX_ENTRY_MINUTES
"""No single entry can be longer than a day."""
HoursError = NotHours
"""Hours that are not hours; the message says how to write them."""


def parse_hours(value: Any, what: str = "hours", *, limit: int | None = MAX_MINUTES) -> int:
    """Whole minutes from ``3.5``, ``3:30``, ``3h30``… (``companion.text.values.read_hours``)."""
    return read_hours(value, what, limit=limit)


def _hours(minutes: int) -> Decimal:
    """Minutes as hours rounded to two places, exactly (a float would round 0.125 down)."""
    from decimal import Decimal  # loaded when hours are shown, not by every command

    return (Decimal(minutes) / 60).quantize(Decimal("0.01"))


def hours_text(minutes: int) -> str:
    """Minutes as decimal hours to at most two places: 210 is ``3.5``, 80 is ``1.33``."""
    text = f"{_hours(minutes):f}".rstrip("0").rstrip(".")
    return text or "0"


def hmm_text(minutes: int) -> str:
    """Minutes as ``h:mm`` (``-1:30`` when negative)."""
    sign = "-" if minutes < 0 else ""
    return sign + hmm(abs(minutes))


def hours_number(minutes: int) -> float:
    """Minutes as hours rounded to two places, for JSON (the exact minutes go beside it)."""
    return float(_hours(minutes))
