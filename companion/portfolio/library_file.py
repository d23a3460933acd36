"""The reference library a profile names, held while its file is unchanged.

A library export can be megabytes of BibTeX; it is read again only when the name in
``companion.yaml`` or the file's size or time changes, and the reader is loaded only when a
profile names a library.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from companion.portfolio.library import ReferenceLibrary


@dataclass(frozen=True)
class LibraryStamp:
    """What says a library is the one read before: its name and its file's time and size
    (None for both when the file cannot be looked at)."""

    name: str
    mtime_ns: int | None = None
    size: int | None = None


class LibraryFile:
    """The library of the portfolio at ``root``, read when first asked for."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._held: tuple[LibraryStamp, ReferenceLibrary] | None = None

    def stamp(self, name: str) -> LibraryStamp:
        """The stamp of the library ``name`` (relative to the portfolio, or absolute)."""
        path = Path(name).expanduser()
        path = path if path.is_absolute() else self.root / path
        try:
            info = path.stat()
        except OSError:
            return LibraryStamp(name)
        return LibraryStamp(name, info.st_mtime_ns, info.st_size)

    def current(self, name: str) -> ReferenceLibrary | None:
        """The library named ``name`` as its file is now; None when ``name`` is ''."""
        if not name:
            return None
        stamp = self.stamp(name)
        if self._held is None or self._held[0] != stamp:
            from companion.portfolio.library import load_library

            self._held = (stamp, load_library(self.root, name))
        return self._held[1]
