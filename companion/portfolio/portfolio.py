"""A portfolio: a folder of the apprentice's notes, its profile, and the index over them.

Scanning stats every note and re-reads only those whose size or modification time changed
since the index last saw them, and writes back only the rows that changed, so opening a
large unchanged portfolio costs a stat per note and one read of the index.

Every change the app makes to a note goes through ``tag``, ``untag`` and ``acknowledge``
here, for the CLI and the app alike: each is one locked transaction on the note, logged in
the history, and what it reports is what happened to the file.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from stat import S_ISDIR
from typing import TYPE_CHECKING, Any, NamedTuple

from companion.content.bundled import DEFAULT_FRAMEWORK, UnknownFramework, framework_dir
from companion.content.load import load_content, load_digest
from companion.errors import Interrupted
from companion.evidence.formats import EVIDENCE_SUFFIXES
from companion.files import remove_stale_temp_files
from companion.notes.card import stamp_of
from companion.notes.file import NoteFile
from companion.notes.tags import TagChange, acknowledge_warning, tag_note, untag_note
from companion.portfolio.profile import PROFILE_NAME, Profile, ProfileError, load_profile
from companion.portfolio.store import Store
from companion.portfolio.templates import OTJ_FILE, SIGNOFF_FOLDER
from companion.text.terminal import safe_line

if TYPE_CHECKING:  # the readers load when a scan or search needs them: tagging does not
    from companion.content.digest import CriteriaDigest
    from companion.content.glossary import Glossary
    from companion.content.model import Content
    from companion.notes.record import NoteRecord
    from companion.portfolio.library import ReferenceLibrary
    from companion.portfolio.search import TextIndex
    from companion.text.mentions import Spellings

NOTE_SUFFIXES = (".md", ".markdown")
CREATED_BLOCKS = "created_blocks"
"""State key: notes whose front matter block the app added with their first tag."""
COUNTED_UNDER = "counted_under"
"""State key: the word-count rules the index's rows were counted by; rules changed since
(``word_count`` in ``companion.yaml``, edited between two commands) mean every note is
read again, as a change seen while the app is open does."""


class FileStamp(NamedTuple):
    """What the index compares to know a note is unchanged: far smaller than the
    ``os.stat_result`` it is taken from, which matters with tens of thousands of notes."""

    st_mtime_ns: int
    st_size: int


@dataclass
class Walk:
    """The notes found below a folder, and what could not be looked at."""

    notes: list[tuple[str, FileStamp]] = field(default_factory=list)
    files: list[tuple[str, FileStamp]] = field(default_factory=list)
    """Evidence files (Word, PDF, recordings… by their suffix), whether a card names them
    or not."""
    bad_names: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)
    """Links that lead out of the portfolio: never read."""
    unreadable: list[str] = field(default_factory=list)
    unreadable_files: list[str] = field(default_factory=list)
    """Notes and files whose folder lists them but will not let them be looked at (a
    folder that can be listed but not entered): named, never silently left out."""
    temp_folders: list[str] = field(default_factory=list)


def walk_notes(root: Path) -> Walk:
    """Every note below ``root``: recursive, hidden files and folders ignored, links to
    folders not followed (so a link loop cannot trap the walk)."""
    walk = Walk()
    stack = [""]  # folders as paths relative to root, "" for root itself, "/"-separated
    base = str(root)
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(os.path.join(base, folder) if folder else base) as scan:
                entries = list(scan)
        except OSError as exc:
            if folder:
                walk.unreadable.append(f"{folder} ({exc.strerror or exc})")
                continue
            raise
        prefix = folder + "/" if folder else ""
        temp = False
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                temp = temp or name.endswith(".tmp")
                continue
            try:
                name.encode("utf-8")
            except UnicodeEncodeError:
                walk.bad_names.append(safe_line(prefix + name))
                continue
            try:
                if entry.is_dir(follow_symlinks=False):
                    stack.append(prefix + name)
                elif (
                    (name.lower().endswith(NOTE_SUFFIXES) or _evidence_suffix(name))
                    and entry.is_symlink()
                    and not _leads_inside(entry.path, base)
                ):
                    # a note or file that is a link out of the portfolio (to /etc/passwd,
                    # say) is never read: its text would go to search and the tutor
                    walk.outside.append(safe_line(prefix + name))
                elif name.lower().endswith(NOTE_SUFFIXES) and entry.is_file():
                    info = entry.stat()
                    # one copy of the path however many tables hold it (sys.intern)
                    relative = sys.intern(prefix + name)
                    walk.notes.append((relative, FileStamp(info.st_mtime_ns, info.st_size)))
                elif _evidence_suffix(name) and entry.is_file():
                    stamp = FileStamp(*stamp_of(entry.stat()))
                    walk.files.append((sys.intern(prefix + name), stamp))
            except OSError as exc:
                if name.lower().endswith(NOTE_SUFFIXES) or _evidence_suffix(name):
                    reason = exc.strerror or str(exc)
                    walk.unreadable_files.append(f"{safe_line(prefix + name)} ({reason})")
        if temp:
            walk.temp_folders.append(folder)
    walk.notes.sort(key=lambda item: item[0])
    walk.files.sort(key=lambda item: item[0])
    return walk


def _leads_inside(link: str, base: str) -> bool:
    """True when the symbolic link ``link`` resolves to a place inside ``base``."""
    try:
        target = os.path.realpath(link)
        root = os.path.realpath(base)
    except (OSError, ValueError):
        return False
    return target == root or target.startswith(root.rstrip(os.sep) + os.sep)


def _evidence_suffix(name: str) -> bool:
    """True for a file name with the suffix of an evidence file (``companion.evidence``)."""
    dot = name.rfind(".")
    return dot > 0 and name[dot:].lower() in EVIDENCE_SUFFIXES


def iter_note_files(root: Path) -> list[tuple[str, FileStamp]]:
    """Every note below ``root`` with its stat (see ``walk_notes``)."""
    return walk_notes(root).notes


@dataclass(frozen=True)
class Survey:
    """The notes found on disk by one walk, and a hash of what they are (names, sizes and
    times, and the profile's): equal hashes mean nothing a status depends on has changed."""

    files: list[tuple[str, FileStamp]]
    warnings: list[str]
    signature: str
    evidence: list[tuple[str, FileStamp]] = field(default_factory=list)
    """The evidence files found (see ``Walk.files``)."""


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


def _framework_folder(profile: Profile) -> Path:
    try:
        return framework_dir(profile.framework or DEFAULT_FRAMEWORK)
    except UnknownFramework as exc:
        raise ProfileError(f"{PROFILE_NAME}: {exc}") from None


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
        self.profile: Profile = load_profile(self.root)
        self._content = content
        self._framework = None if content is not None else _framework_folder(self.profile)
        if self._framework is not None and not content_when_used:
            self._content = load_content(self._framework)
        self._profile_stamp = self._stamp()
        self._logs_stamp = self._logs()
        self.records: dict[str, NoteRecord] = {}
        self.store: Store | None = None
        self.warnings: list[str] = list(self.profile.warnings)
        self._rows: dict[str, tuple[int, int, str, object]] = {}
        """The index's rows without their records: (mtime_ns, size, flags key, flags), the
        flags as the index's JSON until they are worked out or read in this process, then
        as the flags themselves (see ``hold_flags``)."""
        self._library: tuple[tuple[object, ...], ReferenceLibrary] | None = None
        self.evidence_files: dict[str, FileStamp] = {}
        """The evidence files the last walk found, by their path in the portfolio."""
        if use_store:
            try:
                self.store = Store(self.root)
                self.warnings += self.store.warnings
            except OSError as exc:
                self.warnings.append(
                    f"the app's database is not available ({exc.strerror or exc}); "
                    "working without a cache"
                )

    @property
    def content(self) -> Content:
        """The qualification this portfolio is assessed against."""
        if self._content is None:
            self._content = load_content(self._framework)
        return self._content

    @property
    def criteria(self) -> CriteriaDigest:
        """What tagging needs of the content: the loaded content's digest, or the cached
        digest when the content is not loaded (``companion.content.load.load_digest``)."""
        if self._content is None:
            return load_digest(self._framework)
        return self._content.digest

    @cached_property
    def text_index(self) -> TextIndex:
        """The full-text index of the notes (companion.portfolio.search), opened when a
        search first asks for it; in memory when the app's database is not available."""
        from companion.portfolio.search import TextIndex

        return TextIndex(self.store.folder / "search.sqlite" if self.store else None)

    @property
    def library(self) -> ReferenceLibrary | None:
        """The reference library the profile names, read again whenever the file (or the
        name) changes; None when the profile names none."""
        name = self.profile.reference_library
        if not name:
            return None
        path = Path(name).expanduser()
        path = path if path.is_absolute() else self.root / path
        try:
            info = path.stat()
            stamp: tuple[object, ...] = (name, info.st_mtime_ns, info.st_size)
        except OSError:
            stamp = (name, None)
        if self._library is None or self._library[0] != stamp:
            from companion.portfolio.library import load_library

            self._library = (stamp, load_library(self.root, name))
        return self._library[1]

    @cached_property
    def glossary(self) -> Glossary:
        """The models and theories notes can name; built when tagging first needs it."""
        from companion.content.glossary import load_glossary

        return load_glossary(self.content)

    @cached_property
    def spellings(self) -> Spellings:
        """The glossary's spellings of each model, that a claim's name is looked for by."""
        return self.glossary.spellings

    def _spelled(self, record: NoteRecord) -> bool:
        """True unless the record's claims were checked with other spellings than now."""
        return not record.spelled or record.spelled == self.spellings.key

    def path_of(self, relative: str) -> Path:
        """The file of a note given its path relative to the portfolio."""
        return self.root / relative

    def relative(self, path: Path) -> str:
        """A note's path relative to the portfolio, refusing paths outside it."""
        resolved = path.absolute()
        try:
            return resolved.relative_to(self.root.absolute()).as_posix()
        except ValueError:
            pass
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except (ValueError, OSError):
            raise ProfileError(f"{path} is not inside the portfolio {self.root}") from None

    def _stamp(self) -> tuple[int, int] | None:
        try:
            stat = (self.root / PROFILE_NAME).stat()
        except OSError:
            return None
        return stat.st_mtime_ns, stat.st_size

    def _logs(self) -> tuple[tuple[str, int, int], ...]:
        """The OTJ log and the kept sign-offs, by size and time: files that are not notes but
        change what the app shows."""
        paths = [self.root / OTJ_FILE]
        signoffs = self.root / SIGNOFF_FOLDER
        with contextlib.suppress(OSError):
            paths += sorted(signoffs.iterdir()) if signoffs.is_dir() else []
        stamps = []
        for path in paths:
            try:
                stat = path.stat()
            except OSError:
                continue
            stamps.append((path.name, stat.st_mtime_ns, stat.st_size))
        return tuple(stamps)

    def _reload_profile(self, result: ScanResult) -> bool:
        """Pick up edits to ``companion.yaml``; True when word counts must be redone."""
        stamp = self._stamp()
        if stamp == self._profile_stamp:
            return False
        self._profile_stamp = stamp
        try:
            profile = load_profile(self.root)
        except ProfileError as exc:
            result.warnings.append(f"{exc}; keeping the settings read before")
            return False
        recount = profile.word_count != self.profile.word_count
        told = set(self.profile.warnings)
        result.warnings += [w for w in profile.warnings if w not in told]
        self.profile = profile
        result.profile_changed = True
        return recount

    # --- scanning ----------------------------------------------------------------

    def _walk(self, result: ScanResult) -> list[tuple[str, FileStamp]]:
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
        return [(rel, st) for rel, st in walk.notes if rel != PROFILE_NAME]

    def survey(self) -> Survey:
        """Walk the portfolio's folders once: the notes and evidence files there, and their
        signature (a changed file changes what its card says, so it counts too)."""
        result = ScanResult()
        files = self._walk(result)
        evidence = sorted(self.evidence_files.items())
        digest = hashlib.sha256(repr(self._stamp()).encode())
        for rel, stat in files:
            digest.update(f"{rel}\0{stat.st_mtime_ns}\0{stat.st_size}\n".encode())
        for rel, stat in evidence:
            digest.update(f"file:{rel}\0{stat.st_mtime_ns}\0{stat.st_size}\n".encode())
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

    def _file_current(self, record: NoteRecord) -> bool:
        """True unless ``record`` is a card whose file changed since it was read."""
        card = record.file
        return card is None or not card.path or self.file_stamp(card.path) == card.stamp

    def text_stamp(self, relative: str) -> tuple[int, int]:
        """What says a note's text is unchanged: its own (mtime_ns, size), combined for a
        card with its file's, since a card's text is its file's."""
        record = self.records[relative]
        if record.file is None or not record.file.path:
            return record.mtime_ns, record.size
        mtime, size = record.file.stamp
        return (record.mtime_ns * 1_000_003 + mtime) % (1 << 62), record.size + size

    @property
    def extraction_folder(self) -> Path | None:
        """Where what was read from evidence files is kept (None: no app database)."""
        return self.store.folder / "files" if self.store is not None else None

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
        recount = self._reload_profile(result)
        logs = self._logs()
        result.logs_changed, self._logs_stamp = logs != self._logs_stamp, logs
        if recount:
            self.records = {}  # word counts depend on the profile's rules: read every note
        first = not self.records and self.store is not None
        if first and self.store is not None:
            told = len(self.store.warnings)
            counting = repr(self.profile.word_count)
            if self.store.get_state(COUNTED_UNDER) != counting:
                recount = True
                with contextlib.suppress(Exception):  # not forgotten: counted again next time
                    self.store.forget_rows(COUNTED_UNDER, counting)
            self._rows = {} if recount else self.store.index.rows()
            result.warnings += self.store.warnings[told:]
        files = self._walk(result) if survey is None else survey.files
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
                self.profile.word_count,
                built,
                stopped=stopped,
                files=self.extraction_folder,
                spellings=self.spellings,
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
        previous = self.records or self._rows
        removed = [rel for rel in previous if rel not in records]
        result.removed = len(removed)
        self.records = records
        self._save(fresh, removed, result)
        return result

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
        if first and self.store is not None and self._rows:
            from companion.notes.record import NoteRecord  # not loaded by `tag`

            stamps = dict(files)
            for rel, mtime, size, text in self.store.index.records():
                if rel not in reused and stamps.get(rel) == (mtime, size):
                    record = _decode(text, NoteRecord)
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
        rows = (  # made one at a time as they are written: never all in memory at once
            (rel, r.mtime_ns, r.size, json.dumps(r.to_row(), separators=(",", ":")), "", "")
            for rel, r in fresh.items()
        )
        try:
            self.store.index.update(rows, removed)
        except Exception as exc:  # sqlite3 errors and OSError alike: the cache is optional
            result.warnings.append(f"the note index could not be saved ({exc})")
            return
        for rel, r in fresh.items():
            self._rows[rel] = (r.mtime_ns, r.size, "", "")
        for rel in removed:
            self._rows.pop(rel, None)

    def remembered(self, name: str, key: str) -> bytes | None:
        """What ``remembering`` kept under ``name`` for ``key`` (None when not current)."""
        return self.store.memo(name, key) if self.store is not None else None

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
        """The flags key the index holds for a note and its flags: their JSON as stored, or
        the flags held by ``hold_flags`` ('' when none)."""
        row = self._rows.get(relative)
        record = self.records.get(relative)
        if row is None or record is None or row[:2] != (record.mtime_ns, record.size):
            return "", ""
        return row[2], row[3]

    def keep_flags(self, key: str, updates: Iterable[tuple[str, str]]) -> None:
        """Store each note's freshly worked-out flags (as JSON, under ``key``) with its row;
        ``updates`` is read as the rows are written."""
        if self.store is None:
            return
        rows = (
            (rel, row[0], row[1], key, flags)
            for rel, flags in updates
            if (row := self._rows.get(rel)) is not None
        )
        with contextlib.suppress(Exception):  # a cache that cannot be written is just not used
            self.store.index.set_flags(rows)

    def hold_flags(self, key: str, flags: dict[str, object]) -> None:
        """Hold each note's flags as objects in place of their JSON: the status holds them
        anyway, so the next status in this process shares them instead of decoding again,
        and the texts (a few MB for 10,000 notes) are not kept as well."""
        for rel, held in flags.items():
            row = self._rows.get(rel)
            if row is not None:
                self._rows[rel] = (row[0], row[1], key, held)

    # --- changing notes -------------------------------------------------------------

    def _log(
        self, change: TagChange, action: str, relative: str, ac: str, **details: Any
    ) -> TagChange:
        if self.store is None:
            return change
        try:
            self.store.log(action, relative, ac, **details)
        except OSError as exc:
            return replace(
                change,
                warnings=(
                    f"the change was made, but the app's history could not record it "
                    f"({exc.strerror or exc})",
                ),
            )
        return change

    def _created_blocks(self) -> set[str]:
        if self.store is None:
            return set()
        try:
            value = self.store.get_state(CREATED_BLOCKS, [])
        except Exception:
            return set()
        return {str(v) for v in value} if isinstance(value, list) else set()

    def _remember_block(self, relative: str, created: bool) -> None:
        """Note (or forget) that the app added this note's block, read and written in one
        transaction, so that another process remembering its own note at the same moment
        is not forgotten."""
        if self.store is None:
            return

        def change(value: object) -> list[str]:
            blocks = {str(v) for v in value} if isinstance(value, list) else set()
            return sorted(blocks | {relative} if created else blocks - {relative})

        with contextlib.suppress(Exception):  # the note is right either way
            self.store.update_state(CREATED_BLOCKS, change)

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
        """Tag a note of this portfolio to an AC (see ``companion.notes.tags.tag_note``:
        what is left None keeps the tag's own)."""
        relative = self.relative(path)
        change = tag_note(
            path,
            self.criteria,
            ac,
            where=where,
            counts=counts,
            covers=covers,
            within=self.root,
            since=since,
        )
        if change.created_block:
            self._remember_block(relative, True)
        assert change.tag is not None
        return self._log(change, "tag", relative, change.tag.ac, where=change.tag.where)

    def untag(self, path: Path, ac: str) -> TagChange:
        """Remove a note's tag; a block the app added for its first tag goes with the last."""
        relative = self.relative(path)
        ours = relative in self._created_blocks()
        change = untag_note(path, self.criteria, ac, within=self.root, drop_block=ours)
        if ours and change.after.fm_start is None:
            self._remember_block(relative, False)
        assert change.tag is not None
        return self._log(change, "untag", relative, change.tag.ac)

    def acknowledge(self, path: Path, code: str) -> list[str]:
        """Accept a warning on a note: add its code to the note's ``acknowledge`` list."""
        self.relative(path)
        return acknowledge_warning(path, code, within=self.root)

    def close(self) -> None:
        """Release the databases."""
        if "text_index" in self.__dict__:
            self.text_index.close()
        if self.store is not None:
            self.store.close()


def _decode(text: str, record: type[NoteRecord]) -> NoteRecord | None:
    """A record from its index row; None when the row is not one (it is read again)."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("path"), str):
        return None
    try:
        return record.from_json(data)
    except (TypeError, ValueError):
        return None


__all__ = ["FileStamp", "Portfolio", "ScanResult", "Survey", "iter_note_files", "walk_notes"]
