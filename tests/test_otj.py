"""The OTJ log: exact totals, writes that touch only their own entry, and each implausible kind."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from companion.assessment.otj import ksb_checker, log_kinds, read_otj
from companion.content.load import load_content
from companion.portfolio.otj_log import (
    OTJ_FILE,
    OtjLogError,
    OtjWriteError,
    add_entry,
    check_entry,
    read_log,
    replace_entry,
)
from companion.portfolio.profile import load_profile

TODAY = dt.date(2026, 3, 20)
PROFILE = (
    "learner: Alex Morgan\nprogramme_start: 2025-09-01\nplanned_gateway: 2027-03-15\n"
    "hours_per_week: 37.5\nage_at_start: 34\notj_planned_hours: 400\n"
)


@pytest.fixture(scope="module")
def content():
    return load_content()


@pytest.fixture
def root(tmp_path: Path) -> Path:
    folder = tmp_path / "portfolio"
    folder.mkdir()
    (folder / "companion.yaml").write_text(PROFILE, encoding="utf-8")
    return folder


def _read(root: Path, content):
    profile = load_profile(root)
    kinds = log_kinds(content, profile, TODAY)
    return read_log(root, ksb_checker(content), kinds), profile


def _status(root: Path, content, notes: set[str] | None = None):
    log, profile = _read(root, content)
    return read_otj(content, profile, log, TODAY, notes)


def _entry(content, **fields):
    values = {
        "date": "2026-03-02",
        "hours": "3.5",
        "activity": "Finance workshop",
        "kind": "training",
    }
    values.update(fields)
    profile_kinds = log_kinds(content, load_profile_stub(), TODAY)
    return check_entry(values, ksb_checker(content), profile_kinds)


def load_profile_stub():
    from companion.portfolio.profile import Profile

    return Profile(programme_start=dt.date(2025, 9, 1))


def _write(root: Path, text: str) -> Path:
    path = root / OTJ_FILE
    path.write_bytes(text.encode("utf-8"))
    return path


def test_five_hundred_entries_total_exactly(root: Path, content) -> None:
    lines = []
    for n in range(500):
        day = dt.date(2025, 9, 1) + dt.timedelta(days=n % 200)
        hours = "0.1" if n % 2 else '"1:20"'  # 6 and 80 minutes: floats would drift
        lines.append(
            f"- date: {day.isoformat()}\n  hours: {hours}\n  kind: training\n"
            f"  activity: Session {n}\n"
        )
    _write(root, "".join(lines))
    status = _status(root, content)
    assert len(status.entries) == 500 and not status.flags
    assert status.done == 250 * 6 + 250 * 80 == 21500  # 358:20 exactly
    assert status.running[status.entries[-1].number] == 21500  # the last, in date order
    assert status.to_json()["done"] == {"hours": 358.33, "minutes": 21500}


def test_an_unquoted_h_mm_is_hours_not_a_base_60_number(root: Path, content) -> None:
    _write(root, "- date: 2026-03-02\n  hours: 3:30\n  kind: training\n  activity: Workshop\n")
    log, _ = _read(root, content)
    assert log.entries[0].minutes == 210


def test_adding_keeps_every_other_byte(root: Path, content) -> None:
    original = (
        "# my log\r\n- date: 2026-01-05   # first\r\n  hours: '2'\r\n  kind: training\r\n"
        '  activity: "Induction to strategy"\r\n\r\n# more to come\r\n'
    )
    path = _write(root, original)
    entry = _entry(content, ksbs=["k1", "S4.1"], activity="Board: a visit")
    log, _ = _read(root, content)
    add_entry(root, entry, ksb_checker(content), log_kinds(content, load_profile_stub(), TODAY))
    data = path.read_bytes()
    assert data.startswith(original.encode())
    assert data[len(original) :] == (
        b"- date: 2026-03-02\r\n  hours: 3.5\r\n  kind: training\r\n"
        b"  activity: 'Board: a visit'\r\n  ksbs: [K1, S4.1]\r\n"
    )
    assert [e.activity for e in _read(root, content)[0].entries] == [
        "Induction to strategy",
        "Board: a visit",
    ]
    assert log.raw == original.encode()


def test_the_first_entry_creates_the_log_with_its_guide(root: Path, content) -> None:
    add_entry(root, _entry(content, hours="1:20"), ksb_checker(content), None)
    text = (root / OTJ_FILE).read_text(encoding="utf-8")
    assert text.startswith("# Off-the-job training log")
    assert '  hours: "1:20"\n' in text
    assert _read(root, content)[0].entries[0].minutes == 80


def test_editing_rewrites_only_that_entry(root: Path, content) -> None:
    first = "# keep\n- date: 2026-01-05\n  hours: 2\n  kind: training\n  activity: One\n"
    second = "- {date: 2026-01-06, hours: 1, kind: mentoring, activity: Two}\n"
    third = "- date: 2026-01-07\n  hours: 1\n  kind: training\n  activity: Three  # mine\n"
    path = _write(root, first + second + third)
    replace_entry(root, 2, _entry(content, activity="Two, revised"), ksb_checker(content), None)
    text = path.read_text(encoding="utf-8")
    assert text.startswith(first) and text.endswith(third)
    assert [e.activity for e in _read(root, content)[0].entries] == ["One", "Two, revised", "Three"]
    with pytest.raises(OtjWriteError) as caught:  # the third holds a comment an edit would lose
        replace_entry(root, 3, _entry(content), ksb_checker(content), None)
    assert "holds a comment" in caught.value.message
    with pytest.raises(OtjWriteError):
        replace_entry(root, 9, _entry(content), ksb_checker(content), None)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"hours": "1.33"},
            "hours '1.33' is 79.8 minutes, not a whole number; write it as h:mm (e.g. 1:20)",
        ),
        ({"hours": "25"}, "hours '25' is more than 24 hours"),
        ({"ksbs": ["K99"]}, "'K99' is not a KSB of the standard"),
        ({"kind": "chatting"}, "kind 'chatting' is not one of training, online-learning"),
        ({"date": "2026-02-30"}, "date '2026-02-30' is not a date like 2026-03-02"),
        ({"activity": ""}, "no activity (an entry needs date, hours, activity, kind)"),
    ],
)
def test_a_bad_entry_is_refused_in_one_line(content, fields, message) -> None:
    with pytest.raises(OtjLogError) as caught:
        _entry(content, **fields)
    assert caught.value.message.startswith(message)
    assert "\n" not in caught.value.message


def test_a_symlinked_log_is_never_written_through(root: Path, content, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere.yaml"
    elsewhere.write_text("- date: 2026-01-05\n  hours: 1\n  kind: training\n  activity: A\n")
    os.symlink(elsewhere, root / OTJ_FILE)
    with pytest.raises(OtjWriteError) as caught:
        add_entry(root, _entry(content), ksb_checker(content), None)
    assert "symbolic link" in caught.value.message
    assert elsewhere.read_text().count("- date") == 1


def test_a_log_that_is_not_yaml_is_reported_and_never_added_to(root: Path, content) -> None:
    path = _write(root, "- date: 2026-01-05\n  hours: [1\n")
    log, _ = _read(root, content)
    assert log.fatal and str(log.problems[0]).startswith("otj.yaml:3: not valid YAML")
    with pytest.raises(OtjWriteError) as caught:
        add_entry(root, _entry(content), ksb_checker(content), None)
    assert "fix it first" in caught.value.message
    assert path.read_text() == "- date: 2026-01-05\n  hours: [1\n"


def test_a_log_changed_since_it_was_read_is_not_written(root: Path, content) -> None:
    path = _write(root, "- date: 2026-01-05\n  hours: 1\n  kind: training\n  activity: A\n")
    log, _ = _read(root, content)
    path.write_text(path.read_text() + "# edited elsewhere\n")
    with pytest.raises(OtjWriteError) as caught:
        add_entry(root, _entry(content), ksb_checker(content), None, expected=log.raw)
    assert "changed on disk since it was read" in caught.value.message


def test_a_flow_list_is_read_but_not_appended_to(root: Path, content) -> None:
    _write(root, "[{date: 2026-01-05, hours: 1, kind: training, activity: A}]\n")
    assert len(_read(root, content)[0].entries) == 1
    with pytest.raises(OtjWriteError) as caught:
        add_entry(root, _entry(content), ksb_checker(content), None)
    assert "[ ... ] list" in caught.value.message


def test_entries_with_problems_are_listed_with_their_lines(root: Path, content) -> None:
    _write(
        root,
        "- date: 2026-01-05\n  hours: 1\n  kind: training\n  activity: Fine\n"
        "- date: 2026-01-06\n  hours: lots\n  kind: training\n  activity: Bad hours\n"
        "- date: 2026-01-07\n  hour: 1\n  kind: training\n  activity: Misspelt\n"
        "- just text\n",
    )
    status = _status(root, content)
    assert [e.activity for e in status.entries] == ["Fine"]
    assert [(f.code, f.line, f.message) for f in status.flags] == [
        ("otj-unreadable", 5, "entry 2: hours must be hours like 3.5 or 3:30, not 'lots'"),
        (
            "otj-unreadable",
            9,
            "entry 3: unknown field 'hour' — did you mean 'hours'? (an entry takes: date, hours, "
            "activity, kind, ksbs, evidence, note)",
        ),
        (
            "otj-unreadable",
            13,
            "entry 4: an entry must be fields such as 'date: 2026-03-02' and 'hours: 3.5'",
        ),
    ]


def _log(root: Path, *entries: str) -> None:
    _write(root, "".join(entries))


def E(date: str, hours: str, activity: str, kind: str = "training", extra: str = "") -> str:
    return f"- date: {date}\n  hours: {hours}\n  kind: {kind}\n  activity: {activity}\n{extra}"


def _codes(status) -> list[tuple[str, str, int]]:
    return [(f.code, f.severity, f.number) for f in status.flags if f.code != "otj-gap"]


def test_each_implausible_entry_is_flagged_with_the_rule_it_breaks(root: Path, content) -> None:
    _log(
        root,
        E("2026-03-02", "5", "Strategy workshop"),  # 1
        E("2026-03-02", "3", "Shadowing the finance director", "shadowing"),  # 2: 8h > 7.5h day
        E("2025-08-20", "2", "Reading before the start"),  # 3: before start
        E("2026-04-01", "2", "Planned workshop"),  # 4: future
        E("2026-03-03", "1", "Weekly team meeting as part of my job"),  # 5: normal duties
        E("2026-03-04", "1", "Functional skills maths"),  # 6: English/maths by its words
        E("2026-03-05", "1", "Maths lesson", "english-maths"),  # 7: English/maths by kind
        E("2026-03-06", "1", "Progress review with tutor", "progress-review"),  # 8: not OTJ
        E("2026-03-09", "2", "Coaching course"),  # 9
        E("2026-03-09", "2", "Coaching course"),  # 10: duplicate of 9
        E("2026-03-10", "1", "Report writing", extra="  evidence: notes/missing.md\n"),  # 11
    )
    status = _status(root, content)
    assert _codes(status) == [
        ("otj-over-working-day", "error", 1),
        ("otj-before-start", "error", 3),
        ("otj-in-future", "error", 4),
        ("otj-english-maths", "error", 6),
        ("otj-not-counted", "error", 7),
        ("otj-not-counted", "error", 8),
        ("otj-duplicate", "error", 10),
        ("otj-normal-duties", "warning", 5),
        ("otj-unknown-evidence", "warning", 11),
    ]
    flags = {(f.code, f.number): f for f in status.flags}
    day = flags[("otj-over-working-day", 1)]
    assert day.message.startswith(
        "2026-03-02: 8 hours of off-the-job training, more than your 7.5-hour working day "
        "(entries 1, 2)"
    )
    assert "does not count as off-the-job training: training outside normal working hours" in (
        day.reason
    )
    assert flags[("otj-not-counted", 7)].reason.endswith(
        "does not count as off-the-job training: English and maths training"
    )
    assert flags[("otj-normal-duties", 5)].reason.endswith(
        "off-the-job training must teach new knowledge skills and behaviours"
    )
    assert flags[("otj-duplicate", 10)].message == (
        "Entry 10 repeats entry 9 (same date, hours, kind and activity); not counted twice."
    )
    # What the rules say is not OTJ is left out of the total: 1, 2, 5, 9 and 11 count.
    assert status.done == (5 + 3 + 1 + 2 + 1) * 60
    assert status.counted == frozenset({1, 2, 5, 9, 11})


def test_time_off_in_lieu_explains_a_long_day(root: Path, content) -> None:
    _log(
        root,
        E("2026-03-02", "5", "Strategy workshop"),
        E("2026-03-02", "4", "Evening masterclass", extra="  note: time off in lieu agreed\n"),
    )
    assert _codes(_status(root, content)) == []


def test_the_learners_own_duties_are_recognised(root: Path, content) -> None:
    (root / "companion.yaml").write_text(PROFILE + "normal_duties: [monthly board report]\n")
    _log(root, E("2026-03-02", "2", "Drafted the Monthly Board Report"))
    assert _codes(_status(root, content)) == [("otj-normal-duties", "warning", 1)]


def test_evidence_named_in_the_portfolio_is_found(root: Path, content) -> None:
    _log(root, E("2026-03-02", "2", "Report", extra="  evidence: notes/report.md\n"))
    assert _codes(_status(root, content, {"notes/report.md"})) == []


def test_gaps_longer_than_the_active_learning_interval_warn(tmp_path: Path, content) -> None:
    root = tmp_path / "p"
    root.mkdir()
    (root / "companion.yaml").write_text(
        "programme_start: 2023-09-04\nplanned_gateway: 2024-09-30\nhours_per_week: 37.5\n"
    )
    _log(root, E("2023-09-20", "6", "Induction workshop"), E("2023-12-15", "6", "Workshop"))
    profile = load_profile(root)
    log = read_log(root, ksb_checker(content), log_kinds(content, profile, TODAY))
    status = read_otj(content, profile, log, dt.date(2024, 1, 20))
    gap = next(f for f in status.flags if f.code == "otj-gap")
    # 2023/24 starts: an activity every calendar month (due by the end of the next month).
    assert gap.message == (
        "No off-the-job learning for more than 1 calendar month: 2023-09-20 to 2023-12-15."
    )


def test_hours_planned_to_date_the_gap_and_the_weeks_fallen_behind(root: Path, content) -> None:
    # 400 hours from 2025-09-01 to 2027-03-15 (560 days): about 5 hours a week.
    _log(
        root,
        E("2025-09-02", "10", "Induction workshop"),  # ahead for the first two weeks
        E("2025-10-20", "15", "Leadership course, day 1"),  # back on the plan in week 8
        E("2025-10-21", "15", "Leadership course, day 2"),
    )
    status = _status(root, content)
    assert status.required == 400 * 60
    assert status.planned == 400 * 60 * 201 // 560  # 1 Sept 2025 to 20 March 2026 is 201 days
    assert status.done == 40 * 60 and status.gap == status.planned - 40 * 60
    # More than a week's plan (5 hours) behind: from week 4, and again from week 10.
    assert [(b.week, b.start.isoformat()) for b in status.fell_behind] == [
        (4, "2025-09-22"),
        (10, "2025-11-03"),
    ]
    assert status.months[:3] == (("2025-09", 600), ("2025-10", 1800), ("2025-11", 0))
    assert status.months[-1] == ("2026-03", 0)
