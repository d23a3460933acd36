"""What is worked out from the index and the kept flags equals what a first reading gives.

A generated portfolio is edited at random (seeded, so every run makes the same edits):
text, citations, links, personal data, tags, references shared by two notes, front matter
that does not parse, notes added and deleted. After each round of edits the status of the
portfolio kept open (records and flags held in memory), of one opened again (rows and flags
read back from the index) and of one read from nothing (no index at all) must be the same
document, and so must each note's record.
"""

from __future__ import annotations

import datetime as dt
import os
import random
from pathlib import Path

import pytest

from bench.corpus import ACS, generate
from companion import clock
from companion.assessment.status import build_status, status_json
from companion.portfolio.portfolio import Portfolio

NOTES = 40
ROUNDS = 6
EDITS_PER_ROUND = 5
MOMENT = dt.datetime(2026, 11, 2, 10, 0, tzinfo=dt.UTC)


def _notes(root: Path) -> list[Path]:
    return sorted((root / "notes").rglob("*.md"))


def _touch(path: Path) -> None:
    """Move the note's time on, so a change of the same size is still seen as a change."""
    info = path.stat()
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + 7_000_000))


def _append(path: Path, text: str) -> None:
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(text)
    _touch(path)


def _replace_front(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    _touch(path)


def _edit(rng: random.Random, root: Path, number: int) -> None:
    """One random edit of the kinds a learner makes."""
    notes = _notes(root)
    note = rng.choice(notes)
    other = rng.choice(notes)
    kind = rng.randrange(9)
    if kind == 0:
        _append(note, f"\nWe reviewed the change with the team (Kotter, 1996) in week {number}.\n")
    elif kind == 1:
        _append(note, f"\nSee [[{other.stem}]] and [[missing-note-{number}]].\n")
    elif kind == 2:
        _append(note, "\nCall me on 01632 960 456 or write to me@example.org.\n")
    elif kind == 3:  # a tag more, said where or not
        where = rng.choice([f"p{number}", "''"])
        tag = f"- ac: {rng.choice(ACS)}\n  where: {where}"
        if "\nevidence:" in note.read_text():
            _replace_front(note, "\nevidence:", f"\nevidence:\n{tag}")
        else:
            _replace_front(note, "\nlearner:", f"\nevidence:\n{tag}\nlearner:")
    elif kind == 4:  # a reference another note already uses
        ref = next(line for line in other.read_text().splitlines() if line.startswith("ref:"))
        text = note.read_text().splitlines()
        note.write_text("\n".join(ref if line.startswith("ref:") else line for line in text) + "\n")
        _touch(note)
    elif kind == 5:
        _replace_front(note, "title:", "title: [not closed\nold_title:")
    elif kind == 6 and len(notes) > NOTES // 2:
        note.unlink()
    elif kind == 7:
        fresh = note.with_name(f"added-{number}.md")
        fresh.write_text(note.read_text().replace("ref: E", "ref: N"), encoding="utf-8")
    else:
        _append(note, "\n## References\n\nSchein, E. (2017) Organizational culture. Wiley.\n")


def _document(portfolio: Portfolio) -> dict[str, object]:
    portfolio.scan()
    document = status_json(build_status(portfolio))
    document.pop("generated")
    return document


@pytest.mark.parametrize("seed", [3, 11])
def test_statuses_kept_up_to_date_equal_those_worked_out_from_nothing(
    tmp_path: Path, seed: int
) -> None:
    root = generate(tmp_path / "portfolio", NOTES, seed=seed)
    rng = random.Random(seed)
    with clock.fixed_clock(MOMENT):
        kept_open = Portfolio(root)
        _document(kept_open)
        try:
            for number in range(ROUNDS):
                for edit in range(EDITS_PER_ROUND):
                    _edit(rng, root, number * EDITS_PER_ROUND + edit)
                incremental = _document(kept_open)
                reopened = Portfolio(root)
                from_rows = _document(reopened)
                from_nothing_portfolio = Portfolio(root, use_store=False)
                from_nothing = _document(from_nothing_portfolio)
                assert incremental == from_nothing, f"round {number}"
                assert from_rows == from_nothing, f"round {number}"
                assert kept_open.records == from_nothing_portfolio.records
                assert reopened.records == from_nothing_portfolio.records
                reopened.close()
                from_nothing_portfolio.close()
        finally:
            kept_open.close()
    assert any(r.error is not None for r in kept_open.records.values())
    assert any(r.links for r in kept_open.records.values())
    assert any(r.citation_problems for r in kept_open.records.values())
