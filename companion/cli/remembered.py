"""Reports made from a status, made again only when something they depend on changed.

``companion check``, ``companion notes`` and ``companion export matrix`` print or write
what a status of the portfolio says. Like ``companion status`` (``companion.cli.status``),
each keeps what it last made under a key of everything that went into it: the notes'
names, sizes and times, the profile, the content, imported feedback, the reference
library, the day and the code (``companion.assessment.memo.memo_key`` with
``REPORT_CODE``), and the options it ran with. Run again on an unchanged portfolio, it
walks the folders and reads one file instead of every row of the index, and says again
what it said of the reference library. One report is
kept per command and kind of output (``name``): other options replace it.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from companion.assessment.memo import memo_key
from companion.cli.common import kept_warnings, open_portfolio, say_kept_warnings, warn_library
from companion.code_key import REPORT_CODE
from companion.documents.writers import print_csv

if TYPE_CHECKING:
    from companion.assessment.status import Status
    from companion.portfolio.note_index import Survey
    from companion.portfolio.portfolio import Portfolio


@dataclass(frozen=True)
class Printed:
    """What a command prints, and the exit status it ends with."""

    text: str
    exit_status: int = 0
    csv: bool = False
    """Printed as a CSV file's bytes (``print_csv``) rather than as text."""

    def show(self) -> int:
        """Print it as the command does; return the exit status."""
        if self.csv:
            print_csv(self.text)
        else:
            print(self.text)
        return self.exit_status

    def encode(self) -> bytes:
        head = f"{self.exit_status} {int(self.csv)}\n".encode("ascii")
        return head + self.text.encode("utf-8", "surrogatepass")

    @classmethod
    def decode(cls, kept: bytes) -> Printed | None:
        """What ``encode`` kept; None when it is not such a thing (a damaged file)."""
        head, _, body = kept.partition(b"\n")
        try:
            exit_status, csv = (int(part) for part in head.split(b" "))
            return cls(body.decode("utf-8", "surrogatepass"), exit_status, bool(csv))
        except ValueError:
            return None


class Remembered:
    """A portfolio opened and walked, not yet scanned, and the key of one report of it."""

    def __init__(self, portfolio: Portfolio, survey: Survey, name: str, key: str) -> None:
        self.portfolio = portfolio
        self._survey: Survey | None = survey
        self._name = name
        self._key = key

    def kept(self) -> bytes | None:
        """What was made for the same key last time, its warnings said again; None when
        nothing (or nothing readable) was kept."""
        kept = self.portfolio.remembered(self._name, self._key) if self._key else None
        if kept is None:
            return None
        head, _, body = kept.partition(b"\n")
        return body if say_kept_warnings(head) else None

    def make(self, work: Callable[[Status], bytes]) -> bytes:
        """Scan the portfolio, make the report from its status with ``work``, and keep it."""
        from companion.assessment.status import build_status

        survey, self._survey = self._survey, None  # a stamp per note: let it go
        scanned = self.portfolio.scan(survey=survey)
        del survey
        for warning in scanned.warnings:  # of this scan only: not kept
            print(f"warning: {warning}", file=sys.stderr)
        said = warn_library(self.portfolio)
        made = work(build_status(self.portfolio))
        with self.portfolio.remembering(self._name, self._key) as keep:
            keep(kept_warnings(said))
            keep(made)
        return made

    def printed(self, work: Callable[[Status], Printed]) -> Printed:
        """What the command prints: as kept, or made again (and kept) by ``work``."""
        kept = self.kept()
        found = Printed.decode(kept) if kept is not None else None
        if found is not None:
            return found
        made = self.make(lambda status: work(status).encode())
        found = Printed.decode(made)
        assert found is not None
        return found


@contextlib.contextmanager
def remembered(args: argparse.Namespace, name: str, *options: object) -> Iterator[Remembered]:
    """The portfolio of ``args`` opened and walked, with the key of the report ``name``
    made with ``options`` (and for a terminal or a pipe, which print differently). A
    report of another ``name`` is kept beside it; one of other options replaces it."""
    portfolio = open_portfolio(Path(args.portfolio), args, scan=False, content_when_used=True)
    try:
        survey = portfolio.survey()
        for warning in portfolio.warnings + survey.warnings:
            print(f"warning: {warning}", file=sys.stderr)
        kind = repr((name, sys.stdout.isatty(), *options))
        key = memo_key(portfolio, survey, kind, REPORT_CODE)
        yield Remembered(portfolio, survey, name, key)
    finally:
        portfolio.close()
