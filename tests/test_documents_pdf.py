"""PDF as an output of the document model, and the one Markdown renderer for Word and PDF.

The PDFs are read back with pypdf, as an assessor's viewer reads them: page size, the text
on every page (learner, date, "Page n of m", DRAFT), the fonts embedded, the names spelt.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path
from typing import cast

import pytest
from docx import Document as WordDocument
from docx.document import Document as DocxDocument
from known import present
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from companion.content.load import load_content
from companion.documents import docx, pdf
from companion.documents.markdown import (
    Code,
    Heading,
    ListBlock,
    Para,
    Quote,
    Rule,
    Run,
    TableBlock,
    add_docx,
    parse,
    pdf_flowables,
)
from companion.documents.model import Document, Row, Table

NAMES = "Siobhán Ó Súilleabháin, Llŷr Gwŵr"
PRODUCED = dt.date(2026, 12, 1)
A4 = (595.28, 841.89)


def _long_table(rows: int = 120) -> Table:
    data = [Row(["Learning outcome 1"], group=True)]
    data += [
        Row(
            [f"AC1.{i}", f"E{i:03d} board minutes, p{i} — “agreed” – £{i * 10} café"],
            highlight=i % 9 == 0,
            strong=i % 13 == 0,
        )
        for i in range(1, rows)
    ]
    return Table("Unit 701", ["Criterion", "Where the evidence is"], data, widths=(2, 5))


def _doc(*tables: Table, draft: bool = False) -> Document:
    return Document(
        "Evidence Matrix",
        f"{NAMES} · the evidence",
        list(tables) or [_long_table()],
        notes=["A note for the assessor."],
        learner="Siobhán Ó Súilleabháin",
        produced=PRODUCED,
        draft=draft,
    )


def _read(data: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(data))


def _texts(data: bytes) -> list[str]:
    return [page.extract_text() for page in _read(data).pages]


@pytest.fixture(scope="module")
def long_pdf() -> bytes:
    return pdf.pdf_bytes(_doc())


def test_every_page_is_a4_and_carries_learner_date_and_page_n_of_m(long_pdf: bytes) -> None:
    reader = _read(long_pdf)
    total = len(reader.pages)
    assert total >= 3
    for number, page in enumerate(reader.pages, start=1):
        size = (float(page.mediabox.width), float(page.mediabox.height))
        assert size == pytest.approx(A4, abs=0.5)
        text = page.extract_text()
        assert "Siobhán Ó Súilleabháin" in text
        assert "1 December 2026" in text
        assert f"Page {number} of {total}" in text
        assert "Evidence Matrix" in text  # the header
        assert "DRAFT" not in text


def test_a_piece_of_evidence_shows_its_reference_on_every_page() -> None:
    from dataclasses import replace

    texts = _texts(pdf.pdf_bytes(replace(_doc(), reference="E006")))
    assert all("evidence reference E006" in text for text in texts)


def test_the_header_row_repeats_on_every_page_of_a_long_table(long_pdf: bytes) -> None:
    texts = _texts(long_pdf)
    assert all("Where the evidence is" in text for text in texts)
    assert "AC1.119" in texts[-1] and "AC1.119" not in texts[0]


def test_fonts_are_embedded_and_names_and_punctuation_come_back_exactly(long_pdf: bytes) -> None:
    reader = _read(long_pdf)
    fonts = {}
    for page in reader.pages:
        resources = cast(DictionaryObject, page["/Resources"])
        for font in cast(DictionaryObject, resources["/Font"]).values():
            font = font.get_object()
            fonts[str(font["/BaseFont"])] = font
    assert fonts and all("DejaVuSans" in name for name in fonts)  # no Helvetica anywhere
    for font in fonts.values():
        assert "/FontFile2" in font["/FontDescriptor"].get_object()
    text = "\n".join(_texts(long_pdf))
    for expected in ("Siobhán Ó Súilleabháin", "Llŷr Gwŵr", "£1180", "café", "“agreed”", " – "):
        assert expected in text


def test_the_bundled_fonts_have_a_glyph_for_every_character_of_the_names() -> None:
    """No missing-glyph boxes: every character is in the fonts' character maps."""
    from reportlab.pdfbase.ttfonts import TTFont

    wanted = set(NAMES + "£é“”‘’–—·…")
    for file in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf"):
        face = TTFont(file, str(pdf.FONT_DIR / file)).face
        assert not {c for c in wanted if ord(c) not in face.charToGlyph}, file
    assert "Bitstream Vera" in (pdf.FONT_DIR / "LICENSE").read_text()


