"""Documents as they print and open elsewhere: an XLSX sheet one page wide with rows tall
enough for their text and a DRAFT mark on every page, CSV Excel reads as UTF-8, and HTML
pages with a ``<main>`` landmark."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.header_footer import HeaderFooterItem
from openpyxl.worksheet.worksheet import Worksheet

from companion.assessment.status import build_status
from companion.cli.main import main
from companion.content.load import load_content
from companion.documents.model import Document, Row, Table
from companion.documents.writers import CSV_ENCODING, print_csv, render, to_html
from companion.documents.xlsx import LINE_POINTS, row_height, wrapped_lines
from companion.exports.matrix import ac_matrix, ac_matrix_document
from companion.exports.run import run_export
from companion.portfolio.portfolio import Portfolio

BOM = b"\xef\xbb\xbf"
LONG = "A sentence of evidence that runs on for a while. " * 8  # about 400 characters


@pytest.fixture(scope="module")
def content():
    return load_content()


@pytest.fixture
def portfolio(tmp_path: Path) -> Path:
    """A learner called Zoë, a note and an OTJ entry at a café: text Excel mangles as cp1252."""
    root = tmp_path / "p"
    (root / "notes").mkdir(parents=True)
    (root / "companion.yaml").write_text(
        "learner: Zoë Café\nprogramme_start: 2025-09-01\nplanned_gateway: 2027-03-15\n",
        encoding="utf-8",
    )
    (root / "notes" / "minutes.md").write_text(
        "---\ntitle: Café board minutes\nref: E014\ndate: 2026-03-12\nlearner: Zoë Café\n"
        f"type: minutes\nevidence:\n- ac: 700/1.1\n  where: '{LONG}'\n---\nThe board met.\n",
        encoding="utf-8",
    )
    (root / "otj.yaml").write_text(
        "- date: 2026-03-12\n  hours: 2\n  kind: training\n  activity: Workshop at the Café\n",
        encoding="utf-8",
    )
    return root


def _status(root: Path, content):
    portfolio = Portfolio(root, content, use_store=False)
    portfolio.scan()
    return build_status(portfolio)


def _matrix(root: Path, content, *, draft: bool = False) -> Document:
    return replace(ac_matrix_document(ac_matrix(_status(root, content))), draft=draft)


# --- XLSX as it prints ------------------------------------------------------------------


def _first(data: bytes) -> Worksheet:
    sheet = load_workbook(io.BytesIO(data)).active
    assert isinstance(sheet, Worksheet)
    return sheet


def _header(sheet: Worksheet) -> HeaderFooterItem:
    assert sheet.oddHeader is not None
    return sheet.oddHeader


def _footer(sheet: Worksheet) -> HeaderFooterItem:
    assert sheet.oddFooter is not None
    return sheet.oddFooter


def test_a_sheet_prints_one_page_wide_on_a4_with_its_header_on_every_page(
    portfolio: Path, content
) -> None:
    book = load_workbook(io.BytesIO(render(_matrix(portfolio, content), "xlsx")))
    for sheet in book.worksheets:
        setup = sheet.sheet_properties.pageSetUpPr
        assert setup is not None and setup.fitToPage is True  # else fitToWidth is ignored
        assert sheet.page_setup.fitToWidth == 1
        assert sheet.page_setup.fitToHeight == 0  # as many pages down as it takes
        assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4
        assert sheet.print_title_rows == "$1:$1"  # the header row repeated on every page
        assert _footer(sheet).right.text == "Page &P of &N"
    unit = book["Unit 700"]
    assert unit.page_setup.orientation == "landscape"  # two columns up to 70 characters wide
    assert book["Summary"].page_setup.orientation == "landscape"


def test_a_long_cell_gets_a_row_tall_enough_for_its_wrapped_lines(portfolio: Path, content) -> None:
    book = load_workbook(io.BytesIO(render(_matrix(portfolio, content), "xlsx")))
    sheet = book["Unit 700"]
    evidence = next(r for r in range(1, sheet.max_row + 1) if "E014" in str(sheet.cell(r, 2).value))
    height = sheet.row_dimensions[evidence].height
    lines = wrapped_lines(str(sheet.cell(evidence, 2).value), sheet.column_dimensions["B"].width)
    assert lines >= 6
    assert height is not None and height >= lines * LINE_POINTS
    short = next(r for r in range(3, sheet.max_row + 1) if sheet.cell(r, 2).value in (None, ""))
    assert sheet.row_dimensions[short].height < height
    cell = sheet.cell(evidence, 1)
    assert cell.border.left.style == cell.border.bottom.style == "thin"


def test_row_heights_follow_the_text_and_stop_at_excels_limit() -> None:
    assert wrapped_lines("short", 20) == 1
    assert wrapped_lines("a\nb\nc", 20) == 3
    assert wrapped_lines("x" * 45, 20) == 3  # 22 characters a line at width 20
    assert row_height(["a", "b\nc"], [20, 20]) == 2 * LINE_POINTS + 3
    assert row_height(["x" * 100_000], [10]) == 409


def test_a_narrow_table_prints_portrait() -> None:
    doc = Document("Narrow", "", [Table("T", ["A", "B"], [Row(["1", "2"])], key="t")])
    assert _first(render(doc, "xlsx")).page_setup.orientation == "portrait"


def test_a_draft_workbook_says_so_on_every_page_and_at_the_top(portfolio: Path, content) -> None:
    data = render(_matrix(portfolio, content, draft=True), "xlsx")
    book = load_workbook(io.BytesIO(data))
    for sheet in book.worksheets:
        assert sheet["A1"].value == "DRAFT: not ready for submission."
        assert sheet["A1"].font.bold
        assert (_header(sheet).left.text, _header(sheet).left.font) == ("DRAFT", "-,Bold")
        assert sheet.print_title_rows == "$1:$2"  # the note and the header on every page
        assert sheet.freeze_panes == "A3"
    assert book["Unit 700"]["A2"].value == "Assessment Criteria"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read("xl/worksheets/sheet2.xml").decode("utf-8")
    assert '&amp;L&amp;"-,Bold"DRAFT' in xml  # Excel's code for bold "DRAFT" at the left
    final = load_workbook(io.BytesIO(render(_matrix(portfolio, content), "xlsx")))
    assert final["Unit 700"]["A1"].value == "Assessment Criteria"
    assert not _header(final["Unit 700"]).left.text


def test_an_ampersand_in_a_title_is_not_a_header_code() -> None:
    doc = Document("Values & context", "", [Table("T", ["A"], [Row(["1"])])], learner="A & B")
    sheet = _first(render(doc, "xlsx"))
    assert _header(sheet).center.text == "Values && context"
    assert _footer(sheet).left.text == "A && B"


# --- CSV Excel reads as UTF-8 -----------------------------------------------------------


def _csv_out(capsysbinary: pytest.CaptureFixture[bytes], *argv: str) -> bytes:
    assert main(list(argv)) == 0
    return capsysbinary.readouterr().out


def _rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode(CSV_ENCODING))))


def test_cli_csv_starts_with_the_byte_order_mark(
    portfolio: Path, content, tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    notes = _csv_out(capsysbinary, "notes", str(portfolio), "--csv")
    assert notes.startswith(BOM) and not notes.startswith(BOM * 2)
    assert _rows(notes)[0][0] == "note"
    assert _rows(notes)[1][4] == "Café board minutes"

    otj = _csv_out(capsysbinary, "otj", str(portfolio), "--csv")
    assert otj.startswith(BOM)
    assert _rows(otj)[1][6] == "Workshop at the Café"

    cohort = tmp_path / "cohort"
    cohort.mkdir()
    run_export(_status(portfolio, content), "progress", cohort / "zoe.json", html=False)
    table = _csv_out(capsysbinary, "cohort", str(cohort), "--csv")
    assert table.startswith(BOM)
    (zoe,) = csv.DictReader(io.StringIO(table.decode(CSV_ENCODING)))
    assert zoe["learner"] == "Zoë Café"


def test_a_csv_file_and_a_printed_csv_are_the_same_bytes(portfolio: Path, content) -> None:
    doc = _matrix(portfolio, content)
    printed = io.BytesIO()
    print_csv("a,b\nCafé,1\n", printed)
    assert printed.getvalue() == BOM + "a,b\nCafé,1\n".encode()
    assert render(doc, "csv").startswith(BOM)


def test_print_csv_on_a_text_only_stdout_still_marks_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out = io.StringIO()
    monkeypatch.setattr("sys.stdout", out)
    print_csv("a\n")
    assert out.getvalue() == "\ufeffa\n"


# --- HTML landmarks ---------------------------------------------------------------------


def test_an_html_page_has_one_main_landmark_holding_the_content(portfolio: Path, content) -> None:
    page = to_html(_matrix(portfolio, content, draft=True))
    assert page.count("<main>") == page.count("</main>") == 1
    body = page.split("<body>", 1)[1]
    assert body.startswith("<main>")
    assert body.rstrip().endswith("</main></body></html>")
    inside = body.split("<main>", 1)[1].split("</main>", 1)[0]
    assert "<h1>" in inside and "<table>" in inside and "DRAFT" in inside


def test_a_table_of_labels_and_values_starts_at_the_top_with_no_row_held_as_a_title() -> None:
    pairs = Table("Learner", ["Field", "Value"], [Row(["Name", "Zoë"]), Row(["Unit", "700"])])
    sheet = _first(render(Document("Details", "", [replace(pairs, heading=False)]), "xlsx"))
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        ["Name", "Zoë"],
        ["Unit", "700"],
    ]
    assert sheet.freeze_panes is None and sheet.print_title_rows is None
    assert sheet.row_dimensions[2].height == LINE_POINTS + 3


def test_each_row_of_a_long_sheet_gets_its_own_height() -> None:
    rows = [Row([str(n), "x" * (100 * (n % 3) + 1)]) for n in range(500)]
    sheet = _first(render(Document("Long", "", [Table("T", ["N", "Text"], rows)]), "xlsx"))
    assert sheet["A501"].value == "499" and sheet.max_row == 501
    heights = [sheet.row_dimensions[n + 2].height for n in range(500)]
    assert heights[:3] == [LINE_POINTS + 3, 2 * LINE_POINTS + 3, 3 * LINE_POINTS + 3]


def test_a_long_sheet_is_written_with_every_row_its_look_and_its_merges() -> None:
    rows = [Row(["Learning Outcome 1"], group=True)]
    rows += [Row([f"E{n:04d}", dt.date(2026, 3, 2), n]) for n in range(2000)]
    rows += [Row(["Learning Outcome 2"], group=True), Row(["700/2.1", "", ""], highlight=True)]
    doc = Document("Long", "", [Table("T", ["Ref", "Date", "Count"], rows)], draft=True)
    sheet = _first(render(doc, "xlsx"))
    assert {str(r) for r in sheet.merged_cells.ranges} == {"A1:C1", "A3:C3", "A2004:C2004"}
    assert (sheet["A3"].value, sheet["A3"].font.b, sheet["A3"].fill.fgColor.rgb) == (
        "Learning Outcome 1",
        True,
        "00DDEBF7",
    )
    assert (sheet["A2003"].value, sheet["B2003"].value, sheet["C2003"].value) == (
        "E1999",
        dt.datetime(2026, 3, 2),
        1999,
    )
    assert sheet["B2003"].number_format == "d mmmm yyyy"
    assert sheet["C2005"].fill.fgColor.rgb == "00FCE4D6"  # no evidence yet
    assert all(sheet.cell(2003, c).border.left.style == "thin" for c in (1, 2, 3))
    assert sheet.freeze_panes == "A3" and sheet.print_title_rows == "$1:$2"


def test_a_document_of_no_tables_is_one_empty_sheet() -> None:
    book = load_workbook(io.BytesIO(render(Document("None", "", [], draft=True), "xlsx")))
    assert book.sheetnames == ["Sheet"]
    assert _first(render(Document("None", "", []), "xlsx")).max_row == 1
    assert book["Sheet"]["A1"].value is None and book["Sheet"].freeze_panes is None
