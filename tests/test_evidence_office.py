"""Office evidence files (docx, pptx, xlsx, odt, odp, ods) read into Markdown and facts,
and hostile ones refused quickly with the right problem code."""

from __future__ import annotations

import datetime as dt
import io
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import openpyxl
import pptx
import pytest
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.shared import Inches as DocxInches
from pptx.oxml.ns import qn as pptx_qn
from pptx.util import Inches

from companion.evidence.docx_reader import read_docx
from companion.evidence.limits import DEFAULT_LIMITS, EvidenceReadError, Limits
from companion.evidence.model import ExtractedFile, FileFacts
from companion.evidence.odf_reader import read_odf
from companion.evidence.pptx_reader import read_pptx
from companion.evidence.xlsx_reader import read_xlsx
from companion.evidence.zipped import parse_xml, prolog_verdict

FIXTURES = Path(__file__).parent / "fixtures" / "evidence" / "office"
Reader = Callable[[Path, int, Limits], ExtractedFile]


def read(reader: Reader, path: Path, limits: Limits = DEFAULT_LIMITS) -> ExtractedFile:
    return reader(path, path.stat().st_size, limits)


def problem(reader: Reader, path: Path, limits: Limits = DEFAULT_LIMITS) -> EvidenceReadError:
    """The error reading ``path`` raises, which must come within two seconds."""
    started = time.monotonic()
    with pytest.raises(EvidenceReadError) as caught:
        read(reader, path, limits)
    assert time.monotonic() - started < 2.0
    return caught.value


# -- real files made by LibreOffice 7.4 (see fixtures/evidence/README.md) --------------

LONG = " ".join(
    [
        "The apprentice recorded each step of the network installation, noting the cable "
        "tests and the results for the customer."
    ]
    * 6
)
WRITER_TEXT = (
    "# Network Installation Evidence\n\n"
    "# Introduction\n\n"
    "I installed a small office network for a customer.\n\n"
    "- Planned the cable runs\n\n"
    "- Tested every port\n\n"
    "  - Recorded the results\n\n"
    "| Port | Result | Note |\n| --- | --- | --- |\n| 1 | Pass | a\\|b |\n\n"
    "# Method\n\n"
    + "".join(f"Paragraph {i}. {LONG}\n\n" for i in range(1, 13))
    + "<!-- page 2 -->\n\n"
    "## Reflection\n\n"
    "I learned to label every cable.\n\n"
    "<!-- footnotes -->\n\n"
    "Installed on 12 February 2024.\n"
)
WRITER_MARGINS = ("Sam Apprentice – Level 3 Network Technician", "Confidential portfolio evidence")


def test_libreoffice_docx_reads_headings_lists_tables_breaks_and_footnotes() -> None:
    path = FIXTURES / "lo-writer.docx"
    with zipfile.ZipFile(path) as archive:
        body = archive.read("word/document.xml")
    # LibreOffice saves no rendered page breaks and no page count: only its explicit break
    # marks a page, and the page count is unknown.
    assert b"lastRenderedPageBreak" not in body
    assert body.count(b'w:type="page"') == 1
    extracted = read(read_docx, path)
    assert extracted.text == WRITER_TEXT
    assert extracted.margins == WRITER_MARGINS
    assert extracted.facts == FileFacts(
        format="docx",
        kind="document",
        size=path.stat().st_size,
        pages=None,
        created="2024-02-10",
        modified="2024-03-15",
        title="Network Installation Evidence",
        author="Sam Apprentice",
    )
    assert extracted.first_page == WRITER_TEXT.split("<!-- page 2 -->")[0].rstrip() + "\n"
    assert extracted.problem is None and extracted.notes == ()


def test_libreoffice_odt_reads_the_same_as_its_docx() -> None:
    path = FIXTURES / "lo-writer.odt"
    with zipfile.ZipFile(path) as archive:
        # A headless conversion lays out no pages: no soft page breaks are saved.
        assert b"<text:soft-page-break" not in archive.read("content.xml")
    extracted = read(read_odf, path)
    assert extracted.text == WRITER_TEXT
    assert extracted.margins == WRITER_MARGINS
    assert extracted.facts == FileFacts(
        format="odt",
        kind="document",
        size=path.stat().st_size,
        pages=2,
        created="2024-02-10",
        modified="2024-03-15",
        title="Network Installation Evidence",
        author="Sam Apprentice",
    )


