"""``companion notes`` lists what the Notes screen shows; ``companion acknowledge`` accepts a
warning as the Flags screen does."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_support import RunCli


@pytest.fixture
def portfolio(tmp_path: Path) -> Path:
    root = tmp_path / "pf"
    (root / "notes").mkdir(parents=True)
    (root / "companion.yaml").write_text("learner: Sam Lee\nprogramme_start: 2025-01-06\n")
    (root / "notes" / "a.md").write_text(
        "---\ntitle: Coaching log\nref: E002\ndate: 2025-06-01\nlearner: Sam Lee\ntype: report\n"
        "---\nCoaching with GROW, written to sam@example.org.\n"
    )
    (root / "notes" / "b.md").write_text(
        "---\ntitle: Board minutes\nref: E001\ndate: 2025-07-01\nlearner: Sam Lee\n"
        "type: minutes\n---\nShort.\n"
    )
    (root / "notes" / "c.md").write_text("---\ntitle: No ref\ntype: report\n---\nText.\n")
    return root


def test_notes_lists_filters_and_sorts(portfolio: Path, run_cli: RunCli) -> None:
    code, out, _ = run_cli("notes", str(portfolio))
    lines = out.splitlines()
    assert code == 0
    assert lines[0].split() == ["Ref", "Date", "Type", "Title", "Words", "Tags", "Flags"]
    assert [line.split()[0] for line in lines[1:4]] == ["report", "E001", "E002"]
    assert lines[-1] == "3 notes"

    code, out, _ = run_cli("notes", str(portfolio), "--sort", "words", "--reverse", "--json")
    notes = json.loads(out)["notes"]
    assert [n["ref"] for n in notes] == ["E002", "E001", ""]
    assert notes[0] == {
        "note": "notes/a.md",
        "ref": "E002",
        "date": "2025-06-01",
        "type": "report",
        "title": "Coaching log",
        "words": 6,  # sam@example.org is one word, as in a word processor
        "tags": [],
        "open_flags": 1,
        "readable": True,
        "file": None,
    }

    code, out, _ = run_cli("notes", str(portfolio), "--filter", "board")
    assert out.splitlines()[1].split()[:3] == ["E001", "2025-07-01", "minutes"]
    assert out.splitlines()[-1] == "1 of 3 notes"


def test_acknowledge_accepts_a_warning_and_refuses_errors_and_unknown_codes(
    portfolio: Path, run_cli: RunCli
) -> None:
    note = portfolio / "notes" / "a.md"
    code, out, _ = run_cli("acknowledge", str(note), "personal-data")
    assert code == 0 and out == f"acknowledged 'personal-data' in {note}\n"
    assert "acknowledge:\n- personal-data\n" in note.read_text()
    code, out, _ = run_cli("acknowledge", str(note), "personal-data")
    assert code == 0 and "already acknowledged" in out

    other = portfolio / "notes" / "c.md"
    before = other.read_bytes()
    code, _, err = run_cli("acknowledge", str(other), "missing-ref")
    assert code == 2
    assert "'missing-ref' is an error: errors cannot be acknowledged, only fixed" in err
    code, _, err = run_cli("acknowledge", str(other), "no-such-code")
    assert code == 2
    assert (
        "has no 'no-such-code' flag (its flags: missing-date, missing-learner, missing-ref)" in err
    )
    assert other.read_bytes() == before


def test_notes_where_untagged_and_tagged_query_the_front_matter(
    tmp_path: Path, run_cli: RunCli
) -> None:
    from companion.portfolio.example import copy_example

    example = copy_example(tmp_path / "example")
    code, out, _ = run_cli(
        "notes", str(example), "--where", "type=minutes", "--where", "date>=2026-01-01"
    )
    assert code == 0
    assert [line.split()[0] for line in out.splitlines()[1:5]] == [
        "2026-04-15",
        "E010",
        "E013",
        "E026",  # the minutes kept as a Word document, by its card
    ]
    assert out.splitlines()[-1] == "4 of 37 notes"

    code, out, _ = run_cli("notes", str(example), "--untagged", "--json")
    assert [n["note"] for n in json.loads(out)["notes"]] == [
        "notes/ideas.md",
        "proposal/summary.md",
        *(
            f"reviews/{day}-progress-review.md"
            for day in ("2025-11-24", "2026-02-16", "2026-05-11", "2026-08-10", "2026-11-02")
        ),
        "notes/profile.md",
        "assignments/701-strategic-leadership-draft.md",
    ]

    code, out, _ = run_cli("notes", str(example), "--tagged", "700 AC1.1", "--csv")
    assert out.startswith("\ufeff")  # the byte-order mark Excel needs to read UTF-8
    assert out.removeprefix("\ufeff").splitlines() == [
        "note,ref,date,type,title,words,tags,open_flags",
        "evidence/05-away-day-presentation.md,E006,2025-11-19,presentation,Operations management "
        "away day — team dynamics and culture,186,700/1.1;700/1.2,1",
    ]


def test_the_filter_takes_conditions_as_the_notes_screen_does(
    portfolio: Path, run_cli: RunCli
) -> None:
    _, out, _ = run_cli("notes", str(portfolio), "--filter", "type=report coaching")
    assert out.splitlines()[1].split()[:3] == ["E002", "2025-06-01", "report"]
    assert out.splitlines()[-1] == "1 of 3 notes"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--where", "type"], "'type' is not a condition: write KEY, an operator"),
        (["--where", "date>="], "'date>=' compares with nothing"),
        (["--tagged", "799/1.1"], "'799/1.1' is not an assessment criterion"),
    ],
)
def test_a_bad_query_is_one_line_and_exit_2(
    portfolio: Path, run_cli: RunCli, argv, message
) -> None:
    code, _, err = run_cli("notes", str(portfolio), *argv)
    assert code == 2
    assert err.startswith(f"companion: {message}") and err.count("\n") == 1
    assert "Traceback" not in err


def test_csv_cells_a_spreadsheet_would_run_are_neutralised(
    portfolio: Path, run_cli: RunCli
) -> None:
    (portfolio / "notes" / "d.md").write_text('---\ntitle: =HYPERLINK("x")\nref: E009\n---\nx\n')
    _, out, _ = run_cli("notes", str(portfolio), "--where", "ref=E009", "--csv")
    assert out.splitlines()[1].startswith('notes/d.md,E009,,,"\'=HYPERLINK(""x"")"')


def test_values_are_read_as_the_learner_wrote_them(tmp_path: Path, run_cli: RunCli) -> None:
    """YAML 1.1 reads 0107 as octal 71 and 1:30 as 90: a reference or a place the learner
    typed is kept as typed; plain numbers stay numbers."""
    root = tmp_path / "p"
    (root / "notes").mkdir(parents=True)
    (root / "companion.yaml").write_text("learner: Sam Lee\nprogramme_start: 2025-01-06\n")
    (root / "notes" / "a.md").write_text(
        "---\ntitle: Board\nref: 0107\ndate: 2026-01-10\ntype: minutes\n"
        "evidence:\n  - ac: 700/1.1\n    where: 1:30\n---\nText.\n"
    )
    _code, out, _ = run_cli("notes", str(root), "--json")
    (note,) = json.loads(out)["notes"]
    assert note["ref"] == "0107"
    export = tmp_path / "m.md"
    run_cli("export", "matrix", str(root), "--out", str(export))
    assert "0107 Board, 1:30" in export.read_text(encoding="utf-8")
