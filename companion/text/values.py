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
- A duration is ``m:ss`` or ``h:mm:ss``, ``1h30``/``5m``/``90s``/``5m 30s``, or a number
  of seconds.
- Hours (of training, of a programme) are a decimal or ``h:mm`` (``3.5``, ``3:30``), or
  ``1h30``/``1h``/``45m``; held as whole minutes, so a decimal that is not a whole number of
  minutes is refused with the ``h:mm`` to write instead.
- A whole number (an age) is written as one: ``34``, not ``"34"`` or ``34.0``.
- A yes/no is one of ``true yes y on`` or ``false no n off``, in any case; blank is the
  default (no). Anything else is neither, and is said to be.
- A key a file does not have is named with its line and the key it is closest to
  (``unknown_key``), whether the file then refuses it or goes on without it.

The rules for people are in docs/values.md.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

import yaml

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
_MINUTES_SECONDS = re.compile(
    r"(?:(\d+)\s*h(?:ours?|rs?)?)?\s*(?:(\d+)\s*m(?:in(?:utes?)?)?)?\s*(?:(\d+)\s*s(?:ec(?:onds?)?)?)?"
)
_HOURS_MINUTES = re.compile(
    r"(?:(\d{1,4})\s*h(?:ours?|rs?)?)\s*(?:(\d{1,2})\s*(?:m(?:in(?:utes?)?|ins)?)?)?"
)
_MINUTES_ONLY = re.compile(r"(\d{1,5})\s*m(?:in(?:utes?)?|ins)?")
_HMM = re.compile(r"(\d{1,4}):([0-5]\d)")
_DECIMAL = re.compile(r"\d{1,4}(?:\.\d+)?|\.\d+")
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
    """Seconds from ``4:30``, ``1:02:03``, a number of seconds or ``1h30m``/``5m``/``90s``/
    ``5m 30s``.

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
        elif (hm := _HOURS_MINUTES.fullmatch(said)) and int(hm.group(2) or 0) < 60:
            seconds = int(hm.group(1)) * 3600 + int(hm.group(2) or 0) * 60
        else:
            match = _MINUTES_SECONDS.fullmatch(said)
            if match and any(match.groups()):
                hours, minutes, secs = (int(g or 0) for g in match.groups())
                seconds = hours * 3600 + minutes * 60 + secs
    if seconds is None or seconds <= 0:
        return None
    return seconds


class NotHours(ValueProblem):
    """Hours that are not hours; the message says how to write them."""


MAX_ENTRY_MINUTES = 24 * 60
"""No single entry of training can be longer than a day."""


def read_hours(value: Any, what: str = "hours", *, limit: int | None = MAX_ENTRY_MINUTES) -> int:
    """Whole minutes from ``3.5``, ``3``, ``0.25``, ``3:30``, ``3h30``, ``3h`` or ``45m``;
    ``NotHours`` for anything else, for none at all and for more than ``limit`` minutes.

    Minutes, not hours as a float: a log of hundreds of entries must total exactly, and
    summing floats drifts (0.1 added ten times is not 1.0)."""
    if isinstance(value, bool) or value is None:
        raise NotHours(f"{what} must be hours like 3.5 or 3:30")
    said = str(value).strip()
    lowered = said.lower()
    minutes: int | None = None
    if match := _HMM.fullmatch(said):
        minutes = int(match.group(1)) * 60 + int(match.group(2))
    elif _DECIMAL.fullmatch(said):
        from decimal import Decimal, InvalidOperation  # exact, and only for hours in decimals

        try:
            exact = Decimal(said) * 60
        except InvalidOperation:  # pragma: no cover - the pattern admits only decimals
            raise NotHours(f"{what} must be hours like 3.5 or 3:30, not '{said}'") from None
        if exact != exact.to_integral_value():
            raise NotHours(
                f"{what} '{said}' is {exact.normalize():f} minutes, not a whole number; "
                f"write it as h:mm (e.g. {hmm(round(exact))})"
            )
        minutes = int(exact)
    elif (match := _HOURS_MINUTES.fullmatch(lowered)) and int(match.group(2) or 0) < 60:
        minutes = int(match.group(1)) * 60 + int(match.group(2) or 0)
    elif match := _MINUTES_ONLY.fullmatch(lowered):
        minutes = int(match.group(1))
    if minutes is None:
        raise NotHours(f"{what} must be hours like 3.5 or 3:30, not '{said[:40]}'")
    if minutes <= 0:
        raise NotHours(f"{what} must be more than 0")
    if limit is not None and minutes > limit:
        raise NotHours(f"{what} '{said}' is more than {limit // 60} hours")
    return minutes


def hmm(minutes: int) -> str:
    """Whole minutes as ``h:mm``: 90 is ``1:30``."""
    return f"{minutes // 60}:{minutes % 60:02d}"


class NotAWholeNumber(ValueProblem):
    """A value given where a whole number is asked that is not one, or out of range."""


def read_whole_number(value: Any, low: int, high: int) -> int | None:
    """A whole number written as one (``34``, no quotes, no decimal point), ``None`` when
    blank; ``NotAWholeNumber`` for text (``"34"``: quotes say it is text), a fraction,
    yes/no, or a number outside low..high."""
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise NotAWholeNumber(f"'{str(value).strip()[:40]}' is not a whole number")
    number = value
    if not low <= number <= high:
        raise NotAWholeNumber(f"{number} is not between {low:,} and {high:,}")
    return number


def is_timestamp(value: Any) -> bool:
    """True for a place in a recording: ``m:ss``, ``h:mm:ss`` or a range of them."""
    return bool(_TIMESTAMP.fullmatch(text(value)))


def closest(typed: str, known: list[str] | tuple[str, ...]) -> str | None:
    """The known word ``typed`` is most likely a misspelling of, or ``None``."""
    from difflib import get_close_matches  # only when a word is not known

    found = get_close_matches(typed.strip().lower(), list(known), n=1, cutoff=0.75)
    return found[0] if found else None


def near_hint(key: object, known: list[str] | tuple[str, ...]) -> str:
    """`` — did you mean 'x'?`` for the known key ``key`` is closest to; '' when none is."""
    near = closest(str(key), known)
    return f" — did you mean '{near}'?" if near else ""


def unknown_key(
    key: object, known: list[str] | tuple[str, ...], where: str = "", line: int = 0
) -> str:
    """What to say of a key a file (``where``, '' to leave it out) does not have, at
    ``line`` (1-based, 0 when not known): the key, and the one it is closest to, or the keys
    there are when none is close. Every file people write says an unknown key this way."""
    place = f"{where} line {line}: " if where and line else f"{where}: " if where else ""
    hint = near_hint(key, known) or f" (it has {', '.join(known)})"
    return f"{place}unknown key '{str(key)[:40]}'{hint}"


def key_lines(text: str, path: tuple[str, ...] = ()) -> dict[str, int]:
    """The (1-based) line of each key of the mapping at ``path`` in the YAML ``text`` (the
    top level for ``()``; a list's items by their index as text); {} when it is not there."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return {}
    for step in path:
        if isinstance(node, yaml.MappingNode):
            node = next(
                (v for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == step),
                None,
            )
        elif isinstance(node, yaml.SequenceNode) and step.isdigit() and int(step) < len(node.value):
            node = node.value[int(step)]
        else:
            return {}
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {
        str(key.value): key.start_mark.line + 1
        for key, _ in node.value
        if isinstance(key, yaml.ScalarNode)
    }
