"""The micro-benchmark behind the choice of store: TinyDB against SQLite for the note index.

For 10,000 and 50,000 rows shaped like the index's (a note's path, its mtime and size, and
its record as JSON, about 1 KB), it times, medians of --repeat:

- writing every row (a first index),
- reading every row (opening a portfolio),
- changing one row (a tag written, the note re-read),
- adding one audit entry (TinyDB: a row in ``db.json``; the app: a line appended to a file),

and prints them side by side. companion itself no longer uses TinyDB; install it for this
measurement with ``pip install -e ".[bench]"``. Run:

    python bench/bench_store.py [--sizes 10000 50000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from tinydb import Query, TinyDB


def _row(n: int) -> dict[str, object]:
    record = {
        "title": f"Note {n}",
        "ref": f"E{n:05d}",
        "words": 800 + n % 400,
        "tags": [{"ac": "700/1.1", "where": "p2 para 3", "tagged": "2026-11-02T10:00:00"}],
        "flags": [{"code": "references-missing", "severity": "warning"}],
        "body_hash": f"{n:064x}",
        "text": "leadership strategy change " * 24,
    }
    return {
        "path": f"notes/{n // 500:03d}/note-{n:05d}.md",
        "mtime": 1.7e9 + n,
        "size": 3000,
        "record": record,
    }


def _median(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _tinydb(folder: Path, rows: list[dict[str, object]], repeat: int) -> dict[str, float]:
    path = folder / "tiny.json"
    figures: dict[str, float] = {}

    def write_all() -> None:
        path.unlink(missing_ok=True)
        with TinyDB(path) as db:
            db.insert_multiple(rows)

    figures["write all"] = _median(write_all, repeat)

    def read_all() -> None:
        with TinyDB(path) as db:
            db.all()

    figures["read all"] = _median(read_all, repeat)
    target = str(rows[len(rows) // 2]["path"])

    def change_one() -> None:
        with TinyDB(path) as db:
            db.update({"mtime": time.time()}, Query().path == target)

    figures["change one"] = _median(change_one, repeat)

    def audit_one() -> None:
        with TinyDB(path) as db:
            db.table("audit").insert({"action": "tag", "note": target, "ac": "700/1.1"})

    figures["audit entry"] = _median(audit_one, repeat)
    return figures


def _sqlite(folder: Path, rows: list[dict[str, object]], repeat: int) -> dict[str, float]:
    path = folder / "index.sqlite"
    figures: dict[str, float] = {}

    def connect() -> sqlite3.Connection:
        db = sqlite3.connect(path)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        return db

    def write_all() -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        db = connect()
        db.execute(
            "CREATE TABLE notes (path TEXT PRIMARY KEY, mtime REAL, size INTEGER, record TEXT)"
        )
        with db:
            db.executemany(
                "INSERT INTO notes VALUES (?, ?, ?, ?)",
                [(r["path"], r["mtime"], r["size"], json.dumps(r["record"])) for r in rows],
            )
        db.close()

    figures["write all"] = _median(write_all, repeat)

    def read_all() -> None:
        db = connect()
        for _path, _mtime, _size, record in db.execute("SELECT * FROM notes"):
            json.loads(record)
        db.close()

    figures["read all"] = _median(read_all, repeat)
    target = rows[len(rows) // 2]["path"]

    def change_one() -> None:
        db = connect()
        with db:
            db.execute("UPDATE notes SET mtime = ? WHERE path = ?", (time.time(), target))
        db.close()

    figures["change one"] = _median(change_one, repeat)
    audit = folder / "audit.jsonl"

    def audit_one() -> None:
        line = json.dumps({"action": "tag", "note": target, "ac": "700/1.1"}) + "\n"
        with audit.open("a", encoding="utf-8") as out:
            out.write(line)

    figures["audit entry"] = _median(audit_one, repeat)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 50_000])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print(f"{'rows':>7} {'operation':<12} {'TinyDB':>10} {'SQLite/file':>12} {'ratio':>7}")
    for size in args.sizes:
        rows = [_row(n) for n in range(size)]
        with tempfile.TemporaryDirectory() as tmp:
            tiny = _tinydb(Path(tmp), rows, args.repeat)
            lite = _sqlite(Path(tmp), rows, args.repeat)
        for operation, seconds in tiny.items():
            other = lite[operation]
            ratio = seconds / other if other else float("inf")
            print(
                f"{size:>7} {operation:<12} {seconds * 1000:>8.1f}ms {other * 1000:>10.1f}ms "
                f"{ratio:>6.1f}x"
            )


if __name__ == "__main__":
    main()
