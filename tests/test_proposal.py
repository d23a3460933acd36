"""The proposal summary planner: reading, exact saving, counting against the cap, exporting."""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from pathlib import Path

import pytest
from docx import Document
from known import present

from companion.assessment.proposal import live_count, proposal_ksbs, read_summary, save_summary
from companion.cli.main import main
from companion.content.load import load_content
from companion.exports.proposal import summary_markdown, write_summary
from companion.notes.file import NoteReadError
from companion.notes.writer import NoteWriteError

REL = "proposal/summary.md"
TODAY = dt.date(2026, 11, 22)
TITLES = [
    "Problem or opportunity",
    "Scope and KPIs",
    "Objectives",
    "Stakeholders",
    "Options",
    "Resources and budget",
    "Risks",
    "Timeline",
    "Expected impact",
]


@pytest.fixture(scope="module")
def content():
    return load_content()


def test_sections_come_from_the_content(content) -> None:
    assert [s.title for s in content.standard.proposal_sections] == TITLES
    assert content.standard.proposal_criterion == "704/2.2"


def test_missing_file_is_an_empty_plan(content, tmp_path: Path) -> None:
    summary = read_summary(tmp_path, REL, content)
    assert (summary.exists, summary.title, summary.words, summary.cap) == (False, "", 0, 500)
    assert summary.missing == TITLES


def test_new_summary_is_written_with_front_matter_and_every_heading(content, tmp_path) -> None:
    empty = read_summary(tmp_path, REL, content)
    saved = save_summary(
        empty,
        "Repairs scheduling",
        {"problem": "Missed visits.", "scope": "Three regions."},
        content,
        learner="Alex Morgan",
        today=TODAY,
    )
    text = (tmp_path / REL).read_text()
    assert text.startswith(
        "---\ntitle: Repairs scheduling\ntype: proposal-summary\nlearner: Alex Morgan\n"
        "date: 2026-11-22\n---\n\n## Problem or opportunity\n\nMissed visits.\n\n"
        "## Scope and KPIs\n\nThree regions.\n\n## Objectives\n\n## Stakeholders\n\n"
    )
    assert saved.exists and saved.title == "Repairs scheduling"
    assert saved.text_of("problem") == "Missed visits."
    assert saved.missing == TITLES[2:]
    again = read_summary(tmp_path, REL, content)
    assert again.title == saved.title and again.text_of("scope") == "Three regions."


LEARNER_FILE = (
    b"---\r\n# my own comment\r\ntype: proposal-summary\r\nref: E099\r\n---\r\n"
    b"# Old title\r\n\r\nIntro I wrote myself.\r\n\r\n"
    b"## Scope & KPIs\r\nold scope\r\n## My notes\r\nkeep *this* exactly\r\n"
)


def test_saving_changes_only_what_the_planner_owns(content, tmp_path: Path) -> None:
    path = tmp_path / "s.md"
    path.write_bytes(LEARNER_FILE)
    summary = read_summary(tmp_path, "s.md", content)
    assert summary.title == "Old title"
    assert summary.text_of("scope") == "old scope"
    assert summary.extra_headings == ["My notes"]
    save_summary(summary, "New title", {"scope": "new scope", "risks": "Staff turnover."}, content)
    assert path.read_bytes() == (
        b"---\r\n# my own comment\r\ntype: proposal-summary\r\nref: E099\r\n---\r\n"
        b"# New title\r\n\r\nIntro I wrote myself.\r\n\r\n"
        b"## Scope & KPIs\r\n\r\nnew scope\r\n\r\n"
        b"## Risks\r\n\r\nStaff turnover.\r\n\r\n"
        b"## My notes\r\nkeep *this* exactly\r\n"
    )


def test_title_in_front_matter_is_spliced_not_reformatted(content, tmp_path: Path) -> None:
    path = tmp_path / "s.md"
    original = "---\ntitle: 'Old'   # keep\nlearner: Alex\n---\n\n## Objectives\n\nHalve delays.\n"
    path.write_text(original)
    save_summary(read_summary(tmp_path, "s.md", content), "New: better", {}, content)
    assert path.read_text() == original.replace("title: 'Old'   # keep\n", "title: 'New: better'\n")


