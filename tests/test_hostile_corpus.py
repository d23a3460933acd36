"""The hostile corpus through the command line: no traceback, one line, nothing else changed.

One bad note must never take the portfolio down, and no command may change a file it does
not own: every file outside what the command writes is compared byte for byte afterwards.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cli_support import RunCli
from hostile import TEXT_NOTES, build_portfolio, snapshot

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory):
    return build_portfolio(tmp_path_factory.mktemp("hostile"))


def _unchanged(corpus, before: dict[str, bytes], skip: tuple[Path, ...] = ()) -> None:
    after = snapshot(corpus.root.parent, skip)
    changed = sorted(p for p in before if after.get(p) != before[p])
    assert changed == [], changed


@pytest.mark.parametrize("command", ["status", "check", "notes", "gateway"])
def test_every_scanning_command_survives_the_corpus(corpus, run_cli: RunCli, command: str) -> None:
    before = snapshot(corpus.root.parent)
    code, out, err = run_cli(command, str(corpus.root))
    assert "Traceback" not in err
    assert code in (0, 1), err
    _unchanged(corpus, before)
    if command == "notes":
        assert "E001" in out  # the good note is listed among the rest
    for line in err.splitlines():
        assert line.startswith("warning: "), line  # each problem is one line


def test_each_bad_note_is_flagged_by_name_line_and_reason(corpus, run_cli: RunCli) -> None:
    code, out, _ = run_cli("check", str(corpus.root), "--json")
    flags = json.loads(out)["flags"]
    by_note: dict[str, set[str]] = {}
    for flag in flags:
        by_note.setdefault(flag["note"], set()).add(flag["code"])
    expect = {
        "date-feb-30": "bad-yaml",
        "date-month-13": "bad-yaml",
        "date-year-0": "bad-yaml",
        "date-hour-25": "bad-yaml",
        "recursive-alias": "bad-yaml",
        "binary-value": "bad-yaml",
        "set-value": "bad-yaml",
        "flow-nested-600": "bad-yaml",
        "flow-nested-990": "bad-yaml",
        "block-nested-900": "bad-yaml",
        "billion-laughs": "bad-yaml",
        "front-matter-list": "bad-front-matter",
        "unclosed-flow": "bad-yaml",
        "evidence-not-a-list": "bad-evidence-list",
        "evidence-bad-entry": "bad-evidence-list",
        "toml": "front-matter-not-yaml",
        "json": "front-matter-not-yaml",
        "binary": "unreadable-binary",
        "latin-1": "unreadable-encoding",
        "utf-16": "unreadable-binary",
        "huge": "unreadable-huge",
        "duration-inf": "recording-no-duration",
        "duration-nan": "recording-no-duration",
    }
    for name, code_expected in expect.items():
        assert code_expected in by_note.get(f"notes/{name}.md", set()), (name, by_note.get(name))
    messages = {f["note"]: f["message"] for f in flags if f["code"] == "bad-yaml"}
    assert messages["notes/date-feb-30.md"] == (
        "date-feb-30.md: the front matter cannot be used at line 4: "
        "'2026-02-30' is not a real date or time"
    )
    assert "an alias refers to itself" in messages["notes/recursive-alias.md"]
    assert "expands to more than 50,000 values" in messages["notes/billion-laughs.md"]
    assert "nested more than 64 levels deep" in messages["notes/flow-nested-990.md"]
    assert code == 1


def test_the_rest_of_the_portfolio_still_works(corpus, run_cli: RunCli) -> None:
    code, out, err = run_cli("status", str(corpus.root), "--json")
    assert code == 0, err
    data = json.loads(out)
    names = {n["path"] for n in data["notes"]} if "notes" in data else set()
    assert data["summary"]["notes"] >= len(TEXT_NOTES)
    assert "warning: skipped notes/caf\\udce9.md: its name is not valid UTF-8" in err, err
    assert not names or "notes/good.md" in names


TAG_OUTCOMES = {
    # written: the front matter is YAML the writer can splice into (or there is none yet)
    0: {
        "good.md",
        "date-as-key.md",
        "duration-inf.md",
        "duration-nan.md",
        "front-matter-text.md",
        "duplicate-keys.md",
        "control-chars.md",
        "huge-line.md",
        "empty.md",
        "only-dashes.md",
        "crlf.md",
        "bom.md",
        "unicode name é 日本.md",
        "name\nwith newline.md",
        "special:non-utf8-name",
    },
    # refused to keep the file as it is: an evidence list it cannot extend, a format it does
    # not write, a link or a file it may not replace
    1: {
        "evidence-not-a-list.md",
        "evidence-bad-entry.md",
        "tags-wrong-types.md",
        "toml.md",
        "json.md",
        "special:symlink-to-outside",
        "special:read-only",
        "special:hard-link",
    },
    # bad input: YAML that is not valid or not safe, bytes that are not a note, not a file
    2: {
        "date-feb-30.md",
        "date-month-13.md",
        "date-year-0.md",
        "date-hour-25.md",
        "recursive-alias.md",
        "binary-value.md",
        "set-value.md",
        "flow-nested-600.md",
        "flow-nested-990.md",
        "block-nested-900.md",
        "billion-laughs.md",
        "front-matter-list.md",
        "unclosed-flow.md",
        "binary.md",
        "latin-1.md",
        "cp1252.md",
        "utf-16.md",
        "utf-32.md",
        "huge.md",
        "special:symlinked-folder",
        "special:symlink-loop",
        "special:fifo",
        "special:unreadable-folder",
        "special:fifo-feedback",
    },
}


def test_tagging_every_note_either_works_or_is_refused_in_one_line(corpus, run_cli: RunCli) -> None:
    outcomes: dict[int, set[str]] = {0: set(), 1: set(), 2: set()}
    items = [(p.name, p) for p in corpus.notes]
    items += [(f"special:{name}", p) for name, p in corpus.special.items()]
    for name, path in items:
        before = snapshot(corpus.root.parent, skip=(path,))
        code, _, err = run_cli("tag", str(path), "700/1.1", "--where", "p1")
        assert "Traceback" not in err, (path, err)
        outcomes.setdefault(code, set()).add(name)
        if code != 0:
            assert len(err.strip().splitlines()) == 1, (path, err)
            assert err.startswith("companion: "), (path, err)
        _unchanged(corpus, before, skip=(path,))
    assert outcomes == TAG_OUTCOMES
    assert {k: len(v) for k, v in outcomes.items()} == {0: 15, 1: 8, 2: 24}


@pytest.mark.parametrize(
    ("special", "message"),
    [
        ("symlink-to-outside", "is a symbolic link"),
        ("read-only", "is read-only"),
        ("hard-link", "has 2 hard links"),
        ("fifo", "is not a file"),
    ],
)
def test_writes_keep_the_files_identity(
    corpus, run_cli: RunCli, special: str, message: str
) -> None:
    path = corpus.special[special]
    before = snapshot(corpus.root.parent)
    code, _, err = run_cli("tag", str(path), "700/1.1")
    assert code in (1, 2), err
    assert message in err, err
    _unchanged(corpus, before)
    assert corpus.outside.read_text().startswith("a file outside")


def test_a_fifo_in_the_feedback_folder_does_not_hang_status(corpus) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "companion", "status", str(corpus.root)],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert "not a regular file" in done.stdout + done.stderr


def test_the_corpus_size_and_outcomes_are_reported(corpus, capsys) -> None:
    """A record of what the corpus holds, so a shrinking corpus is noticed."""
    assert corpus.size >= 45