def test_a_draft_says_so_across_every_page() -> None:
    data = pdf.pdf_bytes(_doc(draft=True))
    texts = _texts(data)
    assert len(texts) >= 2
    # the watermark and the footer on every page (the first also has its DRAFT line)
    assert all(text.count("DRAFT") >= 2 for text in texts)


def test_group_rows_and_missing_evidence_are_shaded_and_a_verdict_is_bold(long_pdf) -> None:
    content = b"".join(present(p.get_contents()).get_data() for p in _read(long_pdf).pages)
    assert b".866667 .921569 .968627 rg" in content  # DDEBF7, as the DOCX groups
    assert b".988235 .894118 .839216 rg" in content  # FCE4D6, as the DOCX missing cells
    assert "none yet" not in "".join(_texts(long_pdf))  # every row here has a location
    bold_page = _read(long_pdf).pages[0]
    resources = cast(DictionaryObject, bold_page["/Resources"])
    fonts = cast(DictionaryObject, resources["/Font"]).values()
    names = {str(f.get_object()["/BaseFont"]) for f in fonts}
    assert any(name.endswith("DejaVuSans-Bold") for name in names)


def test_a_table_with_many_columns_is_set_on_landscape_pages() -> None:
    wide = Table("Flags", ["Severity", "Note", "Code", "Message", "Line"], [Row(["a"] * 5)])
    page = _read(pdf.pdf_bytes(_doc(wide))).pages[0]
    assert float(page.mediabox.width) > float(page.mediabox.height)
    assert pdf.is_wide(wide) and not pdf.is_wide(_long_table(3))


def test_output_is_repeatable_byte_for_byte(long_pdf: bytes) -> None:
    assert pdf.pdf_bytes(_doc()) == long_pdf


def test_a_row_taller_than_a_page_is_split_inside_the_row() -> None:
    huge = Table("Essay", ["Ref", "Text"], [Row(["E1", "word " * 2500]), Row(["E2", "end"])])
    texts = _texts(pdf.pdf_bytes(_doc(huge)))
    assert len(texts) >= 3 and "E2" in texts[-1] and "Text" in texts[-1]


def test_an_empty_table_and_hostile_text_render() -> None:
    hostile = "<b>not bold</b> & \x00 \x1b[31m </para> <font name='x'>"
    table = Table(hostile, [hostile], [Row([hostile])])
    text = "".join(_texts(pdf.pdf_bytes(_doc(table, Table("None", ["A"], [])))))
    assert "<b>not bold</b> &" in text and "</para>" in text


# --- the Markdown renderer -------------------------------------------------------------------

BODY = """## Problem or opportunity

Missed **visits** cost *money*; see [the paper](https://example.org/p) and [E004](evidence/e.md).

1. First
2. Second
   - nested

Between the lists.

1. Again
2. And again

> The sponsor said “yes” – Llŷr Gwŵr.

| Option | Cost |
|---|---|
| Pilot | £45,000 |
| **Do nothing** | 0 |

```
code  kept
```

---

<b>raw html</b> stays as typed.
"""


def test_parse_gives_typed_blocks() -> None:
    blocks = parse(BODY)
    kinds = [type(b) for b in blocks]
    assert kinds == [Heading, Para, ListBlock, Para, ListBlock, Quote, TableBlock, Code, Rule, Para]
    paragraph = blocks[1]
    assert isinstance(paragraph, Para)
    assert (
        Run("visits", bold=True) in paragraph.runs and Run("money", italic=True) in paragraph.runs
    )
    text = "".join(r.text for r in paragraph.runs)
    assert "the paper (https://example.org/p)" in text and "E004." in text
    second = blocks[4]
    assert isinstance(second, ListBlock) and second.ordered and second.start == 1
    table = blocks[6]
    assert isinstance(table, TableBlock) and len(table.rows) == 2
    last = blocks[-1]
    assert isinstance(last, Para) and last.runs[0].text.startswith("<b>raw html</b>")


