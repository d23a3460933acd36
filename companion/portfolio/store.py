"""The app's own files for one portfolio: the note index, the tag history and UI state.

What lives where, and why:

- ``index.sqlite`` (SQLite, WAL): one row per note, the record the rules and progress need
  (a JSON array: ``companion.notes.record.encode_row``) and the flags worked out from it,
  keyed by the note's size and modification time. It is rebuilt from the notes whenever
  it is missing, damaged or of another layout, so nothing in it is precious.
  SQLite updates one row in a millisecond where a JSON database rewrites the whole file
  (20 MB at 50,000 notes), and several processes can read and write it at once.
  Its ``state`` table holds the small app state (the last screen, the blocks the app added
  to notes, the exports it wrote): each change is one transaction, so two processes
  changing it at once both keep their change.
- ``memo/``: the status last printed, a file per kind named by the key of what it depends on
  (``companion.assessment.memo``), so an unchanged status is printed again from one read.
- ``files/``: what was read from each evidence file a card names (its text with places
  marked, pages, slides, duration), by the file's path, size and time and by a hash of its
  bytes (``companion.evidence.cache``), so an unchanged file is never parsed again.
- ``audit.jsonl``: the tag history, one JSON line appended per change; an append never
  rewrites what was logged before, and two writers cannot clash on an id.
- ``db.json``: where older versions kept the small state; it is moved into the index
  database once and renamed ``db.json.migrated``.
- ``lock``: held by an open app for its whole session, so a second window is told.

A damaged file of any of them is moved aside with a one-line warning and started afresh;
the notes are never affected.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO

from companion import clock
from companion.code_key import RECORD_CODE, source_key
from companion.errors import CompanionError
from companion.files import PieceWriter, data_dir, remove_stale_temp_files
from companion.portfolio.damaged import SQLITE_SIDECARS, move_aside

try:
    import fcntl
except ImportError:  # pragma: no cover - not on Windows
    fcntl = None  # type: ignore[assignment]

SCHEMA_VERSION = 5
"""Version of the index's layout; a different one is rebuilt."""


def index_schema() -> str:
    """What the index's rows were made by: the layout's version and the code that reads a
    note into its record. A row made by other code (a new release, a changed citation
    reader) is read again rather than trusted."""
    return f"{SCHEMA_VERSION}:{source_key(RECORD_CODE)}"


MAX_STATE_BYTES = 4 * 1024 * 1024
MAX_AUDIT_LINE = 64 * 1024


def portfolio_key(portfolio: Path) -> str:
    """A stable folder name for a portfolio's state."""
    resolved = str(portfolio.resolve())
    return hashlib.sha256(resolved.encode("utf-8", "surrogatepass")).hexdigest()[:16]


class CorruptStore(Exception):
    """A file of the store could not be read as what it should hold."""


class StoreBusy(CompanionError):
    """Another companion window holds this portfolio's session lock."""

    exit_status = 1


def _depth_ok(value: Any, depth: int = 0) -> bool:
    if depth > 32:
        return False
    if isinstance(value, dict):
        return all(_depth_ok(v, depth + 1) for v in value.values())
    if isinstance(value, list):
        return all(_depth_ok(v, depth + 1) for v in value)
    return True


def read_legacy_state(path: Path) -> dict[str, dict[str, dict[str, Any]]]:
    """The tables an older version kept in ``db.json`` (TinyDB's layout: each table a
    mapping of row numbers to rows); empty when the file is empty. Raises CorruptStore
    when it is not that."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_STATE_BYTES + 1)
    except IsADirectoryError:
        raise CorruptStore("a folder is where the file should be") from None
    except OSError as exc:
        raise CorruptStore(exc.strerror or str(exc)) from None
    if len(raw) > MAX_STATE_BYTES:
        raise CorruptStore("larger than the app ever writes")
    if not raw.strip():
        return {}
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise CorruptStore(f"not the app's JSON ({type(exc).__name__})") from None
    if not isinstance(data, dict) or not all(
        isinstance(table, dict)
        and all(isinstance(k, str) and k.isdigit() for k in table)
        and all(isinstance(row, dict) for row in table.values())
        for table in data.values()
    ):
        raise CorruptStore("unexpected structure")
    if not _depth_ok(data):
        raise CorruptStore("nested deeper than the app ever writes")
    return data


_INDEX_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS notes (
    path TEXT PRIMARY KEY,
    mtime_ns INTEGER NOT NULL,
    size INTEGER NOT NULL,
    record TEXT NOT NULL,
    flags_key TEXT NOT NULL DEFAULT '',
    flags TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


def _shared(flags: str | None) -> str:
    """A note's flags JSON, one copy of it when it is short (``[]``: no flags)."""
    if not flags:
        return ""
    return sys.intern(flags) if len(flags) <= 2 else flags