IMPRESS_TEXT = (
    "<!-- slide 1 -->\n\n## Site Survey\n\nSam Apprentice, March 2024\n\n"
    "<!-- slide 2 -->\n\n## Findings\n\n- Cabinet is full\n\n  - Two spare ports\n\n"
    "<!-- notes -->\n\nMention the labelling.\n\n"
    "<!-- slide 3 -->\n\n## Costs\n\n| Item | Cost |\n| --- | --- |\n| Switch | £120 |\n"
)


@pytest.mark.parametrize(
    ("name", "reader"), [("lo-impress.pptx", read_pptx), ("lo-impress.odp", read_odf)]
)
def test_libreoffice_presentations(name: str, reader: Reader) -> None:
    path = FIXTURES / name
    extracted = read(reader, path)
    assert extracted.text == IMPRESS_TEXT
    assert extracted.first_page == "## Site Survey\n\nSam Apprentice, March 2024\n"
    assert extracted.facts == FileFacts(
        format=path.suffix[1:],
        kind="presentation",
        size=path.stat().st_size,
        slides=3,
        created="2024-02-11",
        modified="2024-02-12",
        title="Site Survey",
        author="Sam Apprentice",
    )


CALC_TEXT = (
    "<!-- sheet Hours -->\n\n"
    "| Date | Activity | Hours |\n| --- | --- | --- |\n"
    "| 2024-03-04 | Cabling | 3.5 |\n| 2024-03-05 | Testing | 2 |\n| Total |  | 5.5 |\n\n"
    "<!-- sheet Kit -->\n\n"
    "| Item | Count |\n| --- | --- |\n| Patch lead | 12 |\n"
)


@pytest.mark.parametrize(
    ("name", "reader"), [("lo-calc.xlsx", read_xlsx), ("lo-calc.ods", read_odf)]
)
def test_libreoffice_spreadsheets_give_calculated_values(name: str, reader: Reader) -> None:
    path = FIXTURES / name
    extracted = read(reader, path)
    assert extracted.text == CALC_TEXT  # the total is LibreOffice's cached =SUM(C2:C3)
    assert extracted.facts == FileFacts(
        format=path.suffix[1:],
        kind="spreadsheet",
        size=path.stat().st_size,
        sheets=2,
        created="2024-03-06",
        modified="2026-12-07",  # LibreOffice stamps the conversion
        title="Off-the-job hours",
        author="Sam Apprentice",
    )


# -- generated Word documents -------------------------------------------------------


def _word_document(path: Path) -> None:
    document = docx.Document()
    props = document.core_properties
    props.title, props.author = "My Portfolio", "Jane Smith"
    props.created = dt.datetime(2024, 3, 1, 10, 0)
    props.modified = dt.datetime(2024, 4, 2, 11, 0)
    document.add_heading("Portfolio", 0)
    document.add_heading("Introduction", 1)
    document.add_paragraph("I work as a data\ttechnician.")
    document.add_paragraph("# not a heading")
    document.add_paragraph("<!-- page 9 --> is not a mark")
    document.add_paragraph("First point", style="List Bullet")
    document.add_paragraph("Nested point", style="List Bullet 2")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Name", "Role"
    table.cell(1, 0).text, table.cell(1, 1).text = "Jane|Smith", "Line one\nLine two"
    document.add_page_break()
    custom = document.styles.add_style("Evidence Heading", 1)  # a paragraph style
    custom.base_style = document.styles["Heading 2"]
    document.add_paragraph("Based on heading two", style="Evidence Heading")
    document.add_paragraph("Hidden text follows.").add_run("SECRET").font.hidden = True
    document.sections[0].header.paragraphs[0].text = "Jane Smith – Level 3"
    document.sections[0].footer.paragraphs[0].text = "Confidential"
    footer_table = document.sections[0].footer.add_table(1, 2, DocxInches(4))
    footer_table.cell(0, 0).text, footer_table.cell(0, 1).text = "Employer", "Acme"
    section = document.add_section(WD_SECTION.NEW_PAGE)
    section.header.is_linked_to_previous = False
    section.header.paragraphs[0].text = "Appendix header"
    document.add_paragraph("Appendix text.")
    document.save(str(path))


