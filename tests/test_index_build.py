"""Building records in worker processes gives exactly what building them in-process gives."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from companion.cli.main import main
from companion.content.load import load_content
from companion.notes.record import build_record
from companion.portfolio import index as index_build
from companion.portfolio.index import BuildInterrupted, build_records, worker_count
from companion.portfolio.portfolio import Portfolio
from companion.text.word_rules import WordCountRules

EXAMPLE = Path(__file__).parent.parent / "companion" / "example_portfolio"


def _built_here(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The notes this process builds, in order (those a worker builds are not seen)."""
    built: list[str] = []
    original = build_record  # the reader the index calls

    def counted(path: Path, rel: str, *rest: object) -> object:
        built.append(rel)
        return original(path, rel, *rest)  # type: ignore[arg-type]

    monkeypatch.setattr(index_build, "build_record", counted)
    return built


def _notes() -> list[str]:
    return sorted(p.relative_to(EXAMPLE).as_posix() for p in EXAMPLE.rglob("*.md"))


def _portfolio(tmp_path: Path, count: int) -> Path:
    """A portfolio of ``count`` short notes, ``notes/n00.md`` on."""
    root = tmp_path / "portfolio"
    (root / "notes").mkdir(parents=True)
    (root / "companion.yaml").write_text("learner: Sam Lee\nprogramme_start: 2025-01-06\n")
    for i in range(count):
        (root / "notes" / f"n{i:02d}.md").write_text(f"---\ntitle: Note {i}\n---\nBody\n")
    return root


def test_workers_build_the_same_records_as_one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(index_build, "CHUNK", 3)
    rules = WordCountRules()
    seen: list[int] = []
    serial = build_records(EXAMPLE, _notes(), rules, workers=1)

    here: list[str] = []

    def counted(path: Path, rel: str, *rest: object) -> object:
        here.append(rel)
        return serial[rel]

    monkeypatch.setattr(index_build, "build_record", counted)
    parallel = build_records(EXAMPLE, _notes(), rules, seen.append, workers=2)
    assert len(serial) == 37
    assert {k: r.to_json() for k, r in parallel.items()} == {
        k: r.to_json() for k, r in serial.items()
    }
    assert sum(seen) == 37
    # chunks of three went to whoever asked first: this process built whole chunks, in order
    assert here and len(here) < 37 and here == sorted(here)


@pytest.mark.parametrize("interpreter", ["/nonexistent/python", "/bin/false"])
def test_without_working_subprocesses_it_builds_in_process(
    monkeypatch: pytest.MonkeyPatch, interpreter: str
) -> None:
    monkeypatch.setattr(sys, "executable", interpreter)
    seen: list[int] = []
    built = build_records(EXAMPLE, _notes(), WordCountRules(), seen.append, workers=2)
    assert len(built) == 37 and sum(seen) == 37
    assert built["evidence/02-programme-plan.md"].ref == "E003"


def test_workers_start_for_many_notes_one_per_core_busy_or_not(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1})
    assert worker_count(index_build.PARALLEL_FROM - 1) == 1
    assert worker_count(index_build.PARALLEL_FROM) == 2
    monkeypatch.setattr(os, "getloadavg", lambda: (1.2, 1.0, 1.0))
    assert worker_count(50_000) == 2  # a busy core still gives a worker some time
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(32)))
    assert worker_count(50_000) == 8
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0})
    assert worker_count(50_000) == 1


