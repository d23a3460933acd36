"""The app's own databases (TinyDB): the note index cache, the tag audit log and UI state.

Nothing precious lives only here: the index is rebuilt from the notes, and a corrupt or
truncated database is moved aside and rebuilt with a warning. Writes replace the file
atomically, and one lock per portfolio keeps two instances from writing at once.

The index (megabytes for a large portfolio) is a database of its own, ``index.json``, so that
remembering a screen or logging a tag never reads and rewrites it; ``db.json`` holds the rest.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tinydb import TinyDB
from tinydb.storages import Storage

from companion.files import atomic_write, data_dir

try:
    import fcntl
except ImportError:  # pragma: no cover - not on Windows
    fcntl = None  # type: ignore[assignment]

SCHEMA_VERSION = 1


def portfolio_key(portfolio: Path) -> str:
    """A stable folder name for a portfolio's state."""
    resolved = str(portfolio.resolve())
    return hashlib.sha256(resolved.encode("utf-8")).hexdigest()[:16]


class CorruptStore(Exception):
    """The database file could not be read as the app's JSON."""


class AtomicJSONStorage(Storage):
    """TinyDB storage that writes via temp file + rename and never half-writes."""

    def __init__(self, path: str, **_: Any) -> None:
        self.path = Path(path)

    def read(self) -> dict[str, Any] | None:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return None
        if not raw.strip():
            return None
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise CorruptStore(str(exc)) from None
        if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
            raise CorruptStore("unexpected structure")
        return data

    def write(self, data: dict[str, Any]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(self.path, json.dumps(data, ensure_ascii=False).encode("utf-8"))

    def close(self) -> None:
        return None


class StoreBusy(Exception):
    """Another companion instance holds this portfolio's lock."""


class Store:
    """The database of one portfolio."""

    def __init__(self, portfolio: Path, base: Path | None = None) -> None:
        self.folder = (base or data_dir()) / "portfolios" / portfolio_key(portfolio)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.path = self.folder / "db.json"
        self.index_path = self.folder / "index.json"
        self.warnings: list[str] = []
        self._lock_handle: Any = None
        self.db, data = self._open(self.path)
        # The index is read when the first scan needs it, in the scan's thread: for a large
        # portfolio it is megabytes of JSON the app's first frame should not wait for.
        self.index_db = TinyDB(str(self.index_path), storage=AtomicJSONStorage)
        if "notes" in data:  # the index lived in db.json before it had a file of its own
            self.db.drop_table("notes")
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
            self._move_aside(path, exc)
            return TinyDB(str(path), storage=AtomicJSONStorage), {}

    def _move_aside(self, path: Path, problem: CorruptStore) -> None:
        """Keep a damaged database file for inspection and say so in ``warnings``."""
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        aside = path.with_name(f"{path.stem}.corrupt-{stamp}.json")
        os.replace(path, aside)
        self.warnings.append(
            f"The app's database was damaged ({problem}); it was moved to {aside.name} "
            "and rebuilt from your notes. Your notes are not affected."
        )

    def acquire(self) -> None:
        """Take the portfolio lock so no second instance writes; raise StoreBusy if held."""
        if fcntl is None or self._lock_handle is not None:
            return
        handle = open(self.folder / "lock", "a+")  # noqa: SIM115 - held until release()
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            raise StoreBusy(
                "this portfolio is open in another companion window; close it there first"
            ) from None
        self._lock_handle = handle

    def release(self) -> None:
        """Give the portfolio lock back."""
        if self._lock_handle is not None:
            fcntl.flock(self._lock_handle, fcntl.LOCK_UN)
            self._lock_handle.close()
            self._lock_handle = None

    @contextmanager
    def locked(self) -> Iterator[Store]:
        """Hold the lock for the duration of a block."""
        self.acquire()
        try:
            yield self
        finally:
            self.release()

    # --- index cache -------------------------------------------------------------

    def load_index(self) -> dict[str, dict[str, Any]]:
        """The cached note records by relative path; a damaged index is moved aside."""
        try:
            data = self.index_db.storage.read() or {}
        except CorruptStore as exc:
            self._move_aside(self.index_path, exc)
            return {}
        rows = data.get("notes", {})
        return {
            row["path"]: row for row in rows.values() if isinstance(row, dict) and "path" in row
        }

    def save_index(self, records: list[dict[str, Any]]) -> None:
        """Replace the cached index in one write."""
        data = {"notes": {str(i): row for i, row in enumerate(records, start=1)}}
        self.index_db.storage.write(data)
        self.index_db.clear_cache()

    # --- audit log and state -------------------------------------------------------

    def log(self, action: str, note: str, ac: str, **details: Any) -> None:
        """Append to the tag history."""
        self.db.table("audit").insert(
            {
                "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "action": action,
                "note": note,
                "ac": ac,
                **details,
            }
        )

    def history(self) -> list[dict[str, Any]]:
        """The tag history, oldest first."""
        return list(self.db.table("audit").all())

    def get_state(self, key: str, default: Any = None) -> Any:
        """A remembered UI value."""
        rows = self.db.table("state").all()
        return next((r["value"] for r in rows if r.get("key") == key), default)

    def set_state(self, key: str, value: Any) -> None:
        """Remember a UI value."""
        from tinydb import Query

        self.db.table("state").upsert({"key": key, "value": value}, Query().key == key)

    def close(self) -> None:
        """Release the lock and close the database."""
        self.release()
        self.db.close()
        self.index_db.close()