def test_links_show_their_address_only_when_it_adds_something() -> None:
    text = "[https://a.org](https://a.org/) [mail](mailto:x@y.org) [x@y.org](mailto:x@y.org)"
    runs = parse(text)[0]
    assert isinstance(runs, Para)
    assert "".join(r.text for r in runs.runs) == "https://a.org mail (mailto:x@y.org) x@y.org"


def _word(blocks_text: str) -> DocxDocument:
    frame = Document("T", "b", [], learner="Alex")
    word = docx.start(frame)
    add_docx(word, parse(blocks_text))
    return WordDocument(io.BytesIO(docx.finish(word)))


def test_markdown_to_word() -> None:
    word = _word(BODY)
    paragraphs = [(present(p.style).name, p.text) for p in word.paragraphs]
    assert ("Heading 1", "Problem or opportunity") in paragraphs
    numbered = [text for _, text in paragraphs if re.match(r"\d\.\t", text)]
    assert numbered == ["1.\tFirst", "2.\tSecond", "1.\tAgain", "2.\tAnd again"]
    assert ("List Bullet 2", "nested") in paragraphs
    quote = next(p for p in word.paragraphs if "sponsor" in p.text)
    assert quote.text == "The sponsor said “yes” – Llŷr Gwŵr." and ">" not in quote.text
    assert all(run.italic for run in quote.runs) and quote.paragraph_format.left_indent
    runs = {r.text: r for p in word.paragraphs for r in p.runs}
    assert runs["visits"].bold and runs["money"].italic and not runs["Missed "].bold
    assert len(word.tables) == 1
    cells = [[c.text for c in row.cells] for row in word.tables[0].rows]
    assert cells == [["Option", "Cost"], ["Pilot", "£45,000"], ["Do nothing", "0"]]
    assert word.tables[0].rows[2].cells[0].paragraphs[0].runs[0].bold
    assert not any("|" in text for _, text in paragraphs)


def test_markdown_to_pdf_flowables() -> None:
    frame = _doc(Table("T", ["a"], []))
    data = pdf.pdf_bytes(frame, body=pdf_flowables(parse(BODY), pdf.text_width(frame)))
    lines = [line.strip() for line in _texts(data)[0].splitlines()]
    assert lines.index("1. Again") == lines.index("Between the lists.") + 1
    assert "The sponsor said “yes” – Llŷr Gwŵr." in lines  # no ">"
    assert "• nested" in lines
    assert any(line.startswith("Missed visits cost money; see the paper") for line in lines)
    assert "£45,000" in lines and not any("|" in line for line in lines)


# --- the proposal summary ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def content():
    return load_content()


def _summary(content, tmp_path: Path):
    from companion.assessment.proposal import read_summary, save_summary

    return save_summary(
        read_summary(tmp_path, "proposal/summary.md", content),
        "Repairs scheduling",
        {
            "problem": "Missed **visits** cost *money*.\n\n1. one\n2. two",
            "options": "| Option | Cost |\n|---|---|\n| Pilot | £45,000 |",
            "risks": "1. Staff turnover\n\n> Board: “go” – Siobhán Ó Súilleabháin",
        },
        content,
        learner="Llŷr Gwŵr",
        today=dt.date(2026, 11, 22),
    )


