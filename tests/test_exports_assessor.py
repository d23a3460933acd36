"""Exports as their recipients open them: evidence that does not count is marked and left
out of the figures in every format, and the office files read back as their readers expect."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm
from known import present
from openpyxl import load_workbook

from companion.assessment.status import build_status
from companion.cli.main import main
from companion.content.load import load_content
from companion.exports.run import run_export
from companion.portfolio.example import copy_example
from companion.portfolio.portfolio import Portfolio

REFLECTION = "E020 My reflections on leading the depot restructure, paras 1-3"
WITNESS = "E016 Witness testimony — Head of People (draft, awaiting signature), paras 1-3"


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_example(tmp_path_factory.mktemp("example") / "example")


@pytest.fixture(scope="module")
def status(example: Path):
    portfolio = Portfolio(example, load_content(), use_store=False)
    portfolio.scan()
    return build_status(portfolio)


def test_evidence_on_a_note_with_an_error_does_not_count(status) -> None:
    progress = status.progress.criteria["700/2.3"]
    (reflection,) = [e for e in progress.evidence if e.ref == "E020"]
    assert reflection.excluded == (
        "Reflective account is not accepted as evidence. (type-not-allowed)"
    )
    assert "E020" not in {e.ref for e in progress.counted}
    witness = status.progress.criteria["706/1.2"]
    assert [e.excluded for e in witness.evidence if e.ref == "E016"] == [
        "The witness testimony is not dated. (witness-undated) "
        "The witness testimony is not signed. (witness-unsigned)"
    ]
    assert "E016" not in {e.ref for e in witness.counted}
    assert not witness.covered["championing-diversity"]  # only E016 ticks it: not counted
    assert "witness/02-head-of-people.md" not in status.progress.ksbs["S12"].notes


@pytest.mark.parametrize("fmt", ["md", "csv", "html", "docx", "xlsx"])
def test_every_matrix_format_marks_evidence_that_does_not_count(
    status,
    tmp_path: Path,
    fmt: str,
) -> None:
    out = tmp_path / f"matrix.{fmt}"
    run_export(status, "matrix", out, fmt)
    if fmt == "docx":
        text = "\n".join(c.text for t in Document(str(out)).tables for r in t.rows for c in r.cells)
    elif fmt == "xlsx":
        book = load_workbook(out)
        text = "\n".join(
            str(c.value) for s in book.worksheets for row in s.iter_rows() for c in row if c.value
        )
    else:
        text = out.read_text(encoding="utf-8-sig")
    marked = "NOT COUNTED: Reflective account is not accepted as evidence. (type-not-allowed)"
    assert f"{REFLECTION} — {marked}" in text.replace("&#x27;", "'")
    assert "NOT COUNTED: The witness testimony is not dated. (witness-undated) " in text


def test_the_ksb_matrix_and_the_html_report_mark_it_too(status, tmp_path: Path) -> None:
    run_export(status, "ksb-matrix", tmp_path / "k.md", "md")
    ksb = (tmp_path / "k.md").read_text()
    assert "[706/1.2] — NOT COUNTED: The witness testimony is not dated." in ksb
    run_export(status, "progress", tmp_path / "p.json", html=True)
    page = (tmp_path / "p.html").read_text()
    assert "The witness testimony is not signed. (witness-unsigned)" in page
    data = json.loads((tmp_path / "p.json").read_text())
    evidence = [e for u in data["units"] for c in u["criteria"] for e in c["evidence"]]
    assert {"E016", "E020"} <= {e["ref"] for e in evidence if e.get("excluded")}


def test_xlsx_numbers_are_numbers_and_sheets_are_laid_out(status, tmp_path: Path) -> None:
    out = tmp_path / "m.xlsx"
    run_export(status, "matrix", out, "xlsx", all_units=True)
    book = load_workbook(out)
    assert book.sheetnames == ["Summary"] + [f"Unit {u}" for u in range(700, 707)]
    summary = book["Summary"]
    counts = [[c.value for c in row[1:]] for row in summary.iter_rows(min_row=2)]
    assert all(isinstance(v, int) for row in counts for v in row)
    assert summary.freeze_panes == "A2" and summary.print_title_rows == "$1:$1"
    unit = book["Unit 700"]
    assert unit.freeze_panes == "A2"
    assert int(present(unit.page_setup.paperSize)) == int(unit.PAPERSIZE_A4)
    assert 10 <= unit.column_dimensions["A"].width <= 70
    assert unit["B3"].alignment.wrap_text


def _row_flags(row) -> set[str]:
    properties = row._tr.trPr
    return {child.tag.split("}")[1] for child in properties} if properties is not None else set()


@pytest.mark.parametrize("kind", ["matrix", "ksb-matrix"])
def test_docx_is_a4_with_repeating_headers_unsplit_rows_and_a_footer(
    status,
    tmp_path: Path,
    kind: str,
) -> None:
    out = tmp_path / f"{kind}.docx"
    run_export(status, kind, out, "docx")
    word = Document(str(out))
    section = word.sections[0]
    assert abs(present(section.page_width) - Mm(210)) < Mm(0.1)  # twentieths of a point
    assert abs(present(section.page_height) - Mm(297)) < Mm(0.1)
    assert section.header.paragraphs[0].text.endswith("Evidence Matrix") or "KSB" in (
        section.header.paragraphs[0].text
    )
    footer = section.footer.paragraphs[0]
    assert footer.text.startswith("Alex Morgan · produced ")
    fields = [e.text for e in footer._p.iter(qn("w:instrText"))]
    assert [f.strip() for f in fields] == ["PAGE", "NUMPAGES"]
    for table in word.tables:
        assert "tblHeader" in _row_flags(table.rows[0])
        assert all("cantSplit" in _row_flags(r) for r in table.rows)
        widths = [cell.width for cell in table.rows[0].cells]
        assert all(w is not None and w > 0 for w in widths)
        # the grid LibreOffice lays out by says the same, and the widths fill the text width
        assert [c.width for c in table.columns] == widths
        assert abs(sum(widths) - Mm(210 - 2 * 20)) < Mm(len(widths))
    summary = word.tables[0]
    if kind == "matrix":  # the unit's name gets the room, not the counts
        assert summary.columns[0].width > 2 * summary.columns[1].width
    assert " · produced " in word.paragraphs[1].text
    assert "T" not in word.paragraphs[1].text.split("produced ")[1][:12]  # not ISO


def test_results_sheets_print_the_unit_tables_sufficiency(tmp_path: Path, capsys) -> None:
    """Appendix E words six ACs differently; the sheet prints the unit table's wording."""
    from companion.review.feedback import Feedback
    from companion.review.results_sheet import results_document

    content = load_content()
    document = results_document(Feedback(learner="Alex Morgan"), content, ["701"])
    texts = [r.cells[1] for t in document.tables for r in t.rows if len(r.cells) == 3]
    assert present(content.criterion("701/1.3")).sufficiency in texts
    assert "different" in present(content.criterion("701/1.3")).sufficiency


