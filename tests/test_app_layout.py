"""Every screen readable and usable by keyboard at 80x24, and using the width at 200x50:
what matters is in view, the footer shows the keys that work, and the AC is tagged from the
AC itself. Each test drives the app by keys and reads what the screen shows."""

from __future__ import annotations

from pathlib import Path

from pilot_support import screen_text, wait_for
from textual.pilot import Pilot
from textual.widgets import DataTable, Markdown, Tree
from textual.widgets._markdown import MarkdownTable

from companion.notes.file import read_note_file
from companion.portfolio.example import copy_example
from companion.screens.note import NoteScreen
from companion.screens.otj import OtjScreen
from companion.screens.pick_note import PickNoteModal
from companion.screens.tag_modal import TagModal
from companion.screens.units import UnitsScreen
from companion.ui.app import CompanionApp, make_app


async def _ready(pilot: Pilot) -> CompanionApp:
    app = pilot.app
    assert isinstance(app, CompanionApp)
    await wait_for(pilot, lambda: app.status is not None)
    await pilot.pause()
    return app


def _footer(pilot: Pilot) -> str:
    """The footer's lines (the last two rows of the screen)."""
    return "\n".join(screen_text(pilot.app).splitlines()[-2:])


async def test_the_notes_list_at_80_columns_shows_each_notes_open_flags(example: Path) -> None:
    async with make_app(example, poll=False).run_test(size=(80, 24)) as pilot:
        app = await _ready(pilot)
        status = app.status
        assert status is not None
        witness = next(r for r in status.portfolio.records.values() if r.ref == "E007")
        open_flags = [f for f in status.flags if f.note == witness.path and not f.acknowledged]
        assert len(open_flags) == 3
        await pilot.press("n")
        table = app.screen.query_one("#notes-table", DataTable)
        await wait_for(pilot, lambda: table.row_count > 0)
        await pilot.press("slash", *"E007", "enter")
        await wait_for(pilot, lambda: table.row_count == 1)
        await pilot.pause()
        lines = screen_text(app).splitlines()
        header = next(line for line in lines if " Ref " in line)
        row = next(line for line in lines if line.lstrip().startswith("E007"))
        assert "Flags" in header and "Words" in header and "Tags" in header
        flags_at = header.index("Flags")
        assert row[flags_at : flags_at + 5].strip() == "3"


async def test_the_note_screen_footer_at_80_columns_shows_every_key(example: Path) -> None:
    async with make_app(example, poll=False).run_test(size=(80, 24)) as pilot:
        await _ready(pilot)
        await pilot.press("n", "enter")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, NoteScreen))
        await pilot.pause(0.3)
        footer = _footer(pilot)
        for shown in ("t Tag", "x Untag", "a Acknowledge", "e Edit", "esc Back"):
            assert shown in footer
        for shown in ("r Rescan", "? Help", "q Quit", "screens", "^p palette"):
            assert shown in footer


async def test_the_otj_footer_shows_edit_and_the_review_record(example: Path) -> None:
    async with make_app(example, poll=False).run_test(size=(80, 24)) as pilot:
        await _ready(pilot)
        await pilot.press("o")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, OtjScreen))
        await pilot.pause(0.3)
        footer = _footer(pilot)
        for shown in ("a Add", "e Edit", "w Pack", "i Import", "N Review record", "q Quit"):
            assert shown in footer


async def _show_ac(pilot: Pilot, ac_id: str) -> UnitsScreen:
    await pilot.press("u")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, UnitsScreen))
    screen = pilot.app.screen
    assert isinstance(screen, UnitsScreen)
    tree = screen.query_one(Tree)
    node = next(n for ac, n in screen._ac_rows(tree.root) if ac == ac_id)
    parent = node.parent
    while parent is not None:
        parent.expand()
        parent = parent.parent
    await pilot.pause()
    tree.move_cursor(node)
    await wait_for(pilot, lambda: screen._shown_ac == ac_id)
    await pilot.pause(0.3)
    return screen


async def test_the_ac_evidence_is_a_list_at_80_columns_and_a_table_when_wide(
    example: Path,
) -> None:
    async with make_app(example, poll=False).run_test(size=(80, 24)) as pilot:
        app = await _ready(pilot)
        screen = await _show_ac(pilot, "700/1.1")
        detail = screen.query_one("#ac-detail", Markdown)
        assert not detail.query(MarkdownTable)
        source = detail.source
        assert "| Ref |" not in source
        status = app.status
        assert status is not None
        first = status.progress.criteria["700/1.1"].evidence[0]
        assert f"- **{first.ref}** {first.title}" in source
        pane = screen.query_one("#ac-pane")
        pane.scroll_to_widget(detail.query("MarkdownBulletList").last(), animate=False)
        await pilot.pause(0.2)
        shown = " ".join(screen_text(pilot.app).split())
        assert f"{first.ref} {first.title[:20]}" in shown
        assert "where " in shown
        await pilot.resize_terminal(200, 50)
        await wait_for(pilot, lambda: bool(detail.query(MarkdownTable)))
        assert "| Ref | Note | Where | Tagged |" in detail.source


