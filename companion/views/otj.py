"""Off-the-job training and progress reviews as text: the CLI prints it, the screens show it.

The figures come from ``companion.assessment.otj`` and ``companion.assessment.reviews``; this
module only words and lays them out (the month chart is plain text, so it reads the same in a
terminal, a pipe and the app).
"""

from __future__ import annotations

import csv
import io

from companion.assessment.otj import OtjStatus
from companion.assessment.reviews import ReviewSchedule
from companion.documents.writers import safe_cell
from companion.portfolio.hours import hmm_text, hours_text
from companion.portfolio.layout import OTJ_FILE
from companion.text.terminal import safe_line

BAR = "█"
HALF = "▌"


def gap_text(gap: int | None) -> str:
    """``12.5 behind the plan``, ``3 ahead of the plan`` or ``on the plan``."""
    if gap is None:
        return "no plan to measure against"
    if gap > 0:
        return f"{hours_text(gap)} behind the plan"
    if gap < 0:
        return f"{hours_text(-gap)} ahead of the plan"
    return "on the plan"


def summary_lines(otj: OtjStatus) -> list[str]:
    """Hours to date, planned to date, required in total, the gap and the weeks behind."""
    requirement = otj.requirement
    lines = [f"Off-the-job training to {otj.today.isoformat()}: {hours_text(otj.done)} hours"]
    if otj.required is None:
        lines.append(f"Required in total: not known yet. {requirement.missing}")
    else:
        planned = hours_text(otj.planned or 0)
        lines.append(
            f"Planned to date: {planned} hours   Required in total: {hours_text(otj.required)} "
            f"hours   Gap: {gap_text(otj.gap)}"
        )
        lines.append(f"Worked out as {requirement.how}.")
    if requirement.rule is not None:
        rule = requirement.rule
        caveat = f" {rule.caveat}" if rule.caveat else ""
        lines.append(f"Rule: {rule.text} ({rule.source.line()}){caveat}")
    if otj.fell_behind:
        weeks = ", ".join(f"week {b.week} (from {b.start.isoformat()})" for b in otj.fell_behind)
        lines.append(
            f"Fell behind the plan in {weeks}; behind at the end of {otj.weeks_behind} weeks."
        )
    if otj.duration is not None:
        lines.append(
            f"Minimum practical period for your start date: {otj.duration.text} "
            f"({otj.duration.rule.source.line()})."
        )
    lines += otj.notes
    return lines


def month_bars(otj: OtjStatus, width: int = 30) -> list[str]:
    """One line per month: ``2026-03 ██████▌ 13.5``, scaled to the busiest month."""
    if not otj.months:
        return []
    top = max(minutes for _, minutes in otj.months) or 1
    lines = []
    for month, minutes in otj.months:
        cells = minutes * width * 2 // top
        bar = BAR * (cells // 2) + (HALF if cells % 2 else "")
        lines.append(f"{month} {bar:<{width}} {hours_text(minutes)}")
    return lines


def flag_lines(otj: OtjStatus) -> list[str]:
    """Each flag on one line, its reason beneath."""
    lines = []
    for flag in otj.flags:
        mark = "ERROR" if flag.severity == "error" else "warn "
        where = f"{OTJ_FILE}:{flag.line}: " if flag.line else ""
        lines.append(f"{mark} {where}{safe_line(flag.message)}")
        if flag.reason:
            lines.append(f"      {safe_line(flag.reason)}")
    return lines


def entry_rows(otj: OtjStatus) -> list[tuple[str, ...]]:
    """The log as rows: number, date, hours, kind, activity, KSBs, running total, mark."""
    rows: list[tuple[str, ...]] = []
    for entry in otj.entries:
        counted = entry.number in otj.counted
        rows.append(
            (
                str(entry.number),
                entry.date.isoformat(),
                hours_text(entry.minutes),
                entry.kind,
                entry.activity,
                " ".join(entry.ksbs),
                hours_text(otj.running.get(entry.number, 0)),
                "" if counted else "not counted",
            )
        )
    return rows


def otj_text(otj: OtjStatus) -> str:
    """The whole OTJ report for ``companion otj``."""
    lines = summary_lines(otj)
    bars = month_bars(otj)
    if bars:
        lines += ["", "By month:", *bars]
    if otj.entries:
        lines += ["", f"{'#':>4}  {'date':<10}  {'hours':>6}  {'kind':<18}  {'total':>7}  activity"]
        for number, date, hours, kind, activity, ksbs, running, mark in entry_rows(otj):
            note = f"  [{mark}]" if mark else ""
            what = safe_line(activity) + (f"  ({ksbs})" if ksbs else "")
            lines.append(
                f"{number:>4}  {date:<10}  {hours:>6}  {kind:<18}  {running:>7}  {what}{note}"
            )
    elif not otj.log.exists:
        lines += ["", f"No {OTJ_FILE} yet: add the first entry with 'companion otj add'."]
    flags = flag_lines(otj)
    if flags:
        lines += ["", *flags]
    return "\n".join(lines)


def otj_csv(otj: OtjStatus) -> str:
    """The log as CSV for a spreadsheet: one row per entry, with the running total."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        [
            "entry",
            "date",
            "hours",
            "h:mm",
            "minutes",
            "kind",
            "activity",
            "ksbs",
            "evidence",
            "note",
            "counted",
            "running total",
        ]
    )
    for entry in otj.entries:
        writer.writerow(
            [
                safe_cell(str(value))
                for value in (
                    entry.number,
                    entry.date.isoformat(),
                    hours_text(entry.minutes),
                    hmm_text(entry.minutes),
                    entry.minutes,
                    entry.kind,
                    entry.activity,
                    " ".join(entry.ksbs),
                    entry.evidence,
                    entry.note,
                    "yes" if entry.number in otj.counted else "no",
                    hours_text(otj.running.get(entry.number, 0)),
                )
            ]
        )
    return out.getvalue()


def reviews_text(schedule: ReviewSchedule) -> str:
    """The reviews held, who signed, and the next one due."""
    lines = [schedule.line()]
    if schedule.rule.source:
        lines.append(f"Interval from: {schedule.rule.source}")
    for review in schedule.reviews:
        signed = ", ".join(review.signed) or "not signed yet"
        lines.append(f"  {review.date.isoformat()}  {safe_line(review.path)}  signed: {signed}")
        for signer in review.signers:
            lines.append(f"      {safe_line(signer.line())}")
        for target in review.targets:
            by = f" (due {target.due.isoformat()})" if target.due else ""
            done = " [done]" if target.done else ""
            lines.append(f"      target: {safe_line(target.text)}{by}{done}")
    for before, held, due in schedule.late:
        lines.append(
            f"  late: the review after {before.isoformat()} was held on {held.isoformat()}, "
            f"due by {due.isoformat()}"
        )
    for undated in schedule.undated:
        lines.append(f"  warning: {safe_line(undated)} has no valid date, so it is not counted")
    for problem in schedule.signoffs.problems:
        lines.append(f"  warning: {safe_line(problem)}")
    return "\n".join(lines)
