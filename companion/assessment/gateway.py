"""The gateway readiness check: what still stands between the portfolio and EPA gateway.

Each item passes, fails (and blocks gateway) or warns (worth a look, never a block), and
says why in words the apprentice can act on. The limits come from the content's EPA facts,
so nothing here is specific to one qualification's numbers.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from companion import clock
from companion.assessment.decisions import referred_acs
from companion.assessment.funding import english_maths_rule, termed
from companion.assessment.otj import otj_status
from companion.assessment.proposal import ProposalSummary, read_summary
from companion.assessment.reviews import review_schedule
from companion.assessment.rules import (
    assignment_recording_limit,
    is_recording,
    recording_seconds,
)
from companion.assessment.status import Status, pd_ksb_codes, pd_ksb_coverage
from companion.content.funding_model import FundingRule
from companion.notes.file import NoteReadError
from companion.portfolio.hours import hours_text
from companion.portfolio.programme import Exemption
from companion.text.values import parse_date

PASS = "pass"
FAIL = "fail"
WARN = "warn"
_LIST_AT_MOST = 8
ProposalRead = Callable[[], tuple["ProposalSummary | None", str]]


@dataclass(frozen=True)
class GatewayItem:
    """One line of the readiness checklist."""

    id: str
    label: str
    state: str  # pass | fail | warn
    reason: str

    @property
    def blocks(self) -> bool:
        """True when this item stops the apprentice going through gateway."""
        return self.state == FAIL

    def to_json(self) -> dict[str, Any]:
        """Plain mapping for ``companion gateway --json``."""
        return {
            "id": self.id,
            "label": self.label,
            "state": self.state,
            "blocks": self.blocks,
            "reason": self.reason,
        }


def _some(items: list[str]) -> str:
    shown = ", ".join(items[:_LIST_AT_MOST])
    more = len(items) - _LIST_AT_MOST
    return f"{shown} and {more} more" if more > 0 else shown


def add_months(date: dt.date, months: int) -> dt.date:
    """``date`` plus whole calendar months, clamped to the last day (31 Jan + 1: 28 Feb)."""
    month_index = date.month - 1 + months
    year, month = date.year + month_index // 12, month_index % 12 + 1
    day = min(date.day, calendar.monthrange(year, month)[1])
    return dt.date(year, month, day)


def _pd_ksbs(status: Status) -> GatewayItem:
    content = status.portfolio.content
    need = int(content.epa_fact("evidence-per-pd-ksb-min"))
    missing = [
        code
        for code in pd_ksb_codes(content)
        if len(getattr(status.progress.ksbs.get(code), "notes", ())) < need
    ]
    covered, total = pd_ksb_coverage(status)
    label = "Every Professional Discussion KSB has evidence"
    if not total:
        return GatewayItem("pd-ksbs", label, PASS, "No KSB is assessed by Professional Discussion.")
    if missing:
        return GatewayItem(
            "pd-ksbs",
            label,
            FAIL,
            f"{covered}/{total} have evidence; none yet for {_some(missing)}.",
        )
    return GatewayItem("pd-ksbs", label, PASS, f"All {total} have at least {need} piece.")


def _portfolio_acs(status: Status) -> GatewayItem:
    profile = status.portfolio.profile
    label = "Every AC of the portfolio-assessed units is sufficient"
    short: list[str] = []
    total = 0
    for unit in status.portfolio.content.units:
        if profile.method(unit.id) != "portfolio":
            continue
        for criterion in unit.criteria:
            total += 1
            if status.progress.criteria[criterion.id].status != "sufficient":
                short.append(criterion.id)
    if short:
        return GatewayItem(
            "portfolio-acs",
            label,
            FAIL,
            f"{total - len(short)}/{total} sufficient; still to do: {_some(short)}.",
        )
    return GatewayItem("portfolio-acs", label, PASS, f"All {total} are sufficient.")


def _no_referrals(status: Status) -> GatewayItem:
    """A Referral in the tutor's newest feedback holds gateway, however sufficient the
    evidence looks, until a newer feedback decides the AC again."""
    label = "No AC is referred in the tutor's newest feedback"
    if status.feedback.current is None:
        return GatewayItem("no-referrals", label, PASS, "No tutor feedback imported yet.")
    referred = referred_acs(status)
    if referred:
        return GatewayItem(
            "no-referrals",
            label,
            FAIL,
            f"Referred: {_some(referred)}. Read the tutor's feedback on each, improve the "
            "evidence and send a new progress export.",
        )
    return GatewayItem("no-referrals", label, PASS, "No AC is referred.")


def _no_errors(status: Status) -> GatewayItem:
    label = "No error flags"
    errors = status.errors
    if errors:
        notes = sorted({f.note for f in errors})
        return GatewayItem(
            "no-errors",
            label,
            FAIL,
            f"{len(errors)} error(s) in {len(notes)} note(s): {_some(notes)}. See Flags.",
        )
    return GatewayItem("no-errors", label, PASS, "No note has an error.")


def _evidence_pieces(status: Status) -> list[str]:
    """Notes that are portfolio evidence: tagged to an AC of a portfolio-assessed unit."""
    profile = status.portfolio.profile
    pieces = []
    for record in status.portfolio.records.values():
        if record.error:
            continue
        units = {t.ac.split("/")[0] for t in record.tags}
        if any(profile.method(u) == "portfolio" for u in units if u):
            pieces.append(record.path)
    return sorted(pieces)


def _piece_count(status: Status, today: dt.date) -> GatewayItem:
    typical = int(status.portfolio.content.epa_fact("portfolio-typical-pieces"))
    count = len(_evidence_pieces(status))
    label = f"Number of evidence pieces (typically {typical})"
    if count < typical:
        return GatewayItem(
            "evidence-count",
            label,
            WARN,
            f"{count} pieces, fewer than the typical {typical}; check each KSB is well covered.",
        )
    if count > typical:
        return GatewayItem(
            "evidence-count",
            label,
            WARN,
            f"{count} pieces, more than the typical {typical}; choose the strongest for the "
            + termed(
                status.portfolio.content,
                status.portfolio.profile,
                today,
                "end-point assessment",
                "end-point assessment",
            )
            + ".",
        )
    return GatewayItem("evidence-count", label, PASS, f"{count} pieces.")


def _recordings(status: Status) -> GatewayItem:
    """Every recording within its limit: an extract at most the EPA's minutes, a unit
    assignment's discussion or presentation its Appendix C minutes; its length read from
    the file for a card (``companion.assessment.rules`` flags the same)."""
    portfolio = status.portfolio
    limit = int(portfolio.content.epa_fact("recording-max-minutes")) * 60
    label = f"Every recording extract is at most {limit // 60} minutes"
    too_long: list[str] = []
    unknown: list[str] = []
    count = 0
    for record in portfolio.records.values():
        if record.error or not is_recording(record):
            continue
        count += 1
        seconds, _ = recording_seconds(record)
        own = assignment_recording_limit(record, portfolio.content, portfolio.profile)
        allowed = own[0] if own is not None else limit
        if seconds is None:
            unknown.append(record.path)
        elif seconds > allowed:
            too_long.append(f"{record.path} ({seconds // 60}:{seconds % 60:02d})")
    if too_long:
        return GatewayItem("recordings", label, FAIL, f"Too long: {_some(too_long)}.")
    if unknown:
        return GatewayItem(
            "recordings",
            label,
            FAIL,
            f"No duration given for {_some(unknown)} (recording: duration: m:ss)."
            if not any(portfolio.records[p].file is not None for p in unknown)
            else f"No duration could be read for {_some(unknown)}: check the recording plays.",
        )
    if not count:
        return GatewayItem("recordings", label, PASS, "No recordings in the portfolio.")
    return GatewayItem("recordings", label, PASS, f"All {count} are within the limit.")


def _dated_on_programme(status: Status, today: dt.date) -> GatewayItem:
    profile = status.portfolio.profile
    label = "All evidence is dated within the on-programme period"
    if profile.programme_start is None:
        return GatewayItem(
            "dated-on-programme", label, FAIL, "Set programme_start in companion.yaml."
        )
    end = min(today, profile.planned_gateway) if profile.planned_gateway else today
    outside: list[str] = []
    undated: list[str] = []
    pieces = _evidence_pieces(status)
    for path in pieces:
        record = status.portfolio.records[path]
        date = parse_date(record.get("date"))
        if date is None:
            undated.append(path)
        elif not profile.programme_start <= date <= end:
            outside.append(f"{path} ({date.isoformat()})")
    period = f"{profile.programme_start.isoformat()} to {end.isoformat()}"
    if outside or undated:
        parts = []
        if outside:
            parts.append(f"outside {period}: {_some(outside)}")
        if undated:
            parts.append(f"no valid date: {_some(undated)}")
        return GatewayItem("dated-on-programme", label, FAIL, "; ".join(parts).capitalize() + ".")
    if not pieces:
        return GatewayItem("dated-on-programme", label, PASS, "No evidence pieces yet.")
    return GatewayItem(
        "dated-on-programme", label, PASS, f"All {len(pieces)} pieces are dated {period}."
    )


def _months_on_programme(status: Status) -> GatewayItem:
    profile = status.portfolio.profile
    months = int(status.portfolio.content.epa_fact("min-months-on-programme"))
    label = f"At least {months} months on programme before gateway"
    start, gateway = profile.programme_start, profile.planned_gateway
    if start is None or gateway is None:
        return GatewayItem(
            "months-on-programme",
            label,
            FAIL,
            "Set programme_start and planned_gateway in companion.yaml.",
        )
    earliest = add_months(start, months)
    if gateway < earliest:
        return GatewayItem(
            "months-on-programme",
            label,
            FAIL,
            f"Planned gateway {gateway.isoformat()} is before {earliest.isoformat()}, "
            f"{months} months after the start on {start.isoformat()}.",
        )
    return GatewayItem(
        "months-on-programme",
        label,
        PASS,
        f"Start {start.isoformat()}, planned gateway {gateway.isoformat()}.",
    )


def _english_maths_label(status: Status, level: object, has_rule: bool) -> str:
    """The item's label: an exemption is named where some rule in force allows one."""
    funding = status.portfolio.content.funding
    label = f"Level {level} English and maths confirmed"
    allows = funding is not None and any(
        r.english_maths and not r.english_maths.required for r in funding.topic("english-maths")
    )
    return label + ", or an exemption recorded" if has_rule and allows else label


