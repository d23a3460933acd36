"""The flags each note was last found to have, kept with its row of the note index.

Working out a note's flags is most of what a status costs, and a note's flags change only
when the note does or when what every note is checked against does (the framework, the
profile, the day, the reference library, the rules: the flags key of
``companion.assessment.memo.flags_key``). So each note's flags are kept with the size and
time of the note they were worked out for and the key they were worked out under; they are
used only while both still match. The rules read and fill this cache through the
``FlagCache`` protocol of ``companion.assessment.rules``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from companion.portfolio.store import Store


class KeptFlags(NamedTuple):
    """A note's flags as last worked out, and what they were worked out for (a tuple: one
    is made per note each time the index is read).

    ``flags`` is the JSON the index holds until the flags are read in this process, then
    the flags themselves (whatever the rules hold: ``FlagCache.hold_flags``), so the next
    status in the same process shares them instead of decoding again; '' for none."""

    mtime_ns: int
    size: int
    key: str = ""
    """The flags key they were worked out under; '' when none are kept."""
    flags: object = ""

    def of(self, mtime_ns: int, size: int) -> bool:
        """True when these were kept for the note at this size and time."""
        return self.mtime_ns == mtime_ns and self.size == size


NOT_KEPT = ("", "")
"""What ``cached_flags`` answers for a note with no usable flags: no key, no flags."""


class FlagsCache:
    """Every note's kept flags, by the note's path in the portfolio.

    Filled from the index on the first scan (``load``), told of each row the scan writes
    (``written``) or drops, and written back to the index a note at a time (``keep``).
    Without the app's database the flags are held for this process only.
    """

    def __init__(self, store: Store | None) -> None:
        self._store = store
        self._kept: dict[str, KeptFlags] = {}

    def __bool__(self) -> bool:
        return bool(self._kept)

    def __iter__(self) -> Iterator[str]:
        return iter(self._kept)

    def load(self) -> list[str]:
        """Read every row's kept flags from the index (not the records); the warnings of
        an index that could not be read (it is then moved aside and rebuilt)."""
        if self._store is None:
            return []
        told = len(self._store.warnings)
        self._kept = {
            rel: KeptFlags(mtime, size, key, flags)
            for rel, (mtime, size, key, flags) in self._store.index.rows().items()
        }
        return self._store.warnings[told:]

    def clear(self) -> None:
        """Forget every note's flags: they were worked out under settings now gone."""
        self._kept = {}

    def written(self, rows: Iterable[tuple[str, int, int]], removed: Iterable[str]) -> None:
        """The index now holds these (path, mtime_ns, size) rows, with no flags yet, and
        no longer holds the ``removed`` notes."""
        for rel, mtime, size in rows:
            self._kept[rel] = KeptFlags(mtime, size)
        for rel in removed:
            self._kept.pop(rel, None)

    def get(self, relative: str, mtime_ns: int, size: int) -> tuple[str, object]:
        """The flags key and flags kept for a note at this size and time; ``NOT_KEPT``
        when none were kept for it as it is."""
        kept = self._kept.get(relative)
        if kept is None or not kept.of(mtime_ns, size):
            return NOT_KEPT
        return kept.key, kept.flags

    def keep(self, key: str, updates: Iterable[tuple[str, str]]) -> None:
        """Write each note's freshly worked-out flags (as JSON, under ``key``) to its row
        of the index; ``updates`` is read as the rows are written."""
        if self._store is None:
            return
        rows = (
            (rel, kept.mtime_ns, kept.size, key, flags)
            for rel, flags in updates
            if (kept := self._kept.get(rel)) is not None
        )
        with contextlib.suppress(Exception):  # a cache that cannot be written is just not used
            self._store.index.set_flags(rows)

    def hold(self, key: str, flags: dict[str, object]) -> None:
        """Hold each note's flags as objects in place of their JSON (see ``KeptFlags``)."""
        for rel, held in flags.items():
            kept = self._kept.get(rel)
            if kept is not None:
                self._kept[rel] = KeptFlags(kept.mtime_ns, kept.size, key, held)