async def test_at_200_columns_the_panes_grow_with_the_terminal(example: Path) -> None:
    async with make_app(example, poll=False).run_test(size=(200, 50)) as pilot:
        app = await _ready(pilot)
        await pilot.pause(0.3)
        units = app.screen.query_one("#units-column")
        summary = app.screen.query_one("#summary")
        assert summary.region.x > units.region.right  # side by side, not one narrow column
        assert "━" * 50 in screen_text(app)  # the bars use the room
        assert "Proposal summary: 362 words (up to 500, in-band)" in screen_text(app)
        screen = await _show_ac(pilot, "700/1.1")
        assert screen.query_one("#unit-side").size.width >= 70
        assert screen.query_one("#ac-pane").size.width >= 120


async def test_t_on_an_ac_picks_a_note_and_tags_it_there(example: Path) -> None:
    async with make_app(example, poll=False).run_test(size=(80, 24)) as pilot:
        app = await _ready(pilot)
        status = app.status
        assert status is not None
        proposal = next(r for r in status.portfolio.records.values() if r.ref == "E024")
        assert "700/1.1" not in {t.ac for t in proposal.tags}
        note = example / proposal.path
        before = note.read_bytes()
        await _show_ac(pilot, "700/1.1")
        assert "t Tag evidence" in _footer(pilot)
        await pilot.press("t")
        await wait_for(pilot, lambda: isinstance(app.screen, PickNoteModal))
        assert "Which note evidences 700/1.1 EXPLAIN?" in screen_text(app)
        await pilot.press(*"zzzz")
        await pilot.pause()
        assert "No note matches 'zzzz'" in screen_text(app)
        await pilot.press(*["backspace"] * 4, *"E024", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, TagModal))
        modal = app.screen
        assert isinstance(modal, TagModal)
        assert modal.chosen is not None and modal.chosen.id == "700/1.1"
        assert modal.focused is not None and modal.focused.id == "where"
        await pilot.press(*"slide 4", "ctrl+s")
        await wait_for(pilot, lambda: b"ac: 700/1.1" in note.read_bytes())
        tags = read_note_file(note).metadata["evidence"]
        assert {"ac": "700/1.1", "where": "slide 4"}.items() <= next(
            t for t in tags if t["ac"] == "700/1.1"
        ).items()
        after = note.read_bytes()
        assert after.startswith(before.split(b"\nevidence:")[0])


async def test_an_empty_portfolio_says_where_to_start(tmp_path: Path) -> None:
    from companion.cli.main import main

    root = tmp_path / "new"
    root.mkdir()
    assert (
        main(
            [
                "init",
                str(root),
                "--learner",
                "Sam Lee",
                "--start",
                "2026-09-01",
                "--gateway",
                "2028-03-01",
            ]
        )
        == 0
    )
    async with make_app(root, poll=False).run_test(size=(80, 24)) as pilot:
        app = await _ready(pilot)
        await pilot.pause(0.2)
        text = screen_text(app)
        assert "Start here" in text
        assert "press n and A to bring them in" in " ".join(text.split())
    async with make_app(copy_example(tmp_path / "ex"), poll=False).run_test(size=(80, 24)) as pilot:
        app = await _ready(pilot)
        await pilot.pause(0.2)
        assert "Start here" not in screen_text(app)


async def test_a_new_unit_assignment_asks_which_unit_and_is_counted(example: Path) -> None:
    from textual.widgets import Input, Select

    from companion.screens.new_note import NewNoteModal

    async with make_app(example, poll=False).run_test(size=(80, 24)) as pilot:
        app = await _ready(pilot)
        await pilot.press("n")
        await pilot.pause()
        await pilot.press("plus")
        await wait_for(pilot, lambda: isinstance(app.screen, NewNoteModal))
        modal = app.screen
        kind = modal.query_one("#type", Select)
        unit = modal.query_one("#unit", Select)
        assert kind.has_focus and not unit.display
        kind.value = "assignment"
        await pilot.pause()
        assert unit.display
        modal.query_one("#title", Input).focus()
        await pilot.press(*"Unit 703 draft", "enter")
        await pilot.pause()
        assert app.screen is modal  # no unit yet: asked, nothing written
        assert unit.has_focus
        assert not list(example.glob("notes/*unit-703-draft.md"))
        unit.value = "703"
        modal.query_one("#title", Input).focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen is not modal)
        (note,) = example.glob("notes/*unit-703-draft.md")
        assert 'unit: "703"' in note.read_text()
        await wait_for(
            pilot,
            lambda: app.status is not None and any(item.unit == "703" for item in app.status.words),
        )


