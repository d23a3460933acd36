"""The EPA bundle: what goes in, refused while gateway is blocked, and checked by --verify."""

from __future__ import annotations

import hashlib
import io
import json
import os
import zipfile
from pathlib import Path

import pytest
import yaml
from docx import Document
from openpyxl import load_workbook
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
    assert text.strip() == f"wrote {out}: 25 files, 18 of them evidence"
    names = _names(out)
    assert [n for n in names if n.startswith("portfolio/")] == [
        f"portfolio/notes/e{n:03d}.md" for n in range(1, 19)
    ]
    assert {n for n in names if not n.startswith("portfolio/")} == {
        "matrices/AC Evidence Matrix.docx",
        "matrices/AC Evidence Matrix.xlsx",
        "matrices/KSB Evidence Matrix.docx",
        "matrices/KSB Evidence Matrix.xlsx",
        "proposal/Proposal summary.docx",
        "gateway-checklist.txt",
        "MANIFEST.json",
    }
    assert names[-1] == "MANIFEST.json"
    # the notes as written, byte for byte; the reviews and the log are not evidence
    assert _read(out, "portfolio/notes/e007.md") == (root / "notes" / "e007.md").read_bytes()
    manifest = json.loads(_read(out, "MANIFEST.json"))
    assert {k: manifest[k] for k in ("schema", "learner", "framework", "made", "draft")} == {
        "schema": "companion.bundle/1",
        "learner": "Alex Morgan",
        "framework": "ST0480",
        "made": MOMENT,
        "draft": False,
    }
    assert manifest["generator"] == f"companion {__version__}"
    listed = {item["path"]: item for item in manifest["files"]}
    assert set(listed) == set(names) - {"MANIFEST.json"}
    data = _read(out, "matrices/AC Evidence Matrix.xlsx")
    assert listed["matrices/AC Evidence Matrix.xlsx"] == {
        "path": "matrices/AC Evidence Matrix.xlsx",
        "size": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
    }
    # each document opens with its reader's library
    matrix = Document(io.BytesIO(_read(out, "matrices/AC Evidence Matrix.docx")))
    assert "DRAFT" not in "\n".join(p.text for p in matrix.paragraphs)
    book = load_workbook(io.BytesIO(_read(out, "matrices/KSB Evidence Matrix.xlsx")))
    assert book.sheetnames[0] == "Professional Discussion KSBs"
    summary = Document(io.BytesIO(_read(out, "proposal/Proposal summary.docx")))
    assert summary.paragraphs[0].text == "Repairs scheduling"
    checklist = _read(out, "gateway-checklist.txt").decode()
    assert checklist.startswith("Gateway checklist for Alex Morgan\nProduced 22 November 2026")
    assert checklist.rstrip().endswith("ready for gateway")
    code, text, _ = _run(capsys, "export", "bundle", "--verify", str(out))
    assert code == 0
    assert text.splitlines() == [
        f"{out.name}: 24 files and the manifest, for Alex Morgan, made {MOMENT} by companion {__version__}",
        "verified: every file matches the manifest",
    ]


def test_files_a_note_points_at_inside_the_portfolio_go_with_it(
    content, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = ready_portfolio(tmp_path / "p", content)
    (root / "files").mkdir()
    (root / "files" / "chart.png").write_bytes(b"\x89PNG chart")
    (root / "files" / "plan v2.pdf").write_bytes(b"%PDF plan")
    (root / "files" / "unused.pdf").write_bytes(b"%PDF not named")
    (tmp_path / "secret.txt").write_text("outside the portfolio")
    os.symlink(tmp_path / "secret.txt", root / "files" / "link.txt")
    note = root / "notes" / "e001.md"
    head, body = note.read_text().split("---\n")[1:]
    fields = yaml.safe_load(head) | {"attachments": ["../files/plan v2.pdf"]}
    note.write_text(
        f"---\n{yaml.safe_dump(fields, sort_keys=False)}---\n{body}"
        + "The programme board agreed the plan and the budget for the next phase. " * 8
        + "\n\n![Chart](../files/chart.png) and [the secret](../../secret.txt), "
        "[a link](files/link.txt), [the web](https://example.org/a.pdf), [e002](e002.md)\n"
    )
    out = tmp_path / "b.zip"
    code, _, err = _run(capsys, "export", "bundle", str(root), "--out", str(out))
    assert code == 0, err
    names = _names(out)
    assert "portfolio/files/chart.png" in names and "portfolio/files/plan v2.pdf" in names
    assert _read(out, "portfolio/files/chart.png") == b"\x89PNG chart"
    assert not [n for n in names if "secret" in n or "link" in n or "unused" in n]
    assert all(not n.startswith(("/", "..")) and ".." not in n.split("/") for n in names)
    assert _run(capsys, "export", "bundle", "--verify", str(out))[0] == 0


def test_while_gateway_is_blocked_nothing_is_written_unless_it_is_a_draft(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = copy_example(tmp_path / "example")
    out = tmp_path / "bundle.zip"
    code, text, err = _run(capsys, "export", "bundle", str(root), "--out", str(out))
    assert code == 1 and text == ""
    assert err.startswith("companion: gateway is blocked by ")
    assert "or make it as a draft (--draft) to share as it stands" in err
    assert not out.exists() and not list(tmp_path.glob("*.zip")) and not list(tmp_path.glob(".*"))

    code, text, _ = _run(capsys, "export", "bundle", str(root), "--out", str(out), "--draft")
    assert code == 0 and text.strip().endswith("(DRAFT)")
    manifest = json.loads(_read(out, "MANIFEST.json"))
    assert manifest["draft"] is True
    assert _read(out, "README.txt").startswith(b"DRAFT: this bundle was made while gateway")
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
    _rewrite(
        out,
        {
            "portfolio/notes/e002.md": b"---\ntitle: improved later\n---\n",
            "gateway-checklist.txt": None,
            "portfolio/notes/extra.md": b"slipped in",
        },
    )
    code, text, _ = _run(capsys, "export", "bundle", "--verify", str(out))
    assert code == 1
    assert text.splitlines()[1:] == [
        "  gateway-checklist.txt is listed but missing",
        "  portfolio/notes/e002.md is 30 bytes, the manifest says "
        f"{(root / 'notes' / 'e002.md').stat().st_size}",
        "  portfolio/notes/extra.md is in the bundle but not in the manifest",
        "3 problem(s)",
    ]
    same_size = (root / "notes" / "e003.md").read_bytes().replace(b"Report 3", b"Report X")
    _rewrite(out, {"portfolio/notes/e003.md": same_size})
    code, text, _ = _run(capsys, "export", "bundle", "--verify", str(out))
    assert code == 1 and "  portfolio/notes/e003.md has changed since the bundle was made" in (
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
    ]
    assert not (tmp_path / "evil.md").exists()


@pytest.mark.parametrize(
    ("content_bytes", "message"),
    [
        (b"not a zip at all", "is not a bundle"),
        (None, "has no MANIFEST.json: not a companion bundle"),
        (b"{not json", "MANIFEST.json cannot be read"),
        (b'{"schema": "something/else", "files": []}', "is not a companion.bundle/1 manifest"),
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
