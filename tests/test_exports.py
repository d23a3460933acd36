"""Exports read back with the library a recipient would use: csv, openpyxl, python-docx, HTML."""

from __future__ import annotations

import csv
import json
import os
from html.parser import HTMLParser
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from companion.assessment.status import build_status
from companion.cli.main import main
from companion.content.load import load_content
from companion.exports.matrix import ac_matrix, ksb_matrix
from companion.exports.output import ExportError
from companion.exports.run import default_output, run_export
from companion.portfolio.portfolio import Portfolio

HOSTILE = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def content():
    return load_content()


@pytest.fixture
def portfolio(tmp_path: Path) -> Path:
    root = tmp_path / "p"
    (root / "notes").mkdir(parents=True)
    (root / "companion.yaml").write_text(
        "learner: Alex Morgan\nprogramme_start: 2025-09-01\nplanned_gateway: 2027-03-15\n"
        "units:\n  '701': assignment\n"
    )
    (root / "notes" / "minutes.md").write_text(
        "---\ntitle: Board minutes\nref: E014\ndate: 2026-03-12\nlearner: Alex Morgan\n"
        "type: minutes\nevidence:\n- ac: 700/1.1\n  where: p2 para 3\n- ac: 702/2.1\n"
        "  where: p4\n---\nThe board agreed the plan.\n"
    )
    (root / "notes" / "hostile.md").write_text(
        f"---\ntitle: '{HOSTILE}'\nref: '=HYPERLINK(\"http://x\")'\ndate: 2026-04-01\n"
        "learner: Alex Morgan\ntype: report\nevidence:\n- ac: 700/1.1\n  where: '|p1|'\n---\n"
        "Secret body text.\n"
    )
    (root / "notes" / "recording.md").write_text(
        "---\ntitle: Team briefing\nref: E020\ndate: 2026-05-01\nlearner: Alex Morgan\n"
        "type: recording\nrecording:\n  duration: '4:10'\n  introduction: true\n"
        "evidence:\n- ac: 701/1.1\n  where: '02:15'\n---\n00:00 Intro.\n"
    )
    return root


def _status(root: Path, content):
    p = Portfolio(root, content, use_store=False)
    p.scan()
    return build_status(p)


def test_ac_matrix_follows_appendix_d(portfolio: Path, content) -> None:
    matrix = ac_matrix(_status(portfolio, content))
    assert [u.id for u in matrix.units] == ["700", "702", "703", "704", "705", "706"]
    assert matrix.left_out == ["701"]
    unit = matrix.units[0]
    assert unit.heading == "Unit 700 Building a High Performance Team"
    assert unit.outcomes[0].heading == (
        "Learning Outcome 1 The learner will be able to develop a high performance team."
    )
    row = unit.outcomes[0].criteria[0]
    assert (row.short_id, row.text) == (
        "AC1.1",
        "Explain how to utilise organisational and team dynamics.",
    )
    assert [loc.text for loc in row.locations] == [  # in note path order
        f'=HYPERLINK("http://x") {HOSTILE}, |p1|',
        "E014 Board minutes, p2 para 3",
    ]
    everything = ac_matrix(_status(portfolio, content), include_assignment_units=True)
    assert [u.id for u in everything.units][1] == "701"


def test_ksb_matrix_highlights_ksbs_without_evidence(portfolio: Path, content) -> None:
    matrix = ksb_matrix(_status(portfolio, content))
    assert len(matrix.rows) == 32
    k10 = next(r for r in matrix.rows if r.code == "K10")
    assert k10.criteria == ["700/1.1", "700/1.2"]
    assert k10.locations[1].text == "E014 Board minutes, p2 para 3 [700/1.1]"
    assert "B4" in matrix.uncovered and "K10" not in matrix.uncovered


def test_csv_reads_back_and_neutralises_formulas(portfolio: Path, content, tmp_path) -> None:
    out = tmp_path / "m.csv"
    run_export(_status(portfolio, content), "matrix", out, "csv")
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["section", "group", "Assessment Criteria", "Evidence Location"]
    first = rows[1]
    assert first[0] == "Unit 700 Building a High Performance Team"
    assert first[2] == "AC1.1\nExplain how to utilise organisational and team dynamics."
    # a cell a spreadsheet would run as a formula is quoted
    assert first[3] == f'\'=HYPERLINK("http://x") {HOSTILE}, |p1|\nE014 Board minutes, p2 para 3'
    assert len(rows) == 1 + 46 - 6  # unit 701 (6 ACs) is left out


