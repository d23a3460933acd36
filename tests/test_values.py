"""Values typed by hand read by one set of rules, in every file that holds them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pilot_support import wait_for

from companion.cli.main import main
from companion.content.load import load_content
from companion.notes.front_matter import load_front_matter
from companion.notes.record import build_record
from companion.portfolio.otj_log import OtjLogError, check_entry
from companion.portfolio.portfolio import Portfolio
from companion.portfolio.profile import ProfileError, load_profile
from companion.review.signoff import parse_signoff
from companion.text.values import (
    NotADate,
    NotYesNo,
    closest,
    is_timestamp,
    parse_date,
    parse_duration,
    read_date,
    read_yes_no,
    text,
)
from companion.text.word_rules import WordCountRules
from companion.ui.app import make_app

TODAY = dt.date(2026, 11, 22)
PROFILE = "learner: Sam Lee\nprogramme_start: 2025-01-06\nplanned_gateway: 2027-01-06\n"


# --- the rules themselves ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("ref: 0107", "0107"),
        ("where: 1:30", "1:30"),
        ("where: 90", "90"),
        ("where: ' p3 para 2 '", "p3 para 2"),
        ("title: 2026-03-02", "2026-03-02"),
        ("title:", ""),
    ],
)
def test_text_is_kept_as_typed(typed: str, read: str) -> None:
    value = next(iter(load_front_matter(typed).values()))
    assert text(value) == read


@pytest.mark.parametrize(
    ("value", "day"),
    [
        ("2026-03-02", dt.date(2026, 3, 2)),
        (" 2026-03-02 ", dt.date(2026, 3, 2)),
        ("2026-03-02T10:30", dt.date(2026, 3, 2)),
        ("2026-03-02 10:30:00", dt.date(2026, 3, 2)),
        (dt.date(2026, 3, 2), dt.date(2026, 3, 2)),
        (dt.datetime(2026, 3, 2, 9, 0), dt.date(2026, 3, 2)),
        (None, None),
        ("", None),
    ],
)
def test_dates_read(value: object, day: dt.date | None) -> None:
    assert read_date(value) == day


@pytest.mark.parametrize(
    "value", ["02/03/2026", "2026-02-30", "2026-3-2", "20260302", "2026-03-02abc", "soon", 5, True]
)
def test_what_is_not_a_date_is_refused(value: object) -> None:
    with pytest.raises(NotADate):
        read_date(value)
    assert parse_date(value) is None


def test_a_day_first_date_is_refused_naming_both_year_first_readings() -> None:
    with pytest.raises(NotADate) as caught:
        read_date("02/03/2026")
    assert caught.value.advice == (
        "write it year first: 2026-03-02 for 2 March, or 2026-02-03 for 3 February"
    )
    with pytest.raises(NotADate) as caught:
        read_date("25/12/2026")
    assert caught.value.advice == "write it year first: 2026-12-25"


@pytest.mark.parametrize(
    ("value", "meaning"),
    [
        (True, True),
        (False, False),
        ("yes", True),
        ("Y", True),
        ("on", True),
        (" True ", True),
        ("no", False),
        ("n", False),
        ("OFF", False),
        (None, False),
        ("", False),
    ],
)
def test_yes_and_no(value: object, meaning: bool) -> None:
    assert read_yes_no(value) is meaning


@pytest.mark.parametrize("value", ["signed", "maybe", 1, 0, [True], "2026-03-02"])
def test_what_is_neither_yes_nor_no_is_said(value: object) -> None:
    with pytest.raises(NotYesNo):
        read_yes_no(value)


def test_yaml_and_the_rules_agree_on_every_yes_no_word() -> None:
    """Unquoted, YAML reads yes/no/on/off as booleans but y/n as text: both mean the same."""
    for word in ("yes", "no", "on", "off", "y", "n", "true", "false"):
        unquoted = load_front_matter(f"a: {word}")["a"]
        quoted = load_front_matter(f"a: '{word}'")["a"]
        assert read_yes_no(unquoted) is read_yes_no(quoted), word


@pytest.mark.parametrize(
    ("value", "seconds"),
    [("4:30", 270), ("1:02:03", 3723), ("5m", 300), ("90s", 90), ("5m 30s", 330), (45, 45)],
)
def test_durations(value: object, seconds: int) -> None:
    assert parse_duration(value) == seconds


def test_timestamps() -> None:
    assert is_timestamp("4:30") and is_timestamp("1:02:03") and is_timestamp("4:30 - 5:10")
    assert not is_timestamp("90") and not is_timestamp("p3") and not is_timestamp(None)


def test_closest_key() -> None:
    assert closest("planned_gatway", ["planned_gateway", "programme_start"]) == "planned_gateway"
    assert closest("colour", ["planned_gateway", "programme_start"]) is None


# --- the same rules in each file ---------------------------------------------------------


def _witness_flags(tmp_path: Path, signed: str) -> list:
    from companion.assessment.rules import check_note
    from companion.portfolio.profile import Profile

    path = tmp_path / "w.md"
    path.write_text(
        "---\ntitle: T\nref: E001\ndate: 2026-01-10\nlearner: Alex Morgan\n"
        "type: witness-testimony\nwitness: {name: Jo, relationship: manager, "
        f"date: 2026-01-10, signed: {signed}}}\n---\nJo saw it.\n",
        encoding="utf-8",
    )
    record = build_record(path, "w.md", WordCountRules())
    profile = Profile(learner="Alex Morgan", programme_start=dt.date(2025, 9, 1))
    return [f for f in check_note(record, load_content(), profile, TODAY) if "witness" in f.code]


SIGNOFF = """\
schema: companion.signoff/1
learner: Alex Morgan
review_date: 2026-10-30
parties:
  apprentice:
    name: Alex Morgan
    date: 2026-10-30
    signed: {signed}
  employer:
    name: Jo Smith
    date: 2026-10-31
    signed: true
