"""What was read from each evidence file, kept so an unchanged file is never read again.

An entry is kept by a hash of the file's bytes, and found first through a small pointer
named by the file's path, size and modification time (a stat: the unchanged re-scan reads
no file's content), then by that hash, so a file only touched, copied or moved is not parsed
again either. Entries live as small JSON files in a
folder of the app's own data (beside the note index): several processes (the index
workers) read and add to it at once, every write is atomic, and anything damaged is read
again from the file. Like every cache of the app it holds only what the files rebuild.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import stat
from pathlib import Path

from companion.code_key import READER_CODE, source_key
from companion.evidence.model import SCHEMA, ExtractedFile
from companion.evidence.read import file_sha256
from companion.files import NotRegularFile, read_regular, write_cache_file

MAX_ENTRY_BYTES = 64 * 1024 * 1024
"""The largest entry read back (text is capped far below this by ``Limits``)."""
_KEY = re.compile(r"(?:stat-)?[0-9a-f]{64}-[0-9a-f]{16}-[\w.]+")
HASHED_AT_MOST = 256 * 1024 * 1024
"""Files larger than this (recordings, mostly) are kept by their stat alone, not their hash."""
_NOT_KEPT = {"file-missing", "file-not-regular", "file-unreadable"}
"""Problems of where a file is, not of what it is: read again each time."""


class ExtractionCache:
    """Extractions by stat and by content hash, in ``folder`` (None: no cache at all)."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.read_count = 0
        """Files actually parsed by this cache (for tests and benchmarks)."""

    def _entry(self, kind: str, key: str) -> Path:
        assert self.folder is not None
        return self.folder / kind / f"{key}.json"

    def _load(self, path: Path) -> ExtractedFile | None:
        try:
            data = json.loads(read_regular(path, MAX_ENTRY_BYTES))
            return ExtractedFile.from_json(data)
        except (OSError, NotRegularFile, ValueError, TypeError, KeyError, RecursionError):
            return None

    def _keep(self, path: Path, data: bytes) -> None:
        with contextlib.suppress(OSError):  # a cache that cannot be written is not used
            path.parent.mkdir(parents=True, exist_ok=True)
            write_cache_file(path, data)

    def read(self, path: Path, within: Path) -> ExtractedFile:
        """What is in the file at ``path`` (refusing links that leave ``within``)."""
        from companion.evidence.read import read_evidence_file

        if self.folder is None:
            self.read_count += 1
            return read_evidence_file(path, within=within)
        try:
            info = os.lstat(path)
        except OSError:
            return read_evidence_file(path, within=within)
        if not stat.S_ISREG(info.st_mode):  # a link, folder or FIFO: the reader says why
            return read_evidence_file(path, within=within)
        code = f"{SCHEMA}.{source_key(READER_CODE)}"  # other reader code reads files again
        where = (
            f"{os.path.abspath(path)}\0{info.st_size}\0{info.st_mtime_ns}\0{info.st_ctime_ns}"
            f"\0{info.st_ino}\0{code}"
        )
        by_stat = self._entry("stat", hashlib.sha256(where.encode("utf-8", "replace")).hexdigest())
        pointer = self._pointer(by_stat)
        if pointer is not None:  # the file as it was last read: its entry, by its bytes' hash
            found = self._load(self._entry("content", pointer))
            if found is not None:
                return found
        # what is read depends on the bytes and on the name (its suffix says the format, and
        # messages name the file); a recording is read by its headers alone, so hashing all
        # of a large one would cost more than reading it again
        content = file_sha256(path, HASHED_AT_MOST) if info.st_size <= HASHED_AT_MOST else None
        name = hashlib.sha256(path.name.encode("utf-8", "replace")).hexdigest()[:16]
        key = f"{content or 'stat-' + hashlib.sha256(where.encode()).hexdigest()}-{name}-{code}"
        found = self._load(self._entry("content", key))
        if found is None:
            self.read_count += 1
            found = read_evidence_file(path, within=within)
            if found.problem is not None and found.problem.code in _NOT_KEPT:
                return found
            text = json.dumps(found.to_json(), separators=(",", ":"), ensure_ascii=False)
            self._keep(self._entry("content", key), text.encode("utf-8"))
        self._keep(by_stat, key.encode("ascii"))
        return found

    def _pointer(self, path: Path) -> str | None:
        """The content key a stat entry points at, or None."""
        try:
            key = read_regular(path, 256).decode("ascii")
        except (OSError, NotRegularFile, UnicodeDecodeError):
            return None
        return key if _KEY.fullmatch(key) else None


def prune(folder: Path | None, keep: int) -> int:
    """Delete the oldest entries past ``keep`` of each kind (by when they were written), so
    the cache of a portfolio edited for two years stays near the size of its files' text;
    returns how many went. Anything deleted is read again from its file when needed."""
    if folder is None:
        return 0
    gone = 0
    for kind in ("stat", "content"):
        try:
            entries = [(e.stat().st_mtime_ns, e.path) for e in os.scandir(folder / kind)]
        except OSError:
            continue
        if len(entries) <= keep:
            continue
        entries.sort()
        for _, path in entries[: len(entries) - keep]:
            with contextlib.suppress(OSError):
                os.unlink(path)
                gone += 1
    return gone
