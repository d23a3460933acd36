"""Pilot tests for the gateway readiness screen and the proposal summary planner."""

from __future__ import annotations

from pathlib import Path

import pytest
from pilot_support import wait_for
from textual.content import Content
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Label, Static, TextArea

from companion.screens.choose import ChoiceModal
from companion.screens.dashboard import DashboardScreen
from companion.screens.gateway import GatewayScreen
from companion.screens.proposal import ProposalScreen
from companion.ui.app import CompanionApp, make_app

SIZE = (170, 50)
SUMMARY = "proposal/summary.md"


@pytest.fixture
def portfolio(tmp_path: Path) -> Path:
    root = tmp_path / "p"
    (root / "notes").mkdir(parents=True)
    (root / "companion.yaml").write_text(
        "learner: Sam Lee\nprogramme_start: 2025-01-06\nplanned_gateway: 2027-01-06\n"
        "english_maths_level2: true\n"
    )
    (root / "notes" / "plan.md").write_text(
        "---\ntitle: Project plan\nref: E001\ndate: 2025-06-01\nlearner: Sam Lee\n"
        "type: project-plan\nevidence:\n- ac: 700/1.1\n  where: p1\n---\nThe plan.\n"
    )
    return root


def _app(root: Path) -> CompanionApp:
    return make_app(root, poll=False)


def _text(widget: Static | Label) -> str:
    """What the widget shows, without markup."""
    return Content.from_markup(str(widget.content)).plain


async def _open(pilot: Pilot, key: str, screen_type: type) -> None:
    await wait_for(pilot, lambda: pilot.app.status is not None)
    await pilot.press(key)
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, screen_type))
    await pilot.pause()


async def test_gateway_screen_lists_every_item_with_its_verdict(portfolio: Path) -> None:
    async with _app(portfolio).run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: pilot.app.status is not None)
        await pilot.pause()
        dashboard = _text(pilot.app.screen.query_one("#gateway-summary", Static))
        assert dashboard == "Gateway: 5 items block it (press g for the checklist)"
        await _open(pilot, "g", GatewayScreen)
        screen = pilot.app.screen
        verdict = _text(screen.query_one("#gateway-verdict", Static))
        assert "Not ready for gateway" in verdict and "items block it" in verdict
        table = screen.query_one(DataTable)
        assert table.row_count == 13
        row = table.get_row("employer-statement")
        assert (str(row[0]), str(row[1])) == ("✖ fail", "Employer's statement recorded")
        assert str(table.get_row("english-maths")[0]) == "✔ pass"
        await pilot.press("down", "down", "down")
        reason = _text(screen.query_one("#gateway-reason", Static))
        assert "No error flags" in reason


async def test_gateway_follows_changes_to_the_profile(portfolio: Path) -> None:
    async with _app(portfolio).run_test(size=SIZE) as pilot:
        await _open(pilot, "g", GatewayScreen)
        table = pilot.app.screen.query_one(DataTable)
        assert str(table.get_row("english-maths")[0]) == "✔ pass"
        profile = portfolio / "companion.yaml"
        profile.write_text(profile.read_text().replace("english_maths_level2: true", ""))
        await pilot.press("r")
        await wait_for(pilot, lambda: str(table.get_row("english-maths")[0]) == "✖ fail")


async def test_plan_and_save_the_summary_by_keys(portfolio: Path) -> None:
    async with _app(portfolio).run_test(size=SIZE) as pilot:
        await _open(pilot, "p", ProposalScreen)
        screen = pilot.app.screen
        assert "(not written yet)" in _text(screen.query_one("#proposal-file", Static))
        await pilot.click("#proposal-title")
        await pilot.press(*"Repairs scheduling")
        await pilot.press("tab")
        assert screen.query_one("#section-problem", TextArea).has_focus
        await pilot.press(*"Missed repair visits cost money")
        await pilot.pause()
        label = _text(screen.query_one("#label-problem", Label))
        assert "5 words" in label
        count = _text(screen.query_one("#proposal-count", Static))
        assert count.startswith("8 / 500 words (492 left)")  # 5 words + the heading's 3
        assert "unsaved changes" in count
        await pilot.press("ctrl+s")
        path = portfolio / SUMMARY
        await wait_for(pilot, path.exists)
        text = path.read_text()
        assert "title: Repairs scheduling\n" in text
        assert "## Problem or opportunity\n\nMissed repair visits cost money\n" in text
        await wait_for(pilot, lambda: not screen.dirty)
        assert "unsaved" not in _text(screen.query_one("#proposal-count", Static))


