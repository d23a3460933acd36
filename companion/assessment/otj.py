"""Off-the-job training: hours to date against the plan and the rules, and an implausible log.

The log is the learner's (``companion.portfolio.otj_log``); this module reads it against the
funding rule their start date selects: what counts, the total required, the share of it
planned by today, the weeks they fell behind, and each entry that cannot be right, with the
rule it breaks as the reason. An entry that the rules say is not off-the-job training (before
the start, in the future, English and maths, a duplicate) is flagged and left out of the total.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from companion import clock
from companion.assessment.funding import (
    Duration,
    OtjRequirement,
    funding_notes,
    minimum_duration,
    otj_requirement,
    planned_by,
    select,
)
from companion.assessment.severity import ERROR, WARNING, Severity
from companion.assessment.status import Status
from companion.content.funding import FundingRule, OtjKind
from companion.content.model import Content
from companion.portfolio.hours import hours_number, hours_text
from companion.portfolio.otj_log import Checker, Entry, OtjLog, read_log
from companion.portfolio.profile import Profile

LIST_AT_MOST = 5
_ENGLISH_MATHS = re.compile(
    r"\b(functional skills|maths?|mathematics|numeracy|english (?:and|&) maths|"
    r"gcse english|english (?:gcse|level \d|l\d|functional))\b",
    re.IGNORECASE,
)
_DUTIES = (
    "my normal duties",
    "my usual duties",
    "normal duties",
    "day job",
    "business as usual",
    "bau",
    "usual work",
    "routine work",
    "as part of my job",
)
"""Phrases that say an activity was the learner's own job, not new learning."""
_IN_LIEU = re.compile(r"\b(time off in lieu|toil|paid)\b", re.IGNORECASE)


@dataclass(frozen=True)
class OtjFlag:
    """An entry (or the log) that cannot be right, with the rule it breaks."""

    code: str
    severity: Severity
    message: str
    reason: str = ""
    line: int = 0
    number: int = 0

    def to_json(self) -> dict[str, Any]:
        """Plain mapping for JSON output."""
        return {
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "reason": self.reason,
            "line": self.line,
            "entry": self.number,
        }


@dataclass(frozen=True)
class Behind:
    """A week at whose end the learner had fallen more than a week's planned hours behind
    the plan, having not been so the week before."""

    week: int
    start: dt.date
    gap: int
    """Minutes behind at the end of that week."""


@dataclass(frozen=True)
class OtjStatus:
    """The log read against the rules on one day."""

    log: OtjLog
    requirement: OtjRequirement
    today: dt.date
    entries: tuple[Entry, ...]
    """Every valid entry, in date order (then log order)."""
    counted: frozenset[int]
    """The numbers of the entries that count towards the total."""
    done: int
    planned: int | None
    fell_behind: tuple[Behind, ...] = ()
    weeks_behind: int = 0
    months: tuple[tuple[str, int], ...] = ()
    running: dict[int, int] = field(default_factory=dict)
    flags: tuple[OtjFlag, ...] = ()
    kinds: tuple[OtjKind, ...] = ()
    duration: Duration | None = None
    notes: tuple[str, ...] = ()

    @property
    def required(self) -> int | None:
        """Minutes required in total by gateway."""
        return self.requirement.total

    @property
    def gap(self) -> int | None:
        """Minutes behind the plan today (negative when ahead)."""
        return None if self.planned is None else self.planned - self.done

    @property
    def errors(self) -> list[OtjFlag]:
        """Flags that make the log wrong."""
        return [f for f in self.flags if f.severity == ERROR]

    @property
    def warnings(self) -> list[OtjFlag]:
        """Flags worth a look."""
        return [f for f in self.flags if f.severity == WARNING]

    def planned_on(self, profile: Profile, day: dt.date) -> int | None:
        """Minutes planned by the end of ``day``."""
        return planned_by(self.requirement, profile, day)

    def to_json(self) -> dict[str, Any]:
        """The summary, the entries and the flags, for ``companion otj --json``."""

        def both(minutes: int | None) -> dict[str, Any] | None:
            if minutes is None:
                return None
            return {"hours": hours_number(minutes), "minutes": minutes}

        rule = self.requirement.rule
        return {
            "date": self.today.isoformat(),
            "rule": {
                "id": rule.id,
                "text": rule.text,
                "source": rule.source.line(),
                "confirmed": rule.confirmed,
                "caveat": rule.caveat,
            }
            if rule
            else None,
            "how": self.requirement.how,
            "missing": self.requirement.missing,
            "done": both(self.done),
            "planned_to_date": both(self.planned),
            "required": both(self.required),
            "gap": both(self.gap),
            "fell_behind": [
                {"week": b.week, "from": b.start.isoformat(), "gap": both(b.gap)}
                for b in self.fell_behind
            ],
            "weeks_behind": self.weeks_behind,
            "months": [{"month": m, **(both(v) or {})} for m, v in self.months],
            "entries": [
                {
                    "entry": e.number,
                    "line": e.line,
                    "date": e.date.isoformat(),
                    **(both(e.minutes) or {}),
                    "kind": e.kind,
                    "activity": e.activity,
                    "ksbs": list(e.ksbs),
                    "evidence": e.evidence,
                    "note": e.note,
                    "counted": e.number in self.counted,
                    "running_total": both(self.running.get(e.number)),
                }
                for e in self.entries
            ],
            "flags": [f.to_json() for f in self.flags],
            "notes": list(self.notes),
        }


