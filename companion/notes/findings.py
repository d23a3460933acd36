"""What a note record keeps of a note besides its front matter, as small typed values.

The rules, progress and screens read these by name rather than by key or position, as
they do a record's tags (``companion.notes.tags.Tag``: a plain dataclass, so that tagging
a note never loads msgspec). Each is a msgspec ``Struct`` kept in the index as a short
JSON array: msgspec writes and reads them back, checking every value's type, several
times quicker than Python code could (see ``companion.notes.record.encode_row``). None of
them ever refers back to what holds it, so they are kept out of the cyclic garbage
collector (``gc=False``), which would otherwise walk every one of a large portfolio's
records again and again for nothing.
"""

from __future__ import annotations

from typing import Any

import msgspec


class ReadError(msgspec.Struct, frozen=True, array_like=True, gc=False):
    """Why a note could not be read: a stable flag code, the message, the line (0: none)."""

    code: str
    message: str
    line: int = 0


class CitedWork(msgspec.Struct, frozen=True, array_like=True, gc=False):
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


class CitationProblem(msgspec.Struct, frozen=True, array_like=True, gc=False):
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


__all__ = ["CitationProblem", "CitedWork", "ReadError"]