def test_an_unchanged_title_is_not_requoted_when_a_section_is_saved(content, tmp_path) -> None:
    path = tmp_path / "s.md"
    original = '---\ntitle: "Plan"   # mine\nlearner: Alex\n---\n\n## Risks\n\nSome.\n\n## Extra\n'
    path.write_text(original)
    summary = read_summary(tmp_path, "s.md", content)
    save_summary(summary, "Plan", {"risks": "Many."}, content)
    assert path.read_text() == original.replace("Some.", "Many.")


def test_saving_unchanged_writes_nothing(content, tmp_path: Path) -> None:
    path = tmp_path / "s.md"
    path.write_bytes(LEARNER_FILE)
    before = path.stat().st_mtime_ns
    summary = read_summary(tmp_path, "s.md", content)
    texts = {s.section.id: s.text for s in summary.sections}
    save_summary(summary, summary.title, texts, content)
    assert path.read_bytes() == LEARNER_FILE and path.stat().st_mtime_ns == before


def test_refuses_a_file_changed_since_it_was_read(content, tmp_path: Path) -> None:
    path = tmp_path / "s.md"
    path.write_bytes(LEARNER_FILE)
    summary = read_summary(tmp_path, "s.md", content)
    path.write_bytes(LEARNER_FILE + b"more\r\n")
    with pytest.raises(NoteWriteError, match="changed on disk"):
        save_summary(summary, "X", {"scope": "y"}, content)
    assert path.read_bytes() == LEARNER_FILE + b"more\r\n"


def test_refuses_a_file_created_since_it_was_read(content, tmp_path: Path) -> None:
    summary = read_summary(tmp_path, REL, content)
    (tmp_path / "proposal").mkdir()
    (tmp_path / REL).write_text("mine\n")
    with pytest.raises(NoteWriteError, match="created since"):
        save_summary(summary, "X", {}, content)
    assert (tmp_path / REL).read_text() == "mine\n"


def test_refuses_text_that_would_read_back_differently(content, tmp_path: Path) -> None:
    path = tmp_path / "s.md"
    path.write_bytes(LEARNER_FILE)
    summary = read_summary(tmp_path, "s.md", content)
    with pytest.raises(NoteWriteError, match="would not read back"):
        save_summary(summary, "T", {"scope": "text\n## Risks\nsneaky"}, content)
    assert path.read_bytes() == LEARNER_FILE


def test_bad_yaml_and_paths_outside_the_portfolio_are_clear_errors(content, tmp_path) -> None:
    (tmp_path / "s.md").write_text("---\ntitle: [oops\n---\n")
    with pytest.raises(NoteReadError, match="not valid YAML"):
        read_summary(tmp_path, "s.md", content)
    with pytest.raises(NoteReadError, match="outside the portfolio"):
        read_summary(tmp_path / "p", "../../etc/passwd", content)


def test_counts_against_the_cap(content, tmp_path: Path) -> None:
    summary = read_summary(tmp_path, REL, content)
    # The 9 headings hold 16 words; headings count, as in every word count.
    assert live_count(summary, "T", {}, content) == 0
    words = " ".join(["word"] * 484)
    assert live_count(summary, "T", {"problem": words}, content) == 484 + 3
    saved = save_summary(summary, "T", {"problem": words}, content, today=TODAY)
    assert saved.words == 500 and not saved.over_cap
    over = save_summary(saved, "T", {"problem": words + " one"}, content)
    assert over.words == 501 and over.over_cap
    assert over.to_json()["over_cap"] is True


def test_proposal_ksbs_are_those_of_the_proposal_groupings(content) -> None:
    codes = [code for code, _ in proposal_ksbs(content)]
    assert codes == [
        "K3",
        "S2",
        "K14",
        "K16",
        "S19",
        "K12",
        "K15",
        "S20",
        "S13",
        "K5",
        "S3",
        "B3",
        "K8",
        "K9",
        "S11",
    ]


