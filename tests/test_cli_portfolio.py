"""The portfolio commands end to end: init, new, tag, status, check, untag."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_support import RunCli


@pytest.fixture
def portfolio(tmp_path: Path, run_cli: RunCli) -> Path:
    root = tmp_path / "pf"
    code, out, _ = run_cli(
        "init",
        str(root),
        "--learner",
        "Alex Morgan",
        "--start",
        "2025-09-01",
        "--gateway",
        "2027-03-15",
    )
    assert code == 0 and "companion.yaml" in out
    return root


def test_init_writes_a_commented_profile_and_refuses_to_overwrite(
    portfolio: Path, run_cli: RunCli
) -> None:
    text = (portfolio / "companion.yaml").read_text()
    assert "learner: Alex Morgan\n" in text
    assert "programme_start: 2025-09-01\n" in text
    assert '  "706": portfolio    # Strategic Workforce & Logistics Planning' in text
    code, _, err = run_cli("init", str(portfolio))
    assert code == 2 and "already exists" in err


def test_init_rejects_bad_dates(tmp_path: Path, run_cli: RunCli) -> None:
    code, _, err = run_cli("init", str(tmp_path / "x"), "--start", "01/09/2025")
    assert code == 2
    assert "must be a date like 2026-09-01, not '01/09/2025'" in err


def test_new_tag_status_check_untag(portfolio: Path, run_cli: RunCli) -> None:
    code, out, _ = run_cli(
        "new", str(portfolio), "--type", "report", "--title", "Workforce plan 2026"
    )
    assert code == 0
    note = Path(out.strip())
    assert note.name == "e001-workforce-plan-2026.md"
    original = note.read_bytes()
    assert b"ref: E001\n" in original and b"learner: Alex Morgan\n" in original

    code, out, _ = run_cli(
        "tag",
        str(note),
        "706 AC1.1",
        "--where",
        "section 2",
        "--covers",
        "talent-management",
        "--covers",
        "group-work",
    )
    assert code == 0 and "tagged" in out and "706/1.1" in out

    code, out, _ = run_cli("status", str(portfolio), "--json")
    data = json.loads(out)
    assert data["schema"] == "companion.progress/1"
    assert data["learner"]["name"] == "Alex Morgan"
    unit = next(u for u in data["units"] if u["id"] == "706")
    ac = next(c for c in unit["criteria"] if c["id"] == "706/1.1")
    assert ac["status"] == "in-progress"
    covered = {item["id"]: item["covered"] for item in ac["checklist"]}
    assert covered["talent-management"] is True
    assert covered["group-work"] is True
    assert covered["succession-planning"] is False
    assert ac["evidence"][0]["ref"] == "E001"
    assert ac["evidence"][0]["where"] == "section 2"

    code, out, _ = run_cli("check", str(portfolio), "--json")
    flags = json.loads(out)["flags"]
    assert code == 0, flags
    assert all(f["severity"] != "error" for f in flags)

    code, _, _ = run_cli("untag", str(note), "706/1.1")
    assert code == 0
    assert note.read_bytes() == original


def test_tag_refusals_are_one_line_messages(portfolio: Path, run_cli: RunCli) -> None:
    note = portfolio / "n.md"
    note.write_text("---\ntitle: T\n---\nbody\n")
    code, _, err = run_cli("tag", str(note), "799/1.1")
    assert code == 2 and "'799/1.1' is not an assessment criterion" in err
    code, _, err = run_cli("tag", str(note), "706/1.1", "--covers", "nothing")
    assert code == 2 and "706/1.1 has no checklist item 'nothing'" in err
    code, _, err = run_cli("tag", str(note), "706/1.1", "--count", "oops")
    assert code == 2 and "--count takes REQUIREMENT=ITEM" in err
    code, _, err = run_cli("untag", str(note), "706/1.1")
    assert code == 1 and "is not tagged to 706/1.1" in err
    assert note.read_text() == "---\ntitle: T\n---\nbody\n"
    assert "Traceback" not in err


def test_check_exits_1_on_errors_and_lists_flags(portfolio: Path, run_cli: RunCli) -> None:
    (portfolio / "bad.md").write_text("---\ntitle: Sim\ntype: simulation\n---\nx\n")
    code, out, _ = run_cli("check", str(portfolio))
    assert code == 1
    assert "ERROR   bad.md: [type-not-allowed]" in out


def test_status_without_profile_says_what_to_do(tmp_path: Path, run_cli: RunCli) -> None:
    code, _, err = run_cli("status", str(tmp_path))
    assert code == 2
    assert f"run 'companion init {tmp_path}'" in err


def test_new_refuses_a_ruled_out_type(portfolio: Path, run_cli: RunCli) -> None:
    code, _, err = run_cli("new", str(portfolio), "--type", "case-study", "--title", "X")
    assert code == 2 and "not accepted as evidence" in err


ALLOWED = (
    "performance-review, project-plan, report, minutes, demonstration, presentation, "
    "research-project, recording, witness-testimony, assignment, proposal-summary, "
    "progress-review, profile, other"
)


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("minute", "'minute' is not an evidence type; did you mean 'minutes'?"),
        ("Minutes", "'Minutes' is not an evidence type; did you mean 'minutes'?"),
        ("witness", "'witness' is not an evidence type; did you mean 'witness-testimony'?"),
        (
            "reflection",
            "'reflection' is not an evidence type. Reflective account is not accepted as "
            "evidence: Evidence should not include reflective accounts by the learner.",
        ),
        ("powerpoint", "'powerpoint' is not an evidence type."),
    ],
)
def test_new_names_the_type_a_mistyped_one_is_closest_to(
    portfolio: Path, run_cli: RunCli, typed: str, said: str
) -> None:
    before = sorted(portfolio.rglob("*"))
    code, _, err = run_cli("new", str(portfolio), "--type", typed, "--title", "X")
    assert code == 2
    assert err == f"companion: {said} Choose from: {ALLOWED}.\n"
    assert sorted(portfolio.rglob("*")) == before


def test_status_json_in_a_pipe_is_ascii_and_reads_back_every_character(
    tmp_path: Path, run_cli: RunCli
) -> None:
    """Compact JSON (for scripts) escapes what is not ASCII: the text is then one byte a
    character however the names are spelt (half the memory of a large status), and any
    JSON reader gets the same names back."""
    root = tmp_path / "pf"
    code, _, _ = run_cli("init", str(root), "--learner", "Siân Ó Briain–Jones")
    assert code == 0
    code, out, _ = run_cli("status", str(root), "--json")
    assert code == 0
    assert out.isascii() and "\\u00e2" in out
    assert json.loads(out)["learner"]["name"] == "Siân Ó Briain–Jones"
