"""Harvard citations and reference lists: the corpus of forms read exactly, matched both
ways, and the warnings they raise with their lines."""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path
from typing import Any

import pytest
import yaml

from companion.assessment.rules import WARNING, check_note
from companion.content.load import load_content
from companion.notes.citations import note_citations
from companion.notes.file import read_note_file
from companion.notes.record import build_record
from companion.portfolio.profile import Profile
from companion.text.citation_match import AMBIGUOUS, MATCHED, UNMATCHED, match
from companion.text.citations import Citation, Source, find_citations
from companion.text.references import Reference, parse_reference, reference_list
from companion.text.word_rules import WordCountRules

CORPUS = yaml.safe_load(
    (Path(__file__).parent / "citations" / "corpus.yaml").read_text(encoding="utf-8")
)
HINT_CODES = {
    "year-differs",
    "suffix-missing",
    "suffix-mismatch",
    "style",
    "author-count",
    "secondary",
    "spelling",
    "abbreviation-guessed",
    "url-only reference",
}


def _key(name: str) -> str:
    """The corpus's normalisation for comparing author keys (meta.normalisation_for_comparison)."""
    return unicodedata.normalize("NFC", name).replace("’", "'").replace("–", "-").casefold()


def _work(source: Source) -> dict[str, Any]:
    return {
        "authors": [_key(a) for a in source.authors],
        "et_al": source.et_al,
        "year": source.year,
        "suffix": source.suffix,
        "no_date": source.no_date,
        "pages": source.pages,
    }


def _read(citation: Citation) -> dict[str, Any]:
    out = _work(citation.source)
    out["narrative"] = citation.narrative
    out["secondary"] = _work(citation.secondary) if citation.secondary else None
    out["weak"] = citation.weak
    return out


def _expected(entry: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in entry.items() if k != "alias"}
    out["authors"] = [_key(a) for a in out["authors"]]
    out.setdefault("weak", False)
    if out["secondary"]:
        out["secondary"] = {
            **out["secondary"],
            "authors": [_key(a) for a in out["secondary"]["authors"]],
        }
    return out


@pytest.mark.parametrize("entry", CORPUS["in_text"], ids=[e["id"] for e in CORPUS["in_text"]])
def test_each_in_text_form_is_read_exactly(entry: dict[str, Any]) -> None:
    found = find_citations(entry["text"], max_year=2027)
    assert [_read(c) for c in found] == [_expected(e) for e in entry["expect"]]
    for citation, expected in zip(found, entry["expect"], strict=True):
        assert citation.source.alias == expected.get("alias")
        assert citation.line == 1  # every corpus text starts its first citation on line 1


def test_the_corpus_has_every_form_the_requirement_names() -> None:
    texts = " ".join(e["text"] for e in CORPUS["in_text"])
    for form in [
        "(Harris, 2015)",
        "Harris (2015)",
        "(Harris, 2015, p. 31)",
        "(Critser 2003, p.31)",
        "(Kotter, 1996; Lewin, 1951)",
        "(Shah and Patel, 2019)",
        "(Wong, Smith and Adebole, 2015)",
        "(Wong et al., 2015)",
        "(CIPD, 2023)",
        "(Goleman, 2000a)",
        "(Harris, no date)",
        "(Harris, n.d.)",
        "(Lewin, 1951, cited in Burnes, 2004)",
    ]:
        assert form in texts
    positives = [e for e in CORPUS["in_text"] if e["expect"]]
    negatives = [e for e in CORPUS["in_text"] if not e["expect"]]
    assert (len(positives), len(negatives)) == (121, 59)


def _entry(reference: Reference) -> dict[str, Any]:
    if reference.url_only:
        return {"url_only": True}
    out: dict[str, Any] = {
        "authors": [_key(a) for a in reference.authors],
        "et_al": reference.et_al,
        "year": reference.year,
        "suffix": reference.suffix,
        "no_date": reference.no_date,
        "editors": reference.editors,
    }
    if reference.alias:
        out["alias"] = reference.alias
    return out


