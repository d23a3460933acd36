"""Pilot tests of tutor mode: the cohort table and deciding on an apprentice's ACs by keys."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from known import present
from pilot_support import opened, wait_for
from rich.text import Text
from textual.pilot import Pilot
from textual.widgets import Button, DataTable, Markdown, Static, TextArea, Tree

from companion.assessment.status import build_status
from companion.content.load import load_content
from companion.exports.progress import progress_document
from companion.portfolio.example import copy_example
from companion.portfolio.portfolio import Portfolio
from companion.review.feedback import feedback_path
from companion.screens.cohort import CohortScreen
from companion.screens.review_learner import LearnerReviewScreen
from companion.ui.review_app import ReviewApp

SIZE = (160, 48)
HOSTILE = "[@click=app.quit]Eve[/] <b>x</b> ![i](http://evil/)"


def _cohort(pilot: Pilot[Any]) -> CohortScreen:
    """The cohort table the pilot shows."""
    screen = pilot.app.screen
    assert isinstance(screen, CohortScreen)
    return screen


@pytest.fixture(scope="module")
def export_data(tmp_path_factory: pytest.TempPathFactory) -> dict:
    root = copy_example(tmp_path_factory.mktemp("ex") / "example")
    portfolio = Portfolio(root, load_content(), use_store=False)
    portfolio.scan()
    return progress_document(build_status(portfolio))


@pytest.fixture
def cohort(tmp_path: Path, export_data: dict) -> Path:
    folder = tmp_path / "cohort"
    folder.mkdir()
    (folder / "alex.json").write_text(json.dumps(export_data), encoding="utf-8")
    other = json.loads(json.dumps(export_data))
    other["learner"]["name"] = HOSTILE
    other["summary"]["errors"] = 0
    other["units"][0]["criteria"][0]["evidence"][0]["title"] = HOSTILE
    (folder / "eve.json").write_text(json.dumps(other), encoding="utf-8")
    (folder / "broken.json").write_text('{"schema": "companion.progress/1", "lear')
    return folder


def _table_text(table: DataTable) -> list[list[str]]:
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


def _cell(table: DataTable, row: int, key: str) -> Text:
    return table.get_row_at(row)[table.get_column_index(key)]


async def _loaded(pilot: Pilot) -> DataTable:
    await wait_for(
        pilot,
        lambda: isinstance(pilot.app.screen, CohortScreen) and pilot.app.screen.cohort is not None,
    )
    await pilot.pause()
    return pilot.app.screen.query_one(DataTable)


async def test_a_cohort_of_one_is_one_apprentice(cohort: Path) -> None:
    async with ReviewApp([cohort / "alex.json"]).run_test(size=SIZE) as pilot:
        await _loaded(pilot)
        status = str(pilot.app.screen.query_one("#cohort-status", Static).content)
        assert status == "1 apprentice · sorted by learner ↑"


async def test_cohort_lists_everyone_and_sorts(cohort: Path) -> None:
    async with ReviewApp([cohort]).run_test(size=SIZE) as pilot:
        table = await _loaded(pilot)
        rows = _table_text(table)
        assert [r[0] for r in rows[:2]] == [HOSTILE, "Alex Morgan"]  # shown as typed, "[" < "A"
        assert rows[2][0].startswith("broken.json: not valid JSON")
        status = str(pilot.app.screen.query_one("#cohort-status", Static).content)
        assert "2 apprentices, 1 file(s) could not be read · sorted by learner" in status
        await pilot.press("s", "s", "s")  # learner → sufficient → pd_ksbs → errors
        assert _cohort(pilot).sort_key == "errors"
        assert [r[0] for r in _table_text(table)[:2]] == [HOSTILE, "Alex Morgan"]
        await pilot.press("v")
        assert [r[0] for r in _table_text(table)[:2]] == ["Alex Morgan", HOSTILE]
        assert str(_cell(table, 0, "errors")) == "5"
        await pilot.press("down", "down", "enter")  # the broken file: a message, no screen
        await pilot.pause()
        assert isinstance(pilot.app.screen, CohortScreen)
        assert pilot.app.is_running


def _export_with_notes(root: Path, folder: Path) -> None:
    """The progress export of the portfolio at ``root``, with the notes' text, in ``folder``."""
    portfolio = Portfolio(root, load_content(), use_store=False)
    portfolio.scan()
    folder.mkdir()
    data = progress_document(build_status(portfolio), with_notes=True)
    (folder / "alex.json").write_text(json.dumps(data), encoding="utf-8")