def test_a_worker_that_gets_no_time_does_not_hold_the_work_up(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A worker that never answers leaves its chunk to this process, after the rest."""
    monkeypatch.setattr(index_build, "CHUNK", 4)
    monkeypatch.setattr(sys, "executable", "/bin/cat")  # echoes: never a list of records
    built = build_records(EXAMPLE, _notes(), WordCountRules(), workers=2)
    assert sorted(built) == _notes()


def test_a_large_first_scan_uses_workers_and_keeps_file_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(index_build, "PARALLEL_FROM", 10)
    monkeypatch.setattr(index_build, "CHUNK", 7)
    monkeypatch.setattr(index_build, "worker_count", lambda jobs: 2)
    here = _built_here(monkeypatch)
    root = tmp_path / "portfolio"
    (root / "notes").mkdir(parents=True)
    (root / "companion.yaml").write_text("learner: Sam Lee\nprogramme_start: 2025-01-06\n")
    for i in range(40):
        (root / "notes" / f"n{i:02d}.md").write_text(
            f"---\ntitle: Note {i}\nref: E{i:03d}\n---\n" + "word " * i + "\n"
        )
    portfolio = Portfolio(root, load_content())
    calls: list[tuple[int, int]] = []
    result = portfolio.scan(lambda done, total: calls.append((done, total)))
    portfolio.close()
    assert (result.parsed, result.total) == (40, 40)
    assert list(portfolio.records) == [f"notes/n{i:02d}.md" for i in range(40)]
    assert [portfolio.records[f"notes/n{i:02d}.md"].words for i in (0, 1, 39)] == [0, 1, 39]
    assert calls[-1] == (40, 40)
    assert 0 < len(here) < 40  # the others came from the worker


def test_a_stopped_build_hands_out_no_more_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(index_build, "CHUNK", 5)
    seen: list[int] = []
    built = build_records(
        EXAMPLE, _notes(), WordCountRules(), seen.append, workers=1, stopped=lambda: bool(seen)
    )
    assert sorted(built) == _notes()[:5] and seen == [5]


def test_a_scan_stopped_part_way_keeps_what_it_read_for_the_next(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Closing the app during a first index loses nothing: the next start reads only the rest."""
    monkeypatch.setattr(index_build, "CHUNK", 10)
    root = _portfolio(tmp_path, 25)
    read = _built_here(monkeypatch)
    first = Portfolio(root, load_content())
    stopped = first.scan(stopped=lambda: len(read) >= 10)
    first.close()
    assert stopped.stopped and first.records == {}
    assert read == [f"notes/n{i:02d}.md" for i in range(10)]

    again = Portfolio(root, load_content())
    result = again.scan()
    again.close()
    assert not result.stopped
    assert (result.reused, result.parsed, result.total) == (10, 15, 25)
    assert len(again.records) == 25


def _interrupt_after(monkeypatch: pytest.MonkeyPatch, count: int) -> list[str]:
    """Make this process's build raise KeyboardInterrupt (Ctrl-C) at its ``count``-th note."""
    read = _built_here(monkeypatch)
    counting = vars(index_build)["build_record"]  # the counting reader just put in place

    def interrupted(path: Path, rel: str, *rest: object) -> object:
        if len(read) == count:
            raise KeyboardInterrupt
        return counting(path, rel, *rest)

    monkeypatch.setattr(index_build, "build_record", interrupted)
    return read


def test_ctrl_c_during_a_build_stops_its_workers_and_carries_what_was_built(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(index_build, "CHUNK", 3)
    started: list[subprocess.Popen[bytes]] = []
    popen = subprocess.Popen

    def spied(*args: Any, **kwargs: Any) -> subprocess.Popen[bytes]:
        started.append(popen(*args, **kwargs))
        return started[-1]

    monkeypatch.setattr(subprocess, "Popen", spied)
    read = _interrupt_after(monkeypatch, 4)  # the second note of this process's second chunk
    with pytest.raises(BuildInterrupted) as caught:
        build_records(EXAMPLE, _notes(), WordCountRules(), workers=2)
    assert isinstance(caught.value, KeyboardInterrupt)
    assert len(started) == 1 and started[0].poll() is not None  # the worker is gone
    built = caught.value.built
    assert set(read[:3]) <= set(built)  # this process's first whole chunk
    assert len(read) == 4 and read[3] not in built  # the chunk cut short is not
    assert len(built) < 37


def test_ctrl_c_during_a_first_status_keeps_the_notes_read_for_the_next(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(index_build, "CHUNK", 10)
    root = _portfolio(tmp_path, 25)
    _interrupt_after(monkeypatch, 15)
    assert main(["status", str(root)]) == 130
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (
        "companion: stopped with 10 of 25 notes indexed; the next command carries on from there\n"
    )
    monkeypatch.setattr(index_build, "build_record", build_record)  # Ctrl-C no more
    again = Portfolio(root, load_content())
    result = again.scan()
    again.close()
    assert (result.reused, result.parsed, result.total) == (10, 15, 25)
