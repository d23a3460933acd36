"""Handlers for off-the-job training and progress reviews: ``otj``, ``reviews``,
``review-pack`` and ``signoff import``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from companion import clock
from companion.assessment.otj import OtjStatus, ksb_checker, log_kinds, otj_status
from companion.assessment.reviews import ReviewError, new_review, review_schedule
from companion.assessment.status import Status, build_status
from companion.cli.common import CommandError, open_content, open_portfolio, parse_date, print_json
from companion.documents.writers import print_csv
from companion.errors import CompanionError
from companion.exports.review_pack import ReviewPackError, write_review_pack
from companion.portfolio.hours import hmm_text, hours_text
from companion.portfolio.layout import OTJ_FILE
from companion.portfolio.otj_log import (
    Entry,
    OtjLogError,
    add_entry,
    check_entry,
    delete_entry,
    replace_entry,
    split_ksbs,
)
from companion.portfolio.portfolio import Portfolio
from companion.review.signoff import SignOffError, import_signoff
from companion.text.terminal import safe_line
from companion.views.otj import otj_csv, otj_text, reviews_text


def _apprenticeship(portfolio: Portfolio) -> Portfolio:
    """The portfolio, or refused when its framework has no funding rules to log against."""
    if portfolio.content.funding is None:
        raise CommandError(
            f"{portfolio.content.standard.title} has no apprenticeship funding rules, so there "
            "is no off-the-job log or progress review to keep for it"
        )
    return portfolio


def _open(args: argparse.Namespace) -> Portfolio:
    portfolio = _apprenticeship(open_portfolio(Path(args.portfolio), args))
    portfolio.close()
    return portfolio


def _status(args: argparse.Namespace) -> tuple[Portfolio, Status]:
    portfolio = _open(args)
    return portfolio, build_status(portfolio)


def cmd_otj_show(args: argparse.Namespace) -> int:
    """Print the OTJ summary, the log and its checks; exit 1 while the log has errors."""
    _, status = _status(args)
    otj = otj_status(status)
    if args.json:
        print_json(otj.to_json())
    elif args.csv:
        print_csv(otj_csv(otj))
    else:
        print(otj_text(otj))
    return 1 if otj.errors else 0


def _ksbs(values: list[str] | None) -> list[str] | None:
    if values is None:
        return None
    return [code for value in values for code in split_ksbs(value)]


def _evidence(portfolio: Portfolio, value: str | None) -> str | None:
    """The evidence note as a path in the portfolio; refused unless it is a note there."""
    if value is None or not value.strip():
        return value
    path = Path(value).expanduser()
    path = path if path.is_absolute() else portfolio.root / path
    try:
        relative = portfolio.relative(path)
    except CompanionError as exc:
        raise CommandError(str(exc)) from None
    if relative not in portfolio.records:
        raise CommandError(f"--evidence {value}: not a note in the portfolio")
    return relative


def _fields(args: argparse.Namespace, portfolio: Portfolio, base: Entry | None) -> dict[str, Any]:
    given = {
        "date": args.date,
        "hours": args.hours,
        "activity": args.activity,
        "kind": args.kind,
        "ksbs": _ksbs(args.ksb),
        "evidence": _evidence(portfolio, args.evidence),
        "note": args.note,
    }
    if base is None:
        return given
    current: dict[str, Any] = {
        "date": base.date.isoformat(),
        "hours": hours_text(base.minutes) if base.minutes % 3 == 0 else hmm_text(base.minutes),
        "activity": base.activity,
        "kind": base.kind,
        "ksbs": list(base.ksbs),
        "evidence": base.evidence,
        "note": base.note,
    }
    return {k: (v if v is not None else current[k]) for k, v in given.items()}


def _write_entry(args: argparse.Namespace, number: int | None) -> int:
    portfolio = _open(args)
    status = build_status(portfolio)
    today = clock.today()
    kinds = log_kinds(portfolio.content, portfolio.profile, today)
    ksb = ksb_checker(portfolio.content)
    before = otj_status(status, today)
    base = None
    if number is not None:
        base = next((e for e in before.entries if e.number == number), None)
        if base is None:
            raise CommandError(f"there is no entry {number} in {OTJ_FILE} that can be edited")
    try:
        entry = check_entry(_fields(args, portfolio, base), ksb, kinds)
        if number is None:
            after = add_entry(portfolio.root, entry, ksb, kinds, expected=before.log.raw)
        else:
            after = replace_entry(
                portfolio.root, number, entry, ksb, kinds, expected=before.log.raw
            )
    except OtjLogError as exc:
        raise CommandError(
            f"not {'added' if number is None else 'changed'}: {exc.message}", exc.exit_status
        ) from None
    status.derived.pop("otj", None)
    otj = otj_status(status, today)
    written = number if number is not None else len(after.items)
    verb = "added" if number is None else "changed"
    print(
        f"{verb} entry {written} ({entry.date.isoformat()}, {hours_text(entry.minutes)} hours) "
        f"in {OTJ_FILE}; {hours_text(otj.done)} hours logged"
        + (f" of {hours_text(otj.required)} required" if otj.required is not None else "")
    )
    _warn_about(otj, written)
    return 0


def _warn_about(otj: OtjStatus, number: int) -> None:
    for flag in otj.flags:
        if flag.number == number:
            print(f"{flag.severity}: {safe_line(flag.message)}", file=sys.stderr)


def cmd_otj_add(args: argparse.Namespace) -> int:
    """Add an entry at the end of the log (creating it), and say what it now totals."""
    return _write_entry(args, None)


def cmd_otj_edit(args: argparse.Namespace) -> int:
    """Change the fields given of one entry; every other line stays as it was."""
    return _write_entry(args, args.entry)


def cmd_otj_delete(args: argparse.Namespace) -> int:
    """Remove one entry (its lines only) and say what the log now totals."""
    portfolio = _open(args)
    status = build_status(portfolio)
    today = clock.today()
    kinds = log_kinds(portfolio.content, portfolio.profile, today)
    before = otj_status(status, today)
    if not 1 <= args.entry <= len(before.log.items):
        raise CommandError(f"there is no entry {args.entry} in {OTJ_FILE}")
    gone = next((e for e in before.entries if e.number == args.entry), None)
    try:
        delete_entry(
            portfolio.root,
            args.entry,
            ksb_checker(portfolio.content),
            kinds,
            expected=before.log.raw,
        )
    except OtjLogError as exc:
        raise CommandError(f"not deleted: {exc.message}", exc.exit_status) from None
    status.derived.pop("otj", None)
    otj = otj_status(status, today)
    what = (
        f" ({gone.date.isoformat()}, {hours_text(gone.minutes)} hours)" if gone is not None else ""
    )
    print(
        f"deleted entry {args.entry}{what} from {OTJ_FILE}; {hours_text(otj.done)} hours logged"
        + (f" of {hours_text(otj.required)} required" if otj.required is not None else "")
    )
    return 0


def cmd_reviews_show(args: argparse.Namespace) -> int:
    """Print the reviews held, their sign-off, and when the next is due."""
    _, status = _status(args)
    schedule = review_schedule(status)
    if args.json:
        print_json(schedule.to_json())
    else:
        print(reviews_text(schedule))
    return 0


def cmd_reviews_new(args: argparse.Namespace) -> int:
    """Write the record of a review with unit progress and OTJ to date filled in."""
    _, status = _status(args)
    day = parse_date(args.date, "--date") or clock.today()
    try:
        path = new_review(status, day)
    except ReviewError as exc:
        raise CommandError(exc.message, 1) from None
    print(f"wrote {path}")
    return 0


def cmd_review_pack(args: argparse.Namespace) -> int:
    """Write the review pack and the sign-off file beside it."""
    _, status = _status(args)
    day = parse_date(args.date, "--date")
    try:
        written = write_review_pack(status, Path(args.out), args.format, day)
    except ReviewPackError as exc:
        raise CommandError(exc.message) from None
    print(
        f"wrote {written.pack}\nwrote {written.signoff} (to be signed, then imported)\n"
        f"wrote {written.page} (open it in a browser to sign)"
    )
    return 0


def cmd_signoff_import(args: argparse.Namespace) -> int:
    """Keep a signed sign-off file in the portfolio, where the gateway and reviews read it."""
    opened = _apprenticeship(Portfolio(Path(args.portfolio), open_content(args), use_store=False))
    try:
        result = import_signoff(Path(args.file), opened.root, opened.profile, no_pack=args.no_pack)
    except SignOffError as exc:
        raise CommandError(exc.message) from None
    signoff = result.signoff
    verb = {"added": "imported", "replaced": "updated", "unchanged": "already imported"}
    signed = ", ".join(signoff.signed) or "nobody"
    statement = (
        "; employer's statement confirmed"
        if signoff.statement and signoff.statement.confirmed
        else ""
    )
    print(f"{verb[result.outcome]}: {result.path} (signed by {signed}{statement})")
    return 0
