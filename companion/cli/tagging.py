"""Handlers for ``companion tag`` and ``untag``: one note's evidence list, changed in place.

Kept apart from the portfolio-wide commands so tagging loads only the note writer and the
content, not the progress engine: it runs as often as a learner files evidence.
"""

from __future__ import annotations

import argparse
import sys

from companion.cli.common import CommandError, note_and_portfolio


def _parse_counts(pairs: list[str]) -> dict[str, list[str]]:
    counts: dict[str, list[str]] = {}
    for pair in pairs:
        if "=" not in pair:
            raise CommandError(f"--count takes REQUIREMENT=ITEM, not '{pair}'")
        key, item = pair.split("=", 1)
        counts.setdefault(key.strip(), []).append(item.strip())
    return counts


def _report_warnings(warnings: tuple[str, ...]) -> None:
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)


def cmd_tag(args: argparse.Namespace) -> int:
    """Tag a note to an AC (or update its tag)."""
    note, portfolio = note_and_portfolio(args)
    try:
        change = portfolio.tag(
            note,
            args.ac,
            where=args.where or "",
            counts=_parse_counts(args.count or []),
            covers=args.covers or [],
        )
    finally:
        portfolio.close()
    assert change.tag is not None
    where = f" at {change.tag.where}" if change.tag.where else ""
    print(f"tagged {note} to {change.tag.ac}{where}")
    _report_warnings(change.warnings)
    return 0


def cmd_untag(args: argparse.Namespace) -> int:
    """Remove a note's tag for an AC."""
    note, portfolio = note_and_portfolio(args)
    try:
        change = portfolio.untag(note, args.ac)
    finally:
        portfolio.close()
    assert change.tag is not None
    print(f"untagged {note} from {change.tag.ac}")
    _report_warnings(change.warnings)
    return 0
