"""Large portfolios: the Notes and Flags screens draw a page, and filter and sort everything."""

from __future__ import annotations

from pathlib import Path

import pytest
from pilot_support import wait_for
from textual.widgets import DataTable, Static, Tree

from companion.assessment.status import build_status
from companion.content.load import load_content
from companion.portfolio.portfolio import Portfolio
from companion.screens.notes import SHOWN, SHOWN_ORDER
from companion.ui.app import CompanionApp, make_app
from companion.views.note_list import COLUMNS, note_rows

SIZE = (170, 50)
COUNT = 1200


@pytest.fixture
def many(tmp_path: Path) -> Path:
    root = tmp_path / "many"
    (root / "notes").mkdir(parents=True)
    (root / "companion.yaml").write_text("learner: Sam Lee\nprogramme_start: 2025-01-06\n")
    for i in range(COUNT):
        words = " ".join(["word"] * (i % 97 + 1))
        (root / "notes" / f"n{i:04d}.md").write_text(
            f"---\ntitle: Note {i:04d}\nref: E{i:04d}\ndate: 2025-06-01\nlearner: Sam Lee\n"
            f"type: report\n---\n{words}\n",
            encoding="utf-8",
        )
    return root


def _count(app: CompanionApp) -> str:
    return str(app.screen.query_one("#notes-count", Static).render())


def _column(table: DataTable, key: str) -> list[str]:
    index = table.get_column_index(key)
    return [str(table.get_row_at(row)[index]) for row in range(table.row_count)]


async def test_a_large_portfolio_shows_a_page_and_filters_and_sorts_every_note(
    many: Path,
) -> None:
    app = make_app(many, poll=False)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.status is not None)
        await pilot.press("n")
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        assert table.row_count == SHOWN
        assert _count(app) == f"{COUNT} notes; showing the first {SHOWN}: type to narrow them down"
        assert _column(table, "ref")[:3] == ["E0000", "E0001", "E0002"]

        await pilot.press("slash", *"e1150")  # a note far beyond the first page
        await wait_for(pilot, lambda: table.row_count == 1)
        assert _column(table, "title") == ["Note 1150"]
        assert _count(app) == f"1 of {COUNT} notes match e1150"

        await pilot.press("escape")
        await wait_for(pilot, lambda: table.row_count == SHOWN)
        words = SHOWN_ORDER.index(COLUMNS.index("Words"))
        for _ in range(2 * words + 1):  # s cycles as drawn: Ref asc, Ref desc, ... Words desc
            await pilot.press("s")
        await pilot.pause()
        top = _column(table, "words")[:3]
        assert top == ["97", "97", "97"]  # the longest notes of all, not of the first page
        assert _column(table, "ref")[0] != "E0000"


def test_note_rows_filter_and_sort_every_note(many: Path) -> None:
    portfolio = Portfolio(many, load_content(), use_store=False)
    portfolio.scan()
    status = build_status(portfolio)
    rows = note_rows(status, "E10", column=COLUMNS.index("Words"), reverse=True)
    assert len(rows) == 100
    assert [r[0].words for r in rows[:3]] == [97, 96, 95]
    assert rows[0][0].ref == "E1066"
    assert [r[0].ref for r in note_rows(status, "E0005 ")] == ["E0005"]


async def test_the_flags_tree_lists_a_page_of_notes_and_says_how_many_more(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import companion.screens.flags as flags_screen

    monkeypatch.setattr(flags_screen, "SHOWN_NOTES", 3)
    root = tmp_path / "flagged"
    (root / "notes").mkdir(parents=True)
    (root / "companion.yaml").write_text("learner: Sam Lee\nprogramme_start: 2025-01-06\n")
    for i in range(5):  # no learner name: one error each
        (root / "notes" / f"n{i}.md").write_text(
            f"---\ntitle: N{i}\nref: E{i}\ndate: 2025-06-01\ntype: report\n---\nBody\n"
        )
    app = make_app(root, poll=False)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.status is not None)
        await pilot.press("f")
        await pilot.pause()
        errors = app.screen.query_one(Tree).root.children[0]
        assert str(errors.label) == "Errors (5)"
        assert [str(n.label) for n in errors.children] == [
            "notes/n0.md",
            "notes/n1.md",
            "notes/n2.md",
            "… and 2 more notes (companion check lists them all)",
        ]
        summary = str(app.screen.query_one("#flag-summary", Static).render())
        assert summary.startswith("5 errors block gateway")
