"""Cite Them Right forms as university library guides print them: each read exactly, and
a clean one never warns (tests/citations/ctr_forms.yaml says where each came from)."""

from __future__ import annotations

from typing import Any

import pytest
from ctr_corpus import evaluate, load, report

DATA = load()
FORMS = DATA["forms"]
READ = [f for f in FORMS if "miss" not in f]
WITH_ENTRIES = [f for f in FORMS if f.get("refs") and f.get("clean", True) and "miss" not in f]


def test_the_corpus_holds_at_least_150_forms_from_the_guides_each_with_its_source() -> None:
    genuine = [f for f in FORMS if "derived" not in f]
    assert len(genuine) >= 150
    assert len({f["id"] for f in FORMS}) == len(FORMS)
    for form in FORMS:
        guide = DATA["guides"][form["source"]]
        assert guide["url"].startswith("http") and guide["guide"]
    kinds = " ".join(f["text"] for f in FORMS)
    for form in [
        "et al.",
        "no date",
        "n.d.",
        "cited in",
        "2005a",
        "Act 2012",
        "Order 2003",
        "Rules 1986",
        "p. 14",
        "pp.",
        "; ",
        "Cosio-Lima",
        "’s",
        "&",
    ]:
        assert form in kinds


@pytest.mark.parametrize("form", READ, ids=[f["id"] for f in READ])
def test_each_form_is_read_exactly(form: dict[str, Any]) -> None:
    assert evaluate(form).read == form["read"]


@pytest.mark.parametrize("form", WITH_ENTRIES, ids=[f["id"] for f in WITH_ENTRIES])
def test_each_clean_form_matches_its_entries_without_a_warning(form: dict[str, Any]) -> None:
    outcome = evaluate(form)
    assert outcome.matched
    assert outcome.warnings == []
    assert outcome.hints == ([form["hint"]] if form.get("hint") else [])


def test_a_form_the_guide_itself_gets_wrong_is_warned_about() -> None:
    for form in [f for f in FORMS if f.get("clean") is False]:
        assert evaluate(form).warnings, form["id"]


def test_recall_and_false_warnings_over_the_corpus() -> None:
    assert report(DATA) == {"forms": 152, "read": 146, "recalled": 143, "false_warnings": 1}