async def _open_first(pilot: Pilot) -> LearnerReviewScreen:
    """Open the first apprentice in the cohort and return their review screen."""
    await _loaded(pilot)
    return await opened(pilot, "enter", LearnerReviewScreen)


async def test_decide_by_keys_and_save_beside_the_export(cohort: Path) -> None:
    async with ReviewApp([cohort / "alex.json"]).run_test(size=SIZE) as pilot:
        screen = await _open_first(pilot)
        tree = screen.query_one(Tree)
        await pilot.press("enter", "down")  # expand unit 700, then AC 1.1
        await pilot.pause()
        assert present(tree.cursor_node).data == ("ac", "700/1.1")
        detail = screen.query_one("#review-detail", Markdown).source
        assert "**700/1.1**" in detail and "| E006 |" in detail
        await pilot.press("1", "e")
        await pilot.press(*"Two models applied")
        await pilot.pause()
        assert "unsaved" in str(screen.query_one("#save-state", Static).content)
        await pilot.press("ctrl+s")
        await pilot.pause()
        saved = json.loads(feedback_path(cohort / "alex.json").read_text(encoding="utf-8"))
        assert saved["criteria"]["700/1.1"]["decision"] == "pass"
        assert saved["criteria"]["700/1.1"]["feedback"] == "Two models applied"
        assert str(present(tree.cursor_node).label).startswith("✔ 1.1")
        await pilot.press("escape")  # leave the text box
        await pilot.press("down", "2")  # AC 1.2: Referral, saved on leaving
        await pilot.pause()
        # the Referral is on the AC's first line and in the tree, in words
        assert screen.query_one("#review-detail", Markdown).source.splitlines()[0] == (
            "# ✘ ANALYSE — REFERRAL"
        )
        assert str(present(tree.cursor_node).label) == "✘ 1.2 Analyse · Referral"
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, CohortScreen))
        table = pilot.app.screen.query_one(DataTable)
        assert [str(_cell(table, 0, key)) for key in ("referrals", "changed", "reviewed")] == [
            "700/1.2",
            "",
            "1 Pass, 1 Referral",
        ]
        assert [str(span.style) for span in _cell(table, 0, "referrals").spans] == ["bold red"]
    saved = json.loads(feedback_path(cohort / "alex.json").read_text(encoding="utf-8"))
    assert saved["criteria"]["700/1.2"]["decision"] == "referral"
    exported = json.loads((cohort / "alex.json").read_text(encoding="utf-8"))
    assert "criteria" not in exported  # the export itself is never written


async def test_unit_comments_and_results_sheets(cohort: Path) -> None:
    async with ReviewApp([cohort / "alex.json"]).run_test(size=SIZE) as pilot:
        screen = await _open_first(pilot)
        assert screen.target == ("unit", "700")
        assert "Your decisions: 0 Pass" in screen.query_one("#review-detail", Markdown).source
        await pilot.press("e", *"Resubmit 1.3", "escape", "R")
        await pilot.pause()
        # no assessor or centre yet: the details are asked for, and the sheets follow
        await pilot.press("ctrl+s")
        await wait_for(pilot, (cohort / "alex.results.docx").exists)
    out = cohort / "alex.results.docx"
    word = Document(str(out))
    assert word.paragraphs[0].text == "Results Sheet: 700 Building a High Performance Team"
    assert len(word.sections) == 7  # a sheet per unit, each from a new page
    comments = [t for t in word.tables if t.rows[0].cells[0].text.startswith("Assessor’s comm")]
    assert comments[0].rows[0].cells[1].text == "Resubmit 1.3"


async def test_hostile_text_is_shown_not_run(cohort: Path) -> None:
    async with ReviewApp([cohort / "eve.json"]).run_test(size=SIZE) as pilot:
        screen = await _open_first(pilot)
        await pilot.press("enter", "down")
        await pilot.pause()
        detail = screen.query_one("#review-detail", Markdown)
        assert "\\[@click\\=app.quit\\]Eve" in detail.source
        assert "![i](http" not in detail.source
        await pilot.click("#review-detail")
        await pilot.pause()
        assert pilot.app.is_running
        assert str(screen.query_one(Tree).root.label) == HOSTILE


async def test_save_refused_when_the_file_changed_meanwhile(cohort: Path) -> None:
    path = feedback_path(cohort / "alex.json")
    async with ReviewApp([cohort / "alex.json"]).run_test(size=SIZE) as pilot:
        await _open_first(pilot)
        await pilot.press("enter", "down", "1")
        path.write_text('{"someone": "else"}')
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert path.read_text() == '{"someone": "else"}'
        assert "unsaved" in str(pilot.app.screen.query_one("#save-state", Static).content)
        await pilot.press("escape")  # cannot save: stays on the screen
        await pilot.pause()
        assert isinstance(pilot.app.screen, LearnerReviewScreen)
        assert pilot.app.screen.query_one(TextArea) is not None