def test_generated_docx_structure_marks_and_margins(tmp_path: Path) -> None:
    path = tmp_path / "portfolio.docx"
    _word_document(path)
    extracted = read(read_docx, path)
    assert extracted.text == (
        "# Portfolio\n\n"
        "# Introduction\n\n"
        "I work as a data technician.\n\n"
        "\\# not a heading\n\n"
        "<\\!-- page 9 --> is not a mark\n\n"
        "- First point\n\n"
        "  - Nested point\n\n"
        "| Name | Role |\n| --- | --- |\n| Jane\\|Smith | Line one Line two |\n\n"
        "<!-- page 2 -->\n\n"
        "## Based on heading two\n\n"
        "Hidden text follows.\n\n"
        "<!-- page 3 -->\n\n"
        "Appendix text.\n"
    )
    assert extracted.margins == (
        "Jane Smith – Level 3",
        "Confidential\n| Employer | Acme |\n| --- | --- |",
        "Appendix header",
    )
    assert extracted.facts == FileFacts(
        format="docx",
        kind="document",
        size=path.stat().st_size,
        pages=None,  # python-docx's template says 1 page and 0 words: stale, so unknown
        created="2024-03-01",
        modified="2024-04-02",
        title="My Portfolio",
        author="Jane Smith",
    )
    assert extracted.first_page == extracted.text.split("<!-- page 2 -->")[0].rstrip() + "\n"


def test_rendered_page_breaks_win_over_explicit_ones(tmp_path: Path) -> None:
    """Word saves where its pages broke; those are the pages the learner saw."""
    document = docx.Document()
    first = document.add_paragraph("Page one ends mid ")
    first.add_run().add_break(WD_BREAK.PAGE)  # ignored: rendered breaks exist
    run = first.add_run("sentence.")
    run._r.insert(0, OxmlElement("w:lastRenderedPageBreak"))  # mid-paragraph
    second = document.add_paragraph()
    break_run = second.add_run()
    break_run._r.append(OxmlElement("w:lastRenderedPageBreak"))
    second.add_run("Page three starts here.")
    hyperlink = OxmlElement("w:hyperlink")
    linked = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = " See the log."
    linked.append(text)
    hyperlink.append(linked)
    second._p.append(hyperlink)
    path = tmp_path / "rendered.docx"
    document.save(str(path))
    extracted = read(read_docx, path)
    assert extracted.text == (
        "Page one ends mid sentence.\n\n"
        "<!-- page 2 -->\n\n"
        "<!-- page 3 -->\n\n"
        "Page three starts here. See the log.\n"
    )
    assert extracted.first_page == "Page one ends mid sentence.\n"


def test_docx_footnotes_skip_separators_and_endnotes_follow(tmp_path: Path) -> None:
    source = FIXTURES / "lo-writer.docx"
    target = tmp_path / "notes.docx"
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            data = old.read(info)
            if info.filename == "word/footnotes.xml":
                assert b'w:type="separator"' in data
            new.writestr(info, data)
    assert read(read_docx, target).text.endswith(
        "<!-- footnotes -->\n\nInstalled on 12 February 2024.\n"
    )


def test_text_is_cut_at_the_limit_with_a_note(tmp_path: Path) -> None:
    document = docx.Document()
    for number in range(50):
        document.add_paragraph(f"Paragraph {number} " + "word " * 20)
    path = tmp_path / "long.docx"
    document.save(str(path))
    extracted = read(read_docx, path, Limits(max_text_chars=500))
    assert len(extracted.text) <= 500
    assert extracted.text.startswith("Paragraph 0 word")
    assert extracted.notes == (
        "Only the first 500 characters of text were read; the rest was left out.",
    )


# -- generated presentations, workbooks and OpenDocument text ---------------------------


