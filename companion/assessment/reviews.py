"""Progress reviews: the ones held, who signed them, and when the next is due or overdue.

A review is a note of type ``progress-review`` (the record of the meeting, the learner's own),
and its sign-off is either filled in on the note or a signed file imported from the meeting
(``companion.review.signoff``). How often reviews are due comes from the funding rule the
start date selects, or the interval the learner agreed in their training plan.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from companion import clock
from companion.assessment.funding import ReviewRule, review_rule
from companion.assessment.otj import otj_status
from companion.assessment.status import Status
from companion.errors import CompanionError
from companion.notes.record import NoteRecord
from companion.portfolio.hours import hours_text
from companion.portfolio.programme import MAX_PERSON
from companion.portfolio.templates import (
    PARTIES,
    REVIEW_TYPE,
    review_note_text,
    review_path,
    write_new,
)
from companion.review.signoff import (
    BY_FILE,
    PortfolioSignOffs,
    Signature,
    SignOff,
    portfolio_signoffs,
)
from companion.text.values import is_yes, parse_date


@dataclass(frozen=True)
class Target:
    """A target set at a review, and when it is due."""

    text: str
    due: dt.date | None = None
    done: bool = False


ON_NOTE = "note"
"""The method of a signature filled in on the review record itself."""


@dataclass(frozen=True)
class Signer:
    """Who signed a review for one party, when, and how: what a reader needs to trust it."""

    role: str
    name: str
    date: dt.date | None
    method: str = BY_FILE
    """``typed-name`` (the signing page), ``file`` (the sign-off file) or ``note``."""

    @property
    def how(self) -> str:
        """How they signed, in words."""
        if self.method == ON_NOTE:
            return "signed on the review record"
        return Signature(method=self.method).how

    def line(self) -> str:
        """``employer: Jo Smith on 2026-11-21, signed in the browser by typing their name``."""
        when = f" on {self.date.isoformat()}" if self.date else ""
        return f"{self.role}: {self.name}{when}, {self.how}"

    def to_json(self) -> dict[str, Any]:
        """For ``companion reviews --json``."""
        return {
            "role": self.role,
            "name": self.name,
            "date": self.date.isoformat() if self.date else None,
            "method": self.method,
        }


@dataclass(frozen=True)
class Review:
    """One progress review held: its record, targets and sign-off."""

    path: str
    date: dt.date
    title: str
    targets: tuple[Target, ...] = ()
    signed_on_note: tuple[Signer, ...] = ()
    signoff: SignOff | None = None

    @property
    def signers(self) -> list[Signer]:
        """Who signed for each party, in the review's order: an imported sign-off first
        (it is the file the others signed), else the review record."""
        found: list[Signer] = []
        on_note = {s.role: s for s in self.signed_on_note}
        for key, _ in PARTIES:
            party = self.signoff.parties.get(key) if self.signoff else None
            if party is not None and party.signed:
                found.append(Signer(key, party.name, party.date, party.method or BY_FILE))
            elif key in on_note:
                found.append(on_note[key])
        return found

    @property
    def signed(self) -> list[str]:
        """The roles that signed, on the note or in an imported sign-off."""
        return [s.role for s in self.signers]

    @property
    def fully_signed(self) -> bool:
        """True when apprentice, employer and provider have all signed."""
        return len(self.signed) == len(PARTIES)


@dataclass(frozen=True)
class ReviewSchedule:
    """The reviews held and the next one due."""

    reviews: tuple[Review, ...]
    rule: ReviewRule
    today: dt.date
    next_due: dt.date | None
    late: tuple[tuple[dt.date, dt.date, dt.date], ...] = ()
    """Past reviews held late: (previous review or start, the review, when it was due)."""
    undated: tuple[str, ...] = ()
    signoffs: PortfolioSignOffs = field(default_factory=PortfolioSignOffs)
    after_gateway: bool = False
    """True once the planned gateway has passed: the practical period, and its reviews, end."""

    @property
    def last(self) -> Review | None:
        """The latest review held."""
        return self.reviews[-1] if self.reviews else None

    @property
    def overdue(self) -> int:
        """Days the next review is overdue (0 when it is not)."""
        if self.next_due is None or self.after_gateway:
            return 0
        return max((self.today - self.next_due).days, 0)

    def line(self) -> str:
        """One line for the dashboard and the gateway: due, overdue, or no interval known."""
        last = self.last
        held = f"last on {last.date.isoformat()}" if last else "none held yet"
        if self.rule.interval is None:
            return (
                f"Progress reviews: {held}. No review interval could be sourced for your start "
                "date; set review_every in companion.yaml to the one in your training plan."
            )
        every = self.rule.interval.describe()
        rule = self.rule.rule
        if rule is not None and rule.caveat and not self.rule.agreed:
            every += f" {rule.caveat}"
        if self.after_gateway:
            return f"Progress reviews (every {every}): {held}; the planned gateway has passed."
        assert self.next_due is not None
        if self.overdue:
            return (
                f"Progress review OVERDUE by {self.overdue} days: due by "
                f"{self.next_due.isoformat()} (every {every}; {held})."
            )
        days = (self.next_due - self.today).days
        return (
            f"Next progress review due by {self.next_due.isoformat()}, in {days} days "
            f"(every {every}; {held})."
        )

    def to_json(self) -> dict[str, Any]:
        """For ``companion reviews --json``."""
        interval = self.rule.interval
        return {
            "date": self.today.isoformat(),
            "interval": interval.describe() if interval else None,
            "source": self.rule.source,
            "confirmed": self.rule.rule.confirmed if self.rule.rule else None,
            "next_due": self.next_due.isoformat() if self.next_due else None,
            "overdue_days": self.overdue,
            "reviews": [
                {
                    "note": r.path,
                    "date": r.date.isoformat(),
                    "title": r.title,
                    "signed": r.signed,
                    "signatures": [s.to_json() for s in r.signers],
                    "signoff_file": str(r.signoff.path.name)
                    if r.signoff and r.signoff.path
                    else None,
                    "targets": [
                        {
                            "target": t.text,
                            "due": t.due.isoformat() if t.due else None,
                            "done": t.done,
                        }
                        for t in r.targets
                    ],
                }
                for r in self.reviews
            ],
            "late": [
                {"after": a.isoformat(), "held": b.isoformat(), "due": c.isoformat()}
                for a, b, c in self.late
            ],
            "undated": list(self.undated),
            "problems": list(self.signoffs.problems),
        }


def _targets(value: Any) -> tuple[Target, ...]:
    targets = []
    for item in value if isinstance(value, list) else []:
        if isinstance(item, dict):
            text = str(item.get("target") or "").strip()
            if text:
                targets.append(
                    Target(text[:300], parse_date(item.get("due")), is_yes(item.get("done")))
                )
        elif isinstance(item, str) and item.strip():
            targets.append(Target(item.strip()[:300]))
    return tuple(targets)


def _signed(value: Any) -> tuple[Signer, ...]:
    parties = value if isinstance(value, dict) else {}
    signed = []
    for key, _ in PARTIES:
        party = parties.get(key)
        if not isinstance(party, dict) or not is_yes(party.get("signed")):
            continue
        name, date = party.get("name"), parse_date(party.get("date"))
        if isinstance(name, str) and name.strip() and date is not None:
            signed.append(Signer(key, " ".join(name.split())[:MAX_PERSON], date, ON_NOTE))
    return tuple(signed)


def review_records(records: list[NoteRecord]) -> list[NoteRecord]:
    """The notes that record progress reviews."""
    return [
        r
        for r in records
        if not r.error and str(r.get("type") or "").strip().lower() == REVIEW_TYPE
    ]


def read_schedule(status: Status, today: dt.date) -> ReviewSchedule:
    """The reviews of the portfolio and the next one due on ``today``."""
    portfolio = status.portfolio
    profile = portfolio.profile
    signoffs = portfolio_signoffs(portfolio.root, profile)
    reviews: list[Review] = []
    undated: list[str] = []
    for record in review_records(list(portfolio.records.values())):
        date = parse_date(record.get("date"))
        if date is None:
            undated.append(record.path)
            continue
        reviews.append(
            Review(
                record.path,
                date,
                str(record.get("title") or record.path),
                _targets(record.get("targets")),
                _signed(record.get("signoff")),
                signoffs.for_review(date),
            )
        )
    reviews.sort(key=lambda r: (r.date, r.path))
    rule = review_rule(portfolio.content, profile, today)
    start, gateway = profile.programme_start, profile.planned_gateway
    late: list[tuple[dt.date, dt.date, dt.date]] = []
    next_due = None
    if rule.interval is not None and start is not None:
        previous = start
        for review in reviews:
            if review.date > today:
                break
            due = rule.interval.next_due(previous)
            if review.date > due:
                late.append((previous, review.date, due))
            previous = max(previous, review.date)
        next_due = rule.interval.next_due(previous)
    return ReviewSchedule(
        tuple(reviews),
        rule,
        today,
        next_due,
        tuple(late),
        tuple(undated),
        signoffs,
        after_gateway=bool(gateway and today > gateway),
    )


def review_schedule(status: Status, today: dt.date | None = None) -> ReviewSchedule:
    """``read_schedule`` on ``today``, worked out once per status and day and kept with it."""
    day = today or clock.today()
    kept = status.derived.get("reviews")
    if isinstance(kept, ReviewSchedule) and kept.today == day:
        return kept
    result = status.derived["reviews"] = read_schedule(status, day)
    return result


class ReviewError(CompanionError):
    """A review record that cannot be made; the message says why."""


def new_review(status: Status, day: dt.date) -> Path:
    """Write the record of a review on ``day``: progress per unit and OTJ to date filled in."""
    portfolio = status.portfolio
    path = review_path(portfolio, day)
    if path.exists() or path.is_symlink():
        raise ReviewError(f"{path} already exists; edit it in your editor")
    units = []
    for unit in portfolio.content.units:
        rollup = status.progress.units[unit.id]
        units.append(
            (
                unit.id,
                unit.title,
                f"{rollup.sufficient}/{rollup.total} ACs sufficient, "
                f"{rollup.in_progress} in progress",
            )
        )
    otj = otj_status(status, day)
    figures = {"hours_to_date": otj.done, "planned_to_date": otj.planned, "required": otj.required}
    otj_fields = {k: hours_text(v) for k, v in figures.items() if v is not None}
    try:
        return write_new(path, review_note_text(portfolio.profile, day, units, otj_fields))
    except OSError as exc:
        raise ReviewError(f"{path} could not be written: {exc.strerror or exc}") from None
