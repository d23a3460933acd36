"""Hours as people write them, ``3.5`` or ``3:30``, held as whole minutes.

An off-the-job log of hundreds of entries must total exactly: summing floats drifts (0.1 added
ten times is not 1.0), so every duration is an integer number of minutes and a decimal that is
not a whole number of minutes (1.33 hours is 79.8 minutes) is refused with the h:mm to write
instead. YAML reads an unquoted ``3:30`` as the base-60 number 210, so callers pass the text
as written wherever they can; a number is taken as hours.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from companion.errors import CompanionError

_HMM = re.compile(r"(\d{1,4}):([0-5]\d)")
_DECIMAL = re.compile(r"\d{1,4}(?:\.\d+)?|\.\d+")
MAX_MINUTES = 24 * 60
"""No single entry can be longer than a day."""


class HoursError(CompanionError):
    """Hours that are not hours; the message says how to write them."""


def parse_hours(value: Any, what: str = "hours", *, limit: int | None = MAX_MINUTES) -> int:
    """Whole minutes from ``3.5``, ``3``, ``0.25`` or ``3:30``; refuse anything else."""
    if isinstance(value, bool) or value is None:
        raise HoursError(f"{what} must be hours like 3.5 or 3:30")
    text = str(value).strip()
    match = _HMM.fullmatch(text)
    if match:
        minutes = int(match.group(1)) * 60 + int(match.group(2))
    elif _DECIMAL.fullmatch(text):
        try:
            exact = Decimal(text) * 60
        except InvalidOperation:  # pragma: no cover - the pattern admits only decimals
            raise HoursError(f"{what} must be hours like 3.5 or 3:30, not '{text}'") from None
        if exact != exact.to_integral_value():
            raise HoursError(
                f"{what} '{text}' is {exact.normalize():f} minutes, not a whole number; "
                f"write it as h:mm (e.g. {_hmm(round(exact))})"
            )
        minutes = int(exact)
    else:
        raise HoursError(f"{what} must be hours like 3.5 or 3:30, not '{text[:40]}'")
    if minutes <= 0:
        raise HoursError(f"{what} must be more than 0")
    if limit is not None and minutes > limit:
        raise HoursError(f"{what} '{text}' is more than {limit // 60} hours")
    return minutes


def _hmm(minutes: int) -> str:
    return f"{minutes // 60}:{minutes % 60:02d}"


def hours_text(minutes: int) -> str:
    """Minutes as decimal hours to at most two places: 210 is ``3.5``, 80 is ``1.33``."""
    value = (Decimal(minutes) / 60).quantize(Decimal("0.01"))
    text = f"{value:f}".rstrip("0").rstrip(".")
    return text or "0"


def hmm_text(minutes: int) -> str:
    """Minutes as ``h:mm`` (``-1:30`` when negative)."""
    sign = "-" if minutes < 0 else ""
    return sign + _hmm(abs(minutes))


def hours_number(minutes: int) -> float:
    """Minutes as hours rounded to two places, for JSON (the exact minutes go beside it)."""
    return float((Decimal(minutes) / 60).quantize(Decimal("0.01")))
