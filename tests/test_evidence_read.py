"""Reading evidence files: formats by name and by bytes, PDFs, recordings, text, images, and
every hostile case with the code it is flagged with. PDFs and recordings are the fixtures
of tests/fixtures/evidence (see its README); hostile PDFs are built here byte by byte."""

from __future__ import annotations

import hashlib
import io
import os
import struct
import sys
import threading
import time
import wave
import zipfile
import zlib
from pathlib import Path

import pytest

from companion.evidence.formats import (
    EVIDENCE_SUFFIXES,
    format_of_suffix,
    kind_of,
    sniff,
)
from companion.evidence.limits import DEFAULT_LIMITS, Limits
from companion.evidence.model import SCHEMA, ExtractedFile, FileFacts, ReadProblem
from companion.evidence.read import file_sha256, read_evidence_file

FIXTURES = Path(__file__).parent / "fixtures" / "evidence"
PDFS = FIXTURES / "pdf"
MEDIA = FIXTURES / "media"
SENTENCE = (
    "the apprentice reviewed the office workflow with the team, agreed a budget of £250 for "
    "the café pilot and recorded the team’s “quick wins” for the senior leaders who sponsor "
    "the change programme across the organisation."
)


# --- building hostile PDFs ------------------------------------------------------------


def raw_pdf(objects: list[bytes], trailer: bytes = b"") -> bytes:
    """A PDF of these objects (1 is the catalog) with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        trailer,
        xref,
    )
    return bytes(out)


CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"
PAGE = (
    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
    b"/Resources << /Font << /F1 5 0 R >> >> >>"
)
FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
HELLO = b"BT /F1 12 Tf 72 700 Td (Hello there) Tj ET\n"


def stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def one_page(
    content: bytes = HELLO,
    extra_objects: tuple[bytes, ...] = (),
    trailer: bytes = b"",
    catalog: bytes = CATALOG,
) -> bytes:
    pages = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
    return raw_pdf([catalog, pages, PAGE, stream(content), FONT, *extra_objects], trailer)


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# --- formats --------------------------------------------------------------------------


def test_the_listed_suffixes_are_lowercase_with_a_dot_and_leave_out_rtf() -> None:
    assert all(s.startswith(".") and s == s.lower() for s in EVIDENCE_SUFFIXES)
    assert {".docx", ".pdf", ".pptx", ".xlsx", ".odt", ".odp", ".ods", ".txt"} <= EVIDENCE_SUFFIXES
    assert {".doc", ".ppt", ".xls", ".heic", ".tiff", ".aiff", ".wmv", ".opus"} <= EVIDENCE_SUFFIXES
    assert ".rtf" not in EVIDENCE_SUFFIXES
    assert ".md" not in EVIDENCE_SUFFIXES


@pytest.mark.parametrize(
    ("name", "fmt", "kind"),
    [
        ("Report.PDF", "pdf", "document"),
        ("a.docx", "docx", "document"),
        ("deck.pptx", "pptx", "presentation"),
        ("sums.ods", "ods", "spreadsheet"),
        ("old.xls", "xls", "spreadsheet"),
        ("notes.txt", "txt", "text"),
        ("note.md", "md", "text"),
        ("photo.JPEG", "image", "image"),
        ("talk.m4a", "audio", "audio"),
        ("walk.MOV", "video", "video"),
    ],
)
def test_a_name_gives_the_format_and_kind(name: str, fmt: str, kind: str) -> None:
    assert format_of_suffix(name) == fmt
    assert kind_of(fmt) == kind


def test_a_name_without_a_known_suffix_has_no_format() -> None:
    assert format_of_suffix("archive.zip") is None
    assert format_of_suffix("README") is None
    assert kind_of("zip") == "other"


def _docx_bytes() -> bytes:
    import docx

    buffer = io.BytesIO()
    docx.Document().save(buffer)
    return buffer.getvalue()


def _odf_bytes(kind: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), f"application/vnd.oasis.opendocument.{kind}")
        archive.writestr("content.xml", "<x/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("head", "found"),
    [
        (b"%PDF-1.7\n", "pdf"),
        (b"\r\n" * 100 + b"%PDF-1.4\n", "pdf"),
        (b"PK\x03\x04" + b"\0" * 40, "zip"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 8, "ole"),
        (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "png"),
        (b"\xff\xd8\xff\xe0\0\x10JFIF", "jpeg"),
        (b"GIF89a\x01\0", "gif"),
        (b"RIFF\x10\0\0\0WEBPVP8 ", "webp"),
        (b"RIFF\x10\0\0\0WAVEfmt ", "wav"),
        (b"RIFF\x10\0\0\0AVI LIST", "avi"),
        (b"FORM\0\0\0\x10AIFFCOMM", "aiff"),
        (b"ID3\x04\0\0\0\0\0\0", "mp3"),
        (b"\xff\xfb\x90\x64" + b"\0" * 8, "mp3"),
        (b"\xff\xf1\x50\x80" + b"\0" * 8, "aac"),
        (b"\0\0\0\x20ftypisom\0\0\x02\0", "mp4"),
        (b"\0\0\0\x20ftypM4A \0\0\x02\0", "mp4"),
        (b"\0\0\0\x14ftypqt  \0\0\x02\0", "mp4"),
        (b"\0\0\0\x18ftypheic\0\0\0\0", "heic"),
        (b"OggS\0\x02", "ogg"),
        (b"fLaC\0\0\0\x22", "flac"),
        (b"\x1a\x45\xdf\xa3\x01\0", "matroska"),
        (b"\x30\x26\xb2\x75\x8e\x66\xcf\x11\xa6\xd9", "asf"),
        (b"II*\0\x08\0\0\0", "tiff"),
        (b"{\\rtf1\\ansi", "rtf"),
        ("Plain words, £ and é.\n".encode(), "text"),
        (b"\xef\xbb\xbfWith a BOM", "text"),
        (b"\xff\xfeH\0i\0", "text"),
        (b"\0\x01\x02\x03binary", None),
        (b"", None),
    ],
)
def test_sniff_knows_a_format_by_its_first_bytes(head: bytes, found: str | None) -> None:
    assert sniff(head) == found


def test_sniff_names_a_zipped_document_by_its_first_entries() -> None:
    import openpyxl

    assert sniff(_docx_bytes()[:8192]) == "docx"
    buffer = io.BytesIO()
    openpyxl.Workbook().save(buffer)
    assert sniff(buffer.getvalue()[:8192]) == "xlsx"
    assert sniff(_odf_bytes("text")) == "odt"
    assert sniff(_odf_bytes("spreadsheet")) == "ods"


# --- the cache row ----------------------------------------------------------------------


def _full() -> ExtractedFile:
    return ExtractedFile(
        facts=FileFacts(
            format="pdf",
            kind="document",
            size=1234,
            pages=3,
            created="2026-03-14",
            modified="2026-03-15",
            title="Leading change",
            author="Sam Lee",
        ),
        text="<!-- page 1 -->\n\nHello\n",
        margins=("Header",),
        first_page="Hello",
        notes=("A note.",),
    )


def test_an_extraction_round_trips_through_its_compact_row() -> None:
    import json

    for item in (
        _full(),
        ExtractedFile(facts=FileFacts("audio", "audio", 10, duration=2.5)),
        ExtractedFile(
            facts=FileFacts("pdf", "document", 5),
            problem=ReadProblem("file-encrypted", "x.pdf is password-protected"),
        ),
    ):
        row = json.loads(json.dumps(item.to_json()))
        assert ExtractedFile.from_json(row) == item
    assert ExtractedFile(facts=FileFacts("image", "image", 7)).to_json() == {
        "schema": SCHEMA,
        "facts": {"format": "image", "kind": "image", "size": 7},
    }


@pytest.mark.parametrize(
    "damage",
    [
        lambda row: row.update(schema=SCHEMA + 1),
        lambda row: row.pop("schema"),
        lambda row: row.update(schema=True),
        lambda row: row.update(surprise=1),
        lambda row: row.update(text=5),
        lambda row: row.update(margins="Header"),
        lambda row: row.update(notes=[1]),
        lambda row: row.update(problem=["file-damaged"]),
        lambda row: row.update(facts=[]),
        lambda row: row["facts"].update(size=True),
        lambda row: row["facts"].update(size=-1),
        lambda row: row["facts"].update(pages="3"),
        lambda row: row["facts"].update(duration="long"),
        lambda row: row["facts"].update(format=""),
        lambda row: row["facts"].update(colour="red"),
        lambda row: row["facts"].pop("kind"),
    ],
)
def test_a_damaged_or_foreign_row_is_refused(damage: object) -> None:
    row = _full().to_json()
    damage(row)  # type: ignore[operator]
    with pytest.raises(ValueError):
        ExtractedFile.from_json(row)


def test_a_row_that_is_not_an_object_is_refused() -> None:
    with pytest.raises(ValueError):
        ExtractedFile.from_json([])  # type: ignore[arg-type]


# --- what is there, before reading ------------------------------------------------------


def test_a_missing_file_is_flagged_with_the_name_the_card_uses(tmp_path: Path) -> None:
    got = read_evidence_file(tmp_path / "evidence" / "gone.pdf", within=tmp_path)
    assert got.problem == ReadProblem(
        "file-missing",
        "gone.pdf is not there: was it moved or renamed? The card names it as evidence/gone.pdf.",
    )
    assert got.facts == FileFacts("pdf", "document", 0)


def test_a_folder_is_not_read(tmp_path: Path) -> None:
    (tmp_path / "scans.pdf").mkdir()
    got = read_evidence_file(tmp_path / "scans.pdf")
    assert got.problem == ReadProblem("file-not-regular", "scans.pdf is a folder, not a file.")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_never_opened(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.txt")
    started = time.monotonic()
    got = read_evidence_file(tmp_path / "pipe.txt")
    assert time.monotonic() - started < 5
    assert got.problem is not None and got.problem.code == "file-not-regular"
    assert file_sha256(tmp_path / "pipe.txt", 10**6) is None


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks need privileges on Windows")
def test_a_link_out_of_the_portfolio_is_refused_and_one_inside_is_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("secret\n", encoding="utf-8")
    portfolio = tmp_path / "portfolio"
    portfolio.mkdir()
    (portfolio / "link.txt").symlink_to(outside)
    got = read_evidence_file(portfolio / "link.txt", within=portfolio)
    assert got.problem == ReadProblem(
        "file-not-regular",
        "link.txt is a link to a file outside the portfolio; companion does not follow it.",
    )
    assert got.text == ""
    (portfolio / "real.txt").write_text("inside\n", encoding="utf-8")
    (portfolio / "alias.txt").symlink_to(portfolio / "real.txt")
    assert read_evidence_file(portfolio / "alias.txt", within=portfolio).text == "inside\n"
    assert read_evidence_file(portfolio / "link.txt").text == "secret\n"  # no within: followed
    (portfolio / "dangling.txt").symlink_to(portfolio / "nowhere.txt")
    got = read_evidence_file(portfolio / "dangling.txt", within=portfolio)
    assert got.problem == ReadProblem(
        "file-missing", "dangling.txt is a link to a file that is not there."
    )


def test_an_unreadable_file_is_flagged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, "locked.pdf", one_page())

    def refuse(*_args: object, **_kwargs: object) -> int:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "open", refuse)
    got = read_evidence_file(path)
    assert got.problem == ReadProblem(
        "file-unreadable", "locked.pdf cannot be opened: companion is not allowed to read it."
    )
    assert got.facts == FileFacts("pdf", "document", path.stat().st_size)


def test_a_document_over_the_size_limit_is_not_opened(tmp_path: Path) -> None:
    path = write(tmp_path, "big.pdf", one_page())
    got = read_evidence_file(path, Limits(max_document_bytes=100))
    assert got.problem is not None and got.problem.code == "file-too-large"
    assert got.problem.message.startswith("big.pdf is 0 MB, more than the 0 MB")
    assert got.facts.size == path.stat().st_size


def test_a_recording_is_read_at_any_size(tmp_path: Path) -> None:
    path = tmp_path / "talk.wav"
    _wav(path, 1.0)
    got = read_evidence_file(path, Limits(max_document_bytes=100))
    assert got.problem is None
    assert got.facts.duration == 1.0


def test_a_word_document_named_pdf_is_flagged_as_misnamed(tmp_path: Path) -> None:
    got = read_evidence_file(write(tmp_path, "report.pdf", _docx_bytes()))
    assert got.problem == ReadProblem(
        "file-wrong-format", "report.pdf is not a PDF: its contents are a Word document (zip)."
    )
    assert (got.facts.format, got.facts.kind) == ("docx", "document")


def test_text_named_pdf_is_flagged_as_plain_text(tmp_path: Path) -> None:
    got = read_evidence_file(write(tmp_path, "essay.pdf", b"Just words.\n"))
    assert got.problem == ReadProblem(
        "file-wrong-format", "essay.pdf is not a PDF: its contents are plain text."
    )
    assert got.facts == FileFacts("txt", "text", 12)


def test_a_pdf_named_docx_is_flagged(tmp_path: Path) -> None:
    got = read_evidence_file(write(tmp_path, "plan.docx", one_page()))
    assert got.problem == ReadProblem(
        "file-wrong-format", "plan.docx is not a Word document: its contents are a PDF."
    )


@pytest.mark.parametrize(
    ("name", "saved_as", "called"),
    [
        ("old.doc", ".docx", "a Word 97-2003 document"),
        ("old.ppt", ".pptx", "a PowerPoint 97-2003 presentation"),
        ("old.xls", ".xlsx", "an Excel 97-2003 workbook"),
    ],
)
def test_legacy_office_files_are_listed_but_not_read(
    tmp_path: Path, name: str, saved_as: str, called: str
) -> None:
    path = write(tmp_path, name, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    got = read_evidence_file(path)
    assert got.problem == ReadProblem(
        "file-unsupported",
        f"{name} is {called}, which companion does not read: save it as {saved_as} "
        "(File > Save As) to include its text.",
    )
    assert got.facts.size == 512


def test_an_unknown_suffix_is_unsupported(tmp_path: Path) -> None:
    got = read_evidence_file(write(tmp_path, "bundle.zip", b"PK\x05\x06" + b"\0" * 18))
    assert got.problem == ReadProblem("file-unsupported", "companion does not read .zip files.")
    assert got.facts == FileFacts("zip", "other", 22)


def test_an_empty_document_is_damaged(tmp_path: Path) -> None:
    got = read_evidence_file(write(tmp_path, "blank.docx", b""))
    assert got.problem == ReadProblem("file-damaged", "blank.docx is empty (0 bytes).")


# --- any failure of a reader becomes a problem ----------------------------------------


@pytest.mark.parametrize(
    ("raised", "message"),
    [
        (
            RuntimeError("boom\nsecond line"),
            "x.pdf is damaged: it could not be read (boom second line).",
        ),
        (MemoryError(), "x.pdf could not be read: it needs more memory than it should."),
        (RecursionError(), "x.pdf could not be read: it is nested too deeply."),
    ],
)
def test_whatever_a_reader_raises_is_returned_as_damage(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, raised: BaseException, message: str
) -> None:
    from companion.evidence import pdf_reader

    def explode(*_args: object) -> ExtractedFile:
        raise raised

    monkeypatch.setattr(pdf_reader, "read_pdf", explode)
    got = read_evidence_file(write(tmp_path, "x.pdf", one_page()))
    assert got.problem == ReadProblem("file-damaged", message)
    assert got.facts.format == "pdf" and got.facts.size > 0


# --- PDFs -------------------------------------------------------------------------------


def test_a_pdf_is_read_page_by_page_with_its_facts() -> None:
    got = read_evidence_file(PDFS / "report.pdf")
    assert got.problem is None
    assert got.facts == FileFacts(
        format="pdf",
        kind="document",
        size=(PDFS / "report.pdf").stat().st_size,
        pages=3,
        created="2000-01-01",
        modified="2000-01-01",
        title="Leading change",
        author="Sam Lee",
    )
    assert got.text.startswith(
        "<!-- page 1 -->\n\nLeading change\n\nParagraph 1: The risk register was updated after "
        f"the governance meeting. {SENTENCE} (1)\n\nParagraph 2: Staff confidence rose in the "
        "second survey. Mentoring sessions ran every fortnight until the spring. "
        f"{SENTENCE} (2)\n\nParagraph 3: {SENTENCE} (3)\n\n"
    )
    assert [line for line in got.text.splitlines() if line.startswith("<!--")] == [
        "<!-- page 1 -->",
        "<!-- page 2 -->",
        "<!-- page 3 -->",
    ]
    for n in range(1, 31):
        assert got.text.count(f"Paragraph {n}:") == 1
    assert got.first_page.startswith("Leading change\n\nParagraph 1: ")
    assert "<!--" not in got.first_page
    assert got.first_page in got.text
    assert got.margins == ("Evidence portfolio - Sam Lee", "Page 1")
    assert "Evidence portfolio" not in got.text and "Page 2" not in got.text
    assert got.notes == ()


def test_ligatures_become_letters_and_hyphens_join_only_before_lowercase() -> None:
    got = read_evidence_file(PDFS / "ligatures.pdf")
    assert got.text == (
        "<!-- page 1 -->\n\nThe final office workflow was efficient.\n\n"
        "The review showed that manage-ment of the rota needed a well- Known owner and a "
        "clear plan.\n"
    )
    assert got.facts.title == "" and got.facts.author == ""  # reportlab's placeholders


def test_two_columns_are_read_column_by_column_and_word_headers_are_margins() -> None:
    got = read_evidence_file(PDFS / "columns.pdf")
    assert got.problem is None
    assert got.facts.pages == 4
    assert f"{SENTENCE} (3) ALPHAEND\n\nBETASTART Paragraph 4: " in got.text
    assert got.margins == ("Reflective account", "Confidential draft")
    assert "Reflective account" not in got.text


def test_pages_past_the_limit_are_counted_but_not_read() -> None:
    got = read_evidence_file(PDFS / "report.pdf", Limits(max_pages=2))
    assert got.facts.pages == 3
    assert "<!-- page 2 -->" in got.text and "<!-- page 3 -->" not in got.text
    assert got.notes == ("Text read from the first 2 of 3 pages.",)


def test_text_past_the_limit_is_cut_and_said() -> None:
    got = read_evidence_file(PDFS / "report.pdf", Limits(max_text_chars=1000))
    assert len(got.text) <= 1000
    assert got.notes == ("Text cut at 1,000 characters.",)


def test_a_pdf_cut_at_half_is_damaged(tmp_path: Path) -> None:
    whole = (PDFS / "report.pdf").read_bytes()
    got = read_evidence_file(write(tmp_path, "cut.pdf", whole[: len(whole) // 2]))
    assert got.problem == ReadProblem(
        "file-damaged", "cut.pdf is damaged: it ends before the end of a PDF (was it cut short?)"
    )
    assert got.text == ""


def test_a_pdf_whose_cross_references_are_garbage_is_damaged(tmp_path: Path) -> None:
    got = read_evidence_file(
        write(tmp_path, "junk.pdf", b"%PDF-1.7\n" + b"\x00garbage" * 50 + b"\n%%EOF\n")
    )
    assert got.problem is not None and got.problem.code == "file-damaged"


def _encrypted(user_password: str) -> bytes:
    import pypdf

    writer = pypdf.PdfWriter(clone_from=PDFS / "report.pdf")
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="AES-256")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_a_pdf_locked_only_against_changes_is_read(tmp_path: Path) -> None:
    got = read_evidence_file(write(tmp_path, "cert.pdf", _encrypted("")))
    assert got.problem is None
    assert got.facts.pages == 3
    assert "Paragraph 30:" in got.text


def test_a_password_protected_pdf_is_flagged(tmp_path: Path) -> None:
    got = read_evidence_file(write(tmp_path, "secret.pdf", _encrypted("letmein")))
    assert got.problem == ReadProblem(
        "file-encrypted",
        "secret.pdf is password-protected; save a copy without the password to include it.",
    )
    assert got.facts.format == "pdf" and got.text == ""


def test_a_page_tree_that_loops_is_damaged_not_a_hang(tmp_path: Path) -> None:
    data = raw_pdf(
        [CATALOG, b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>", PAGE, stream(HELLO), FONT]
    )
    started = time.monotonic()
    got = read_evidence_file(write(tmp_path, "loop.pdf", data))
    assert time.monotonic() - started < 5
    assert got.problem is not None and got.problem.code == "file-damaged"


def test_a_billion_page_count_is_the_real_page_count(tmp_path: Path) -> None:
    data = raw_pdf(
        [CATALOG, b"<< /Type /Pages /Kids [3 0 R] /Count 1000000000 >>", PAGE, stream(HELLO), FONT]
    )
    got = read_evidence_file(write(tmp_path, "count.pdf", data))
    assert got.problem is None
    assert got.facts.pages == 1
    assert got.text == "<!-- page 1 -->\n\nHello there\n"


def test_a_decompression_bomb_is_stopped_within_bounds(tmp_path: Path) -> None:
    packer = zlib.compressobj(9)
    zeros = b"\0" * (1 << 24)
    bomb = packer.compress(HELLO) + b"".join(packer.compress(zeros) for _ in range(64))
    bomb += packer.flush()  # 1 GiB of zeros in about 1 MB
    pages = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
    data = raw_pdf([CATALOG, pages, PAGE, stream(bomb, b"/Filter /FlateDecode "), FONT])
    started = time.monotonic()
    got = read_evidence_file(write(tmp_path, "bomb.pdf", data))
    assert time.monotonic() - started < 10
    assert got.problem == ReadProblem(
        "file-bomb", "bomb.pdf has a page that expands past what companion reads; it was not read."
    )


def test_dates_come_from_the_info_dictionary(tmp_path: Path) -> None:
    info = b"<< /CreationDate (D:20260314103000+00'00') /ModDate (D:202604) /Title (Gateway plan) /Author (Sam Lee) >>"
    got = read_evidence_file(
        write(tmp_path, "dated.pdf", one_page(extra_objects=(info,), trailer=b"/Info 6 0 R "))
    )
    assert got.problem is None
    assert (got.facts.created, got.facts.modified) == ("2026-03-14", "2026-04-01")
    assert (got.facts.title, got.facts.author) == ("Gateway plan", "Sam Lee")


def test_a_nonsense_date_is_left_out(tmp_path: Path) -> None:
    info = b"<< /CreationDate (D:20261399) /ModDate (yesterday) >>"
    got = read_evidence_file(
        write(tmp_path, "odd.pdf", one_page(extra_objects=(info,), trailer=b"/Info 6 0 R "))
    )
    assert (got.facts.created, got.facts.modified) == ("", "")


def test_dates_and_title_fall_back_to_xmp(tmp_path: Path) -> None:
    xmp = (
        b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        b'<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/" '
        b'xmlns:dc="http://purl.org/dc/elements/1.1/">'
        b"<xmp:CreateDate>2025-11-02T09:30:00Z</xmp:CreateDate>"
        b"<xmp:ModifyDate>2025-11-05T10:00:00Z</xmp:ModifyDate>"
        b'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">Coaching log</rdf:li></rdf:Alt></dc:title>'
        b"<dc:creator><rdf:Seq><rdf:li>Ana Roe</rdf:li></rdf:Seq></dc:creator>"
        b'</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
    )
    catalog = b"<< /Type /Catalog /Pages 2 0 R /Metadata 6 0 R >>"
    metadata = stream(xmp, b"/Type /Metadata /Subtype /XML ")
    got = read_evidence_file(
        write(tmp_path, "xmp.pdf", one_page(extra_objects=(metadata,), catalog=catalog))
    )
    assert got.problem is None
    assert got.facts.created == "2025-11-02" and got.facts.modified == "2025-11-05"
    assert got.facts.title == "Coaching log" and got.facts.author == "Ana Roe"


# --- recordings --------------------------------------------------------------------------


def _wav(path: Path, seconds: float, rate: int = 8000) -> None:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(b"\0\0" * int(seconds * rate))


def test_a_wav_recording_has_its_exact_length(tmp_path: Path) -> None:
    path = tmp_path / "briefing.wav"
    _wav(path, 2.5)
    got = read_evidence_file(path)
    assert got.problem is None
    assert got.facts == FileFacts("audio", "audio", path.stat().st_size, duration=2.5)
    assert got.text == "" and got.notes == ()


@pytest.mark.parametrize(
    ("name", "fmt", "seconds", "title", "author", "created"),
    [
        ("tone-3s.m4a", "audio", 3.0, "Team briefing", "Sam Lee", "2026-03-14"),
        ("tone-3s.mp3", "audio", 3.03, "Team briefing", "Sam Lee", "2026"),
        ("tone-4s.ogg", "audio", 4.0, "Reflection", "Sam Lee", ""),
        ("clip-2s.mp4", "video", 2.0, "Site walk", "", ""),
    ],
)
def test_real_recordings_have_their_length_and_tags(
    name: str, fmt: str, seconds: float, title: str, author: str, created: str
) -> None:
    got = read_evidence_file(MEDIA / name)
    assert got.problem is None
    assert (got.facts.format, got.facts.kind) == (fmt, fmt)
    assert got.facts.duration == pytest.approx(seconds, abs=0.05)
    assert (got.facts.title, got.facts.author, got.facts.created) == (title, author, created)


def test_a_container_tinytag_cannot_parse_is_listed_with_a_note() -> None:
    got = read_evidence_file(MEDIA / "clip-2s.mkv")
    assert got.problem is None
    assert got.facts == FileFacts("video", "video", (MEDIA / "clip-2s.mkv").stat().st_size)
    assert got.notes == (
        "companion cannot read the length of .mkv recordings; the file is listed as it is.",
    )


def test_an_empty_recording_is_damaged(tmp_path: Path) -> None:
    got = read_evidence_file(write(tmp_path, "blank.m4a", b""))
    assert got.problem == ReadProblem("file-damaged", "blank.m4a is empty (0 bytes).")


def test_a_two_gigabyte_wav_costs_only_its_header(tmp_path: Path) -> None:
    path = tmp_path / "long.wav"
    _wav(path, 1.0)
    with path.open("r+b") as handle:
        handle.truncate(2 * 1024**3)  # sparse: no disk is used
    started = time.monotonic()
    got = read_evidence_file(path)
    assert time.monotonic() - started < 2
    assert got.problem is None
    assert got.facts.size == 2 * 1024**3
    assert got.facts.duration == 1.0  # the header's data chunk, not the padding


def test_a_two_gigabyte_mp4_costs_only_its_header(tmp_path: Path) -> None:
    path = tmp_path / "walk.mp4"
    path.write_bytes((MEDIA / "clip-2s.mp4").read_bytes())
    with path.open("r+b") as handle:
        handle.truncate(2 * 1024**3)
    started = time.monotonic()
    got = read_evidence_file(path)
    assert time.monotonic() - started < 2
    assert got.problem is None
    assert got.facts.duration == pytest.approx(2.0, abs=0.05) or got.notes


def test_garbage_named_mp3_is_listed_not_a_crash(tmp_path: Path) -> None:
    got = read_evidence_file(write(tmp_path, "voice.mp3", b"\xff\xfb\x90\x64" + b"\x07" * 3000))
    assert got.problem is None
    assert got.facts.format == "audio" and got.facts.size == 3004


# --- text and images ---------------------------------------------------------------------


def test_a_text_file_keeps_its_lines(tmp_path: Path) -> None:
    path = write(tmp_path, "log.txt", "Monday: £40 café\r\n\r\nTuesday: “done”\n".encode())
    got = read_evidence_file(path)
    assert got.problem is None
    assert got.text == "Monday: £40 café\n\nTuesday: “done”\n"
    assert got.facts == FileFacts("txt", "text", path.stat().st_size)


def test_a_text_file_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    assert read_evidence_file(write(tmp_path, "a.txt", b"\xef\xbb\xbfHello\n")).text == "Hello\n"
    utf16 = "Hé\n".encode("utf-16")
    assert read_evidence_file(write(tmp_path, "b.txt", utf16)).text == "Hé\n"


def test_a_text_file_in_another_encoding_is_refused(tmp_path: Path) -> None:
    got = read_evidence_file(write(tmp_path, "old.txt", "Price £40, café\n".encode("cp1252")))
    assert got.problem == ReadProblem(
        "file-unreadable",
        "old.txt is not UTF-8 text: save it as UTF-8 (Save As, Encoding: UTF-8) to include it.",
    )


def test_an_empty_text_file_is_empty_text(tmp_path: Path) -> None:
    got = read_evidence_file(write(tmp_path, "empty.txt", b""))
    assert got.problem is None and got.text == ""


def test_an_image_gives_its_facts_only(tmp_path: Path) -> None:
    png = b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + b"\0" * 17
    got = read_evidence_file(write(tmp_path, "board.png", png))
    assert got == ExtractedFile(facts=FileFacts("image", "image", len(png)))


def test_a_png_named_jpg_is_still_an_image(tmp_path: Path) -> None:
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 30
    assert read_evidence_file(write(tmp_path, "board.jpg", png)).problem is None


def test_a_pdf_named_png_is_misnamed(tmp_path: Path) -> None:
    got = read_evidence_file(write(tmp_path, "board.png", one_page()))
    assert got.problem == ReadProblem(
        "file-wrong-format", "board.png is not an image: its contents are a PDF."
    )


# --- a file that changes while it is read, and the digest -------------------------------


def test_a_file_growing_while_it_is_read_never_raises(tmp_path: Path) -> None:
    path = write(tmp_path, "live.txt", b"start\n")
    stop = threading.Event()

    def append() -> None:
        with path.open("ab") as handle:
            while not stop.is_set():
                handle.write(b"more words\n" * 100)
                handle.flush()

    writer = threading.Thread(target=append)
    writer.start()
    try:
        results = [
            read_evidence_file(path, Limits(max_document_bytes=50_000_000)) for _ in range(20)
        ]
    finally:
        stop.set()
        writer.join()
    for got in results:
        assert isinstance(got, ExtractedFile)
        assert got.problem is None or got.problem.code == "file-too-large"
        assert got.text.startswith("start\n") or got.problem is not None


def test_a_pdf_replaced_while_it_is_read_never_raises(tmp_path: Path) -> None:
    path = write(tmp_path, "swap.pdf", (PDFS / "report.pdf").read_bytes())
    stop = threading.Event()
    whole = (PDFS / "report.pdf").read_bytes()

    def churn() -> None:
        cut = False
        while not stop.is_set():
            path.write_bytes(whole[: len(whole) // 3] if cut else whole)
            cut = not cut

    writer = threading.Thread(target=churn)
    writer.start()
    try:
        results = [read_evidence_file(path) for _ in range(20)]
    finally:
        stop.set()
        writer.join()
    assert all(isinstance(got, ExtractedFile) for got in results)


def test_the_digest_streams_and_stops_past_its_limit(tmp_path: Path) -> None:
    data = os.urandom(3 * 1024 * 1024 + 5)
    path = write(tmp_path, "clip.wav", data)
    assert file_sha256(path, len(data)) == hashlib.sha256(data).hexdigest()
    assert file_sha256(path, len(data) - 1) is None
    assert file_sha256(tmp_path / "gone.wav", 10) is None
    assert file_sha256(tmp_path, 10) is None


def test_the_default_limits_are_the_ones_documented() -> None:
    assert DEFAULT_LIMITS.max_pages == 2_000
    assert DEFAULT_LIMITS.max_document_bytes == 200 * 1024 * 1024
