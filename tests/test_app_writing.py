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


def _links_portfolio(tmp_path: Path) -> Path:
    root = tmp_path / "linked"
    (root / "notes").mkdir(parents=True)
    (root / "companion.yaml").write_text("learner: Sam Lee\nprogramme_start: 2025-01-06\n")
    (root / "notes" / "plan.md").write_text(
        "---\ntitle: Coaching plan\n---\nThe plan.\n\nSee [[Coaching log]] and "
        "[the minutes](minutes.md), and [[missing note]].\n"
    )
    (root / "notes" / "coaching log.md").write_text("---\ntitle: Coaching log\n---\nLog.\n")
    (root / "notes" / "minutes.md").write_text(
        "---\ntitle: Board minutes\n---\nMinutes, following [[plan]].\n"
    )
    return root


async def test_the_note_screen_lists_links_and_backlinks_and_enter_opens_them(
    tmp_path: Path,
) -> None:
    app = make_app(_links_portfolio(tmp_path), poll=False)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(pilot)
        app.push_screen(NoteScreen("notes/plan.md"))
        await wait_for(pilot, lambda: bool(app.screen.query("#links")))
        await pilot.pause(0.3)
        listing = app.screen.query_one("#links", OptionList)
        assert _prompts(listing) == [
            "→ L6 [[Coaching log]] — Coaching log",
            "→ L6 [the minutes](minutes.md) — Board minutes",
            "✗ L6 [[missing note]] — no such note",
            "← Board minutes (line 4)",
        ]
        flags = _prompts(app.screen.query_one("#note-flags", OptionList))
        assert flags == [
            "WARNING [broken-link] Line 6: [[missing note]] links to a note that does not exist."
        ]
        listing.focus()
        await pilot.pause()
        assert listing.region.bottom <= SIZE[1]
        await pilot.press("down", "down", "enter")  # the second: the minutes
        await wait_for(
            pilot,
            lambda: (
                isinstance(app.screen, NoteScreen) and app.screen.relative == "notes/minutes.md"
            ),
        )
        await pilot.pause(0.3)
        back = app.screen.query_one("#links", OptionList)
        assert _prompts(back) == [
            "→ L4 [[plan]] — Coaching plan",
            "← Coaching plan (line 6)",
        ]
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen.relative == "notes/plan.md")
