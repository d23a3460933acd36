"""How values a learner types by hand are read: one set of rules for every file.

Notes' front matter, ``companion.yaml``, the off-the-job log and a sign-off file are all
written by hand, so a date or a yes/no must mean the same in each: a witness statement's
``signed: y`` cannot count as signed while a sign-off's is refused. The rules (also in
docs/note-format.md, "How values are read"):

- Text (a reference, a title, a ``where``, a name) is kept as typed, trimmed. The note
  loader already keeps ``ref: 0107`` and ``where: 1:30`` as text rather than the numbers
  YAML 1.1 would make of them.
- A date is written year first, ``2026-03-02``; a date YAML has read, or a time after the
  date, gives that day. ``02/03/2026`` is refused with the year-first form to write
  instead: 2 March in the UK is 3 February elsewhere.
- A duration is ``m:ss`` or ``h:mm:ss``, ``5m``/``90s``/``5m 30s``, or a number of seconds.
- A yes/no is one of ``true yes y on`` or ``false no n off``, in any case; blank is the
  default (no). Anything else is neither, and is said to be.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from difflib import get_close_matches
from typing import Any

from companion.errors import CompanionError

YES_WORDS = frozenset({"true", "yes", "y", "on"})
NO_WORDS = frozenset({"false", "no", "n", "off"})
DATE_EXAMPLE = "2026-03-02"

_DATE = re.compile(
    r"(\d{4}-\d{2}-\d{2})"
    r"(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}(?::?\d{2})?)?)?"
)
_SLASHED = re.compile(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})")
_DURATION = re.compile(r"(?:(\d+):)?(\d{1,2}):(\d{2})")
_MINUTES_SECONDS = re.compile(r"(?:(\d+)\s*m(?:in(?:utes?)?)?)?\s*(?:(\d+)\s*s(?:ec(?:onds?)?)?)?")
_TIMESTAMP = re.compile(
    r"\s*(?:\d{1,2}:)?\d{1,2}:\d{2}\s*(?:[-–]\s*(?:\d{1,2}:)?\d{1,2}:\d{2}\s*)?"
)


class ValueProblem(CompanionError):
    """A value that is not what was asked for; callers add the file, line and key."""


class NotADate(ValueProblem):
    """Text that is not a year-first date; ``advice`` says how to write it when it can."""

    def __init__(self, value: Any) -> None:
        self.advice = _date_advice(value)
        said = str(value).strip()[:40]
        super().__init__(
            f"'{said}' is not a date like {DATE_EXAMPLE}"
            + (f"; {self.advice}" if self.advice else "")
        )

    @property
    def suffix(self) -> str:
        """The advice as an ending for a caller's own message ('' when there is none)."""
        return f"; {self.advice}" if self.advice else ""


class NotYesNo(ValueProblem):
    """A value given where yes or no is asked that is neither."""

    def __init__(self, value: Any) -> None:
        super().__init__(f"'{str(value).strip()[:40]}' is not yes or no (true/false)")


def text(value: Any) -> str:
    """A reference, title, place or name as typed: trimmed, a YAML date as ISO, '' for none."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value).strip()


def _date_advice(value: Any) -> str:
    match = _SLASHED.fullmatch(str(value).strip())
    if not match:
        return ""
    first, second, year = (int(g) for g in match.groups())
    readings = []
    for day, month in ((first, second), (second, first)):
        try:
            readings.append(dt.date(year, month, day))
        except ValueError:
            continue
    readings = list(dict.fromkeys(readings))
    if not readings:
        return ""
    if len(readings) == 1:
        return f"write it year first: {readings[0].isoformat()}"
    uk, us = readings
    return (
        f"write it year first: {uk.isoformat()} for {uk.day} {uk:%B}, "
        f"or {us.isoformat()} for {us.day} {us:%B}"
    )


def read_date(value: Any) -> dt.date | None:
    """The day ``value`` names, ``None`` when blank; ``NotADate`` for anything else."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and not value.strip():
        return None
    if isinstance(value, str):
        match = _DATE.fullmatch(value.strip())
        if match:
            try:
                return dt.date.fromisoformat(match.group(1))
            except ValueError:
                pass
    raise NotADate(value)


def parse_date(value: Any) -> dt.date | None:
    """The day ``value`` names, or ``None`` when it is blank or not a date (for checks that
    flag a bad date themselves)."""
    try:
        return read_date(value)
    except NotADate:
        return None


def read_yes_no(value: Any, default: bool = False) -> bool:
    """True or False from a yes/no word or a YAML boolean; ``default`` when blank;
    ``NotYesNo`` for anything else."""
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        word = value.strip().lower()
        if not word:
            return default
        if word in YES_WORDS:
            return True
        if word in NO_WORDS:
            return False
    raise NotYesNo(value)


def is_yes(value: Any) -> bool:
    """True only for a yes (see ``read_yes_no``): blank and what is not a yes/no are not."""
    try:
        return read_yes_no(value)
    except NotYesNo:
        return False


def parse_duration(value: Any) -> int | None:
    """Seconds from ``4:30``, ``1:02:03``, a number of seconds or ``5m``/``90s``/``5m 30s``.

    ``None`` when the value is not a duration, and for a zero one ("0:00" is the template's
    blank, not a length) or an impossible one (negative, infinite, not a number).
    """
    if value is None or isinstance(value, bool):
        return None
    seconds: int | None = None
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            return None
        seconds = int(value)
    else:
        said = str(value).strip().lower()
        match = _DURATION.fullmatch(said)
        if match:
            hours = int(match.group(1) or 0)
            seconds = hours * 3600 + int(match.group(2)) * 60 + int(match.group(3))
        else:
            match = _MINUTES_SECONDS.fullmatch(said)
            if match and (match.group(1) or match.group(2)):
                seconds = int(match.group(1) or 0) * 60 + int(match.group(2) or 0)
    if seconds is None or seconds <= 0:
        return None
    return seconds


def is_timestamp(value: Any) -> bool:
    """True for a place in a recording: ``m:ss``, ``h:mm:ss`` or a range of them."""
    return bool(_TIMESTAMP.fullmatch(text(value)))


def closest(typed: str, known: list[str] | tuple[str, ...]) -> str | None:
    """The known word ``typed`` is most likely a misspelling of, or ``None``."""
    found = get_close_matches(typed.strip().lower(), list(known), n=1, cutoff=0.75)
    return found[0] if found else None