def ksb_checker(content: Content) -> Checker:
    """The canonical code of a KSB as typed (``k1`` is K1), or ``None`` when there is none."""

    def check(code: str) -> str | None:
        for candidate in (code, code.upper()):
            if content.ksb(candidate) is not None:
                return candidate
        return None

    return check


def eligibility(content: Content, profile: Profile, today: dt.date) -> FundingRule | None:
    """The rule that says what counts as off-the-job training (and the log's kinds)."""
    return select(content, "otj-eligibility", profile, today)


def log_kinds(content: Content, profile: Profile, today: dt.date) -> tuple[str, ...] | None:
    """The kinds an entry can be; ``None`` (any kind) for a framework without the rule."""
    rule = eligibility(content, profile, today)
    return tuple(k.id for k in rule.kinds) if rule and rule.kinds else None


def _cite(rule: FundingRule | None, listed: str, words: str, lead: str, fallback: str) -> str:
    """A reason citing, in the rule's own wording, the item of its list ``listed`` (``tests``
    or ``does_not_count``) that holds ``words``; ``fallback`` where there is none."""
    if rule is None:
        return fallback
    found = next((i for i in rule.details.get(listed, []) if words in str(i).lower()), None)
    return f"{rule.source.line()}: {lead}{found}" if found else f"{rule.source.line()}: {fallback}"


class _Checks:
    """Gathers the log's flags and which entries count."""

    def __init__(self, log: OtjLog, rule: FundingRule | None) -> None:
        self.rule = rule
        self.flags: list[OtjFlag] = [
            OtjFlag(
                "otj-unreadable",
                ERROR,
                problem.message,
                "An entry needs a date, hours, a kind and the activity, each as the log's "
                "comments show.",
                problem.line,
                problem.number,
            )
            for problem in log.problems
        ]
        self.left_out: set[int] = set()

    def add(self, code: str, severity: Severity, entry: Entry, message: str, reason: str) -> None:
        self.flags.append(OtjFlag(code, severity, message, reason, entry.line, entry.number))


def _check_dates(
    checks: _Checks, entry: Entry, profile: Profile, today: dt.date, period: str
) -> None:
    """An entry dated before the start or in the future (not counted), or after gateway."""
    start, gateway = profile.programme_start, profile.planned_gateway
    when = entry.date.isoformat()
    if start and entry.date < start:
        checks.add(
            "otj-before-start",
            ERROR,
            entry,
            f"Entry {entry.number} is dated {when}, before the programme started "
            f"({start.isoformat()}); not counted.",
            period,
        )
        checks.left_out.add(entry.number)
    if entry.date > today:
        checks.add(
            "otj-in-future",
            ERROR,
            entry,
            f"Entry {entry.number} is dated {when}, which is in the future; not counted.",
            "The log records training received; a date after today has not happened yet.",
        )
        checks.left_out.add(entry.number)
    elif gateway and entry.date > gateway:
        checks.add(
            "otj-after-gateway",
            WARNING,
            entry,
            f"Entry {entry.number} is dated {when}, after the planned gateway "
            f"({gateway.isoformat()}).",
            period,
        )


