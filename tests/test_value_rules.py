"""Each kind of value people write, read by the one module, edge cases included; and a key
a file does not have named with its file, line and the key it is closest to."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from companion.notes.front_matter import load_front_matter
from companion.portfolio.hours import HoursError, parse_hours
from companion.portfolio.profile import ProfileError, load_profile
from companion.review.cohort_details import COHORT_FILE, read_details
from companion.review.feedback import FeedbackError
from companion.review.signoff import SignOffError, parse_signoff
from companion.text.values import (
    NotADate,
    NotAWholeNumber,
    NotHours,
    NotYesNo,
    key_lines,
    parse_duration,
    read_date,
    read_hours,
    read_whole_number,
    read_yes_no,
    unknown_key,
)

TODAY = dt.date(2026, 11, 22)


# --- dates ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "source",
    ["d: 2026-03-02", "d: 2026-03-02 14:30:00", "d: 2026-03-02T14:30:00Z", "d: '2026-03-02'"],
)
def test_a_date_yaml_has_read_and_the_same_date_as_text_are_one_day(source: str) -> None:
    parsed = yaml.safe_load(source)["d"]  # YAML 1.1 makes a date or datetime object
    assert read_date(parsed) == dt.date(2026, 3, 2)
    assert read_date(str(parsed)) == dt.date(2026, 3, 2)


def test_a_yaml_datetime_gives_its_own_day_not_the_next() -> None:
    late = yaml.safe_load("d: 2026-03-02 23:59:59")["d"]
    assert isinstance(late, dt.datetime) and read_date(late) == dt.date(2026, 3, 2)


@pytest.mark.parametrize("value", ["2026-02-30", "2026-3-2", "next week", 20260302, True])
def test_what_is_not_a_year_first_date_is_refused_saying_so(value: object) -> None:
    with pytest.raises(NotADate, match="is not a date like 2026-03-02"):
        read_date(value)


# --- yes or no -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "meaning"),
    [("yes", True), ("no", False), ("true", True), ("TRUE", True), (" No ", False), (True, True)],
)
def test_yes_no_and_true_false_are_one_rule(value: object, meaning: bool) -> None:
    assert read_yes_no(value) is meaning


def test_yaml_reads_yes_as_text_but_the_rule_still_says_yes() -> None:
    loaded = load_front_matter("a: yes\nb: no\nc: 'true'\n")
    assert loaded is not None
    assert [read_yes_no(loaded[k]) for k in "abc"] == [True, False, True]


@pytest.mark.parametrize("value", ["maybe", 1, "1", 0.0])
def test_neither_yes_nor_no_is_refused(value: object) -> None:
    with pytest.raises(NotYesNo, match="is not yes or no"):
        read_yes_no(value)


# --- hours and durations -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "minutes"),
    [
        ("1:30", 90),
        ("1.5", 90),
        ("1h30", 90),
        ("1h 30m", 90),
        ("1h30m", 90),
        ("2h", 120),
        ("45m", 45),
        ("45 minutes", 45),
        ("0:05", 5),
        (3.5, 210),
        (2, 120),
    ],
)
def test_hours_are_read_in_each_way_people_write_them(typed: object, minutes: int) -> None:
    assert read_hours(typed) == minutes
    assert parse_hours(typed) == minutes  # the OTJ log and the profile read them so


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("1.33", "79.8 minutes, not a whole number; write it as h:mm \\(e.g. 1:20\\)"),
        ("0:00", "must be more than 0"),
        ("1h60", "must be hours like 3.5 or 3:30, not '1h60'"),
        ("25:00", "is more than 24 hours"),
        ("lots", "not 'lots'"),
        (None, "must be hours like 3.5 or 3:30"),
        (True, "must be hours like 3.5 or 3:30"),
    ],
)
def test_what_is_not_hours_is_refused_saying_how_to_write_it(typed: object, message: str) -> None:
    with pytest.raises(NotHours, match=message):
        read_hours(typed)
    with pytest.raises(HoursError):  # one kind of error, whichever module is asked
        parse_hours(typed)


@pytest.mark.parametrize(
    ("typed", "seconds"),
    [("1:30", 90), ("1:30:00", 5400), ("1h30", 5400), ("1h 30m", 5400), ("5m 30s", 330), (90, 90)],
)
def test_a_recordings_duration_reads_1_30_and_1h30_by_their_units(
    typed: object, seconds: int
) -> None:
    assert parse_duration(typed) == seconds


@pytest.mark.parametrize("typed", ["0:00", "1h60", "soon", True, float("nan"), -5])
def test_what_is_no_duration_is_none(typed: object) -> None:
    assert parse_duration(typed) is None


# --- whole numbers -------------------------------------------------------------------------


def test_a_whole_number_is_a_number_in_range() -> None:
    assert read_whole_number(34, 14, 99) == 34
    assert read_whole_number(None, 14, 99) is None
    for wrong in ("34", 34.5, True, "thirty"):
        with pytest.raises(NotAWholeNumber, match="is not a whole number"):
            read_whole_number(wrong, 14, 99)
    with pytest.raises(NotAWholeNumber, match="is not between 14 and 99"):
        read_whole_number(100, 14, 99)


# --- keys a file does not have -------------------------------------------------------------


def test_an_unknown_key_is_named_with_its_file_line_and_closest_key() -> None:
    assert unknown_key("dte", ("date", "hours"), "otj.yaml", 3) == (
        "otj.yaml line 3: unknown key 'dte' — did you mean 'date'?"
    )
    assert unknown_key("zzz", ("date", "hours"), "otj.yaml") == (
        "otj.yaml: unknown key 'zzz' (it has date, hours)"
    )


def test_key_lines_find_nested_keys_and_list_items() -> None:
    text = "a: 1\nparties:\n  apprentice: {}\n  witnes: {}\nlog:\n  - date: x\n    hour: 1\n"
    assert key_lines(text) == {"a": 1, "parties": 2, "log": 5}
    assert key_lines(text, ("parties",)) == {"apprentice": 3, "witnes": 4}
    assert key_lines(text, ("log", "0")) == {"date": 6, "hour": 7}
    assert key_lines(text, ("missing",)) == {} and key_lines("[unclosed") == {}


def test_a_misspelt_cohort_key_is_named_with_its_line_and_the_key_meant(tmp_path: Path) -> None:
    (tmp_path / COHORT_FILE).write_text("centre_number: '0123'\nasesor: Ana Lima\n")
    with pytest.raises(FeedbackError) as refused:
        read_details(tmp_path)
    assert refused.value.message == (
        f"{COHORT_FILE} line 2: unknown key 'asesor' — did you mean 'assessor'?"
    )


def test_a_cohort_key_near_to_none_lists_the_keys_there_are(tmp_path: Path) -> None:
    (tmp_path / COHORT_FILE).write_text("colour: blue\n")
    with pytest.raises(FeedbackError, match=r"line 1: unknown key 'colour' \(it has assessor"):
        read_details(tmp_path)


SIGNOFF = """\
schema: companion.signoff/1
learner: Alex Morgan
review_date: 2026-10-30
parties:
  apprentice:
    name: Alex Morgan
    date: 2026-10-30
    signed: true
