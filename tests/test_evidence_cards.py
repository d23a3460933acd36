"""Evidence files as apprentices keep them: cards, and everything a note gets, from the file.

Each test builds a small portfolio of real files (Word, PDF, PowerPoint, WAV) made by the
libraries an apprentice's own tools write with, and drives it through the `companion`
command as a learner would.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import zipfile
from pathlib import Path

import pytest
from cli_support import RunCli

from bench.evidence_files import make_docx, make_pdf, make_pptx, make_wav
from companion.evidence import cache as evidence_cache
from companion.portfolio.portfolio import Portfolio

PROFILE = """learner: Alex Morgan
programme_start: 2025-09-01
planned_gateway: 2027-03-15
units:
  "700": portfolio
  "701": assignment
  "702": portfolio
  "703": portfolio
  "704": portfolio
  "705": portfolio
  "706": portfolio
"""
HEADER = "Alex Morgan · E001 · 12 May 2026"
MINUTES = [
    "Present: Alex Morgan (chair), Priya Shah, Tom Okafor. Apologies: none.",
    "Item 1. The board reviewed the repairs backlog and agreed the recovery plan.",
    "Item 2. Alex presented the GROW coaching programme (Whitmore, 2017) to the managers.",
    "Action points: Priya to report the backlog figures monthly.",
]


def _card(
    folder: Path, file: str, *, ref: str = "E001", extra: str = "", kind: str = "minutes"
) -> Path:
    card = folder / f"{file}.md"
    card.write_text(
        "---\n"
        f"title: {file}\nref: {ref}\ndate: 2026-05-12\nlearner: Alex Morgan\ntype: {kind}\n"
        f"file: {file}\n{extra}---\n",
        encoding="utf-8",
    )
    return card


@pytest.fixture
def portfolio(tmp_path: Path) -> Path:
    root = tmp_path / "pf"
    (root / "evidence").mkdir(parents=True)
    (root / "companion.yaml").write_text(PROFILE, encoding="utf-8")
    return root


def _minutes(root: Path, *, header: str = HEADER, name: str = "minutes-may.docx") -> Path:
    return make_docx(
        root / "evidence" / name,
        title="Repairs improvement board minutes",
        paragraphs=MINUTES,
        header_text=header,
        created=dt.date(2026, 5, 12),
        references=False,
    )


def _report(root: Path) -> Path:
    """A three-page PDF report whose running footer shows name, reference and date."""
    return make_pdf(
        root / "evidence" / "report.pdf",
        title="Operations report",
        pages=3,
        footer_lines=["Alex Morgan — E001 — 12/05/2026"],
    )


# --- listing and adding ------------------------------------------------------------------


def test_files_lists_every_evidence_file_and_add_writes_cards(
    portfolio: Path, run_cli: RunCli
) -> None:
    _minutes(portfolio)
    make_pptx(portfolio / "evidence" / "away-day.pptx", title="Away day", count=4)
    make_wav(portfolio / "evidence" / "briefing.wav", 3.0)
    code, out, _ = run_cli("files", str(portfolio), "--json")
    assert code == 0
    files = {f["path"]: f for f in json.loads(out)["files"]}
    assert set(files) == {
        "evidence/away-day.pptx",
        "evidence/briefing.wav",
        "evidence/minutes-may.docx",
    }
    assert files["evidence/away-day.pptx"]["slides"] == 4
    assert files["evidence/briefing.wav"]["duration"] == pytest.approx(3.0, abs=0.05)
    assert all(f["card"] is None for f in files.values())
    code, out, _ = run_cli("files", str(portfolio))
    assert "3 files, 3 not yet in your portfolio" in out

    code, out, _ = run_cli("add", str(portfolio), "--all")
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 3
    card = portfolio / "evidence" / "minutes-may.docx.md"
    text = card.read_text(encoding="utf-8")
    assert "file: minutes-may.docx\n" in text
    assert "type: minutes\n" in text  # proposed from the text: "Apologies", "Action points"
    assert "date: 2026-05-12\n" in text  # from the document's core properties
    assert "learner: Alex Morgan\n" in text
    deck = (portfolio / "evidence" / "away-day.pptx.md").read_text(encoding="utf-8")
    assert "type: presentation\n" in deck
    wav = (portfolio / "evidence" / "briefing.wav.md").read_text(encoding="utf-8")
    assert "type: recording\n" in wav
    refs = sorted(line.split()[1] for line in lines)
    assert refs == ["E001", "E002", "E003"]

    code, out, _ = run_cli("files", str(portfolio), "--json")
    files = {f["path"]: f for f in json.loads(out)["files"]}
    assert files["evidence/minutes-may.docx"]["card"] == "evidence/minutes-may.docx.md"
    code, _, err = run_cli("add", str(portfolio), str(portfolio / "evidence/briefing.wav"))
    assert code == 2
    assert "already has a card" in err


def test_add_takes_what_the_learner_gives(portfolio: Path, run_cli: RunCli) -> None:
    _minutes(portfolio)
    code, out, _ = run_cli(
        "add",
        str(portfolio),
        str(portfolio / "evidence" / "minutes-may.docx"),
        "--type",
        "report",
        "--ref",
        "E042",
        "--date",
        "2026-05-13",
        "--title",
        "Board: May",
    )
    assert code == 0, out
    text = (portfolio / "evidence" / "minutes-may.docx.md").read_text(encoding="utf-8")
    assert "title: 'Board: May'\n" in text
    assert "ref: E042\n" in text and "type: report\n" in text and "date: 2026-05-13\n" in text
    code, _, err = run_cli("add", str(portfolio), "nothing.docx")
    assert code == 2 and "does not exist" in err
    code, _, err = run_cli(
        "add", str(portfolio), str(portfolio / "evidence" / "minutes-may.docx.md")
    )
    assert code == 2 and "is a note" in err


# --- a card reads its file --------------------------------------------------------------


def test_a_card_is_counted_cited_and_searched_from_its_file(
    portfolio: Path, run_cli: RunCli
) -> None:
    _minutes(portfolio)
    card = _card(portfolio / "evidence", "minutes-may.docx")
    code, out, _ = run_cli("notes", str(portfolio), "--json")
    (row,) = json.loads(out)["notes"]
    assert row["file"]["format"] == "docx"
    words = row["words"]
    assert words > 40  # the document's words, not the card's empty body
    code, out, _ = run_cli("words", str(card), "--json")
    assert code == 0
    assert json.loads(out)["counted"] == words
    code, out, _ = run_cli("words", str(portfolio / "evidence" / "minutes-may.docx"), "--json")
    assert code == 0 and json.loads(out)["counted"] == words
    code, out, _ = run_cli("cite", str(portfolio), str(card), "--json")
    listed = json.loads(out)["notes"][0]
    assert [c["text"] for c in listed["citations"]] == ["(Whitmore, 2017)"]
    code, out, _ = run_cli("search", str(portfolio), "backlog", "--json")
    assert code == 0
    (hit,) = json.loads(out)["notes"]
    assert hit["note"] == "evidence/minutes-may.docx.md"
    assert any("para" in line["text"] and "backlog" in line["text"] for line in hit["lines"])


def test_an_unchanged_rescan_reads_no_file_and_a_changed_file_is_read_again(
    portfolio: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _minutes(portfolio)
    _card(portfolio / "evidence", "minutes-may.docx")
    first = Portfolio(portfolio)
    first.scan()
    words = first.records["evidence/minutes-may.docx.md"].words
    first.close()

    calls: list[Path] = []
    real = evidence_cache.ExtractionCache.read

    def counting(self: evidence_cache.ExtractionCache, file: Path, within: Path) -> object:
        calls.append(file)
        return real(self, file, within)

    monkeypatch.setattr(evidence_cache.ExtractionCache, "read", counting)
    again = Portfolio(portfolio)
    again.scan()
    assert calls == []  # the card and its file are unchanged: nothing read
    assert again.records["evidence/minutes-may.docx.md"].words == words
    again.close()

    make_docx(
        path,
        title="Repairs improvement board minutes",
        paragraphs=[*MINUTES, "Item 3. Any other business: the board thanked the repairs team."],
        header_text=HEADER,
        created=dt.date(2026, 5, 12),
        references=False,
    )
    os.utime(path, ns=(1, 1_800_000_000_000_000_000))
    changed = Portfolio(portfolio)
    changed.scan()
    assert len(calls) == 1  # the card is unchanged but its file is not
    assert changed.records["evidence/minutes-may.docx.md"].words > words
    changed.close()


# --- checks from the file itself ---------------------------------------------------------


def _flags(run_cli: RunCli, root: Path) -> list[dict[str, str]]:
    _code, out, _ = run_cli("check", str(root), "--json")
    return json.loads(out)["flags"]


def _codes(run_cli: RunCli, root: Path) -> dict[str, str]:
    return {f["code"]: f["message"] for f in _flags(run_cli, root)}


def test_where_must_point_at_a_place_the_file_has(portfolio: Path, run_cli: RunCli) -> None:
    _minutes(portfolio)
    make_pptx(portfolio / "evidence" / "deck.pptx", title="Deck", count=3, footer_text=HEADER)
    make_wav(portfolio / "evidence" / "talk.wav", 65.0, sample_rate=1000)
    tag = "evidence:\n  - ac: 700/1.1\n    where: {}\n"
    _card(portfolio / "evidence", "minutes-may.docx", extra=tag.format("p9"))
    _card(
        portfolio / "evidence",
        "deck.pptx",
        ref="E002",
        extra=tag.format("slide 7"),
        kind="presentation",
    )
    _card(
        portfolio / "evidence",
        "talk.wav",
        ref="E003",
        kind="recording",
        extra="recording:\n  introduction: true\n" + tag.format("'02:30'"),
    )
    messages = [
        f["message"] for f in _flags(run_cli, portfolio) if f["code"] == "where-beyond-file"
    ]
    assert sorted(messages) == [
        "The tag for 700/1.1 points at 02:30, but the recording lasts 1:05.",
        "The tag for 700/1.1 points at p9, but the document has 1 page.",
        "The tag for 700/1.1 points at slide 7, but the presentation has 3 slides.",
    ]


def test_a_where_naming_an_item_the_file_lacks_is_a_warning(
    portfolio: Path, run_cli: RunCli
) -> None:
    _minutes(portfolio)
    _card(
        portfolio / "evidence",
        "minutes-may.docx",
        extra="evidence:\n  - ac: 700/1.1\n    where: \"'quarterly appraisal'\"\n"
        "  - ac: 700/1.2\n    where: \"'recovery plan'\"\n",
    )
    flags = [f for f in _flags(run_cli, portfolio) if f["code"] == "where-not-found"]
    assert [(f["ac"], f["severity"]) for f in flags] == [("700/1.1", "warning")]


def test_the_file_must_show_name_date_and_reference(portfolio: Path, run_cli: RunCli) -> None:
    _minutes(portfolio, header="Repairs board")
    _card(portfolio / "evidence", "minutes-may.docx")
    codes = _codes(run_cli, portfolio)
    assert codes["file-not-prepared"] == (
        "minutes-may.docx does not show the date produced (2026-05-12) or its evidence "
        "reference (E001) in its header, footer or first page."
    )  # the name is on its first page ("Present: Alex Morgan")
    _minutes(portfolio, header="Alex Morgan | Ref E001 | 12th May 2026")
    assert "file-not-prepared" not in _codes(run_cli, portfolio)


def test_a_pdf_footer_on_every_page_prepares_it(portfolio: Path, run_cli: RunCli) -> None:
    make_pdf(
        portfolio / "evidence" / "report.pdf",
        title="Operations report",
        pages=3,
        footer_lines=["Alex Morgan — E001 — 12/05/2026"],
        created=dt.date(2026, 5, 12),
    )
    _card(
        portfolio / "evidence",
        "report.pdf",
        kind="report",
        extra="evidence:\n  - ac: 700/1.1\n    where: p3\n",
    )
    codes = _codes(run_cli, portfolio)
    assert "file-not-prepared" not in codes
    assert "where-beyond-file" not in codes
    _code, out, _ = run_cli("notes", str(portfolio), "--json")
    assert json.loads(out)["notes"][0]["file"]["pages"] == 3


def test_a_recording_is_timed_from_the_file(portfolio: Path, run_cli: RunCli) -> None:
    make_wav(portfolio / "evidence" / "extract.wav", 6 * 60 + 10, sample_rate=200)
    _card(
        portfolio / "evidence",
        "extract.wav",
        kind="recording",
        extra='recording:\n  duration: "4:00"\n  introduction: true\n',
    )
    codes = _codes(run_cli, portfolio)
    assert codes["recording-too-long"] == (
        "The recording lasts 6:10 (read from the file); extracts are at most 5 minutes."
    )


def test_a_unit_assignment_discussion_has_its_units_minutes(
    portfolio: Path, run_cli: RunCli
) -> None:
    """Unit 701 is assessed by assignment here: its professional discussion lasts up to 20
    minutes (Appendix C), so 19:30 is fine and 21:00 is not."""
    make_wav(portfolio / "evidence" / "discussion.wav", 19 * 60 + 30, sample_rate=100)
    _card(
        portfolio / "evidence",
        "discussion.wav",
        kind="recording",
        extra='unit: "701"\nrecording:\n  introduction: true\n',
    )
    assert "recording-too-long" not in _codes(run_cli, portfolio)
    make_wav(portfolio / "evidence" / "discussion.wav", 21 * 60, sample_rate=100)
    assert _codes(run_cli, portfolio)["recording-too-long"] == (
        "The recording lasts 21:00; the unit 701 professional discussion is limited to 20 minutes."
    )


@pytest.mark.parametrize(
    ("make", "code"),
    [
        (lambda p: None, "file-missing"),
        (lambda p: p.write_bytes(b"%PDF-1.7 but really nothing"), "file-wrong-format"),
        (lambda p: p.write_bytes(b"PK\x03\x04" + b"\x00" * 40), "file-damaged"),
    ],
)
def test_a_card_whose_file_cannot_be_read_is_an_error_and_the_bundle_refuses_it(
    portfolio: Path, run_cli: RunCli, make: object, code: str, tmp_path: Path
) -> None:
    make(portfolio / "evidence" / "minutes.docx")  # type: ignore[operator]
    _card(
        portfolio / "evidence", "minutes.docx", extra="evidence:\n  - ac: 700/1.1\n    where: p1\n"
    )
    flags = {f["code"]: f for f in _flags(run_cli, portfolio)}
    assert flags[code]["severity"] == "error"
    assert "minutes.docx" in flags[code]["message"]
    out = tmp_path / "bundle.zip"
    status, _, err = run_cli("export", "bundle", str(portfolio), "--out", str(out))
    assert status != 0 and not out.exists()
    status, _, err = run_cli("export", "bundle", str(portfolio), "--out", str(out), "--draft")
    assert status == 0, err
    with zipfile.ZipFile(out) as archive:
        readme = archive.read("README.txt").decode("utf-8")
    assert "  - minutes.docx (the file of evidence/minutes.docx.md): minutes.docx " in readme


def test_the_bundle_carries_each_cards_file_byte_for_byte(
    portfolio: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    path = _minutes(portfolio)
    _card(
        portfolio / "evidence",
        "minutes-may.docx",
        extra="evidence:\n  - ac: 700/1.1\n    where: p1\n",
    )
    out = tmp_path / "bundle.zip"
    status, _, err = run_cli("export", "bundle", str(portfolio), "--out", str(out), "--draft")
    assert status == 0, err
    with zipfile.ZipFile(out) as archive:
        assert archive.read("evidence/E001 minutes-may.docx.docx") == path.read_bytes()


def test_a_link_leading_out_of_the_portfolio_is_never_read(
    portfolio: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    (tmp_path / "evidence").mkdir()
    secret = _minutes(tmp_path, name="secret.docx")
    (portfolio / "evidence" / "minutes.docx").symlink_to(secret)
    _card(portfolio / "evidence", "minutes.docx")
    flags = {f["code"]: f for f in _flags(run_cli, portfolio)}
    assert flags["file-not-regular"]["severity"] == "error"
    _code, out, _ = run_cli("search", str(portfolio), "backlog", "--json")
    assert json.loads(out)["notes"] == []
    outside = _card(portfolio / "evidence", "minutes.docx", ref="E002")
    outside.rename(portfolio / "evidence" / "outside.md")
    text = outside.with_name("outside.md").read_text(encoding="utf-8")
    outside.with_name("outside.md").write_text(
        text.replace("file: minutes.docx", "file: ../../evidence/secret.docx"), encoding="utf-8"
    )
    _card(portfolio / "evidence", "minutes.docx")
    refused = [f for f in _flags(run_cli, portfolio) if f["code"] == "file-not-regular"]
    assert len(refused) == 2


def test_the_tutors_export_carries_the_files_text_by_place(
    portfolio: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    from companion.review.progress_file import read_progress_export
    from companion.views.review import evidence_texts

    _report(portfolio)
    _card(
        portfolio / "evidence",
        "report.pdf",
        kind="report",
        extra="evidence:\n  - ac: 700/1.1\n    where: p2\n",
    )
    out = tmp_path / "alex.json"
    code, _, err = run_cli("export", "progress", str(portfolio), "--out", str(out), "--with-notes")
    assert code == 0, err
    export = read_progress_export(out)
    (shown,) = evidence_texts(export, "700/1.1")
    assert shown.location is not None
    assert shown.location.found == "page 2"
    assert shown.text is not None and "<!-- page 2 -->" in shown.text


# --- what a review of real use turned up ---------------------------------------------------


def test_two_files_with_the_same_bytes_are_each_read_as_what_they_are(
    portfolio: Path, run_cli: RunCli
) -> None:
    """What is read depends on the name too: a Word file copied as .pdf is misnamed, and its
    twin that is a real .docx is not, whichever is read first."""
    good = _minutes(portfolio)
    (portfolio / "evidence" / "aaa-copy.pdf").write_bytes(good.read_bytes())
    _card(portfolio / "evidence", "aaa-copy.pdf", ref="E002", kind="report")
    _card(portfolio / "evidence", "minutes-may.docx")
    flags = [
        (f["note"], f["code"]) for f in _flags(run_cli, portfolio) if f["code"].startswith("file-")
    ]
    assert flags == [("evidence/aaa-copy.pdf.md", "file-wrong-format")]


def test_a_file_copied_over_with_its_old_time_is_read_again(
    portfolio: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    path = _minutes(portfolio)
    _card(portfolio / "evidence", "minutes-may.docx")
    run_cli("status", str(portfolio))
    other = make_docx(
        tmp_path / "other.docx",
        title="Repairs improvement board minutes",
        paragraphs=[m.replace("backlog", "BRAVOWORD") for m in MINUTES],
        header_text=HEADER,
        created=dt.date(2026, 5, 12),
        references=False,
    )
    before = path.stat()
    os.utime(other, ns=(before.st_atime_ns, before.st_mtime_ns))
    path.write_bytes(other.read_bytes())  # as cp -p does: same time, maybe the same size
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    _code, out, _ = run_cli("search", str(portfolio), "BRAVOWORD", "--json")
    assert [h["note"] for h in json.loads(out)["notes"]] == ["evidence/minutes-may.docx.md"]


def test_the_gateway_times_a_recording_from_its_file(portfolio: Path, run_cli: RunCli) -> None:
    make_wav(portfolio / "evidence" / "talk.wav", 48.0, sample_rate=1000)
    _card(
        portfolio / "evidence",
        "talk.wav",
        kind="recording",
        extra="recording:\n  introduction: true\n",
    )
    _code, out, _ = run_cli("gateway", str(portfolio), "--json")
    (item,) = [i for i in json.loads(out)["items"] if i["id"] == "recordings"]
    assert (item["state"], item["reason"]) == ("pass", "All 1 are within the limit.")


def test_a_stale_page_count_is_not_taken_for_the_documents_pages(
    portfolio: Path, run_cli: RunCli
) -> None:
    """python-docx's template (and LibreOffice) keep Pages=1 whatever the length: only Word's
    own count, or Word's page marks, say how many pages there are."""
    from docx import Document as WordDocument

    word = WordDocument()
    for number in range(120):
        word.add_paragraph(f"Paragraph {number} of a long operations review. " * 6)
    word.save(str(portfolio / "evidence" / "review.docx"))
    _card(
        portfolio / "evidence",
        "review.docx",
        kind="report",
        extra="evidence:\n  - ac: 700/1.1\n    where: p2\n",
    )
    _code, out, _ = run_cli("files", str(portfolio), "--json")
    assert json.loads(out)["files"][0]["pages"] is None
    assert "where-beyond-file" not in _codes(run_cli, portfolio)