async def test_counter_turns_red_past_the_cap_and_reopening_keeps_the_text(
    portfolio: Path,
) -> None:
    (portfolio / "proposal").mkdir()
    words = " ".join(["word"] * 499)
    (portfolio / SUMMARY).write_text(
        f"---\ntitle: Big plan\nnote: mine\n---\n\n## Options\n\n{words}\n\n## Extra\n\nkept\n"
    )
    before = (portfolio / SUMMARY).read_bytes()
    async with _app(portfolio).run_test(size=SIZE) as pilot:
        await _open(pilot, "p", ProposalScreen)
        screen = pilot.app.screen
        assert screen.query_one("#proposal-title", Input).value == "Big plan"
        assert screen.query_one("#section-options", TextArea).text == words
        count = screen.query_one("#proposal-count", Static)
        # 499 words, the two headings and the 'kept' under the learner's own heading
        assert _text(count).startswith("502 / 500 words (over the limit)")
        assert count.has_class("over")
        await pilot.press("ctrl+s")  # nothing changed: nothing written
        await pilot.pause(0.3)
        assert (portfolio / SUMMARY).read_bytes() == before
        screen.query_one("#section-options", TextArea).focus()
        await pilot.press("f7", "backspace", *"Two options")  # select all, delete, type
        await pilot.pause()
        assert not count.has_class("over")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: b"Two options" in (portfolio / SUMMARY).read_bytes())
    assert (portfolio / SUMMARY).read_text() == (
        "---\ntitle: Big plan\nnote: mine\n---\n\n## Options\n\nTwo options\n\n## Extra\n\nkept\n"
    )


async def test_a_file_changed_on_disk_is_not_overwritten(portfolio: Path) -> None:
    (portfolio / "proposal").mkdir()
    path = portfolio / SUMMARY
    path.write_text("---\ntitle: Plan\n---\n\n## Risks\n\nSome.\n")
    async with _app(portfolio).run_test(size=SIZE) as pilot:
        await _open(pilot, "p", ProposalScreen)
        screen = pilot.app.screen
        screen.query_one("#section-risks", TextArea).focus()
        await pilot.press("end", *" More")
        path.write_text("---\ntitle: Plan\n---\n\n## Risks\n\nEdited elsewhere.\n")
        await pilot.press("ctrl+s")
        await wait_for(
            pilot,
            lambda: any("changed on disk" in str(n.message) for n in pilot.app._notifications),
        )
        assert path.read_text().endswith("Edited elsewhere.\n")
        assert screen.dirty  # the learner's edits are still in the form
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ChoiceModal))
        await pilot.press("escape")  # stay: nothing is thrown away
        await pilot.pause()
        assert screen.query_one("#section-risks", TextArea).text == "Some. More"
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ChoiceModal))
        await pilot.click("#choice-discard")
        await pilot.pause()
        assert screen.query_one("#section-risks", TextArea).text == "Edited elsewhere."


async def test_escape_leaves_the_text_so_screen_keys_work(portfolio: Path) -> None:
    async with _app(portfolio).run_test(size=SIZE) as pilot:
        await _open(pilot, "p", ProposalScreen)
        screen = pilot.app.screen
        area = screen.query_one("#section-risks", TextArea)
        area.focus()
        await pilot.press(*"dX")
        assert area.text == "dX"  # typed, not taken as keys
        await pilot.press("escape")
        assert not area.has_focus
        await pilot.press("d")  # now the Dashboard key: unsaved text makes it ask first
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ChoiceModal))
        await pilot.press("escape")
        await pilot.pause()
        assert pilot.app.screen is screen and area.text == "dX"


@pytest.mark.parametrize("answer", ["save", "discard"])
async def test_leaving_with_unsaved_text_asks_save_or_discard(portfolio: Path, answer: str) -> None:
    (portfolio / "proposal").mkdir()
    path = portfolio / SUMMARY
    path.write_text("---\ntitle: Plan\n---\n\n## Risks\n\nSome.\n")
    async with _app(portfolio).run_test(size=SIZE) as pilot:
        await _open(pilot, "p", ProposalScreen)
        screen = pilot.app.screen
        screen.query_one("#section-risks", TextArea).focus()
        await pilot.press("end", *" More", "escape", "d")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ChoiceModal))
        await pilot.click(f"#choice-{answer}")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, DashboardScreen))
    saved = path.read_text()
    assert saved.endswith("Some. More\n" if answer == "save" else "Some.\n")


async def test_quitting_with_unsaved_text_asks_first(portfolio: Path) -> None:
    app = _app(portfolio)
    async with app.run_test(size=SIZE) as pilot:
        await _open(pilot, "p", ProposalScreen)
        pilot.app.screen.query_one("#section-risks", TextArea).focus()
        await pilot.press(*"Unsaved", "escape", "q")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ChoiceModal))
        await pilot.press("escape")
        await pilot.pause()
        assert app.is_running and isinstance(pilot.app.screen, ProposalScreen)