@pytest.mark.parametrize("entry", CORPUS["references"], ids=[e["id"] for e in CORPUS["references"]])
def test_each_reference_entry_is_keyed_exactly(entry: dict[str, Any]) -> None:
    expected = dict(entry["expect"])
    if "authors" in expected:
        expected["authors"] = [_key(a) for a in expected["authors"]]
    assert _entry(parse_reference(entry["text"])) == expected


@pytest.mark.parametrize("case", CORPUS["matching"], ids=[e["id"] for e in CORPUS["matching"]])
def test_each_matching_scenario(case: dict[str, Any]) -> None:
    citations = find_citations(case["text"], max_year=2027)
    references = [parse_reference(text, index + 1) for index, text in enumerate(case["references"])]
    report = match(citations, references)
    assert [(m.result, m.reference) for m in report.matches] == [
        (e["result"], e["reference"]) for e in case["expect"]
    ]
    for found, expected in zip(report.matches, case["expect"], strict=True):
        code = str(expected.get("hint", "")).split(":")[0]
        if code in HINT_CODES:
            assert found.hint.split(":")[0] == code
        elif not expected.get("hint"):
            assert found.hint == ""


def test_secondary_citation_names_the_work_read_and_keeps_the_primary_from_being_uncited() -> None:
    citations = find_citations("Change runs in three stages (Lewin, 1951, cited in Burnes, 2004).")
    references = [
        parse_reference("Lewin, K. (1951) Field theory in social science. New York: Harper & Row."),
        parse_reference("Burnes, B. (2004) 'Kurt Lewin and the planned approach to change'."),
    ]
    report = match(citations, references)
    assert [(m.result, m.reference) for m in report.matches] == [(MATCHED, 1)]
    assert report.uncited == []


def test_entries_under_a_bibliography_need_not_be_cited_but_a_reference_list_must_be() -> None:
    body = (
        "Urgency first (Kotter, 1996).\n\n## References\n\n"
        "Kotter, J.P. (1996) Leading change. Boston: HBSP.\n"
        "Lewin, K. (1951) Field theory in social science. New York: Harper.\n\n"
        "## Bibliography\n\nSchein, E. (2010) Organizational culture and leadership. San Francisco: Jossey-Bass.\n"
    )
    references = reference_list(body, 10)
    assert [(r.authors, r.year, r.line, r.bibliography) for r in references] == [
        (("Kotter",), "1996", 14, False),
        (("Lewin",), "1951", 15, False),
        (("Schein",), "2010", 19, True),
    ]
    report = match(find_citations(body, 10), references)
    assert [(m.result, m.reference) for m in report.matches] == [(MATCHED, 0)]
    assert report.uncited == [1]


def test_wrapped_entries_and_a_bulleted_list_are_read_as_one_entry_each() -> None:
    body = (
        "## References\n\n"
        "Hersey, P. and Blanchard, K. H. (1969) Life cycle theory of leadership. Training and\n"
        "Development Journal, 23(5), 26-34.\n\n"
        "- Johnson, G. et al. (2020) Exploring\n  strategy. Harlow: Pearson.\n"
        "- Peters, T. J. and Waterman, R. H. (1982) In search of excellence.\n"
    )
    assert [(r.authors, r.year, r.et_al, r.line) for r in reference_list(body)] == [
        (("Hersey", "Blanchard"), "1969", False, 3),
        (("Johnson",), "2020", True, 6),
        (("Peters", "Waterman"), "1982", False, 8),
    ]


def test_no_citation_is_read_in_the_reference_list_itself() -> None:
    body = "Text.\n\n## References\n\nPorter, J. (1969) Leading change. London: Sage.\n"
    assert find_citations(body) == []


def test_a_weak_citation_counts_only_when_an_entry_says_so() -> None:
    unmatched = match(find_citations("Savings were agreed (Budget 2024)."), [])
    assert unmatched.matches == []
    matched = match(
        find_citations("The point is made early (Harris 2015)."),
        [parse_reference("Harris, J. (2015) Referencing for apprentices. London: Sage.")],
    )
    assert [(m.result, m.reference) for m in matched.matches] == [(MATCHED, 0)]


