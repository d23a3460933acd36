"""Handlers for what an assessor checks in the writing: ``companion cite`` (citations
against the reference list), ``companion words`` (the word-count breakdown) and ``companion
links`` (links between notes)."""

from __future__ import annotations

import argparse
from pathlib import Path

from companion.assessment.status import build_status, links, word_count_item
from companion.cli.common import (
    CommandError,
    find_portfolio,
    open_content,
    open_portfolio,
    print_json,
)
from companion.evidence.cache import ExtractionCache
from companion.notes.citations import note_citations
from companion.notes.file import NoteReadError, read_note_file
from companion.notes.record import build_record
from companion.portfolio.portfolio import Portfolio
from companion.text.word_rules import WordCountRules
from companion.views.citations import cite_json, cite_lines, cite_rows
from companion.views.links import link_rows, links_json, links_lines
from companion.views.words import words_json, words_lines


def _note_of(portfolio: Portfolio, given: str) -> str:
    """The portfolio-relative path of the note named on the command line: a path from
    here, or from the portfolio's folder."""
    for candidate in (Path(given), portfolio.root / given):
        if candidate.is_file():
            relative = portfolio.relative(candidate)
            if relative in portfolio.records:
                return relative
    raise CommandError(f"{given} is not a note of the portfolio {portfolio.root}")


def _card_of(file: Path) -> Path:
    """The card of an evidence file named on the command line (``words minutes.docx``)."""
    portfolio = open_portfolio(find_portfolio(file.absolute()), argparse.Namespace())
    portfolio.close()
    relative = portfolio.relative(file)
    for record in portfolio.records.values():
        if record.file is not None and record.file.path == relative:
            return portfolio.path_of(record.path)
    raise CommandError(
        f"{file} has no card yet: 'companion add {portfolio.root} {file}' brings it in"
    )


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
    reader = ExtractionCache(portfolio.extraction_folder).read  # read by the scan just made
    for relative in notes:
        try:
            note = read_note_file(portfolio.path_of(relative))
            found = note_citations(note, portfolio.root, reader)
        except (NoteReadError, OSError) as exc:
            raise CommandError(f"{relative} cannot be read: {exc}") from None
        card = portfolio.records[relative].file
        listed.append((relative, found, card.place_of if card is not None else None))
    problems = sum(1 for _, f, _ in listed for row in cite_rows(f, library) if row.problem)
    if args.json:
        print_json(
            {
                "notes": [cite_json(rel, found, library, place) for rel, found, place in listed],
                "library": library.name if library is not None else None,
                "problems": problems,
            }
        )
        return 1 if problems else 0
    if not listed:
        print("no citations or reference lists in the notes")
    for index, (relative, found, place) in enumerate(listed):
        if index:
            print()
        print("\n".join(cite_lines(relative, found, library, place)))
    if len(listed) > 1:
        print(f"\n{problems} problem(s) in {len(listed)} notes")
    return 1 if problems else 0


def cmd_words(args: argparse.Namespace) -> int:
    """Print a note's words part by part, what counts and, for an assignment draft or the
    proposal summary, its target."""
    note = Path(args.note)
    if not note.is_file():
        raise CommandError(f"{note} is not a file")
    if note.suffix.lower() not in (".md", ".markdown"):
        note = _card_of(note)
    try:
        root: Path | None = find_portfolio(note.absolute())
    except CommandError:
        root = None  # a draft outside any portfolio: counted by the default rules
    portfolio = Portfolio(root, open_content(args), use_store=False) if root else None
    rules = portfolio.profile.word_count if portfolio else WordCountRules()
    relative = portfolio.relative(note) if portfolio else note.name
    record = build_record(note, relative, rules)
    if record.error:
        raise CommandError(record.error.message)
    item = word_count_item(record, portfolio.content, portfolio.profile) if portfolio else None
    document = words_json(record, rules, item)
    if args.json:
        print_json(document)
        return 0
    print("\n".join(words_lines(document, defaults=portfolio is None)))
    return 0


def cmd_links(args: argparse.Namespace) -> int:
    """Print a note's links to other notes and the notes linking to it; exit 1 while a link
    leads nowhere."""
    portfolio = open_portfolio(Path(args.portfolio), args)
    portfolio.close()
    status = build_status(portfolio)
    if args.note:
        notes = [_note_of(portfolio, args.note)]
    else:
        graph = links(status)
        notes = sorted(set(graph.outgoing) | set(graph.incoming))
    broken = sum(1 for note in notes for row in link_rows(status, note) if row.broken)
    if args.json:
        print_json({"notes": [links_json(status, note) for note in notes], "broken": broken})
        return 1 if broken else 0
    if not notes:
        print("no links between notes")
    for index, note in enumerate(notes):
        if index:
            print()
        print("\n".join(links_lines(status, note)))
    return 1 if broken else 0