async def test_unreadable_summary_is_reported_not_a_crash(portfolio: Path) -> None:
    (portfolio / "proposal").mkdir()
    (portfolio / SUMMARY).write_text("---\ntitle: [broken\n---\n")
    async with _app(portfolio).run_test(size=SIZE) as pilot:
        await _open(pilot, "p", ProposalScreen)
        shown = _text(pilot.app.screen.query_one("#proposal-file", Static))
        assert "cannot be read" in shown and "not valid YAML" in shown
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert (portfolio / SUMMARY).read_text() == "---\ntitle: [broken\n---\n"


async def test_export_screen_writes_the_matrix_and_the_progress_export(portfolio: Path) -> None:
    from docx import Document

    from companion.screens.export import ExportScreen

    exports = portfolio.parent / "p-exports"
    async with _app(portfolio).run_test(size=SIZE) as pilot:
        await _open(pilot, "X", ExportScreen)
        screen = pilot.app.screen
        path = screen.query_one("#export-path", Input)
        assert path.value == str(exports / "sam-lee-matrix.docx")
        await pilot.press("ctrl+s")
        await wait_for(
            pilot, lambda: "Written" in _text(screen.query_one("#export-result", Static))
        )
        document = Document(str(exports / "sam-lee-matrix.docx"))
        assert document.tables[1].rows[2].cells[1].text == "E001 Project plan, p1"
        # choose the progress export with the keyboard
        screen.query_one("#export-kind").focus()
        await pilot.press("enter", "down", "down", "enter")
        await pilot.pause()
        assert path.value == str(exports / "sam-lee-progress.json")
        await pilot.click("#export-button")
        await wait_for(pilot, (exports / "sam-lee-progress.html").exists)
        assert (
            (exports / "sam-lee-progress.json")
            .read_text()
            .startswith('{\n  "schema": "companion.progress/2"')
        )
        # a path inside the portfolio that would be read as a note is refused, and said so
        path.value = str(portfolio / "notes" / "plan.md")
        await pilot.press("ctrl+s")
        await wait_for(
            pilot, lambda: "Not written" in _text(screen.query_one("#export-result", Static))
        )
        assert (portfolio / "notes" / "plan.md").read_text().endswith("The plan.\n")
        # so is one of the learner's own files there
        mine = portfolio / "notes" / "assignment.json"
        mine.write_text('{"mine": true}')
        path.value = str(mine)
        await pilot.press("ctrl+s")
        await wait_for(
            pilot, lambda: "a file of yours" in _text(screen.query_one("#export-result", Static))
        )
        assert mine.read_text() == '{"mine": true}'


async def test_export_screen_asks_before_replacing_a_file_it_did_not_write(
    portfolio: Path, tmp_path: Path
) -> None:
    from docx import Document

    from companion.screens.export import ExportScreen

    other = tmp_path / "report.docx"
    other.write_bytes(b"somebody's report")
    async with _app(portfolio).run_test(size=SIZE) as pilot:
        await _open(pilot, "X", ExportScreen)
        screen = pilot.app.screen
        result = screen.query_one("#export-result", Static)
        screen.query_one("#export-path", Input).value = str(other)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ChoiceModal))
        question = _text(pilot.app.screen.query_one("#choice-question", Static))
        assert question == f"{other} already exists, and companion did not write it. Replace it?"
        await pilot.press("escape")  # keep it
        await wait_for(pilot, lambda: pilot.app.screen is screen)
        assert other.read_bytes() == b"somebody's report" and _text(result) == ""
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ChoiceModal))
        await pilot.click("#choice-replace")
        await wait_for(pilot, lambda: "Written" in _text(result))
        assert Document(str(other)).tables
        result.update("")
        await pilot.press("ctrl+s")  # its own export now: written again without asking
        await wait_for(pilot, lambda: "Written" in _text(result))
        assert not isinstance(pilot.app.screen, ChoiceModal)
    assert Document(str(other)).tables


