"""Pilot tests of the review app's compliance columns and "changed since your decision",
at the smallest supported terminal (80x24)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from pilot_support import screen_text, wait_for
from textual.pilot import Pilot
from textual.widgets import DataTable, Markdown, Static, Tree

from companion import clock
from companion.cli.main import main
from companion.portfolio.example import copy_example
from companion.review.feedback import feedback_path
from companion.screens.cohort import CohortScreen
from companion.screens.review_learner import LearnerReviewScreen
from companion.ui.review_app import ReviewApp
from companion.views.review import CHANGED

SIZE = (80, 24)
NOON = dt.datetime(2026, 11, 22, 12, tzinfo=dt.UTC)


@pytest.fixture
def cohort(tmp_path: Path) -> Path:
    """Two exports of Alex, a week apart: 700/1.1 passed on the first, its note changed
    before the second."""
    root = copy_example(tmp_path / "example")
    folder = tmp_path / "cohort"
    folder.mkdir()
    with clock.fixed_clock(NOON):
        first = folder / "alex-1.json"
        assert main(["export", "progress", str(root), "--out", str(first)]) == 0
        assert (
            main(["feedback", "record", str(first), "--ac", "700/1.1", "--decision", "pass"]) == 0
        )
    note = root / "evidence" / "05-away-day-presentation.md"
    note.write_text(note.read_text(encoding="utf-8") + "\nA new paragraph.\n", encoding="utf-8")
    with clock.fixed_clock(NOON + dt.timedelta(days=7)):
        assert main(["export", "progress", str(root), "--out", str(folder / "alex-2.json")]) == 0
    return folder


def _cells(table: DataTable, row: int) -> dict[str, str]:
    labels = [str(c.label) for c in table.columns.values()]
    return dict(zip(labels, (str(c) for c in table.get_row_at(row)), strict=True))


async def _loaded(pilot: Pilot) -> DataTable:
    await wait_for(
        pilot,
        lambda: isinstance(pilot.app.screen, CohortScreen) and pilot.app.screen.cohort is not None,
    )
    return pilot.app.screen.query_one(DataTable)


async def test_the_cohort_shows_compliance_and_changed_columns(cohort: Path) -> None:
    with clock.fixed_clock(NOON + dt.timedelta(days=7)):
        async with ReviewApp([cohort]).run_test(size=SIZE) as pilot:
            table = await _loaded(pilot)
            labels = [str(c.label) for c in table.columns.values()]
            # what a tutor acts on comes first, so at 80 columns it is in view
            assert labels[:8] == [
                "Learner",
                "ACs",
                "Referrals",
                "Reviewed",
                "Changed",
                "Errors",
                "OTJ behind",
                "Review overdue",
            ]
            header = next(line for line in screen_text(pilot.app).splitlines() if "Learner" in line)
            for heading in ("Referrals", "Reviewed", "Changed", "Errors", "OTJ behind"):
                assert heading in header
            first, second = _cells(table, 0), _cells(table, 1)
            assert first["File"] == "alex-1.json" and second["File"] == "alex-2.json"
            assert first["OTJ behind"] == "233 h" and first["Review overdue"] == ""
            assert (first["Changed"], second["Changed"]) == ("", "1")
            assert second["Reviewed"] == "1 Pass, 0 Referral"  # carried over
            for _ in range(6):  # learner → … → days to gateway → OTJ behind
                await pilot.press("s")
            assert pilot.app.screen.sort_key == "otj_behind"
            for _ in range(4):  # → review overdue → generated → referrals → changed
                await pilot.press("s")
            assert pilot.app.screen.sort_key == "changed"
            await pilot.press("v")
            assert _cells(table, 0)["File"] == "alex-2.json"
            status = str(pilot.app.screen.query_one("#cohort-status", Static).content)
            assert "sorted by changed ↓" in status


async def test_the_ac_view_says_changed_until_a_new_decision(cohort: Path) -> None:
    with clock.fixed_clock(NOON + dt.timedelta(days=7)):
        async with ReviewApp([cohort]).run_test(size=SIZE) as pilot:
            table = await _loaded(pilot)
            await pilot.press("down", "enter")  # the newer export
            await wait_for(pilot, lambda: isinstance(pilot.app.screen, LearnerReviewScreen))
            await pilot.pause()
            screen = pilot.app.screen
            assert screen.export.path.name == "alex-2.json"
            assert "carried over from alex-1.feedback.json" in str(
                screen.query_one("#save-state").content
            )
            tree = screen.query_one(Tree)
            await pilot.press("enter", "down")  # unit 700, then AC 1.1
            await pilot.pause()
            assert tree.cursor_node.data == ("ac", "700/1.1")
            detail = screen.query_one("#review-detail", Markdown)
            assert CHANGED in detail.source
            assert str(tree.cursor_node.label) == "✔ 1.1 Explain · changed"
            await pilot.press("1")  # Pass again, on the evidence as it is now
            await pilot.pause()
            assert CHANGED not in detail.source
            assert str(tree.cursor_node.label) == "✔ 1.1 Explain"
            await pilot.press("escape")  # saves, back to the cohort
            await wait_for(pilot, lambda: isinstance(pilot.app.screen, CohortScreen))
            await pilot.pause()
            assert _cells(table, 1)["Changed"] == ""
    saved = json.loads(feedback_path(cohort / "alex-2.json").read_text(encoding="utf-8"))
    assert saved["criteria"]["700/1.1"]["decision"] == "pass"
