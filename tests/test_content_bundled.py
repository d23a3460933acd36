"""Exact values from the handbook and the standard: a bad transcription fails here."""

from __future__ import annotations

import pytest

from companion.cli.main import main
from companion.content.ids import normalise_ac_id
from companion.content.load import load_content
from companion.text.wordcount import against_target


@pytest.fixture(scope="module")
def content():
    return load_content()


def test_counts(content) -> None:
    standard = content.standard
    assert len(content.units) == 7
    assert len(content.criteria) == 46
    assert sum(len(u.outcomes) for u in content.units) == 18
    kinds = [k.kind for k in standard.ksbs]
    assert (kinds.count("knowledge"), kinds.count("skill"), kinds.count("behaviour")) == (20, 21, 5)
    assert [k.id for k in standard.ksbs if k.kind == "knowledge"] == [f"K{i}" for i in range(1, 21)]
    assert [k.id for k in standard.ksbs if k.kind == "skill"] == [f"S{i}" for i in range(1, 22)]
    assert [k.id for k in standard.ksbs if k.kind == "behaviour"] == [f"B{i}" for i in range(1, 6)]
    assert len(standard.duties) == 12
    assert len(standard.groupings) == 7


def test_units_glh_and_ac_counts(content) -> None:
    figures = {u.id: (u.title, u.glh, len(u.criteria)) for u in content.units}
    assert figures == {
        "700": ("Building a High Performance Team", 182, 12),
        "701": ("Strategic Leadership", 55, 6),
        "702": ("Strategic Change Management", 89, 6),
        "703": ("Organisational Values & the Strategic Context", 95, 8),
        "704": ("Strategic Influencing & Negotiating", 46, 5),
        "705": ("Strategic Data Analysis", 47, 4),
        "706": ("Strategic Workforce & Logistics Planning", 33, 5),
    }
    assert sum(u.glh for u in content.units) == 547


def test_qualification(content) -> None:
    q = content.standard.qualification
    assert q.title == "City & Guilds Level 7 Diploma for Senior Leaders"
    assert q.codes == ("8431-31", "8431-33", "8431-63")
    assert (q.glh, q.tqt, q.grading, q.registration_valid_years) == (
        547,
        1001,
        ("Pass", "Referral"),
        3,
    )
    assert content.standard.id == "ST0480"
    assert content.standard.level == 7


@pytest.mark.parametrize(
    ("unit", "words", "band", "minutes"),
    [
        ("700", 4500, (4050, 4950), 30),
        ("701", 3000, (2700, 3300), 20),
        ("702", 5000, (4500, 5500), 35),
        ("703", 3500, (3150, 3850), 20),
        ("704", 3000, (2700, 3300), 20),
        ("705", 3000, (2700, 3300), 20),
        ("706", 2500, (2250, 2750), 20),
    ],
)
def test_assignment_word_counts(content, unit, words, band, minutes) -> None:
    assignment = content.unit(unit).assignment
    assert assignment.written_words == words
    assert assignment.tolerance_percent == 10
    target = against_target(0, assignment.written_words, assignment.tolerance_percent)
    assert (target.low, target.high) == band
    assert assignment.presentation_minutes == minutes
    assert assignment.discussion_minutes == minutes
    outcome_ids = [lo.id for lo in content.unit(unit).outcomes]
    assert [t.outcome for t in assignment.tasks] == outcome_ids
    assert sorted(ac for t in assignment.tasks for ac in t.criteria) == sorted(
        c.id for c in content.unit(unit).criteria
    )


@pytest.mark.parametrize(
    ("ac", "verb", "ksbs"),
    [
        ("700/1.1", "Explain", ("K10",)),
        ("700/1.3", "Evaluate", ("K18",)),
        ("700/1.4", "Optimise", ("S18", "B5")),
        ("700/2.2", "Evaluate", ("S17",)),
        ("700/3.1", "Justify", ("S4.2",)),
        ("700/3.3", "Justify", ("S16", "B2")),
        ("706/1.1", "Analyse", ("K11",)),
        ("706/1.2", "Evaluate", ("S9", "S14", "B4")),
        ("706/2.3", "Justify", ("S12",)),
    ],
)
def test_sample_criteria(content, ac, verb, ksbs) -> None:
    criterion = content.criterion(ac)
    assert criterion.verb == verb
    assert criterion.ksbs == ksbs


