"""What was read from each evidence file, kept so an unchanged file is never read again.

An entry is kept by a hash of the file's bytes, and found first through a small pointer
keyed by the file's path, size and modification time (a stat: the unchanged re-scan reads
no file's content), then by that hash, so a file only touched, copied or moved is not parsed
again either. Entries live in one SQLite database in the app's own data (beside the note
index), not a file each: making 600 small files for 300 evidence files cost 0.1-0.24 s of
CPU on ext4, where one database took 0.02 s (bench/bench_files.py's first scan). Several
processes (the index workers) read and add to it at once; a write that finds it busy is
simply not kept, and a database that is damaged or of another layout is made again. Like
every cache of the app it holds only what the files rebuild.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import sqlite3
import stat
import threading
import time
import weakref
from pathlib import Path

from companion.code_key import READER_CODE, source_key
from companion.evidence.model import SCHEMA, ExtractedFile
from companion.evidence.read import file_sha256

DATABASE = "extractions.sqlite3"
LAYOUT = 1
"""The database's layout (``PRAGMA user_version``); a database of another is made again."""
MAX_ENTRY_BYTES = 64 * 1024 * 1024
"""The largest entry read back (text is capped far below this by ``Limits``)."""
HASHED_AT_MOST = 256 * 1024 * 1024
"""Files larger than this (recordings, mostly) are kept by their stat alone, not their hash."""
BUSY_MS = 2000
"""How long a write waits for another process's before it gives up keeping the entry."""
_NOT_KEPT = {"file-missing", "file-not-regular", "file-unreadable"}
"""Problems of where a file is, not of what it is: read again each time."""
_OLD_FOLDERS = ("stat", "content")
"""Where earlier releases kept an entry per file: removed by ``prune``."""
_TABLES = (
    "CREATE TABLE IF NOT EXISTS pointer (stat TEXT PRIMARY KEY, entry TEXT NOT NULL, "
    "written INTEGER NOT NULL)",
    "CREATE TABLE IF NOT EXISTS entry (key TEXT PRIMARY KEY, data BLOB NOT NULL, "
    "written INTEGER NOT NULL)",
)


def _open(path: Path) -> sqlite3.Connection:
    """The database at ``path``, made (or made again) with this release's layout."""
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(path, timeout=BUSY_MS / 1000, check_same_thread=False)
    try:
        connection.isolation_level = None  # transactions are explicit
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")
        (layout,) = connection.execute("PRAGMA user_version").fetchone()
        if layout != LAYOUT:
            connection.execute("DROP TABLE IF EXISTS pointer")
            connection.execute("DROP TABLE IF EXISTS entry")
            for table in _TABLES:
                connection.execute(table)
            connection.execute(f"PRAGMA user_version={LAYOUT}")
    except BaseException:
        connection.close()
        raise
    return connection


def _remove(path: Path) -> None:
    for name in (path.name, f"{path.name}-wal", f"{path.name}-shm", f"{path.name}-journal"):
        with contextlib.suppress(OSError):
            os.unlink(path.with_name(name))


def connect(folder: Path) -> sqlite3.Connection | None:
    """The cache database in ``folder``; one that is damaged is removed and made again, and
    None when even that fails (the files are then read every time, as without a cache)."""
    path = folder / DATABASE
    for attempt in range(2):
        try:
            return _open(path)
        except sqlite3.DatabaseError:
            if attempt == 0:
                _remove(path)
        except (sqlite3.Error, OSError):
            return None
    return None


