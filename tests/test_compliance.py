"""Funding compliance and evidence fingerprints in the progress export."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from companion import clock
from companion.assessment.status import build_status
from companion.cli.main import main
from companion.content.load import load_content
from companion.exports.progress import progress_document, write_progress
from companion.portfolio.example import copy_example
from companion.portfolio.portfolio import Portfolio
from companion.review.progress_file import ExportFileError, read_progress_export

TODAY = dt.date(2026, 11, 22)
NOON = dt.datetime(2026, 11, 22, 12, tzinfo=dt.UTC)


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
