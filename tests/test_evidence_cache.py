"""The cache of what was read from evidence files: read once, found again, never trusted
blindly (a damaged database, entry or layout is read again from the file)."""

from __future__ import annotations

import os
import shutil
import sqlite3
import threading
from pathlib import Path

import pytest

from companion.evidence import cache as cache_module
from companion.evidence.cache import DATABASE, LAYOUT, ExtractionCache, prune

TEXT = "The board agreed the repairs plan.\n\nEvery team leader signed it off.\n"


@pytest.fixture
def portfolio(tmp_path: Path) -> Path:
    root = tmp_path / "portfolio"
    root.mkdir()
    (root / "minutes.txt").write_text(TEXT, encoding="utf-8")
    return root


def _read(folder: Path, path: Path, within: Path) -> tuple[int, str]:
    """Parses made by a new cache (a new process, as far as the cache can tell) and the text."""
    cache = ExtractionCache(folder)
    found = cache.read(path, within)
    cache.close()
    return cache.read_count, found.text


def test_an_unchanged_file_is_read_once(portfolio: Path, tmp_path: Path) -> None:
    folder, path = tmp_path / "data", portfolio / "minutes.txt"
    count, text = _read(folder, path, portfolio)
    assert count == 1 and "repairs plan" in text
    assert _read(folder, path, portfolio) == (0, text)
    assert (folder / DATABASE).is_file()


def test_a_touched_copied_or_moved_file_is_found_by_its_bytes(
    portfolio: Path, tmp_path: Path
) -> None:
    folder, path = tmp_path / "data", portfolio / "minutes.txt"
    first = _read(folder, path, portfolio)
    os.utime(path, ns=(1, 1_700_000_000_000_000_000))
    assert _read(folder, path, portfolio) == (0, first[1])
    (portfolio / "moved").mkdir()
    moved = portfolio / "moved" / "minutes.txt"
    shutil.copyfile(path, moved)
    assert _read(folder, moved, portfolio) == (0, first[1])


def test_a_changed_file_or_a_new_name_is_read_again(portfolio: Path, tmp_path: Path) -> None:
    folder, path = tmp_path / "data", portfolio / "minutes.txt"
    _read(folder, path, portfolio)
    path.write_text(TEXT + "\nA third paragraph.\n", encoding="utf-8")
    count, text = _read(folder, path, portfolio)
    assert count == 1 and "third paragraph" in text
    renamed = portfolio / "minutes.md.txt"  # the name is part of what is read
    shutil.copyfile(path, renamed)
    assert _read(folder, renamed, portfolio)[0] == 1


def test_a_missing_file_is_not_remembered(portfolio: Path, tmp_path: Path) -> None:
    folder = tmp_path / "data"
    cache = ExtractionCache(folder)
    gone = cache.read(portfolio / "gone.docx", portfolio)
    assert gone.problem is not None and gone.problem.code == "file-missing"
    (portfolio / "gone.txt").write_text("Here now.\n", encoding="utf-8")
    assert cache.read(portfolio / "gone.txt", portfolio).text == "Here now.\n"
    cache.close()


def test_a_damaged_database_is_made_again(portfolio: Path, tmp_path: Path) -> None:
    folder, path = tmp_path / "data", portfolio / "minutes.txt"
    folder.mkdir()
    (folder / DATABASE).write_bytes(b"this is not a database\x00" * 200)
    assert _read(folder, path, portfolio) == (1, TEXT)
    assert _read(folder, path, portfolio) == (0, TEXT)  # and it keeps entries again


def test_a_damaged_entry_is_read_again_from_the_file(portfolio: Path, tmp_path: Path) -> None:
    folder, path = tmp_path / "data", portfolio / "minutes.txt"
    _read(folder, path, portfolio)
    with sqlite3.connect(folder / DATABASE) as database:
        database.execute("UPDATE entry SET data = ?", (b'{"schema": 1, "text": [',))
    database.close()
    assert _read(folder, path, portfolio) == (1, TEXT)


def test_a_database_of_another_layout_is_made_again(portfolio: Path, tmp_path: Path) -> None:
    folder, path = tmp_path / "data", portfolio / "minutes.txt"
    _read(folder, path, portfolio)
    with sqlite3.connect(folder / DATABASE) as database:
        database.execute(f"PRAGMA user_version={LAYOUT + 1}")
    database.close()
    assert _read(folder, path, portfolio)[0] == 1
    assert _read(folder, path, portfolio)[0] == 0


def test_without_a_folder_or_a_writable_one_every_read_parses(
    portfolio: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = portfolio / "minutes.txt"
    assert _read(None, path, portfolio) == (1, TEXT)  # type: ignore[arg-type]
    monkeypatch.setattr(cache_module, "connect", lambda folder: None)
    assert _read(tmp_path / "data", path, portfolio) == (1, TEXT)
    assert _read(tmp_path / "data", path, portfolio) == (1, TEXT)


def test_a_busy_database_reads_the_file_and_keeps_nothing(
    portfolio: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, path = tmp_path / "data", portfolio / "minutes.txt"
    _read(folder, path, portfolio)
    (portfolio / "other.txt").write_text("Another file.\n", encoding="utf-8")
    monkeypatch.setattr(cache_module, "BUSY_MS", 50)
    holder = sqlite3.connect(folder / DATABASE, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # another process writing for a long time
    try:
        assert _read(folder, portfolio / "other.txt", portfolio) == (1, "Another file.\n")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert _read(folder, portfolio / "other.txt", portfolio)[0] == 1  # it was not kept


def test_reads_from_several_threads_share_one_cache(portfolio: Path, tmp_path: Path) -> None:
    for number in range(8):
        (portfolio / f"note-{number}.txt").write_text(f"Note {number}.\n", encoding="utf-8")
    cache = ExtractionCache(tmp_path / "data")
    found: dict[int, str] = {}

    def read(number: int) -> None:
        found[number] = cache.read(portfolio / f"note-{number}.txt", portfolio).text

    threads = [threading.Thread(target=read, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    cache.close()
    assert found == {n: f"Note {n}.\n" for n in range(8)}
    assert cache.read_count == 8


def test_prune_keeps_the_newest_entries_and_clears_the_old_layout(
    portfolio: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "data"
    for old in ("stat", "content"):
        (folder / old).mkdir(parents=True)
        (folder / old / "a.json").write_text("{}", encoding="utf-8")
    cache = ExtractionCache(folder)
    for number in range(5):
        (portfolio / f"note-{number}.txt").write_text(f"Note {number}.\n", encoding="utf-8")
        cache.read(portfolio / f"note-{number}.txt", portfolio)
    cache.close()
    assert prune(folder, 2) == 6  # three pointers and three entries
    assert not (folder / "stat").exists() and not (folder / "content").exists()
    kept = [_read(folder, portfolio / f"note-{n}.txt", portfolio)[0] for n in range(5)]
    assert kept == [1, 1, 1, 0, 0]
    assert prune(None, 2) == 0
