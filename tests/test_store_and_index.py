"""The index re-reads only changed notes; the store survives corruption and keeps one writer."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from known import present

from companion.clock import fixed_clock
from companion.content.load import load_content
from companion.files import data_dir
from companion.notes.record import NoteRecord
from companion.portfolio.damaged import move_aside
from companion.portfolio.portfolio import Portfolio
from companion.portfolio.store import Store, StoreBusy
from companion.portfolio.walk import walk_notes

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def small_portfolio(tmp_path: Path) -> Path:
    root = tmp_path / "portfolio"
    (root / "notes" / "deep").mkdir(parents=True)
    (root / ".hidden").mkdir()
    (root / "companion.yaml").write_text("learner: Sam Lee\nprogramme_start: 2025-01-06\n")
    (root / "notes" / "a.md").write_text("---\ntitle: A\nref: E001\n---\nOne two three.\n")
    (root / "notes" / "deep" / "b.md").write_text("---\ntitle: B\n---\nFour five.\n")
    (root / ".hidden" / "c.md").write_text("ignored")
    (root / "notes" / ".draft.md").write_text("ignored")
    (root / "notes" / "image.png").write_bytes(b"\x89PNG")
    return root


def test_scan_is_recursive_and_ignores_hidden(small_portfolio: Path) -> None:
    found = [rel for rel, _ in walk_notes(small_portfolio).notes]
    assert found == ["notes/a.md", "notes/deep/b.md"]


def test_data_dir_is_overridable(tmp_path: Path) -> None:
    assert data_dir() == tmp_path / "_data"


def test_rescan_reuses_unchanged_and_reparses_changed(small_portfolio: Path) -> None:
    content = load_content(FIXTURES / "nos")
    first = Portfolio(small_portfolio, content)
    result = first.scan()
    assert (result.total, result.parsed, result.reused) == (2, 2, 0)
    assert first.records["notes/a.md"].words == 3
    first.close()

    second = Portfolio(small_portfolio, content)
    assert (second.scan().parsed, second.scan().reused) == (0, 2)
    note = small_portfolio / "notes" / "a.md"
    note.write_text("---\ntitle: A\nref: E001\n---\nOne two three four.\n")
    os.utime(note, ns=(note.stat().st_atime_ns, note.stat().st_mtime_ns + 5_000_000))
    result = second.scan()
    assert (result.parsed, result.reused) == (1, 1)
    assert second.records["notes/a.md"].words == 4
    (small_portfolio / "notes" / "deep" / "b.md").unlink()
    assert second.scan().removed == 1
    assert list(second.records) == ["notes/a.md"]
    second.close()


@pytest.mark.parametrize(
    "damage",
    [
        b"SQLite format 3\x00" + b"\x00" * 40,  # a header and nothing after: truncated
        b"garbage that is no database at all" * 100,
        b"",
    ],
    ids=["truncated", "garbage", "empty"],
)
def test_a_damaged_index_is_moved_aside_and_rebuilt(small_portfolio: Path, damage: bytes) -> None:
    content = load_content(FIXTURES / "nos")
    portfolio = Portfolio(small_portfolio, content)
    portfolio.scan()
    index_path = present(portfolio.store).index_path
    portfolio.close()
    for suffix in ("-wal", "-shm"):
        Path(str(index_path) + suffix).unlink(missing_ok=True)
    index_path.write_bytes(damage)
    reopened = Portfolio(small_portfolio, content)
    result = reopened.scan()
    if damage:
        assert [w for w in result.warnings if "damaged" in w and "rebuilt" in w], result.warnings
        assert [p.name for p in index_path.parent.glob("index.corrupt-*.sqlite")]
    assert result.parsed == 2
    assert reopened.scan().warnings == []  # said once
    assert reopened.records["notes/a.md"].title == "A"
    reopened.close()


def test_an_index_of_the_wrong_shape_or_a_folder_in_its_place_is_rebuilt(
    small_portfolio: Path,
) -> None:
    import sqlite3

    content = load_content(FIXTURES / "nos")
    portfolio = Portfolio(small_portfolio, content)
    index_path = present(portfolio.store).index_path
    portfolio.close()
    db = sqlite3.connect(index_path)
    db.execute("CREATE TABLE notes (x)")
    db.commit()
    db.close()
    reopened = Portfolio(small_portfolio, content)
    assert reopened.scan().parsed == 2
    assert any("wrong shape" in w for w in present(reopened.store).warnings)
    reopened.close()
    for path in index_path.parent.glob("index.sqlite*"):
        path.unlink()
    index_path.mkdir()
    again = Portfolio(small_portfolio, content)
    assert again.scan().parsed == 2
    assert any("folder" in w for w in present(again.store).warnings)
    again.close()


def test_rows_of_the_wrong_type_are_read_again(small_portfolio: Path) -> None:
    content = load_content(FIXTURES / "nos")
    portfolio = Portfolio(small_portfolio, content)
    portfolio.scan()
    stat = (small_portfolio / "notes" / "a.md").stat()
    bad = '{"path": "notes/a.md", "words": "many", "fields": []}'
    present(portfolio.store).index.update(
        [("notes/a.md", stat.st_mtime_ns, stat.st_size, bad, "", "")]
    )
    portfolio.close()
    reopened = Portfolio(small_portfolio, content)
    result = reopened.scan()
    assert (result.parsed, result.reused) == (1, 1)
    assert reopened.records["notes/a.md"].words == 3
    reopened.close()


OLD_DB_JSON = (
    b'{"meta": {"1": {"schema": 4, "portfolio": "/home/sam/portfolio"}}, '
    b'"state": {"1": {"key": "last_screen", "value": "units"}, '
    b'"2": {"key": "created_blocks", "value": ["notes/a.md"]}, '
    b'"3": {"key": "exports_written", "value": {"/home/sam/m.docx": [10, 20, "ab"]}}}}'
)
"""``db.json`` as the versions that kept the small state in TinyDB wrote it."""


def test_the_state_an_older_version_kept_in_db_json_is_moved_into_the_database_once(
    small_portfolio: Path,
) -> None:
    folder = Store(small_portfolio).folder
    (folder / "db.json").write_bytes(OLD_DB_JSON)
    store = Store(small_portfolio)
    assert store.warnings == []
    assert store.get_state("last_screen") == "units"
    assert store.get_state("created_blocks") == ["notes/a.md"]
    assert store.get_state("exports_written") == {"/home/sam/m.docx": [10, 20, "ab"]}
    assert not (folder / "db.json").exists()
    assert (folder / "db.json.migrated").read_bytes() == OLD_DB_JSON  # kept, byte for byte
    store.set_state("last_screen", "notes")
    store.close()
    again = Store(small_portfolio)  # once: the next start reads the database alone
    assert again.get_state("last_screen") == "notes"
    again.close()
    (folder / "db.json").write_bytes(OLD_DB_JSON)  # put back from a backup, say
    third = Store(small_portfolio)
    assert third.get_state("last_screen") == "notes"  # what was set since is kept
    assert (folder / "db.json.migrated").read_bytes() == OLD_DB_JSON
    assert (folder / "db.json.migrated-2").read_bytes() == OLD_DB_JSON
    third.close()


def test_a_damaged_db_json_is_moved_aside_and_the_state_kept(small_portfolio: Path) -> None:
    content = load_content(FIXTURES / "nos")
    portfolio = Portfolio(small_portfolio, content)
    portfolio.scan()
    present(portfolio.store).set_state("last_screen", "units")
    db_path = present(portfolio.store).legacy_path
    portfolio.close()
    db_path.write_bytes(b"\x00\xff not json")
    reopened = Portfolio(small_portfolio, content)
    assert any("db.corrupt-" in w for w in reopened.warnings)
    assert not db_path.exists()
    assert present(reopened.store).get_state("last_screen") == "units"  # it lives in the database
    assert reopened.scan().reused == 2
    present(reopened.store).set_state("last_screen", "notes")
    assert present(reopened.store).get_state("last_screen") == "notes"
    reopened.close()


@pytest.mark.parametrize(
    "damage",
    [
        b"[" * 100_000 + b"]" * 100_000,
        b'{"state": {"x": {"key": "a"}}}',
        b'{"state": [1, 2]}',
    ],
    ids=["nested-deep", "non-integer-ids", "rows-of-wrong-type"],
)
def test_a_hostile_db_json_is_moved_aside(small_portfolio: Path, damage: bytes) -> None:
    store = Store(small_portfolio)
    path = store.legacy_path
    store.close()
    path.write_bytes(damage)
    again = Store(small_portfolio)
    assert any("damaged" in w for w in again.warnings)
    again.set_state("k", 1)
    assert again.get_state("k") == 1
    again.close()


def test_a_value_that_is_not_the_apps_json_reads_as_none(small_portfolio: Path) -> None:
    store = Store(small_portfolio)
    with store.index.transaction() as db:
        db.execute("INSERT INTO state VALUES ('k', '{not json')")
    assert store.get_state("k", "default") == "default"
    assert store.update_state("k", lambda value: [value]) == [None]
    store.close()


def test_the_history_an_older_version_kept_in_db_json_moves_to_the_file(
    small_portfolio: Path,
) -> None:
    store = Store(small_portfolio)
    store.legacy_path.write_text(
        '{"notes": {"1": {"path": "x.md"}}, "audit": {"1": {"action": "tag", "note": "a.md"}}}'
    )
    store.close()
    again = Store(small_portfolio)
    assert not again.legacy_path.exists()
    again.log("untag", "a.md", "A1/1.1")
    assert [e["action"] for e in again.history()] == ["tag", "untag"]
    assert again.audit_path.read_text(encoding="utf-8").count("\n") == 2
    again.close()


def test_two_stores_logging_at_once_never_clash(small_portfolio: Path) -> None:
    first, second = Store(small_portfolio), Store(small_portfolio)
    for n in range(20):
        (first if n % 2 else second).log("tag", f"n{n}.md", "A1/1.1")
    assert len(first.history()) == 20
    first.close()
    second.close()


def test_state_writes_leave_the_index_rows_alone(small_portfolio: Path) -> None:
    portfolio = Portfolio(small_portfolio, load_content(FIXTURES / "nos"))
    portfolio.scan()
    rows = present(portfolio.store).index.rows()
    present(portfolio.store).set_state("last_screen", "units")
    present(portfolio.store).log("untag", "notes/a.md", "A1/1.1")
    assert present(portfolio.store).index.rows() == rows
    assert sorted(rows) == ["notes/a.md", "notes/deep/b.md"]
    assert portfolio.scan().reused == 2
    portfolio.close()


def test_only_one_writer_per_portfolio(small_portfolio: Path) -> None:
    one = Store(small_portfolio)
    two = Store(small_portfolio)
    one.acquire()
    with pytest.raises(StoreBusy, match="open in another companion"):
        two.acquire()
    one.release()
    two.acquire()
    two.release()
    one.close()
    two.close()


def test_audit_log_and_state(small_portfolio: Path) -> None:
    store = Store(small_portfolio)
    store.log("tag", "notes/a.md", "A1/1.1", where="p1")
    store.set_state("last_screen", "units")
    store.set_state("last_screen", "notes")
    assert store.get_state("last_screen") == "notes"
    history = store.history()
    assert [(h["action"], h["note"], h["ac"], h["where"]) for h in history] == [
        ("tag", "notes/a.md", "A1/1.1", "p1")
    ]
    store.close()


def test_unreadable_notes_are_indexed_with_their_error(small_portfolio: Path) -> None:
    (small_portfolio / "notes" / "bad.md").write_text("---\ntitle: [oops\n---\nx\n")
    (small_portfolio / "notes" / "latin.md").write_bytes(b"caf\xe9")
    portfolio = Portfolio(small_portfolio, load_content(FIXTURES / "nos"))
    portfolio.scan()
    assert present(portfolio.records["notes/bad.md"].error).code == "bad-yaml"
    assert present(portfolio.records["notes/latin.md"].error).code == "unreadable-encoding"
    portfolio.close()


def test_cache_rows_leave_out_defaults_and_round_trip(small_portfolio: Path) -> None:
    portfolio = Portfolio(small_portfolio, load_content(FIXTURES / "nos"))
    portfolio.scan()
    record = portfolio.records["notes/a.md"]
    row = record.to_row()
    assert row == {
        "path": "notes/a.md",
        "mtime_ns": record.mtime_ns,
        "size": record.size,
        "fields": {"title": "A", "ref": "E001"},
        "words": 3,
        "word_parts": {"body": 3, "front-matter": 2},
    }
    assert NoteRecord.from_json(row) == record
    assert NoteRecord.from_json({**record.to_json(), "added_later": 1}) == record
    portfolio.close()


def test_each_notes_flags_are_kept_in_its_row_and_checked_again_only_when_it_changes(
    small_portfolio: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from companion.assessment import rules
    from companion.assessment.status import build_status

    checked: list[str] = []
    real = rules.check_note

    def counting(record, *args, **kwargs):
        checked.append(record.path)
        return real(record, *args, **kwargs)

    monkeypatch.setattr(rules, "check_note", counting)
    content = load_content()
    note = small_portfolio / "notes" / "deep" / "b.md"
    note.write_text("---\ntitle: B\nref: E002\n---\nAsk sam.lee@example.org.\n")
    first = Portfolio(small_portfolio, content)
    first.scan()
    expected = [(f.note, f.code, f.message) for f in build_status(first).flags]
    assert checked == ["notes/a.md", "notes/deep/b.md"]
    again = [(f.note, f.code, f.message) for f in build_status(first).flags]
    assert again == expected and len(checked) == 2  # held in this process: nothing rechecked
    first.close()
    assert ("notes/deep/b.md", "personal-data") in [(path, code) for path, code, _ in expected]

    checked.clear()
    second = Portfolio(small_portfolio, content)  # a new process: flags come from the rows
    second.scan()
    assert [(f.note, f.code, f.message) for f in build_status(second).flags] == expected
    assert [(f.note, f.code, f.message) for f in build_status(second).flags] == expected
    assert checked == []

    note.write_text("---\ntitle: B\nref: E002\n---\nAsk Sam.\n")
    os.utime(note, ns=(note.stat().st_atime_ns, note.stat().st_mtime_ns + 5_000_000))
    second.scan()
    after = [(f.note, f.code) for f in build_status(second).flags]
    assert checked == ["notes/deep/b.md"]
    assert ("notes/deep/b.md", "personal-data") not in after
    second.close()

    checked.clear()
    third = Portfolio(small_portfolio, content)
    third.scan()
    assert [(f.note, f.code) for f in build_status(third).flags] == after
    assert checked == []
    third.close()


def test_a_damaged_file_is_kept_beside_itself_and_its_sidecars_dropped(tmp_path: Path) -> None:
    damaged = tmp_path / "index.sqlite"
    damaged.write_bytes(b"not a database")
    (tmp_path / "index.sqlite-wal").write_bytes(b"wal")
    (tmp_path / "index.sqlite-shm").write_bytes(b"shm")
    with fixed_clock(dt.datetime(2026, 12, 3, 9, 30, 5, tzinfo=dt.UTC)):
        warning = move_aside(damaged, "The index", ValueError("bad page"), ("-wal", "-shm"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index.corrupt-20261203-093005.sqlite"]
    assert (tmp_path / "index.corrupt-20261203-093005.sqlite").read_bytes() == b"not a database"
    assert warning == (
        "The index was damaged (bad page); it was moved to index.corrupt-20261203-093005.sqlite "
        "and is rebuilt from your notes. Your notes are not affected."
    )


def test_moving_aside_a_file_already_gone_still_says_what_happened(tmp_path: Path) -> None:
    warning = move_aside(tmp_path / "db.json", "The app's database", ValueError("truncated"))
    assert warning.startswith("The app's database was damaged (truncated)")
    assert list(tmp_path.iterdir()) == []


def test_an_index_of_the_layout_before_is_rebuilt_from_the_notes(small_portfolio: Path) -> None:
    import json
    import sqlite3

    from companion.portfolio.store import SCHEMA_VERSION

    (small_portfolio / "notes" / "tagged.md").write_text(
        "---\ntitle: T\nref: E003\nevidence:\n- ac: 4A1/1.1\n  where: p1\n---\n"
        "See [[a]] (Schein, 2017).\n"
    )
    content = load_content(FIXTURES / "nos")
    first = Portfolio(small_portfolio, content)
    first.scan()
    expected = dict(first.records)
    path = first.store.index.path if first.store else None
    first.close()
    assert path is not None
    db = sqlite3.connect(path)
    rows = db.execute("SELECT path, record FROM notes").fetchall()
    assert all(json.loads(record)[0] == rel for rel, record in rows)  # arrays, path first
    # what the layout before kept: a mapping per note, tags as mappings, under version 4
    older = {"path": "notes/a.md", "tags": [{"ac": "4A1/1.1"}], "links": [["wiki", "b"]]}
    db.execute("UPDATE notes SET record=?", (json.dumps(older),))
    db.execute("UPDATE meta SET value=? WHERE key='schema'", (f"{SCHEMA_VERSION - 1}:old",))
    db.commit()
    db.close()
    again = Portfolio(small_portfolio, content)
    result = again.scan()
    assert result.parsed == len(expected) and result.reused == 0
    assert again.records == expected
    assert again.records["notes/tagged.md"].tags[0].ac == "4A1/1.1"
    again.close()
    reopened = Portfolio(small_portfolio, content)
    assert reopened.scan().reused == len(expected)  # the rebuilt rows are read back
    assert reopened.records == expected
    reopened.close()


def test_a_damaged_row_is_read_again_from_its_note(small_portfolio: Path) -> None:
    import sqlite3

    content = load_content(FIXTURES / "nos")
    first = Portfolio(small_portfolio, content)
    first.scan()
    expected = dict(first.records)
    path = first.store.index.path if first.store else None
    first.close()
    assert path is not None
    db = sqlite3.connect(path)
    for record in ('["notes/a.md","not a time"]', '["notes/a.md",1,2,{},[[7,"a tag"]]]', "[1"):
        db.execute("UPDATE notes SET record=? WHERE path='notes/a.md'", (record,))
        db.commit()
        again = Portfolio(small_portfolio, content)
        result = again.scan()
        assert (result.parsed, result.reused) == (1, len(expected) - 1)
        assert again.records == expected
        again.close()
    db.close()


def test_word_count_rules_changed_between_two_commands_count_every_note_again(
    small_portfolio: Path,
) -> None:
    """``word_count`` edited in companion.yaml while the app is closed: the next command
    counts every note by the new rules, not only the notes edited since."""
    note = small_portfolio / "notes" / "a.md"
    note.write_text(
        "---\ntitle: A\nref: E001\n---\nOne two three.\n\n## Appendix\n\nFour five six seven.\n"
    )
    first = Portfolio(small_portfolio)
    first.scan()
    assert first.records["notes/a.md"].words == 3  # the appendix is set apart by default
    first.close()
    profile = small_portfolio / "companion.yaml"
    profile.write_text(profile.read_text() + "word_count:\n  exclude_sections: [references]\n")

    second = Portfolio(small_portfolio)
    result = second.scan()
    assert second.records["notes/a.md"].words == 8  # its heading and section as well
    assert result.reused == 0
    second.close()
    third = Portfolio(small_portfolio)
    assert third.scan().reused == 2  # counted by the new rules once, then kept
    third.close()


def test_a_scan_stopped_after_the_rules_changed_keeps_no_row_counted_by_the_old(
    small_portfolio: Path,
) -> None:
    first = Portfolio(small_portfolio)
    first.scan()
    first.close()
    profile = small_portfolio / "companion.yaml"
    profile.write_text(profile.read_text() + "word_count:\n  exclude_sections: [references]\n")
    stopped = Portfolio(small_portfolio)
    assert stopped.scan(stopped=lambda: True).stopped
    stopped.close()
    again = Portfolio(small_portfolio)
    assert again.scan().reused == 0
    again.close()
