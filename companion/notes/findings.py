"""What a note record keeps of a note besides its front matter, as small typed values.

The rules, progress and screens read these by name rather than by key or position, and
the index keeps each as a short JSON array (``to_row``/``from_row``), written and read
by this one module so the two never drift apart.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Any

from companion.notes.front_matter import SHARED_TEXT


def shared(text: str) -> str:
    """One copy of a short text however many notes repeat it (AC ids, kinds, part names)."""
    return sys.intern(text) if len(text) <= SHARED_TEXT else text


@dataclass(frozen=True, slots=True)
class ReadError:
    """Why a note could not be read: a stable flag code, the message, the line (0: none)."""

    code: str
    message: str
    line: int = 0

    def to_row(self) -> list[object]:
        return [self.code, self.message, self.line]

    @classmethod
    def from_row(cls, row: Any) -> ReadError:
        """The inverse of ``to_row``; TypeError or ValueError for a damaged row."""
        code, message, line = row
        if type(code) is not str or type(message) is not str or type(line) is not int:
            raise TypeError("not a read error")
        return cls(shared(code), message, line)


@dataclass(frozen=True, slots=True)
class CitedWork:
    """The key of a work a citation names, for a reference library to satisfy later."""

    authors: tuple[str, ...]
    year: str | None = None
    suffix: str = ""
    no_date: bool = False
    et_al: bool = False
    alias: str | None = None
    names: str = ""
    """How the citation names the authors, where that is not simply the first author."""

    def to_json(self) -> dict[str, Any]:
        """The plain mapping a reference library reads (``source_from_json``)."""
        data: dict[str, Any] = {"authors": list(self.authors), "year": self.year}
        if self.suffix:
            data["suffix"] = self.suffix
        if self.no_date:
            data["no_date"] = True
        if self.et_al:
            data["et_al"] = True
        if self.alias:
            data["alias"] = self.alias
        if self.names:
            data["names"] = self.names
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CitedWork:
        """A work from that mapping (``companion.notes.citations.source_json``)."""
        return cls(
            tuple(data["authors"]),
            data.get("year"),
            data.get("suffix", ""),
            bool(data.get("no_date")),
            bool(data.get("et_al")),
            data.get("alias"),
            data.get("names", ""),
        )

    def to_row(self) -> list[object]:
        return [
            list(self.authors),
            self.year,
            self.suffix,
            self.no_date,
            self.et_al,
            self.alias,
            self.names,
        ]

    @classmethod
    def from_row(cls, row: Any) -> CitedWork:
        """The inverse of ``to_row``; TypeError or ValueError for a damaged row."""
        authors, year, suffix, no_date, et_al, alias, names = row
        if (
            type(authors) is not list
            or not all(type(a) is str for a in authors)
            or not (year is None or type(year) is str)
            or type(suffix) is not str
            or type(no_date) is not bool
            or type(et_al) is not bool
            or not (alias is None or type(alias) is str)
            or type(names) is not str
        ):
            raise TypeError("not a cited work")
        return cls(tuple(authors), year, suffix, no_date, et_al, alias, names)


@dataclass(frozen=True, slots=True)
class CitationProblem:
    """A citation without a (single) entry in the reference list, or an entry never cited.

    ``kind`` is ``unmatched``, ``ambiguous``, ``year-differs``… or ``uncited``; ``shown``
    names the work (``Schein (2017) in (Schein, 2017; Lewin, 1951)`` when its bracket cites
    several) and ``written`` is the citation or entry as written.
    """

    kind: str
    line: int
    shown: str
    hint: str = ""
    source: CitedWork | None = None
    """The work cited, for a reference library to hold (None for entries and for
    citations that could be either of two entries)."""
    written: str = ""

    def to_row(self) -> list[object]:
        source = self.source.to_row() if self.source is not None else None
        return [self.kind, self.line, self.shown, self.hint, source, self.written]

    @classmethod
    def from_row(cls, row: Any) -> CitationProblem:
        """The inverse of ``to_row``; TypeError or ValueError for a damaged row."""
        kind, line, shown, hint, source, written = row
        if (
            type(kind) is not str
            or type(line) is not int
            or type(shown) is not str
            or type(hint) is not str
            or type(written) is not str
        ):
            raise TypeError("not a citation problem")
        work = CitedWork.from_row(source) if source is not None else None
        return cls(shared(kind), line, shown, hint, work, written)


__all__ = ["CitationProblem", "CitedWork", "ReadError", "shared"]
