"""Full-text search over the notes: an SQLite FTS5 index of their text, built when a search
is first asked for and brought up to date (changed notes only) before each search after.

It lives in its own file, ``search.sqlite`` beside the note index, so scanning and the
status never pay for it; like the note index it holds only what the notes rebuild, keyed
by each note's size and modification time, and a damaged file is moved aside and rebuilt.
A search returns the best-ranked notes (FTS5's bm25), each with the lines its words are on
and the ACs it is tagged to.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import sqlite3
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from companion.files import NotRegularFile, read_regular
from companion.notes.record import build_record
from companion.portfolio.damaged import SQLITE_SIDECARS, move_aside
from companion.text.locate import place_of_line
from companion.text.search_query import SearchError, SearchQuery, snippet

if TYPE_CHECKING:
    from companion.portfolio.note_index import Survey
    from companion.portfolio.portfolio import Portfolio

SCHEMA_VERSION = 2
MAX_TEXT_BYTES = 2 * 1024 * 1024
"""Notes larger than this are not read (as the note index does not read them)."""
LINES_PER_NOTE = 3
"""How many matching lines a result shows of one note."""
BATCH = 200
"""Notes written to the index per transaction while building it."""
FEW = 200
"""Up to this many changed notes, a search reads them alone rather than scanning the
portfolio (a fresh ``companion search`` after a note was edited)."""

_SCHEMA_SQL = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS docs (
    id INTEGER PRIMARY KEY,
    path TEXT UNIQUE NOT NULL,
    mtime_ns INTEGER NOT NULL,
    size INTEGER NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    ref TEXT NOT NULL DEFAULT '',
    acs TEXT NOT NULL DEFAULT '[]'
);
CREATE VIRTUAL TABLE IF NOT EXISTS text USING fts5(
    body, tokenize = 'unicode61 remove_diacritics 2'
);
"""

FILE_MARK = "<!-- file -->"
"""In a card's indexed text, the line after which the text read from its file follows."""

NoteInfo = Callable[[str], tuple[str, str, list[str]]]
"""A note's title, evidence reference and tagged ACs, by its path."""
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Hit:
    """One note a search found: the lines its words are on, with a snippet of each."""

    note: str
    title: str
    ref: str
    acs: list[str]
    lines: list[tuple[int, str]]

    def to_json(self) -> dict[str, object]:
        """A plain mapping for ``companion search --json``."""
        return {
            "note": self.note,
            "title": self.title,
            "ref": self.ref,
            "acs": list(self.acs),
            "lines": [{"line": n, "text": t} for n, t in self.lines],
        }


@dataclass
class Results:
    """The notes found, best first, and how many matched in all."""

    hits: list[Hit] = field(default_factory=list)
    total: int = 0


@dataclass
class Changes:
    """What the index must read again: notes new or changed, and notes gone."""

    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.changed or self.removed)


_SCHEMA: list[str] = []


def _schema() -> str:
    """The index's layout and the code that fills it: other code (a new release) rebuilds."""
    if not _SCHEMA:
        from companion.text import search_query

        digest = hashlib.sha256(str(SCHEMA_VERSION).encode())
        for module in (__file__, search_query.__file__):
            with contextlib.suppress(OSError):
                digest.update(Path(module).read_bytes())
        _SCHEMA.append(f"{SCHEMA_VERSION}:{digest.hexdigest()[:16]}")
    return _SCHEMA[0]


def _read_text(path: Path) -> str:
    """A note's text as the index holds it ('' when it cannot be read)."""
    try:
        raw = read_regular(path, MAX_TEXT_BYTES)
    except (OSError, NotRegularFile):
        return ""
    if len(raw) > MAX_TEXT_BYTES or b"\x00" in raw[:8192]:
        return ""
    return without_tags(raw.decode("utf-8", "replace").removeprefix("\ufeff"))


def without_tags(text: str) -> str:
    """The note's text with the front matter's ``evidence`` list as blank lines: the tags
    are the app's record of the note (shown with each result), not its text; every other
    line, the learner's own fields included, stays where it is."""
    if not text.startswith("---") or "\nevidence:" not in text:
        return text
    lines = text.split("\n")
    out = [lines[0]]
    inside = False
    for index, line in enumerate(lines[1:], start=1):
        if line.rstrip() == "---":
            out.extend(lines[index:])
            return "\n".join(out)
        if line.startswith("evidence:"):
            inside = True
        elif inside and line and not line[0].isspace() and not line.startswith("-"):
            inside = False
        out.append("" if inside else line)
    return text  # no closing line: not front matter


