"""Programme details in companion.yaml, and hours as people write them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from companion.content.funding import Interval
from companion.portfolio.hours import HoursError, hmm_text, hours_text, parse_hours
from companion.portfolio.profile import ProfileError, load_profile
from companion.portfolio.programme import Exemption


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("3.5", 210),
        ("3", 180),
        ("0.25", 15),
        (".5", 30),
        ("3:30", 210),
        ("0:45", 45),
        ("1.1", 66),
        (2, 120),
        (1.5, 90),
        ("24", 1440),
    ],
)
def test_hours_as_decimals_or_h_mm(text, minutes) -> None:
    assert parse_hours(text) == minutes


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1.33", "hours '1.33' is 79.8 minutes, not a whole number; write it as h:mm (e.g. 1:20)"),
        ("0", "hours must be more than 0"),
        ("0:00", "hours must be more than 0"),
        ("25", "hours '25' is more than 24 hours"),
        ("3:75", "hours must be hours like 3.5 or 3:30, not '3:75'"),
        ("three", "hours must be hours like 3.5 or 3:30, not 'three'"),
        ("-2", "hours must be hours like 3.5 or 3:30, not '-2'"),
        (True, "hours must be hours like 3.5 or 3:30"),
    ],
)
def test_bad_hours_say_how_to_write_them(text, message) -> None:
    with pytest.raises(HoursError) as caught:
        parse_hours(text)
    assert caught.value.message == message


def test_hours_are_shown_to_two_places_and_as_h_mm() -> None:
    assert hours_text(210) == "3.5"
    assert hours_text(80) == "1.33"
    assert hours_text(0) == "0"
    assert hmm_text(80) == "1:20" and hmm_text(-90) == "-1:30"


def _profile(tmp_path: Path, text: str):
    (tmp_path / "companion.yaml").write_text("learner: Sam Lee\n" + text, encoding="utf-8")
    return load_profile(tmp_path)


def test_the_programme_details_are_read(tmp_path: Path) -> None:
    profile = _profile(
        tmp_path,
        "hours_per_week: 37.5\nage_at_start: 34\notj_planned_hours: 400\n"
        "otj_prior_learning_hours: 20\nworking_day_hours: 7.5\nreview_every: 8 weeks\n"
        "english_maths_exemption:\n  date: 2025-03-10\n  confirmed_by: Jo Smith (line manager)\n"
        "normal_duties: [Weekly team meeting, '  Monthly   board report ']\n"
        "line_manager: Jo Smith\ntutor: Priya Patel\n",
    )
    programme = profile.programme
    assert programme.hours_per_week == 2250 and programme.working_day == 450
    assert programme.age_at_start == 34
    assert programme.otj_planned == 24000 and programme.otj_prior_learning == 1200
    assert programme.review_every == Interval(weeks=8)
    assert programme.english_maths_exemption == Exemption(
        dt.date(2025, 3, 10), "Jo Smith (line manager)"
    )
    assert programme.normal_duties == ("weekly team meeting", "monthly board report")
    assert (programme.line_manager, programme.tutor) == ("Jo Smith", "Priya Patel")


def test_a_working_day_is_a_fifth_of_the_week_unless_given(tmp_path: Path) -> None:
    assert _profile(tmp_path, "hours_per_week: 37.5\n").programme.day_minutes == 450
    assert _profile(tmp_path, "").programme.day_minutes is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "hours_per_week: lots\n",
            "companion.yaml: 'hours_per_week' must be hours like 3.5 or 3:30",
        ),
        ("age_at_start: 7\n", "companion.yaml: 'age_at_start' must be your age in whole years"),
        ("age_at_start: '34'\n", "companion.yaml: 'age_at_start' must be your age in whole years"),
        ("review_every: fortnightly\n", "companion.yaml: 'review_every' must be like '12 weeks'"),
        ("review_every: 12\n", "companion.yaml: 'review_every' must be like '12 weeks'"),
        ("english_maths_exemption: yes\n", "'english_maths_exemption' must have 'date'"),
        (
            "english_maths_exemption: {date: 2025-03-10}\n",
            "'english_maths_exemption.confirmed_by' must say who confirmed it",
        ),
        (
            "english_maths_exemption: {date: soon, confirmed_by: Jo}\n",
            "'english_maths_exemption.date' must be a date like 2025-03-10",
        ),
        (
            "english_maths_exemption: {date: 2025-03-10, confirmed_by: Jo, why: x}\n",
            "'english_maths_exemption' takes only 'date' and 'confirmed_by', not 'why'",
        ),
        ("normal_duties: team meeting\n", "'normal_duties' must be a list of at most 50 phrases"),
        ("tutor: " + "x" * 201 + "\n", "companion.yaml: 'tutor' is longer than 200 characters"),
    ],
)
def test_each_bad_detail_is_one_line_naming_the_field(tmp_path: Path, text, message) -> None:
    with pytest.raises(ProfileError) as caught:
        _profile(tmp_path, text)
    assert message in caught.value.message
    assert "\n" not in caught.value.message
