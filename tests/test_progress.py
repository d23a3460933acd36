"""Progress per AC and its roll-ups, with exact values."""

from __future__ import annotations

from pathlib import Path

import pytest

from companion.assessment.progress import compute_progress
from companion.content.glossary import load_glossary, suggestions
from companion.content.load import load_content
from companion.notes.record import NoteRecord
from companion.notes.tags import read_tags


@pytest.fixture(scope="module")
def content():
    return load_content()


def _record(path: str, tags: list[dict], ref: str = "E1") -> NoteRecord:
    typed = tuple(read_tags({"evidence": tags})[0])
    return NoteRecord(path=path, fields={"title": path, "ref": ref}, tags=typed)


def test_untagged_ac_is_not_started(content) -> None:
    progress = compute_progress(content, [])
    assert progress.criteria["703/1.2"].status == "not-started"
    assert progress.units["703"].to_json() == {
        "total": 8,
        "sufficient": 0,
        "in_progress": 0,
        "not_started": 8,
    }


def test_items_gathered_across_notes_distinct_case_insensitive(content) -> None:
    records = [
        _record(
            "a.md",
            [
                {
                    "ac": "703/1.2",
                    "where": "p1",
                    "counts": {"factors": ["Budgeting", "KPIs"]},
                    "covers": ["sustainability"],
                }
            ],
            "E1",
        ),
        _record("b.md", [{"ac": "703/1.2", "where": "p4", "counts": {"factors": ["kpis"]}}], "E2"),
    ]
    progress = compute_progress(content, records)
    ac = progress.criteria["703/1.2"]
    assert [(r.id, r.min, r.have, r.items, r.met) for r in ac.requirements] == [
        ("factors", 2, 2, ["Budgeting", "KPIs"], True)
    ]
    assert ac.covered == {"sustainability": True, "business-continuity": False}
    assert ac.status == "in-progress"
    assert [(e.note, e.ref, e.where) for e in ac.evidence] == [
        ("a.md", "E1", "p1"),
        ("b.md", "E2", "p4"),
    ]
    records.append(
        _record("c.md", [{"ac": "703/1.2", "where": "p2", "covers": ["business-continuity"]}], "E3")
    )
    assert compute_progress(content, records).criteria["703/1.2"].status == "sufficient"


def test_minimum_not_met_keeps_in_progress(content) -> None:
    records = [
        _record(
            "a.md",
            [
                {
                    "ac": "703/1.2",
                    "where": "p1",
                    "counts": {"factors": ["x"]},
                    "covers": ["sustainability", "business-continuity"],
                }
            ],
        )
    ]
    ac = compute_progress(content, records).criteria["703/1.2"]
    assert (ac.requirements[0].have, ac.requirements[0].met, ac.status) == (1, False, "in-progress")


def test_ac_without_requirements_or_checklist_is_sufficient_on_a_tag(content) -> None:
    ac = next(c for c in content.criteria if not c.requirements and not c.checklist)
    progress = compute_progress(content, [_record("a.md", [{"ac": ac.id, "where": "p1"}])])
    assert progress.criteria[ac.id].status == "sufficient"


def test_rollups_per_unit_ksb_grouping_and_method(content) -> None:
    all_items = [
        "talent-management",
        "learning-organisations",
        "group-work",
        "workforce-design",
        "succession-planning",
        "diversity-inclusion",
    ]
    records = [
        _record(
            "w.md",
            [
                {"ac": "706/1.1", "where": "p1", "covers": all_items},
                {"ac": "706/2.1", "where": "p3"},
            ],
            "E1",
        ),
        _record("x.md", [{"ac": "703/1.2", "where": "p1"}], "E2"),
        _record("bad.md", [{"ac": "999/1.1", "where": "p1"}], "E3"),
    ]
    progress = compute_progress(content, records)
    assert progress.criteria["706/1.1"].status == "sufficient"
    assert progress.units["706"].to_json() == {
        "total": 5,
        "sufficient": 2,
        "in_progress": 0,
        "not_started": 3,
    }
    assert progress.outcomes["706/2"].sufficient == 1
    assert sorted(progress.ksbs["K11"].notes) == ["w.md"]
    assert progress.ksbs["S12"].criteria == ["706/2.1", "706/2.2", "706/2.3"]
    assert progress.ksbs["S12"].epa_method == "professional-discussion"
    assert progress.groupings["finance-workforce-planning-procurement"].sufficient == 2
    assert progress.methods["professional-discussion"].in_progress == 1


def test_only_models_the_ac_names_are_suggested(content, tmp_path: Path) -> None:
    glossary = load_glossary(content)
    text = "We used the GROW model, then OSCAR, and SWOT."
    assert glossary.detect(text) == ["GROW", "OSCAR", "SWOT"]
    assert suggestions(glossary, text, content.criterion("703/2.1")) == {"models": ["SWOT"]}
    assert suggestions(glossary, text, content.criterion("706/1.1")) == {}


def test_a_coaching_note_suggests_nothing_for_a_culture_ac(content) -> None:
    """Tagging a coaching note to 700/1.2 must not offer GROW as a theory of culture."""
    glossary = load_glossary(content)
    text = "Coaching sessions used the GROW and OSCAR models."
    assert suggestions(glossary, text, content.criterion("700/1.2")) == {}
    kotter = "We used GROW with Kotter's eight steps and ADKAR."
    assert suggestions(glossary, kotter, content.criterion("700/1.3")) == {"models": ["GROW"]}
