"""The app's own files for one portfolio: the note index, the tag history and UI state.

What lives where, and why:

- ``index.sqlite`` (SQLite, WAL): one row per note, the record the rules and progress need
  and the flags worked out from it, keyed by the note's size and modification time. It is
  rebuilt from the notes whenever it is missing or damaged, so nothing in it is precious.
  SQLite updates one row in a millisecond where a JSON database rewrites the whole file
  (20 MB at 50,000 notes), and several processes can read and write it at once.
- ``memo/``: the status last printed, a file per kind named by the key of what it depends on
  (``companion.assessment.memo``), so an unchanged status is printed again from one read.
- ``files/``: what was read from each evidence file a card names (its text with places
  marked, pages, slides, duration), by the file's path, size and time and by a hash of its
  bytes (``companion.evidence.cache``), so an unchanged file is never parsed again.
- ``audit.jsonl``: the tag history, one JSON line appended per change; an append never
  rewrites what was logged before, and two writers cannot clash on an id.
- ``db.json`` (TinyDB): small UI state (the last screen, blocks the app added to notes).
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
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tinydb import Query, TinyDB
from tinydb.storages import Storage

from companion import clock
from companion.code_key import RECORD_CODE, source_key
from companion.errors import CompanionError
from companion.files import PieceWriter, atomic_write, data_dir, remove_stale_temp_files
from companion.portfolio.damaged import SQLITE_SIDECARS, move_aside

try:
    import fcntl
except ImportError:  # pragma: no cover - not on Windows
    fcntl = None  # type: ignore[assignment]

SCHEMA_VERSION = 4
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


class AtomicJSONStorage(Storage):
    """TinyDB storage that writes via temp file + rename and never half-writes."""

    def __init__(self, path: str, **_: Any) -> None:
        self.path = Path(path)

    def read(self) -> dict[str, Any] | None:
        try:
            with open(self.path, "rb") as handle:
                raw = handle.read(MAX_STATE_BYTES + 1)
        except FileNotFoundError:
            return None
        except IsADirectoryError:
            raise CorruptStore("a folder is where the file should be") from None
        except OSError as exc:
            raise CorruptStore(exc.strerror or str(exc)) from None
        if len(raw) > MAX_STATE_BYTES:
            raise CorruptStore("larger than the app ever writes")
        if not raw.strip():
            return None
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

    def write(self, data: dict[str, Any]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(self.path, json.dumps(data, ensure_ascii=False).encode("utf-8"))

    def close(self) -> None:
        return None


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
"""


def _shared(flags: str | None) -> str:
    """A note's flags JSON, one copy of it when it is short (``[]``: no flags)."""
    if not flags:
        return ""
    return sys.intern(flags) if len(flags) <= 2 else flags


class Index:
    """The rebuildable note index in SQLite: a row per note, read whole or by note."""

    def __init__(self, path: Path, warnings: list[str]) -> None:
        self.path = path
        self.warnings = warnings
        self._db: sqlite3.Connection | None = None

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

    def update(
        self,
        changed: Iterable[tuple[str, int, int, str, str, str]],
        removed: Iterable[str] = (),
    ) -> None:
        """Write changed rows and drop removed ones, in one transaction."""
        db = self._connect()
        try:
            db.execute("BEGIN IMMEDIATE")
            db.executemany("DELETE FROM notes WHERE path=?", ((p,) for p in removed))
            db.executemany("INSERT OR REPLACE INTO notes VALUES (?, ?, ?, ?, ?, ?)", changed)
            db.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                db.execute("ROLLBACK")
            raise

    def set_flags(self, rows: Iterable[tuple[str, int, int, str, str]]) -> None:
        """Keep each note's worked-out flags (path, mtime_ns, size, key, JSON) with its row,
        only where the row is still of that version of the note."""
        db = self._connect()
        try:
            db.execute("BEGIN IMMEDIATE")
            db.executemany(
                "UPDATE notes SET flags_key=?, flags=? WHERE path=? AND mtime_ns=? AND size=?",
                ((key, flags, path, mtime, size) for path, mtime, size, key, flags in rows),
            )
            db.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                db.execute("ROLLBACK")
            raise

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
        self.path = self.folder / "db.json"
        self.index_path = self.folder / "index.sqlite"
        self.audit_path = self.folder / "audit.jsonl"
        self.warnings: list[str] = []
        self._lock_handle: Any = None
        self.db, data = self._open(self.path)
        self.index = Index(self.index_path, self.warnings)
        self._drop_old(data, portfolio)

    def _drop_old(self, data: dict[str, Any], portfolio: Path) -> None:
        """Tables an older version kept in ``db.json``: the index goes, the history moves."""
        if "notes" in data:
            self.db.drop_table("notes")
        if "audit" in data:
            with contextlib.suppress(OSError):
                for entry in self.db.table("audit").all():
                    self._append(dict(entry))
            self.db.drop_table("audit")
        if not data.get("meta"):
            self.db.table("meta").insert(
                {"schema": SCHEMA_VERSION, "portfolio": str(portfolio.resolve())}
            )

    def _open(self, path: Path) -> tuple[TinyDB, dict[str, Any]]:
        """Open one database and read it once; a damaged file is moved aside."""
        db = TinyDB(str(path), storage=AtomicJSONStorage)
        try:
            return db, db.storage.read() or {}
        except CorruptStore as exc:
            db.close()
            self.warnings.append(move_aside(path, "The app's database", exc))
            return TinyDB(str(path), storage=AtomicJSONStorage), {}

    # --- remembered results ----------------------------------------------------------

    def _memo_path(self, name: str, key: str) -> Path:
        return self.folder / "memo" / f"{name}.{key}"

    def memo(self, name: str, key: str) -> bytes | None:
        """The bytes ``remembering`` kept under ``name`` for ``key``, or None."""
        try:
            return self._memo_path(name, key).read_bytes()
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

    # --- UI state -----------------------------------------------------------------

    def get_state(self, key: str, default: Any = None) -> Any:
        """A remembered UI value."""
        rows = self.db.table("state").search(Query().key == key)
        return rows[0].get("value", default) if rows else default

    def set_state(self, key: str, value: Any) -> None:
        """Remember a UI value."""
        self.db.table("state").upsert({"key": key, "value": value}, Query().key == key)

    def close(self) -> None:
        """Release the lock and close the databases."""
        self.release()
        self.db.close()
        self.index.close()