def test_xlsx_has_a_summary_and_a_sheet_per_unit(portfolio: Path, content, tmp_path) -> None:
    out = tmp_path / "m.xlsx"
    run_export(_status(portfolio, content), "matrix", out, "xlsx")
    book = load_workbook(out)
    assert book.sheetnames == [
        "Summary",
        "Unit 700",
        "Unit 702",
        "Unit 703",
        "Unit 704",
        "Unit 705",
        "Unit 706",
    ]
    summary = book["Summary"]
    assert [c.value for c in summary[2]] == [
        "Unit 700 Building a High Performance Team",
        12,
        1,
        0,
    ]
    assert [c.data_type for c in summary[2]] == ["s", "n", "n", "n"]  # SUM() works on them
    sheet = book["Unit 700"]
    assert sheet.freeze_panes == "A2"
    assert sheet["A2"].value.startswith("Learning Outcome 1")
    assert "A2:B2" in [str(r) for r in sheet.merged_cells.ranges]
    assert sheet["A3"].value.startswith("AC1.1\n")
    assert sheet["B3"].alignment.wrap_text
    assert sheet.column_dimensions["A"].width >= 40


def test_docx_has_a_table_per_unit(portfolio: Path, content, tmp_path) -> None:
    out = tmp_path / "m.docx"
    run_export(_status(portfolio, content), "matrix", out, "docx")
    document = Document(str(out))
    assert document.paragraphs[0].text == "Portfolio Evidence Matrix"
    assert len(document.tables) == 1 + 6
    table = document.tables[1]
    assert table.rows[0].cells[0].text == "Assessment Criteria"
    assert table.rows[1].cells[0].text.startswith("Learning Outcome 1")
    assert table.rows[2].cells[0].text.startswith("AC1.1\nExplain")
    assert table.rows[2].cells[1].text.endswith("\nE014 Board minutes, p2 para 3")


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        self.tags.append(tag)

    def handle_data(self, data) -> None:
        self.text.append(data)


def test_html_escapes_every_value_and_has_no_scripts(portfolio: Path, content, tmp_path) -> None:
    out = tmp_path / "m.html"
    run_export(_status(portfolio, content), "matrix", out, "html")
    page = out.read_text()
    parser = _Collect()
    parser.feed(page)
    assert "script" not in parser.tags
    assert any(HOSTILE in t for t in parser.text)  # shown as text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "http" not in page.split("</head>")[0].replace("http-equiv", "")


def test_progress_export_leaves_note_text_out_unless_asked(portfolio, content, tmp_path) -> None:
    status = _status(portfolio, content)
    out = tmp_path / "progress.json"
    assert run_export(status, "progress", out) == [out, tmp_path / "progress.html"]
    data = json.loads(out.read_text())
    assert data["schema"] == "companion.progress/2" and data["with_notes"] is False
    assert data["learner"]["name"] == "Alex Morgan"
    notes = {n["path"]: n for n in data["notes"]}
    assert notes["notes/minutes.md"] == {
        "path": "notes/minutes.md",
        "words": 5,
        "error": False,
        "title": "Board minutes",
        "ref": "E014",
        "date": "2026-03-12",
        "type": "minutes",
        "tags": ["700/1.1", "702/2.1"],
    }
    assert "Secret body text" not in out.read_text()
    html_page = (tmp_path / "progress.html").read_text()
    assert "&lt;script&gt;" in html_page and "<script>" not in html_page
    run_export(status, "progress", out, with_notes=True, html=False)
    data = json.loads(out.read_text())
    assert data["with_notes"] is True
    assert {n["path"]: n for n in data["notes"]}["notes/hostile.md"][
        "body"
    ] == "Secret body text.\n"


def test_exports_never_overwrite_a_note(portfolio: Path, content) -> None:
    status = _status(portfolio, content)
    note = portfolio / "notes" / "minutes.md"
    before = note.read_bytes()
    with pytest.raises(ExportError, match="inside the portfolio"):
        run_export(status, "matrix", note, "md")
    with pytest.raises(ExportError, match="is a folder"):
        run_export(status, "matrix", portfolio, "md")
    with pytest.raises(ExportError, match="does not exist"):
        run_export(status, "matrix", portfolio / "nope" / "m.md", "md")
    assert note.read_bytes() == before


def _stored_status(root: Path, content):
    """A status whose portfolio keeps its state, as the CLI and the app open it."""
    p = Portfolio(root, content)
    p.scan()
    return build_status(p)