async def test_the_tutor_reads_the_evidence_from_where_the_tag_points(
    tmp_path: Path, export_data: dict
) -> None:
    from textual.widgets import OptionList

    from companion.screens.review_evidence import EvidenceScreen

    root = copy_example(tmp_path / "example")
    _export_with_notes(root, tmp_path / "cohort")
    async with ReviewApp([tmp_path / "cohort"]).run_test(size=(80, 24)) as pilot:
        screen = await _open_first(pilot)
        await pilot.press("enter", *["down"] * 8)  # unit 700, then AC 2.3
        await pilot.pause()
        assert present(screen.query_one(Tree).cursor_node).data == ("ac", "700/2.3")
        assert "Press **v** to read the evidence" in screen.query_one(Markdown).source
        await pilot.press("v")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, EvidenceScreen))
        await pilot.pause()
        reader = pilot.app.screen
        listing = reader.query_one(OptionList)
        assert [str(listing.get_option_at_index(i).prompt) for i in range(2)] == [
            "E023 360-degree feedback results and team action plan — pp1-2 s1-2",
            "E020 My reflections on leading the depot restructure — paras 1-3 — NOT COUNTED",
        ]
        place = reader.query_one("#evidence-place", Static)
        assert str(place.content) == (
            "'pp1-2 s1-2': section 1 ('1. The feedback I received'), line 6."
        )
        area = reader.query_one(TextArea)
        assert area.selected_text.startswith("## 1. The feedback I received")
        assert area.scroll_offset.y > 0  # the section is brought to the top
        assert (
            area.text
            == (root / "evidence" / "18-feedback-and-challenge.md").read_text().split("---\n", 2)[2]
        )
        await pilot.press("n")
        await pilot.pause()
        assert str(place.content).startswith("'paras 1-3': paragraph 1, line 4. Not counted:")
        assert area.selected_text.startswith("Looking back, I feel the restructure went better")
        await pilot.press("escape")
        await wait_for(pilot, lambda: pilot.app.screen is screen)


async def test_without_the_notes_text_the_tutor_is_told_how_to_get_it(cohort: Path) -> None:
    async with ReviewApp([cohort / "alex.json"]).run_test(size=SIZE) as pilot:
        screen = await _open_first(pilot)
        await pilot.press("enter", "down")
        await pilot.pause()
        assert "made without the notes' text" in screen.query_one(Markdown).source
        await pilot.press("v")
        await pilot.pause()
        assert pilot.app.screen is screen
        (notice,) = pilot.app._notifications
        assert "companion export progress --with-notes" in notice.message


async def test_assessor_and_centre_are_set_once_for_the_cohort_in_the_app(cohort: Path) -> None:
    from textual.widgets import Input

    from companion.review.cohort_details import COHORT_FILE, read_details
    from companion.screens.review_details import DetailsModal

    async with ReviewApp([cohort]).run_test(size=(80, 24)) as pilot:
        await _loaded(pilot)
        line = pilot.app.screen.query_one("#cohort-details", Static)
        assert str(line.content) == "Results Sheets: assessor and centre not set (press a)"
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, DetailsModal))
        await pilot.press(*"Dr R. Shah", "tab", *"Northgate College", "tab", *"0123")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, CohortScreen))
        assert read_details(cohort).centre_number == "0123"
        assert str(line.content) == "Results Sheets: Dr R. Shah · Northgate College (0123)"
        # an apprentice's sheet asks only for what is missing: their registration number
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, LearnerReviewScreen))
        await pilot.pause()
        assert "Results Sheet: assessor Dr R. Shah" in pilot.app.screen.query_one(Markdown).source
        await pilot.press("R")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, DetailsModal))
        modal = pilot.app.screen
        assert modal.query_one("#assessor", Input).value == "Dr R. Shah"
        assert str(modal.query_one("#details-save", Button).label) == "Save and write the sheets"
        modal.query_one("#registration", Input).focus()
        await pilot.press(*"ILM-77")
        await pilot.press("escape")  # typed text is not thrown away without asking
        await pilot.pause()
        await pilot.press("enter")  # "Keep editing" has the focus
        await pilot.pause()
        assert pilot.app.screen is modal
        await pilot.press("ctrl+s")
        results = cohort / "alex.results.docx"
        await wait_for(pilot, results.exists)
    saved = json.loads(feedback_path(cohort / "alex.json").read_text(encoding="utf-8"))
    assert (saved["assessor"], saved["centre_number"], saved["learner_registration"]) == (
        "Dr R. Shah",
        "0123",
        "ILM-77",
    )
    header = {r.cells[0].text: r.cells[1].text for r in Document(str(results)).tables[0].rows}
    assert header["Learner Registration:"] == "ILM-77"
    assert header["Centre Name:"] == "Northgate College"
    assert (cohort / COHORT_FILE).is_file()