def _check_kind(checks: _Checks, entry: Entry, duties: tuple[str, ...]) -> None:
    """An activity the rules do not count (its kind, or English and maths), or one that
    reads as the apprentice's normal duties."""
    rule = checks.rule
    kind = rule.kind(entry.kind) if rule else None
    if kind is not None and not kind.counts:
        checks.add(
            "otj-not-counted",
            ERROR,
            entry,
            f"Entry {entry.number} is {kind.label.lower()}, which is not off-the-job "
            "training; not counted.",
            f"{rule.source.line()}: does not count as off-the-job training: {kind.under}"
            if rule
            else "",
        )
        checks.left_out.add(entry.number)
    elif _ENGLISH_MATHS.search(entry.activity):
        checks.add(
            "otj-english-maths",
            ERROR,
            entry,
            f"Entry {entry.number} reads as English or maths ('{entry.activity[:50]}'), "
            "which is not off-the-job training; not counted.",
            _cite(
                rule,
                "does_not_count",
                "english and maths",
                "does not count as off-the-job training: ",
                "English and maths are not off-the-job training.",
            ),
        )
        checks.left_out.add(entry.number)
    text = entry.activity.lower()
    duty = next((d for d in duties if re.search(rf"\b{re.escape(d)}\b", text)), None)
    if duty:
        checks.add(
            "otj-normal-duties",
            WARNING,
            entry,
            f"Entry {entry.number} reads as your normal working duties ('{duty}'): "
            "off-the-job training must be new learning.",
            _cite(
                rule,
                "tests",
                "new knowledge",
                "off-the-job training must teach ",
                "Off-the-job training teaches new knowledge, skills and behaviours.",
            ),
        )


def _check_entries(
    checks: _Checks,
    entries: list[Entry],
    profile: Profile,
    today: dt.date,
    notes: set[str],
) -> None:
    """Each entry on its own: its dates, its kind, a repeat of another, its evidence."""
    rule = checks.rule
    period = (
        f"{rule.source.line() if rule else 'The funding rules'}: off-the-job training is received "
        "within the practical period, from the programme start to gateway."
    )
    duties = (*_DUTIES, *profile.programme.normal_duties)
    seen: dict[tuple[Any, ...], Entry] = {}
    for entry in entries:
        _check_dates(checks, entry, profile, today, period)
        _check_kind(checks, entry, duties)
        key = (entry.date, entry.minutes, entry.kind, entry.activity.casefold())
        if key in seen:
            checks.add(
                "otj-duplicate",
                ERROR,
                entry,
                f"Entry {entry.number} repeats entry {seen[key].number} (same date, hours, kind "
                "and activity); not counted twice.",
                "Each activity is logged once; say what differs if these were two sessions.",
            )
            checks.left_out.add(entry.number)
        else:
            seen[key] = entry
        if entry.evidence and entry.evidence.strip("/") not in notes:
            checks.add(
                "otj-unknown-evidence",
                WARNING,
                entry,
                f"Entry {entry.number} names evidence '{entry.evidence[:60]}', which is not a "
                "note in the portfolio.",
                "The evidence an activity produced is named by its path in the portfolio.",
            )


def _check_days(checks: _Checks, entries: list[Entry], profile: Profile) -> None:
    """A day with more off-the-job hours than the working day (unless paid or in lieu)."""
    day = profile.programme.day_minutes
    if day is None:
        return
    by_day: dict[dt.date, list[Entry]] = defaultdict(list)
    for entry in entries:
        if entry.number not in checks.left_out:
            by_day[entry.date].append(entry)
    for date, same in sorted(by_day.items()):
        total = sum(e.minutes for e in same)
        if total <= day or any(_IN_LIEU.search(e.note) for e in same):
            continue
        numbers = ", ".join(str(e.number) for e in same)
        checks.add(
            "otj-over-working-day",
            ERROR,
            same[0],
            f"{date.isoformat()}: {hours_text(total)} hours of off-the-job training, more than "
            f"your {hours_text(day)}-hour working day (entries {numbers}); if you were paid for "
            "the extra time or given time off in lieu, say so in a note on the entry.",
            _cite(
                checks.rule,
                "does_not_count",
                "outside normal working hours",
                "does not count as off-the-job training: ",
                "Off-the-job training takes place in normal working hours.",
            ),
        )


def _check_gaps(
    checks: _Checks, counted: list[Entry], content: Content, profile: Profile, today: dt.date
) -> None:
    """Stretches with no off-the-job learning longer than the rules allow for the start date."""
    rule = select(content, "otj-delivery", profile, today)
    start = profile.programme_start
    if rule is None or rule.interval is None or start is None:
        return
    end = min(today, profile.planned_gateway or today)
    dates = sorted({e.date for e in counted if start <= e.date <= end})
    gaps: list[tuple[dt.date, dt.date]] = []
    last = start
    for date in [*dates, None]:
        due = rule.interval.next_due(last)
        if date is None:
            if due < end:
                gaps.append((last, end))
            break
        if date > due:
            gaps.append((last, date))
        last = date
    if not gaps:
        return
    shown = ", ".join(f"{a.isoformat()} to {b.isoformat()}" for a, b in gaps[:LIST_AT_MOST])
    more = f" and {len(gaps) - LIST_AT_MOST} more" if len(gaps) > LIST_AT_MOST else ""
    checks.flags.append(
        OtjFlag(
            "otj-gap",
            WARNING,
            f"No off-the-job learning for more than {rule.interval.describe()}: {shown}{more}.",
            rule.reason,
        )
    )


