"""Funding compliance in the progress export, the cohort's compliance columns, and the ACs
whose evidence changed since the tutor's decision."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
from pathlib import Path

import pytest

from companion import clock
from companion.assessment.status import build_status
from companion.cli.main import main
from companion.content.load import load_content
from companion.exports.progress import progress_document, write_progress
from companion.portfolio.example import copy_example
from companion.portfolio.portfolio import Portfolio
from companion.review.cohort import NOT_IN_EXPORT, cohort_csv, cohort_text, load_cohort
from companion.review.feedback import (
    PASS,
    changed_since_decision,
    feedback_path,
    open_feedback,
    save_feedback,
)
from companion.review.progress_file import ExportFileError, read_progress_export
from companion.views.review import CHANGED, criterion_review_markdown

TODAY = dt.date(2026, 11, 22)
NOON = dt.datetime(2026, 11, 22, 12, tzinfo=dt.UTC)
TAGGED = "evidence/05-away-day-presentation.md"
"""The example's note tagged to 700/1.1 and 700/1.2 (not to 700/1.3)."""


@pytest.fixture(scope="module")
def content():
    return load_content()


@pytest.fixture(autouse=True)
def _today():
    with clock.fixed_clock(NOON):
        yield


def _document(root: Path, content) -> dict:
    portfolio = Portfolio(root, content, use_store=False)
    portfolio.scan()
    return progress_document(build_status(portfolio, today=TODAY))


@pytest.fixture(scope="module")
def export_data(tmp_path_factory: pytest.TempPathFactory, content) -> dict:
    root = copy_example(tmp_path_factory.mktemp("ex") / "example")
    with clock.fixed_clock(NOON):
        return _document(root, content)


def _write(folder: Path, name: str, data: dict) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def _copy(data: dict) -> dict:
    return json.loads(json.dumps(data))


# --- the export ----------------------------------------------------------------------


def test_the_export_carries_the_compliance_figures_of_the_example(export_data: dict) -> None:
    assert export_data["schema"] == "companion.progress/2"
    assert export_data["compliance"] == {
        "as_of": "2026-11-22",
        "otj_done_minutes": 87 * 60,
        "otj_planned_minutes": 320 * 60,
        "otj_required_minutes": 400 * 60,
        "otj_gap_minutes": 233 * 60,
        "reviews_held": 5,
        "last_review": "2026-11-02",
        "last_review_signed": True,
        "next_review_due": "2027-02-28",
        "review_overdue_days": 0,
    }


def test_a_review_overdue_on_the_day_of_the_export(tmp_path: Path, content) -> None:
    root = copy_example(tmp_path / "example")
    with clock.fixed_clock(dt.datetime(2027, 3, 10, 12, tzinfo=dt.UTC)):
        portfolio = Portfolio(root, content, use_store=False)
        portfolio.scan()
        data = progress_document(build_status(portfolio, today=dt.date(2027, 3, 10)))
    assert data["compliance"]["as_of"] == "2027-03-10"
    assert data["compliance"]["review_overdue_days"] == 10
    assert data["compliance"]["next_review_due"] == "2027-02-28"


def test_the_export_reads_back_with_its_compliance(tmp_path: Path, export_data: dict) -> None:
    export = read_progress_export(_write(tmp_path, "alex.json", export_data))
    assert export.compliance is not None
    assert export.compliance.otj_behind_minutes == 233 * 60
    assert export.compliance.last_review == dt.date(2026, 11, 2)
    assert export.fingerprints is not None and len(export.fingerprints) == 46
    assert len(export.evidence_sha256("700/1.1")) == 64


def test_the_html_report_has_the_compliance_table(tmp_path: Path, content) -> None:
    root = copy_example(tmp_path / "example")
    portfolio = Portfolio(root, content, use_store=False)
    portfolio.scan()
    out = tmp_path / "out" / "alex.json"
    out.parent.mkdir()
    write_progress(build_status(portfolio, today=TODAY), out, html=True)
    page = out.with_suffix(".html").read_text(encoding="utf-8")
    assert "Funding compliance" in page
    for text in (
        "Off-the-job hours to date",
        "87 hours",
        "320 hours",
        "400 hours",
        "233 hours behind the plan",
        "Progress reviews held",
        "2 November 2026",
        "28 February 2027",
    ):
        assert text in page, text
    assert page.index("Funding compliance") < page.index("Unit 700")


# --- version 1 ------------------------------------------------------------------------


def _version_1(data: dict) -> dict:
    old = _copy(data)
    old["schema"] = "companion.progress/1"
    del old["compliance"], old["evidence_sha256"]
    return old


