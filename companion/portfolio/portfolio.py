"""A portfolio: a folder of the apprentice's notes, its profile, and the index over them.

Scanning stats every note and re-reads only those whose size or modification time
changed since the cached index, so opening a large unchanged portfolio is quick.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from companion.content.glossary import Glossary, load_glossary
from companion.content.load import load_content
from companion.content.model import Content
from companion.notes.record import NoteRecord, build_record
from companion.portfolio.index import build_records
from companion.portfolio.profile import PROFILE_NAME, Profile, ProfileError, load_profile
from companion.portfolio.store import Store, StoreBusy

NOTE_SUFFIXES = (".md", ".markdown")


def iter_note_files(root: Path) -> list[tuple[str, os.stat_result]]:
    """Every note below ``root`` (recursive; hidden files and folders ignored), with stat."""
    found: list[tuple[str, os.stat_result]] = []
    stack = [""]  # folders as paths relative to root, "" for root itself, "/"-separated
    base = str(root)
    while stack:
        folder = stack.pop()
        try:
            entries = list(os.scandir(os.path.join(base, folder) if folder else base))
        except OSError:
            continue
        prefix = folder + "/" if folder else ""
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                continue
            try:
                if entry.is_dir(follow_symlinks=False):
                    stack.append(prefix + name)
                elif name.lower().endswith(NOTE_SUFFIXES) and entry.is_file():
                    found.append((prefix + name, entry.stat()))
            except OSError:
                continue
    found.sort(key=lambda item: item[0])
    return found


@dataclass
class ScanResult:
    """What a scan did, for progress display and benchmarks."""

    total: int = 0
    parsed: int = 0
    reused: int = 0
    removed: int = 0
    profile_changed: bool = False
    warnings: list[str] = field(default_factory=list)


class Portfolio:
    """An opened portfolio: content, profile and the current index of notes."""

    def __init__(
        self,
        root: Path,
        content: Content | None = None,
        *,
        use_store: bool = True,
    ) -> None:
        self.root = Path(root)
        self.content = content or load_content()
        self.profile: Profile = load_profile(self.root)
        self._profile_stamp = self._stamp()
        self.records: dict[str, NoteRecord] = {}
        self.store: Store | None = None
        self.warnings: list[str] = []
        if use_store:
            try:
                self.store = Store(self.root)
                self.warnings += self.store.warnings
            except OSError as exc:
                self.warnings.append(
                    f"the app's database is not available ({exc}); working without a cache"
                )

    @cached_property
    def glossary(self) -> Glossary:
        """The models and theories notes can name; built when tagging first needs it."""
        return load_glossary(self.content)

    def path_of(self, relative: str) -> Path:
        """The file of a note given its path relative to the portfolio."""
        return self.root / relative

    def relative(self, path: Path) -> str:
        """A note's path relative to the portfolio, refusing paths outside it."""
        resolved = path.resolve()
        try:
            return resolved.relative_to(self.root.resolve()).as_posix()
        except ValueError:
            raise ValueError(f"{path} is not inside the portfolio {self.root}") from None

    def _stamp(self) -> tuple[int, int] | None:
        try:
            stat = (self.root / PROFILE_NAME).stat()
        except OSError:
            return None
        return stat.st_mtime_ns, stat.st_size

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
        self.profile = profile
        result.profile_changed = True
        return recount

    def scan(self, progress: Callable[[int, int], None] | None = None) -> ScanResult:
        """Bring the index up to date with the files on disk (and with ``companion.yaml``)."""
        result = ScanResult()
        recount = self._reload_profile(result)
        if recount:
            self.records = {}  # word counts depend on the profile's rules: read every note
        # Records in memory are the cache once there are any; the database only at first.
        known: dict[str, NoteRecord] = self.records
        rows: dict[str, dict] = {}
        if not known and not recount and self.store is not None:
            told = len(self.store.warnings)
            rows = self.store.load_index()
            result.warnings += self.store.warnings[told:]
        files = [(rel, st) for rel, st in iter_note_files(self.root) if rel != PROFILE_NAME]
        result.total = len(files)
        reused: dict[str, NoteRecord] = {}
        to_parse: list[str] = []
        for rel, stat in files:
            current = known.get(rel)
            if current is not None:
                if current.mtime_ns == stat.st_mtime_ns and current.size == stat.st_size:
                    reused[rel] = current
                    continue
            else:
                row = rows.get(rel)
                if (
                    row
                    and row.get("mtime_ns") == stat.st_mtime_ns
                    and row.get("size") == stat.st_size
                ):
                    reused[rel] = NoteRecord.from_json(row)
                    continue
            to_parse.append(rel)
        result.reused, result.parsed = len(reused), len(to_parse)
        done = len(reused)
        if progress:
            progress(done, result.total)

        def built(count: int) -> None:
            nonlocal done
            before, done = done, done + count
            if progress and (done // 200 > before // 200 or done == result.total):
                progress(done, result.total)

        fresh = build_records(self.root, to_parse, self.profile.word_count, built)
        records = {rel: reused[rel] if rel in reused else fresh[rel] for rel, _ in files}
        previous = known or rows
        result.removed = len(previous.keys() - records.keys())
        changed = bool(to_parse) or result.removed > 0 or len(previous) != len(records)
        self.records = records
        if changed and self.store is not None:
            try:
                with self.store.locked():
                    self.store.save_index([r.to_row() for r in records.values()])
            except StoreBusy as exc:
                result.warnings.append(str(exc))
            except OSError as exc:
                result.warnings.append(f"the index cache could not be saved ({exc.strerror})")
        return result

    def refresh(self, relative: str) -> NoteRecord:
        """Re-read one note after the app changed it."""
        record = build_record(self.root / relative, relative, self.profile.word_count)
        self.records[relative] = record
        return record

    def close(self) -> None:
        """Release the database."""
        if self.store is not None:
            self.store.close()