def test_generated_pptx_groups_tables_notes_and_footers(tmp_path: Path) -> None:
    deck = pptx.Presentation()
    deck.core_properties.title = "Deck"
    deck.core_properties.author = "Jane"
    deck.core_properties.created = dt.datetime(2024, 5, 6, 7, 8)
    deck.core_properties.modified = dt.datetime(2024, 5, 7, 7, 8)
    first = deck.slides.add_slide(deck.slide_layouts[1])
    first.shapes.title.text = "Points"
    frame = first.placeholders[1].text_frame
    frame.text = "One"
    child = frame.add_paragraph()
    child.text, child.level = "Two", 1
    group = first.shapes.add_group_shape()
    group.shapes.add_textbox(
        Inches(1), Inches(5), Inches(3), Inches(1)
    ).text_frame.text = "In a group"
    footer = first.shapes.add_textbox(Inches(1), Inches(7), Inches(3), Inches(0.5))
    footer.text_frame.text = "Jane Smith 2024"
    placeholder = footer._element.makeelement(pptx_qn("p:ph"), {"type": "ftr", "idx": "11"})
    footer._element.nvSpPr.nvPr.append(placeholder)
    first.notes_slide.notes_text_frame.text = "Say this"
    second = deck.slides.add_slide(deck.slide_layouts[6])  # blank: no title
    table = second.shapes.add_table(2, 2, Inches(1), Inches(1), Inches(4), Inches(2)).table
    for (row, column), value in {(0, 0): "A", (0, 1): "B|C", (1, 0): "1", (1, 1): "2"}.items():
        table.cell(row, column).text = value
    path = tmp_path / "deck.pptx"
    deck.save(str(path))
    extracted = read(read_pptx, path)
    assert extracted.text == (
        "<!-- slide 1 -->\n\n## Points\n\n- One\n\n  - Two\n\nIn a group\n\n"
        "<!-- notes -->\n\nSay this\n\n"
        "<!-- slide 2 -->\n\n| A | B\\|C |\n| --- | --- |\n| 1 | 2 |\n"
    )
    assert extracted.margins == ("Jane Smith 2024",)
    assert extracted.first_page == "## Points\n\n- One\n\n  - Two\n\nIn a group\n"
    assert extracted.facts == FileFacts(
        format="pptx",
        kind="presentation",
        size=path.stat().st_size,
        slides=2,
        created="2024-05-06",
        modified="2024-05-07",
        title="Deck",
        author="Jane",
    )


def test_generated_xlsx_skips_empty_rows_and_stops_at_the_cell_limit(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Log"
    sheet["A1"], sheet["B1"] = "Day", "Hours"
    sheet["A3"], sheet["B3"] = dt.datetime(2024, 1, 2, 9, 30), 1.5
    sheet["A4"], sheet["C4"] = True, "x|y"
    big = workbook.create_sheet("Big")
    for row in range(1, 101):
        big.append([row, row * 2])
    path = tmp_path / "log.xlsx"
    workbook.save(path)
    extracted = read(read_xlsx, path, Limits(max_sheet_cells=20))
    assert extracted.text == (
        "<!-- sheet Log -->\n\n"
        "| Day | Hours |  |\n| --- | --- | --- |\n"
        "| 2024-01-02 09:30 | 1.5 |  |\n| TRUE |  | x\\|y |\n\n"
        "<!-- sheet Big -->\n\n"
        "| 1 | 2 |\n| --- | --- |\n| 2 | 4 |\n| 3 | 6 |\n| 4 | 8 |\n| 5 | 10 |\n| 6 | 12 |\n"
    )
    assert extracted.notes == (
        "Only the first 20 cells were read; the rest of sheet Big and any sheets after it "
        "were left out.",
    )
    assert extracted.facts.sheets == 2 and extracted.facts.format == "xlsx"


ODF_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/"'
)


def _odf(path: Path, body: str, mimetype: str = "text", meta: str = "") -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            "mimetype", f"application/vnd.oasis.opendocument.{mimetype}", zipfile.ZIP_STORED
        )
        archive.writestr(
            "content.xml",
            f'<?xml version="1.0"?><office:document-content {ODF_NS}><office:body>'
            f"<office:{mimetype}>{body}</office:{mimetype}></office:body>"
            "</office:document-content>",
        )
        if meta:
            archive.writestr(
                "meta.xml",
                f"<office:document-meta {ODF_NS}><office:meta>{meta}</office:meta>"
                "</office:document-meta>",
            )
    return path


def test_odt_soft_page_breaks_repeated_cells_and_meta(tmp_path: Path) -> None:
    path = _odf(
        tmp_path / "notes.odt",
        '<text:h text:outline-level="2">Aims</text:h>'
        '<text:p>First<text:s text:c="3"/>page<text:tab/>text'
        '<text:note text:note-class="footnote"><text:note-citation>1</text:note-citation>'
        "<text:note-body><text:p>A note.</text:p></text:note-body></text:note></text:p>"
        "<text:p><text:soft-page-break/>Second page</text:p>"
        "<text:p>Runs on <text:soft-page-break/>to page three</text:p>"
        "<table:table><table:table-row>"
        '<table:table-cell table:number-columns-repeated="2"><text:p>a</text:p></table:table-cell>'
        '<table:table-cell table:number-columns-repeated="16000"/></table:table-row>'
        '<table:table-row table:number-rows-repeated="1048000"><table:table-cell '
        'table:number-columns-repeated="16384"/></table:table-row></table:table>',
        meta="<meta:creation-date>2023-09-01T08:00:00.123</meta:creation-date>"
        "<dc:date>2023-09-02T08:00:00</dc:date><dc:creator>Alex</dc:creator>"
        '<meta:document-statistic meta:page-count="3"/>',
    )
    extracted = read(read_odf, path)
    assert extracted.text == (
        "## Aims\n\nFirst page text\n\n<!-- page 2 -->\n\nSecond page\n\n"
        "Runs on to page three\n\n<!-- page 3 -->\n\n| a | a |\n| --- | --- |\n\n"
        "<!-- footnotes -->\n\nA note.\n"
    )
    assert extracted.first_page == "## Aims\n\nFirst page text\n"
    assert extracted.facts == FileFacts(
        format="odt",
        kind="document",
        size=path.stat().st_size,
        pages=3,
        created="2023-09-01",
        modified="2023-09-02",
        author="Alex",
    )


