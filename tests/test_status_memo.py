"""The status a command printed is printed again while nothing it depends on changes.

Compact JSON is written in pieces as it is encoded and kept as a file of its own; these
tests hold the pieces to the whole document and the remembered status to a fresh one.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO, cast

import pytest

from companion import clock
from companion.assessment import status as status_module
from companion.assessment.memo import with_generated_now
from companion.assessment.status import build_status, status_json, status_sections
from companion.cli.common import compact_json_parts, json_text
from companion.cli.main import main
from companion.portfolio.portfolio import Portfolio
from companion.portfolio.store import SCHEMA_VERSION, Store

EXAMPLE = Path(__file__).parent.parent / "companion" / "example_portfolio"
FIRST = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)
LATER = dt.datetime(2026, 3, 2, 17, 45, 10, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _free_clock() -> object:
    yield
    clock.set_clock(None)


def _status(capsys: pytest.CaptureFixture[str], root: Path, *extra: str) -> str:
    assert main(["status", str(root), *extra]) == 0
    return capsys.readouterr().out


def test_the_pieces_are_the_whole_document(example: Path) -> None:
    portfolio = Portfolio(example)
    portfolio.scan()
    status = build_status(portfolio)
    pieces = b"".join(compact_json_parts(status_sections(status)))
    assert pieces.decode("ascii") == json_text(status_json(status), None)
    document = json.loads(pieces)
    assert document["schema"] == "companion.progress/1"
    assert document["flags"] and document["units"]


def test_empty_objects_and_lists_are_written_as_json_writes_them() -> None:
    assert b"".join(compact_json_parts([])) == b"{}"
    nothing: tuple[object, ...] = ()
    sections = [("a", (n for n in nothing)), ("b", (n for n in (1, "é"))), ("c", {"d": []})]
    assert b"".join(compact_json_parts(sections)) == b'{"a":[],"b":[1,"\\u00e9"],"c":{"d":[]}}'


def test_a_remembered_json_status_is_the_fresh_one_with_the_time_now(
    example: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    clock.set_clock(FIRST)
    first = _status(capsys, example, "--json")
    assert json.loads(first)["generated"] == "2026-03-02T09:30:00+00:00"

    def refuse(portfolio: Portfolio) -> None:
        raise AssertionError("the status was worked out again")

    monkeypatch.setattr(status_module, "build_status", refuse)
    clock.set_clock(LATER)  # the same day: nothing the status depends on has changed
    again = _status(capsys, example, "--json")
    assert json.loads(again)["generated"] == "2026-03-02T17:45:10+00:00"
    assert again == first.replace("2026-03-02T09:30:00", "2026-03-02T17:45:10")
    assert again.endswith("}\n") and again.count("\n") == 1


def test_a_changed_note_is_worked_out_again(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    clock.set_clock(FIRST)
    draft = "assignments/701-strategic-leadership-draft.md"

    def words() -> int:
        document = json.loads(_status(capsys, example, "--json"))
        return next(w["words"] for w in document["word_counts"] if w["note"] == draft)

    before = words()
    assert words() == before  # remembered
    note = example / draft
    text = note.read_text(encoding="utf-8")
    anchor = "Northbridge Community Housing is"
    note.write_text(text.replace(anchor, "Four more counted words. " + anchor, 1), "utf-8")
    assert words() == before + 4


def test_an_indented_document_gets_the_time_now_too() -> None:
    indented = json.dumps(
        {"schema": "companion.progress/1", "generated": "2026-01-01T00:00:00+00:00", "x": "é"},
        indent=2,
        ensure_ascii=False,
    ).encode("utf-8")
    clock.set_clock(LATER)
    stamped = b"".join(with_generated_now(indented)).decode("utf-8")
    assert json.loads(stamped) == {
        "schema": "companion.progress/1",
        "generated": "2026-03-02T17:45:10+00:00",
        "x": "é",
    }
    assert with_generated_now(b"not a status") == [b"not a status"]


def _keep(store: Store, name: str, key: str, *pieces: bytes) -> None:
    with store.remembering(name, key) as keep:
        for piece in pieces:
            keep(piece)


def test_only_the_latest_status_is_kept_and_a_killed_write_is_cleared(tmp_path: Path) -> None:
    store = Store(tmp_path / "pf", base=tmp_path / "data")
    folder = store.folder / "memo"
    folder.mkdir()
    killed = folder / ".status-json-None.a.999999999.0000abcd.tmp"  # no such process
    killed.write_bytes(b"half")
    _keep(store, "status-json-None", "a" * 64, b"fir", b"st")
    _keep(store, "status-text-None", "c" * 64, b"text")
    _keep(store, "status-json-None", "b" * 64, b"sec", b"", b"ond")
    assert sorted(p.name for p in folder.iterdir()) == [
        "status-json-None." + "b" * 64,
        "status-text-None." + "c" * 64,
    ]
    assert store.memo("status-json-None", "a" * 64) is None
    assert store.memo("status-json-None", "b" * 64) == b"second"
    store.close()


def test_a_status_cut_off_while_printed_is_not_kept(tmp_path: Path) -> None:
    store = Store(tmp_path / "pf", base=tmp_path / "data")
    _keep(store, "status-json-None", "a" * 64, b"whole")
    with pytest.raises(BrokenPipeError), store.remembering("status-json-None", "b" * 64) as keep:
        keep(b"hal")
        raise BrokenPipeError  # the reader went away
    assert [p.name for p in (store.folder / "memo").iterdir()] == ["status-json-None." + "a" * 64]
    assert store.memo("status-json-None", "a" * 64) == b"whole"
    store.close()


def test_a_memo_that_cannot_be_read_or_written_is_worked_out_again(
    example: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    clock.set_clock(FIRST)
    first = _status(capsys, example, "--json")
    memo = next((tmp_path / "_data" / "portfolios").glob("*/memo"))
    for kept in memo.iterdir():
        kept.unlink()
        kept.mkdir()  # a folder where the file should be: neither read nor replaced
    assert main(["status", str(example), "--json"]) == 0
    out, err = capsys.readouterr()
    assert out == first and "Traceback" not in err


def test_statuses_an_older_index_kept_are_dropped_with_it(example: Path, tmp_path: Path) -> None:
    portfolio = Portfolio(example)
    portfolio.scan()
    path = portfolio.store.index.path if portfolio.store else None
    portfolio.close()
    assert path is not None
    db = sqlite3.connect(path)
    db.execute("UPDATE meta SET value=? WHERE key='schema'", (f"{SCHEMA_VERSION - 1}:old",))
    db.execute("INSERT INTO meta VALUES ('status-json-None', ?)", ("k\n" + "x" * 1000,))
    db.commit()
    db.close()
    again = Portfolio(example)
    again.scan()
    again.close()
    db = sqlite3.connect(path)
    keys = [row[0] for row in db.execute("SELECT key FROM meta")]
    db.close()
    assert keys == ["schema"]


def _two_json_statuses(
    example: Path,
    monkeypatch: pytest.MonkeyPatch,
    stream: Callable[[], TextIO],
    written: Callable[[TextIO], str],
) -> list[str]:
    """What ``status --json`` wrote to a stdout made by ``stream``: worked out, then
    remembered."""
    clock.set_clock(FIRST)
    outputs = []
    for _ in range(2):
        out = stream()
        monkeypatch.setattr(sys, "stdout", out)
        assert main(["status", str(example), "--json"]) == 0
        outputs.append(written(out))
    return outputs


def test_json_reaches_a_stdout_that_takes_only_text(
    example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A caller that swaps stdout for a text buffer (no bytes under it) gets the same JSON."""
    outputs = _two_json_statuses(
        example, monkeypatch, io.StringIO, lambda out: cast(io.StringIO, out).getvalue()
    )
    assert outputs[0] == outputs[1]
    assert json.loads(outputs[0])["generated"] == "2026-03-02T09:30:00+00:00"


