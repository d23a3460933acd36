"""Pilot tests at 80x24: a note's citations on its screen, and going to their lines."""

from __future__ import annotations

from pathlib import Path

from known import present
from pilot_support import companion_app, wait_for
from textual.containers import VerticalScroll
from textual.content import Content
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Static
from textual.widgets._markdown import MarkdownBlock

from companion.screens.note import NoteScreen
from companion.ui.app import make_app

SIZE = (80, 24)
DRAFT = "assignments/701-strategic-leadership-draft.md"


async def _ready(pilot: Pilot) -> None:
    await wait_for(pilot, lambda: companion_app(pilot).status is not None)
    await pilot.pause()


def _plain(markup: object) -> str:
    """The text of a prompt: plain text as it is, markup without its tags."""
    plain = getattr(markup, "plain", None)
    return plain if isinstance(plain, str) else Content.from_markup(str(markup)).plain


def _prompts(options: OptionList) -> list[str]:
    return [_plain(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


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
        # scrolled into view at 80x24 (the scroll follows the focus a frame or two later)
        await wait_for(pilot, lambda: 0 < listing.region.bottom <= SIZE[1])
        await pilot.press("down", "down", "down", "enter")  # the third: line 55
        scroller = app.screen.query_one("#note-body", VerticalScroll)
        await wait_for(pilot, lambda: scroller.has_focus and scroller.scroll_y > 0)
        await pilot.pause(0.2)
        shown = app.screen.query_one("#body").query_children(MarkdownBlock)
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
        shown = app.screen.query_one("#body").query_children(MarkdownBlock)
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
        assert refs == ["", "E010", "E013", "E026"]
        count = str(app.screen.query_one("#notes-count", Static).content)
        assert count.startswith("4 of 37 notes match")


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
        listing = app.screen.query_one("#links", OptionList)
        await wait_for(pilot, lambda: listing.option_count == 4)  # filled in by a worker
        await wait_for(
            pilot, lambda: bool(app.screen.query_one("#note-flags", OptionList).option_count)
        )
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
        back = app.screen.query_one("#links", OptionList)
        await wait_for(pilot, lambda: back.option_count == 2)
        assert _prompts(back) == [
            "→ L4 [[plan]] — Coaching plan",
            "← Coaching plan (line 6)",
        ]
        await pilot.press("escape")
        await wait_for(pilot, lambda: getattr(app.screen, "relative", None) == "notes/plan.md")


async def test_the_search_box_finds_words_and_opens_the_note_at_the_hit(example: Path) -> None:
    from companion.screens.search import SearchScreen

    app = make_app(example, poll=False)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(pilot)
        await pilot.press("slash")
        await wait_for(pilot, lambda: isinstance(app.screen, SearchScreen))
        await pilot.pause()
        await pilot.press(*"Schein", "enter")
        results = app.screen.query_one("#search-results", OptionList)
        await wait_for(pilot, lambda: results.option_count == 2)
        assert [p.splitlines() for p in _prompts(results)] == [
            [
                "E006 Operations management away day — team dynamics and culture  [700/1.1, "
                "700/1.2]",
                "  10: - Schein, E. H. (2010) Organizational Culture and Leadership. 4th edn. San "
                "Francisco. Jossey-Bass.",
            ],
            [
                "  49: Schein (2010) separates what we show (artefacts), what we say (espoused "
                "values) and what we"
            ],
        ]
        count = _plain(app.screen.query_one("#search-count", Static).content)
        assert count == "1 note matches Schein: Enter opens the note at the line"
        assert results.has_focus and results.region.bottom <= SIZE[1]
        await pilot.press("down", "enter")  # the hit on line 49
        await wait_for(pilot, lambda: isinstance(app.screen, NoteScreen))
        note = app.screen
        assert isinstance(note, NoteScreen)
        assert note.relative == "evidence/05-away-day-presentation.md"
        scroller = note.query_one("#note-body", VerticalScroll)
        await wait_for(pilot, lambda: scroller.scroll_y > 0)
        await pilot.pause(0.5)
        front_matter_end = present(present(note.snapshot).fm_end)
        body_line = 49 - (front_matter_end + 2)
        blocks = note.query_one("#body").query_children(MarkdownBlock)
        (hit,) = [b for b in blocks if b.source_range[0] <= body_line < b.source_range[1]]
        offset = hit.virtual_region.y - scroller.scroll_y
        # at the top of the view, or as near as the end of the note lets it come
        assert 0 <= offset <= 2 or scroller.scroll_y == scroller.max_scroll_y
        assert offset < scroller.size.height  # in view


async def test_the_notes_filter_hands_a_word_no_note_name_holds_to_the_search(
    example: Path,
) -> None:
    from companion.screens.search import SearchScreen

    app = make_app(example, poll=False)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(pilot)
        await pilot.press("n")
        await pilot.pause()
        await pilot.press("slash", *"Schein")
        await pilot.pause(0.3)
        count = _plain(app.screen.query_one("#notes-count", Static).content)
        assert count == "0 of 37 notes match Schein: Enter searches the notes' text for it"
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, SearchScreen))
        results = app.screen.query_one("#search-results", OptionList)
        await wait_for(pilot, lambda: results.option_count == 2)
        assert app.screen.query_one("#search-query", Input).value == "Schein"