def test_ambiguous_and_unmatched_results_name_the_candidates() -> None:
    references = [
        parse_reference("Goleman, D. (2000a) 'Leadership that gets results'."),
        parse_reference("Goleman, D. (2000b) Working with emotional intelligence."),
    ]
    report = match(find_citations("(Goleman, 2000) and (Goleman, 2001)"), references)
    assert [(m.result, m.hint) for m in report.matches] == [
        (AMBIGUOUS, "suffix-missing: Goleman has 2000a and 2000b"),
        (UNMATCHED, "year-differs: Goleman has references for 2000a and 2000b"),
    ]
    assert report.uncited == []  # both were in question for the first citation


# --- a whole note: front matter and body, with the file's line numbers ----------------

NOTE = """---
title: Change programme report
ref: E014
date: 2026-03-12
learner: Alex Morgan
type: report
references:
  - Kotter, J. P. (1996) Leading Change. Harvard Business School Press.
  - Schein, E. H. (2010) Organizational Culture and Leadership. Jossey-Bass.
---
# Change programme

We created urgency first (Kotter, 1996), then worked
on culture (Schein, 2017; Lewin, 1951).

Goleman's (2000) model helped me `(Harris, 2015)` name styles.

## References

Goleman, D. (2000) Leadership that gets results. Harvard Business Review.
Lewin, K. (1951) Field theory in social science. New York: Harper.
Adair, J. (1973) Action-centred leadership. London: McGraw-Hill.
"""

CONTENT = load_content()
PROFILE = Profile(learner="Alex Morgan", programme_start=dt.date(2025, 9, 1))


def _note(tmp_path: Path, text: str = NOTE) -> Path:
    path = tmp_path / "report.md"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_note_is_matched_both_ways_with_its_file_lines(tmp_path: Path) -> None:
    found = note_citations(read_note_file(_note(tmp_path)))
    assert [(c.text, c.line) for c in found.citations] == [
        ("(Kotter, 1996)", 13),
        ("(Schein, 2017; Lewin, 1951)", 14),
        ("(Schein, 2017; Lewin, 1951)", 14),
        ("Goleman's (2000)", 16),
    ]
    assert [(r.label(), r.line) for r in found.references] == [
        ("Kotter (1996)", 8),
        ("Schein (2010)", 9),
        ("Goleman (2000)", 20),
        ("Lewin (1951)", 21),
        ("Adair (1973)", 22),
    ]
    assert [(m.result, m.reference) for m in found.report.matches] == [
        (MATCHED, 0),
        (UNMATCHED, None),
        (MATCHED, 3),
        (MATCHED, 2),
    ]
    assert found.report.uncited == [1, 4]


def test_each_miss_is_a_warning_naming_it_and_its_line(tmp_path: Path) -> None:
    record = build_record(_note(tmp_path), "report.md", WordCountRules())
    assert (record.citations, record.reference_entries) == (4, 5)
    flags = [
        f
        for f in check_note(record, CONTENT, PROFILE, dt.date(2026, 11, 1))
        if f.severity == WARNING
    ]
    cited = [(f.code, f.message) for f in flags if "cit" in f.code or "refer" in f.code]
    assert cited == [
        (
            "citation-not-referenced",
            "Line 14: Schein (2017) in (Schein, 2017; Lewin, 1951) has no entry in the "
            "reference list (Schein has a reference for 2010).",
        ),
        (
            "reference-not-cited",
            "Line 9: the reference Schein (2010) is not cited in the text.",
        ),
        (
            "reference-not-cited",
            "Line 22: the reference Adair (1973) is not cited in the text.",
        ),
    ]
    assert all(
        f.reason == "Handbook Section 5, Preparing Evidence: External sources must be "
        "clearly referenced using a recognised system."
        for f in flags
        if "cit" in f.code
    )