class Index:
    """The rebuildable note index in SQLite: a row per note, read whole or by note."""

    def __init__(self, path: Path, warnings: list[str], portfolio: str = "") -> None:
        self.path = path
        self.warnings = warnings
        self.portfolio = portfolio
        self._db: sqlite3.Connection | None = None
        self._lock = threading.RLock()  # one transaction at a time on the one connection

    def _connect(self) -> sqlite3.Connection:
        if self._db is not None:
            return self._db
        try:
            self._db = self._open()
        except (sqlite3.DatabaseError, OSError, CorruptStore) as exc:
            self._move_aside(exc)
            self._db = self._open()
        return self._db

    def _open(self) -> sqlite3.Connection:
        if self.path.exists() and not self.path.is_file():
            raise CorruptStore("a folder is where the index file should be")
        db = sqlite3.connect(self.path, timeout=10, isolation_level=None, check_same_thread=False)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.executescript(_INDEX_SCHEMA)
            row = db.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
            if row is None:
                db.execute("INSERT OR REPLACE INTO meta VALUES ('schema', ?)", (index_schema(),))
                if self.portfolio:  # which portfolio this folder is for, for a person looking
                    db.execute(
                        "INSERT OR IGNORE INTO state VALUES ('portfolio', ?)",
                        (json.dumps(self.portfolio, ensure_ascii=False),),
                    )
            elif row[0] != index_schema():
                db.execute("DELETE FROM notes")
                db.execute("DELETE FROM meta WHERE key != 'schema'")  # statuses kept here before
                db.execute("UPDATE meta SET value=? WHERE key='schema'", (index_schema(),))
            columns = [r[1] for r in db.execute("PRAGMA table_info(notes)")]
            if columns[:4] != ["path", "mtime_ns", "size", "record"]:
                raise CorruptStore("the notes table has the wrong shape")
        except BaseException:
            db.close()
            raise
        return db

    def _move_aside(self, problem: Exception) -> None:
        self.warnings.append(
            move_aside(self.path, "The app's note index", problem, SQLITE_SIDECARS)
        )

    def rows(self) -> dict[str, tuple[int, int, str, object]]:
        """Every row by note path, without its record: (mtime_ns, size, flags key, flags
        JSON). The records are read by ``records``, one at a time. The JSON is typed as the
        portfolio keeps it, which swaps it for the flags once they are read."""
        try:
            db = self._connect()
            fetched = db.execute("SELECT path, mtime_ns, size, flags_key, flags FROM notes")
            out: dict[str, tuple[int, int, str, object]] = {}
            for path, mtime, size, flags_key, flags in fetched:
                if isinstance(path, str) and isinstance(mtime, int) and isinstance(size, int):
                    # one path as the walk has it; one key for every row; most flags are '[]'
                    out[sys.intern(path)] = (
                        mtime,
                        size,
                        sys.intern(flags_key or ""),
                        _shared(flags),
                    )
        except (sqlite3.DatabaseError, CorruptStore) as exc:
            self.close()
            self._move_aside(exc)
            return {}
        return out

    def records(self) -> Iterator[tuple[str, int, int, str]]:
        """Each row's (path, mtime_ns, size, record JSON), read as they are used, so the
        records of a large portfolio are never all in memory as text at once."""
        try:
            cursor = self._connect().execute("SELECT path, mtime_ns, size, record FROM notes")
            for path, mtime, size, record in cursor:
                if isinstance(path, str) and isinstance(record, str):
                    yield path, mtime, size, record
        except (sqlite3.DatabaseError, CorruptStore):
            return  # what was not read is read again from the notes

    def state(self, key: str) -> str | None:
        """The JSON of one value of the app's state, or None."""
        with self._lock:
            found = self._connect().execute("SELECT value FROM state WHERE key=?", (key,))
            row = found.fetchone()
        return row[0] if row and isinstance(row[0], str) else None

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """The connection inside one write transaction, taken before anything is read, so
        another process's change in between is never overwritten; rolled back on failure."""
        with self._lock:
            db = self._connect()
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
                db.execute("COMMIT")
            except BaseException:
                with contextlib.suppress(sqlite3.Error):
                    db.execute("ROLLBACK")
                raise

    def update(
        self,
        changed: Iterable[tuple[str, int, int, str, str, str]],
        removed: Iterable[str] = (),
    ) -> None:
        """Write changed rows and drop removed ones, in one transaction."""
        with self.transaction() as db:
            db.executemany("DELETE FROM notes WHERE path=?", ((p,) for p in removed))
            db.executemany("INSERT OR REPLACE INTO notes VALUES (?, ?, ?, ?, ?, ?)", changed)

    def set_flags(self, rows: Iterable[tuple[str, int, int, str, str]]) -> None:
        """Keep each note's worked-out flags (path, mtime_ns, size, key, JSON) with its row,
        only where the row is still of that version of the note."""
        with self.transaction() as db:
            db.executemany(
                "UPDATE notes SET flags_key=?, flags=? WHERE path=? AND mtime_ns=? AND size=?",
                ((key, flags, path, mtime, size) for path, mtime, size, key, flags in rows),
            )

    def close(self) -> None:
        if self._db is not None:
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
            self._db = None


