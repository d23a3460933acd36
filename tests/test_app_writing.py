"""Pilot tests at 80x24: a note's citations on its screen, and going to their lines."""

from __future__ import annotations

from pathlib import Path

import pytest
from pilot_support import wait_for
from textual.containers import VerticalScroll
from textual.pilot import Pilot
from textual.widgets import OptionList

from companion.portfolio.example import copy_example
from companion.screens.note import NoteScreen
from companion.ui.app import make_app

SIZE = (80, 24)
DRAFT = "assignments/701-strategic-leadership-draft.md"


@pytest.fixture
def example(tmp_path: Path) -> Path:
    return copy_example(tmp_path / "example")


async def _ready(pilot: Pilot) -> None:
    await wait_for(pilot, lambda: pilot.app.status is not None)
    await pilot.pause()


def _prompts(options: OptionList) -> list[str]:
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def test_the_note_screen_lists_citations_and_enter_goes_to_the_line(example: Path) -> None:
    draft = example / DRAFT
    draft.write_text(draft.read_text().replace("(Hersey and", "(Hersey, Walsh and"))
    app = make_app(example, poll=False)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(pilot)
        app.push_screen(NoteScreen(DRAFT))
        await wait_for(pilot, lambda: bool(app.screen.query("#citations")))
        await pilot.pause(0.3)
        listing = app.screen.query_one("#citations", OptionList)
        assert _prompts(listing) == [
            "✔ L41 (Johnson et al., 2020) — matched",
            "✔ L41 (Peters and Waterman, 1982) — matched",
            "✔ L55 (Hersey, Walsh and Blanchard, 1969) — matched",
            "✔ L67 ref Hersey and Blanchard (1969) — cited",
            "✔ L70 ref Johnson et al. (2020) — cited",
            "✔ L73 ref Peters and Waterman (1982) — cited",
        ]
        listing.focus()
        await pilot.pause()
        assert listing.region.bottom <= SIZE[1]  # scrolled into view at 80x24
        await pilot.press("down", "down", "down", "enter")  # the third: line 55
        await pilot.pause(0.6)
        scroller = app.screen.query_one("#note-body", VerticalScroll)
        assert scroller.has_focus
        assert scroller.scroll_y > 0
        shown = app.screen.query_one("#body").children
        top = [b for b in shown if b.virtual_region.y <= scroller.scroll_y + 1][-1]
        assert top.source_range[0] == 55 - 9  # the paragraph holding line 55


async def test_a_note_opened_at_a_line_scrolls_there(example: Path) -> None:
    app = make_app(example, poll=False)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(pilot)
        app.push_screen(NoteScreen(DRAFT, line=49))
        await wait_for(pilot, lambda: bool(app.screen.query("#note-body")))
        scroller = app.screen.query_one("#note-body", VerticalScroll)
        await wait_for(pilot, lambda: scroller.scroll_y > 0)
        await pilot.pause(0.5)
        shown = app.screen.query_one("#body").children
        top = [b for b in shown if b.virtual_region.y <= scroller.scroll_y + 1][-1]
        assert top.source_range[0] == 49 - 9  # "External factors include …"


async def test_the_notes_filter_takes_conditions_on_the_front_matter(example: Path) -> None:
    from textual.widgets import DataTable

    app = make_app(example, poll=False)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(pilot)
        await pilot.press("n")
        await pilot.pause()
        await pilot.press("slash", *"type=minutes date>=2026-01-01")
        await pilot.pause(0.3)
        table = app.screen.query_one(DataTable)
        refs = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        assert refs == ["", "E010", "E013"]
        count = str(app.screen.query_one("#notes-count").content)
        assert count.startswith("3 of 28 notes match")