class TextIndex:
    """The full-text index of one portfolio's notes."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        """``search.sqlite``; None keeps the index in memory (no app database)."""
        self.warnings: list[str] = []
        self._db: sqlite3.Connection | None = None
        self._lock = threading.Lock()

    # --- the database -------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        if self._db is None:
            try:
                self._db = self._open()
            except sqlite3.DatabaseError as exc:
                self._move_aside(exc)
                self._db = self._open()
        return self._db

    def _open(self) -> sqlite3.Connection:
        where = str(self.path) if self.path is not None else ":memory:"
        db = sqlite3.connect(where, timeout=10, isolation_level=None, check_same_thread=False)
        try:
            if self.path is not None:
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=NORMAL")
            db.executescript(_SCHEMA_SQL)
            row = db.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
            if row is None or row[0] != _schema():
                db.execute("DELETE FROM docs")
                db.execute("DELETE FROM text")
                db.execute("INSERT OR REPLACE INTO meta VALUES ('schema', ?)", (_schema(),))
        except BaseException:
            db.close()
            raise
        return db

    def _move_aside(self, problem: Exception) -> None:
        if self.path is not None:
            self.warnings.append(
                move_aside(self.path, "The search index", problem, SQLITE_SIDECARS)
            )

    def close(self) -> None:
        """Close the database."""
        with self._lock:
            if self._db is not None:
                with contextlib.suppress(sqlite3.Error):
                    self._db.close()
                self._db = None

    # --- keeping it current ---------------------------------------------------------

    def changes(self, files: Iterable[tuple[str, int, int]]) -> Changes:
        """What differs between the index and ``files`` (path, mtime_ns, size): the only
        reading done for a search when nothing changed."""
        with self._lock:
            kept = {
                path: (mtime, size)
                for path, mtime, size in self._connect().execute(
                    "SELECT path, mtime_ns, size FROM docs"
                )
            }
        out = Changes()
        seen = set()
        for path, mtime, size in files:
            seen.add(path)
            if kept.get(path) != (mtime, size):
                out.changed.append(path)
        out.removed = [path for path in kept if path not in seen]
        return out

    def update(
        self,
        root: Path,
        files: dict[str, tuple[int, int]],
        changes: Changes,
        info: NoteInfo,
        progress: Progress | None = None,
        file_text: Callable[[str], str | None] | None = None,
    ) -> None:
        """Read the changed notes into the index and drop the removed ones; ``progress``
        is told how many of the changed notes are done."""
        total = len(changes.changed)
        with self._lock:
            db = self._connect()
            if changes.removed:
                self._drop(db, changes.removed)
            for start in range(0, total, BATCH):
                chunk = changes.changed[start : start + BATCH]
                rows = []
                for path in chunk:
                    mtime, size = files[path]
                    title, ref, acs = info(path)
                    text = _read_text(root / path)
                    extracted = file_text(path) if file_text is not None else None
                    if extracted:
                        text = f"{text}\n{FILE_MARK}\n{extracted}"
                    rows.append((path, mtime, size, title, ref, json.dumps(acs), text))
                self._write(db, rows)
                if progress is not None:
                    progress(min(total, start + len(chunk)), total)

    @staticmethod
    def _drop(db: sqlite3.Connection, paths: list[str]) -> None:
        db.execute("BEGIN IMMEDIATE")
        try:
            for path in paths:
                row = db.execute("SELECT id FROM docs WHERE path=?", (path,)).fetchone()
                if row is not None:
                    db.execute("DELETE FROM text WHERE rowid=?", (row[0],))
                    db.execute("DELETE FROM docs WHERE id=?", (row[0],))
            db.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                db.execute("ROLLBACK")
            raise

    @staticmethod
    def _write(
        db: sqlite3.Connection, rows: list[tuple[str, int, int, str, str, str, str]]
    ) -> None:
        db.execute("BEGIN IMMEDIATE")
        try:
            for path, mtime, size, title, ref, acs, body in rows:
                row = db.execute("SELECT id FROM docs WHERE path=?", (path,)).fetchone()
                if row is not None:
                    db.execute("DELETE FROM text WHERE rowid=?", (row[0],))
                    db.execute(
                        "UPDATE docs SET mtime_ns=?, size=?, title=?, ref=?, acs=? WHERE id=?",
                        (mtime, size, title, ref, acs, row[0]),
                    )
                    rowid = row[0]
                else:
                    cursor = db.execute(
                        "INSERT INTO docs (path, mtime_ns, size, title, ref, acs) "
                        "VALUES (?, ?, ?, ?, ?, ?)",
                        (path, mtime, size, title, ref, acs),
                    )
                    rowid = cursor.lastrowid
                db.execute("INSERT INTO text (rowid, body) VALUES (?, ?)", (rowid, body))
            db.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                db.execute("ROLLBACK")
            raise

    # --- searching -------------------------------------------------------------------

    def search(self, query: SearchQuery, limit: int = 50) -> Results:
        """The notes matching ``query``, best first, at most ``limit`` (0: all)."""
        expression = query.fts()
        with self._lock:
            db = self._connect()
            try:
                total = db.execute(
                    "SELECT count(*) FROM text WHERE text MATCH ?", (expression,)
                ).fetchone()[0]
                rows = db.execute(
                    "SELECT docs.path, docs.title, docs.ref, docs.acs, text.body FROM text "
                    "JOIN docs ON docs.id = text.rowid WHERE text MATCH ? "
                    "ORDER BY bm25(text), docs.path" + (" LIMIT ?" if limit else ""),
                    (expression, limit) if limit else (expression,),
                ).fetchall()
            except sqlite3.OperationalError as exc:  # a query FTS5 cannot read
                raise SearchError(f"'{query.text}' cannot be searched for ({exc})") from None
        hits = []
        for path, title, ref, acs, body in rows:
            lines = []
            all_lines = body.splitlines()
            file_start = all_lines.index(FILE_MARK) + 1 if FILE_MARK in all_lines else None
            for number, line in enumerate(all_lines, start=1):
                if file_start is not None and number - 1 == file_start - 1:
                    continue  # the line that says the file's text follows
                spans = query.line_spans(line)
                if spans:
                    said = snippet(line, spans)
                    if file_start is not None and number - 1 >= file_start:
                        # where in the file, as a tag's where: locate finds it again
                        at = place_of_line(all_lines[file_start:], number - 1 - file_start)
                        said = f"{at}: {said}" if at else said
                    lines.append((number, said))
                    if len(lines) == LINES_PER_NOTE:
                        break
            try:
                tagged = [str(a) for a in json.loads(acs)]
            except (ValueError, TypeError):
                tagged = []
            hits.append(Hit(path, title, ref, tagged, lines))
        return Results(hits, int(total))


def search_notes(
    portfolio: Portfolio,
    query: SearchQuery,
    *,
    limit: int = 50,
    progress: Progress | None = None,
    survey: Survey | None = None,
) -> Results:
    """Search the portfolio's notes, bringing the index up to date first.

    The notes are those of the portfolio's records when it has been scanned (the app),
    else of ``survey`` (a walk of the folder): when nothing changed since the index was
    last brought up to date, no note and no row of the note index is read.
    """
    index = portfolio.text_index
    if not portfolio.records:
        survey = survey or portfolio.survey()
        if survey.evidence:  # a card's text is its file's: the records say which are cards
            portfolio.scan(survey=survey)
    if portfolio.records:
        files = {rel: portfolio.text_stamp(rel) for rel in portfolio.records}
    else:
        assert survey is not None
        files = {rel: (st.st_mtime_ns, st.st_size) for rel, st in survey.files}
    changes = index.changes((rel, m, s) for rel, (m, s) in files.items())
    if changes:
        records = portfolio.records
        if not records and len(changes.changed) > FEW:
            portfolio.scan(survey=survey)  # the first index: the note index is built too
            records = portfolio.records
        elif not records:  # a few notes changed: read just those, not the whole note index
            rules = portfolio.profile.word_count
            records = {
                rel: build_record(portfolio.root / rel, rel, rules) for rel in changes.changed
            }

        def info(rel: str) -> tuple[str, str, list[str]]:
            record = records.get(rel)
            if record is None:
                return rel.rsplit("/", 1)[-1], "", []
            return record.title, record.ref, [t.ac for t in record.tags]

        def file_text(rel: str) -> str | None:
            record = records.get(rel)
            if record is None or record.file is None or not record.file.path:
                return None
            from companion.evidence.cache import ExtractionCache

            cache = ExtractionCache(portfolio.extraction_folder)
            return cache.read(portfolio.root / record.file.path, portfolio.root).text

        index.update(portfolio.root, files, changes, info, progress, file_text)
    return index.search(query, limit)
