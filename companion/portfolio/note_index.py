"""The index of a portfolio's notes: a record of each note, kept up to date with the files.

Scanning stats every note and re-reads only those whose size or modification time changed
since the index last saw them (or whose evidence file did, for a card), and writes back
only the rows that changed, so opening a large unchanged portfolio costs a stat per note
and one read of the index. Every note is read again when the profile's word-count rules
change, and a record whose claims were checked with other spellings of the models is too.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from companion.errors import Interrupted
from companion.files import remove_stale_temp_files, stamp_of
from companion.portfolio.flags_cache import FlagsCache
from companion.portfolio.layout import PROFILE_FILE
from companion.portfolio.profile import ProfileError
from companion.portfolio.settings import Settings
from companion.portfolio.walk import FileStamp, walk_notes

if TYPE_CHECKING:  # the readers load when a scan needs them: tagging does not
    from companion.notes.record import NoteRecord
    from companion.portfolio.store import Store


@dataclass(frozen=True)
class Survey:
    """The notes found on disk by one walk, and a hash of what they are (names, sizes and
    times, and the profile's): equal hashes mean nothing a status depends on has changed."""

    files: list[tuple[str, FileStamp]]
    warnings: list[str]
    signature: str
    evidence: list[tuple[str, FileStamp]] = field(default_factory=list)
    """The evidence files found (see ``Walk.files``)."""


COUNTED_UNDER = "counted_under"
"""State key: the word-count rules the index's rows were counted by; rules changed since
(``word_count`` in ``companion.yaml``, edited between two commands) mean every note is
read again, as a change seen while the app is open does."""


@dataclass
class ScanResult:
    """What a scan did, for progress display and benchmarks."""

    total: int = 0
    parsed: int = 0
    reused: int = 0
    removed: int = 0
    profile_changed: bool = False
    logs_changed: bool = False
    """The OTJ log or a kept sign-off changed: no note did, but what the app shows did."""
    stopped: bool = False
    """The scan was stopped before every note was read: the index is not up to date."""
    warnings: list[str] = field(default_factory=list)


class NoteIndex:
    """The records of the notes of the portfolio at ``root`` (see the module docstring).

    ``records`` holds the record of every note as of the last scan; the ``store`` (None:
    no app database, everything is read again in each process) keeps them between runs,
    with each note's flags (``flags``).
    """

    def __init__(
        self, root: Path, store: Store | None, settings: Settings, flags: FlagsCache
    ) -> None:
        self.root = root
        self.store = store
        self.settings = settings
        self.flags = flags
        self.records: dict[str, NoteRecord] = {}
        self.evidence_files: dict[str, FileStamp] = {}
        """The evidence files the last walk found, by their path in the portfolio."""
        self.other_files: list[tuple[str, FileStamp]] = []
        """The other files the last walk found (``Walk.other_files``)."""

    @property
    def extraction_folder(self) -> Path | None:
        """Where what was read from evidence files is kept (None: no app database)."""
        return self.store.folder / "files" if self.store is not None else None

    # --- walking ----------------------------------------------------------------------

    def walk(self, result: ScanResult) -> list[tuple[str, FileStamp]]:
        """The notes on disk, what could not be looked at said in ``result``'s warnings;
        the evidence files found are kept in ``evidence_files``."""
        try:
            walk = walk_notes(self.root)
        except OSError as exc:
            raise ProfileError(f"{self.root} cannot be read: {exc.strerror or exc}") from None
        for folder in walk.unreadable:
            result.warnings.append(f"skipped a folder that cannot be read: {folder}")
        for name in walk.unreadable_files:
            result.warnings.append(f"skipped a file that cannot be read: {name}")
        for name in walk.outside:
            result.warnings.append(
                f"skipped {name}: it is a link to a file outside the portfolio, which "
                "companion never reads; copy the file in to use it"
            )
        for name in walk.bad_names:
            result.warnings.append(
                f"skipped {name}: its name is not valid UTF-8 text; rename it to use it"
            )
        for folder in walk.temp_folders:
            remove_stale_temp_files(self.root / folder if folder else self.root)
        self.evidence_files = dict(walk.files)
        self.other_files = walk.other_files
        return [(rel, st) for rel, st in walk.notes if rel != PROFILE_FILE]

    def survey(self) -> Survey:
        """Walk the portfolio's folders once: the notes and evidence files there, and their
        signature (a changed file changes what its card says, so it counts too, whatever
        its kind)."""
        result = ScanResult()
        files = self.walk(result)
        evidence = sorted(self.evidence_files.items())
        digest = hashlib.sha256(repr(self.settings.profile_stamp()).encode())
        for rel, stat in files:
            digest.update(f"{rel}\0{stat.st_mtime_ns}\0{stat.st_size}\n".encode())
        for rel, stat in evidence:
            digest.update(f"file:{rel}\0{stat.st_mtime_ns}\0{stat.st_size}\n".encode())
        for rel, stat in self.other_files:  # what a card names may be of any kind
            digest.update(f"other:{rel}\0{stat.st_mtime_ns}\0{stat.st_size}\n".encode())
        return Survey(files, result.warnings, digest.hexdigest(), evidence)

    def file_stamp(self, relative: str) -> tuple[int, int]:
        """(mtime_ns, size) of a file of the portfolio as last walked, or as it is now for
        one the walk does not list; (0, 0) when it is not there."""
        stamp = self.evidence_files.get(relative)
        if stamp is not None:
            return stamp.st_mtime_ns, stamp.st_size
        try:
            return stamp_of((self.root / relative).stat())
        except OSError:
            return 0, 0

    def text_stamp(self, relative: str) -> tuple[int, int]:
        """What says a note's text is unchanged: its own (mtime_ns, size), combined for a
        card with its file's, since a card's text is its file's."""
        record = self.records[relative]
        if record.file is None or not record.file.path:
            return record.mtime_ns, record.size
        mtime, size = record.file.stamp
        return (record.mtime_ns * 1_000_003 + mtime) % (1 << 62), record.size + size

    def _file_current(self, record: NoteRecord) -> bool:
        """True unless ``record`` is a card whose file changed since it was read."""
        card = record.file
        return card is None or not card.path or self.file_stamp(card.path) == card.stamp

    def _spelled(self, record: NoteRecord) -> bool:
        """True unless the record's claims were checked with other spellings than now."""
        return not record.spelled or record.spelled == self.settings.spellings.key

    # --- scanning ---------------------------------------------------------------------

    def scan(
        self,
        progress: Callable[[int, int], None] | None = None,
        *,
        survey: Survey | None = None,
        stopped: Callable[[], bool] | None = None,
    ) -> ScanResult:
        """Bring the index up to date with the files on disk (and with ``companion.yaml``).

        ``survey`` is a walk made just before, to use instead of walking again (its warnings
        are the caller's to show). Once ``stopped()`` is true no more notes are read: the
        records built so far are saved, so the next scan starts from them, and the result
        says ``stopped`` with the portfolio's records as they were before. Ctrl-C keeps
        them the same way, then raises ``Interrupted`` saying how many notes are indexed.
        """
        result = ScanResult()
        reloaded = self.settings.reload()
        result.profile_changed = reloaded.changed
        result.warnings += reloaded.warnings
        result.logs_changed = self.settings.logs_changed()
        if reloaded.recount:
            self.records = {}  # word counts depend on the profile's rules: read every note
        first = not self.records and self.store is not None
        if first and self.store is not None:
            told = len(self.store.warnings)  # a damaged index is said where it is first read
            if not reloaded.recount and self._counted_under_other_rules():
                reloaded = replace(reloaded, recount=True)
            if reloaded.recount:
                self.flags.clear()
            else:
                self.flags.load()
            result.warnings += self.store.warnings[told:]
        files = self.walk(result) if survey is None else survey.files
        result.total = len(files)
        reused = self._reusable(files, first)
        to_parse = [rel for rel, _ in files if rel not in reused]
        result.reused, result.parsed = len(reused), len(to_parse)
        done = len(reused)
        if progress:
            progress(done, result.total)

        def built(count: int) -> None:
            nonlocal done
            before, done = done, done + count
            if progress and (done // 200 > before // 200 or done == result.total):
                progress(done, result.total)

        from companion.portfolio.index import BuildInterrupted, build_records

        try:
            fresh = build_records(
                self.root,
                to_parse,
                self.settings.profile.word_count,
                built,
                stopped=stopped,
                files=self.extraction_folder,
                spellings=self.settings.spellings,
            )
        except BuildInterrupted as interrupt:
            self._save(interrupt.built, [], result)
            kept = len(reused) + len(interrupt.built)
            raise Interrupted(
                f"stopped with {kept:,} of {result.total:,} notes indexed; "
                "the next command carries on from there"
            ) from None
        if len(fresh) < len(to_parse) and stopped is not None and stopped():
            result.stopped = True
            self._save(fresh, [], result)
            return result
        if any(record.file is not None for record in fresh.values()):
            from companion.evidence.cache import prune

            prune(self.extraction_folder, 2 * len(self.evidence_files) + 100)
        records = {rel: reused.get(rel) or fresh[rel] for rel, _ in files}
        previous = self.records or self.flags
        removed = [rel for rel in previous if rel not in records]
        result.removed = len(removed)
        self.records = records
        self._save(fresh, removed, result)
        return result

    def _counted_under_other_rules(self) -> bool:
        """True when the index's rows were counted under word-count rules other than the
        profile's now (``word_count`` edited between two commands); they are then dropped,
        with the rules they will be counted by, in one transaction, so a scan stopped part
        way never leaves old counts beside new ones."""
        assert self.store is not None
        counting = repr(self.settings.profile.word_count)
        if self.store.get_state(COUNTED_UNDER) == counting:
            return False
        with contextlib.suppress(Exception):  # not forgotten: counted again next time
            self.store.forget_rows(COUNTED_UNDER, counting)
        return True

    def _reusable(self, files: list[tuple[str, FileStamp]], first: bool) -> dict[str, NoteRecord]:
        """The records still true of the notes on disk: those already held, and on the
        first scan those of the index's rows whose note has the size and time they record."""
        reused: dict[str, NoteRecord] = {}
        for rel, stat in files:
            current = self.records.get(rel)
            if (
                current is not None
                and (current.mtime_ns, current.size) == stat
                and self._file_current(current)
                and self._spelled(current)
            ):
                reused[rel] = current
        if first and self.store is not None and self.flags:
            from companion.notes.record import decode_row  # not loaded by `tag`

            stamps = dict(files)
            for rel, mtime, size, text in self.store.index.records():
                if rel not in reused and stamps.get(rel) == (mtime, size):
                    record = decode_row(text)
                    if (
                        record is not None
                        and record.path == rel
                        and self._file_current(record)
                        and self._spelled(record)
                    ):
                        reused[rel] = record
        return reused

    def _save(self, fresh: dict[str, NoteRecord], removed: list[str], result: ScanResult) -> None:
        """Write the rows of the notes read again, and drop those gone."""
        if self.store is None or not (fresh or removed):
            return
        from companion.notes.record import encode_row

        rows = (  # made one at a time as they are written: never all in memory at once
            (rel, r.mtime_ns, r.size, encode_row(r), "", "") for rel, r in fresh.items()
        )
        try:
            self.store.index.update(rows, removed)
        except Exception as exc:  # sqlite3 errors and OSError alike: the cache is optional
            result.warnings.append(f"the note index could not be saved ({exc})")
            return
        self.flags.written(((rel, r.mtime_ns, r.size) for rel, r in fresh.items()), removed)
