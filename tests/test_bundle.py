"""The EPA bundle: what goes in, refused while gateway is blocked, and checked by --verify."""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import subprocess
import warnings
import zipfile
from pathlib import Path

import pytest
import yaml
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader
from test_gateway import ready_portfolio

from companion import __version__, clock
from companion.cli.main import main
from companion.content.load import load_content
from companion.portfolio.example import copy_example

MOMENT = "2026-11-22T10:30:00+00:00"


@pytest.fixture(autouse=True)
def _fixed_clock() -> object:
    with clock.fixed_clock(clock.dt.datetime.fromisoformat(MOMENT)):
        yield


@pytest.fixture(scope="module")
def content():  # type: ignore[no-untyped-def]
    return load_content()


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _names(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as archive:
        return archive.namelist()


def _read(path: Path, name: str) -> bytes:
    with zipfile.ZipFile(path) as archive:
        return archive.read(name)


def _rewrite(path: Path, change: dict[str, bytes | None]) -> None:
    """Rewrite the zip with some entries changed (bytes), removed (None) or added."""
    with zipfile.ZipFile(path) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    for name, data in change.items():
        if data is None:
            files.pop(name)
        else:
            files[name] = data
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)


def test_a_ready_portfolio_bundles_everything_the_issue_lists(
    content, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = ready_portfolio(tmp_path / "p", content)
    out = tmp_path / "Alex Morgan EPA.zip"
    code, text, err = _run(capsys, "export", "bundle", str(root), "--out", str(out))
    assert code == 0, err
    assert text.strip() == f"wrote {out}: 31 files, 18 pieces of evidence"
    names = _names(out)
    # each piece named by its reference, a note rendered as a PDF
    assert [n for n in names if n.startswith("evidence/")] == [
        f"evidence/E{n:03d} Report {n}.pdf" for n in range(1, 19)
    ]
    assert {n for n in names if not n.startswith("evidence/")} == {
        "README.txt",
        "Evidence index.pdf",
        "matrices/AC Evidence Matrix.docx",
        "matrices/AC Evidence Matrix.xlsx",
        "matrices/AC Evidence Matrix.pdf",
        "matrices/KSB Evidence Matrix.docx",
        "matrices/KSB Evidence Matrix.xlsx",
        "matrices/KSB Evidence Matrix.pdf",
        "proposal/Proposal summary.docx",
        "proposal/Proposal summary.pdf",
        "gateway-checklist.txt",
        "MANIFEST.json",
        "SHA256SUMS",
    }
    assert names[-2:] == ["MANIFEST.json", "SHA256SUMS"]
    # a note as the assessor reads it: no front matter; name, date and reference on each page
    piece = PdfReader(io.BytesIO(_read(out, "evidence/E007 Report 7.pdf")))
    for page in piece.pages:
        text = page.extract_text()
        assert "Alex Morgan" in text and "10 January 2026" in text and "E007" in text
        assert "Page 1 of 1" in text
    whole = "\n".join(page.extract_text() for page in piece.pages)
    assert "The work product." in whole
    assert "evidence:" not in whole and "learner:" not in whole and "---" not in whole
    manifest = json.loads(_read(out, "MANIFEST.json"))
    assert {k: manifest[k] for k in ("schema", "learner", "framework", "made", "draft")} == {
        "schema": "companion.bundle/2",
        "learner": "Alex Morgan",
        "framework": "ST0480",
        "made": MOMENT,
        "draft": False,
    }
    assert manifest["generator"] == f"companion {__version__}"
    assert manifest["evidence"] == 18 and manifest["missing"] == []
    listed = {item["path"]: item for item in manifest["files"]}
    assert set(listed) == set(names) - {"MANIFEST.json", "SHA256SUMS"}
    data = _read(out, "matrices/AC Evidence Matrix.xlsx")
    assert listed["matrices/AC Evidence Matrix.xlsx"] == {
        "path": "matrices/AC Evidence Matrix.xlsx",
        "size": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
    }
    # each document opens with its reader's library
    matrix = Document(io.BytesIO(_read(out, "matrices/AC Evidence Matrix.docx")))
    assert "DRAFT" not in "\n".join(p.text for p in matrix.paragraphs)
    index = matrix.tables[-1]  # the matrix closes with the evidence index: E007 is a file
    assert [c.text for c in index.rows[0].cells][:5] == [
        "Ref",
        "Title",
        "Type",
        "Date",
        "File in the bundle",
    ]
    assert [c.text for c in index.rows[7].cells][:5] == [
        "E007",
        "Report 7",
        "report",
        "2026-01-10",
        "E007 Report 7.pdf",
    ]
    book = load_workbook(io.BytesIO(_read(out, "matrices/KSB Evidence Matrix.xlsx")))
    assert book.sheetnames[0] == "Professional Discussion KSBs"
    summary = Document(io.BytesIO(_read(out, "proposal/Proposal summary.docx")))
    assert summary.paragraphs[0].text == "Repairs scheduling"
    listing = PdfReader(io.BytesIO(_read(out, "Evidence index.pdf")))
    assert "E018 Report 18.pdf" in "".join(page.extract_text() for page in listing.pages)
    checklist = _read(out, "gateway-checklist.txt").decode()
    assert checklist.startswith("Gateway checklist for Alex Morgan\nProduced 22 November 2026")
    assert checklist.rstrip().endswith("ready for gateway")
    readme = _read(out, "README.txt").decode()
    assert "sha256sum -c SHA256SUMS" in readme and not readme.startswith("DRAFT")
    code, text, _ = _run(capsys, "export", "bundle", "--verify", str(out))
    assert code == 0
    assert text.splitlines() == [
        f"{out.name}: 29 files and the manifest, for Alex Morgan, made {MOMENT} by companion {__version__}",
        "verified: every file matches the manifest",
    ]


def test_the_unzipped_bundle_checks_with_sha256sum_and_a_rezipped_one_verifies(
    content, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = ready_portfolio(tmp_path / "p", content)
    out = tmp_path / "b.zip"
    assert _run(capsys, "export", "bundle", str(root), "--out", str(out))[0] == 0
    unzipped = tmp_path / "unzipped"
    with zipfile.ZipFile(out) as archive:
        archive.extractall(unzipped)
    sums = (unzipped / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    assert len(sums) == len(_names(out)) - 1
    for line in sums:  # what sha256sum -c checks, line by line
        digest, name = line.split("  ", 1)
        assert hashlib.sha256((unzipped / name).read_bytes()).hexdigest() == digest, name
    if shutil.which("sha256sum"):
        done = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=unzipped, capture_output=True)
        assert done.returncode == 0, done.stdout[-500:]
    # zipped again by another tool: folder entries, other dates and compression; same files
    again = tmp_path / "again.zip"
    with zipfile.ZipFile(again, "w", compression=zipfile.ZIP_STORED) as archive:
        for folder in ("evidence/", "matrices/", "proposal/"):
            archive.writestr(zipfile.ZipInfo(folder, date_time=(2030, 1, 1, 0, 0, 0)), b"")
        for path in sorted(unzipped.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(unzipped).as_posix())
    code, text, _ = _run(capsys, "export", "bundle", "--verify", str(again))
    assert code == 0, text
    if shutil.which("zip"):
        rezipped = tmp_path / "rezipped.zip"
        subprocess.run(["zip", "-qr", str(rezipped), "."], cwd=unzipped, check=True)
        assert _run(capsys, "export", "bundle", "--verify", str(rezipped))[0] == 0


def test_files_a_note_points_at_inside_the_portfolio_go_with_it(
    content, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = ready_portfolio(tmp_path / "p", content)
    (root / "files").mkdir()
    (root / "files" / "chart.png").write_bytes(b"\x89PNG chart")
    (root / "files" / "plan v2.pdf").write_bytes(b"%PDF plan")
    (root / "files" / "board-deck.pptx").write_bytes(b"PK deck")
    (root / "files" / "unused.pdf").write_bytes(b"%PDF not named")
    note = root / "notes" / "e001.md"
    head, body = note.read_text().split("---\n")[1:]
    fields = yaml.safe_load(head) | {"attachments": ["../files/plan v2.pdf"]}
    note.write_text(
        f"---\n{yaml.safe_dump(fields, sort_keys=False)}---\n{body}"
        + "The programme board agreed the plan and the budget for the next phase. " * 8
        + "\n\n![Chart](../files/chart.png), ![[board-deck.pptx]], "
        "[the web](https://example.org/a.pdf), [e002](e002.md)\n"
    )
    out = tmp_path / "b.zip"
    code, _, err = _run(capsys, "export", "bundle", str(root), "--out", str(out))
    assert code == 0, err
    names = _names(out)
    assert [n for n in names if n.startswith("evidence/E001")] == [
        "evidence/E001 Report 1.pdf",
        "evidence/E001 Report 1 - plan v2.pdf",
        "evidence/E001 Report 1 - chart.png",
        "evidence/E001 Report 1 - board-deck.pptx",
    ]
    assert _read(out, "evidence/E001 Report 1 - chart.png") == b"\x89PNG chart"
    assert not [n for n in names if "unused" in n]
    assert all(not n.startswith(("/", "..")) and ".." not in n.split("/") for n in names)
    assert _run(capsys, "export", "bundle", "--verify", str(out))[0] == 0


def test_a_file_the_evidence_names_and_the_bundle_cannot_hold_refuses_it(
    content, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = ready_portfolio(tmp_path / "p", content)
    (tmp_path / "secret.txt").write_text("outside the portfolio")
    (root / "files").mkdir()
    os.symlink(tmp_path / "secret.txt", root / "files" / "link.txt")
    note = root / "notes" / "e001.md"
    note.write_text(
        note.read_text()
        + "\n[the secret](../../secret.txt), [a link](../files/link.txt), ![[gone.pdf]]\n"
    )
    out = tmp_path / "b.zip"
    code, text, err = _run(capsys, "export", "bundle", str(root), "--out", str(out))
    assert code == 1 and text == "" and not out.exists()
    assert "companion: 3 files the evidence names cannot be found: " in err
    assert err.rstrip().endswith(
        "Put each one back, or make it as a draft (--draft): it lists them"
    )
    assert "../../secret.txt: outside the portfolio" in err and "gone.pdf: not found" in err
    code, _, err = _run(capsys, "export", "bundle", str(root), "--out", str(out), "--draft")
    assert code == 0, err
    names = _names(out)
    assert not [n for n in names if "secret" in n or "link" in n]
    readme = _read(out, "README.txt").decode()
    assert "Evidence files that are not in this bundle" in readme
    assert "  - gone.pdf: not found (named in notes/e001.md)" in readme
    assert json.loads(_read(out, "MANIFEST.json"))["missing"][2] == (
        "gone.pdf: not found (named in notes/e001.md)"
    )


def test_while_gateway_is_blocked_nothing_is_written_unless_it_is_a_draft(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = copy_example(tmp_path / "example")
    out = tmp_path / "bundle.zip"
    code, text, err = _run(capsys, "export", "bundle", str(root), "--out", str(out))
    assert code == 1 and text == ""
    assert err.startswith("companion: gateway is blocked by ")
    assert "or make it as a draft (--draft) to share it as it stands" in err
    from companion.assessment.gateway import blocking, gateway_check
    from companion.assessment.status import build_status
    from companion.content.load import load_content
    from companion.portfolio.portfolio import Portfolio

    portfolio = Portfolio(root, load_content(), use_store=False)
    portfolio.scan()
    blocked = blocking(gateway_check(build_status(portfolio)))
    assert err.startswith(f"companion: gateway is blocked by {len(blocked)} items: ")
    for item in blocked:  # every item is named, not only the first three
        assert item.label in err
    assert not out.exists() and not list(tmp_path.glob("*.zip")) and not list(tmp_path.glob(".*"))

    code, text, _ = _run(capsys, "export", "bundle", str(root), "--out", str(out), "--draft")
    assert code == 0 and text.strip().endswith("(DRAFT)")
    manifest = json.loads(_read(out, "MANIFEST.json"))
    assert manifest["draft"] is True
    assert _read(out, "README.txt").startswith(b"DRAFT: this bundle was made while gateway")
    index = PdfReader(io.BytesIO(_read(out, "Evidence index.pdf")))
    assert all("DRAFT" in page.extract_text() for page in index.pages)
    assert "DRAFT" in _read(out, "gateway-checklist.txt").decode().splitlines()[1]
    for name in ("matrices/AC Evidence Matrix.docx", "proposal/Proposal summary.docx"):
        word = Document(io.BytesIO(_read(out, name)))
        assert "DRAFT: not ready for submission." in [p.text for p in word.paragraphs], name
        assert "· DRAFT · Page" in word.sections[0].footer.paragraphs[0].text, name
    code, text, _ = _run(capsys, "export", "bundle", "--verify", str(out))
    assert code == 0 and "(DRAFT)" in text.splitlines()[0]


def test_verify_names_each_file_changed_missing_or_added(
    content, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = ready_portfolio(tmp_path / "p", content)
    out = tmp_path / "b.zip"
    assert _run(capsys, "export", "bundle", str(root), "--out", str(out))[0] == 0
    size = len(_read(out, "evidence/E002 Report 2.pdf"))
    _rewrite(
        out,
        {
            "evidence/E002 Report 2.pdf": b"%PDF improved later",
            "gateway-checklist.txt": None,
            "evidence/extra.pdf": b"slipped in",
        },
    )
    code, text, _ = _run(capsys, "export", "bundle", "--verify", str(out))
    assert code == 1
    assert text.splitlines()[1:] == [
        f"  evidence/E002 Report 2.pdf is 19 bytes, the manifest says {size}",
        "  gateway-checklist.txt is listed but missing",
        "  evidence/extra.pdf is in the bundle but not in the manifest",
        "3 problem(s)",
    ]
    data = _read(out, "evidence/E003 Report 3.pdf")
    same_size = data[:-20] + b"X" * 20
    _rewrite(out, {"evidence/E003 Report 3.pdf": same_size})
    code, text, _ = _run(capsys, "export", "bundle", "--verify", str(out))
    assert code == 1 and "  evidence/E003 Report 3.pdf has changed since the bundle was made" in (
        text.splitlines()
    )


def test_a_path_that_would_leave_the_bundle_is_a_problem(
    content, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = ready_portfolio(tmp_path / "p", content)
    out = tmp_path / "b.zip"
    assert _run(capsys, "export", "bundle", str(root), "--out", str(out))[0] == 0
    manifest = json.loads(_read(out, "MANIFEST.json"))
    for evil in ("../evil.md", "/etc/evil.md", "C:/evil.md", "a\\..\\evil.md"):
        manifest["files"].append({"path": evil, "size": 1, "sha256": "0" * 64})
    _rewrite(
        out,
        {
            "MANIFEST.json": json.dumps(manifest).encode(),
            "../evil.md": b"x",
            "/etc/evil.md": b"x",
            "C:/evil.md": b"x",
        },
    )
    code, text, _ = _run(capsys, "export", "bundle", "--verify", str(out))
    assert code == 1
    problems = text.splitlines()[1:-1]
    assert problems == [
        "  '../evil.md' is not a path that stays inside the bundle",
        "  '/etc/evil.md' is not a path that stays inside the bundle",
        "  'C:/evil.md' is not a path that stays inside the bundle",
        "  the manifest lists '../evil.md' is not a path that stays inside the bundle",
        "  the manifest lists '/etc/evil.md' is not a path that stays inside the bundle",
        "  the manifest lists 'C:/evil.md' is not a path that stays inside the bundle",
        "  the manifest lists 'a\\..\\evil.md' is not a path that stays inside the bundle",
        "  SHA256SUMS gives MANIFEST.json another checksum than its contents",
    ]
    assert not (tmp_path / "evil.md").exists()


@pytest.mark.parametrize(
    ("content_bytes", "message"),
    [
        (b"not a zip at all", "is not a bundle"),
        (None, "has no MANIFEST.json: not a companion bundle"),
        (b"{not json", "MANIFEST.json cannot be read"),
        (b'{"schema": "something/else", "files": []}', "is not a companion.bundle/2 manifest"),
        (b'{"schema": "companion.bundle/1"}', "MANIFEST.json lists no files"),
    ],
)
def test_a_file_that_is_not_a_bundle_is_bad_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content_bytes: bytes | None, message: str
) -> None:
    path = tmp_path / "thing.zip"
    if content_bytes == b"not a zip at all":
        path.write_bytes(content_bytes)
    else:
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("portfolio/a.md", b"a")
            if content_bytes is not None:
                archive.writestr("MANIFEST.json", content_bytes)
    code, text, err = _run(capsys, "export", "bundle", "--verify", str(path))
    assert code == 2 and text == "" and message in err
    assert "Traceback" not in err


def test_the_command_says_what_it_needs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = copy_example(tmp_path / "example")
    code, _, err = _run(capsys, "export", "bundle", str(root), "--verify", "b.zip")
    assert code == 2 and "--verify takes only the bundle" in err
    code, _, err = _run(capsys, "export", "bundle", str(root))
    assert code == 2 and "give the portfolio and --out NAME.zip" in err
    code, _, err = _run(capsys, "export", "bundle", str(root), "--out", "b.tar", "--draft")
    assert code == 2 and "the bundle is a zip: name a .zip file, not b.tar" in err


def test_verify_refuses_what_an_unzip_tool_would_read_differently(
    content, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A name listed twice (unzip extracts one copy, a check by name reads the other), an
    encrypted entry and an entry in a compression Python cannot read are each named in one
    line; a FIFO named like a bundle is never opened."""
    root = ready_portfolio(tmp_path / "p", content)
    out = tmp_path / "b.zip"
    assert _run(capsys, "export", "bundle", str(root), "--out", str(out))[0] == 0
    with zipfile.ZipFile(out) as archive:
        original = {name: archive.read(name) for name in archive.namelist()}
    doubled = tmp_path / "doubled.zip"
    with warnings.catch_warnings(), zipfile.ZipFile(doubled, "w") as archive:
        warnings.simplefilter("ignore", UserWarning)  # zipfile's own "Duplicate name"
        archive.writestr("evidence/E001 Report 1.pdf", b"%PDF tampered copy")
        for name, data in original.items():
            archive.writestr(name, data)
    code, text, err = _run(capsys, "export", "bundle", "--verify", str(doubled))
    assert code == 1 and "Traceback" not in err
    assert "  evidence/E001 Report 1.pdf is in the bundle twice: which copy is the evidence?" in (
        text.splitlines()
    )
    odd = tmp_path / "odd.zip"
    with zipfile.ZipFile(odd, "w") as archive:
        for name, data in original.items():
            archive.writestr(name, data)
    raw = bytearray(odd.read_bytes())
    for name, (flag, method) in {
        b"evidence/E002 Report 2.pdf": (0x1, None),
        b"evidence/E003 Report 3.pdf": (None, 9),  # deflate64
    }.items():
        for start in (i for i in range(len(raw)) if raw.startswith(name, i)):
            header = raw.rfind(b"PK\x01\x02", 0, start)  # the central directory entry
            if header != -1 and start - header == 46:
                if flag is not None:
                    raw[header + 8] |= flag
                if method is not None:
                    raw[header + 10 : header + 12] = method.to_bytes(2, "little")
    odd.write_bytes(bytes(raw))
    code, text, err = _run(capsys, "export", "bundle", "--verify", str(odd))
    assert code == 1 and "Traceback" not in err
    lines = text.splitlines()
    assert "  evidence/E002 Report 2.pdf is encrypted: it cannot be checked" in lines
    assert (
        "  evidence/E003 Report 3.pdf is compressed in a way companion cannot read (method 9)"
        in lines
    )
    fifo = tmp_path / "x.zip"
    os.mkfifo(fifo)
    code, text, err = _run(capsys, "export", "bundle", "--verify", str(fifo))
    assert code == 2 and err == "companion: x.zip is not a file: not a bundle\n"
