"""Pilot tests for the OTJ and reviews screen: driven by keys at 80x24 and at a large size."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from known import present
from pilot_support import companion_app, opened, screen_text, wait_for
from textual.content import Content
from textual.pilot import Pilot
from textual.widgets import Button, DataTable, Input, Static

from companion import clock
from companion.exports.run import default_output
from companion.screens.choose import ChoiceModal
from companion.screens.otj import OtjScreen
from companion.screens.otj_entry import OtjEntryModal
from companion.screens.signoff_import import SignoffImportModal
from companion.ui.app import CompanionApp, make_app

TODAY = dt.datetime(2026, 12, 1, 9, 30, tzinfo=dt.UTC)
SMALL, LARGE = (80, 24), (140, 45)


@pytest.fixture(autouse=True)
def _today():
    with clock.fixed_clock(TODAY):
        yield


def _app(root: Path) -> CompanionApp:
    return make_app(root, poll=False)


def _text(widget: Static) -> str:
    return Content.from_markup(str(widget.content)).plain


async def _otj(pilot: Pilot) -> OtjScreen:
    await wait_for(pilot, lambda: companion_app(pilot).status is not None)
    return await opened(pilot, "o", OtjScreen)


async def _add_form(pilot: Pilot) -> OtjEntryModal:
    """Open the OTJ screen and its form for a new entry, as ``a`` does."""
    await _otj(pilot)
    return await opened(pilot, "a", OtjEntryModal)


@pytest.mark.parametrize("size", [SMALL, LARGE], ids=["80x24", "140x45"])
async def test_the_screen_shows_the_log_against_the_plan_and_the_reviews(
    example: Path, size
) -> None:
    async with _app(example).run_test(size=size) as pilot:
        screen = await _otj(pilot)
        summary = _text(screen.query_one("#otj-summary", Static))
        assert summary.startswith("Off-the-job training to 2026-12-01: 87 hours\n")
        assert "Required in total: 400 hours" in summary
        chart = _text(screen.query_one("#otj-chart", Static)).splitlines()
        assert chart[0] == "2025-09 ██████████████████████▌        9.5"
        assert chart[-1].startswith("2026-12 ")
        table = screen.query_one("#otj-table", DataTable)
        assert table.row_count == 23
        assert [str(c) for c in table.get_row("19")][4:6] == ["—", "202.13"]  # duplicate, plan
        assert [str(c) for c in table.get_row("18")][4] == "70.5"  # running total
        flags = _text(screen.query_one("#otj-flags", Static))
        assert "Entry 10 reads as English or maths" in flags
        reviews = _text(screen.query_one("#otj-reviews", Static))
        assert reviews.startswith("Next progress review due by 2027-02-28, in 89 days")
        # Everything below the table is reached from the keyboard: the page scrolls to it.
        scroll = screen.query_one("#otj")
        await pilot.press("shift+tab")
        assert pilot.app.focused is scroll
        await pilot.press("end")
        await pilot.pause()
        region = screen.query_one("#otj-reviews", Static).region
        assert region.height and region.y < size[1]


async def test_an_entry_added_in_the_form_is_appended_to_the_log(example: Path) -> None:
    log = example / "otj.yaml"
    before = log.read_bytes()
    async with _app(example).run_test(size=SMALL) as pilot:
        screen = await _otj(pilot)
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, OtjEntryModal))
        modal = pilot.app.screen
        assert modal.query_one("#date", Input).value == "2026-12-01"
        await pilot.press("tab", *"1.33")  # the date first: Tab keeps today's, then hours
        modal.query_one("#activity", Input).value = "Board strategy away day"
        await pilot.press("ctrl+s")
        await pilot.pause()
        error = _text(modal.query_one("#otj-form-error", Static))
        assert error.startswith("Not saved: hours '1.33' is 79.8 minutes")
        assert pilot.app.screen is modal and log.read_bytes() == before
        modal.query_one("#hours", Input).value = "2:15"
        modal.query_one("#ksbs", Input).value = "k1, s1"
        await pilot.press("ctrl+s")
        table = screen.query_one("#otj-table", DataTable)
        await wait_for(pilot, lambda: table.row_count == 24)
    data = log.read_bytes()
    assert data.startswith(before)
    assert data[len(before) :] == (
        b"- date: 2026-12-01\n  hours: 2.25\n  kind: training\n  activity: Board strategy "
        b"away day\n  ksbs: [K1, S1]\n"
    )


async def test_escape_asks_before_throwing_away_a_typed_entry(example: Path) -> None:
    log = example / "otj.yaml"
    before = log.read_bytes()
    async with _app(example).run_test(size=SMALL) as pilot:
        await _otj(pilot)
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, OtjEntryModal))
        await pilot.press("escape")  # nothing typed: closes at once
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, OtjScreen))
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, OtjEntryModal))
        form = pilot.app.screen
        await pilot.press("tab", *"2", "tab", "tab", *"Board strategy away day")
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ChoiceModal))
        question = pilot.app.screen.query_one("#choice-question", Static)
        assert str(question.render()) == "Discard this entry?"
        await pilot.press("escape")  # the safe answer: keep editing
        await wait_for(pilot, lambda: pilot.app.screen is form)
        assert form.query_one("#activity", Input).value == "Board strategy away day"
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ChoiceModal))
        await pilot.click("#choice-discard")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, OtjScreen))
    assert log.read_bytes() == before


async def test_the_form_is_usable_at_80x24(example: Path) -> None:
    """Every field and both buttons are reached by Tab and scrolled into view."""
    async with _app(example).run_test(size=SMALL) as pilot:
        await _otj(pilot)
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, OtjEntryModal))
        modal = pilot.app.screen
        form = modal.query_one("#otj-form")
        seen = []
        for _ in range(11):
            await pilot.press("tab")
            await pilot.pause()
            focused = modal.focused
            assert focused is not None
            assert form.region.contains_region(focused.region), (focused, focused.region)
            seen.append(focused.id)
        assert {"activity", "ksbs", "evidence", "note", "save", "cancel", "date", "hours"} <= set(
            seen
        )
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, OtjScreen))


async def test_enter_on_an_entry_edits_only_that_entry(example: Path) -> None:
    log = example / "otj.yaml"
    before = log.read_text(encoding="utf-8")
    async with _app(example).run_test(size=SMALL) as pilot:
        screen = await _otj(pilot)
        table = screen.query_one("#otj-table", DataTable)
        table.focus()
        await pilot.press("down")  # entry 2
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, OtjEntryModal))
        modal = pilot.app.screen
        assert modal.query_one("#activity", Input).value.startswith("Module on organisational")
        modal.query_one("#hours", Input).value = "4"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "hours: 4\n  kind: online-learning" in log.read_text())
    after = log.read_text(encoding="utf-8")
    assert after == before.replace(
        "- date: 2025-09-23\n  hours: 3.5\n  kind: online-learning\n",
        "- date: 2025-09-23\n  hours: 4\n  kind: online-learning\n",
    )


async def test_the_review_pack_is_written_and_a_signed_sign_off_imported(
    example: Path, tmp_path: Path
) -> None:
    async with _app(example).run_test(size=LARGE) as pilot:
        screen = await _otj(pilot)
        await pilot.press("w")
        assert companion_app(pilot).portfolio is not None
        pack = default_output(
            present(companion_app(pilot).portfolio), "review-pack-2026-12-01", "docx"
        )
        signoff = pack.with_name(f"{pack.stem}.signoff.yaml")
        await wait_for(pilot, lambda: pack.exists() and signoff.exists())
        await wait_for(pilot, lambda: "Written:" in _text(screen.query_one("#otj-result", Static)))
        data = yaml.safe_load(signoff.read_text())
        assert data["parties"]["employer"]["name"] == "Priya Shah"
        for party in ("apprentice", "employer", "provider"):
            data["parties"][party] |= {"date": dt.date(2026, 12, 1), "signed": True}
        data["employer_statement"] |= {"confirmed": True, "date": dt.date(2026, 12, 1)}
        signoff.write_text(yaml.safe_dump(data))
        await pilot.press("i")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, SignoffImportModal))
        pilot.app.screen.query_one("#path", Input).value = str(signoff)
        await pilot.click("#import")
        kept = example / "reviews" / "signoff" / "2026-12-01.signoff.yaml"
        await wait_for(pilot, lambda: kept.exists())
        await pilot.press("g")
        await pilot.pause()
        table = pilot.app.screen.query_one(DataTable)
        await wait_for(pilot, lambda: str(table.get_row("employer-statement")[0]) == "✔ pass")


async def test_another_learners_sign_off_is_refused_on_screen(
    example: Path, tmp_path: Path
) -> None:
    foreign = tmp_path / "foreign.signoff.yaml"
    foreign.write_text(
        "schema: companion.signoff/1\nlearner: Sam Lee\nreview_date: 2026-11-02\nparties:\n"
        "  apprentice: {name: Sam Lee, date: 2026-11-02, signed: true}\n"
    )
    async with _app(example).run_test(size=SMALL) as pilot:
        await _otj(pilot)
        await pilot.press("i")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, SignoffImportModal))
        pilot.app.screen.query_one("#path", Input).value = str(foreign)
        pilot.app.screen.query_one("#import", Button).press()
        await wait_for(pilot, lambda: any("Sam Lee" in n.message for n in pilot.app._notifications))
    kept = (example / "reviews" / "signoff" / "2026-11-02.signoff.yaml").read_text()
    assert "Alex Morgan" in kept


async def test_a_sign_off_whose_pack_is_missing_is_refused_on_screen(
    example: Path, tmp_path: Path
) -> None:
    signed = tmp_path / "review.signoff.yaml"
    signed.write_text(
        "schema: companion.signoff/1\nlearner: Alex Morgan\nreview_date: 2026-11-02\n"
        f"pack: review.docx\npack_sha256: {'0' * 64}\nparties:\n"
        "  employer: {name: Priya Shah, date: 2026-11-02, signed: true}\n"
    )
    before = (example / "reviews" / "signoff" / "2026-11-02.signoff.yaml").read_text()
    async with _app(example).run_test(size=SMALL) as pilot:
        await _otj(pilot)
        await pilot.press("i")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, SignoffImportModal))
        pilot.app.screen.query_one("#path", Input).value = str(signed)
        pilot.app.screen.query_one("#import", Button).press()
        await wait_for(
            pilot,
            lambda: any(
                "the pack review.docx it signs is not beside it" in n.message
                for n in pilot.app._notifications
            ),
        )
    after = (example / "reviews" / "signoff" / "2026-11-02.signoff.yaml").read_text()
    assert after == before


async def test_escape_asks_before_throwing_away_a_typed_path(example: Path) -> None:
    async with _app(example).run_test(size=SMALL) as pilot:
        screen = await _otj(pilot)
        await pilot.press("i")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, SignoffImportModal))
        path = pilot.app.screen.query_one("#path", Input)
        suggested = path.value
        await pilot.press("escape")  # the path as suggested: closes at once
        await wait_for(pilot, lambda: pilot.app.screen is screen)
        await pilot.press("i")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, SignoffImportModal))
        dialog = pilot.app.screen
        path = dialog.query_one("#path", Input)
        path.focus()
        await pilot.press("end", *".bak")
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ChoiceModal))
        await pilot.press("escape")  # keep editing
        await wait_for(pilot, lambda: pilot.app.screen is dialog)
        assert path.value == suggested + ".bak"
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ChoiceModal))
        await pilot.click("#choice-discard")
        await wait_for(pilot, lambda: pilot.app.screen is screen)


async def test_the_dashboard_shows_otj_and_an_overdue_review(example: Path) -> None:
    for date in ("2026-08-10", "2026-11-02"):
        (example / "reviews" / f"{date}-progress-review.md").unlink()
    async with _app(example).run_test(size=LARGE) as pilot:
        await wait_for(pilot, lambda: companion_app(pilot).status is not None)
        await pilot.pause()
        otj = _text(pilot.app.screen.query_one("#otj-line", Static))
        assert otj == (
            "Off-the-job training: 87 of 400 hours, 239.42 behind the plan · 2 problems in the "
            "log (press o)"
        )
        review = _text(pilot.app.screen.query_one("#review-line", Static))
        assert review.startswith("Progress review OVERDUE by 92 days: due by 2026-08-31")


async def test_a_new_review_record_from_the_screen(example: Path) -> None:
    async with _app(example).run_test(size=SMALL) as pilot:
        screen = await _otj(pilot)
        await pilot.press("N")
        path = example / "reviews" / "2026-12-01-progress-review.md"
        await wait_for(pilot, lambda: path.exists())
        await wait_for(
            pilot,
            lambda: "last on 2026-12-01" in _text(screen.query_one("#otj-reviews", Static)),
        )
    assert "hours_to_date: 87\n" in path.read_text()


async def test_the_screen_and_its_actions_are_in_the_palette(example: Path) -> None:
    async with _app(example).run_test(size=SMALL) as pilot:
        screen = await _otj(pilot)
        titles = [c.title for c in pilot.app.get_system_commands(screen)]
        assert "Off-the-job training and reviews" in titles
        assert {"Add OTJ entry", "Write review pack", "Import sign-off", "New review record"} <= (
            set(titles)
        )


async def test_an_edit_made_outside_the_app_is_picked_up(example: Path) -> None:
    log = example / "otj.yaml"
    async with _app(example).run_test(size=SMALL) as pilot:
        screen = await _otj(pilot)
        table = screen.query_one("#otj-table", DataTable)
        assert table.row_count == 23
        log.write_text(
            log.read_text()
            + "- date: 2026-11-30\n  hours: 2\n  kind: mentoring\n  activity: Coaching\n"
        )
        await pilot.press("r")
        await wait_for(pilot, lambda: table.row_count == 24)


async def test_a_date_typed_first_replaces_todays_and_lands_in_the_date(example: Path) -> None:
    async with _app(example).run_test(size=SMALL) as pilot:
        modal = await _add_form(pilot)
        await pilot.press(*"2026-11-28", "tab", *"2")
        assert modal.query_one("#date", Input).value == "2026-11-28"
        assert modal.query_one("#hours", Input).value == "2"


async def test_the_sign_off_dialog_takes_the_path_as_it_is_typed(example: Path) -> None:
    async with _app(example).run_test(size=SMALL) as pilot:
        await _otj(pilot)
        await pilot.press("i")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, SignoffImportModal))
        await pilot.pause()
        modal = pilot.app.screen
        await pilot.press(*"nowhere.signoff.yaml", "enter")
        await wait_for(pilot, lambda: pilot.app.screen is not modal)
        (notice,) = [n for n in pilot.app._notifications if "nowhere" in n.message]
        assert "nowhere.signoff.yaml" in notice.message


async def test_ctrl_c_says_in_plain_words_which_key_quits(example: Path) -> None:
    async with _app(example).run_test(size=SMALL) as pilot:
        await wait_for(pilot, lambda: companion_app(pilot).status is not None)
        await pilot.press("ctrl+c")
        await wait_for(pilot, lambda: bool(pilot.app._notifications))
        (notice,) = pilot.app._notifications
        assert notice.message == "Press ctrl+q to quit the app"


async def test_a_2026_27_start_is_told_which_values_are_not_confirmed(example: Path) -> None:
    profile = example / "companion.yaml"
    data = yaml.safe_load(profile.read_text())
    data |= {"programme_start": dt.date(2026, 8, 3), "planned_gateway": dt.date(2027, 8, 2)}
    profile.write_text(yaml.safe_dump(data))
    caveat = "(2026 to 2027 rules: not confirmed; the 2025 to 2026 value is shown)"
    async with _app(example).run_test(size=LARGE) as pilot:
        await wait_for(pilot, lambda: companion_app(pilot).status is not None)
        await pilot.pause()
        otj = _text(pilot.app.screen.query_one("#otj-line", Static))
        assert caveat in otj
        assert caveat in _text(pilot.app.screen.query_one("#review-line", Static))
        screen = await _otj(pilot)
        summary = _text(screen.query_one("#otj-summary", Static))
        rule = next(line for line in summary.splitlines() if line.startswith("Rule: "))
        assert rule.endswith(caveat)
        assert caveat in _text(screen.query_one("#otj-reviews", Static))


async def test_a_date_in_the_future_is_refused_in_the_form_and_the_entry_kept(
    example: Path,
) -> None:
    log = example / "otj.yaml"
    before = log.read_bytes()
    async with _app(example).run_test(size=SMALL) as pilot:
        modal = await _add_form(pilot)
        await pilot.press(*"2026-12-24", "tab", *"2", "tab")
        modal.query_one("#activity", Input).value = "Christmas reading"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert pilot.app.screen is modal  # the form stays open with what was typed
        error = str(modal.query_one("#otj-form-error", Static).render())
        assert "2026-12-24 is in the future (today is 2026-12-01)" in error
        assert modal.query_one("#activity", Input).value == "Christmas reading"
    assert log.read_bytes() == before


async def test_delete_asks_then_removes_only_the_highlighted_entry(example: Path) -> None:
    log = example / "otj.yaml"
    before = log.read_text()
    async with _app(example).run_test(size=SMALL) as pilot:
        screen = await _otj(pilot)
        assert "del Delete" in "".join(screen_text(pilot.app).splitlines()[-2:])
        table = screen.query_one("#otj-table", DataTable)
        table.focus()
        table.move_cursor(row=2)
        await pilot.pause()
        await pilot.press("delete")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ChoiceModal))
        assert "Delete entry 3: 2025-10-07, 4 hours" in screen_text(pilot.app)
        await pilot.press("escape")  # Escape keeps it
        await pilot.pause()
        assert log.read_text() == before
        await pilot.press("delete")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ChoiceModal))
        await pilot.click("#choice-delete")
        await wait_for(pilot, lambda: log.read_text() != before)
        await wait_for(pilot, lambda: table.row_count == 22)
    lines = before.splitlines(keepends=True)
    start = lines.index("- date: 2025-10-07\n")
    assert log.read_text() == "".join(lines[:start] + lines[start + 5 :])


async def test_a_key_and_the_command_it_runs_are_one_palette_entry(example: Path) -> None:
    async with _app(example).run_test(size=SMALL) as pilot:
        screen = await _otj(pilot)
        titles = [c.title for c in pilot.app.get_system_commands(screen)]
        assert "Write review pack" in titles and "Pack" not in titles
        assert "Delete OTJ entry" in titles and "Delete" not in titles
        assert len(titles) == len(set(titles))


async def test_the_entry_form_keeps_save_and_what_is_wrong_in_view_at_80x24(
    example: Path,
) -> None:
    async with _app(example).run_test(size=SMALL) as pilot:
        modal = await _add_form(pilot)
        form = modal.query_one("#otj-form")
        assert form.max_scroll_y > 0  # taller than the terminal: the fields scroll
        for widget in (modal.query_one("#save"), modal.query_one("#cancel")):
            assert form.region.contains_region(widget.region), widget
        await pilot.press("ctrl+s")  # nothing typed: refused, and said why
        await pilot.pause()
        error = modal.query_one("#otj-form-error", Static)
        assert "Not saved" in str(error.render())
        assert form.region.contains_region(error.region)
        assert "Not saved: no hours" in screen_text(pilot.app)
