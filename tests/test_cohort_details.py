"""The assessor and centre, typed once per cohort, on every Results Sheet of it."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from docx import Document

from companion.cli.main import main
from companion.review.cohort_details import (
    COHORT_FILE,
    CohortDetails,
    find_details,
    read_details,
    save_details,
    with_details,
)
from companion.review.feedback import Feedback, FeedbackError


def test_details_round_trip_and_keep_a_leading_zero(tmp_path: Path) -> None:
    details = CohortDetails("Dr  R. Shah", "Northgate College", "0123")
    path = save_details(tmp_path, details)
    assert path.read_text(encoding="utf-8") == (
        "# The assessor and centre for this cohort's Results Sheets (companion review).\n"
        'assessor: "Dr R. Shah"\n'
        'centre_name: "Northgate College"\n'
        'centre_number: "0123"\n'
    )
    assert read_details(tmp_path) == CohortDetails("Dr R. Shah", "Northgate College", "0123")
    assert read_details(tmp_path / "nowhere") == CohortDetails()


def test_a_hand_edited_file_is_read_as_written(tmp_path: Path) -> None:
    (tmp_path / COHORT_FILE).write_text("assessor: Ana Lima  # my name\ncentre_number: 456\n")
    assert read_details(tmp_path) == CohortDetails("Ana Lima", "", "456")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("assessor: [unclosed\n", "is not readable YAML"),
        ("- a list\n", "should hold assessor, centre_name and centre_number"),
        ("assesor: Ana\n", "unknown key 'assesor'"),
        ("assessor: {name: Ana}\n", "assessor should be text"),
        ('assessor: "Ana\\u0007"\n', "holds control characters"),
        (b"assessor: \xff\xfe\n", "is not UTF-8 text"),
        (
            "assessor: " + "[" * 30_000 + "]" * 30_000 + "\n",
            "is not readable YAML at line 1: .*nesting depth",
        ),
        ("assessor: Mallory\nassessor: Ana Lima\n", "at line 2: the key 'assessor' is given twice"),
        ("centre_number: 0123\nassessor: &a x\nx: *a\n", "unknown key 'x'"),
    ],
)
def test_a_bad_file_is_one_clear_message(tmp_path: Path, text: str | bytes, message: str) -> None:
    path = tmp_path / COHORT_FILE
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    with pytest.raises(FeedbackError, match=message) as refused:
        read_details(tmp_path)
    assert "\n" not in refused.value.message


def test_it_is_never_written_through_a_link(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.yaml"
    target.write_text("keep me\n")
    (tmp_path / "cohort").mkdir()
    os.symlink(target, tmp_path / "cohort" / COHORT_FILE)
    with pytest.raises(FeedbackError):
        save_details(tmp_path / "cohort", CohortDetails("Ana"))
    assert target.read_text() == "keep me\n"


def test_the_feedback_files_own_values_win_and_the_cohort_fills_blanks(tmp_path: Path) -> None:
    feedback = Feedback("Alex Morgan", assessor="Dr Shah", learner_registration="R1")
    merged = with_details(feedback, CohortDetails("Ana Lima", "Northgate", "0123"))
    assert (merged.assessor, merged.centre_name, merged.centre_number) == (
        "Dr Shah",
        "Northgate",
        "0123",
    )
    assert merged.learner_registration == "R1" and feedback.centre_name == ""


def test_the_nearest_cohort_file_above_an_export_applies(tmp_path: Path) -> None:
    save_details(tmp_path, CohortDetails("Ana Lima"))
    (tmp_path / "group-a" / "alex").mkdir(parents=True)
    assert find_details(tmp_path / "group-a" / "alex" / "alex.feedback.json").assessor == (
        "Ana Lima"
    )
    save_details(tmp_path / "group-a", CohortDetails("Ben Cole"))
    assert find_details(tmp_path / "group-a" / "alex" / "x.json").assessor == "Ben Cole"


def test_the_command_line_sets_shows_and_the_results_sheet_uses_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cohort = tmp_path / "cohort"
    cohort.mkdir()
    code = main(["feedback", "cohort", str(cohort), "--assessor", "Dr R. Shah"])
    assert code == 0
    assert main(["feedback", "cohort", str(cohort), "--centre-number", "0123"]) == 0
    capsys.readouterr()
    assert main(["feedback", "cohort", str(cohort), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {
        "assessor": "Dr R. Shah",
        "centre_name": "",
        "centre_number": "0123",
    }
    assert main(["feedback", "cohort", str(cohort)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "Assessor:      Dr R. Shah",
        "Centre name:   (not set)",
        "Centre number: 0123",
    ]
    feedback = {
        "schema": "companion.feedback/1",
        "learner": "Alex Morgan",
        "learner_registration": "ILM-77",
        "criteria": {"700/1.1": {"decision": "pass", "feedback": "Good.", "date": "2026-11-23"}},
    }
    (cohort / "alex.feedback.json").write_text(json.dumps(feedback))
    out = cohort / "700.docx"
    args = ["export", "results", str(cohort / "alex.feedback.json"), "--unit", "700"]
    assert main([*args, "--out", str(out)]) == 0
    header = {row.cells[0].text: row.cells[1].text for row in Document(str(out)).tables[0].rows}
    assert header == {
        "Centre Number:": "0123",
        "Centre Name:": "",
        "Learner Registration:": "ILM-77",
        "Learner Name:": "Alex Morgan",
        "Assessor:": "Dr R. Shah",
    }
    code = main(["feedback", "cohort", str(cohort), "--assessor", "Eve\x07"])
    assert code == 2 and "control characters" in capsys.readouterr().err
