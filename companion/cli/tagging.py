"""Handlers for ``companion tag`` and ``untag``: one note's evidence list, changed in place.

Kept apart from the portfolio-wide commands so tagging loads only the note writer and the
content, not the progress engine: it runs as often as a learner files evidence.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from companion.cli.common import CommandError, note_and_portfolio

if TYPE_CHECKING:
    from companion.notes.file import NoteFile
    from companion.notes.tags import Tag
    from companion.portfolio.portfolio import Portfolio


def _parse_counts(pairs: list[str]) -> dict[str, list[str]]:
    counts: dict[str, list[str]] = {}
    for pair in pairs:
        if "=" not in pair:
            raise CommandError(f"--count takes REQUIREMENT=ITEM, not '{pair}'")
        key, item = pair.split("=", 1)
        counts.setdefault(key.strip(), []).append(item.strip())
    return counts


def _kept(args: argparse.Namespace, tag: Tag) -> str:
    """What an update kept of the tag without being told to: said, so it is never a
    surprise either way."""
    kept = []
    if not args.count and not args.clear_counts and tag.counts:
        listed = "; ".join(f"{key}: {', '.join(items)}" for key, items in tag.counts.items())
        kept.append(f"its counts ({listed})")
    if not args.covers and not args.clear_covers and tag.covers:
        kept.append(f"its checklist items ({', '.join(tag.covers)})")
    return f"; kept {' and '.join(kept)}" if kept else ""


def _report_warnings(warnings: tuple[str, ...]) -> None:
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)


def cmd_tag(args: argparse.Namespace) -> int:
    """Tag a note to an AC (or update its tag)."""
    note, portfolio = note_and_portfolio(args)
    if args.count and args.clear_counts:
        raise CommandError("give --count or --clear-counts, not both")
    if args.covers and args.clear_covers:
        raise CommandError("give --covers or --clear-covers, not both")
    try:
        change = portfolio.tag(
            note,
            args.ac,
            where=args.where,
            # what is not given is kept: moving a tag to another page keeps what it counts
            counts=_parse_counts(args.count) if args.count else ({} if args.clear_counts else None),
            covers=args.covers if args.covers else ([] if args.clear_covers else None),
        )
        beyond = _beyond_file(portfolio, change.after, change.tag.where if change.tag else "")
    finally:
        portfolio.close()
    assert change.tag is not None
    where = f" at {change.tag.where}" if change.tag.where else ""
    print(f"tagged {note} to {change.tag.ac}{where}{_kept(args, change.tag)}")
    _report_warnings(change.warnings)
    if beyond:
        _report_warnings((f"{beyond}: point the tag at a place the file has",))
    return 0


def _beyond_file(portfolio: Portfolio, card: NoteFile, where: str) -> str | None:
    """For a card, why ``where`` names a page, slide or moment its file does not have
    (read from the app's record of the file, so tagging stays quick); None for a note."""
    from companion.notes.card_key import card_file_name

    name = card_file_name(card.metadata)
    if name is None or not where:
        return None
    from companion.evidence.cache import ExtractionCache
    from companion.notes.card import beyond_file, read_card_file

    reader = ExtractionCache(portfolio.extraction_folder).read
    facts, _ = read_card_file(card.path, name, portfolio.root, reader)
    return beyond_file(where, facts)


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
