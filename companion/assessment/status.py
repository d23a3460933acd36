"""The portfolio status as one JSON-able document: the core of the progress export.

Schema ``companion.progress/1`` (documented in docs/progress-format.md). The CLI's
``status --json``, the app's dashboard and the tutor export all read this one document.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from types import GeneratorType
from typing import Any

from companion import __version__, clock
from companion.assessment.decisions import referred_acs, referred_line, status_decisions
from companion.assessment.links import LinkGraph, broken_links, link_graph
from companion.assessment.plan import UnitPlan, unit_plan
from companion.assessment.progress import Progress, compute_progress
from companion.assessment.rules import (
    ERROR,
    WARNING,
    Flag,
    check_portfolio,
    sort_flags,
)
from companion.content.model import Content, Unit
from companion.notes.record import NoteRecord
from companion.portfolio.portfolio import Portfolio
from companion.portfolio.profile import Profile
from companion.review.feedback import PASS, REFERRAL
from companion.review.feedback_import import PortfolioFeedback, portfolio_feedback
from companion.text.counted import counted
from companion.text.word_rules import PART_LABELS, PARTS, WordCountRules
from companion.text.wordcount import WordTarget, against_cap, against_target

SCHEMA = "companion.progress/1"


@dataclass
class WordCountItem:
    """One draft counted against its target: the words that count, and those left out."""

    kind: str  # assignment | proposal-summary
    note: str
    unit: str | None
    target: WordTarget
    left_out: dict[str, int] = field(default_factory=dict)
    """The words of each part that does not count (reference list, front matter, …)."""

    def to_json(self) -> dict[str, Any]:
        """Plain mapping for JSON output."""
        return {
            "kind": self.kind,
            "note": self.note,
            "unit": self.unit,
            "words": self.target.words,
            "target": self.target.target,
            "low": self.target.low,
            "high": self.target.high,
            "band": self.target.band,
            "left_out": dict(self.left_out),
        }

    def left_out_text(self) -> str:
        """``reference list 55, front matter 12``: what the count leaves out ('' if nothing)."""
        return ", ".join(f"{PART_LABELS[p]} {n}" for p, n in self.left_out.items())


def left_out(record: NoteRecord, rules: WordCountRules) -> dict[str, int]:
    """The words of a note's parts that do not count under ``rules``, in part order."""
    return {
        p: record.word_parts[p] for p in PARTS if not rules.counts(p) and record.word_parts.get(p)
    }


def word_count_item(record: NoteRecord, content: Content, profile: Profile) -> WordCountItem | None:
    """A unit assignment draft or the proposal summary against its target; None for any
    other note."""
    if record.error:
        return None
    rules = profile.word_count
    note_type = str(record.get("type") or "").lower()
    if note_type == "assignment":
        unit_id = str(record.get("unit") or "").strip()
        unit = content.unit(unit_id)
        if unit and unit.assignment and unit.assignment.written_words:
            target = against_target(
                record.words, unit.assignment.written_words, unit.assignment.tolerance_percent
            )
            return WordCountItem(
                "assignment", record.path, unit_id, target, left_out(record, rules)
            )
        return None
    if note_type == "proposal-summary" or record.path == profile.proposal_summary.strip("/"):
        cap = content.epa_fact("proposal-summary-max-words")
        if not isinstance(cap, int):
            return None  # a framework without a proposal summary has no cap to count against
        target = against_cap(record.words, cap)
        return WordCountItem("proposal-summary", record.path, None, target, left_out(record, rules))
    return None


def word_counts(portfolio: Portfolio) -> list[WordCountItem]:
    """Unit assignment drafts and the proposal summary against their targets."""
    items: list[WordCountItem] = []
    for record in portfolio.records.values():
        item = word_count_item(record, portfolio.content, portfolio.profile)
        if item is not None:
            items.append(item)
    items.sort(key=lambda i: (i.kind, i.unit or "", i.note))
    return items


@dataclass
class Status:
    """Everything the status, check and export commands report."""

    portfolio: Portfolio
    progress: Progress
    flags: list[Flag]
    words: list[WordCountItem]
    generated: str
    feedback: PortfolioFeedback = field(default_factory=lambda: PortfolioFeedback(None, None))
    plan: UnitPlan | None = None
    """The learner's units (those of the level chosen, in frameworks with levels)."""
    derived: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    """What other modules work out from this status once and keep (the gateway check)."""

    @property
    def units(self) -> tuple[Unit, ...]:
        """The units the learner takes."""
        return self.plan.units if self.plan is not None else self.portfolio.content.units

    @property
    def errors(self) -> list[Flag]:
        """Flags that block gateway."""
        return [f for f in self.flags if f.severity == ERROR]

    @property
    def warnings(self) -> list[Flag]:
        """Flags that need a look."""
        return [f for f in self.flags if f.severity == WARNING]