def test_cohort_csv_has_numeric_counts_and_an_error_column(
    status,
    tmp_path: Path,
    capsys,
) -> None:
    cohort = tmp_path / "cohort"
    cohort.mkdir()
    run_export(status, "progress", cohort / "alex.json", html=False)
    (cohort / "broken.json").write_text("{ not json")
    assert main(["cohort", str(cohort), "--csv"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("\ufeff")  # the byte-order mark Excel needs to read UTF-8
    rows = list(csv.DictReader(io.StringIO(out.removeprefix("\ufeff"))))
    alex = next(r for r in rows if r["learner"] == "Alex Morgan")
    assert (alex["sufficient"], alex["total"]) == ("25", "46")
    assert alex["error"] == ""
    broken = next(r for r in rows if r["file"].endswith("broken.json"))
    assert broken["learner"] == "" and "not valid JSON" in broken["error"]


def test_referrals_are_named_in_the_cohort_table_csv_and_json(
    status,
    tmp_path: Path,
    capsys,
) -> None:
    cohort = tmp_path / "cohort"
    cohort.mkdir()
    run_export(status, "progress", cohort / "alex.json", html=False)
    export = str(cohort / "alex.json")
    for ac, decision in (("700/1.1", "pass"), ("702/2.1", "referral"), ("700/1.3", "referral")):
        assert main(["feedback", "record", export, "--ac", ac, "--decision", decision]) == 0
    for ac in ("703/1.1", "704/1.1", "705/1.1"):
        assert main(["feedback", "record", export, "--ac", ac, "--decision", "referral"]) == 0
    capsys.readouterr()
    assert main(["cohort", str(cohort)]) == 0
    header, row = capsys.readouterr().out.splitlines()
    assert header.split()[-3:] == ["Referrals", "Changed", "Reviewed"]
    assert "700/1.3, 702/2.1, 703/1.1 and 2 more" in row and "1 Pass, 5 Referral" in row
    assert main(["cohort", str(cohort), "--csv"]) == 0
    (alex,) = csv.DictReader(io.StringIO(capsys.readouterr().out.removeprefix("\ufeff")))
    assert (alex["referred"], alex["referrals"]) == ("5", "700/1.3 702/2.1 703/1.1 704/1.1 705/1.1")
    assert main(["cohort", str(cohort), "--json", "--sort", "referrals"]) == 0
    (data,) = json.loads(capsys.readouterr().out)["cohort"]
    assert data["decisions"] == {
        "pass": 1,
        "referral": 5,
        "referred": ["700/1.3", "702/2.1", "703/1.1", "704/1.1", "705/1.1"],
        "changed_since_decision": [],
    }


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(CHROMIUM is None, reason="no Chromium on this machine to render the page")
def test_the_html_report_renders_in_a_real_browser(status, tmp_path: Path) -> None:
    run_export(status, "progress", tmp_path / "p.json", html=True)
    done = subprocess.run(
        [
            str(CHROMIUM),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--no-first-run",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--dump-dom",
            (tmp_path / "p.html").as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-500:]
    assert "<h1>Progress report</h1>" in done.stdout
    assert "NOT COUNTED" in done.stdout
    assert "<script" not in done.stdout