class ExtractionCache:
    """Extractions by stat and by content hash, in ``folder`` (None: no cache at all)."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.read_count = 0
        """Files actually parsed by this cache (for tests and benchmarks)."""
        self._connection: sqlite3.Connection | None = None
        self._opened = False
        self._lock = threading.Lock()  # one connection, used from any thread in turn

    def _database(self) -> sqlite3.Connection | None:
        if not self._opened and self.folder is not None:
            self._opened = True
            self._connection = connect(self.folder)
            if self._connection is not None:
                weakref.finalize(self, self._connection.close)
        return self._connection

    def close(self) -> None:
        """Let go of the database (it is also let go when the cache is)."""
        with self._lock:
            if self._connection is not None:
                self._connection.close()
            self._connection, self._opened = None, True

    def _query(self, sql: str, *values: object) -> object:
        """The first column of the row ``sql`` finds, or None."""
        database = self._database()
        if database is None:
            return None
        try:
            row = database.execute(sql, values).fetchone()
        except sqlite3.Error:  # damaged since it was opened, or busy: read the file
            return None
        return row[0] if row else None

    def _entry(self, key: str) -> ExtractedFile | None:
        sql = "SELECT data FROM entry WHERE key = ? AND length(data) <= ?"
        data = self._query(sql, key, MAX_ENTRY_BYTES)
        if not isinstance(data, bytes):
            return None
        try:
            return ExtractedFile.from_json(json.loads(data))
        except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
            return None

    def _keep(self, by_stat: str, key: str, data: bytes | None) -> None:
        database = self._database()
        if database is None:
            return
        now = time.time_ns()
        try:
            with contextlib.closing(database.cursor()) as cursor:
                cursor.execute("BEGIN IMMEDIATE")
                try:
                    if data is not None:
                        cursor.execute(
                            "INSERT OR REPLACE INTO entry VALUES (?, ?, ?)", (key, data, now)
                        )
                    cursor.execute(
                        "INSERT OR REPLACE INTO pointer VALUES (?, ?, ?)", (by_stat, key, now)
                    )
                    cursor.execute("COMMIT")
                except BaseException:
                    cursor.execute("ROLLBACK")
                    raise
        except sqlite3.Error:  # busy or full: this entry is simply not kept
            return

    def read(self, path: Path, within: Path) -> ExtractedFile:
        """What is in the file at ``path`` (refusing links that leave ``within``)."""
        with self._lock:
            return self._read(path, within)

    def _read(self, path: Path, within: Path) -> ExtractedFile:
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
        by_stat = hashlib.sha256(where.encode("utf-8", "replace")).hexdigest()
        pointer = self._query("SELECT entry FROM pointer WHERE stat = ?", by_stat)
        if isinstance(pointer, str):  # the file as it was last read: its entry, by its hash
            found = self._entry(pointer)
            if found is not None:
                return found
        # what is read depends on the bytes and on the name (its suffix says the format, and
        # messages name the file); a recording is read by its headers alone, so hashing all
        # of a large one would cost more than reading it again
        content = file_sha256(path, HASHED_AT_MOST) if info.st_size <= HASHED_AT_MOST else None
        name = hashlib.sha256(path.name.encode("utf-8", "replace")).hexdigest()[:16]
        key = f"{content or 'stat-' + by_stat}-{name}-{code}"
        found = self._entry(key)
        data = None
        if found is None:
            self.read_count += 1
            found = read_evidence_file(path, within=within)
            if found.problem is not None and found.problem.code in _NOT_KEPT:
                return found
            text = json.dumps(found.to_json(), separators=(",", ":"), ensure_ascii=False)
            data = text.encode("utf-8")
        self._keep(by_stat, key, data)
        return found


def prune(folder: Path | None, keep: int) -> int:
    """Delete the oldest entries past ``keep`` of each kind (by when they were written), so
    the cache of a portfolio edited for two years stays near the size of its files' text;
    returns how many went. Anything deleted is read again from its file when needed."""
    if folder is None:
        return 0
    for old in _OLD_FOLDERS:  # one file per entry, as earlier releases kept them
        if (folder / old).is_dir() and not (folder / old).is_symlink():
            shutil.rmtree(folder / old, ignore_errors=True)
    database = connect(folder) if (folder / DATABASE).exists() else None
    if database is None:
        return 0
    gone = 0
    try:
        for table, key in (("pointer", "stat"), ("entry", "key")):
            cursor = database.execute(
                f"DELETE FROM {table} WHERE {key} NOT IN "  # the names are ours
                f"(SELECT {key} FROM {table} ORDER BY written DESC LIMIT ?)",
                (keep,),
            )
            gone += max(cursor.rowcount, 0)
    except sqlite3.Error:  # busy: pruned next time
        pass
    finally:
        database.close()
    return gone