def test_citations_without_any_reference_list_are_one_warning_naming_them(tmp_path: Path) -> None:
    text = (
        "---\ntitle: T\nref: E001\ndate: 2026-01-10\nlearner: Alex Morgan\ntype: report\n---\n"
        "As Kotter (1996) argues, urgency matters (Lewin, 1951; Schein, 2010;\nTuckman, 1965).\n"
    )
    record = build_record(_note(tmp_path, text), "n.md", WordCountRules())
    flags = [
        f for f in check_note(record, CONTENT, PROFILE, dt.date(2026, 11, 1)) if "cit" in f.code
    ]
    assert [(f.code, f.message) for f in flags] == [
        (
            "citations-no-references",
            "4 in-text citation(s) but no reference list ('references' or a References "
            "section): Kotter (1996) on line 8, (Lewin, 1951; Schein, 2010; Tuckman, 1965) on "
            "line 8.",
        )
    ]


# --- headings, legislation, author counts, 'no date', the comma, the reading list -------


@pytest.mark.parametrize(
    "text",
    [
        "Team Dynamics\n\nHersey and Blanchard (1969) describe situational leadership.",
        "## Team Dynamics\nHersey and Blanchard (1969) describe situational leadership.",
        "# Team Dynamics\n\nHersey and Blanchard (1969) describe situational leadership.",
    ],
)
def test_a_heading_line_is_never_part_of_the_names_that_open_the_next_paragraph(
    text: str,
) -> None:
    found = find_citations(text, max_year=2027)
    assert [(c.source.authors, c.text) for c in found] == [
        (("Hersey", "Blanchard"), "Hersey and Blanchard (1969)")
    ]


LEGISLATION = [
    "Health and Social Care Act 2012, c. 7. Available at: "
    "http://www.legislation.gov.uk/ukpga/2012/7/contents/enacted (Accessed: 17 September 2018).",
    "Children Act 2004, c. 31.",
    "The Management of Health and Safety at Work Regulations 1999, SI 1999/3242. Available at: "
    "https://www.legislation.gov.uk/uksi/1999/3242/contents/made (Accessed: 1 March 2026).",
]


def test_acts_and_statutory_instruments_are_read_and_match_their_entries() -> None:
    text = (
        "Boards were reshaped (Health and Social Care Act 2012). The Children Act 2004 states "
        "that agencies must co-operate, and employers must assess risk (The Management of "
        "Health and Safety at Work Regulations 1999).\n\n## References\n\n"
        + "\n\n".join(LEGISLATION)
    )
    found = find_citations(text, max_year=2027)
    assert [
        (c.source.authors, c.source.year, c.narrative, c.source.legislation) for c in found
    ] == [
        (("Health and Social Care Act",), "2012", False, True),
        (("Children Act",), "2004", True, True),
        (("The Management of Health and Safety at Work Regulations",), "1999", False, True),
    ]
    references = reference_list(text)
    assert [(r.authors, r.year) for r in references] == [
        (("Health and Social Care Act",), "2012"),
        (("Children Act",), "2004"),
        (("The Management of Health and Safety at Work Regulations",), "1999"),
    ]
    report = match(found, references)
    assert [(m.result, m.reference, m.hint) for m in report.matches] == [
        (MATCHED, 0, ""),
        (MATCHED, 1, ""),
        (MATCHED, 2, ""),
    ]
    assert report.uncited == []


def test_an_act_named_in_a_sentence_never_warns_without_an_entry() -> None:
    found = find_citations("We raised a Purchase Order 2023 batch under the Care Act 2014.")
    assert [c.text for c in found] == ["Purchase Order 2023", "Care Act 2014"]
    assert match(found, []).matches == []


def test_one_two_and_more_authors_of_one_surname_and_year_each_match_their_own_entry() -> None:
    references = [
        parse_reference("Murphy, J. (2001) Leading alone. London: Sage."),
        parse_reference("Murphy, J. and Smith, K. (2001) Leading in pairs. London: Sage."),
        parse_reference("Murphy, J., Smith, K., Jones, L. and Patel, R. (2001) Leading teams."),
    ]
    text = "Murphy (2001), Murphy and Smith (2001) and Murphy et al. (2001) agree."
    report = match(find_citations(text, max_year=2027), references)
    assert [(m.result, m.reference) for m in report.matches] == [
        (MATCHED, 0),
        (MATCHED, 1),
        (MATCHED, 2),
    ]
    assert report.uncited == []