def test_a_version_1_export_is_still_read(tmp_path: Path, export_data: dict, capsys) -> None:
    path = _write(tmp_path / "cohort", "alex.json", _version_1(export_data))
    export = read_progress_export(path)
    assert export.compliance is None and export.fingerprints is None
    assert export.evidence_sha256("700/1.1") == ""
    rows = load_cohort([path.parent], today=TODAY).sorted()
    assert rows[0].problem == ""
    assert NOT_IN_EXPORT in cohort_text(rows).splitlines()[1]
    (row,) = csv.DictReader(io.StringIO(cohort_csv(rows)))
    assert (row["otj_behind_hours"], row["review_overdue_days"]) == ("", "")
    assert main(["cohort", str(path.parent), "--json"]) == 0
    (entry,) = json.loads(capsys.readouterr().out)["cohort"]
    assert entry["compliance"] is None and entry["otj_behind_hours"] is None


def test_a_version_2_export_needs_its_compliance(tmp_path: Path, export_data: dict) -> None:
    data = _copy(export_data)
    del data["compliance"]
    with pytest.raises(ExportFileError, match=r"^alex\.json: compliance should be an object$"):
        read_progress_export(_write(tmp_path, "alex.json", data))


# --- hostile compliance ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("otj_done_minutes", -60, "compliance.otj_done_minutes should be between 0 and"),
        ("otj_done_minutes", 10**30, "compliance.otj_done_minutes should be between 0 and"),
        ("otj_done_minutes", "5220", "compliance.otj_done_minutes should be a whole number"),
        ("otj_done_minutes", 5220.5, "compliance.otj_done_minutes should be a whole number"),
        ("otj_done_minutes", True, "compliance.otj_done_minutes should be a whole number"),
        ("otj_planned_minutes", [1], "compliance.otj_planned_minutes should be a whole number"),
        ("otj_gap_minutes", 0, "otj_gap_minutes should be otj_planned_minutes less"),
        ("reviews_held", -1, "compliance.reviews_held should be between 0 and"),
        ("review_overdue_days", 10**9, "compliance.review_overdue_days should be between 0"),
        ("last_review", "2026-11-02\x1b[2J", "compliance.last_review should be a date"),
        ("last_review", "2026-02-30", "compliance.last_review should be a date"),
        ("last_review", 20261102, "compliance.last_review should be a date"),
        ("next_review_due", "\u202e2027-02-28", "compliance.next_review_due should be a date"),
        ("as_of", None, "compliance.as_of should be a date"),
        ("last_review_signed", "yes", "last_review_signed should be true, false or null"),
        ("last_review", None, "compliance.last_review should be given when reviews were held"),
    ],
)
def test_hostile_compliance_values_give_one_clear_line(
    tmp_path: Path, export_data: dict, key: str, value: object, message: str
) -> None:
    data = _copy(export_data)
    data["compliance"][key] = value
    with pytest.raises(ExportFileError) as caught:
        read_progress_export(_write(tmp_path, "alex.json", data))
    text = str(caught.value)
    assert text.startswith("alex.json: ") and message in text
    assert "\n" not in text and "\x1b" not in text


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("abc", "evidence_sha256 should map AC ids to fingerprints"),
        ({"700/1.1": "12ab"}, "evidence_sha256.700/1.1 should be 64 hexadecimal digits"),
        ({"700/1.1": 7}, "evidence_sha256.700/1.1 should be 64 hexadecimal digits"),
        ({"999/\x1b[2J": "0" * 64}, "is not an AC here"),
    ],
)
def test_hostile_fingerprints_give_one_clear_line(
    tmp_path: Path, export_data: dict, value: object, message: str
) -> None:
    data = _copy(export_data)
    data["evidence_sha256"] = value
    with pytest.raises(ExportFileError) as caught:
        read_progress_export(_write(tmp_path, "alex.json", data))
    assert message in str(caught.value) and "\x1b" not in str(caught.value)


def test_the_cli_refuses_a_hostile_export_without_a_traceback(
    tmp_path: Path, export_data: dict, capsys
) -> None:
    data = _copy(export_data)
    data["compliance"]["otj_done_minutes"] = -5
    path = _write(tmp_path, "alex.json", data)
    assert main(["feedback", "show", str(path)]) != 0
    err = capsys.readouterr().err
    assert "compliance.otj_done_minutes should be between 0" in err
    assert "Traceback" not in err


# --- the cohort -----------------------------------------------------------------------