async def test_the_highlighted_flag_is_shown_whole_below_the_tree_at_80_columns(
    example: Path,
) -> None:
    from companion.screens.flags import FlagsScreen

    async with make_app(example, poll=False).run_test(size=(80, 24)) as pilot:
        app = await _ready(pilot)
        status = app.status
        assert status is not None
        await pilot.press("f")
        await wait_for(pilot, lambda: isinstance(app.screen, FlagsScreen))
        tree = app.screen.query_one(Tree)
        await wait_for(pilot, lambda: tree.last_line > 0)
        longest = max(status.flags, key=lambda f: len(f.message))
        assert len(longest.message) > 80  # longer than a tree row can show
        line = next(
            n.line
            for n in (tree.get_node_at_line(i) for i in range(tree.last_line + 1))
            if n is not None and n.data and n.data[0] == "flag" and n.data[1] is longest
        )
        tree.cursor_line = line
        await pilot.pause(0.2)
        shown = " ".join(screen_text(app).split())
        assert " ".join(f"[{longest.code}] {longest.message}".split()) in shown


async def test_help_says_how_to_close_it_and_escape_does(example: Path) -> None:
    from companion.screens.help import HelpScreen

    async with make_app(example, poll=False).run_test(size=(80, 24)) as pilot:
        app = await _ready(pilot)
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        await pilot.pause(0.2)
        text = screen_text(app)
        assert "Escape, q or ? closes this help" in text
        assert "esc Close" in _footer(pilot)
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, HelpScreen))


async def test_the_first_run_screen_asks_what_the_rules_need_and_writes_it(
    tmp_path: Path,
) -> None:
    from textual.widgets import Input

    from companion.portfolio.profile import load_profile

    folder = tmp_path / "mine"
    app = make_app(None, poll=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: bool(app.screen.query("#age-at-start")))
        screen = app.screen
        await pilot.pause(0.2)
        footer = _footer(pilot)
        assert "esc Quit" in footer  # no portfolio yet: no keys that need one
        assert "Rescan" not in footer and "screens" not in footer
        values = {
            "folder": str(folder),
            "learner": "Sam Lee",
            "start": "2026-09-01",
            "gateway": "2028-03-01",
            "hours-per-week": "37.5",
            "age-at-start": "nine",
        }
        for key, value in values.items():
            screen.query_one(f"#{key}", Input).value = value
        screen.query_one("#create").focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: any(app._notifications))
        assert "'age_at_start' must be your age in whole years" in " ".join(
            n.message for n in app._notifications
        )
        assert not (folder / "companion.yaml").exists()
        screen.query_one("#age-at-start", Input).value = "34"
        create = screen.query_one("#create")
        screen.scroll_to_widget(create, animate=False)
        await pilot.pause()
        assert screen.region.contains_region(create.region)  # reachable at 80x24
        create.focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: (folder / "companion.yaml").exists())
        await wait_for(pilot, lambda: app.status is not None)
        await pilot.pause(0.3)
        assert "Start here" in screen_text(app)
        assert "r Rescan" in _footer(pilot)
    profile = load_profile(folder)
    assert (
        profile.planned_gateway is not None and profile.planned_gateway.isoformat() == "2028-03-01"
    )
    assert profile.programme.hours_per_week == 37 * 60 + 30
    assert profile.programme.age_at_start == 34


async def test_typing_on_the_proposal_screen_adds_to_the_title_and_never_replaces_it(
    example: Path,
) -> None:
    from textual.widgets import Input

    from companion.screens.proposal import ProposalScreen

    async with make_app(example, poll=False).run_test(size=(80, 24)) as pilot:
        app = await _ready(pilot)
        await pilot.press("p")
        await wait_for(pilot, lambda: isinstance(app.screen, ProposalScreen))
        title = app.screen.query_one("#proposal-title", Input)
        await wait_for(pilot, lambda: bool(title.value))
        before = title.value
        assert title.has_focus
        await pilot.press(*" (draft)")
        assert title.value == before + " (draft)"