def test_ods_sheets_are_marked(tmp_path: Path) -> None:
    path = _odf(
        tmp_path / "sheets.ods",
        '<table:table table:name="A--b"><table:table-row><table:table-cell><text:p>1</text:p>'
        '</table:table-cell></table:table-row></table:table><table:table table:name="Empty"/>',
        mimetype="spreadsheet",
    )
    extracted = read(read_odf, path)
    assert extracted.text == ("<!-- sheet A‐‐b -->\n\n| 1 |\n| --- |\n\n<!-- sheet Empty -->\n")
    assert (extracted.facts.sheets, extracted.facts.created) == (2, "")


# -- hostile files ----------------------------------------------------------------------


@pytest.fixture
def word_file(tmp_path: Path) -> Path:
    path = tmp_path / "base.docx"
    docx.Document().save(str(path))
    return path


def _replace_part(source: Path, target: Path, name: str, data: bytes) -> Path:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            new.writestr(info.filename, data if info.filename == name else old.read(info))
    return target


@pytest.mark.parametrize(
    ("content", "seems"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "it is a PDF; rename it to .pdf"),
        (b"Dear assessor,\nplease find my evidence.", "it is not a zip of XML parts"),
        (b"", "it is empty"),
    ],
)
def test_a_docx_that_is_not_a_zip_is_the_wrong_format(
    tmp_path: Path, content: bytes, seems: str
) -> None:
    path = tmp_path / "essay.docx"
    path.write_bytes(content)
    error = problem(read_docx, path)
    assert (error.code, error.message) == (
        "file-wrong-format",
        f"essay.docx is not a Word document ({seems}).",
    )


def test_a_presentation_renamed_docx_is_the_wrong_format(tmp_path: Path) -> None:
    path = tmp_path / "slides.docx"
    pptx.Presentation().save(str(path))
    error = problem(read_docx, path)
    assert error.code == "file-wrong-format"
    assert error.message == (
        "slides.docx is not a Word document (it is a PowerPoint presentation; rename it to .pptx)."
    )