async def test_a_first_search_of_many_notes_shows_its_progress(tmp_path: Path) -> None:
    from bench.corpus import generate
    from companion.screens.search import SearchScreen

    root = generate(tmp_path / "many", 450)
    app = make_app(root, poll=False)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(pilot)
        await pilot.press("slash")
        await wait_for(pilot, lambda: isinstance(app.screen, SearchScreen))
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        said: list[str] = []
        original = screen._progress

        def watched(done: int, total: int) -> None:
            original(done, total)
            said.append(str(screen.query_one("#search-count", Static).content))

        screen._progress = watched  # type: ignore[method-assign]
        await pilot.press(*"Schein", "enter")
        results = screen.query_one("#search-results", OptionList)
        await wait_for(pilot, lambda: results.option_count > 0, timeout=30)
        assert said[0] == "Reading the notes' text for search: 200 of 450"
        assert said[-1] == "Reading the notes' text for search: 450 of 450"
        await wait_for(pilot, lambda: not screen.query("#search-progress"))  # the bar goes


async def test_every_list_of_the_note_screen_is_reached_by_tab_at_80x24(example: Path) -> None:
    app = make_app(example, poll=False)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(pilot)
        app.push_screen(NoteScreen("evidence/19-proposal-pitch-to-elt.md"))
        await wait_for(pilot, lambda: bool(app.screen.query("#citations")))
        await pilot.pause(0.3)
        reached = []
        for _ in range(8):
            await pilot.press("tab")
            await pilot.pause()
            focused = app.focused
            if focused is not None and focused.id and focused.id not in reached:
                reached.append(focused.id)
                region = focused.region
                assert region.height > 0 and region.bottom <= SIZE[1] - 1  # above the footer
        assert {"tags", "note-flags", "links", "citations"} <= set(reached)
        links = app.screen.query_one("#links", OptionList)
        assert _prompts(links)[:2] == [
            "→ L31 [[summary]] — Predict and Prevent: using home sensors and repairs data to "
            "end serious damp and mould",
            "→ L32 [[11-damp-research-project]] — Research project — predicting damp and mould "
            "from repairs and sensor data",
        ]


async def test_escape_clears_the_search_box_then_leaves_it_so_screen_keys_work(
    example: Path,
) -> None:
    from textual.widgets import Input

    from companion.screens.search import SearchScreen

    app = make_app(example, poll=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await _ready(pilot)
        await pilot.press("slash")
        await wait_for(pilot, lambda: isinstance(app.screen, SearchScreen))
        await pilot.pause()
        box = app.screen.query_one("#search-query", Input)
        await pilot.press(*"dun")  # typed into the box, not taken as screen keys
        assert box.value == "dun" and isinstance(app.screen, SearchScreen)
        await pilot.press("escape")
        assert box.value == "" and box.has_focus
        await pilot.press("escape")  # an empty box: leave it
        assert not box.has_focus
        await pilot.press("d")
        await wait_for(pilot, lambda: app.current_mode == "dashboard")


async def test_a_note_listing_one_ac_twice_opens_and_shows_both(tmp_path: Path) -> None:
    """A hand edit can list the same AC twice in a note's evidence; the note screen once
    crashed on it (two options with one id) and closed the app."""
    root = tmp_path / "twice"
    (root / "notes").mkdir(parents=True)
    (root / "companion.yaml").write_text("learner: Sam Lee\nprogramme_start: 2025-01-06\n")
    (root / "notes" / "twice.md").write_text(
        "---\ntitle: Twice\nref: E001\nevidence:\n  - ac: 700/1.1\n    where: p1\n"
        "  - ac: 700/1.1\n    where: p2\n---\nThe work.\n"
    )
    app = make_app(root, poll=False)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(pilot)
        app.push_screen(NoteScreen("notes/twice.md"))
        await wait_for(pilot, lambda: bool(app.screen.query("#tags")))
        tags = app.screen.query_one("#tags", OptionList)
        await wait_for(pilot, lambda: tags.option_count == 2)
        prompts = _prompts(tags)
        assert prompts[0].startswith("700/1.1") and "listed twice" in prompts[1]
        assert app.is_running and isinstance(app.screen, NoteScreen)