def test_search_names_a_place_that_locate_finds_again(portfolio: Path, run_cli: RunCli) -> None:
    from companion.evidence.read import read_evidence_file
    from companion.text.locate import locate

    path = make_pdf(
        portfolio / "evidence" / "report.pdf",
        title="Operations report",
        pages=3,
        footer_lines=["Alex Morgan — E001 — 12/05/2026"],
        seed=3,
    )
    _card(portfolio / "evidence", "report.pdf", kind="report")
    text = read_evidence_file(path, within=portfolio).text
    page_two = text.split("<!-- page 2 -->")[1].split("<!-- page 3 -->")[0]
    word = max(page_two.split(), key=len).strip(".,;:()‘’“”")
    _code, out, _ = run_cli("search", str(portfolio), word, "--json")
    line = json.loads(out)["notes"][0]["lines"][0]["text"]
    where = line.split(":", 1)[0]
    assert where.startswith("p2 para ")
    found = locate(text, where)
    assert found is not None and word in "\n".join(text.splitlines()[found.start : found.end + 1])


def test_a_cards_own_words_are_checked_too(portfolio: Path, run_cli: RunCli) -> None:
    _minutes(portfolio)
    card = _card(portfolio / "evidence", "minutes-may.docx")
    card.write_text(
        card.read_text(encoding="utf-8")
        + "\nCall jane.smith@example.org or 07700 900456. Looking back, I feel it went well.\n",
        encoding="utf-8",
    )
    codes = _codes(run_cli, portfolio)
    assert "personal-data" in codes and "reads-as-reflective" in codes