def not_counted(flags: list[Flag]) -> dict[str, str]:
    """Notes whose evidence does not count, with why: each note with an error flag, and
    every error it has."""
    reasons: dict[str, list[str]] = {}
    for flag in flags:
        if flag.severity == ERROR:
            reasons.setdefault(flag.note, []).append(f"{flag.message} ({flag.code})")
    return {note: " ".join(messages) for note, messages in reasons.items()}


def build_status(portfolio: Portfolio, today: dt.date | None = None) -> Status:
    """Compute progress, flags and word counts for a scanned portfolio."""
    records = list(portfolio.records.values())
    library = portfolio.library
    flags = check_portfolio(
        records, portfolio.content, portfolio.profile, today, cache=portfolio, library=library
    )
    graph = link_graph(records)
    if graph.outgoing:  # links lead across notes, so they are checked across notes
        flags = sort_flags(flags + broken_links(records, graph))
    progress = compute_progress(portfolio.content, records, not_counted(flags))
    generated = clock.now().isoformat(timespec="seconds")
    feedback = portfolio_feedback(portfolio.root, portfolio.content)
    plan = unit_plan(portfolio.content, portfolio.profile)
    status = Status(portfolio, progress, flags, word_counts(portfolio), generated, feedback, plan)
    status.derived["links"] = graph
    return status


def links(status: Status) -> LinkGraph:
    """The status's links between notes, resolved (worked out with the status)."""
    graph = status.derived.get("links")
    if not isinstance(graph, LinkGraph):
        graph = link_graph(status.portfolio.records.values())
        status.derived["links"] = graph
    return graph


def _target(low: int, high: int) -> str:
    """A word-count band as people say it: "up to 500" for a cap, else "target 2,700–3,300"."""
    return f"up to {high:,}" if not low else f"target {low:,}–{high:,}"


def feedback_line(status: Status) -> str:
    """One line on the tutor's newest feedback, or '' when none has been imported."""
    current = status.feedback.current
    if current is None:
        return ""
    counts = current.counts()
    total = len(status.portfolio.content.criteria)
    waiting = total - counts[PASS] - counts[REFERRAL]
    by = f" from {current.assessor}" if current.assessor else ""
    return (
        f"Tutor feedback{by} ({current.updated[:10] or 'undated'}): {counts[PASS]} Pass, "
        f"{counts[REFERRAL]} Referral, {waiting} not yet assessed"
    )


def pd_ksb_codes(content: Content) -> list[str]:
    """The KSBs the Professional Discussion assesses, in grouping order, each once."""
    codes: list[str] = []
    for grouping in content.standard.groupings:
        if grouping.epa_method == "professional-discussion":
            codes += [c for c in grouping.ksbs if c not in codes]
    return codes


def pd_ksb_coverage(status: Status) -> tuple[int, int]:
    """Professional Discussion KSBs with at least one piece of evidence, and their total."""
    codes = pd_ksb_codes(status.portfolio.content)
    covered = sum(1 for c in codes if status.progress.ksbs.get(c) and status.progress.ksbs[c].notes)
    return covered, len(codes)


def _learner(status: Status) -> dict[str, Any]:
    profile = status.portfolio.profile
    gateway = profile.planned_gateway
    return {
        "name": profile.learner,
        "programme_start": profile.programme_start.isoformat() if profile.programme_start else None,
        "planned_gateway": gateway.isoformat() if gateway else None,
        "days_to_gateway": (gateway - clock.today()).days if gateway else None,
    }


def _summary(status: Status) -> dict[str, Any]:
    taken = {u.id for u in status.units}
    criteria = [c for c in status.progress.criteria.values() if c.criterion.unit_id in taken]
    covered, total = pd_ksb_coverage(status)
    records = status.portfolio.records.values()
    warnings = status.warnings
    return {
        "criteria": len(criteria),
        "sufficient": sum(1 for c in criteria if c.status == "sufficient"),
        "notes": len(status.portfolio.records),
        "evidence_notes": sum(1 for r in records if r.tags),
        "errors": len(status.errors),
        "warnings": sum(1 for f in warnings if not f.acknowledged),
        "acknowledged": sum(1 for f in warnings if f.acknowledged),
        "pd_ksbs_covered": covered,
        "pd_ksbs_total": total,
        "referred": len(referred_acs(status)),
    }


def _qualification_title(content: Content) -> str:
    qualification = content.standard.qualification
    return qualification.title if qualification else content.standard.title