def _english_maths(status: Status, today: dt.date) -> GatewayItem:
    """Level 2 confirmed; or, where the rule on ``today`` no longer requires it for the
    learner's age at the start, an exemption recorded with its date and who confirmed it."""
    content, profile = status.portfolio.content, status.portfolio.profile
    level = content.epa_fact("english-maths-level")
    decision = english_maths_rule(content, profile, today, level)
    rule = decision.rule
    label = _english_maths_label(status, level, rule is not None)
    done = "set english_maths_level2: true in companion.yaml once achieved"
    if profile.english_maths_level2:
        return GatewayItem("english-maths", label, PASS, "Confirmed in companion.yaml.")
    exemption = profile.programme.english_maths_exemption
    if rule is None:
        return GatewayItem("english-maths", label, FAIL, f"Not confirmed: {done}.")
    cited = f"{rule.source.line()}: {rule.text}"
    if decision.required is None:
        return GatewayItem(
            "english-maths",
            label,
            FAIL,
            f"Not confirmed. Whether Level {level} is still needed depends on your age at the "
            f"start ({cited}); set age_at_start in companion.yaml, or {done}.",
        )
    if decision.required:
        why = ""
        if exemption is not None:
            young = profile.programme.age_at_start is not None and "age_at_programme_start_min" in (
                rule.conditions
            )
            why = "The exemption in companion.yaml does not apply: " + (
                f"you were {profile.programme.age_at_start} at the start. "
                if young
                else f"the rule on {today.isoformat()} requires Level {level}. "
            )
        return GatewayItem("english-maths", label, FAIL, f"{why}Not confirmed: {done}.")
    if exemption is None:
        return GatewayItem(
            "english-maths",
            label,
            FAIL,
            f"Level {level} is not required for you ({cited}), but the decision must be "
            "recorded: add english_maths_exemption with its date and who confirmed it to "
            f"companion.yaml, or {done}.",
        )
    return _exemption_item(label, rule, exemption, today)