def test_pass_descriptor_ac(content) -> None:
    criterion = content.criterion("700/1.5")
    assert criterion.ksbs == ()
    assert criterion.pass_descriptor == "700-PD1"
    descriptor = content.grouping("team-working-development").descriptors[0]
    assert descriptor.ksbs == ("K10", "K18", "S18", "B5")
    assert descriptor.criteria == ("700/1.2", "700/1.5")


@pytest.mark.parametrize(
    ("ac", "minimums"),
    [
        ("700/1.1", [2]),
        ("700/1.2", [1]),
        ("700/1.3", [2]),
        ("700/2.1", [3]),
        ("700/2.2", [2]),
        ("700/3.2", [2]),
        ("700/3.3", [1, 1]),
        ("706/1.1", []),
    ],
)
def test_sample_minimums(content, ac, minimums) -> None:
    assert [r.min for r in content.criterion(ac).requirements] == minimums


def test_sample_checklists(content) -> None:
    assert [c.label for c in content.criterion("706/1.1").checklist] == [
        "Talent management",
        "Learning organisations",
        "Group work",
        "Workforce design",
        "Succession planning",
        "Diversity and Inclusion",
    ]


def test_sufficiency_is_verbatim(content) -> None:
    assert content.criterion("700/1.1").sufficiency == (
        "The learner must explain utilisation of both organisational and team dynamics to "
        "build engagement and develop a high performance team.\n\n"
        "The explanation must be supported by at least two relevant theories and models, "
        "including reference to leadership style and its impact."
    )
    assert (
        content.criterion("700/1.1").text
        == "Explain how to utilise organisational and team dynamics."
    )


def test_s4_parts_and_lookup(content) -> None:
    s4 = content.ksb("S4")
    assert [p.id for p in s4.parts] == ["S4.1", "S4.2"]
    assert content.ksb_text("S4.2") == (
        "Establish the value of ideas and change initiatives and driving continuous improvement."
    )
    assert content.ksb_text("K18") == "Coaching and mentoring techniques."


def test_epa_methods_per_grouping(content) -> None:
    methods = {g.units[0]: g.epa_method for g in content.standard.groupings}
    assert methods == {
        "700": "professional-discussion",
        "701": "strategic-business-proposal",
        "702": "professional-discussion",
        "703": "professional-discussion",
        "704": "strategic-business-proposal",
        "705": "strategic-business-proposal",
        "706": "professional-discussion",
    }


@pytest.mark.parametrize(
    ("fact", "value"),
    [
        ("portfolio-typical-pieces", 18),
        ("recording-max-minutes", 5),
        ("proposal-summary-max-words", 500),
        ("proposal-words", 4000),
        ("presentation-minutes", 20),
        ("questioning-minutes", 40),
        ("min-months-on-programme", 12),
        ("english-maths-level", 2),
    ],
)
def test_epa_facts(content, fact, value) -> None:
    assert content.epa_fact(fact) == value


def test_evidence_vocabulary(content) -> None:
    allowed = {t.id for t in content.evidence_types if t.allowed}
    ruled_out = {t.id for t in content.evidence_types if not t.allowed}
    assert {
        "performance-review",
        "project-plan",
        "report",
        "minutes",
        "demonstration",
        "presentation",
        "research-project",
        "recording",
        "witness-testimony",
    } <= allowed
    assert {
        "case-study",
        "simulation",
        "scenario",
        "reflective-account",
        "hyperlinked",
    } <= ruled_out
    assert all(t.reason for t in content.evidence_types if not t.allowed)


@pytest.mark.parametrize(
    "spelling",
    ["700 AC1.1", "8431-700 1.1", "700/1.1", "700/AC1.1", " 700  ac 1.1 ", "unit 700 AC1.1"],
)
def test_loose_spellings(content, spelling) -> None:
    assert normalise_ac_id(content, spelling) == "700/1.1"


def test_cli_check_and_show(capsys) -> None:
    assert main(["content", "check"]) == 0
    out = capsys.readouterr().out
    assert "units: 7" in out and "assessment criteria: 46" in out
    assert "KSBs: 46 (20 knowledge, 21 skill, 5 behaviour)" in out
    assert "duties: 12" in out
    assert main(["content", "show", "8431-700 1.3"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("700/1.3  Building a High Performance Team\nVerb: EVALUATE")
    assert "K18 Coaching and mentoring techniques." in out
    assert "GROW, OSCAR" in out
