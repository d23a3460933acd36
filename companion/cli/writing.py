"""Handlers for what an assessor checks in the writing: ``companion cite`` (citations
against the reference list)."""

from __future__ import annotations

import argparse
from pathlib import Path

from companion.cli.common import CommandError, open_portfolio, print_json
from companion.notes.citations import note_citations
from companion.notes.file import NoteReadError, read_note_file
from companion.portfolio.portfolio import Portfolio
from companion.views.citations import cite_json, cite_lines, cite_rows


def _note_of(portfolio: Portfolio, given: str) -> str:
    """The portfolio-relative path of the note named on the command line: a path from
    here, or from the portfolio's folder."""
    for candidate in (Path(given), portfolio.root / given):
        if candidate.is_file():
            relative = portfolio.relative(candidate)
            if relative in portfolio.records:
                return relative
    raise CommandError(f"{given} is not a note of the portfolio {portfolio.root}")


def cmd_cite(args: argparse.Namespace) -> int:
    """List citations, reference entries and what does not match; exit 1 when anything
    does not."""
    portfolio = open_portfolio(Path(args.portfolio), args)
    portfolio.close()
    if args.note:
        notes = [_note_of(portfolio, args.note)]
    else:
        notes = [
            rel
            for rel, record in portfolio.records.items()
            if record.citations or record.reference_entries or record.citation_problems
        ]
    library = portfolio.library
    listed = []
    for relative in notes:
        try:
            found = note_citations(read_note_file(portfolio.path_of(relative)))
        except (NoteReadError, OSError) as exc:
            raise CommandError(f"{relative} cannot be read: {exc}") from None
        listed.append((relative, found))
    problems = sum(1 for _, f in listed for row in cite_rows(f, library) if row.problem)
    if args.json:
        print_json(
            {
                "notes": [cite_json(rel, found, library) for rel, found in listed],
                "library": library.name if library is not None else None,
                "problems": problems,
            }
        )
        return 1 if problems else 0
    if not listed:
        print("no citations or reference lists in the notes")
    for index, (relative, found) in enumerate(listed):
        if index:
            print()
        print("\n".join(cite_lines(relative, found, library)))
    if len(listed) > 1:
        print(f"\n{problems} problem(s) in {len(listed)} notes")
    return 1 if problems else 0