class Store:
    """The app's files for one portfolio (see the module docstring)."""

    def __init__(self, portfolio: Path, base: Path | None = None) -> None:
        self.folder = (base or data_dir()) / "portfolios" / portfolio_key(portfolio)
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.legacy_path = self.folder / "db.json"
        self.index_path = self.folder / "index.sqlite"
        self.audit_path = self.folder / "audit.jsonl"
        self.warnings: list[str] = []
        self._lock_handle: Any = None
        self.index = Index(self.index_path, self.warnings, str(portfolio.resolve()))
        remove_stale_temp_files(self.folder)  # of a write that was killed
        if self.legacy_path.exists():
            self._migrate()

    def _migrate(self) -> None:
        """Move what an older version kept in ``db.json`` into the index database, once.

        Done in one transaction taken before the file is read, so of two processes starting
        at once, the second finds the file already moved. The file is renamed, never
        deleted, so nothing it held is lost; a damaged one is moved aside with a warning.
        A database that cannot be written leaves the file for the next start.
        """
        with (
            contextlib.suppress(sqlite3.Error, OSError, CorruptStore),
            self.index.transaction() as db,
        ):
            if not self.legacy_path.exists():
                return  # another process moved it meanwhile
            try:
                data = read_legacy_state(self.legacy_path)
            except CorruptStore as exc:
                self.warnings.append(move_aside(self.legacy_path, "The app's database", exc))
                return
            db.executemany(
                "INSERT OR IGNORE INTO state VALUES (?, ?)",
                (
                    (row["key"], json.dumps(row.get("value"), ensure_ascii=False))
                    for row in data.get("state", {}).values()
                    if isinstance(row.get("key"), str)
                ),
            )
            for entry in data.get("audit", {}).values():  # the history, before it was a file
                self._append(entry)
            os.rename(self.legacy_path, self._migrated_name())

    def _migrated_name(self) -> Path:
        """``db.json.migrated``, or the first ``db.json.migrated-N`` not taken."""
        aside = self.legacy_path.with_name(f"{self.legacy_path.name}.migrated")
        number = 1
        while aside.exists() or aside.is_symlink():
            number += 1
            aside = self.legacy_path.with_name(f"{self.legacy_path.name}.migrated-{number}")
        return aside

    # --- remembered results ----------------------------------------------------------

    def _memo_path(self, name: str, key: str) -> Path:
        return self.folder / "memo" / f"{name}.{key}"

    def memo(self, name: str, key: str) -> bytes | None:
        """The bytes ``remembering`` kept under ``name`` for ``key``, or None."""
        try:
            return self._memo_path(name, key).read_bytes()
        except OSError:
            return None

    def memo_file(self, name: str, key: str) -> BinaryIO | None:
        """What ``remembering`` kept under ``name`` for ``key``, opened to be read a piece
        at a time (a status of 50,000 notes is tens of megabytes), or None."""
        try:
            return self._memo_path(name, key).open("rb")
        except OSError:
            return None

    @contextmanager
    def remembering(self, name: str, key: str) -> Iterator[Callable[[bytes], None]]:
        """Keep what is passed to the function given, as it comes, under ``name`` for ``key``
        in place of what was kept for another key; if the block fails, nothing is kept.

        A file of its own rather than a row, written while the same bytes are printed:
        nothing is held (SQLite would hold the value and its pages, about three times a 6 MB
        status), and what is kept for an older key is simply deleted. A file that cannot
        be written is not kept; the block runs all the same."""
        path = self._memo_path(name, key)
        with contextlib.suppress(OSError):
            path.parent.mkdir(exist_ok=True, mode=0o700)
            remove_stale_temp_files(path.parent)  # of a write that was killed
        writer = PieceWriter(path)
        try:
            yield writer.write
        except BaseException:
            writer.discard()
            raise
        if writer.finish():
            for old in path.parent.glob(f"{name}.*"):
                if old.name != path.name:
                    with contextlib.suppress(OSError):
                        old.unlink()

    # --- the session lock ----------------------------------------------------------

    def acquire(self) -> None:
        """Take the session lock for an open app; raise StoreBusy if another app holds it."""
        if fcntl is None or self._lock_handle is not None:
            return
        handle = open(self.folder / "lock", "a+")  # noqa: SIM115 - held until release()
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            raise StoreBusy(
                "this portfolio is open in another companion window; changes made in both "
                "are kept, but each shows the other's only after it re-reads the notes"
            ) from None
        self._lock_handle = handle

    def release(self) -> None:
        """Give the session lock back."""
        if self._lock_handle is not None:
            fcntl.flock(self._lock_handle, fcntl.LOCK_UN)
            self._lock_handle.close()
            self._lock_handle = None

    @property
    def locked_by_me(self) -> bool:
        """True while this store holds the session lock."""
        return self._lock_handle is not None

    # --- tag history ---------------------------------------------------------------

    def _append(self, entry: dict[str, Any]) -> None:
        line = json.dumps(entry, ensure_ascii=False, separators=(",", ":")) + "\n"
        fd = os.open(self.audit_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, line.encode("utf-8", "surrogatepass"))
        finally:
            os.close(fd)

    def log(self, action: str, note: str, ac: str, **details: Any) -> None:
        """Append one change to the tag history (raises OSError when it cannot)."""
        self._append(
            {
                "at": clock.now().isoformat(timespec="seconds"),
                "action": action,
                "note": note,
                "ac": ac,
                **details,
            }
        )

    def history(self) -> list[dict[str, Any]]:
        """The tag history, oldest first; lines that are not the app's are skipped."""
        try:
            with open(self.audit_path, "rb") as handle:
                lines = handle.read().splitlines()
        except OSError:
            return []
        entries = []
        for line in lines:
            if len(line) > MAX_AUDIT_LINE:
                continue
            try:
                entry = json.loads(line)
            except (ValueError, RecursionError):
                continue
            if isinstance(entry, dict) and isinstance(entry.get("action"), str):
                entries.append(entry)
        return entries

    # --- app state ----------------------------------------------------------------

    def get_state(self, key: str, default: Any = None) -> Any:
        """A remembered value (the last screen, the blocks the app added); ``default`` when
        there is none or it cannot be read."""
        try:
            text = self.index.state(key)
        except (sqlite3.Error, CorruptStore, OSError):
            return default
        return _decode_state(text, default)

    def set_state(self, key: str, value: Any) -> None:
        """Remember a value, in one transaction (raises sqlite3.Error when it cannot)."""
        text = json.dumps(value, ensure_ascii=False)
        with self.index.transaction() as db:
            db.execute("INSERT OR REPLACE INTO state VALUES (?, ?)", (key, text))

    def forget_rows(self, key: str, value: Any) -> None:
        """Drop every row of the index and remember ``value`` under ``key``, in one
        transaction: the rows were made under settings that no longer hold, and a scan
        stopped part way must not leave old rows beside new ones as if all were current."""
        text = json.dumps(value, ensure_ascii=False)
        with self.index.transaction() as db:
            db.execute("DELETE FROM notes")
            db.execute("INSERT OR REPLACE INTO state VALUES (?, ?)", (key, text))

    def update_state(self, key: str, change: Callable[[Any], Any]) -> Any:
        """Replace a remembered value by ``change`` of it (None when there is none), read
        and written in one transaction, so that two processes changing it at once both
        keep their change; the new value."""
        with self.index.transaction() as db:
            found = db.execute("SELECT value FROM state WHERE key=?", (key,)).fetchone()
            value = change(_decode_state(found[0] if found else None, None))
            text = json.dumps(value, ensure_ascii=False)
            db.execute("INSERT OR REPLACE INTO state VALUES (?, ?)", (key, text))
        return value

    def close(self) -> None:
        """Release the lock and close the database."""
        self.release()
        self.index.close()


def _decode_state(text: object, default: Any) -> Any:
    """A remembered value from its JSON; ``default`` for none, or for text not the app's."""
    if not isinstance(text, str):
        return default
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return default