def test_an_export_never_replaces_a_file_of_the_learners_in_the_portfolio(
    portfolio: Path, content
) -> None:
    """A typed path can name the assignment in Word or companion.yaml by mistake."""
    status = _stored_status(portfolio, content)
    draft = portfolio / "notes" / "assignment-701.docx"
    draft.write_bytes(b"PK\x03\x04 the learner's own Word file")
    profile = portfolio / "companion.yaml"
    kept = {path: path.read_bytes() for path in (draft, profile)}
    with pytest.raises(ExportError) as refused:
        run_export(status, "matrix", draft, "docx")
    assert refused.value.message == (
        f"{draft} is a file of yours in the portfolio, not an export companion wrote; "
        "write the export somewhere else, or delete that file first to replace it"
    )
    with pytest.raises(ExportError) as refused:
        run_export(status, "matrix", profile, "md")
    assert refused.value.message == (
        f"{profile} is inside the portfolio, where it would be read as a setting; "
        "write it somewhere else"
    )
    page = portfolio / "notes" / "report.html"  # the learner's; the progress page's name
    page.write_text("<p>my report</p>")
    kept[page] = page.read_bytes()
    with pytest.raises(ExportError, match=r"report\.html is a file of yours"):
        run_export(status, "progress", page.with_suffix(".json"))
    assert not page.with_suffix(".json").exists()
    assert {path: path.read_bytes() for path in kept} == kept
    status.portfolio.close()


def test_an_export_written_in_the_portfolio_can_be_written_there_again(
    portfolio: Path, content
) -> None:
    status = _stored_status(portfolio, content)
    out = portfolio / "exports" / "matrix.xlsx"
    out.parent.mkdir()
    assert run_export(status, "matrix", out, "xlsx") == [out]
    assert run_export(status, "matrix", out, "xlsx") == [out]  # its own earlier export
    status.portfolio.close()
    again = _stored_status(portfolio, content)  # the record outlives the process
    assert run_export(again, "matrix", out, "xlsx") == [out]
    out.write_bytes(out.read_bytes() + b"the learner's changes")  # now it is theirs
    changed = out.read_bytes()
    with pytest.raises(ExportError, match="not an export companion wrote"):
        run_export(again, "matrix", out, "xlsx")
    assert out.read_bytes() == changed
    again.portfolio.close()


def test_an_export_changed_in_place_is_the_learners_but_one_only_touched_is_not(
    portfolio: Path, content
) -> None:
    """Size and time settle most cases without reading the file; a same-size change is
    caught by the digest, and a file only touched (synced, copied back) is still ours."""
    status = _stored_status(portfolio, content)
    out = portfolio / "matrix.csv"
    run_export(status, "matrix", out, "csv")
    stamp = out.stat().st_mtime_ns
    os.utime(out, ns=(stamp + 10**9, stamp + 10**9))  # touched only
    run_export(status, "matrix", out, "csv")
    data = bytearray(out.read_bytes())
    data[-2:-1] = b"X" if data[-2:-1] != b"X" else b"Y"  # same size, new bytes
    out.write_bytes(bytes(data))
    with pytest.raises(ExportError, match="not an export companion wrote"):
        run_export(status, "matrix", out, "csv")
    assert out.read_bytes() == bytes(data)
    status.portfolio.close()


def test_an_export_is_refused_over_a_link_in_the_portfolio(
    portfolio: Path, content, tmp_path: Path
) -> None:
    outside = tmp_path / "elsewhere.docx"
    outside.write_bytes(b"someone else's file")
    link = portfolio / "matrix.docx"
    link.symlink_to(outside)
    status = _stored_status(portfolio, content)
    with pytest.raises(ExportError, match="a file of yours"):
        run_export(status, "matrix", link, "docx")
    assert link.is_symlink() and outside.read_bytes() == b"someone else's file"
    status.portfolio.close()


def test_outside_the_portfolio_an_export_replaces_the_file_named(
    portfolio: Path, content, tmp_path: Path
) -> None:
    out = tmp_path / "matrix.csv"
    out.write_text("an older matrix")
    run_export(_stored_status(portfolio, content), "matrix", out, "csv")
    assert out.read_text(encoding="utf-8-sig").startswith("section,group,Assessment Criteria,")


def test_default_output_is_beside_the_portfolio(portfolio: Path, content) -> None:
    p = Portfolio(portfolio, content, use_store=False)
    assert default_output(p, "matrix", "docx") == (
        portfolio.parent / "p-exports" / "alex-morgan-matrix.docx"
    )
    assert default_output(p, "progress", "docx").name == "alex-morgan-progress.json"


def test_cli_export_commands(portfolio: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "ksb.md"
    assert main(["export", "matrix", str(portfolio), "--ksb", "--out", str(out)]) == 0
    text = out.read_text()
    assert text.startswith("# KSB Evidence Matrix (Professional Discussion)\n")
    assert "| B4 |" in text and "**none yet**" not in text.split("| K10 |")[1].split("\n")[0]
    assert main(["export", "matrix", str(portfolio), "--out", str(tmp_path / "m.odt")]) == 2
    assert "--format must be one of md, csv, xlsx, docx, html, pdf" in capsys.readouterr().err
    out = tmp_path / "progress.json"
    assert main(["export", "progress", str(portfolio), "--out", str(out), "--html"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"wrote {out}",
        f"wrote {out.with_suffix('.html')}",
    ]