def test_only_a_citation_written_n_d_gets_the_no_date_hint() -> None:
    references = [parse_reference("Harris, J. (no date) Referencing checklist. Available at: x")]
    correct = match(find_citations("Checked online (Harris, no date)."), references)
    abbreviated = match(find_citations("Checked online (Harris, n.d.)."), references)
    several = match(find_citations("(Harris, no date; Lewin, n.d.)"), references)
    assert [m.hint for m in correct.matches] == [""]
    assert [m.hint for m in abbreviated.matches] == ["style: CTR writes 'no date', not 'n.d.'"]
    assert several.matches[0].hint == ""


def test_a_citation_without_the_comma_matches_and_the_style_point_is_made_once_per_note() -> None:
    body = (
        "Retention follows engagement (Delaney 2019). Video support helps (Campbell 2017) and "
        "so does captioning (Delaney 2019, p. 4).\n\n## References\n\n"
        "Campbell, M. (2017) Challenges in something. London: Sage.\n\n"
        "Delaney, G. (2019) Critical approaches to something. New York: Pearson.\n"
    )
    found = note_citations_from_body(body)
    assert [(m.result, m.reference) for m in found.report.matches] == [
        (MATCHED, 1),
        (MATCHED, 0),
        (MATCHED, 1),
    ]
    hints = [m.hint for m in found.report.matches]
    assert hints == ["style: CTR puts a comma between the name and the year", "", ""]


def note_citations_from_body(body: str) -> Any:
    from companion.notes.citations import scan_citations

    return scan_citations(body, 1)


READING_LIST = [
    line
    for line in (Path(__file__).parent / "citations" / "handbook_reading_list.txt")
    .read_text(encoding="utf-8")
    .splitlines()
    if line and not line.startswith("#")
]
READING_LIST_CITED = (
    "(Cooper and Hesketh, 2019) (Cox, Bachkirova and Clutterbuck, 2018) (Munde et al., 2020) "
    "(Stanford, 2018) (Lewis, 2016) (Quirke, 2017) (Schein and Schein, 2017) "
    "(Stowell and Mead, 2016) (Wallin, 2016) (Burnes, 2017) (Manners-Bell, 2017) "
    "(Ambrosini, Jenkins and Mowbray, 2015) (Armstrong, 2017) (Blackburn, 2016) "
    "(Tricker, 2015) (Deephouse, Gardberg and Newburry, 2019) (Khan and Ebner, 2019) "
    "(O’Brien, 2016) (Bell, Bryman and Harley, 2018) (Kalyvas, Overly and Karlyn, 2019) "
    "(Giudici, Ingrassia and Vichi, 2013) (Chopra, 2019) (Disselkamp, 2013) (Gibson, 2021) "
    "(Johnsen, Howard and Miemczyk, 2019) (Tardieu et al., 2020)"
)


def test_every_entry_of_the_handbook_reading_list_is_keyed_by_its_authors_and_year() -> None:
    assert len(READING_LIST) == 27  # 26 works; Stanford (2018) is listed for two units
    keyed = [(r.authors, r.year, r.et_al) for r in map(parse_reference, READING_LIST)]
    assert keyed[16:22] == [
        (("Deephouse", "Gardberg", "Newburry"), "2019", False),
        (("Khan", "Ebner"), "2019", False),
        (("O’Brien",), "2016", False),
        (("Bell", "Bryman", "Harley"), "2018", False),
        (("Kalyvas", "Overly", "Karlyn"), "2019", False),
        (("Giudici", "Ingrassia", "Vichi"), "2013", False),
    ]
    assert keyed[2] == (("Munde",), "2020", True)
    assert keyed[7] == (("Stowell", "Mead"), "2016", False)


def test_the_handbook_reading_list_cited_in_cite_them_right_form_matches_every_entry() -> None:
    body = READING_LIST_CITED + "\n\n## References\n\n" + "\n\n".join(READING_LIST) + "\n"
    found = note_citations_from_body(body)
    assert len(found.citations) == 26
    assert [m.result for m in found.report.matches] == [MATCHED] * 26
    assert [m.hint for m in found.report.matches if m.hint] == []
    assert found.report.uncited == [11]  # the second copy of Stanford (2018)