"""


def test_a_misspelt_sign_off_key_is_named_with_its_line_and_the_key_meant() -> None:
    with pytest.raises(SignOffError) as refused:
        parse_signoff((SIGNOFF + "pak: review.pdf\n").encode(), "s.yaml", TODAY)
    assert refused.value.message == (
        "s.yaml: line 9: unknown field 'pak' in the file — did you mean 'pack'?"
    )


def test_a_misspelt_party_is_named_with_its_line_inside_parties() -> None:
    text = SIGNOFF.replace("  apprentice:", "  aprentice:")
    with pytest.raises(SignOffError) as refused:
        parse_signoff(text.encode(), "s.yaml", TODAY)
    assert refused.value.message == (
        "s.yaml: line 5: unknown field 'aprentice' in parties — did you mean 'apprentice'?"
    )


def test_a_misspelt_word_count_setting_is_refused_with_its_line(tmp_path: Path) -> None:
    (tmp_path / "companion.yaml").write_text("learner: Sam\nword_count:\n  leave_uot: []\n")
    with pytest.raises(ProfileError) as refused:
        load_profile(tmp_path)
    assert refused.value.message.startswith(
        "companion.yaml line 3: 'word_count' has no setting 'leave_uot' — did you mean 'leave_out'?"
    )


def test_a_misspelt_exemption_field_says_which_was_meant(tmp_path: Path) -> None:
    (tmp_path / "companion.yaml").write_text(
        "english_maths_exemption: {date: 2025-03-10, confirmd_by: Jo}\n"
    )
    with pytest.raises(ProfileError, match="not 'confirmd_by' — did you mean 'confirmed_by'\\?"):
        load_profile(tmp_path)


# --- the first-run screen reads the start date as the command line does ---------------------


async def test_the_first_run_screen_refuses_a_day_first_date_with_the_year_first_form(
    tmp_path: Path,
) -> None:
    from pilot_support import wait_for
    from textual.widgets import Input

    from companion.ui.app import make_app

    folder = tmp_path / "mine"
    app = make_app(None, poll=False)
    async with app.run_test(size=(170, 50)) as pilot:
        await wait_for(pilot, lambda: bool(pilot.app.screen.query("#start")))
        pilot.app.screen.query_one("#folder", Input).value = str(folder)
        pilot.app.screen.query_one("#start", Input).value = "02/03/2026"
        await pilot.click("#create")
        await wait_for(pilot, lambda: any(app._notifications))
        said = [n.message for n in app._notifications]
        assert said == [
            "The start date must look like 2026-09-01; write it year first: 2026-03-02 for "
            "2 March, or 2026-02-03 for 3 February"
        ]
        assert not (folder / "companion.yaml").exists()