def _behind(
    status_entries: list[Entry],
    counted: frozenset[int],
    requirement: OtjRequirement,
    profile: Profile,
    today: dt.date,
) -> tuple[tuple[Behind, ...], int]:
    start, gateway = profile.programme_start, profile.planned_gateway
    if requirement.total is None or start is None or gateway is None:
        return (), 0
    last = min(today, gateway)
    # Behind means more than a week's planned hours behind, so a learner whose first session
    # falls on day three has not "fallen behind" in week one.
    grace = requirement.total * 7 // max((gateway - start).days, 1)
    dated = sorted((e.date, e.minutes) for e in status_entries if e.number in counted)
    fell: list[Behind] = []
    behind_weeks = 0
    done = 0
    index = 0
    was_behind = False
    week = 1
    while (end := start + dt.timedelta(days=7 * week - 1)) <= last:
        while index < len(dated) and dated[index][0] <= end:
            done += dated[index][1]
            index += 1
        planned = planned_by(requirement, profile, end) or 0
        behind = planned - done > grace
        if behind:
            behind_weeks += 1
            if not was_behind:
                fell.append(Behind(week, end - dt.timedelta(days=6), planned - done))
        was_behind = behind
        week += 1
    return tuple(fell), behind_weeks


def _months(
    entries: list[Entry], counted: frozenset[int], start: dt.date | None, end: dt.date
) -> Any:
    totals: dict[str, int] = defaultdict(int)
    for entry in entries:
        if entry.number in counted:
            totals[entry.date.strftime("%Y-%m")] += entry.minutes
    if start is None:
        return tuple(sorted(totals.items()))
    months = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        key = f"{year:04d}-{month:02d}"
        months.append((key, totals.get(key, 0)))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return tuple(months)


def read_otj(
    content: Content,
    profile: Profile,
    log: OtjLog,
    today: dt.date,
    notes: set[str] | None = None,
) -> OtjStatus:
    """The log ``log`` against the rules for this apprentice on ``today``."""
    rule = eligibility(content, profile, today)
    requirement = otj_requirement(content, profile, today)
    entries = sorted(log.entries, key=lambda e: (e.date, e.number))
    checks = _Checks(log, rule)
    _check_entries(checks, entries, profile, today, notes if notes is not None else set())
    _check_days(checks, entries, profile)
    counted = frozenset(e.number for e in entries if e.number not in checks.left_out)
    counted_entries = [e for e in entries if e.number in counted]
    _check_gaps(checks, counted_entries, content, profile, today)
    running: dict[int, int] = {}
    total = 0
    for entry in entries:
        if entry.number in counted:
            total += entry.minutes
        running[entry.number] = total
    fell, weeks = _behind(entries, counted, requirement, profile, today)
    end = min(today, profile.planned_gateway) if profile.planned_gateway else today
    duration = minimum_duration(content, profile, today)
    notes_out = [*requirement.notes, *funding_notes(content, profile, today)]
    order = {ERROR: 0, WARNING: 1}
    return OtjStatus(
        log=log,
        requirement=requirement,
        today=today,
        entries=tuple(entries),
        counted=counted,
        done=total,
        planned=planned_by(requirement, profile, today),
        fell_behind=fell,
        weeks_behind=weeks,
        months=_months(entries, counted, profile.programme_start, end),
        running=running,
        flags=tuple(sorted(checks.flags, key=lambda f: (order[f.severity], f.line, f.code))),
        kinds=rule.kinds if rule else (),
        duration=duration,
        notes=tuple(notes_out),
    )


def otj_status(status: Status, today: dt.date | None = None) -> OtjStatus:
    """The portfolio's log read against the rules on ``today``, worked out once per status
    and day and kept with it (the gateway and the screens both read it)."""
    day = today or clock.today()
    kept = status.derived.get("otj")
    if isinstance(kept, OtjStatus) and kept.today == day:
        return kept
    portfolio = status.portfolio
    kinds = log_kinds(portfolio.content, portfolio.profile, day)
    log = read_log(portfolio.root, ksb_checker(portfolio.content), kinds)
    result = read_otj(portfolio.content, portfolio.profile, log, day, set(portfolio.records))
    status.derived["otj"] = result
    return result
