"""The query syntax over front matter and tags: each operator on each kind of value."""

from __future__ import annotations

import pytest

from companion.notes.record import NoteRecord
from companion.notes.tags import Tag
from companion.views.note_query import QueryError, parse_clause, parse_filter, tagged, untagged

NOTE = NoteRecord(
    "evidence/06-risk-committee-minutes.md",
    fields={
        "title": "Operations and Risk Committee minutes",
        "ref": "E010",
        "date": "2026-02-24",
        "type": "minutes",
        "team": True,
        "witness": {"name": "Jo Patel", "signed": False},
        "references": ["Kotter, J. P. (1996) Leading Change.", "Schein, E. (2010) Culture."],
        "unit": "",
    },
    tags=(Tag("703/4.2", where="p2"), Tag("703/1.1", where="p3")),
    words=208,
    citations=2,
)
UNTAGGED = NoteRecord("notes/ideas.md", fields={"title": "ideas"}, words=54)


@pytest.mark.parametrize(
    ("clause", "holds"),
    [
        ("type=minutes", True),
        ("type=MINUTES", True),
        ("type!=minutes", False),
        ("type=report", False),
        ("type~min", True),
        ("type!~min", False),
        ("date>=2026-01-01", True),
        ("date>=2026-02-25", False),
        ("date<=2026-02-24", True),
        ("date<2026-02-24", False),
        ("date>=2026-02", True),  # a month compares with the month
        ("date<2026", False),
        ("words>200", True),
        ("words>=209", False),
        ("words=208", True),
        ("words=208.0", True),
        ("tags=2", True),
        ("citations>=2", True),
        ("flags=0", True),
        ("ac=703/4.2", True),
        ("ac=700/1.1", False),
        ("ac!=700/1.1", True),
        ("ac~703/", True),
        ("team=yes", True),
        ("team=true", True),
        ("team=no", False),
        ("witness.signed=false", True),
        ("witness.name~patel", True),
        ("references~schein", True),
        ("references~goleman", False),
        ("unit=", True),  # empty: no unit
        ("unit!=", False),
        ("contribution=", True),  # missing
        ("contribution~x", False),
        ("title~committee minutes", True),
        ("path~evidence/", True),
        ("file=06-risk-committee-minutes.md", True),
        ("ref>E009", True),  # text compares as text
    ],
)
def test_each_operator(clause: str, holds: bool) -> None:
    assert parse_clause(clause).matches(NOTE) is holds


def test_untagged_and_tagged() -> None:
    assert (untagged().matches(NOTE), untagged().matches(UNTAGGED)) == (False, True)
    assert (tagged("703/1.1").matches(NOTE), tagged("703/1.1").matches(UNTAGGED)) == (True, False)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("type", "'type' is not a condition: write KEY, an operator"),
        ("=minutes", "'=minutes' is not a condition"),
        ("date>=", "'date>=' compares with nothing: give a value after >="),
    ],
)
def test_a_clause_that_cannot_be_read_says_why(text: str, message: str) -> None:
    with pytest.raises(QueryError, match=message):
        parse_clause(text)


def test_the_filter_box_mixes_conditions_and_words() -> None:
    clauses, words = parse_filter('board type=minutes title~"risk committee" date>=2026')
    assert [str(c) for c in clauses] == ["type=minutes", "title~risk committee", "date>=2026"]
    assert words == "board"