def _exemption_item(
    label: str, rule: FundingRule, exemption: Exemption, today: dt.date
) -> GatewayItem:
    """A recorded exemption passes unless it is dated before the rule allowed it, or later
    than today."""
    if rule.applies_from and exemption.date < rule.applies_from:
        return GatewayItem(
            "english-maths",
            label,
            FAIL,
            f"The exemption is dated {exemption.date.isoformat()}, before the rule allowed it "
            f"(from {rule.applies_from.isoformat()}); record the decision made since.",
        )
    if exemption.date > today:
        return GatewayItem(
            "english-maths",
            label,
            FAIL,
            f"The exemption is dated {exemption.date.isoformat()}, which is in the future.",
        )
    return GatewayItem(
        "english-maths",
        label,
        PASS,
        f"Not required for you ({rule.source.line()}); exemption confirmed by "
        f"{exemption.confirmed_by} on {exemption.date.isoformat()}.",
    )


def _employer_statement(status: Status, today: dt.date) -> GatewayItem:
    """The employer's statement: a signed sign-off file in the portfolio, or the old flag."""
    label = "Employer's statement recorded"
    if status.portfolio.profile.employer_statement:
        return GatewayItem("employer-statement", label, PASS, "Recorded in companion.yaml.")
    signed = review_schedule(status, today).signoffs.statement()
    if signed is not None and signed.statement is not None and signed.statement.date:
        where = signed.path.name if signed.path else "a sign-off file"
        return GatewayItem(
            "employer-statement",
            label,
            PASS,
            f"Signed by {signed.statement.name} on {signed.statement.date.isoformat()} ({where}).",
        )
    return GatewayItem(
        "employer-statement",
        label,
        FAIL,
        "Your employer must confirm the evidence is valid and your own: import the signed "
        "sign-off file from your review ('companion signoff import'), or set "
        "employer_statement: true in companion.yaml once they have.",
    )


