"""Sufficiency means something: a claimed item the evidence never names is a warning and
counts for nothing, and evidence far too short for its AC's command verb is a warning."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from companion.assessment.progress import compute_progress
from companion.assessment.rules import WARNING, check_note
from companion.content.glossary import load_glossary
from companion.content.load import load_content
from companion.notes.record import NoteRecord, build_record
from companion.portfolio.profile import Profile
from companion.text.mentions import Mentions, Spellings
from companion.text.word_rules import WordCountRules

TODAY = dt.date(2026, 11, 22)
PROFILE = Profile(learner="Alex Morgan", programme_start=dt.date(2025, 9, 1))
HEAD = "title: T\nref: E001\ndate: 2026-01-10\nlearner: Alex Morgan\ntype: report\n"
JUSTIFY_TAG = (
    "evidence:\n- ac: 700/3.3\n  where: p1\n  counts:\n"
    "    goal-setting-models: [SMART]\n    accountability-models: [RACI]\n"
    "  covers: [teams, individuals, good-practice, recommendations, values-alignment]\n"
)
FILLER = (
    "I set goals for the repairs teams and for each supervisor, agreed who is accountable "
    "for each outcome, and checked them against our values of integrity, respect, "
    "innovation and drive. Good practice was the monthly review; for the future I recommend "
    "that each team sets its own measures with tenants, and that accountability for each "
    "measure is published so that the Board, staff and tenants can see who answers for it. "
    "The supervisors agreed their own goals with me, and each team agreed theirs together. "
)


@pytest.fixture(scope="module")
def content():
    return load_content()


@pytest.fixture(scope="module")
def spellings(content) -> Spellings:
    return load_glossary(content).spellings


def _record(tmp_path: Path, text: str, spellings: Spellings, name: str = "n.md") -> NoteRecord:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return build_record(path, name, WordCountRules(), spellings=spellings)


def _ours(flags):
    return [
        (f.code, f.severity, f.message, f.ac, f.acknowledged)
        for f in flags
        if f.code in ("claim-not-mentioned", "evidence-too-short")
    ]


def test_a_body_that_names_nothing_claims_nothing(content, spellings, tmp_path: Path) -> None:
    record = _record(tmp_path, f"---\n{HEAD}{JUSTIFY_TAG}---\nBody.\n", spellings)
    flags = check_note(record, content, PROFILE, TODAY)
    assert _ours(flags) == [
        (
            "claim-not-mentioned",
            WARNING,
            "SMART is counted for 700/3.3 but the evidence never mentions it.",
            "700/3.3",
            False,
        ),
        (
            "claim-not-mentioned",
            WARNING,
            "RACI is counted for 700/3.3 but the evidence never mentions it.",
            "700/3.3",
            False,
        ),
        (
            "evidence-too-short",
            WARNING,
            "The evidence is 1 word long: far too short to justify for 700/3.3 "
            "(at least 75 words).",
            "700/3.3",
            False,
        ),
    ]
    reason = next(f.reason for f in flags if f.code == "claim-not-mentioned")
    assert reason.startswith("Handbook Section 8, Units: Assessment Requirements (Sufficiency)")
    ac = compute_progress(content, [record]).criteria["700/3.3"]
    assert [(r.id, r.have) for r in ac.requirements] == [
        ("goal-setting-models", 0),
        ("accountability-models", 0),
    ]
    assert all(ac.covered.values())  # plain checklist items are not names to look for
    assert ac.status == "in-progress"


def test_evidence_that_names_its_models_is_sufficient(content, spellings, tmp_path: Path) -> None:
    body = FILLER + "Goals follow SMART; accountability is set out in a RACI matrix.\n"
    record = _record(tmp_path, f"---\n{HEAD}{JUSTIFY_TAG}---\n{body}", spellings)
    assert _ours(check_note(record, content, PROFILE, TODAY)) == []
    assert compute_progress(content, [record]).criteria["700/3.3"].status == "sufficient"


def test_only_the_unnamed_item_is_left_out(content, spellings, tmp_path: Path) -> None:
    body = FILLER + "Goals follow the SMART model.\n"
    record = _record(tmp_path, f"---\n{HEAD}{JUSTIFY_TAG}---\n{body}", spellings)
    assert [m for _, _, m, _, _ in _ours(check_note(record, content, PROFILE, TODAY))] == [
        "RACI is counted for 700/3.3 but the evidence never mentions it."
    ]
    ac = compute_progress(content, [record]).criteria["700/3.3"]
    assert [(r.id, r.items) for r in ac.requirements] == [
        ("goal-setting-models", ["SMART"]),
        ("accountability-models", []),
    ]
    assert ac.status == "in-progress"


def test_an_acknowledged_claim_counts_again(content, spellings, tmp_path: Path) -> None:
    body = FILLER + "Goals follow SMART.\n"
    text = f"---\n{HEAD}acknowledge: [claim-not-mentioned]\n{JUSTIFY_TAG}---\n{body}"
    record = _record(tmp_path, text, spellings)
    assert _ours(check_note(record, content, PROFILE, TODAY)) == [
        (
            "claim-not-mentioned",
            WARNING,
            "RACI is counted for 700/3.3 but the evidence never mentions it.",
            "700/3.3",
            True,
        )
    ]
    assert compute_progress(content, [record]).criteria["700/3.3"].status == "sufficient"


@pytest.mark.parametrize(
    ("claim", "text"),
    [
        ("GROW", "Each session followed GROW."),
        ("GROW", "Each session followed the GROW model."),
        ("GROW", "Each session followed the Grow model."),
        ("GROW model", "Each session followed GROW, then OSCAR."),
        ("Kotter", "We planned the change with Kotter's eight steps."),
        ("Kotter", "We planned the change with Kotter's 8-step model."),
        ("Kotter's 8 steps", "We planned the change with Kotter's eight-step model."),
        ("Kotter's eight-step", "Kotter's eight step process framed the plan."),
        ("ADKAR", "The ADKAR stages framed each team's readiness."),
        ("McKinsey 7S", "The McKinsey 7-S framework showed our systems lag."),
        ("Shannon-Weaver", "Shannon and Weaver (1949) describe the noise."),
        ("Hersey-Blanchard", "Situational leadership (Hersey and Blanchard) guided me."),
        ("Tenant panel", "The TENANT PANEL reviewed a sample of cases."),
    ],
)
def test_a_name_is_found_by_its_variants(spellings, claim: str, text: str) -> None:
    assert Mentions(text).names(claim, spellings)


@pytest.mark.parametrize(
    ("claim", "text"),
    [
        ("GROW", "We grow the team each year."),  # an acronym in lower case is a word
        ("SMART", "A smart plan."),
        ("PESTLE", "The PESTLED review."),  # whole words only
        ("Kotter", "The Kotters were there."),
        ("Tenant panel", "The tenant said the panel met."),
        ("RACI", "Nothing here."),
    ],
)
def test_a_name_is_not_found_in_other_words(spellings, claim: str, text: str) -> None:
    assert not Mentions(text).names(claim, spellings)


def test_a_card_is_judged_by_its_file_text(content, spellings, tmp_path: Path) -> None:
    (tmp_path / "plan.txt").write_text(
        "Alex Morgan E001 2026-01-10\n" + FILLER + "Goals follow SMART and a RACI chart.\n",
        encoding="utf-8",
    )
    card = f"---\n{HEAD}file: plan.txt\n{JUSTIFY_TAG}---\n"
    record = _record(tmp_path, card, spellings, "plan.txt.md")
    assert record.is_card
    assert _ours(check_note(record, content, PROFILE, TODAY)) == []
    assert compute_progress(content, [record]).criteria["700/3.3"].status == "sufficient"


def test_a_card_whose_file_does_not_name_the_model_warns(
    content, spellings, tmp_path: Path
) -> None:
    (tmp_path / "plan.txt").write_text("Alex Morgan E001 2026-01-10\n" + FILLER, encoding="utf-8")
    card = f"---\n{HEAD}file: plan.txt\n{JUSTIFY_TAG}---\n"
    record = _record(tmp_path, card, spellings, "plan.txt.md")
    assert [m for _, _, m, _, _ in _ours(check_note(record, content, PROFILE, TODAY))] == [
        "SMART is counted for 700/3.3 but the evidence never mentions it.",
        "RACI is counted for 700/3.3 but the evidence never mentions it.",
    ]


def test_own_words_items_are_not_looked_for(content, spellings, tmp_path: Path) -> None:
    tag = (
        "evidence:\n- ac: 700/2.2\n  where: p1\n  counts:\n"
        "    incidents: [Contractor cost overrun (Feb 2026)]\n"
    )
    record = _record(tmp_path, f"---\n{HEAD}{tag}---\n{FILLER}\n", spellings)
    assert record.unmentioned == [["700/2.2", "incidents", "Contractor cost overrun (Feb 2026)"]]
    assert _ours(check_note(record, content, PROFILE, TODAY)) == []
    items = compute_progress(content, [record]).criteria["700/2.2"].requirements[0].items
    assert items == ["Contractor cost overrun (Feb 2026)"]


@pytest.mark.parametrize(
    ("ac", "words", "message"),
    [
        (
            "700/3.3",
            74,
            "The evidence is 74 words long: far too short to justify for 700/3.3 "
            "(at least 75 words).",
        ),
        ("700/3.3", 75, None),
        (
            "700/1.1",
            39,
            "The evidence is 39 words long: far too short to explain for 700/1.1 "
            "(at least 40 words).",
        ),
        ("700/1.1", 40, None),
        (
            "705/2.1",
            99,
            "The evidence is 99 words long: far too short to critically evaluate "
            "for 705/2.1 (at least 100 words).",
        ),
        (
            "702/2.2",
            74,
            "The evidence is 74 words long: far too short to justify and review "
            "for 702/2.2 (at least 75 words).",
        ),
    ],
)
def test_evidence_too_short_for_its_verb(
    content, spellings, tmp_path: Path, ac: str, words: int, message: str | None
) -> None:
    body = " ".join(["word"] * words)
    record = _record(
        tmp_path, f"---\n{HEAD}evidence:\n- ac: {ac}\n  where: p1\n---\n{body}\n", spellings
    )
    expected = [("evidence-too-short", WARNING, message, ac, False)] if message else []
    assert _ours(check_note(record, content, PROFILE, TODAY)) == expected


def test_the_floors_are_content(content) -> None:
    rule = content.rule("depth")
    assert rule is not None
    assert rule.fewest_words("Justify") == 75
    assert rule.fewest_words("justify  and review") == 75
    assert rule.fewest_words("Critically evaluate") == 100
    assert rule.fewest_words("Describe") == 40
    assert rule.fewest_words("Summarise") == 75  # a verb not listed takes the default


def test_a_changed_glossary_reads_a_claiming_note_again(content, tmp_path: Path) -> None:
    text = f"---\n{HEAD}{JUSTIFY_TAG}---\nBody.\n"
    before = _record(tmp_path, text, Spellings.of([["SMART"]]))
    after = Spellings.of([["SMART", "SMART goals"]])
    assert before.spelled and before.spelled != after.key
    untagged = _record(tmp_path, f"---\n{HEAD}---\nBody.\n", after, "u.md")
    assert untagged.spelled == ""  # nothing claimed: no spellings to go stale
