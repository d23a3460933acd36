"""The funding rules as data: each dated rule, its values and the sources it comes from.

Plain frozen dataclasses (read by ``companion.content.funding``), so the rest of the app works
with validated, immutable rules. Their intervals ("every 12 weeks", "every 3 calendar
months") are ``companion.content.interval.Interval``, which the profile reads too.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from companion.content.interval import Interval


@dataclass(frozen=True)
class Citation:
    """Where a rule's words come from, and how much weight the source can bear (``kind``)."""

    document: str = ""
    year: str = ""
    paragraph: str = ""
    url: str = ""
    kind: str = ""
    quote: str = ""
    value: str = ""
    note: str = ""

    def line(self) -> str:
        """The citation in one line: document, paragraph, and the kind unless primary."""
        text = self.document or self.url or "source not named"
        if self.paragraph:
            text += f", paragraph {self.paragraph}"
        if self.kind and self.kind != "primary":
            text += f" ({self.kind})"
        return text


@dataclass(frozen=True)
class Conflict:
    """Sources that disagree on a point; every side is kept."""

    about: str
    sides: tuple[Citation, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class OtjMinimum:
    """How a rule works out the off-the-job minimum (the numbers companion calculates with)."""

    method: str
    percent: Decimal | None = None
    hours: Decimal | None = None
    full_time_hours: Decimal | None = None
    part_time_percent: Decimal | None = None
    weekly_hours_cap: Decimal | None = None
    statutory_leave_excluded: bool = False
    statutory_leave_weeks_per_year: Decimal | None = None
    round_to_whole: tuple[str, ...] = ()
    floor_hours: Decimal | None = None
    published_hours: Decimal | None = None
    reduced_for_prior_learning: bool = False
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class OtjKind:
    """A kind of activity an OTJ log entry can be, and whether the rules count it as OTJ."""

    id: str
    label: str
    counts: bool
    under: str
    """The item of the rule's ``counts`` or ``does_not_count`` list it falls within."""


@dataclass(frozen=True)
class EnglishMaths:
    """Whether English and maths qualifications are required, and at what level."""

    required: bool
    level: int | None = None
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Eligibility:
    """Who is government-funded: the oldest age at the start, generally and for care leavers."""

    age_at_start_max: int | None = None
    care_leaver_or_ehcp_age_at_start_max: int | None = None
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Term:
    """A word the rules of a year use in place of an older one (``gateway`` ->
    ``gateway to completion``)."""

    word: str
    reformed: str


@dataclass(frozen=True)
class FundingRule:
    """One dated rule: what it says, the dates it applies to, its values and its sources."""

    id: str
    topic: str
    text: str
    keyed_on: str
    applies_from: dt.date | None
    applies_to: dt.date | None
    source: Citation
    conditions: dict[str, int] = field(default_factory=dict)
    also: tuple[Citation, ...] = ()
    conflicts: tuple[Conflict, ...] = ()
    unsourced: bool = False
    why: str = ""
    note: str = ""
    otj: OtjMinimum | None = None
    kinds: tuple[OtjKind, ...] = ()
    interval: Interval | None = None
    """The review interval (progress-review) or how often learning happens (otj-delivery)."""
    english_maths: EnglishMaths | None = None
    minimum_months: int | None = None
    extend_below_hours: int | None = None
    eligibility: Eligibility | None = None
    terms: tuple[Term, ...] = ()
    """The words these rules use for ones companion shows (terms rules)."""
    rules_year: str = ""
    """The funding rules year the rule belongs to, in words (``2026 to 2027``)."""
    confirmed: bool = True
    """False when the rules year's value could not be read from a source: the value is then
    the one of ``carried_from``, shown with a caveat, never silently."""
    carried_from: str = ""
    carried_year: str = ""
    """The rules year of ``carried_from``, for the caveat."""
    details: dict[str, Any] = field(default_factory=dict)
    """Everything else the rule states (attendees, what a review covers, ...), for display."""
    line: int = 0

    @property
    def caveat(self) -> str:
        """``(2026 to 2027 rules: not confirmed; the 2025 to 2026 value is shown)``, or ``""``."""
        if self.confirmed:
            return ""
        year = self.rules_year or self.period
        carried = self.carried_year or self.carried_from
        return f"({year} rules: not confirmed; the {carried} value is shown)"

    def applies_on(self, day: dt.date) -> bool:
        """True when ``day`` falls within the rule's dates (both ends inclusive)."""
        if self.applies_from is not None and day < self.applies_from:
            return False
        return self.applies_to is None or day <= self.applies_to

    @property
    def period(self) -> str:
        """The dates in words: ``from 2025-08-01``, ``up to 2022-07-31``, or both."""
        start, end = self.applies_from, self.applies_to
        if start and end:
            return f"{start.isoformat()} to {end.isoformat()}"
        if start:
            return f"from {start.isoformat()}"
        if end:
            return f"up to {end.isoformat()}"
        return "at any date"

    @property
    def reason(self) -> str:
        """How a message cites the rule: its source, then what it says (and any caveat)."""
        caveat = f" {self.caveat}" if self.caveat else ""
        return f"{self.source.line()}: {self.text}{caveat}"

    def term(self, word: str) -> str:
        """The reformed word these rules use for ``word``, or ``""`` (terms rules)."""
        return next((t.reformed for t in self.terms if t.word == word), "")

    def kind(self, kind_id: str) -> OtjKind | None:
        """The log kind with this id (otj-eligibility rules)."""
        return next((k for k in self.kinds if k.id == kind_id), None)


@dataclass(frozen=True)
class FundingRules:
    """Every rule of a framework's ``funding.yaml``."""

    path: Path
    rules: tuple[FundingRule, ...]

    def topic(self, topic: str) -> tuple[FundingRule, ...]:
        """The rules answering one question, in the order the file gives them."""
        return tuple(r for r in self.rules if r.topic == topic)

    def rule(self, rule_id: str) -> FundingRule | None:
        """The rule with this id."""
        return next((r for r in self.rules if r.id == rule_id), None)