@pytest.fixture
def cohort(tmp_path: Path, export_data: dict) -> Path:
    """Alex: 233 hours behind, no review overdue by 2026-11-22. Sam: on the plan, a review
    overdue since 2026-10-01. Old: a version 1 export."""
    folder = tmp_path / "cohort"
    _write(folder, "alex.json", export_data)
    sam = _copy(export_data)
    sam["learner"]["name"] = "Sam Lee"
    sam["compliance"] |= {
        "otj_done_minutes": 19200,
        "otj_gap_minutes": 0,
        "next_review_due": "2026-10-01",
        "review_overdue_days": 0,
    }
    _write(folder, "sam.json", sam)
    old = _version_1(export_data)
    old["learner"]["name"] = "Old Export"
    _write(folder, "old.json", old)
    return folder


def test_the_cohort_shows_otj_behind_and_review_overdue(cohort: Path, capsys) -> None:
    assert main(["cohort", str(cohort)]) == 0
    header, *lines = capsys.readouterr().out.splitlines()
    assert "OTJ behind" in header and "Review overdue" in header and "Changed" in header
    alex = next(line for line in lines if line.startswith("Alex Morgan"))
    sam = next(line for line in lines if line.startswith("Sam Lee"))
    old = next(line for line in lines if line.startswith("Old Export"))
    assert "233 h" in alex and "day" not in alex  # behind; no review overdue
    assert "52 days" in sam and " h " not in sam  # 2026-10-01 to today; on the plan
    assert old.count(NOT_IN_EXPORT) == 2


