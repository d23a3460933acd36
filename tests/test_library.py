"""A reference library named in companion.yaml: Zotero's BibTeX or CSL-JSON export, read
as reference entries, matched when a note's own list lacks a citation, and a broken file
said in one line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from companion.assessment.status import build_status
from companion.cli.main import main
from companion.portfolio.library import load_library
from companion.portfolio.portfolio import Portfolio
from companion.portfolio.profile import ProfileError, load_profile

FIXTURES = Path(__file__).parent / "fixtures" / "library"


def _works(name: str) -> list[tuple[tuple[str, ...], str | None, str, bool, bool, bool]]:
    library = load_library(FIXTURES, name)
    return [
        (r.authors, r.year, r.suffix, r.no_date, r.et_al, r.editors) for r in library.references
    ]


def test_a_better_bibtex_export_is_read_into_entries_and_its_broken_blocks_named() -> None:
    assert _works("zotero.bib") == [
        (("Kotter",), "1996", "", False, False, False),
        (("van der Berg", "Müller", "O'Neill"), "2018", "", False, True, False),
        (("World Health Organization",), "2020", "", False, False, False),
        (("Partington",), "2002", "", False, False, True),
        (("Goleman",), "2000", "a", False, False, False),
        (("Harris",), None, "", True, False, False),
    ]
    assert load_library(FIXTURES, "zotero.bib").problem == (
        "the reference library zotero.bib: 2 part(s) could not be read (line 42: Unexpected "
        "block start: `@book`. Was still looking for field-value closing `}`; line 46: the "
        "key 'kotterLeadingChange1996' is used twice); the rest is used"
    )


def test_a_csl_json_export_is_read_into_entries() -> None:
    assert _works("zotero.json") == [
        (("Kotter",), "1996", "", False, False, False),
        (("van der Berg", "Müller"), "2018", "", False, False, False),
        (("World Health Organization",), "2020", "", False, False, False),
        (("Partington",), "2002", "", False, False, True),
        (("Flixel",), None, "", True, False, False),
    ]
    assert load_library(FIXTURES, "zotero.json").problem == ""


def test_two_works_of_one_author_and_year_get_letters_in_title_order(tmp_path: Path) -> None:
    (tmp_path / "refs.json").write_text(
        '[{"id": "b", "title": "Working with emotional intelligence",'
        ' "author": [{"family": "Goleman"}], "issued": {"date-parts": [[2000]]}},'
        ' {"id": "a", "title": "Leadership that gets results",'
        ' "author": [{"family": "Goleman"}], "issued": {"date-parts": [["2000", 3]]}}]'
    )
    library = load_library(tmp_path, "refs.json")
    assert [(r.text, r.suffix) for r in library.references] == [
        ("b: Working with emotional intelligence", "b"),
        ("a: Leadership that gets results", "a"),
    ]


@pytest.mark.parametrize(
    ("name", "text", "problem"),
    [
        (
            "refs.bib",
            "Kotter, J. (1996) Leading change. Boston: HBSP.\n",
            "the reference library refs.bib: nothing could be read (it holds no BibTeX entries)",
        ),
        (
            "refs.json",
            '[{"id": "x", "author": [',
            "the reference library refs.json: nothing could be read (it is not JSON (line 1: "
            "Expecting value))",
        ),
        (
            "refs.json",
            '{"items": []}',
            "the reference library refs.json: nothing could be read (it is not a CSL-JSON list "
            "of items)",
        ),
        ("refs.bib", None, "the reference library refs.bib (companion.yaml) does not exist"),
    ],
)
def test_an_unreadable_library_is_one_line(
    tmp_path: Path, name: str, text: str | None, problem: str
) -> None:
    if text is not None:
        (tmp_path / name).write_text(text)
    library = load_library(tmp_path, name)
    assert library.problem == problem
    assert "\n" not in library.problem
    assert library.references == []


def test_the_profile_names_only_a_bib_or_json_file(tmp_path: Path) -> None:
    (tmp_path / "companion.yaml").write_text("reference_library: refs.bib\n")
    assert load_profile(tmp_path).reference_library == "refs.bib"
    (tmp_path / "companion.yaml").write_text("reference_library: refs.docx\n")
    with pytest.raises(ProfileError, match="must name a BibTeX"):
        load_profile(tmp_path)


NOTE = (
    "---\ntitle: Coaching report\nref: E001\ndate: 2026-01-10\nlearner: Sam Lee\n"
    "type: report\n---\nWe coached with urgency (Kotter, 1996) and style (Goleman, 2000a),\n"
    "as Harris (no date) suggests, but not Schein (2010).\n"
)


@pytest.fixture
def portfolio(tmp_path: Path) -> Path:
    root = tmp_path / "pf"
    (root / "notes").mkdir(parents=True)
    (root / "companion.yaml").write_text(
        "learner: Sam Lee\nprogramme_start: 2025-09-01\nreference_library: zotero.bib\n"
    )
    shutil.copy(FIXTURES / "zotero.bib", root / "zotero.bib")
    (root / "notes" / "report.md").write_text(NOTE)
    return root


def _citation_flags(root: Path) -> list[tuple[str, str]]:
    engine = Portfolio(root)
    try:
        engine.scan()
        status = build_status(engine)
    finally:
        engine.close()
    return [(f.code, f.message) for f in status.flags if "cit" in f.code or "refer" in f.code]


def test_citations_the_library_holds_raise_nothing_and_the_rest_are_named(portfolio: Path) -> None:
    assert _citation_flags(portfolio) == [
        (
            "citation-not-referenced",
            "Line 9: Schein (2010) has no entry in the reference list or zotero.bib.",
        )
    ]


def test_a_changed_library_is_read_again_and_the_cached_flags_with_it(portfolio: Path) -> None:
    assert len(_citation_flags(portfolio)) == 1
    with (portfolio / "zotero.bib").open("a") as handle:
        handle.write("\n@book{schein2010, author = {Schein, Edgar H.}, year = {2010}}\n")
    assert _citation_flags(portfolio) == []


def test_without_the_library_the_note_has_no_reference_list(portfolio: Path) -> None:
    (portfolio / "companion.yaml").write_text("learner: Sam Lee\nprogramme_start: 2025-09-01\n")
    assert [code for code, _ in _citation_flags(portfolio)] == ["citations-no-references"]


def test_check_says_what_of_a_broken_library_it_could_not_read_in_one_line(
    portfolio: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (portfolio / "zotero.bib").write_text("@book{broken, author = {Kotter, J.,\n")
    code = main(["check", str(portfolio)])
    out, err = capsys.readouterr()
    assert code == 0
    lines = [line for line in err.splitlines() if "zotero.bib" in line]
    assert len(lines) == 1
    assert lines[0].startswith("warning: the reference library zotero.bib: nothing could be read")
    assert "Traceback" not in err
    # nothing of the library could be read, so the note is as if it had none
    assert "[citations-no-references] 4 in-text citation(s)" in out


def test_a_remembered_status_does_not_read_the_library_again(
    portfolio: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from companion.portfolio import library

    assert main(["status", str(portfolio)]) == 0
    first = capsys.readouterr().out

    def refuse(path: Path, name: str) -> None:
        raise AssertionError("the library was read")

    monkeypatch.setattr(library, "_read_library", refuse)
    assert main(["status", str(portfolio)]) == 0
    assert capsys.readouterr().out == first


@pytest.mark.parametrize(
    "argv",
    [("status",), ("status", "--json"), ("check",), ("notes",), ("export", "matrix")],
    ids=["status", "status --json", "check", "notes", "export matrix"],
)
def test_what_a_report_said_of_a_broken_library_is_said_again_when_it_is_remembered(
    argv: tuple[str, ...],
    portfolio: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A second run prints what it kept without reading the library: the warning the
    first run gave of it is kept with it, and said again."""
    from companion.portfolio import library

    monkeypatch.setenv("COMPANION_TODAY", "2026-03-02T09:30:00+00:00")  # one moment for both
    (portfolio / "zotero.bib").write_text("@book{broken, author = {Kotter, J.,\n")
    command = [*argv, str(portfolio)]
    if argv[0] == "export":
        command += ["--out", str(tmp_path / "matrix.md")]
    main(command)
    first = capsys.readouterr()
    assert "warning: the reference library zotero.bib: nothing could be read" in first.err

    def refuse(path: Path, name: str) -> None:
        raise AssertionError("the library was read")

    monkeypatch.setattr(library, "_read_library", refuse)
    main(command)
    again = capsys.readouterr()
    assert (again.err, again.out) == (first.err, first.out)


def test_a_reference_library_that_is_a_fifo_is_refused_not_waited_on(tmp_path: Path) -> None:
    """status once blocked for good on a library named like a .bib that was a FIFO."""
    import os
    import subprocess
    import sys

    root = tmp_path / "p"
    root.mkdir()
    os.mkfifo(root / "refs.bib")
    (root / "companion.yaml").write_text(
        "learner: Sam Lee\nprogramme_start: 2025-01-06\nreference_library: refs.bib\n"
    )
    done = subprocess.run(
        [sys.executable, "-m", "companion", "status", str(root)],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "COMPANION_DATA_DIR": str(tmp_path / "data")},
    )
    assert done.returncode == 0, done.stderr
    assert "warning: the reference library refs.bib is not a file; not read" in done.stderr