def test_markdown_and_docx_exports(content, tmp_path: Path) -> None:
    summary = save_summary(
        read_summary(tmp_path, REL, content),
        "Repairs <scheduling>",
        {"problem": "Missed **visits** cost money.\n\n- one\n- two", "timeline": "Q1 to Q3."},
        content,
        today=TODAY,
    )
    md = summary_markdown(summary, "Alex Morgan")
    assert md.startswith("# Repairs <scheduling>\n\nAlex Morgan · ")
    assert (
        "## Problem or opportunity\n\nMissed **visits** cost money.\n\n- one\n- two\n\n## Timeline"
        in md
    )
    assert "## Objectives" not in md  # sections not written yet are left out
    out = tmp_path / "s.docx"
    write_summary(summary, out, "docx", "Alex Morgan")
    document = Document(str(out))
    texts = [(present(p.style).name, p.text) for p in document.paragraphs]
    assert texts[0] == ("Title", "Repairs <scheduling>")
    assert ("Heading 1", "Problem or opportunity") in texts
    assert ("Normal", "Missed visits cost money.") in texts
    assert ("List Bullet", "two") in texts
    assert ("Heading 1", "Objectives") not in texts
    assert document.core_properties.author == "Alex Morgan"
    assert zipfile.is_zipfile(out)


def _portfolio(tmp_path: Path) -> Path:
    root = tmp_path / "p"
    root.mkdir()
    (root / "companion.yaml").write_text(
        "learner: Alex Morgan\nprogramme_start: 2025-09-01\nplanned_gateway: 2027-03-15\n"
    )
    return root


def test_cli_sets_prints_and_exports(tmp_path: Path, capsys) -> None:
    root = _portfolio(tmp_path)
    assert (
        main(
            [
                "proposal",
                str(root),
                "--title",
                "Repairs",
                "--section",
                "scope=All regions.\\nKPI: first-time fix",
                "--json",
            ]
        )
        == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert data["title"] == "Repairs" and data["exists"] is True
    assert data["sections"][1] == {"id": "scope", "title": "Scope and KPIs", "words": 5}
    assert data["missing"] == [t for t in TITLES if t != "Scope and KPIs"]
    assert data["cap"] == 500 and data["ksbs"][0] == "K3"
    assert "All regions.\nKPI: first-time fix\n" in (root / REL).read_text()
    out = tmp_path / "summary.docx"
    assert main(["proposal", str(root), "--export", str(out)]) == 0
    assert "wrote" in capsys.readouterr().out and zipfile.is_zipfile(out)


def test_the_export_never_replaces_the_summary_or_another_file_in_the_portfolio(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Exporting to the summary's own path once replaced it with the submission copy,
    front matter gone; to the assignment draft's path, with the summary."""
    root = _portfolio(tmp_path)
    assert main(["proposal", str(root), "--title", "Repairs", "--section", "scope=All."]) == 0
    draft = root / "assignments" / "701-draft.docx"
    draft.parent.mkdir()
    draft.write_bytes(b"the learner's assignment")
    summary = root / REL
    kept = {path: path.read_bytes() for path in (summary, draft)}
    capsys.readouterr()
    assert main(["proposal", str(root), "--export", str(summary)]) == 2
    assert capsys.readouterr().err == (
        f"companion: {summary} is inside the portfolio, where it would be read as a note; "
        "write it somewhere else\n"
    )
    assert main(["proposal", str(root), "--export", str(draft)]) == 2
    assert "is a file of yours in the portfolio" in capsys.readouterr().err
    assert {path: path.read_bytes() for path in kept} == kept
    out = root / "assignments" / "summary.docx"  # a new file there is fine, and again
    assert main(["proposal", str(root), "--export", str(out)]) == 0
    assert main(["proposal", str(root), "--export", str(out)]) == 0
    assert zipfile.is_zipfile(out)


def test_cli_refuses_bad_input_without_a_traceback(tmp_path: Path, capsys) -> None:
    root = _portfolio(tmp_path)
    assert main(["proposal", str(root), "--section", "nonsense=1"]) == 2
    assert "--section takes ID=TEXT" in capsys.readouterr().err
    assert main(["proposal", str(root), "--export", str(tmp_path / "x.odt")]) == 2
    assert "export format must be one of md, docx, pdf" in capsys.readouterr().err
    (root / "proposal").mkdir()
    (root / REL).write_bytes(b"\xff\xfe binary \x00")
    assert main(["proposal", str(root)]) == 2
    assert "looks like a binary file" in capsys.readouterr().err


def test_cli_exits_1_over_the_cap(tmp_path: Path, capsys) -> None:
    root = _portfolio(tmp_path)
    words = " ".join(["word"] * 520)
    assert main(["proposal", str(root), "--title", "T", "--section", f"problem={words}"]) == 1
    assert "OVER THE LIMIT" in capsys.readouterr().out
