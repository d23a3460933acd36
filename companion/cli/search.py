"""Handler for ``companion search``: the notes' text, searched from the command line."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from companion.cli.common import open_portfolio, print_json
from companion.portfolio.search import search_notes
from companion.text.search_query import parse_query


def cmd_search(args: argparse.Namespace) -> int:
    """Print the notes whose text matches, best first, each with its lines and ACs; exit 1
    when none does (as grep does)."""
    query = parse_query(args.query)  # a query with no word is refused before any reading
    portfolio = open_portfolio(Path(args.portfolio), args, scan=False)
    try:
        survey = portfolio.survey()
        for warning in portfolio.warnings + survey.warnings:
            print(f"warning: {warning}", file=sys.stderr)
        results = search_notes(portfolio, query, limit=args.limit, survey=survey)
        for warning in portfolio.text_index.warnings:
            print(f"warning: {warning}", file=sys.stderr)
    finally:
        portfolio.close()
    if args.json:
        print_json(
            {
                "query": query.text,
                "total": results.total,
                "notes": [hit.to_json() for hit in results.hits],
            }
        )
        return 0 if results.total else 1
    for hit in results.hits:
        tags = f"  [{', '.join(hit.acs)}]" if hit.acs else ""
        ref = f"{hit.ref}  " if hit.ref else ""
        print(f"{hit.note}  {ref}{hit.title}{tags}")
        for number, text in hit.lines:
            print(f"  {number:>5}: {text}")
    shown = len(results.hits)
    noun = "note matches" if results.total == 1 else "notes match"
    more = f" (showing {shown}; --limit 0 shows all)" if shown < results.total else ""
    if results.hits:
        print()
    print(f"{results.total} {noun} {query.text}{more}")
    return 0 if results.total else 1