def test_a_cards_own_reference_is_not_placed_in_its_file(portfolio: Path, run_cli: RunCli) -> None:
    make_pptx(portfolio / "evidence" / "deck.pptx", title="Deck", count=3, footer_text=HEADER)
    _card(
        portfolio / "evidence",
        "deck.pptx",
        kind="presentation",
        extra="references:\n  - 'Nobody, A. (2001) Nothing cited. London: Nowhere.'\n",
    )
    messages = [
        f["message"] for f in _flags(run_cli, portfolio) if f["code"] == "reference-not-cited"
    ]
    assert messages == [
        "The front matter's references: the reference Nobody (2001) is not cited in the text."
    ]


def test_a_file_that_lists_one_file_twice_or_none_is_said(portfolio: Path, run_cli: RunCli) -> None:
    _minutes(portfolio)
    _card(portfolio / "evidence", "minutes-may.docx")
    twin = portfolio / "evidence" / "twin.md"
    twin.write_text(
        (portfolio / "evidence" / "minutes-may.docx.md").read_text().replace("E001", "E002")
    )
    (portfolio / "evidence" / "listed.md").write_text(
        "---\ntitle: Two files\nref: E003\ndate: 2026-05-12\ntype: report\nfile: [a.docx, b.docx]\n---\n"
    )
    flags = {(f["note"], f["code"]) for f in _flags(run_cli, portfolio) if f["severity"] == "error"}
    assert ("evidence/twin.md", "file-has-two-cards") in flags
    assert ("evidence/minutes-may.docx.md", "file-has-two-cards") in flags
    assert ("evidence/listed.md", "file-not-named") in flags