def test_a_truncated_docx_is_damaged(tmp_path: Path, word_file: Path) -> None:
    path = tmp_path / "cut.docx"
    path.write_bytes(word_file.read_bytes()[: word_file.stat().st_size // 2])
    error = problem(read_docx, path)
    assert error.code == "file-damaged"
    assert error.message.startswith("cut.docx could not be read as a Word document (")
    assert str(tmp_path) not in error.message


@pytest.fixture(scope="module")
def zip_bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A docx whose document.xml is 1 GB of zeros, about 1 MB stored; written in chunks."""
    path = tmp_path_factory.mktemp("bomb") / "bomb.docx"
    chunk = b"\0" * (4 * 1024 * 1024)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w") as part:
            for _ in range(256):
                part.write(chunk)
    return path


def test_a_zip_bomb_is_refused_from_its_directory(zip_bomb: Path) -> None:
    assert zip_bomb.stat().st_size < 8 * 1024 * 1024
    error = problem(read_docx, zip_bomb)
    assert error.code == "file-bomb"
    assert error.message.startswith("bomb.docx has a part that would expand to 1,073,741,824 bytes")


def test_a_small_part_with_a_huge_ratio_is_a_bomb(tmp_path: Path, word_file: Path) -> None:
    path = _replace_part(word_file, tmp_path / "ratio.docx", "word/styles.xml", b"\0" * 2_000_000)
    assert problem(read_docx, path).code == "file-bomb"


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!-- a comment first, so the DOCTYPE is not at the very start -->
<!DOCTYPE w:document [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:body><w:p><w:r><w:t>&secret;</w:t></w:r></w:p></w:body></w:document>"""


@pytest.mark.parametrize("xml", [BILLION_LAUGHS, EXTERNAL_ENTITY], ids=["laughs", "external"])
def test_entity_declarations_are_refused_before_parsing(
    tmp_path: Path, word_file: Path, xml: bytes
) -> None:
    path = _replace_part(word_file, tmp_path / "entities.docx", "word/document.xml", xml)
    error = problem(read_docx, path)
    assert error.code == "file-bomb"
    assert error.message == (
        "entities.docx has a part (word/document.xml) declaring its own entities, "
        "which real documents never do; it was not read."
    )
    assert "root:" not in error.message


def test_the_safe_parser_neither_expands_nor_fetches_entities() -> None:
    """Belt and braces: even a part that slipped past the prolog check is refused."""
    for xml in (BILLION_LAUGHS, EXTERNAL_ENTITY):
        with pytest.raises(EvidenceReadError) as caught:
            parse_xml(xml, Path("x.docx"), "docx", "word/document.xml")
        assert caught.value.code == "file-bomb"
    assert prolog_verdict(b"<?xml version='1.0'?>\n<w:document/>", complete=True) == "ok"
    assert prolog_verdict(b"<!-- " + b"x" * 70_000, complete=False) == "long"


def test_an_office_encrypted_file_says_so(tmp_path: Path) -> None:
    path = tmp_path / "locked.docx"
    directory_entry = "EncryptedPackage".encode("utf-16-le")
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1000 + directory_entry)
    error = problem(read_docx, path)
    assert (error.code, error.message) == (
        "file-encrypted",
        "locked.docx is password-protected; save a copy without a password in Word and "
        "add that instead.",
    )


def test_an_old_binary_word_file_is_the_wrong_format(tmp_path: Path) -> None:
    path = tmp_path / "old.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1000)
    error = problem(read_docx, path)
    assert error.code == "file-wrong-format"
    assert "older Office format" in error.message


def test_a_zip_with_twenty_thousand_entries_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "many.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        for number in range(20_000):
            archive.writestr(f"word/media/{number}.bin", b"")
    error = problem(read_docx, path)
    assert error.code == "file-bomb"
    assert error.message.startswith("many.docx holds 20,000 parts")


def test_an_encrypted_zip_entry_is_refused(tmp_path: Path, word_file: Path) -> None:
    """zipfile cannot write encrypted entries, so the flag is set in the written bytes."""
    buffer = io.BytesIO(word_file.read_bytes())
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr("word/secret.bin", b"locked")
    data = bytearray(buffer.getvalue())
    local = data.index(b"word/secret.bin") - 30  # the name follows its local header
    central = data.rindex(b"word/secret.bin") - 46  # and its central directory record
    assert data[local : local + 4] == b"PK\x03\x04" and data[central : central + 4] == b"PK\x01\x02"
    data[local + 6] |= 0x1
    data[central + 8] |= 0x1
    path = tmp_path / "zipcrypto.docx"
    path.write_bytes(bytes(data))
    with zipfile.ZipFile(path) as archive:
        assert archive.getinfo("word/secret.bin").flag_bits & 0x1
    assert problem(read_docx, path).code == "file-encrypted"


def test_a_pptx_with_a_broken_slide_is_damaged(tmp_path: Path) -> None:
    deck = pptx.Presentation()
    deck.slides.add_slide(deck.slide_layouts[0]).shapes.title.text = "Hello"
    source = tmp_path / "good.pptx"
    deck.save(str(source))
    path = _replace_part(source, tmp_path / "broken.pptx", "ppt/slides/slide1.xml", b"<p:sld><oops")
    error = problem(read_pptx, path)
    assert error.code == "file-damaged"
    assert error.message.startswith("broken.pptx could not be read as a PowerPoint presentation (")


def test_a_word_document_with_a_broken_body_is_damaged(tmp_path: Path, word_file: Path) -> None:
    path = _replace_part(word_file, tmp_path / "body.docx", "word/document.xml", b"<w:document>")
    assert problem(read_docx, path).code == "file-damaged"


def test_an_odt_without_content_is_damaged(tmp_path: Path) -> None:
    path = tmp_path / "empty.odt"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
    error = problem(read_odf, path)
    assert (error.code, error.message) == (
        "file-damaged",
        "empty.odt could not be read as an OpenDocument text document (it has no content.xml).",
    )
