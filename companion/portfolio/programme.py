"""The programme details the funding rules ask about, read from ``companion.yaml``.

Which off-the-job minimum applies, how many hours it comes to, how often reviews fall due and
whether Level 2 English and maths is still needed all depend on facts only the apprentice
knows: contracted hours, age at the start, the planned total their provider gave them, an
exemption agreed with the employer. Each is optional; what is missing is asked for where it
is needed, never guessed.

``age_at_start`` is kept rather than a date of birth: the rules ask only for the age at the
(original) start, and a birth date is personal data the portfolio does not need to hold.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from companion.content.interval import Interval
from companion.errors import CompanionError
from companion.portfolio.hours import HoursError, parse_hours
from companion.portfolio.layout import PROFILE_FILE
from companion.text.names import line_problem, tidy
from companion.text.values import (
    NotADate,
    NotAWholeNumber,
    near_hint,
    read_date,
    read_whole_number,
)

PROFILE_NAME = PROFILE_FILE
MAX_PERSON = 200
"""The longest name of a person (line manager, tutor) the profile accepts."""
MAX_DUTIES = 50
_EVERY = re.compile(r"(\d{1,3})\s*(weeks?|calendar\s+months?|months?)")


class ProgrammeError(CompanionError):
    """A programme detail in ``companion.yaml`` that cannot be used; the message says why."""


@dataclass(frozen=True)
class Exemption:
    """English and maths not taken, as agreed and recorded: when, and who confirmed it."""

    date: dt.date
    confirmed_by: str


@dataclass(frozen=True)
class Programme:
    """What the funding rules need to know about the apprentice's programme."""

    hours_per_week: int | None = None
    """Contracted (normal, paid, no overtime) working minutes a week."""
    working_day: int | None = None
    """Minutes of a normal working day; ``None`` means a fifth of the week."""
    age_at_start: int | None = None
    otj_planned: int | None = None
    """Minutes of off-the-job training the provider planned in total (their figure)."""
    otj_prior_learning: int = 0
    """Minutes taken off the published minimum for recognised prior learning."""
    review_every: Interval | None = None
    """The review interval agreed in the training plan, where the learner sets one."""
    english_maths_exemption: Exemption | None = None
    normal_duties: tuple[str, ...] = ()
    line_manager: str = ""
    tutor: str = ""

    @property
    def day_minutes(self) -> int | None:
        """The normal working day in minutes: as set, else a fifth of the week."""
        if self.working_day is not None:
            return self.working_day
        return self.hours_per_week // 5 if self.hours_per_week else None


def person(value: Any, key: str) -> str:
    """A person's name: one line of text, at most ``MAX_PERSON`` characters."""
    if value is None or value == "":
        return ""
    if not isinstance(value, str):
        raise ProgrammeError(f"{PROFILE_NAME}: '{key}' must be a name")
    name = tidy(value)
    problem = line_problem(name, MAX_PERSON)
    if problem:
        raise ProgrammeError(f"{PROFILE_NAME}: '{key}' {problem}")
    return name


def parse_every(text: str, where: str) -> Interval:
    """``12 weeks``, ``3 calendar months`` or ``3 months`` as an interval."""
    match = _EVERY.fullmatch(" ".join(text.lower().split()))
    if not match or int(match.group(1)) < 1:
        raise ProgrammeError(
            f"{where} must be like '12 weeks' or '3 calendar months', not '{text[:40]}'"
        )
    count = int(match.group(1))
    if match.group(2).startswith("week"):
        return Interval(weeks=count)
    return Interval(calendar_months=count)


def _minutes(data: dict[str, Any], key: str, *, limit: int | None) -> int | None:
    value = data.get(key)
    if value is None or value == "":
        return None
    try:
        return parse_hours(value, f"{PROFILE_NAME}: '{key}'", limit=limit)
    except HoursError as exc:
        raise ProgrammeError(exc.message) from None


def _age(value: Any) -> int | None:
    try:
        return read_whole_number(value, 14, 99)
    except NotAWholeNumber:
        raise ProgrammeError(
            f"{PROFILE_NAME}: 'age_at_start' must be your age in whole years when the "
            "programme started, e.g. 34"
        ) from None


def _exemption(value: Any) -> Exemption | None:
    if value is None or value == "":
        return None
    key = "english_maths_exemption"
    if not isinstance(value, dict):
        raise ProgrammeError(f"{PROFILE_NAME}: '{key}' must have 'date' and 'confirmed_by'")
    unknown = sorted(str(k) for k in value if k not in ("date", "confirmed_by"))
    if unknown:
        raise ProgrammeError(
            f"{PROFILE_NAME}: '{key}' takes only 'date' and 'confirmed_by', not "
            f"'{unknown[0][:40]}'{near_hint(unknown[0], ('date', 'confirmed_by'))}"
        )
    try:
        date = read_date(value.get("date"))
        advice = ""
    except NotADate as exc:
        date, advice = None, exc.suffix
    if date is None:
        raise ProgrammeError(f"{PROFILE_NAME}: '{key}.date' must be a date like 2025-03-10{advice}")
    who = person(value.get("confirmed_by"), f"{key}.confirmed_by")
    if not who:
        raise ProgrammeError(f"{PROFILE_NAME}: '{key}.confirmed_by' must say who confirmed it")
    return Exemption(date, who)


def _duties(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    items = value if isinstance(value, list) else None
    if items is None or not all(isinstance(i, str) for i in items) or len(items) > MAX_DUTIES:
        raise ProgrammeError(
            f"{PROFILE_NAME}: 'normal_duties' must be a list of at most {MAX_DUTIES} phrases"
        )
    return tuple(p for i in items if (p := " ".join(i.split()).lower()[:100]))


PROGRAMME_KEYS = (
    "hours_per_week",
    "working_day_hours",
    "age_at_start",
    "otj_planned_hours",
    "otj_prior_learning_hours",
    "review_every",
    "english_maths_exemption",
    "normal_duties",
    "line_manager",
    "tutor",
)
"""The profile's keys ``read_programme`` reads."""


def read_programme(data: dict[str, Any]) -> Programme:
    """The programme details among the profile's fields (all optional)."""
    every = data.get("review_every")
    if every is not None and not isinstance(every, str):
        raise ProgrammeError(f"{PROFILE_NAME}: 'review_every' must be like '12 weeks'")
    return Programme(
        hours_per_week=_minutes(data, "hours_per_week", limit=7 * 24 * 60),
        working_day=_minutes(data, "working_day_hours", limit=24 * 60),
        age_at_start=_age(data.get("age_at_start")),
        otj_planned=_minutes(data, "otj_planned_hours", limit=None),
        otj_prior_learning=_minutes(data, "otj_prior_learning_hours", limit=None) or 0,
        review_every=parse_every(every, f"{PROFILE_NAME}: 'review_every'") if every else None,
        english_maths_exemption=_exemption(data.get("english_maths_exemption")),
        normal_duties=_duties(data.get("normal_duties")),
        line_manager=person(data.get("line_manager"), "line_manager"),
        tutor=person(data.get("tutor"), "tutor"),
    )
