"""Handlers for evidence files: ``companion files`` (every file, with its card or none) and
``companion add`` (cards for files, so they count as evidence)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from companion.cli.common import CommandError, open_portfolio, parse_date, print_json
from companion.portfolio.cards import CardError, evidence_files, plan_cards, write_cards
from companion.text.terminal import safe_line
from companion.views.files import file_lines


def cmd_files(args: argparse.Namespace) -> int:
    """List the portfolio's evidence files: format, size of contents, words, card."""
    portfolio = open_portfolio(Path(args.portfolio), args)
    try:
        found = evidence_files(portfolio)
    finally:
        portfolio.close()
    if args.json:
        print_json({"files": [f.to_json() for f in found]})
        return 0
    print("\n".join(file_lines(found)))
    return 0


def cmd_add(args: argparse.Namespace) -> int:
    """Write a card beside each file named (or each file without one, with --all)."""
    if not args.files and not args.all:
        raise CommandError("name the files to add, or --all for every file without a card")
    if args.files and args.all:
        raise CommandError("give files or --all, not both")
    portfolio = open_portfolio(Path(args.portfolio), args)
    skipped: list[str] = []
    try:
        plans = plan_cards(
            portfolio,
            [Path(f) for f in args.files],
            every=args.all,
            evidence_type=args.type,
            ref=args.ref,
            date=parse_date(args.date, "--date"),
            title=args.title,
            skipped=skipped,
        )
        written = write_cards(portfolio, plans)
    except CardError as exc:
        raise CommandError(exc.message) from None
    finally:
        portfolio.close()
    for reason in skipped:
        print(f"skipped: {safe_line(reason)}", file=sys.stderr)
    if not written and not skipped:
        print("every evidence file has a card already")
    for plan, path in zip(plans, written, strict=True):
        print(f"{path}  {plan.ref}  {plan.type}  {plan.date.isoformat()}  {plan.title}")
    return 0
