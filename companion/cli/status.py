"""``companion status``: working out a portfolio's status, remembering it, and printing it.

A status is the most run command and, on a large portfolio, the most costly, so it rests
on six caches. Each is trusted only while what it was made from is unchanged:

1. The printed status (``Portfolio.remembering``, keyed by
   ``companion.assessment.memo.memo_key``). Printed again, byte for byte but for its
   ``generated`` time, when nothing it depends on changed. Invalidated by any change to
   a note's or evidence file's name, size or time, to ``companion.yaml``, the framework's
   content, the reference library, the imported feedback, the day, the output kind (text
   or JSON, a terminal or a pipe) or the code that works a status out (``STATUS_CODE``).
   A hit reads no note and no row of the index, and does not load the content (its
   fingerprint is worked out from its files: ``content.load.content_fingerprint``).
   ``companion check``, ``notes`` and ``export matrix`` keep what they make the same way
   (``companion.cli.remembered``).
2. The note index (``companion.portfolio.note_index``): a record per note. A note is read
   again when its size or time changes, when its card's evidence file changes, when the
   glossary's spellings of the models change, and every note when the profile's
   word-count rules change; the code that reads notes is part of the index's schema.
3. The flags cache (``companion.portfolio.flags_cache``): each note's flags, kept with its
   row. Used while the note has the size and time they were worked out for and the flags
   key (``companion.assessment.memo.flags_key``: the content, the profile, the day, the
   reference library and the rules' code) is the same; a note read again has none.
4. The content cache (``companion.content.cache``): the validated framework, keyed by its
   YAML files' bytes, the code that reads content and the Python version.
5. What was read from evidence files (``companion.evidence.cache``), keyed by each file's
   path, size and time and the reader's code; pruned as files go.
6. The reference library (``companion.portfolio.library_file``): read again when its name
   in ``companion.yaml`` or its file's size or time changes.

The OTJ log and the kept sign-offs are no part of a status (``companion otj`` reads them
afresh each time), so they are not in its key; a scan only reports that they changed
(``ScanResult.logs_changed``), for the app to redraw what shows them.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from companion.assessment.memo import memo_key, with_generated_now
from companion.cli.common import (
    compact_json_parts,
    json_text,
    kept_warnings,
    open_portfolio,
    say_kept_warnings,
    warn_library,
    write_ascii,
)

if TYPE_CHECKING:
    from companion.assessment.status import Status


def show_status(args: argparse.Namespace) -> int:
    """Print progress, as text or the progress JSON (``companion status``).

    When nothing it depends on has changed since the last time (the notes' names, sizes and
    times, the profile, the content, imported feedback, the day), the status printed then
    is printed again without reading a note or a row of the index.
    """
    portfolio = open_portfolio(Path(args.portfolio), args, scan=False, content_when_used=True)
    try:
        survey = portfolio.survey()
        for warning in portfolio.warnings + survey.warnings:
            print(f"warning: {warning}", file=sys.stderr)
        indent = 2 if sys.stdout.isatty() else None
        kind = f"status-{'json' if args.json else 'text'}-{indent}"
        key = memo_key(portfolio, survey, kind)
        if key and _printed_again(portfolio.remembered_file(kind, key), args.json, indent):
            return 0
        from companion.assessment.status import build_status

        scanned = portfolio.scan(survey=survey)
        del survey  # a stamp per note, not needed again: 2 MB at 10,000 notes
        for warning in scanned.warnings:  # of this scan only: not kept
            print(f"warning: {warning}", file=sys.stderr)
        said = warn_library(portfolio)  # read only when the status is worked out again
        status = build_status(portfolio)
        with portfolio.remembering(kind, key) as keep:
            keep(kept_warnings(said))
            print_status(status, args.json, indent, keep)
    finally:
        portfolio.close()
    return 0


KEPT_HEAD = 4096
"""Bytes of a kept status read first, for its first line (its warnings) and then its head
(its ``generated`` time is within them)."""


def _printed_again(kept: BinaryIO | None, as_json: bool, indent: int | None) -> bool:
    """Print a kept status (its warnings first) and say True; False when there is none, or
    what is there is not one (kept by other code, damaged), to work it out again."""
    if kept is None:
        return False
    with kept:
        if not say_kept_warnings(kept.readline(KEPT_HEAD)):
            return False
        print_kept(kept, as_json, indent)
    return True


def print_kept(kept: BinaryIO, as_json: bool, indent: int | None) -> None:
    """Print a kept status as it was, a JSON one with ``generated`` set to now. Compact
    JSON is copied a megabyte at a time: it is tens of megabytes at 50,000 notes."""
    if not as_json:
        print(kept.read().decode("utf-8", "surrogatepass"))
        return
    pieces = chain(with_generated_now(kept.read(KEPT_HEAD)), iter(partial(kept.read, 1 << 20), b""))
    if indent is None:
        write_ascii(chain(pieces, [b"\n"]))
    else:
        print(b"".join(pieces).decode("utf-8", "surrogatepass"))


def print_status(
    status: Status, as_json: bool, indent: int | None, keep: Callable[[bytes], None]
) -> None:
    """Print the status, passing what is printed to ``keep`` as bytes. Compact JSON is
    written a piece at a time as it is encoded: neither the document nor its text is held."""
    from companion.assessment.status import status_json, status_sections, status_text

    if as_json and indent is None:

        def kept(pieces: Iterable[bytes]) -> Iterator[bytes]:
            for piece in pieces:
                keep(piece)
                yield piece

        write_ascii(kept(compact_json_parts(status_sections(status))))
        write_ascii([b"\n"])
        return
    text = json_text(status_json(status), indent) if as_json else status_text(status)
    print(text)
    keep(text.encode("utf-8", "surrogatepass"))
