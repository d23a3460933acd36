"""Each evidence rule fires on the note it describes, with its code and severity, and only then."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from companion.assessment.rules import ERROR, WARNING, check_note, check_portfolio
from companion.content.load import load_content
from companion.notes.record import build_record
from companion.portfolio.profile import Profile
from companion.text.values import parse_duration
from companion.text.word_rules import WordCountRules

TODAY = dt.date(2026, 11, 22)
PROFILE = Profile(learner="Alex Morgan", programme_start=dt.date(2025, 9, 1))
GOOD_HEAD = "title: T\nref: E001\ndate: 2026-01-10\nlearner: Alex Morgan\n"


@pytest.fixture(scope="module")
def content():
    return load_content()


def _flags(content, tmp_path: Path, text: str, name: str = "n.md"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    record = build_record(path, name, WordCountRules())
    return check_note(record, content, PROFILE, TODAY)


def _codes(flags) -> set[tuple[str, str]]:
    return {(f.code, f.severity) for f in flags}


def test_a_clean_note_has_no_flags(content, tmp_path: Path) -> None:
    text = (
        f"---\n{GOOD_HEAD}type: report\nevidence:\n- ac: 700/1.1\n  where: p1\n---\n"
        "The report sets out the team's objectives for the year, how each was agreed with the "
        "team at the away day, and why the team's culture of shared ownership makes them "
        "achievable: each member chose the objective they lead and reports on it monthly.\n"
    )
    assert _flags(content, tmp_path, text) == []


@pytest.mark.parametrize(
    ("head", "body", "expected"),
    [
        ("type: case-study\n", "x", ("type-not-allowed", ERROR)),
        ("type: simulation\n", "x", ("type-not-allowed", ERROR)),
        ("type: reflective-account\n", "x", ("type-not-allowed", ERROR)),
        ("type: blogpost\n", "x", ("unknown-type", WARNING)),
        (
            "type: report\n",
            "In this scenario the manager role-played.",
            ("reads-as-simulation", WARNING),
        ),
        (
            "type: report\n",
            "On reflection, I would change my approach.",
            ("reads-as-reflective", WARNING),
        ),
        ("type: report\n", "https://intranet.example.org/report/123", ("needs-hyperlinks", ERROR)),
        (
            "type: report\n",
            "Long text " * 20 + " see https://example.org/x",
            ("bare-links", WARNING),
        ),
        (
            "type: report\n",
            "Email jo.bloggs@northbridge.org.uk please.",
            ("personal-data", WARNING),
        ),
        ("type: report\n", "Ring 01632 960 123 today.", ("personal-data", WARNING)),
        (
            "type: report\n",
            "As Kotter (1996) argues, urgency matters.",
            ("citations-no-references", WARNING),
        ),
        ("type: report\nteam: true\n", "x", ("team-no-contribution", WARNING)),
        (
            "type: witness-testimony\nwitness: {name: Jo, relationship: line manager, date: 2026-01-10}\n",
            "x",
            ("witness-unsigned", ERROR),
        ),
        (
            "type: witness-testimony\nwitness: {name: Jo, signed: true, date: 2026-01-10}\n",
            "x",
            ("witness-no-relationship", ERROR),
        ),
        (
            "type: witness-testimony\nwitness: {name: Jo, signed: true, relationship: manager}\n",
            "x",
            ("witness-undated", ERROR),
        ),
        (
            "type: recording\nrecording: {duration: '4:00'}\n",
            "x",
            ("recording-no-introduction", ERROR),
        ),
        (
            "type: recording\nrecording: {duration: '6:10', introduction: true}\n",
            "x",
            ("recording-too-long", ERROR),
        ),
        (
            "type: recording\nrecording: {duration: '4:10', introduction: true}\n"
            "evidence:\n- ac: 700/1.1\n  where: p2\n",
            "x",
            ("recording-tag-no-timestamp", ERROR),
        ),
        ("type: report\nevidence:\n- ac: 799/1.1\n  where: p1\n", "x", ("unknown-ac", ERROR)),
        ("type: report\nevidence:\n- ac: 700/1.1\n", "x", ("tag-no-where", WARNING)),
        (
            "type: report\nevidence:\n- ac: 700/1.1\n  where: p1\n  counts: {widgets: [a]}\n",
            "x",
            ("unknown-requirement", WARNING),
        ),
        (
            "type: report\nevidence:\n- ac: 700/1.1\n  where: p1\n  covers: [nothing]\n",
            "x",
            ("unknown-checklist-item", WARNING),
        ),
        ("type: report\nevidence: not-a-list\n", "x", ("bad-evidence-list", ERROR)),
    ],
)
def test_rule_fires(content, tmp_path: Path, head: str, body: str, expected) -> None:
    flags = _flags(content, tmp_path, f"---\n{GOOD_HEAD}{head}---\n{body}\n")
    assert expected in _codes(flags)


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        ("title: T\ndate: 2026-01-10\nlearner: A\ntype: report\n", "missing-ref"),
        ("title: T\nref: E1\nlearner: A\ntype: report\n", "missing-date"),
        ("title: T\nref: E1\ndate: 2026-01-10\ntype: report\n", "missing-learner"),
        (
            "title: T\nref: E1\ndate: 2025-08-01\nlearner: A\ntype: report\n",
            "dated-before-programme",
        ),
        ("title: T\nref: E1\ndate: 2027-01-01\nlearner: A\ntype: report\n", "dated-in-future"),
        ("title: T\nref: E1\ndate: last spring\nlearner: A\ntype: report\n", "bad-date"),
    ],
)
def test_header_rules(content, tmp_path: Path, head: str, expected: str) -> None:
    flags = _flags(content, tmp_path, f"---\n{head}---\nx\n")
    assert (expected, ERROR) in _codes(flags)


def test_recording_with_timestamps_and_introduction_passes(content, tmp_path: Path) -> None:
    text = (
        f"---\n{GOOD_HEAD}type: recording\nrecording: {{duration: '4:40', introduction: true}}\n"
        "evidence:\n- ac: 700/1.1\n  where: '02:15'\n---\n00:00 Introduction\n"
    )
    assert _flags(content, tmp_path, text) == []


def test_acknowledged_warning_is_kept_and_marked(content, tmp_path: Path) -> None:
    text = (
        f"---\n{GOOD_HEAD}type: report\nacknowledge: [personal-data, missing-ref]\n---\n"
        "Email jo@example.org\n"
    )
    flags = _flags(content, tmp_path, text)
    assert [(f.code, f.acknowledged) for f in flags] == [("personal-data", True)]


def test_unreadable_notes_are_errors(content, tmp_path: Path) -> None:
    flags = _flags(content, tmp_path, "---\ntitle: [oops\n---\n")
    assert _codes(flags) == {("bad-yaml", ERROR)}
    path = tmp_path / "latin.md"
    path.write_bytes(b"caf\xe9")
    record = build_record(path, "latin.md", WordCountRules())
    assert _codes(check_note(record, content, PROFILE, TODAY)) == {("unreadable-encoding", ERROR)}


def test_duplicate_refs_across_notes(content, tmp_path: Path) -> None:
    records = []
    for name in ("a.md", "b.md"):
        (tmp_path / name).write_text(f"---\n{GOOD_HEAD}type: report\n---\nx\n")
        records.append(build_record(tmp_path / name, name, WordCountRules()))
    flags = check_portfolio(records, content, PROFILE, TODAY)
    assert [(f.code, f.note) for f in flags] == [
        ("duplicate-ref", "a.md"),
        ("duplicate-ref", "b.md"),
    ]


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("4:30", 270),
        ("1:02:03", 3723),
        (300, 300),
        ("5m", 300),
        ("90s", 90),
        ("soon", None),
        (None, None),
    ],
)
def test_parse_duration(value, seconds) -> None:
    assert parse_duration(value) == seconds