async def test_export_screen_makes_the_bundle_a_draft_only_when_asked(tmp_path: Path) -> None:
    import zipfile

    from textual.widgets import Checkbox

    from companion.portfolio.example import copy_example
    from companion.screens.export import ExportScreen

    root = copy_example(tmp_path / "example")
    bundle = tmp_path / "example-exports" / "alex-morgan-bundle.zip"
    async with _app(root).run_test(size=(80, 24)) as pilot:
        await _open(pilot, "X", ExportScreen)
        screen = pilot.app.screen
        draft = screen.query_one("#draft", Checkbox)
        assert not draft.display
        screen.query_one("#export-kind").focus()
        await pilot.press("enter", "down", "down", "down", "enter")
        await pilot.pause()
        assert screen.query_one("#export-path", Input).value == str(bundle)
        assert draft.display and not draft.value
        assert not screen.query_one("#export-format").display  # one format: no choice shown
        assert not screen.query_one("#format-title").display
        await pilot.press("ctrl+s")  # gateway is blocked: refused, and said why
        result = screen.query_one("#export-result", Static)
        await wait_for(pilot, lambda: "Not written" in _text(result))
        said = " ".join(_text(result).split())
        from companion.assessment.gateway import blocking, gateway_check

        blocked = blocking(gateway_check(pilot.app.status))
        assert len(blocked) == 4
        assert said.startswith("Not written: gateway is blocked by 4 items: ")
        for item in blocked:  # every item, not the first three
            assert item.label in said
        assert said.endswith(
            "Fix them, or tick 'Make it as a draft' above to share it as it stands"
        )
        assert "--draft" not in said
        assert not bundle.exists()
        draft.focus()
        await pilot.press("space")
        assert draft.value
        screen.scroll_to_widget(draft)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "Written" in _text(result))
        with zipfile.ZipFile(bundle) as archive:
            assert b'"draft": true' in archive.read("MANIFEST.json")


async def test_export_screen_asks_for_a_file_name_and_escape_leaves_the_path(
    tmp_path: Path,
) -> None:
    from companion.portfolio.example import copy_example
    from companion.screens.export import ExportScreen
    from companion.screens.units import UnitsScreen

    root = copy_example(tmp_path / "example")
    async with _app(root).run_test(size=(80, 24)) as pilot:
        await _open(pilot, "X", ExportScreen)
        screen = pilot.app.screen
        path = screen.query_one("#export-path", Input)
        path.focus()
        path.value = ""
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(pilot.app.screen, ChoiceModal)  # no "replace '.'?"
        notices = [n.message for n in pilot.app._notifications]
        assert "Say where to save it: type a file name under 'Save to'" in notices
        assert path.has_focus
        await pilot.press(*str(tmp_path), "ctrl+s")  # a folder
        await pilot.pause()
        assert f"{tmp_path} is a folder: add a file name to it under 'Save to'" in [
            n.message for n in pilot.app._notifications
        ]
        await pilot.press("escape")
        assert not path.has_focus
        await pilot.press("u")  # the screen's keys work again, nothing typed into the path
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, UnitsScreen))
        assert path.value == str(tmp_path)


async def test_a_section_holding_terminal_escapes_is_drawn_without_them_and_kept(
    portfolio: Path,
) -> None:
    from pilot_support import acts_on_terminal, terminal_output

    (portfolio / "proposal").mkdir()
    hostile = "Cut waste\x1b]0;retitled\x07 now\x1b[2J."
    (portfolio / SUMMARY).write_text(
        f"---\ntitle: Plan\n---\n\n## Options\n\n{hostile}\n", encoding="utf-8"
    )
    before = (portfolio / SUMMARY).read_bytes()
    async with _app(portfolio).run_test(size=SIZE) as pilot:
        await _open(pilot, "p", ProposalScreen)
        screen = pilot.app.screen
        assert screen.query_one("#section-options", TextArea).text == hostile
        assert acts_on_terminal(terminal_output(pilot.app)) == []
        assert "Cut waste]0;retitled now[2J." in terminal_output(pilot.app)
        await pilot.press("ctrl+s")  # nothing changed: nothing written, the text as it was
        await pilot.pause(0.3)
    assert (portfolio / SUMMARY).read_bytes() == before


async def test_typing_on_entering_the_planner_goes_into_the_form(portfolio: Path) -> None:
    async with _app(portfolio).run_test(size=(80, 24)) as pilot:
        await _open(pilot, "p", ProposalScreen)
        screen = pilot.app.screen
        await pilot.press(*"Our problem")  # u, o and d are screen keys elsewhere
        assert pilot.app.screen is screen
        assert screen.query_one("#proposal-title", Input).value == "Our problem"


async def test_a_2026_27_start_sees_gateway_to_completion(portfolio: Path) -> None:
    profile = portfolio / "companion.yaml"
    profile.write_text(
        profile.read_text()
        .replace("programme_start: 2025-01-06", "programme_start: 2026-08-03")
        .replace("planned_gateway: 2027-01-06", "planned_gateway: 2027-08-02")
    )
    async with _app(portfolio).run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: pilot.app.status is not None)
        await pilot.pause()
        dashboard = _text(pilot.app.screen.query_one("#gateway-summary", Static))
        assert dashboard.startswith("Gateway (gateway to completion): ")
        await _open(pilot, "g", GatewayScreen)
        screen = pilot.app.screen
        assert screen.title == "Gateway (gateway to completion)"
        verdict = _text(screen.query_one("#gateway-verdict", Static))
        assert verdict.startswith("Not ready for gateway (gateway to completion):")
