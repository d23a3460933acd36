"""A portfolio: a folder of the apprentice's notes, its profile, and the index over them.

``Portfolio`` is what the CLI, the app and the exports open; it answers for the parts,
each its own module with one job:

- ``companion.portfolio.settings``: the profile and the content it is assessed by;
- ``companion.portfolio.walk``: finding the notes and evidence files on disk;
- ``companion.portfolio.note_index``: the record of each note, kept up to date (``scan``);
- ``companion.portfolio.flags_cache``: each note's flags, kept with its row of the index;
- ``companion.portfolio.search``: the full-text index (``text_index``);
- ``companion.portfolio.library_file``: the reference library the profile names;
- ``companion.portfolio.changes``: tagging, untagging and acknowledging, recorded.

How a status uses these caches, and when each is invalidated, is told in
``companion.cli.status``.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable, Iterator
from functools import cached_property
from pathlib import Path
from stat import S_ISDIR
from typing import TYPE_CHECKING, BinaryIO

from companion.portfolio.profile import Profile, ProfileError
from companion.portfolio.settings import Settings
from companion.portfolio.store import Store

if TYPE_CHECKING:
    from companion.content.digest import CriteriaDigest
    from companion.content.glossary import Glossary
    from companion.content.model import Content
    from companion.notes.file import NoteFile
    from companion.notes.record import NoteRecord
    from companion.notes.tags import TagChange
    from companion.portfolio.changes import NoteChanges
    from companion.portfolio.flags_cache import FlagsCache
    from companion.portfolio.library import ReferenceLibrary
    from companion.portfolio.library_file import LibraryFile
    from companion.portfolio.note_index import NoteIndex, ScanResult, Survey
    from companion.portfolio.search import TextIndex
    from companion.portfolio.walk import FileStamp
    from companion.text.mentions import Spellings


class Portfolio:
    """An opened portfolio: content, profile and the current index of notes."""

    def __init__(
        self,
        root: Path,
        content: Content | None = None,
        *,
        use_store: bool = True,
        content_when_used: bool = False,
    ) -> None:
        """Open the portfolio at ``root``, with ``content`` or its profile's framework.

        The content is loaded here, so a broken framework is reported at once, unless
        ``content_when_used``: then it is loaded when first used, and tagging uses only
        its digest (``companion.content.digest``), for a command that only tags.
        """
        self.root = Path(root)
        try:
            is_folder = S_ISDIR(os.stat(self.root).st_mode)
        except FileNotFoundError:
            raise ProfileError(f"{self.root}: no such folder") from None
        except OSError as exc:
            raise ProfileError(f"{self.root} cannot be read: {exc.strerror or exc}") from None
        if not is_folder:
            raise ProfileError(f"{self.root} is not a folder")
        self.settings = Settings(self.root, content, content_when_used=content_when_used)
        self.store: Store | None = None
        self.warnings: list[str] = list(self.profile.warnings)
        if use_store:
            try:
                self.store = Store(self.root)
                self.warnings += self.store.warnings
            except OSError as exc:
                self.warnings.append(
                    f"the app's database is not available ({exc.strerror or exc}); "
                    "working without a cache"
                )

    # The index, the kept flags and the library file are made when first used: tagging a
    # note uses none of them, and loads none of their code.

    @cached_property
    def flags(self) -> FlagsCache:
        """Each note's flags as last worked out, kept with its row."""
        from companion.portfolio.flags_cache import FlagsCache

        return FlagsCache(self.store)

    @cached_property
    def index(self) -> NoteIndex:
        """The notes as last scanned, and the scan that brings them up to date."""
        from companion.portfolio.note_index import NoteIndex

        return NoteIndex(self.root, self.store, self.settings, self.flags)

    @cached_property
    def _library(self) -> LibraryFile:
        from companion.portfolio.library_file import LibraryFile

        return LibraryFile(self.root)

    @cached_property
    def changes(self) -> NoteChanges:
        """Tagging, untagging and acknowledging (loaded when first used: a remembered
        status never writes a note)."""
        from companion.portfolio import changes as writing

        return writing.NoteChanges(
            self.root, self.store, lambda: self.settings.criteria, self.relative
        )

    # --- what it is assessed by -------------------------------------------------------

    @property
    def profile(self) -> Profile:
        """The profile as last read (a scan reads it again when the file changed)."""
        return self.settings.profile

    @property
    def content_fingerprint(self) -> str:
        """What the content was made from, told without loading it (``Settings``)."""
        return self.settings.content_fingerprint

    @property
    def content(self) -> Content:
        """The qualification this portfolio is assessed against."""
        return self.settings.content

    @property
    def criteria(self) -> CriteriaDigest:
        """What tagging needs of the content (see ``Settings.criteria``)."""
        return self.settings.criteria

    @property
    def glossary(self) -> Glossary:
        """The models and theories notes can name; built when tagging first needs it."""
        return self.settings.glossary

    @property
    def spellings(self) -> Spellings:
        """The glossary's spellings of each model, that a claim's name is looked for by."""
        return self.settings.spellings

    @property
    def library(self) -> ReferenceLibrary | None:
        """The reference library the profile names, read again whenever the file (or the
        name) changes; None when the profile names none."""
        return self._library.current(self.profile.reference_library)

    @cached_property
    def text_index(self) -> TextIndex:
        """The full-text index of the notes (companion.portfolio.search), opened when a
        search first asks for it; in memory when the app's database is not available."""
        from companion.portfolio.search import TextIndex

        return TextIndex(self.store.folder / "search.sqlite" if self.store else None)

    # --- its files ----------------------------------------------------------------------

    def path_of(self, relative: str) -> Path:
        """The file of a note given its path relative to the portfolio."""
        return self.root / relative

    def relative(self, path: Path) -> str:
        """A note's path relative to the portfolio, refusing paths outside it."""
        from companion.portfolio.walk import relative_to

        return relative_to(self.root, path)

    @property
    def records(self) -> dict[str, NoteRecord]:
        """The record of every note as of the last scan, by its path in the portfolio."""
        return self.index.records

    @records.setter
    def records(self, records: dict[str, NoteRecord]) -> None:
        self.index.records = records

    @property
    def evidence_files(self) -> dict[str, FileStamp]:
        """The evidence files the last walk found, by their path in the portfolio."""
        return self.index.evidence_files

    @property
    def extraction_folder(self) -> Path | None:
        """Where what was read from evidence files is kept (None: no app database)."""
        return self.index.extraction_folder

    def survey(self) -> Survey:
        """Walk the portfolio's folders once (see ``NoteIndex.survey``)."""
        return self.index.survey()

    def scan(
        self,
        progress: Callable[[int, int], None] | None = None,
        *,
        survey: Survey | None = None,
        stopped: Callable[[], bool] | None = None,
    ) -> ScanResult:
        """Bring the index up to date with the files on disk (see ``NoteIndex.scan``)."""
        return self.index.scan(progress, survey=survey, stopped=stopped)

    def file_stamp(self, relative: str) -> tuple[int, int]:
        """(mtime_ns, size) of a file of the portfolio (see ``NoteIndex.file_stamp``)."""
        return self.index.file_stamp(relative)

    def text_stamp(self, relative: str) -> tuple[int, int]:
        """What says a note's text is unchanged (see ``NoteIndex.text_stamp``)."""
        return self.index.text_stamp(relative)

    # --- remembered results -----------------------------------------------------------

    def remembered(self, name: str, key: str) -> bytes | None:
        """What ``remembering`` kept under ``name`` for ``key`` (None when not current)."""
        return self.store.memo(name, key) if self.store is not None else None

    def remembered_file(self, name: str, key: str) -> BinaryIO | None:
        """``remembered``, opened to be read a piece at a time (the caller closes it)."""
        return self.store.memo_file(name, key) if self.store is not None else None

    @contextlib.contextmanager
    def remembering(self, name: str, key: str) -> Iterator[Callable[[bytes], None]]:
        """Keep the bytes passed to the function given under ``name`` until ``key`` changes
        (a cache: a key of '' or a file that cannot be written keeps nothing)."""
        if self.store is None or not key:
            yield lambda piece: None
            return
        with self.store.remembering(name, key) as keep:
            yield keep

    def cached_flags(self, relative: str) -> tuple[str, object]:
        """The flags key the index holds for a note and its flags (see ``FlagsCache``):
        ('', '') when none were kept for the note as last scanned."""
        record = self.records.get(relative)
        if record is None:
            return "", ""
        return self.flags.get(relative, record.mtime_ns, record.size)

    def keep_flags(self, key: str, updates: Iterable[tuple[str, str]]) -> None:
        """Store each note's freshly worked-out flags (as JSON, under ``key``) with its row;
        ``updates`` is read as the rows are written."""
        self.flags.keep(key, updates)

    def hold_flags(self, key: str, flags: dict[str, object]) -> None:
        """Hold each note's flags as objects in place of their JSON (see ``FlagsCache``)."""
        self.flags.hold(key, flags)

    # --- changing notes -------------------------------------------------------------

    def tag(
        self,
        path: Path,
        ac: str,
        *,
        where: str | None = None,
        counts: dict[str, list[str]] | None = None,
        covers: list[str] | None = None,
        since: NoteFile | None = None,
    ) -> TagChange:
        """Tag a note of this portfolio to an AC (see ``NoteChanges.tag``)."""
        return self.changes.tag(path, ac, where=where, counts=counts, covers=covers, since=since)

    def untag(self, path: Path, ac: str) -> TagChange:
        """Remove a note's tag (see ``NoteChanges.untag``)."""
        return self.changes.untag(path, ac)

    def acknowledge(self, path: Path, code: str) -> list[str]:
        """Accept a warning on a note (see ``NoteChanges.acknowledge``)."""
        return self.changes.acknowledge(path, code)

    def close(self) -> None:
        """Release the databases."""
        if "text_index" in self.__dict__:
            self.text_index.close()
        if self.store is not None:
            self.store.close()


__all__ = ["Portfolio"]