def _otj_hours(status: Status, today: dt.date) -> GatewayItem:
    """The off-the-job hours logged reach the minimum the start date's rule requires."""
    label = "Off-the-job training hours meet the minimum"
    otj = otj_status(status, today)
    required = otj.required
    if required is None:
        return GatewayItem("otj-hours", label, FAIL, otj.requirement.missing)
    if otj.errors:
        return GatewayItem(
            "otj-hours",
            label,
            FAIL,
            f"{len(otj.errors)} problem(s) in the log, the first: {otj.errors[0].message} "
            "See 'companion otj'.",
        )
    rule = otj.requirement.rule
    caveat = f" {rule.caveat}" if rule is not None and rule.caveat else ""
    done = f"{hours_text(otj.done)} of {hours_text(required)} hours logged{caveat}"
    if otj.done >= required:
        return GatewayItem("otj-hours", label, PASS, f"{done}.")
    gateway = status.portfolio.profile.planned_gateway
    by = f" by the planned gateway ({gateway.isoformat()})" if gateway else ""
    behind = f"; {hours_text(otj.gap)} behind the plan today" if otj.gap and otj.gap > 0 else ""
    return GatewayItem(
        "otj-hours",
        label,
        FAIL,
        f"{done}; {hours_text(required - otj.done)} to go{by}{behind}.",
    )