async def test_evidence_text_holding_terminal_escapes_never_reaches_the_terminal(
    tmp_path: Path,
) -> None:
    from pilot_support import acts_on_terminal, terminal_output

    from companion.screens.review_evidence import EvidenceScreen

    root = copy_example(tmp_path / "example")
    note = root / "evidence" / "18-feedback-and-challenge.md"
    text = note.read_text(encoding="utf-8")
    note.write_text(
        text.replace("## 1. The feedback I received", "## 1. The feedback\x1b]0;owned\x07\x1b[2J"),
        encoding="utf-8",
    )
    _export_with_notes(root, tmp_path / "cohort")
    async with ReviewApp([tmp_path / "cohort"]).run_test(size=(80, 24)) as pilot:
        await _open_first(pilot)
        await pilot.press("enter", *["down"] * 8, "v")  # unit 700, AC 2.3, its evidence
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, EvidenceScreen))
        await pilot.pause()
        assert "\x1b]0;owned" in pilot.app.screen.query_one(TextArea).text
        assert acts_on_terminal(terminal_output(pilot.app)) == []


async def test_details_dialog_types_into_the_empty_registration_and_saves_at_80x24(
    cohort: Path,
) -> None:
    from textual.widgets import Input

    from companion.review.cohort_details import CohortDetails, save_details
    from companion.screens.review_details import DetailsModal

    save_details(cohort, CohortDetails("Dr R. Shah", "Northgate College", "0123"))
    async with ReviewApp([cohort]).run_test(size=(80, 24)) as pilot:
        await _loaded(pilot)
        await pilot.press("down", "enter")  # Alex Morgan
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, LearnerReviewScreen))
        await pilot.pause()
        await pilot.press("R")  # the sheets need the registration: the dialog asks for it
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, DetailsModal))
        await pilot.pause()
        modal = pilot.app.screen
        registration = modal.query_one("#registration", Input)
        assessor = modal.query_one("#assessor", Input)
        assert registration.has_focus  # the first empty field, not the filled-in assessor
        assert assessor.selection.is_empty and assessor.cursor_position == len(assessor.value)
        await pilot.press(*"ILM-77")
        assert (registration.value, assessor.value) == ("ILM-77", "Dr R. Shah")
        save = modal.query_one("#details-save")
        cancel = modal.query_one("#details-cancel")
        screen = pilot.app.screen.region
        assert screen.contains_region(save.region) and screen.contains_region(cancel.region)
        await pilot.press("tab")  # from the last field to Save
        assert save.has_focus
        await pilot.press("enter")
        results = cohort / "alex.results.docx"
        await wait_for(pilot, results.exists)
    header = {r.cells[0].text: r.cells[1].text for r in Document(str(results)).tables[0].rows}
    assert header["Learner Registration:"] == "ILM-77"
    assert header["Assessor:"] == "Dr R. Shah"
    assert header["Centre Number:"] == "0123"


async def test_details_dialog_never_selects_a_filled_in_value(cohort: Path) -> None:
    from textual.widgets import Input

    from companion.review.cohort_details import CohortDetails, save_details
    from companion.screens.review_details import DetailsModal

    save_details(cohort, CohortDetails("Dr R. Shah", "", "0123"))
    async with ReviewApp([cohort]).run_test(size=(80, 24)) as pilot:
        await _loaded(pilot)
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, DetailsModal))
        await pilot.pause()
        modal = pilot.app.screen
        assert modal.query_one("#centre_name", Input).has_focus  # the first empty field
        await pilot.press(*"Northgate College", "tab", *"4")  # on into the filled-in number
        assert modal.query_one("#centre_number", Input).value == "01234"
        assert modal.query_one("#assessor", Input).value == "Dr R. Shah"


async def test_at_200_columns_the_tree_grows_so_outcomes_are_read_whole(cohort: Path) -> None:
    async with ReviewApp([cohort / "alex.json"]).run_test(size=(200, 50)) as pilot:
        screen = await _open_first(pilot)
        await pilot.pause()
        tree = screen.query_one("#review-tree")
        assert tree.size.width >= 70
        assert screen.query_one("#review-pane").size.width >= 120
