"""A portfolio: a folder of the apprentice's notes, its profile, and the index over them.

Scanning stats every note and re-reads only those whose size or modification time
changed since the cached index, so opening a large unchanged portfolio is quick.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from companion.content import load_content
from companion.content_model import Content
from companion.glossary import Glossary, load_glossary
from companion.note_record import NoteRecord, build_record
from companion.profile import PROFILE_NAME, Profile, ProfileError, load_profile
from companion.store import Store, StoreBusy

NOTE_SUFFIXES = (".md", ".markdown")


def iter_note_files(root: Path) -> list[tuple[str, os.stat_result]]:
    """Every note below ``root`` (recursive; hidden files and folders ignored), with stat."""
    found: list[tuple[str, os.stat_result]] = []
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            try:
                if entry.is_dir(follow_symlinks=False):
                    stack.append(Path(entry.path))
                elif entry.is_file() and entry.name.lower().endswith(NOTE_SUFFIXES):
                    rel = Path(entry.path).relative_to(root).as_posix()
                    found.append((rel, entry.stat()))
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
        self.glossary: Glossary = load_glossary(self.content)
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
        cached: dict[str, dict] = {}
        if recount:
            self.records = {}  # word counts depend on the profile's rules: read every note
        elif self.store is not None:
            cached = self.store.load_index()
        elif self.records:
            cached = {k: r.to_json() for k, r in self.records.items()}
        files = [(rel, st) for rel, st in iter_note_files(self.root) if rel != PROFILE_NAME]
        result.total = len(files)
        records: dict[str, NoteRecord] = {}
        changed = False
        for index, (rel, stat) in enumerate(files, start=1):
            row = cached.get(rel)
            if row and row.get("mtime_ns") == stat.st_mtime_ns and row.get("size") == stat.st_size:
                current = self.records.get(rel)
                records[rel] = (
                    current
                    if current and current.mtime_ns == stat.st_mtime_ns
                    else NoteRecord.from_json(row)
                )
                result.reused += 1
            else:
                records[rel] = build_record(
                    self.root / rel, rel, self.glossary, self.profile.word_count
                )
                result.parsed += 1
                changed = True
            if progress and (index % 200 == 0 or index == result.total):
                progress(index, result.total)
        result.removed = len(set(cached) - set(records))
        changed = changed or result.removed > 0 or len(cached) != len(records)
        self.records = records
        if changed and self.store is not None:
            try:
                with self.store.locked():
                    self.store.save_index([r.to_json() for r in records.values()])
            except StoreBusy as exc:
                result.warnings.append(str(exc))
            except OSError as exc:
                result.warnings.append(f"the index cache could not be saved ({exc.strerror})")
        return result

    def refresh(self, relative: str) -> NoteRecord:
        """Re-read one note after the app changed it."""
        record = build_record(
            self.root / relative, relative, self.glossary, self.profile.word_count
        )
        self.records[relative] = record
        return record

    def close(self) -> None:
        """Release the database."""
        if self.store is not None:
            self.store.close()
