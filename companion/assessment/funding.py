"""Which funding rule applies to this apprentice, and what it comes to for them.

Every function here is plain arithmetic on the rules of ``funding.yaml`` and the programme
details of ``companion.yaml``: the rule is chosen by the learner's programme start (or, for a
rule keyed on the check date, by the day of the check), never by a date written in code.
Hours are exact (fractions of minutes, rounded once at the end), so the figures agree with
the worked examples the rules give.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from fractions import Fraction

from companion.content.funding import FundingRule, Interval
from companion.content.model import Content
from companion.portfolio.hours import hours_text
from companion.portfolio.profile import Profile

WEEKS_PER_YEAR = 52


def select(
    content: Content, topic: str, profile: Profile, check_date: dt.date
) -> FundingRule | None:
    """The rule of ``topic`` for this apprentice: by programme start, or by ``check_date``
    for rules keyed on the day of the check. ``None`` when no rule (or no start) applies."""
    funding = content.funding
    if funding is None:
        return None
    for rule in funding.topic(topic):
        day = check_date if rule.keyed_on == "check_date" else profile.programme_start
        if day is not None and rule.applies_on(day):
            return rule
    return None


def _half_up(value: Fraction) -> int:
    return math.floor(value + Fraction(1, 2))


@dataclass(frozen=True)
class OtjRequirement:
    """The off-the-job hours required in total, and how they were worked out."""

    rule: FundingRule | None
    total: int | None
    """Minutes required by gateway; ``None`` when it cannot be worked out yet."""
    how: str = ""
    missing: str = ""
    """What to set in companion.yaml when ``total`` is ``None``."""
    notes: tuple[str, ...] = ()


def _practical_weeks(profile: Profile) -> Fraction | None:
    start, end = profile.programme_start, profile.planned_gateway
    if start is None or end is None or end <= start:
        return None
    return Fraction((end - start).days, 7)


def otj_requirement(content: Content, profile: Profile, today: dt.date) -> OtjRequirement:
    """The OTJ minimum for this apprentice under the rule their start date selects."""
    rule = select(content, "otj-minimum", profile, today)
    if rule is None or rule.otj is None:
        if profile.programme_start is None:
            return OtjRequirement(None, None, missing="Set programme_start in companion.yaml.")
        return OtjRequirement(None, None, missing="No off-the-job rule covers your start date.")
    otj = rule.otj
    programme = profile.programme
    if otj.method == "published-minimum":
        return _published(rule, profile)
    weeks = _practical_weeks(profile)
    if weeks is None:
        return OtjRequirement(
            rule, None, missing="Set programme_start and planned_gateway in companion.yaml."
        )
    if programme.hours_per_week is None:
        return OtjRequirement(
            rule, None, missing="Set hours_per_week (your contracted hours) in companion.yaml."
        )
    hours = Fraction(programme.hours_per_week, 60)
    if "weeks" in otj.round_to_whole:
        weeks = Fraction(_half_up(weeks))
    leave = Fraction(0)
    if otj.statutory_leave_excluded and otj.statutory_leave_weeks_per_year is not None:
        leave = Fraction(otj.statutory_leave_weeks_per_year) * weeks / WEEKS_PER_YEAR
    if otj.method == "percent-of-hours":
        assert otj.percent is not None
        counted = hours
        if otj.weekly_hours_cap is not None:
            counted = min(hours, Fraction(otj.weekly_hours_cap))
        weekly = Fraction(otj.percent) / 100 * counted
        how = f"{otj.percent}% of {_num(counted)} hours a week"
    else:
        assert otj.hours is not None and otj.full_time_hours is not None
        assert otj.part_time_percent is not None
        full = Fraction(otj.full_time_hours)
        if hours >= full:
            weekly = Fraction(otj.hours)
            how = f"{_num(weekly)} hours a week (full time: {_num(full)}+ hours a week)"
        else:
            weekly = Fraction(otj.part_time_percent) / 100 * hours
            how = f"{otj.part_time_percent}% of {_num(hours)} hours a week (part time)"
    total_hours = weekly * (weeks - leave)
    if "hours" in otj.round_to_whole:
        total_hours = Fraction(_half_up(total_hours))
    how += f" over {_num(weeks)} weeks"
    if leave:
        how += f" less {_num(leave)} weeks of statutory leave"
    return OtjRequirement(rule, math.ceil(total_hours * 60), how)


def _published(rule: FundingRule, profile: Profile) -> OtjRequirement:
    otj = rule.otj
    assert otj is not None
    programme = profile.programme
    floor = math.ceil(Fraction(otj.floor_hours or 0) * 60)
    notes: list[str] = []
    if otj.published_hours is not None:
        base = math.ceil(Fraction(otj.published_hours) * 60)
        how = f"the published minimum of {hours_text(base)} hours"
        if otj.reduced_for_prior_learning and programme.otj_prior_learning:
            base -= programme.otj_prior_learning
            how += f" less {hours_text(programme.otj_prior_learning)} hours of prior learning"
    elif programme.otj_planned is not None:
        base = programme.otj_planned
        how = (
            f"the {hours_text(base)} hours your provider planned (otj_planned_hours): the "
            "standard's published minimum could not be sourced"
        )
    else:
        return OtjRequirement(
            rule,
            None,
            missing=(
                "Enter the off-the-job total your provider planned as otj_planned_hours in "
                "companion.yaml: the published minimum for this standard could not be sourced."
            ),
        )
    if base < floor:
        notes.append(
            f"{hours_text(base)} hours is below the {hours_text(floor)}-hour floor the rules "
            f"never go under; {hours_text(floor)} hours is required."
        )
        base = floor
    return OtjRequirement(rule, base, how, notes=tuple(notes))


def _num(value: Fraction) -> str:
    if value.denominator == 1:
        return str(value.numerator)
    return f"{float(value):.2f}".rstrip("0").rstrip(".")


def planned_by(requirement: OtjRequirement, profile: Profile, day: dt.date) -> int | None:
    """Minutes planned by the end of ``day``: the total spread evenly from start to gateway.

    The rules let delivery be uneven; an even spread is the plan companion measures against.
    """
    start, end = profile.programme_start, profile.planned_gateway
    if requirement.total is None or start is None or end is None or end <= start:
        return None
    elapsed = min(max((day - start).days + 1, 0), (end - start).days)
    return requirement.total * elapsed // (end - start).days


@dataclass(frozen=True)
class ReviewRule:
    """How often progress reviews are due for this apprentice, and on whose say-so."""

    interval: Interval | None
    rule: FundingRule | None
    agreed: bool = False
    """True when the interval is the one the learner set (``review_every``)."""

    @property
    def source(self) -> str:
        """Where the interval comes from, for messages."""
        if self.agreed:
            return "review_every in companion.yaml (your training plan)"
        return self.rule.reason if self.rule else ""


def review_rule(content: Content, profile: Profile, today: dt.date) -> ReviewRule:
    """The review interval: the learner's agreed one if set, else the rule's (may be none)."""
    rule = select(content, "progress-review", profile, today)
    if profile.programme.review_every is not None:
        return ReviewRule(profile.programme.review_every, rule, agreed=True)
    return ReviewRule(rule.interval if rule else None, rule)


@dataclass(frozen=True)
class EnglishMathsRule:
    """Whether English and maths at a level is needed before gateway, and why."""

    required: bool | None
    """``None`` when it depends on something not yet in companion.yaml (the age at start)."""
    level: int | None
    rule: FundingRule | None
    reason: str


def _conditions_met(rule: FundingRule, content: Content, profile: Profile) -> bool | None:
    level = content.standard.level
    for key, value in rule.conditions.items():
        if key == "apprenticeship_level_min" and (level is None or level < value):
            return False
        if key == "apprenticeship_level" and level != value:
            return False
        if key == "age_at_programme_start_min":
            age = profile.programme.age_at_start
            if age is None:
                return None
            if age < value:
                return False
    return True


def english_maths_rule(
    content: Content, profile: Profile, today: dt.date, epa_level: int | None
) -> EnglishMathsRule:
    """The English and maths requirement on ``today`` for this apprentice."""
    rule = select(content, "english-maths", profile, today)
    if rule is None or rule.english_maths is None:
        return EnglishMathsRule(True, epa_level, None, "the assessment plan")
    met = _conditions_met(rule, content, profile)
    level = rule.english_maths.level or epa_level
    if rule.english_maths.required:
        return EnglishMathsRule(met is not False, level, rule, rule.reason)
    if met is None:
        return EnglishMathsRule(None, level, rule, rule.reason)
    return EnglishMathsRule(not met, level, rule, rule.reason)


@dataclass(frozen=True)
class Duration:
    """The minimum practical period under the funding rules, extended for part-time hours."""

    months: Fraction
    rule: FundingRule

    @property
    def text(self) -> str:
        """``12 months`` or ``16.8 months``."""
        return f"{_num(self.months)} months"


def minimum_duration(content: Content, profile: Profile, today: dt.date) -> Duration | None:
    """The rules' minimum practical period for this start date, or ``None``."""
    rule = select(content, "minimum-duration", profile, today)
    if rule is None or rule.minimum_months is None:
        return None
    months = Fraction(rule.minimum_months)
    hours = profile.programme.hours_per_week
    if rule.extend_below_hours and hours and Fraction(hours, 60) < rule.extend_below_hours:
        months = months * rule.extend_below_hours / Fraction(hours, 60)
    return Duration(months, rule)