def test_the_proposal_as_pdf_and_docx(content, tmp_path: Path) -> None:
    from companion.exports.proposal import SUMMARY_FORMATS, write_summary

    assert "pdf" in SUMMARY_FORMATS
    summary = _summary(content, tmp_path)
    out = tmp_path / "s.pdf"
    write_summary(summary, out, "pdf", "Llŷr Gwŵr")
    texts = _texts(out.read_bytes())
    text = "\n".join(texts)
    assert "Repairs scheduling" in text and "Problem or opportunity" in text
    assert "Siobhán Ó Súilleabháin" in text and "£45,000" in text
    assert all("Llŷr Gwŵr" in page and "Page 1 of" in texts[0] for page in texts)
    assert "type: proposal-summary" not in text and "---" not in text  # no front matter
    assert "Objectives" not in text  # a section not written yet is left out

    out = tmp_path / "s.docx"
    write_summary(summary, out, "docx", "Llŷr Gwŵr")
    word = WordDocument(str(out))
    paragraphs = [(present(p.style).name, p.text) for p in word.paragraphs]
    assert ("Heading 1", "Problem or opportunity") in paragraphs
    assert [t for _, t in paragraphs if re.match(r"\d\.\t", t)] == [
        "1.\tone",
        "2.\ttwo",
        "1.\tStaff turnover",
    ]
    assert len(word.tables) == 1 and word.tables[0].rows[1].cells[1].text == "£45,000"
    assert not any("type: proposal-summary" in t or t.startswith(">") for _, t in paragraphs)
    with pytest.raises(ValueError, match="unknown format"):
        write_summary(summary, tmp_path / "s.odt", "odt")


@pytest.mark.parametrize(
    "text",
    [
        "> " * 500 + "deep",
        "".join("  " * i + "- item\n" for i in range(200)),
        "*" * 5000 + "\n\n" + "[" * 2000 + "](x)",
        "| a |\n|---|\n" + "| \x00 <script> & |\n" * 300,
        "1. one\n\n   ```\n   code\n   ```\n\n   | t |\n   |---|\n   | c |\n",
    ],
)
def test_hostile_markdown_renders_to_word_and_pdf(text: str) -> None:
    blocks = parse(text)
    frame = _doc(Table("T", ["a"], []))
    assert pdf.pdf_bytes(frame, body=pdf_flowables(blocks, pdf.text_width(frame)))
    word = docx.start(frame)
    add_docx(word, blocks)
    assert docx.finish(word)


def test_the_review_pack_and_the_progress_report_are_written_as_pdf(tmp_path: Path) -> None:
    """The employer signs the pack and reads the report: both as pages, with room to sign."""
    from pypdf import PdfReader

    from companion.cli.main import main
    from companion.portfolio.example import copy_example

    root = copy_example(tmp_path / "example")
    assert main(["review-pack", str(root), "--out", str(tmp_path / "pack.pdf")]) == 0
    pack = PdfReader(tmp_path / "pack.pdf")
    text = "\n".join(page.extract_text() for page in pack.pages)
    assert "Alex Morgan" in text and "Employer or line manager" in text
    assert main(["export", "progress", str(root), "--out", str(tmp_path / "p.json"), "--pdf"]) == 0
    report = PdfReader(tmp_path / "p.pdf")
    assert "Alex Morgan" in report.pages[0].extract_text()


def test_a_cell_longer_than_many_pages_goes_on_page_after_page_with_every_line_once() -> None:
    """An AC's or a KSB's evidence at scale: a line each, thousands of them in one cell."""
    lines = [f"E{n:05d} Siobhán's review {n}, para {n % 7}" for n in range(1500)]
    rows = [
        Row(["700/1.1", "Explain how they have built a team", "\n".join(lines)], strong=True),
        Row(["700/1.2", "Evaluate the team", "E00001 Away day"]),
    ]
    data = pdf.pdf_bytes(_doc(Table("Unit 700", ["AC", "Criterion", "Evidence"], rows)))
    pages = [" ".join(page.extract_text().split()) for page in _read(data).pages]
    assert len(pages) > 20
    found = re.findall(r"E\d{5} Siobhán's review \d+, para \d", " ".join(pages))
    assert found == lines  # each line once, in order: none lost at a page break, none twice
    assert all("AC Criterion Evidence" in page for page in pages[1:])  # the header, each page
    assert sum("Explain how they have built a team" in page for page in pages) == 1
    assert "E00001 Away day" in pages[-1]