def test_the_cohort_csv_and_json_have_the_compliance_columns(cohort: Path, capsys) -> None:
    assert main(["cohort", str(cohort), "--csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out.removeprefix("\ufeff"))))
    by_name = {r["learner"]: r for r in rows}
    assert by_name["Alex Morgan"]["otj_behind_hours"] == "233.0"
    assert by_name["Alex Morgan"]["review_overdue_days"] == "0"
    assert by_name["Sam Lee"]["otj_behind_hours"] == ""
    assert by_name["Sam Lee"]["review_overdue_days"] == "52"
    assert by_name["Alex Morgan"]["changed_since_decision"] == "0"
    assert main(["cohort", str(cohort), "--json"]) == 0
    data = {r["learner"]: r for r in json.loads(capsys.readouterr().out)["cohort"]}
    assert data["Alex Morgan"]["otj_behind_hours"] == 233.0
    assert data["Alex Morgan"]["compliance"]["otj_gap_minutes"] == 233 * 60
    assert data["Sam Lee"]["otj_behind_hours"] == 0.0
    assert data["Sam Lee"]["review_overdue_days"] == 52
    assert data["Old Export"]["review_overdue_days"] is None


@pytest.mark.parametrize(
    ("sort", "reverse", "order"),
    [
        ("otj_behind", False, ["Sam Lee", "Alex Morgan", "Old Export"]),
        ("otj_behind", True, ["Alex Morgan", "Sam Lee", "Old Export"]),
        ("review_overdue", True, ["Sam Lee", "Alex Morgan", "Old Export"]),
        ("review_overdue", False, ["Alex Morgan", "Sam Lee", "Old Export"]),
    ],
)
def test_the_cohort_sorts_by_the_compliance_columns(
    cohort: Path, capsys, sort: str, reverse: bool, order: list[str]
) -> None:
    argv = ["cohort", str(cohort), "--json", "--sort", sort] + (["--reverse"] if reverse else [])
    assert main(argv) == 0
    assert [r["learner"] for r in json.loads(capsys.readouterr().out)["cohort"]] == order


def test_review_overdue_is_counted_to_today_until_the_gateway(
    cohort: Path, export_data: dict
) -> None:
    alex = cohort / "alex.json"
    (row,) = load_cohort([alex], today=dt.date(2027, 3, 10)).rows
    assert row.review_overdue == 10  # due 2027-02-28
    (row,) = load_cohort([alex], today=dt.date(2027, 3, 20)).rows
    assert row.review_overdue == 0  # the planned gateway (2027-03-15) has passed


# --- changed since your decision -----------------------------------------------------------


def _export(root: Path, out: Path) -> Path:
    assert main(["export", "progress", str(root), "--out", str(out)]) == 0
    return out


def _change(root: Path, words: str) -> None:
    note = root / TAGGED
    note.write_text(note.read_text(encoding="utf-8") + f"\n{words}\n", encoding="utf-8")


def _changed(folder: Path, capsys) -> dict[str, list[str]]:
    capsys.readouterr()
    assert main(["cohort", str(folder), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)["cohort"]
    return {Path(r["file"]).name: r["decisions"]["changed_since_decision"] for r in rows}


def test_a_changed_note_shows_as_changed_since_the_decision(tmp_path: Path, capsys) -> None:
    root = copy_example(tmp_path / "example")
    folder = tmp_path / "cohort"
    folder.mkdir()
    first = _export(root, folder / "alex-1.json")
    for ac, decision in (("700/1.1", "pass"), ("700/1.3", "referral")):
        assert main(["feedback", "record", str(first), "--ac", ac, "--decision", decision]) == 0
    saved = json.loads(feedback_path(first).read_text(encoding="utf-8"))
    assert len(saved["criteria"]["700/1.1"]["evidence_sha256"]) == 64
    assert _changed(folder, capsys) == {"alex-1.json": []}

    _change(root, "A further paragraph added after the tutor's decision.")
    with clock.fixed_clock(NOON + dt.timedelta(days=7)):  # a week later
        second = _export(root, folder / "alex-2.json")
    # the decisions are carried over to the newer export, and the changed AC is named
    assert _changed(folder, capsys) == {"alex-1.json": [], "alex-2.json": ["700/1.1"]}
    assert main(["cohort", str(folder)]) == 0
    header, older, newer = capsys.readouterr().out.splitlines()  # sorted by name, then file
    changed_at = header.index("Changed")
    assert (older[changed_at], newer[changed_at]) == (" ", "1")
    export = read_progress_export(second)
    file = open_feedback(export)
    assert file.carried_from == feedback_path(first) and file.fingerprint is None
    assert file.feedback.on("700/1.3").decision == "referral"
    markdown = criterion_review_markdown(export, "700/1.1", file.feedback)
    assert CHANGED in markdown.splitlines()[1]
    assert CHANGED not in criterion_review_markdown(export, "700/1.3", file.feedback)

    # a new decision on the newer export clears it, and is written beside that export
    assert main(["feedback", "record", str(second), "--ac", "700/1.1", "--decision", "pass"]) == 0
    assert feedback_path(second).exists()
    assert _changed(folder, capsys) == {"alex-1.json": [], "alex-2.json": []}
    again = open_feedback(read_progress_export(second)).feedback
    assert again.on("700/1.3").decision == "referral"  # carried, then saved with the new one


def test_an_export_replaced_under_the_same_name_shows_the_change(tmp_path: Path, capsys) -> None:
    root = copy_example(tmp_path / "example")
    folder = tmp_path / "cohort"
    folder.mkdir()
    export = _export(root, folder / "alex.json")
    assert main(["feedback", "record", str(export), "--ac", "700/1.1", "--decision", "pass"]) == 0
    _change(root, "Changed.")
    _export(root, export)
    assert _changed(folder, capsys) == {"alex.json": ["700/1.1"]}
    # feedback text alone does not confirm the decision; a decision does
    assert main(["feedback", "record", str(export), "--ac", "700/1.1", "--text", "Looked"]) == 0
    assert _changed(folder, capsys) == {"alex.json": ["700/1.1"]}
    assert main(["feedback", "record", str(export), "--ac", "700/1.1", "--decision", "pass"]) == 0
    assert _changed(folder, capsys) == {"alex.json": []}


def test_fingerprints_hash_content_not_times_or_places(tmp_path: Path, content) -> None:
    root = copy_example(tmp_path / "example")
    before = _document(root, content)["evidence_sha256"]
    moved = tmp_path / "elsewhere" / "portfolio"
    shutil.copytree(root, moved)  # new paths, new times, the same evidence
    for path in moved.rglob("*.md"):
        path.touch()
    assert _document(moved, content)["evidence_sha256"] == before
    assert main(["tag", str(moved / TAGGED), "700/2.1"]) == 0  # tagged to another AC too
    after = _document(moved, content)["evidence_sha256"]
    assert after["700/1.1"] == before["700/1.1"]
    assert after["700/2.1"] != before["700/2.1"]
    _change(moved, "New words.")
    assert _document(moved, content)["evidence_sha256"]["700/1.1"] != before["700/1.1"]


def test_a_changed_evidence_file_changes_its_cards_fingerprint(tmp_path: Path, content) -> None:
    root = copy_example(tmp_path / "example")
    before = _document(root, content)["evidence_sha256"]
    pdf = root / "files" / "sensor-pilot-interim-evaluation.pdf"
    pdf.write_bytes(pdf.read_bytes() + b"\n% a byte more\n")
    after = _document(root, content)["evidence_sha256"]
    assert after["705/2.1"] != before["705/2.1"]
    assert after["700/1.1"] == before["700/1.1"]


def test_a_decision_made_without_fingerprints_is_never_called_changed(
    tmp_path: Path, export_data: dict
) -> None:
    path = _write(tmp_path, "alex.json", export_data)
    export = read_progress_export(path)
    file = open_feedback(export)
    file.feedback.record("700/1.1", PASS, None, TODAY)  # as an earlier version recorded it
    save_feedback(file)
    assert (
        "evidence_sha256" not in json.loads(feedback_path(path).read_text())["criteria"]["700/1.1"]
    )
    assert changed_since_decision(open_feedback(export).feedback, export) == []
