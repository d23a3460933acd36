"""The pack for a progress review meeting, and the sign-off file that comes back signed.

It holds what the three people at the review need on the table: progress since the last
review, progress against each unit, the off-the-job hours against the plan and the rules,
the flags, the targets falling due, and a sign-off for each, with room to sign on paper.
Evidence and hours are listed newest first; a list longer than LIST_AT_MOST rows shows the
newest and says how many more there are, and those follow in an annex at the end, so every
row a total counts is in the pack. Beside it goes
``<pack>.signoff.yaml``, filled in with the names companion knows, for each person to sign
and the apprentice to import (``companion signoff import``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, replace
from pathlib import Path

from companion import clock
from companion.assessment.otj import OtjStatus, otj_status
from companion.assessment.reviews import Review, ReviewSchedule, review_schedule
from companion.assessment.rules import ERROR
from companion.assessment.status import Status
from companion.documents.model import CellValue, Document, Row, SignatureRow, Table, long_date
from companion.documents.writers import FORMATS, render
from companion.errors import CompanionError
from companion.exports.output import check_output, remember_output
from companion.exports.sign_page import SIGN_PAGE_SUFFIX, sign_page
from companion.files import atomic_write, read_regular
from companion.portfolio.hours import hours_text
from companion.portfolio.layout import OTJ_FILE
from companion.portfolio.otj_log import Entry
from companion.portfolio.profile import Profile
from companion.portfolio.templates import PARTIES
from companion.review.signoff import (
    MAX_SIGNOFF_BYTES,
    SIGNOFF_SUFFIX,
    Signature,
    SignOff,
    SignOffError,
    Statement,
    parse_signoff,
    render_signoff,
)
from companion.text.values import parse_date
from companion.views.otj import gap_text

PACK_FORMATS = ("docx", "pdf", "md", "html")
LIST_AT_MOST = 40
"""Rows a table of the pack shows; the rest go to an annex at the end."""


class ReviewPackError(CompanionError):
    """A pack that cannot be written; the message says why."""


@dataclass(frozen=True)
class PackWritten:
    """The pack, the sign-off file and the signing page written for one review."""

    pack: Path
    signoff: Path
    page: Path


def _previous(schedule: ReviewSchedule, day: dt.date) -> Review | None:
    held = [r for r in schedule.reviews if r.date < day]
    return held[-1] if held else None


def _summary(status: Status, otj: OtjStatus, schedule: ReviewSchedule, day: dt.date) -> Table:
    profile = status.portfolio.profile
    last = _previous(schedule, day)
    interval = schedule.rule.interval
    rows: list[tuple[str, CellValue]] = [
        ("Learner", profile.learner or "not named in companion.yaml"),
        ("Programme start", profile.programme_start),
        ("Planned gateway", profile.planned_gateway),
        ("Review date", day),
        ("Last review", last.date if last else "none before this one"),
        (
            "Reviews are due every",
            f"{interval.describe()} ({schedule.rule.source})" if interval else "not known",
        ),
        ("Next review due by", interval.next_due(day) if interval else "not known"),
        ("OTJ hours to date", f"{hours_text(otj.done)} hours"),
        (
            "OTJ hours planned to date",
            f"{hours_text(otj.planned)} hours" if otj.planned is not None else "not known",
        ),
        (
            "OTJ hours required in total",
            f"{hours_text(otj.required)} hours" if otj.required is not None else "not known",
        ),
        ("OTJ against the plan", gap_text(otj.gap)),
    ]
    if otj.fell_behind:
        rows.append(
            (
                "Fell behind in",
                ", ".join(f"week {b.week} ({long_date(b.start)})" for b in otj.fell_behind),
            )
        )
    return Table(
        "Summary",
        ["", ""],
        [Row(list(pair)) for pair in rows],
        key="summary",
        widths=(2, 5),
        heading=False,
    )


def _since(status: Status, since: dt.date | None, day: dt.date) -> Table:
    """The evidence dated since the last review, newest first (then by path, to be stable)."""
    dated: list[tuple[dt.date, str, Row]] = []
    for record in status.portfolio.records.values():
        date = parse_date(record.get("date"))
        if record.error or not record.tags or date is None or date > day:
            continue
        if since is not None and date <= since:
            continue
        acs = ", ".join(t.ac for t in record.tags)
        row = Row([record.ref, str(record.get("title") or record.path), date, acs])
        dated.append((date, str(record.path), row))
    dated.sort(key=lambda item: (-item[0].toordinal(), item[1]))
    rows = [row for _, _, row in dated]
    if not rows:
        rows = [Row(["", "No evidence dated since the last review", None, ""])]
    return Table(
        "Evidence since the last review",
        ["Ref", "Title", "Date", "ACs"],
        rows,
        key="since",
        widths=(1, 4, 2, 3),
    )


def _units(status: Status) -> Table:
    profile = status.portfolio.profile
    rows = []
    for unit in status.portfolio.content.units:
        rollup = status.progress.units[unit.id]
        rows.append(
            Row(
                [
                    unit.id,
                    unit.title,
                    profile.method(unit.id),
                    f"{rollup.sufficient}/{rollup.total}",
                    rollup.in_progress,
                ]
            )
        )
    return Table(
        "Progress against each unit",
        ["Unit", "Title", "Assessed by", "ACs sufficient", "In progress"],
        rows,
        key="units",
        widths=(1, 5, 2, 2, 2),
    )


def _entries(otj: OtjStatus, since: dt.date | None, day: dt.date) -> list[Entry]:
    """The counted entries dated since the last review, up to the review day, newest first."""
    entries = [
        entry
        for entry in otj.entries
        if entry.number in otj.counted
        and entry.date <= day
        and (since is None or entry.date > since)
    ]
    return sorted(entries, key=lambda entry: (entry.date, entry.number), reverse=True)


def _otj(otj: OtjStatus, since: dt.date | None, day: dt.date) -> Table:
    """The entries since the last review (their total is added after any cut)."""
    rows = [
        Row(
            [
                entry.date,
                hours_text(entry.minutes),
                entry.kind,
                entry.activity,
                " ".join(entry.ksbs),
            ]
        )
        for entry in _entries(otj, since, day)
    ]
    return Table(
        "Off-the-job training since the last review",
        ["Date", "Hours", "Kind", "Activity", "KSBs"],
        rows,
        key="otj",
        widths=(2, 1, 2, 5, 2),
    )


def _otj_total(otj: OtjStatus, since: dt.date | None, day: dt.date) -> Row:
    """The total row: every entry the table and its annex list, and the hours they add up to."""
    counted = _entries(otj, since, day)
    minutes = sum(entry.minutes for entry in counted)
    noun = "entry" if len(counted) == 1 else "entries"
    return Row([f"Total ({len(counted)} {noun})", hours_text(minutes), "", "", ""])


def _flags(status: Status, otj: OtjStatus, schedule: ReviewSchedule) -> Table:
    rows: list[Row] = []
    if schedule.overdue or schedule.rule.interval is None:
        rows.append(Row(["warning", "Progress reviews", schedule.line()]))
    for otj_flag in otj.flags:
        where = f"{OTJ_FILE}:{otj_flag.line}" if otj_flag.line else OTJ_FILE
        rows.append(Row([otj_flag.severity, where, otj_flag.message]))
    errors: dict[str, int] = {}
    for flag in status.flags:
        if flag.severity == ERROR:
            errors[flag.note] = errors.get(flag.note, 0) + 1
    for note, count in sorted(errors.items()):
        rows.append(Row(["error", note, f"{count} evidence error(s); see 'companion check'"]))
    if not rows:
        rows = [Row(["", "", "Nothing flagged"])]
    return Table(
        "Flags",
        ["Severity", "Where", "What"],
        rows,
        key="flags",
        widths=(1, 3, 6),
    )


def _targets(previous: Review | None, next_due: dt.date | None, day: dt.date) -> Table:
    rows = []
    for target in previous.targets if previous else ():
        if target.done:
            state = "done"
        elif target.due and target.due < day:
            state = "overdue"
        elif target.due and next_due and target.due <= next_due:
            state = "due by the next review"
        else:
            state = "open"
        rows.append(Row([target.text, target.due, state]))
    if not rows:
        rows = [Row(["No targets were set at the last review", None, ""])]
    return Table(
        "Targets from the last review",
        ["Target", "Due", "Status"],
        rows,
        key="targets",
        widths=(6, 2, 2),
    )


def party_names(profile: Profile) -> dict[str, str]:
    """The names companion knows of the three people at a review (empty when not known)."""
    programme = profile.programme
    return {
        "apprentice": profile.learner,
        "employer": programme.line_manager,
        "provider": programme.tutor,
    }


def _signatures(profile: Profile) -> Table:
    """The sign-off table, with the names the profile knows so nobody writes them again."""
    names = party_names(profile)
    return Table(
        "Sign-off",
        ["Who", "Name", "Date", "Signature"],
        [SignatureRow([label, names.get(key, ""), "", ""]) for key, label in PARTIES],
        key="signoff",
        widths=(3, 3, 2, 3),
    )


def _annex_name(index: int) -> str:
    """``Annex A``, ``Annex B``… in the order the tables that need one appear."""
    return f"Annex {chr(ord('A') + index)}"


def _with_annexes(tables: list[Table], totals: dict[str, Row]) -> list[Table]:
    """The tables cut to LIST_AT_MOST rows, each saying how many more and in which annex,
    then the annexes: so the pack stays short to read at the meeting and still lists every
    row a total counts. ``totals`` are rows to end a table with, after the cut (by key)."""
    shown: list[Table] = []
    annexes: list[Table] = []
    for table in tables:
        rows = list(table.rows)
        if len(rows) > LIST_AT_MOST:
            name = _annex_name(len(annexes))
            rest = rows[LIST_AT_MOST:]
            annexes.append(
                replace(
                    table,
                    title=f"{name}: {table.title} (continued)",
                    rows=rest,
                    key=f"{table.key}-annex",
                )
            )
            more: list[CellValue] = [f"and {len(rest)} more, listed in {name}"]
            more += [""] * (len(table.columns) - 1)
            rows = [*rows[:LIST_AT_MOST], Row(more, group=True)]
        if table.key in totals:
            rows.append(totals[table.key])
        shown.append(replace(table, rows=rows))
    return shown + annexes


def review_pack(status: Status, day: dt.date, signoff_name: str = "") -> Document:
    """The pack for a review on ``day``."""
    profile = status.portfolio.profile
    content = status.portfolio.content
    otj = otj_status(status, day)
    schedule = review_schedule(status, day)
    previous = _previous(schedule, day)
    since = previous.date if previous else None
    interval = schedule.rule.interval
    qualification = content.standard.qualification
    title = qualification.title if qualification else content.standard.title
    notes = [
        "Progress since the last review, the off-the-job hours against the plan and the "
        "funding rules, what is flagged and the targets falling due, for the apprentice, "
        "the employer and the provider to discuss and sign."
    ]
    if signoff_name:
        page = signoff_name.removesuffix(SIGNOFF_SUFFIX) + SIGN_PAGE_SUFFIX
        notes.append(
            f"To sign: open {page} in a browser, where each person types their name to sign "
            f"and downloads the signed {signoff_name} (or fills in their name and the date "
            "in that file by hand and sets signed: true); the employer also confirms the "
            "statement at the last review before gateway. The apprentice then puts the "
            f"signed file beside this pack and runs 'companion signoff import {signoff_name} "
            "PORTFOLIO'."
        )
    return Document(
        title="Progress review pack",
        byline=f"{profile.learner or 'Learner not named'} · {title} · review on {long_date(day)}",
        tables=_with_annexes(
            [
                _since(status, since, day),
                _units(status),
                _otj(otj, since, day),
                _flags(status, otj, schedule),
                _targets(previous, interval.next_due(day) if interval else None, day),
                _signatures(profile),
            ],
            {"otj": _otj_total(otj, since, day)},
        ),
        notes=notes,
        summary=_summary(status, otj, schedule, day),
        learner=profile.learner,
        produced=clock.now(),
    )


def signoff_path(pack: Path) -> Path:
    """Where the sign-off file of a pack goes: beside it, ``<stem>.signoff.yaml``."""
    return pack.with_name(f"{pack.stem}{SIGNOFF_SUFFIX}")


def sign_page_path(pack: Path) -> Path:
    """Where the signing page of a pack goes: beside it, ``<stem>.sign.html``."""
    return pack.with_name(f"{pack.stem}{SIGN_PAGE_SUFFIX}")


def _refuse_signed(path: Path) -> None:
    """Never replace a sign-off file someone has already signed."""
    if not path.exists() and not path.is_symlink():
        return
    try:
        parse_signoff(read_regular(path, MAX_SIGNOFF_BYTES), path.name, dt.date.max)
    except (SignOffError, OSError, CompanionError):
        return
    raise ReviewPackError(
        f"{path} is already signed; import it with 'companion signoff import' instead of "
        "writing a new pack over it"
    )


def write_review_pack(
    status: Status, out: Path, fmt: str | None = None, day: dt.date | None = None
) -> PackWritten:
    """Write the pack to ``out`` and its sign-off file beside it."""
    fmt = (fmt or out.suffix.lstrip(".") or "docx").lower()
    fmt = {"markdown": "md"}.get(fmt, fmt)
    if fmt not in PACK_FORMATS or fmt not in FORMATS:
        raise ReviewPackError(f"a review pack is written as {', '.join(PACK_FORMATS)}, not '{fmt}'")
    portfolio = status.portfolio
    profile = portfolio.profile
    if not profile.learner:
        raise ReviewPackError("set 'learner' in companion.yaml first: the sign-off names you")
    when = day or clock.today()
    target = signoff_path(out)
    page = sign_page_path(out)
    try:
        check_output(out, portfolio)
        check_output(target, portfolio, read_here=False)  # a sign-off is meant to be here
        check_output(page, portfolio)
    except CompanionError as exc:
        raise ReviewPackError(exc.message) from None
    _refuse_signed(target)
    doc = review_pack(status, when, target.name)
    data = render(doc, fmt)
    programme = profile.programme
    names = party_names(profile)
    roles = {"employer": "line manager", "provider": "tutor or coach"}
    signoff = SignOff(
        learner=profile.learner,
        review_date=when,
        parties={k: Signature(names[k], roles.get(k, "")) for k, _ in PARTIES},
        statement=Statement(name=programme.line_manager),
        pack=out.name,
        pack_sha256=hashlib.sha256(data).hexdigest(),
    )
    try:
        atomic_write(out, data)
        remember_output(out, portfolio)
        atomic_write(target, render_signoff(signoff).encode("utf-8"))
        remember_output(target, portfolio)
        atomic_write(page, sign_page(doc, signoff, target.name).encode("utf-8"))
        remember_output(page, portfolio)
    except CompanionError as exc:
        raise ReviewPackError(exc.message) from None
    except OSError as exc:
        raise ReviewPackError(f"{out} could not be written: {exc.strerror or exc}") from None
    return PackWritten(out, target, page)
