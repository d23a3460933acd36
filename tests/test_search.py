"""Full-text search: the query syntax, the index kept current by size and time, results
with their lines and ACs, and the command line."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from cli_support import RunCli

from companion.cli.main import main
from companion.portfolio.portfolio import Portfolio
from companion.portfolio.search import search_notes, without_tags
from companion.text.search_query import SearchError, fold, parse_query, snippet


@pytest.mark.parametrize(
    ("typed", "fts"),
    [
        ("Schein", '("schein")'),
        ("Schein culture", '("schein" "culture")'),
        ('"psychological safety"', '("psychological safety")'),
        ("cultur*", '("cultur"*)'),
        ("Schein OR Kotter", '("schein") OR ("kotter")'),
        ("coaching -draft", '("coaching" NOT "draft")'),
        ("700/1.1", '("700 1 1")'),  # an AC is the phrase of its numbers
        ('Müller "a""b"', '("muller" "a" "b")'),  # two quoted words
        ("AND NOT NEAR", '("and" "not" "near")'),  # FTS5's words are words here
    ],
)
def test_what_is_typed_becomes_a_safe_fts_query(typed: str, fts: str) -> None:
    assert parse_query(typed).fts() == fts


@pytest.mark.parametrize("typed", ["", "   ", "-draft", "--", "£ % —", "OR"])
def test_a_query_with_no_word_is_refused(typed: str) -> None:
    with pytest.raises(SearchError, match="has no word to search for"):
        parse_query(typed)


def test_lines_match_as_the_index_does() -> None:
    query = parse_query('muller cultur* "espoused values"')
    assert fold("Müller's") == "muller's"
    assert query.line_spans("Work by Müller (2019) on culture") == [(8, 14), (25, 32)]
    assert query.line_spans("what we say (espoused values) and") == [(13, 28)]
    assert query.line_spans("espoused, values") == [(0, 16)]  # tokens in a row
    assert query.line_spans("multicultural and mullers") == []  # whole words, prefix at the start
    long = "x " * 60 + "Schein (2010) separates what we show " + "y " * 40
    # 100 characters from a third of the width before the match: 16 x, the words, 15 y
    assert snippet(long, parse_query("Schein").line_spans(long)) == (
        "…" + "x " * 16 + "Schein (2010) separates what we show " + "y " * 14 + "y…"
    )


def test_the_evidence_tags_are_not_searched_but_every_line_keeps_its_number() -> None:
    text = (
        "---\ntitle: Away day\nevidence:\n  - ac: 700/1.1\n    counts:\n      models: [Schein]\n"
        "- ac: 700/1.2\nreferences:\n  - Schein, E. (2010) Culture.\n---\nBody\n"
    )
    assert without_tags(text).split("\n") == [
        "---",
        "title: Away day",
        "",
        "",
        "",
        "",
        "",
        "references:",
        "  - Schein, E. (2010) Culture.",
        "---",
        "Body",
        "",
    ]


def _search(root: Path, typed: str, **options):
    portfolio = Portfolio(root)
    try:
        return search_notes(portfolio, parse_query(typed), **options)
    finally:
        portfolio.close()


def _index_file(portfolio_root: Path) -> Path:
    portfolio = Portfolio(portfolio_root)
    try:
        assert portfolio.store is not None
        return portfolio.store.folder / "search.sqlite"
    finally:
        portfolio.close()


def test_scanning_and_the_status_never_build_the_text_index(example: Path, capsys) -> None:
    assert main(["status", str(example)]) == 0
    assert main(["check", str(example)]) == 1
    capsys.readouterr()
    assert not _index_file(example).exists()
    _search(example, "Schein")
    assert _index_file(example).exists()


def test_a_search_finds_the_note_its_lines_and_its_acs(example: Path) -> None:
    results = _search(example, "Schein")
    assert results.total == 1
    (hit,) = results.hits
    assert (hit.note, hit.ref, hit.acs) == (
        "evidence/05-away-day-presentation.md",
        "E006",
        ["700/1.1", "700/1.2"],
    )
    assert [number for number, _ in hit.lines] == [10, 49]
    assert hit.lines[1][1].startswith("Schein (2010) separates what we show (artefacts)")


def test_only_changed_notes_are_read_again(example: Path) -> None:
    assert _search(example, "Schein").total == 1
    plan = example / "evidence" / "02-programme-plan.md"
    plan.write_text(plan.read_text() + "\nThe culture work follows Schein.\n")
    minutes = example / "evidence" / "05-away-day-presentation.md"
    os.remove(minutes)
    results = _search(example, "Schein")
    assert [hit.note for hit in results.hits] == ["evidence/02-programme-plan.md"]
    assert results.hits[0].lines[-1][0] == len(plan.read_text().splitlines())


def test_results_are_ranked_and_limited(example: Path) -> None:
    every = _search(example, "repairs", limit=0)
    few = _search(example, "repairs", limit=3)
    assert every.total == few.total == len(every.hits) > 3
    assert [h.note for h in few.hits] == [h.note for h in every.hits[:3]]


def test_a_damaged_search_index_is_moved_aside_and_rebuilt(example: Path) -> None:
    _search(example, "Schein")
    index = _index_file(example)
    for suffix in ("-wal", "-shm"):
        Path(str(index) + suffix).unlink(missing_ok=True)
    index.write_bytes(b"this is not a database" * 100)
    portfolio = Portfolio(example)
    try:
        results = search_notes(portfolio, parse_query("Schein"))
        assert results.total == 1
        assert "The search index was damaged" in portfolio.text_index.warnings[0]
    finally:
        portfolio.close()
    assert list(index.parent.glob("search.corrupt-*.sqlite"))


# --- the command line --------------------------------------------------------------------


def test_companion_search_prints_the_note_its_lines_and_acs(example: Path, run_cli: RunCli) -> None:
    code, out, _ = run_cli("search", str(example), "Schein")
    assert code == 0
    assert out.splitlines() == [
        "evidence/05-away-day-presentation.md  E006  Operations management away day — team "
        "dynamics and culture  [700/1.1, 700/1.2]",
        "     10: - Schein, E. H. (2010) Organizational Culture and Leadership. 4th edn. San "
        "Francisco. Jossey-Bass.",
        "     49: Schein (2010) separates what we show (artefacts), what we say (espoused values) "
        "and what we",
        "",
        "1 note matches Schein",
    ]
    code, out, _ = run_cli("search", str(example), "Schein", "--json")
    assert json.loads(out) == {
        "query": "Schein",
        "total": 1,
        "notes": [
            {
                "note": "evidence/05-away-day-presentation.md",
                "title": "Operations management away day — team dynamics and culture",
                "ref": "E006",
                "acs": ["700/1.1", "700/1.2"],
                "lines": [
                    {
                        "line": 10,
                        "text": "- Schein, E. H. (2010) Organizational Culture and Leadership. "
                        "4th edn. San Francisco. Jossey-Bass.",
                    },
                    {
                        "line": 49,
                        "text": "Schein (2010) separates what we show (artefacts), what we say "
                        "(espoused values) and what we",
                    },
                ],
            }
        ],
    }


def test_companion_search_exits_1_when_nothing_matches_and_2_for_no_word(
    example: Path, run_cli: RunCli
) -> None:
    code, out, _ = run_cli("search", str(example), "zebra")
    assert (code, out) == (1, "0 notes match zebra\n")
    code, out, err = run_cli("search", str(example), "—")
    assert code == 2 and out == ""
    assert err.startswith("companion: '—' has no word to search for")
    code, out, _ = run_cli("search", str(example), "repairs", "--limit", "2")
    assert out.splitlines()[-1].endswith("(showing 2; --limit 0 shows all)")
