"""Handlers for ``companion notes`` (the Notes screen's list) and ``companion acknowledge``."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from companion.cli.common import CommandError, json_text, note_and_portfolio
from companion.cli.remembered import Printed, remembered
from companion.content.ids import normalise_ac_id, require_terms
from companion.views.note_query import Clause, parse_clause, tagged, untagged

if TYPE_CHECKING:
    from companion.assessment.status import Status
    from companion.content.digest import CriteriaDigest

# The engine and the list's columns are loaded only to work a list out: an unchanged
# portfolio's list is printed again without them (``companion.cli.remembered``).


def _clauses(args: argparse.Namespace, criteria: CriteriaDigest) -> list[Clause]:
    """The conditions of --where, --untagged and --tagged; bad ones are refused before the
    portfolio is read. Read with the content's digest: a list printed again never loads
    the content's model."""
    clauses = [parse_clause(text) for text in args.where or []]
    for index, clause in enumerate(clauses):
        if clause.key == "ac" and clause.op in ("=", "!=") and clause.value:
            canonical = normalise_ac_id(criteria, clause.value)
            if canonical:
                clauses[index] = Clause("ac", clause.op, canonical)
    if args.untagged:
        clauses.append(untagged())
    for ac in args.tagged or []:
        clauses.append(tagged(require_terms(criteria, ac).id))
    return clauses


def cmd_notes(args: argparse.Namespace) -> int:
    """List the notes, filtered, queried and sorted as on the Notes screen; printed again as
    it was while nothing it depends on changed (``companion.cli.remembered``)."""
    if args.where:
        for text in args.where:
            parse_clause(text)  # a mistyped condition is said before any note is read
    options = (
        args.filter or "",
        args.sort,
        bool(args.reverse),
        tuple(args.where or ()),
        bool(args.untagged),
        tuple(args.tagged or ()),
    )
    name = "notes-json" if args.json else "notes-csv" if args.csv else "notes"
    with remembered(args, name, *options) as report:
        clauses = _clauses(args, report.portfolio.criteria)
        printed = report.printed(lambda status: notes_report(status, args, clauses))
    return printed.show()


def notes_report(status: Status, args: argparse.Namespace, clauses: list[Clause]) -> Printed:
    """What ``companion notes`` prints of a status."""
    from companion.views.note_list import COLUMNS, SORTS, note_rows, row_for, rows_csv, rows_json

    rows = note_rows(status, args.filter or "", SORTS.index(args.sort), args.reverse, clauses)
    if args.json:
        return Printed(json_text({"notes": rows_json(rows)}, 2 if sys.stdout.isatty() else None))
    if args.csv:
        return Printed(rows_csv(rows), csv=True)
    cells = [COLUMNS, *(row_for(record, flags) for record, flags in rows)]
    widths = [max(len(row[i]) for row in cells) for i in range(len(COLUMNS))]
    lines = [
        "  ".join(value.ljust(width) for value, width in zip(row, widths, strict=True)).rstrip()
        for row in cells
    ]
    total = len(status.portfolio.records)
    narrowed = args.filter or clauses
    lines.append(f"\n{len(rows)} of {total} notes" if narrowed else f"\n{total} notes")
    return Printed("\n".join(lines))


def cmd_acknowledge(args: argparse.Namespace) -> int:
    """Accept a warning on a note: it stays listed, marked acknowledged."""
    from companion.assessment.rules import WARNING
    from companion.assessment.status import build_status

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
