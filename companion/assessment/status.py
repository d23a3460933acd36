"""The portfolio status as one JSON-able document: the core of the progress export.

Schema ``companion.progress/1`` (documented in docs/progress-format.md). The CLI's
``status --json``, the app's dashboard and the tutor export all read this one document.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from companion import __version__, clock
from companion.assessment.progress import Progress, compute_progress
from companion.assessment.rules import ERROR, WARNING, Flag, check_portfolio
from companion.content.model import Content
from companion.portfolio.portfolio import Portfolio
from companion.review.feedback import PASS, REFERRAL
from companion.review.feedback_import import PortfolioFeedback, portfolio_feedback
from companion.text.wordcount import WordTarget, against_cap, against_target

SCHEMA = "companion.progress/1"


@dataclass
class WordCountItem:
    """One draft counted against its target."""

    kind: str  # assignment | proposal-summary
    note: str
    unit: str | None
    target: WordTarget

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
        }


def word_counts(portfolio: Portfolio) -> list[WordCountItem]:
    """Unit assignment drafts and the proposal summary against their targets."""
    items: list[WordCountItem] = []
    content = portfolio.content
    cap = int(content.epa_fact("proposal-summary-max-words", 500))
    summary_path = portfolio.profile.proposal_summary.strip("/")
    for record in portfolio.records.values():
        if record.error:
            continue
        note_type = str(record.get("type") or "").lower()
        if note_type == "assignment":
            unit_id = str(record.get("unit") or "").strip()
            unit = content.unit(unit_id)
            if unit and unit.assignment and unit.assignment.written_words:
                target = against_target(
                    record.words, unit.assignment.written_words, unit.assignment.tolerance_percent
                )
                items.append(WordCountItem("assignment", record.path, unit_id, target))
        elif note_type == "proposal-summary" or record.path == summary_path:
            items.append(
                WordCountItem("proposal-summary", record.path, None, against_cap(record.words, cap))
            )
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
    derived: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    """What other modules work out from this status once and keep (the gateway check)."""

    @property
    def errors(self) -> list[Flag]:
        """Flags that block gateway."""
        return [f for f in self.flags if f.severity == ERROR]

    @property
    def warnings(self) -> list[Flag]:
        """Flags that need a look."""
        return [f for f in self.flags if f.severity == WARNING]


def build_status(portfolio: Portfolio, today: dt.date | None = None) -> Status:
    """Compute progress, flags and word counts for a scanned portfolio."""
    records = list(portfolio.records.values())
    progress = compute_progress(portfolio.content, records)
    flags = check_portfolio(records, portfolio.content, portfolio.profile, today)
    generated = clock.now().isoformat(timespec="seconds")
    feedback = portfolio_feedback(portfolio.root, portfolio.content)
    return Status(portfolio, progress, flags, word_counts(portfolio), generated, feedback)


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


def status_json(status: Status) -> dict[str, Any]:
    """The ``companion.progress/1`` document."""
    portfolio = status.portfolio
    content = portfolio.content
    profile = portfolio.profile
    progress = status.progress
    today = clock.today()
    days_to_gateway = (profile.planned_gateway - today).days if profile.planned_gateway else None
    units = []
    for unit in content.units:
        rollup = progress.units[unit.id]
        units.append(
            {
                "id": unit.id,
                "title": unit.title,
                "method": profile.method(unit.id),
                "grouping": unit.grouping,
                **rollup.to_json(),
                "outcomes": [
                    {
                        "id": lo.id,
                        "text": lo.text,
                        **progress.outcomes[f"{unit.id}/{lo.id}"].to_json(),
                    }
                    for lo in unit.outcomes
                ],
                "criteria": [progress.criteria[c.id].to_json() for c in unit.criteria],
            }
        )
    covered, total = pd_ksb_coverage(status)
    sufficient = sum(1 for c in progress.criteria.values() if c.status == "sufficient")
    return {
        "schema": SCHEMA,
        "generated": status.generated,
        "generator": f"companion {__version__}",
        "qualification": {
            "standard": content.standard.id,
            "title": content.standard.qualification.title
            if content.standard.qualification
            else content.standard.title,
        },
        "learner": {
            "name": profile.learner,
            "programme_start": profile.programme_start.isoformat()
            if profile.programme_start
            else None,
            "planned_gateway": profile.planned_gateway.isoformat()
            if profile.planned_gateway
            else None,
            "days_to_gateway": days_to_gateway,
        },
        "summary": {
            "criteria": len(progress.criteria),
            "sufficient": sufficient,
            "notes": len(portfolio.records),
            "evidence_notes": sum(1 for r in portfolio.records.values() if r.tags),
            "errors": len(status.errors),
            "warnings": len([f for f in status.warnings if not f.acknowledged]),
            "acknowledged": len([f for f in status.warnings if f.acknowledged]),
            "pd_ksbs_covered": covered,
            "pd_ksbs_total": total,
        },
        "units": units,
        "ksbs": [k.to_json() for k in progress.ksbs.values()],
        "groupings": {k: v.to_json() for k, v in progress.groupings.items()},
        "methods": {k: v.to_json() for k, v in progress.methods.items()},
        "word_counts": [w.to_json() for w in status.words],
        "flags": [
            {
                "code": f.code,
                "severity": f.severity,
                "note": f.note,
                "message": f.message,
                "reason": f.reason,
                "acknowledged": f.acknowledged,
                "ac": f.ac,
            }
            for f in status.flags
        ],
    }


def status_text(status: Status) -> str:
    """A readable summary for the terminal."""
    data = status_json(status)
    learner = data["learner"]
    summary = data["summary"]
    lines = [
        f"{learner['name'] or '(no learner name)'} — {data['qualification']['title']}",
    ]
    if learner["days_to_gateway"] is not None:
        lines.append(
            f"Planned gateway {learner['planned_gateway']} ({learner['days_to_gateway']} days)"
        )
    lines.append(
        f"ACs sufficient: {summary['sufficient']}/{summary['criteria']}   "
        f"PD KSBs with evidence: {summary['pd_ksbs_covered']}/{summary['pd_ksbs_total']}   "
        f"errors: {summary['errors']}   warnings: {summary['warnings']}"
    )
    lines.append("")
    for unit in data["units"]:
        bar_width = 20
        filled = round(bar_width * unit["sufficient"] / unit["total"]) if unit["total"] else 0
        bar = "█" * filled + "░" * (bar_width - filled)
        lines.append(
            f"{unit['id']} {bar} {unit['sufficient']:>2}/{unit['total']:<2} sufficient, "
            f"{unit['in_progress']} in progress  {unit['title']} ({unit['method']})"
        )
    if line := feedback_line(status):
        lines += ["", line]
    for problem in status.feedback.problems:
        lines.append(f"warning: {problem}")
    if data["word_counts"]:
        lines.append("")
        for w in data["word_counts"]:
            label = (
                f"unit {w['unit']} assignment" if w["kind"] == "assignment" else "proposal summary"
            )
            lines.append(
                f"{label}: {w['words']} words (target {w['low']}–{w['high']}): "
                f"{w['band']}  [{w['note']}]"
            )
    return "\n".join(lines)