def _utf16_written(out: TextIO) -> str:
    out.flush()
    return cast(io.BytesIO, cast(io.TextIOWrapper, out).buffer).getvalue().decode("utf-16")


def test_json_to_a_stdout_that_is_not_ascii_underneath_is_in_its_encoding(
    example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    texts = _two_json_statuses(
        example,
        monkeypatch,
        lambda: io.TextIOWrapper(io.BytesIO(), encoding="utf-16"),
        _utf16_written,
    )
    assert texts[0] == texts[1]
    assert json.loads(texts[0])["schema"] == "companion.progress/1"


class _CountedReads(io.BytesIO):
    """A kept file that remembers the largest piece read from it."""

    largest = 0

    def read(self, size: int | None = -1, /) -> bytes:
        piece = super().read(size)
        self.largest = max(self.largest, len(piece))
        return piece


def test_a_large_kept_json_status_is_copied_in_pieces_with_the_time_now(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from companion.cli.status import print_kept

    body = b"".join(b'{"note":"n%07d.md","words":440},' % n for n in range(160_000))
    document = b'{"schema":"companion.progress/1","generated":"2026-03-02T09:30:00+00:00","notes":['
    document += body + b"{}]}"
    assert len(document) > 5_000_000
    kept = _CountedReads(document)
    underneath = io.BytesIO()
    out = io.TextIOWrapper(underneath, encoding="ascii")
    monkeypatch.setattr(sys, "stdout", out)
    clock.set_clock(LATER)
    print_kept(kept, True, None)
    out.flush()
    written = underneath.getvalue()
    assert written == b"".join(with_generated_now(document)) + b"\n"
    assert b'"generated":"2026-03-02T17:45:10+00:00"' in written[:100]
    assert kept.largest <= 1 << 20
