"""Hostile shapes of text are read in time linear in their length: a note made of one
pattern repeated must not stall the index (each of these took minutes once)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from companion.notes.record import build_record
from companion.portfolio.search import without_tags
from companion.text.word_rules import WordCountRules

SHAPES = {
    "unclosed comments": "<!-- " * 40_000,
    "images without a target end": "![a](b " * 30_000,
    "links without a target end": "[a](b " * 30_000,
    "citations on one line": "(Harris, 2015) " * 15_000,
    "narrative citations on one line": "Kotter (1996) " * 15_000,
    "reference headings": "# References\n" * 15_000,
    "unclosed brackets": "(" * 200_000,
    "backticks": "`a " * 60_000,
    "wiki brackets": "[[" * 100_000,
    "names before a year": ("A " * 60 + "(2015) ") * 1_500,
}


@pytest.mark.parametrize("shape", list(SHAPES), ids=list(SHAPES))
def test_a_hostile_note_is_read_quickly(tmp_path: Path, shape: str) -> None:
    note = tmp_path / "n.md"
    note.write_text("---\ntitle: T\n---\n" + SHAPES[shape])
    start = time.perf_counter()
    record = build_record(note, "n.md", WordCountRules())
    without_tags(note.read_text())
    assert time.perf_counter() - start < 5, shape  # seconds for about 200 KB, on a slow CI
    assert record.error is None