def _progress_reviews(status: Status, today: dt.date) -> GatewayItem:
    """Reviews held as often as the rule (or the training plan) asks; a warning, never a
    block: the funding rules bind the provider, not the end-point assessment."""
    label = "Progress reviews held on time"
    schedule = review_schedule(status, today)
    line = schedule.line()
    if schedule.rule.interval is None or schedule.overdue:
        return GatewayItem("progress-reviews", label, WARN, line)
    if schedule.late:
        held = [f"{b.isoformat()} (due by {c.isoformat()})" for _, b, c in schedule.late]
        return GatewayItem("progress-reviews", label, WARN, f"{line} Held late: {_some(held)}.")
    return GatewayItem("progress-reviews", label, PASS, line)


def _proposal(summary: ProposalSummary | None, problem: str) -> GatewayItem:
    label = "Proposal summary present, titled and within the word limit"
    if summary is None:
        return GatewayItem("proposal-summary", label, FAIL, problem)
    if not summary.exists:
        return GatewayItem(
            "proposal-summary",
            label,
            FAIL,
            f"No summary at {summary.relative}; plan it with 'companion proposal'.",
        )
    if not summary.title:
        return GatewayItem("proposal-summary", label, FAIL, "The summary has no title.")
    if summary.over_cap:
        return GatewayItem(
            "proposal-summary",
            label,
            FAIL,
            f"{summary.words} words, over the {summary.cap}-word limit.",
        )
    return GatewayItem(
        "proposal-summary",
        label,
        PASS,
        f"'{summary.title}', {summary.words}/{summary.cap} words.",
    )


CHECKS: dict[str, Callable[[Status, dt.date, ProposalRead], GatewayItem]] = {
    "pd-ksbs": lambda status, today, proposal: _pd_ksbs(status),
    "portfolio-acs": lambda status, today, proposal: _portfolio_acs(status),
    "no-referrals": lambda status, today, proposal: _no_referrals(status),
    "no-errors": lambda status, today, proposal: _no_errors(status),
    "evidence-count": lambda status, today, proposal: _piece_count(status, today),
    "recordings": lambda status, today, proposal: _recordings(status),
    "dated-on-programme": lambda status, today, proposal: _dated_on_programme(status, today),
    "months-on-programme": lambda status, today, proposal: _months_on_programme(status),
    "english-maths": lambda status, today, proposal: _english_maths(status, today),
    "employer-statement": lambda status, today, proposal: _employer_statement(status, today),
    "otj-hours": lambda status, today, proposal: _otj_hours(status, today),
    "progress-reviews": lambda status, today, proposal: _progress_reviews(status, today),
    "proposal-summary": lambda status, today, proposal: _proposal(*proposal()),
}
"""Each gateway check a framework can list (``gateway.checks``), and how it is worked out."""


def gateway_check(status: Status, today: dt.date | None = None) -> list[GatewayItem]:
    """The framework's readiness items, in the order its content lists them.

    A framework with no gateway gives no items.
    """
    day = today or clock.today()
    portfolio = status.portfolio
    read: tuple[ProposalSummary | None, str] | None = None

    def proposal() -> tuple[ProposalSummary | None, str]:
        nonlocal read
        if read is None:
            try:
                read = (
                    read_summary(
                        portfolio.root,
                        portfolio.profile.proposal_summary,
                        portfolio.content,
                        portfolio.profile.word_count,
                    ),
                    "",
                )
            except NoteReadError as exc:
                read = (None, exc.message)
        return read

    return [CHECKS[check.id](status, day, proposal) for check in portfolio.content.standard.gateway]


def readiness(status: Status) -> list[GatewayItem]:
    """``gateway_check(status)``, worked out once per status and kept with it.

    The dashboard and the Gateway screen both show it, and it reads the proposal summary
    from disk: the app works it out in its worker, and screens then read the kept items.
    """
    items = status.derived.get("gateway")
    if items is None:
        items = status.derived["gateway"] = gateway_check(status)
    return items


def blocking(items: list[GatewayItem]) -> list[GatewayItem]:
    """The items that stop gateway."""
    return [i for i in items if i.blocks]