def funding_notes(content: Content, profile: Profile, today: dt.date) -> list[str]:
    """Information the rules give about this programme that is worth knowing, never a block."""
    notes: list[str] = []
    rule = select(content, "funding-eligibility", profile, today)
    if rule is not None and rule.eligibility is not None:
        met = _conditions_met(rule, content, profile)
        age = profile.programme.age_at_start
        top = rule.eligibility.age_at_start_max
        care = rule.eligibility.care_leaver_or_ehcp_age_at_start_max
        if met is not False and top is not None:
            if age is None:
                notes.append(
                    f"{rule.text} Set age_at_start in companion.yaml to see whether it affects you."
                )
            elif age > top:
                also = f" (or {care} if a care leaver or with an EHC plan)" if care else ""
                notes.append(
                    f"{rule.text} At {age} you are over {top}{also}: your programme may be "
                    "employer-funded, and the funding rules may not bind it. "
                    f"Source: {rule.source.line()}."
                )
    return notes


def termed(content: Content, profile: Profile, today: dt.date, label: str, word: str) -> str:
    """``label`` with the word the learner's rules use for ``word`` beside it, when they use
    another: ``Gateway (gateway to completion)``. Chosen by date like every other rule."""
    rule = select(content, "terms", profile, today)
    reformed = rule.term(word) if rule is not None else ""
    return f"{label} ({reformed})" if reformed else label