"""


@pytest.mark.parametrize(("word", "signed"), [("y", True), ("yes", True), ("'no'", False)])
def test_a_witness_statement_and_a_sign_off_read_signed_alike(
    tmp_path: Path, word: str, signed: bool
) -> None:
    flags = _witness_flags(tmp_path, word)
    assert (not flags) is signed
    signoff = parse_signoff(SIGNOFF.format(signed=word).encode(), "x", TODAY)
    assert ("apprentice" in signoff.signed) is signed


def test_a_witness_signed_with_a_word_that_is_not_yes_is_told_why(tmp_path: Path) -> None:
    (flag,) = _witness_flags(tmp_path, "signed")
    assert flag.code == "witness-unsigned"
    assert flag.message == (
        "The witness testimony is not signed ('signed: signed' is not yes or no)."
    )


def test_a_profile_reads_yes_no_as_notes_do(tmp_path: Path) -> None:
    (tmp_path / "companion.yaml").write_text(
        PROFILE + "english_maths_level2: y\nemployer_statement: 'on'\n"
    )
    profile = load_profile(tmp_path)
    assert profile.english_maths_level2 and profile.employer_statement


def test_a_day_first_date_is_refused_with_the_year_first_form_everywhere(tmp_path: Path) -> None:
    (tmp_path / "companion.yaml").write_text("programme_start: 01/09/2025\n")
    with pytest.raises(ProfileError) as caught:
        load_profile(tmp_path)
    assert str(caught.value) == (
        "companion.yaml: 'programme_start' must be a date like 2026-09-01; write it year "
        "first: 2025-09-01 for 1 September, or 2025-01-09 for 9 January"
    )
    with pytest.raises(OtjLogError, match=r"write it year first: 2026-03-25$"):
        check_entry(
            {"date": "25/03/2026", "hours": "2", "activity": "Course", "kind": "training"},
            lambda code: code,
            None,
        )


# --- a misspelt key in companion.yaml ---------------------------------------------------


def _misspelt(root: Path) -> Path:
    (root / "notes").mkdir(parents=True)
    (root / "companion.yaml").write_text(
        "learner: Sam Lee\nprogramme_start: 2025-01-06\n# the gateway\nplanned_gatway: 2027-01-06\n"
    )
    return root


WARNING = "companion.yaml line 4: unknown key 'planned_gatway' — did you mean 'planned_gateway'?"


def test_a_misspelt_profile_key_is_a_warning_not_a_refusal(tmp_path: Path) -> None:
    root = _misspelt(tmp_path / "p")
    profile = load_profile(root)
    assert profile.warnings == (WARNING,)
    assert profile.planned_gateway is None and profile.learner == "Sam Lee"
    assert Portfolio(root, use_store=False).warnings == [WARNING]


def test_a_misspelt_profile_key_is_said_once_by_the_cli(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _misspelt(tmp_path / "p")
    code = main(["status", str(root)])
    err = capsys.readouterr().err
    assert code in (0, 1)
    assert err.count(WARNING) == 1, err


def test_an_edit_keeping_the_misspelling_is_not_told_again(tmp_path: Path) -> None:
    root = _misspelt(tmp_path / "p")
    portfolio = Portfolio(root, use_store=False)
    assert portfolio.scan().warnings == []
    profile = root / "companion.yaml"
    profile.write_text(profile.read_text() + "tutor: Tom Okafor\n")
    assert WARNING not in portfolio.scan().warnings
    profile.write_text(profile.read_text() + "tutr: Tom\n")
    assert portfolio.scan().warnings == [
        "companion.yaml line 6: unknown key 'tutr' — did you mean 'tutor'?"
    ]


async def test_a_misspelt_profile_key_is_notified_once_in_the_app(tmp_path: Path) -> None:
    app = make_app(_misspelt(tmp_path / "p"), poll=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: app.status is not None)
        await pilot.pause()
        said = [n.message for n in app._notifications]
        assert said.count(WARNING) == 1, said


def test_a_review_note_reads_signed_and_done_as_every_other_file() -> None:
    from companion.assessment.reviews import _signed, _targets

    signers = _signed({"apprentice": {"name": "Alex Morgan", "date": "2026-10-30", "signed": "y"}})
    assert [s.role for s in signers] == ["apprentice"]
    (target,) = _targets([{"target": "Finish the plan", "done": "yes"}])
    assert target.done
