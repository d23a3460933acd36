"""Word tables written row by row as the file is saved read back whole, in order, with each
row's own look, in Word's reader (python-docx)."""

from __future__ import annotations

import datetime as dt
import io
import struct
import zipfile

from docx import Document as WordDocument
from docx.oxml.ns import qn

from companion.documents.docx import docx_bytes, sections_bytes
from companion.documents.model import Document, Row, SignatureRow, Table

ROWS = 1500


def _long_table(title: str) -> Table:
    rows: list[Row] = [Row(["Learning Outcome 1 — lead people"], group=True)]
    for n in range(ROWS):
        rows.append(
            Row([f"E{n:05d}", f"Siobhán's review {n} of the £2m contract", dt.date(2026, 3, 2)])
        )
    rows.append(Row(["700/1.1", "", "Referral\nno evidence yet"], highlight=True, strong=True))
    rows.append(SignatureRow(["Employer", "", ""]))
    return Table(title, ["Ref", "Title", "Date"], rows, widths=(1, 4, 2))


def _document(title: str) -> Document:
    return Document(
        title,
        "Alex Morgan — evidence",
        [_long_table(f"{title} table")],
        learner="Alex Morgan",
        produced=dt.date(2026, 3, 2),
    )


def _cell_texts(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def test_a_long_table_reads_back_every_row_in_order_with_its_look() -> None:
    data = docx_bytes(_document("Evidence index"))
    word = WordDocument(io.BytesIO(data))
    (table,) = word.tables
    texts = _cell_texts(table)
    assert texts[0] == ["Ref", "Title", "Date"]
    assert texts[1] == ["Learning Outcome 1 — lead people"] * 3  # one cell across the table
    assert texts[2] == ["E00000", "Siobhán's review 0 of the £2m contract", "2 March 2026"]
    assert texts[1 + ROWS] == [
        f"E{ROWS - 1:05d}",
        f"Siobhán's review {ROWS - 1} of the £2m contract",
        "2 March 2026",
    ]
    assert [row[0] for row in texts[2 : 2 + ROWS]] == [f"E{n:05d}" for n in range(ROWS)]
    assert texts[-2] == ["700/1.1", "", "Referral\nno evidence yet"]
    assert texts[-1] == ["Employer", "", ""]
    assert len(texts) == 1 + 1 + ROWS + 2
    group = table.rows[1]._tr
    assert group.findall(f".//{qn('w:gridSpan')}")[0].get(qn("w:val")) == "3"
    verdict = table.rows[-2].cells[2]
    assert [r.bold for r in verdict.paragraphs[0].runs] == [True, None]
    cell_properties = verdict._tc.tcPr
    assert cell_properties is not None
    assert cell_properties.find(qn("w:shd")).get(qn("w:fill")) == "FCE4D6"
    assert table.rows[-1].height is not None and table.rows[-1].height > 0  # room to sign
    for row in (table.rows[0], table.rows[2], table.rows[-1]):
        assert [c.width for c in row.cells] == [c.width for c in table.columns]


def test_the_rows_carry_no_placeholder_and_no_namespace_of_their_own() -> None:
    data = docx_bytes(_document("Evidence index"))
    with zipfile.ZipFile(io.BytesIO(data)) as packed:
        xml = packed.read("word/document.xml")
        assert packed.testzip() is None
    assert b"companion-rows" not in xml
    assert xml.count(b'xmlns:w="') == 1  # declared once, on the document


def test_each_section_of_a_file_of_documents_keeps_its_own_rows() -> None:
    data = sections_bytes([_document("Unit 700"), _document("Unit 701")], "Results")
    word = WordDocument(io.BytesIO(data))
    first, second = word.tables
    assert len(first.rows) == len(second.rows) == 1 + 1 + ROWS + 2
    assert [s.header.paragraphs[0].text for s in word.sections] == ["Unit 700", "Unit 701"]
    assert word.core_properties.title == "Results"


def test_a_table_with_a_header_and_no_rows_is_written_as_it_is() -> None:
    empty = Document("Nothing yet", "Alex", [Table("Evidence", ["Ref", "Title"], [])])
    (table,) = WordDocument(io.BytesIO(docx_bytes(empty))).tables
    assert _cell_texts(table) == [["Ref", "Title"]]


def test_every_part_s_own_header_agrees_with_the_file_s_directory() -> None:
    """Word opens a file only when each part's local header gives the sizes the central
    directory gives: a ZIP64 local header on a small part (sizes 0xFFFFFFFF) it refuses."""
    data = docx_bytes(_document("Evidence index"))
    with zipfile.ZipFile(io.BytesIO(data)) as packed:
        parts = packed.infolist()
    for part in parts:
        header = data[part.header_offset : part.header_offset + 30]
        version, _, _, _, _, _, compressed, size, _, extra = struct.unpack("<4xHHHHHIIIHH", header)
        assert (version, compressed, size, extra) == (20, part.compress_size, part.file_size, 0), (
            part.filename
        )


def test_a_table_of_no_columns_is_its_title_alone() -> None:
    odd = Document("Odd", "Alex", [Table("Nothing to show", [], [Row(["a"])], heading=False)])
    word = WordDocument(io.BytesIO(docx_bytes(odd)))
    assert [len(t.rows) for t in word.tables] == [0]
    assert "Nothing to show" in [p.text for p in word.paragraphs]


def test_a_row_that_may_be_taller_than_a_page_may_break_and_the_others_may_not() -> None:
    """Word cuts off a row taller than a page that may not break: a KSB's evidence in a
    large portfolio is such a row."""
    many = "\n".join(f"E{n:03d} Board paper on the repairs contract, para {n}" for n in range(60))
    rows = [Row(["K10", "Team dynamics", many]), Row(["K11", "Change", "E001 Away day"])]
    table = Table("KSBs", ["KSB", "Text", "Evidence"], rows, widths=(2, 7, 7))
    (word,) = WordDocument(io.BytesIO(docx_bytes(Document("KSB", "Alex", [table])))).tables
    kept = [
        row._tr.trPr is not None and row._tr.trPr.find(qn("w:cantSplit")) is not None
        for row in word.rows
    ]
    assert kept == [True, False, True]  # the header, the long row, the short one