def test_a_missing_files_message_never_holds_the_learners_whole_path(
    portfolio: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    _card(portfolio / "evidence", "gone.docx")
    monkeypatch.chdir(portfolio.parent)
    (flag,) = [f for f in _flags(run_cli, Path("pf")) if f["code"] == "file-missing"]
    assert str(portfolio.parent) not in flag["message"]
    assert flag["message"].endswith("The card names it as evidence/gone.docx.")


def test_add_all_leaves_out_a_link_out_of_the_portfolio_and_adds_the_rest(
    portfolio: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    _minutes(portfolio)
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "x.docx").write_bytes(
        (portfolio / "evidence" / "minutes-may.docx").read_bytes()
    )
    (portfolio / "evidence" / "zz-link.docx").symlink_to(tmp_path / "outside" / "x.docx")
    code, _out, err = run_cli("add", str(portfolio), "--all")
    assert code == 0
    assert (portfolio / "evidence" / "minutes-may.docx.md").is_file()
    assert not (portfolio / "evidence" / "zz-link.docx.md").exists()
    assert (
        "warning: skipped evidence/zz-link.docx: it is a link to a file outside the portfolio"
        in err
    )


def test_a_proposed_date_is_never_a_templates_from_before_the_programme(
    portfolio: Path, run_cli: RunCli
) -> None:
    make_docx(
        portfolio / "evidence" / "old-template.docx",
        title="Board paper",
        paragraphs=["The board agreed the paper."],
        created=dt.date(2013, 12, 23),
        references=False,
    )
    run_cli("add", str(portfolio), "--all")
    text = (portfolio / "evidence" / "old-template.docx.md").read_text(encoding="utf-8")
    date = dt.date.fromisoformat(text.split("date: ")[1][:10])
    assert date >= dt.date(2025, 9, 1)


def test_dates_and_names_are_found_only_whole() -> None:
    from companion.notes.card import shows_date, shows_text

    may_12 = dt.date(2026, 5, 12)
    for written in ("12 May 2026", "12th of May, 2026", "12.5.26", "12-May-2026", "May 12, 2026"):
        assert shows_date(f"Produced {written}.", may_12), written
    for written, date in (
        ("12 May 2026", dt.date(2026, 5, 2)),
        ("21/5/26", dt.date(2026, 5, 1)),
        ("31.5.2026", dt.date(2026, 5, 1)),
        ("15/12/2026", dt.date(2026, 12, 5)),
    ):
        assert not shows_date(written, date), written
    assert not shows_text("Ref E0321", "E032")
    assert not shows_text("Alex Morganson", "Alex Morgan")
    assert shows_text("ALEX  MORGAN, E032", "Alex Morgan")


def test_one_hostile_file_never_stops_the_scan_of_the_others(
    portfolio: Path, run_cli: RunCli
) -> None:
    """A zip bomb named .docx, an entity bomb inside a .docx and a FIFO named .pdf sit beside
    a good document: each is flagged in one line, and the good one is read in full."""
    _minutes(portfolio)
    _card(portfolio / "evidence", "minutes-may.docx")
    bomb = portfolio / "evidence" / "bomb.docx"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as part:
            zeros = b"\0" * (1024 * 1024)
            for _ in range(600):  # 600 MB of nothing, a few hundred KB on disk
                part.write(zeros)
    _card(portfolio / "evidence", "bomb.docx", ref="E002")
    laughs = portfolio / "evidence" / "laughs.docx"
    entities = "".join(
        f'<!ENTITY l{n} "{"&l" + str(n - 1) + ";" * 10 if n else "lol"}">' for n in range(10)
    )
    good = portfolio / "evidence" / "minutes-may.docx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(laughs, "w") as archive:
        for item in source.infolist():  # a real Word document, its body an entity bomb
            data = source.read(item)
            if item.filename == "word/document.xml":
                data = f"<?xml version='1.0'?><!DOCTYPE d [{entities}]><d>&l9;</d>".encode()
            archive.writestr(item, data)
    _card(portfolio / "evidence", "laughs.docx", ref="E003")
    os.mkfifo(portfolio / "evidence" / "pipe.pdf")
    _card(portfolio / "evidence", "pipe.pdf", ref="E004", kind="report")
    _, out, err = run_cli("check", str(portfolio), "--json")
    assert "Traceback" not in err
    codes = {(f["note"], f["code"]) for f in json.loads(out)["flags"] if f["severity"] == "error"}
    assert ("evidence/bomb.docx.md", "file-bomb") in codes
    assert ("evidence/laughs.docx.md", "file-bomb") in codes
    assert ("evidence/pipe.pdf.md", "file-not-regular") in codes
    _code, out, _ = run_cli("notes", str(portfolio), "--json")
    words = {n["note"]: n["words"] for n in json.loads(out)["notes"]}
    assert words["evidence/minutes-may.docx.md"] > 40


def test_cite_names_a_cards_citations_by_their_place_in_the_file(
    portfolio: Path, run_cli: RunCli
) -> None:
    _report(portfolio)
    card = _card(portfolio / "evidence", "report.pdf", kind="report")
    _, out, _ = run_cli("cite", str(portfolio), str(card), "--json")
    listed = json.loads(out)["notes"][0]
    places = {c["place"] for c in listed["citations"]}
    assert places and all(p.startswith("page ") for p in places)
    _, text, _ = run_cli("cite", str(portfolio), str(card))
    assert "line " not in text and " page 1  (" in text


def test_a_note_that_is_a_link_out_of_the_portfolio_is_never_read(
    portfolio: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    """A note linked to /etc/passwd (or any file outside) would put its text in search and
    in the tutor's export: it is skipped with a warning, and nothing of it is shown."""
    secret = tmp_path / "secret.md"
    secret.write_text("---\ntitle: Secret\n---\nroot:x:0:0:PASSWORDWORD\n")
    (portfolio / "evidence" / "passwd.md").symlink_to(secret)
    inside = portfolio / "evidence" / "real.md"
    inside.write_text("---\ntitle: Real\nref: E001\n---\nA real note.\n")
    (portfolio / "evidence" / "alias.md").symlink_to(inside)  # a link within: still read
    _code, out, err = run_cli("notes", str(portfolio), "--json")
    assert [n["note"] for n in json.loads(out)["notes"]] == [
        "evidence/alias.md",
        "evidence/real.md",
    ]
    assert "skipped evidence/passwd.md: it is a link to a file outside the portfolio" in err
    _, out, _ = run_cli("search", str(portfolio), "PASSWORDWORD", "--json")
    assert json.loads(out)["notes"] == []
    export = tmp_path / "export.json"
    run_cli("export", "progress", str(portfolio), "--out", str(export), "--with-notes")
    assert "PASSWORDWORD" not in export.read_text(encoding="utf-8")
