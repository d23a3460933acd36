"""Layout snapshots: each main screen on the example portfolio, and the tutor's screens on
its progress export, at 80x24 and at 140x45.

The clock is fixed, notifications and tooltips are off and text cursors do not blink, so a
screenshot changes only when the layout does. A difference fails the test and leaves the
new screenshot beside the stored one (``*.actual.svg``) to look at; after a deliberate change,
``COMPANION_UPDATE_SNAPSHOTS=1 python -m pytest tests/test_snapshots.py`` stores the new ones.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from pilot_support import wait_for
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from companion import clock
from companion.portfolio.example import copy_example
from companion.ui.app import make_app

SNAPSHOTS = Path(__file__).parent / "snapshots"
TODAY = dt.datetime(2026, 12, 1, 9, 30, tzinfo=dt.UTC)
SCREENS = [
    ("dashboard", "d"),
    ("units", "u"),
    ("notes", "n"),
    ("ksbs", "k"),
    ("flags", "f"),
    ("gateway", "g"),
    ("proposal", "p"),
    ("otj", "o"),
    ("export", "X"),
    ("search", "slash"),
    ("help", "question_mark"),
]
SIZES = [(80, 24), (140, 45)]


@pytest.fixture
def frozen() -> object:
    with clock.fixed_clock(TODAY):
        yield


def _normalise(svg: str, root: Path) -> str:
    return svg.replace(str(root), "PORTFOLIO")


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
@pytest.mark.parametrize(("screen", "key"), SCREENS, ids=[s for s, _ in SCREENS])
async def test_screen_layout(
    tmp_path: Path, frozen: object, screen: str, key: str, size: tuple[int, int]
) -> None:
    root = copy_example(tmp_path / "example")
    app = make_app(root, poll=False)
    async with app.run_test(size=size, notifications=False, tooltips=False) as pilot:
        await wait_for(pilot, lambda: app.status is not None)
        await pilot.press(key)
        await pilot.pause()
        await wait_for(pilot, lambda: app.screen.is_mounted)
        if screen == "export":  # the suggested path starts with this run's temporary folder
            app.screen.query_one("#export-path", Input).value = "~/example-exports/alex.docx"
        svg = await _screenshot(pilot, root)
    _compare(f"{screen}-{size[0]}x{size[1]}", svg)


async def _screenshot(pilot: Pilot, root: Path) -> str:
    """The screen as SVG once it has settled, with no blinking cursor and no local paths."""
    app = pilot.app
    for widget in app.screen.query(Input).results():
        widget.cursor_blink = False
    for area in app.screen.query(TextArea).results():
        area.cursor_blink = False
    await pilot.pause(0.2)
    return _normalise(app.export_screenshot(title="companion", simplify=True), root)


def _compare(name: str, svg: str) -> None:
    stored = SNAPSHOTS / f"{name}.svg"
    actual = SNAPSHOTS / f"{name}.actual.svg"
    if os.environ.get("COMPANION_UPDATE_SNAPSHOTS") == "1" or not stored.exists():
        SNAPSHOTS.mkdir(exist_ok=True)
        stored.write_text(svg, encoding="utf-8")
        actual.unlink(missing_ok=True)
        if os.environ.get("COMPANION_UPDATE_SNAPSHOTS") != "1":
            pytest.fail(f"no stored snapshot {stored.name}: stored this one; run again")
        return
    if stored.read_text(encoding="utf-8") != svg:
        actual.write_text(svg, encoding="utf-8")
        pytest.fail(f"{name} differs from {stored.name}; see {actual.name}")
    actual.unlink(missing_ok=True)


REVIEW_SCREENS = [
    ("cohort", ()),
    ("review-ac", ("enter", "enter", "down", "2")),
    ("review-evidence", ("enter", "enter", "down", "v")),
]


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
@pytest.mark.parametrize(("screen", "keys"), REVIEW_SCREENS, ids=[s for s, _ in REVIEW_SCREENS])
async def test_review_layout(
    tmp_path: Path, frozen: object, screen: str, keys: tuple[str, ...], size: tuple[int, int]
) -> None:
    from companion.assessment.status import build_status
    from companion.content.load import load_content
    from companion.exports.progress import write_progress
    from companion.portfolio.portfolio import Portfolio
    from companion.review.cohort_details import CohortDetails, save_details
    from companion.ui.review_app import ReviewApp

    root = copy_example(tmp_path / "example")
    portfolio = Portfolio(root, load_content(), use_store=False)
    portfolio.scan()
    cohort = tmp_path / "cohort"
    cohort.mkdir()
    write_progress(build_status(portfolio), cohort / "alex.json", with_notes=True)
    save_details(cohort, CohortDetails("Dr R. Shah", "Northgate College", "0123"))
    app = ReviewApp([cohort])
    async with app.run_test(size=size, notifications=False, tooltips=False) as pilot:
        await wait_for(pilot, lambda: getattr(app.screen, "cohort", None) is not None)
        await pilot.pause()
        for key in keys:
            await pilot.press(key)
            await pilot.pause()
        svg = (await _screenshot(pilot, tmp_path)).replace("cohort/alex.json", "alex.json")
    _compare(f"{screen}-{size[0]}x{size[1]}", svg)