def _unit(status: Status, unit: Unit, *, detail: bool) -> dict[str, Any]:
    progress = status.progress
    entry: dict[str, Any] = {
        "id": unit.id,
        "title": unit.title,
        "method": status.portfolio.profile.method(unit.id),
        "grouping": unit.grouping,
        **progress.units[unit.id].to_json(),
    }
    if detail:
        entry["outcomes"] = [
            {"id": lo.id, "text": lo.text, **progress.outcomes[f"{unit.id}/{lo.id}"].to_json()}
            for lo in unit.outcomes
        ]
        decisions = status_decisions(status)
        entry["criteria"] = [
            {
                **progress.criteria[c.id].to_json(),
                "decision": decisions.of(c.id).decision,
                "referred": decisions.referred(c.id),
            }
            for c in unit.criteria
        ]
    return entry


def _plan(status: Status) -> dict[str, Any]:
    plan = status.plan
    if plan is None:
        return {}
    return {
        "level": plan.level.id if plan.level else None,
        "mandatory": list(plan.mandatory),
        "optional": list(plan.optional),
        "problems": list(plan.problems),
    }


def status_sections(status: Status) -> Iterator[tuple[str, Any]]:
    """The ``companion.progress/1`` document's keys and values in order, each long list as a
    generator of its items: a caller that writes them one at a time never holds the whole
    document (tens of megabytes for tens of thousands of notes)."""
    content = status.portfolio.content
    progress = status.progress
    yield "schema", SCHEMA
    yield "generated", status.generated
    yield "generator", f"companion {__version__}"
    yield "qualification", {"standard": content.standard.id, "title": _qualification_title(content)}
    yield "learner", _learner(status)
    yield "summary", _summary(status)
    yield "referred", referred_acs(status)
    yield "units", (_unit(status, unit, detail=True) for unit in status.units)
    if content.standard.levels:
        yield "plan", _plan(status)
    yield "ksbs", (k.to_json() for k in progress.ksbs.values())
    yield "groupings", {k: v.to_json() for k, v in progress.groupings.items()}
    yield "methods", {k: v.to_json() for k, v in progress.methods.items()}
    yield "word_counts", (w.to_json() for w in status.words)
    yield "flags", (f.to_json() for f in status.flags)


def status_json(status: Status) -> dict[str, Any]:
    """The ``companion.progress/1`` document."""
    return {
        key: list(value) if isinstance(value, GeneratorType) else value
        for key, value in status_sections(status)
    }


def status_text(status: Status) -> str:
    """A readable summary for the terminal (built from the summary, not the whole document)."""
    learner = _learner(status)
    summary = _summary(status)
    title = _qualification_title(status.portfolio.content)
    lines = [f"{learner['name'] or '(no learner name)'} — {title}"]
    if learner["days_to_gateway"] is not None:
        lines.append(
            f"Planned gateway {learner['planned_gateway']} ({learner['days_to_gateway']} days)"
        )
    pd = (
        f"PD KSBs with evidence: {summary['pd_ksbs_covered']}/{summary['pd_ksbs_total']}   "
        if summary["pd_ksbs_total"]
        else ""
    )
    lines.append(
        f"ACs sufficient: {summary['sufficient']}/{summary['criteria']}   {pd}"
        f"errors: {summary['errors']}   warnings: {summary['warnings']}"
    )
    if status.plan is not None and status.plan.level is not None:
        lines.append(status.plan.line)
    for problem in status.plan.problems if status.plan else ():
        lines.append(f"unit choice: {problem}")
    lines.append("")
    for unit in (_unit(status, u, detail=False) for u in status.units):
        bar_width = 20
        filled = round(bar_width * unit["sufficient"] / unit["total"]) if unit["total"] else 0
        bar = "█" * filled + "░" * (bar_width - filled)
        lines.append(
            f"{unit['id']} {bar} {unit['sufficient']:>2}/{unit['total']:<2} sufficient, "
            f"{unit['in_progress']} in progress  {unit['title']} ({unit['method']})"
        )
    if line := feedback_line(status):
        lines += ["", line]
    decisions = status_decisions(status)
    if referred := referred_acs(status):
        lines.append(referred_line(status))
        for ac in referred:
            decision = decisions.of(ac)
            words = " ".join(decision.feedback.split())
            words = words if len(words) <= 160 else words[:159] + "…"
            lines.append(f"  {ac} {decision.headline}" + (f": {words}" if words else ""))
    for problem in status.feedback.problems:
        lines.append(f"warning: {problem}")
    if status.words:
        lines.append("")
        items_left_out = {item.note: item.left_out_text() for item in status.words}
        for w in (item.to_json() for item in status.words):
            label = (
                f"unit {w['unit']} assignment" if w["kind"] == "assignment" else "proposal summary"
            )
            lines.append(
                f"{label}: {counted(w['words'], 'word')} ({_target(w['low'], w['high'])}): "
                f"{w['band']}  [{w['note']}]"
            )
            if item_text := items_left_out.get(w["note"], ""):
                lines.append(f"  not counted: {item_text}")
    return "\n".join(lines)
