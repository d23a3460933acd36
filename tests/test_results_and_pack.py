"""Results Sheets one unit to a sheet, as Appendix E prints them, and a review pack that lists
every row its totals count, in date order, with room to sign."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from docx import Document as WordDocument
from docx.enum.section import WD_SECTION
from docx.table import _Row

from companion import clock
from companion.assessment.status import build_status
from companion.content.load import load_content
from companion.documents.model import Document, SignatureRow, Table
from companion.documents.writers import render, to_html, to_markdown
from companion.exports.review_pack import LIST_AT_MOST, review_pack, write_review_pack
from companion.portfolio.hours import hours_text
from companion.portfolio.portfolio import Portfolio
from companion.review.feedback import PASS, REFERRAL, Feedback
from companion.review.results_sheet import results_bytes, results_document, write_results

DAY = dt.date(2026, 11, 22)
UNITS = ["700", "701", "702", "703", "704", "705", "706"]


@pytest.fixture(scope="module")
def content():
    return load_content()


@pytest.fixture
def feedback() -> Feedback:
    fb = Feedback(
        learner="Alex Morgan",
        assessor="Dr R. Shah",
        centre_number="123456",
        centre_name="Northgate Training",
        learner_registration="REG-1",
    )
    fb.record("700/1.1", PASS, "Tuckman and Belbin applied.", DAY)
    fb.record("701/1.1", REFERRAL, "Only one model.", DAY)
    return fb


def _cm(row: _Row) -> float:
    """A Word row's least height in centimetres (Word stores twentieths of a point)."""
    assert row.height is not None
    return round(row.height.cm, 2)


# --- Results Sheets ---------------------------------------------------------------------


def test_each_unit_is_a_whole_sheet_in_a_section_of_its_own(
    feedback: Feedback, content, tmp_path: Path
) -> None:
    out = tmp_path / "results.docx"
    write_results(results_document(feedback, content, []), "docx", out)
    word = WordDocument(str(out))
    titles = [p.text for p in word.paragraphs if p.style is not None and p.style.name == "Title"]
    assert [t.split()[2] for t in titles] == UNITS
    assert titles[1] == "Results Sheet: 701 Strategic Leadership"
    assert len(word.sections) == len(UNITS)
    for section, title in zip(word.sections, titles, strict=True):
        assert section.header.paragraphs[0].text == title  # the page header names its unit
        assert not section.header.is_linked_to_previous
        assert "Alex Morgan" in section.footer.paragraphs[0].text
    assert all(s.start_type == WD_SECTION.NEW_PAGE for s in word.sections[1:])
    texts = [p.text for p in word.paragraphs]
    assert texts.count("Instructions for Assessment") == len(UNITS)
    centre = [t for t in word.tables if t.rows[0].cells[0].text == "Centre Number:"]
    assert len(centre) == len(UNITS)
    assert all(t.rows[3].cells[1].text == "Alex Morgan" for t in centre)


def test_each_sheet_starts_after_a_section_break(feedback: Feedback, content) -> None:
    """In the body, every title but the first follows the break that ends the sheet before."""
    data = results_bytes(results_document(feedback, content, ["700", "701", "702"]), "docx")
    body = WordDocument(io.BytesIO(data)).element.body
    order = []
    for paragraph in body.iterchildren("{*}p"):
        if paragraph.xpath("./w:pPr/w:sectPr"):
            order.append("break")
        if paragraph.xpath("./w:pPr/w:pStyle[@w:val='Title']"):
            order.append("title")
    assert order == ["title", "break", "title", "break", "title"]


def test_one_unit_is_one_sheet_as_before(feedback: Feedback, content) -> None:
    doc = results_document(feedback, content, ["701"])
    assert doc.title == "Results Sheet: 701 Strategic Leadership"
    word = WordDocument(io.BytesIO(results_bytes(doc, "docx")))
    assert len(word.sections) == 1
    assert word.sections[0].header.paragraphs[0].text == doc.title


def test_markdown_sheets_each_have_their_title_instructions_and_learner(
    feedback: Feedback, content
) -> None:
    text = results_bytes(results_document(feedback, content, []), "md").decode("utf-8")
    sheets = text.split("\n---\n")
    assert len(sheets) == len(UNITS)
    for unit, sheet in zip(UNITS, sheets, strict=True):
        assert sheet.lstrip().startswith(f"# Results Sheet: {unit} ")
        assert "Instructions for Assessment" in sheet
        assert "| Centre Number: | 123456 |" in sheet
        assert f"## Assessor's decision: unit {unit}" in sheet


def test_the_signature_rows_of_a_sheet_leave_room_to_sign(feedback: Feedback, content) -> None:
    word = WordDocument(
        io.BytesIO(results_bytes(results_document(feedback, content, ["700"]), "docx"))
    )
    decision = word.tables[-1]
    rows = {r.cells[0].text: r for r in decision.rows}
    assert _cm(rows["Signature of Assessor:"]) == _cm(rows["Signature of QA:"]) == 1.5
    assert rows["Date:"].height is None


# --- the review pack --------------------------------------------------------------------


