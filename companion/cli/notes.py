"""Handlers for ``companion notes`` (the Notes screen's list) and ``companion acknowledge``."""

from __future__ import annotations

import argparse
from pathlib import Path

from companion.assessment.rules import WARNING
from companion.assessment.status import build_status
from companion.cli.common import CommandError, note_and_portfolio, open_portfolio, print_json
from companion.content.ids import normalise_ac_id, require_criterion
from companion.content.model import Content
from companion.documents.writers import print_csv
from companion.views.note_list import COLUMNS, SORTS, note_rows, row_for, rows_csv, rows_json
from companion.views.note_query import Clause, parse_clause, tagged, untagged


def _clauses(args: argparse.Namespace, content: Content) -> list[Clause]:
    """The conditions of --where, --untagged and --tagged; bad ones are refused before the
    portfolio is read."""
    clauses = [parse_clause(text) for text in args.where or []]
    for index, clause in enumerate(clauses):
        if clause.key == "ac" and clause.op in ("=", "!=") and clause.value:
            canonical = normalise_ac_id(content, clause.value)
            if canonical:
                clauses[index] = Clause("ac", clause.op, canonical)
    if args.untagged:
        clauses.append(untagged())
    for ac in args.tagged or []:
        clauses.append(tagged(require_criterion(content, ac).id))
    return clauses


def cmd_notes(args: argparse.Namespace) -> int:
    """List the notes, filtered, queried and sorted as on the Notes screen."""
    if args.where:
        for text in args.where:
            parse_clause(text)  # a mistyped condition is said before any note is read
    portfolio = open_portfolio(Path(args.portfolio), args)
    portfolio.close()
    clauses = _clauses(args, portfolio.content)
    status = build_status(portfolio)
    rows = note_rows(status, args.filter or "", SORTS.index(args.sort), args.reverse, clauses)
    if args.json:
        print_json({"notes": rows_json(rows)})
        return 0
    if args.csv:
        print_csv(rows_csv(rows))
        return 0
    cells = [COLUMNS, *(row_for(record, flags) for record, flags in rows)]
    widths = [max(len(row[i]) for row in cells) for i in range(len(COLUMNS))]
    for row in cells:
        line = "  ".join(value.ljust(width) for value, width in zip(row, widths, strict=True))
        print(line.rstrip())
    total = len(portfolio.records)
    narrowed = args.filter or clauses
    print(f"\n{len(rows)} of {total} notes" if narrowed else f"\n{total} notes")
    return 0


def cmd_acknowledge(args: argparse.Namespace) -> int:
    """Accept a warning on a note: it stays listed, marked acknowledged."""
    note, portfolio = note_and_portfolio(args)
    portfolio.scan()
    portfolio.close()
    relative = portfolio.relative(note)
    flags = [f for f in build_status(portfolio).flags if f.note == relative]
    flag = next((f for f in flags if f.code == args.code), None)
    if flag is None:
        codes = ", ".join(sorted({f.code for f in flags})) or "none"
        raise CommandError(f"{note} has no '{args.code}' flag (its flags: {codes})")
    if flag.severity != WARNING:
        raise CommandError(f"'{args.code}' is an error: errors cannot be acknowledged, only fixed")
    if flag.acknowledged:
        print(f"'{args.code}' was already acknowledged in {note}")
        return 0
    portfolio.acknowledge(note, args.code)
    print(f"acknowledged '{args.code}' in {note}")
    return 0