@pytest.fixture
def portfolio(tmp_path: Path) -> Path:
    """45 OTJ entries since the (only) review, and evidence whose paths are not in date order."""
    root = tmp_path / "p"
    (root / "notes").mkdir(parents=True)
    (root / "companion.yaml").write_text(
        "learner: Alex Morgan\nprogramme_start: 2025-09-01\nplanned_gateway: 2027-03-15\n"
        "line_manager: Jo Smith\ntutor: Priya Patel\n"
    )
    for name, date in (("a.md", "2026-05-01"), ("b.md", "2026-09-30"), ("c.md", "2026-01-15")):
        (root / "notes" / name).write_text(
            f"---\ntitle: Note {name}\nref: E-{name[0]}\ndate: {date}\nlearner: Alex Morgan\n"
            "type: report\nevidence:\n- ac: 700/1.1\n  where: p1\n---\nText.\n"
        )
    entries = [
        f"- date: {dt.date(2025, 9, 8) + dt.timedelta(weeks=n)}\n  hours: {1 + n % 3}\n"
        f"  kind: training\n  activity: Workshop {n}\n"
        for n in range(45)
    ]
    (root / "otj.yaml").write_text("".join(entries))
    return root


def _pack(root: Path, content) -> Document:
    portfolio = Portfolio(root, content, use_store=False)
    portfolio.scan()
    with clock.fixed_clock(DAY):
        return review_pack(build_status(portfolio, DAY), DAY, "pack.signoff.yaml")


def _table(doc: Document, key: str) -> Table:
    return next(t for t in doc.tables if t.key == key)


def test_every_otj_entry_the_total_counts_is_listed(portfolio: Path, content) -> None:
    doc = _pack(portfolio, content)
    otj, annex = _table(doc, "otj"), _table(doc, "otj-annex")
    *entries, more, total = otj.rows
    assert len(entries) == LIST_AT_MOST == 40
    assert more.group and more.cells[0] == "and 5 more, listed in Annex A"
    assert annex.title == "Annex A: Off-the-job training since the last review (continued)"
    assert len(annex.rows) == 5
    listed = entries + annex.rows
    assert len({r.cells[3] for r in listed}) == 45  # every workshop, none twice
    assert total.cells[0] == "Total (45 entries)"
    minutes = sum((1 + n % 3) * 60 for n in range(45))
    assert total.cells[1] == hours_text(minutes)
    assert sum(float(str(r.cells[1])) for r in listed) == minutes / 60
    dates = [d for r in listed if isinstance(d := r.cells[0], dt.date)]
    assert len(dates) == 45
    assert dates == sorted(dates, reverse=True)  # newest first: the cut keeps the latest
    assert doc.tables[-1] is annex  # annexes come last, after the sign-off
    assert [t.key for t in doc.tables].index("signoff") < [t.key for t in doc.tables].index(
        "otj-annex"
    )


def test_a_short_list_has_no_annex(portfolio: Path, content) -> None:
    log = portfolio / "otj.yaml"
    log.write_text("".join(log.read_text().splitlines(keepends=True)[: 4 * 3]))  # 3 entries
    doc = _pack(portfolio, content)
    *entries, total = _table(doc, "otj").rows
    assert len(entries) == 3 and total.cells[0] == "Total (3 entries)"
    assert not [t for t in doc.tables if t.key.endswith("-annex")]


def test_the_evidence_is_listed_by_date_newest_first(portfolio: Path, content) -> None:
    since = _table(_pack(portfolio, content), "since")
    assert [r.cells[0] for r in since.rows] == ["E-b", "E-a", "E-c"]
    assert [r.cells[2] for r in since.rows] == [
        dt.date(2026, 9, 30),
        dt.date(2026, 5, 1),
        dt.date(2026, 1, 15),
    ]


def test_the_sign_off_leaves_room_to_sign_in_every_format(
    portfolio: Path, content, tmp_path: Path
) -> None:
    doc = _pack(portfolio, content)
    signoff = _table(doc, "signoff")
    assert all(isinstance(r, SignatureRow) for r in signoff.rows)
    # The names the profile knows are printed; the date and the signature are left to sign.
    assert [r.cells[1:] for r in signoff.rows] == [
        ["Alex Morgan", "", ""],
        ["Jo Smith", "", ""],
        ["Priya Patel", "", ""],
    ]
    with clock.fixed_clock(DAY):
        portfolio_ = Portfolio(portfolio, content, use_store=False)
        portfolio_.scan()
        written = write_review_pack(build_status(portfolio_, DAY), tmp_path / "pack.docx", day=DAY)
    word = WordDocument(str(written.pack))
    sign = next(t for t in word.tables if t.rows[0].cells[0].text == "Who")
    assert [_cm(r) for r in sign.rows[1:]] == [1.5] * 3
    assert sign.rows[0].height is None  # the header row is not stretched
    annex = word.tables[-1]
    assert len(annex.rows) == 1 + 5  # its header and the five older entries
    markdown = to_markdown(doc)
    assert "| Apprentice<br><br> | Alex Morgan<br><br> | <br><br> | <br><br> |" in markdown
    page = to_html(doc)
    assert page.count('<tr class="sign">') == 3
    assert "tr.sign td { height: 1.5cm; }" in page
    assert render(doc, "docx")[:2] == b"PK"
