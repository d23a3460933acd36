"""The tutor's side: reading exports and feedback files others made, the cohort, Results
Sheets and bringing feedback back into the portfolio."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest
from docx import Document
from known import present

from companion.assessment.status import build_status, status_text
from companion.cli.main import main
from companion.content.load import load_content
from companion.exports.progress import progress_document
from companion.portfolio.example import copy_example
from companion.portfolio.portfolio import Portfolio
from companion.portfolio.profile import load_profile
from companion.review import feedback as feedback_module
from companion.review import progress_file
from companion.review.cohort import CohortError, cohort_csv, load_cohort
from companion.review.feedback import (
    PASS,
    REFERRAL,
    FeedbackError,
    feedback_path,
    open_feedback,
    parse_feedback,
    read_feedback,
    save_feedback,
)
from companion.review.feedback_import import import_feedback, portfolio_feedback
from companion.review.progress_file import (
    ExportFileError,
    parse_progress_export,
    read_progress_export,
)
from companion.review.results_sheet import ResultsError, results_document, write_results
from companion.views.criterion import criterion_markdown

HOSTILE = "<script>alert(1)</script> [@click=app.quit]x[/] ![img](http://evil/)"
TODAY = dt.date(2026, 11, 22)


@pytest.fixture(scope="module")
def content():
    return load_content()


@pytest.fixture(scope="module")
def export_data(tmp_path_factory: pytest.TempPathFactory, content) -> dict:
    root = copy_example(tmp_path_factory.mktemp("ex") / "example")
    portfolio = Portfolio(root, content, use_store=False)
    portfolio.scan()
    return progress_document(build_status(portfolio, today=TODAY))


def _write(folder: Path, name: str, data: dict) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.fixture
def export_file(tmp_path: Path, export_data: dict) -> Path:
    return _write(tmp_path / "cohort", "alex.json", export_data)


# --- reading exports -------------------------------------------------------------------


def test_export_reads_back_with_its_figures(export_file: Path, export_data: dict) -> None:
    export = read_progress_export(export_file)
    assert export.learner == "Alex Morgan"
    assert export.summary["sufficient"] == export_data["summary"]["sufficient"]
    assert len(export.criterion_ids()) == 46
    assert export.days_to_gateway(TODAY) == 113  # 2027-03-15, counted from today
    assert present(export.criterion("700/1.1"))["evidence"][0]["ref"] == "E006"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b'{"schema": "companion.progress/1", "learner": {"na', "not valid JSON (truncated"),
        (b'{"schema": "companion.progress/3"}', "Update companion to open it"),
        (b'{"schema": "something/1"}', "not a companion progress export"),
        (b"[1, 2, 3]", "not a companion progress export"),
        (b"\xff\xfe{\x00", "binary file"),
        (b'{"schema": "companion.progress/1", "x": \xe9}', "not UTF-8"),
        (b"[" * 200_000 + b"]" * 200_000, "nested more than 64 levels deep"),
        (b'{"schema": "companion.progress/1", "n": NaN}', "NaN is not allowed"),
    ],
)
def test_bad_exports_say_what_is_wrong(raw: bytes, message: str) -> None:
    with pytest.raises(ExportFileError, match=r"^x\.json: ") as caught:
        parse_progress_export(raw, Path("x.json"))
    assert message in str(caught.value)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["learner"].pop("name"), "learner.name should be text"),
        (lambda d: d["summary"].update(errors="5"), "summary.errors should be a whole number"),
        (lambda d: d["summary"].update(errors=-1), "summary.errors should be a whole number"),
        (
            lambda d: d["units"][2]["criteria"][1].update(status="done"),
            "units[2].criteria[1].status should be one of",
        ),
        (
            lambda d: d["units"][0]["criteria"][0]["evidence"].append("E1"),
            "units[0].criteria[0].evidence[1] should be an object",
        ),
        (lambda d: d["flags"][0].update(severity="fatal"), "flags[0].severity should be one of"),
        (lambda d: d.update(units={}), "units should be a list"),
        (lambda d: d["notes"][0].update(body=["<script>"]), "notes[0].body should be text"),
        (lambda d: d["notes"][3].pop("path"), "notes[3].path should be text"),
        (lambda d: d.update(notes="all of them"), "notes should be a list"),
    ],
)
def test_wrong_types_are_named_by_their_path(export_data: dict, change, message: str) -> None:
    data = json.loads(json.dumps(export_data))
    change(data)
    with pytest.raises(ExportFileError) as caught:
        parse_progress_export(json.dumps(data).encode(), Path("alex.json"))
    assert message in str(caught.value)


def test_oversized_export_is_refused_before_reading(
    export_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(progress_file, "MAX_EXPORT_BYTES", 1000)
    with pytest.raises(ExportFileError, match="larger than"):
        read_progress_export(export_file)


def test_hostile_text_is_kept_as_text(tmp_path: Path, export_data: dict) -> None:
    data = json.loads(json.dumps(export_data))
    data["learner"]["name"] = HOSTILE
    data["units"][0]["criteria"][0]["evidence"][0]["title"] = HOSTILE
    export = read_progress_export(_write(tmp_path, "h.json", data))
    assert export.learner == HOSTILE
    assert present(export.criterion("700/1.1"))["evidence"][0]["title"] == HOSTILE


# --- feedback files --------------------------------------------------------------------


def test_feedback_round_trip_beside_the_export(export_file: Path) -> None:
    export = read_progress_export(export_file)
    file = open_feedback(export)
    assert file.path == export_file.with_name("alex.feedback.json")
    assert file.fingerprint is None
    file.feedback.assessor = "Dr R. Shah"
    file.feedback.record("700/1.1", PASS, "Two models, both applied.", TODAY)
    file.feedback.record("700/1.3", REFERRAL, "Only GROW is evaluated.\nAdd a second.", TODAY)
    file.feedback.unit_comments["700"] = "Strong start."
    saved = save_feedback(file, now=dt.datetime(2026, 11, 22, 10, 0, tzinfo=dt.UTC))
    data = json.loads(saved.path.read_text(encoding="utf-8"))
    assert data == {
        "schema": "companion.feedback/1",
        "learner": "Alex Morgan",
        "export": {"file": "alex.json", "generated": export.generated, "sha256": export.sha256},
        "assessor": "Dr R. Shah",
        "centre_number": "",
        "centre_name": "",
        "learner_registration": "",
        "updated": "2026-11-22T10:00:00+00:00",
        "criteria": {
            "700/1.1": {
                "decision": "pass",
                "feedback": "Two models, both applied.",
                "date": "2026-11-22",
            },
            "700/1.3": {
                "decision": "referral",
                "feedback": "Only GROW is evaluated.\nAdd a second.",
                "date": "2026-11-22",
            },
        },
        "unit_comments": {"700": "Strong start."},
    }
    again = open_feedback(export)
    assert again.feedback.on("700/1.3").decision == REFERRAL
    assert again.feedback.counts() == {PASS: 1, REFERRAL: 1}
    assert export_file.read_text(encoding="utf-8").startswith('{"schema": "companion.progress/2"')


def test_feedback_save_refuses_a_file_changed_since_it_was_read(export_file: Path) -> None:
    export = read_progress_export(export_file)
    file = save_feedback(open_feedback(export))
    other = open_feedback(export)
    other.feedback.record("700/1.1", PASS, "From another window", TODAY)
    save_feedback(other)
    before = file.path.read_bytes()
    file.feedback.record("700/1.1", REFERRAL, "Stale", TODAY)
    with pytest.raises(FeedbackError, match="changed on disk"):
        save_feedback(file)
    assert file.path.read_bytes() == before


def test_feedback_save_refuses_a_file_that_appeared_meanwhile(export_file: Path) -> None:
    file = open_feedback(read_progress_export(export_file))
    file.path.write_text("{}")
    with pytest.raises(FeedbackError, match="changed on disk"):
        save_feedback(file)
    assert file.path.read_text() == "{}"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"schema": "companion.feedback/9", "learner": "A"}, "Update companion"),
        ({"schema": "companion.feedback/1", "learner": ""}, "learner is empty"),
        ({"schema": "companion.feedback/1", "learner": 3}, "learner should be text"),
        (
            {"schema": "companion.feedback/1", "learner": "A", "criteria": {"999/9.9": {}}},
            "'999/9.9' is not an assessment criterion",
        ),
        (
            {
                "schema": "companion.feedback/1",
                "learner": "A",
                "criteria": {"700/1.1": {"decision": "merit"}},
            },
            "decision should be one of",
        ),
        (
            {
                "schema": "companion.feedback/1",
                "learner": "A",
                "criteria": {"700/1.1": {"decision": "pass", "feedback": "x" * 20_001}},
            },
            "longer than 20,000",
        ),
        (
            {
                "schema": "companion.feedback/1",
                "learner": "A",
                "criteria": {"700/1.1": {"decision": "pass", "date": "yesterday"}},
            },
            "should be a date",
        ),
        ({"schema": "companion.feedback/1", "learner": "A", "criteria": []}, "criteria should map"),
    ],
)
def test_bad_feedback_files_say_what_is_wrong(content, data: dict, message: str) -> None:
    known = {c.id for u in content.units for o in u.outcomes for c in o.criteria}
    with pytest.raises(FeedbackError) as caught:
        parse_feedback(json.dumps(data).encode(), "f.feedback.json", known)
    assert message in str(caught.value)


def test_truncated_and_oversized_feedback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "a.feedback.json"
    path.write_text('{"schema": "companion.feedback/1", "learner": "A", "crit')
    with pytest.raises(FeedbackError, match="truncated"):
        read_feedback(path)
    monkeypatch.setattr(feedback_module, "MAX_FEEDBACK_BYTES", 10)
    with pytest.raises(FeedbackError, match="larger than"):
        read_feedback(path)


def test_unit_decision_follows_appendix_e() -> None:
    fb = feedback_module.Feedback(learner="A")
    acs = ["700/1.1", "700/1.2"]
    assert fb.unit_decision(acs) == "not-assessed"
    fb.record("700/1.1", PASS, "", TODAY)
    assert fb.unit_decision(acs) == "not-assessed"
    fb.record("700/1.2", PASS, "", TODAY)
    assert fb.unit_decision(acs) == PASS
    fb.record("700/1.2", REFERRAL, "", TODAY)
    assert fb.unit_decision(acs) == REFERRAL


# --- cohort ----------------------------------------------------------------------------


def test_cohort_rows_sorting_and_broken_files(tmp_path: Path, export_data: dict) -> None:
    folder = tmp_path / "cohort"
    for name, learner, errors in (("a.json", "Zoe Adams", 0), ("b.json", "Ben Cole", 7)):
        data = json.loads(json.dumps(export_data))
        data["learner"]["name"] = learner
        data["summary"]["errors"] = errors
        _write(folder, name, data)
    (folder / "broken.json").write_text('{"schema": "companion.progress/1"')
    (folder / "sub").mkdir()
    _write(folder / "sub", "c.json", export_data)
    _write(folder / ".hidden", "d.json", export_data)
    calls: list[tuple[int, int]] = []
    cohort = load_cohort([folder], lambda done, total: calls.append((done, total)), today=TODAY)
    assert calls[-1] == (4, 4)
    names = [r.learner for r in cohort.sorted("learner")]
    assert names == ["Alex Morgan", "Ben Cole", "Zoe Adams", ""]
    assert [r.learner for r in cohort.sorted("errors", reverse=True)][:1] == ["Ben Cole"]
    broken = cohort.sorted()[-1]
    assert broken.problem.startswith("broken.json: not valid JSON")
    assert cohort.sorted()[0].days_to_gateway == 113


def test_cohort_counts_decisions_and_neutralises_csv(tmp_path: Path, export_data: dict) -> None:
    data = json.loads(json.dumps(export_data))
    data["learner"]["name"] = "=cmd|' /C calc'!A0"
    path = _write(tmp_path / "c", "x.json", data)
    file = open_feedback(read_progress_export(path))
    file.feedback.record("700/1.1", PASS, "", TODAY)
    save_feedback(file)
    rows = load_cohort([tmp_path / "c"], today=TODAY).sorted()
    assert (rows[0].passed, rows[0].referred) == (1, 0)
    line = cohort_csv(rows).splitlines()[1]
    assert line.startswith("'=cmd|")


def test_cohort_of_nothing(tmp_path: Path) -> None:
    with pytest.raises(CohortError, match="no progress exports"):
        load_cohort([tmp_path])
    with pytest.raises(CohortError, match="no such file"):
        load_cohort([tmp_path / "missing"])


# --- Results Sheets --------------------------------------------------------------------


def _decided(export_file: Path):
    file = open_feedback(read_progress_export(export_file))
    fb = file.feedback
    fb.assessor = "Dr R. Shah"
    fb.centre_number = "123456"
    fb.record("700/1.1", PASS, "Tuckman and Belbin applied to the restructure.", TODAY)
    fb.record("700/1.3", REFERRAL, "Only GROW is evaluated.", TODAY)
    fb.unit_comments["700"] = "Resubmit 1.3."
    return save_feedback(file, now=dt.datetime(2026, 11, 22, 10, 0, tzinfo=dt.UTC))


def test_results_sheet_docx_reads_back_in_appendix_e_layout(
    export_file: Path, tmp_path: Path, content
) -> None:
    fb = _decided(export_file).feedback
    out = tmp_path / "700.docx"
    write_results(results_document(fb, content, ["700"]), "docx", out)
    word = Document(str(out))
    texts = [p.text for p in word.paragraphs]
    assert texts[0] == "Results Sheet: 700 Building a High Performance Team"
    assert "Assessors will award a ‘Pass’ or ‘Referral’ for each AC." in texts
    header = word.tables[0]
    assert [c.text for c in header.rows[0].cells] == ["Centre Number:", "123456"]  # no empty header
    lo1 = word.tables[1]
    assert [c.text for c in lo1.rows[0].cells] == [
        "Assessment Criteria",
        "Assessment Requirement - Pass",
        "Pass/Referral & Assessor feedback",
    ]
    first = [c.text for c in lo1.rows[1].cells]
    assert first[0] == "AC1.1\n\nExplain how to utilise organisational and team dynamics."
    assert first[1] == content.criterion("700/1.1").sufficiency
    assert first[2] == "Pass\n\nTuckman and Belbin applied to the restructure."
    referral = lo1.rows[3].cells[2]
    assert referral.text == "Referral\n\nOnly GROW is evaluated."
    runs = referral.paragraphs[0].runs
    assert [(r.text, bool(r.bold)) for r in runs] == [
        ("Referral", True),
        ("\n\nOnly GROW is evaluated.", False),
    ]
    assert not any(r.bold for r in lo1.rows[1].cells[2].paragraphs[0].runs)  # a Pass is plain
    decision = word.tables[-1]
    rows = {r.cells[0].text: r.cells[1].text for r in decision.rows}
    assert rows["Assessor’s comments (optional):"] == "Resubmit 1.3."
    assert rows["Assessor’s Decision:"] == "REFERRAL"
    assert rows["Date:"] == "22 November 2026"


def test_results_sheet_markdown_and_cli(export_file: Path, tmp_path: Path, content) -> None:
    saved = _decided(export_file)
    out = tmp_path / "all.md"
    assert main(["export", "results", str(saved.path), "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Results Sheet: 700 Building a High Performance Team")
    titles = [line for line in text.splitlines() if line.startswith("# Results Sheet: ")]
    assert [t.split()[3] for t in titles] == ["700", "701", "702", "703", "704", "705", "706"]
    assert text.count("| Centre Number: | 123456 |") == 7  # each sheet has its learner block
    assert "| **Referral**<br><br>Only GROW is evaluated. |" in text
    with pytest.raises(ResultsError, match="no unit 799"):
        results_document(saved.feedback, content, ["799"])
    assert main(["export", "results", str(export_file), "--out", str(out)]) == 2


def test_results_sheets_as_pdf_start_each_unit_on_its_own_pages(
    export_file: Path, tmp_path: Path
) -> None:
    from pypdf import PdfReader

    saved = _decided(export_file)
    out = tmp_path / "all.pdf"
    assert main(["export", "results", str(saved.path), "--out", str(out)]) == 0
    pages = [page.extract_text() for page in PdfReader(out).pages]
    # each unit's first page carries its own title block, and every page its unit's header
    firsts = [
        next(n for n, text in enumerate(pages) if text.startswith(f"Results Sheet: {unit}"))
        for unit in ("700", "701", "702", "703", "704", "705", "706")
    ]
    assert firsts == sorted(firsts) and firsts[0] == 0 and len(set(firsts)) == 7
    assert all("Centre Number" in pages[n] for n in firsts)
    assert all(text.startswith("Results Sheet: ") for text in pages)  # every page headed


# --- the apprentice imports the feedback -----------------------------------------------


@pytest.fixture
def example(tmp_path: Path) -> Path:
    return copy_example(tmp_path / "portfolio")


def test_import_keeps_a_normalised_copy_named_by_date(
    export_file: Path, example: Path, content
) -> None:
    saved = _decided(export_file)
    profile = load_profile(example)
    result = import_feedback(saved.path, example, content, profile)
    assert result.outcome == "added"
    stamp = dt.datetime.fromisoformat(saved.feedback.export_generated).strftime("%Y-%m-%d-%H%M%S")
    assert result.path == example / "feedback" / f"{stamp}.feedback.json"
    assert import_feedback(saved.path, example, content, profile).outcome == "unchanged"
    current = portfolio_feedback(example, content).current
    assert current is not None and current.on("700/1.3").decision == REFERRAL
    p = Portfolio(example, content, use_store=False)
    p.scan()
    status = build_status(p, today=TODAY)
    assert (
        "Tutor feedback from Dr R. Shah (2026-11-22): 1 Pass, 1 Referral, 44 not yet assessed"
        in status_text(status)
    )
    pane = criterion_markdown(
        content, status.progress.criteria["700/1.3"], current.on("700/1.3"), current.assessor
    )
    assert "## Tutor feedback\n**Referral** by Dr R. Shah · 2026-11-22" in pane
    assert "Only GROW is evaluated." in pane


def test_import_refuses_another_learners_feedback(
    export_file: Path, example: Path, content
) -> None:
    saved = _decided(export_file)
    data = json.loads(saved.path.read_text())
    data["learner"] = "Someone Else"
    other = saved.path.with_name("other.feedback.json")
    other.write_text(json.dumps(data))
    profile = load_profile(example)
    with pytest.raises(FeedbackError, match="feedback for 'Someone Else'"):
        import_feedback(other, example, content, profile)
    assert not (example / "feedback").exists()
    assert import_feedback(other, example, content, profile, force=True).outcome == "added"


def test_import_ignores_names_inside_the_file(export_file: Path, example: Path, content) -> None:
    saved = _decided(export_file)
    data = json.loads(saved.path.read_text())
    data["export"]["file"] = "../../../etc/passwd"
    data["export"]["generated"] = "../../escape"
    hostile = saved.path.with_name("h.feedback.json")
    hostile.write_text(json.dumps(data))
    result = import_feedback(hostile, example, content, load_profile(example))
    assert result.path.parent == example / "feedback"
    assert ".." not in result.path.name


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_import_refuses_a_feedback_folder_pointing_outside(
    export_file: Path, example: Path, content, tmp_path: Path
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (example / "feedback").symlink_to(outside)
    with pytest.raises(FeedbackError, match="points outside the portfolio"):
        import_feedback(_decided(export_file).path, example, content, load_profile(example))
    assert list(outside.iterdir()) == []


def test_import_refuses_older_feedback_on_the_same_export(
    export_file: Path, example: Path, content
) -> None:
    saved = _decided(export_file)
    profile = load_profile(example)
    import_feedback(saved.path, example, content, profile)
    data = json.loads(saved.path.read_text())
    data["updated"] = "2000-01-01T00:00:00+00:00"
    old = saved.path.with_name("old.feedback.json")
    old.write_text(json.dumps(data))
    with pytest.raises(FeedbackError, match="already holds newer feedback"):
        import_feedback(old, example, content, profile)


def test_a_broken_imported_file_is_reported_not_fatal(example: Path, content) -> None:
    (example / "feedback").mkdir()
    (example / "feedback" / "x.feedback.json").write_bytes(b"\x00\x01garbage")
    result = portfolio_feedback(example, content)
    assert result.current is None
    assert result.problems and "x.feedback.json" in result.problems[0]


# --- the CLI ---------------------------------------------------------------------------


def test_cli_cohort_record_show_import(
    export_file: Path, example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = export_file.parent
    (folder / "junk.json").write_text("not json")
    assert main(["cohort", str(folder), "--json", "--sort", "errors"]) == 0
    rows = json.loads(capsys.readouterr().out)["cohort"]
    assert [r["learner"] for r in rows] == ["Alex Morgan", ""]
    assert "junk.json: not valid JSON" in rows[1]["problem"]
    assert (
        main(
            [
                "feedback",
                "record",
                str(export_file),
                "--ac",
                "700/1.1",
                "--ac",
                "700/1.2",
                "--decision",
                "pass",
                "--text",
                "Good.\\nWell linked.",
                "--assessor",
                "Dr R. Shah",
            ]
        )
        == 0
    )
    assert (
        main(["feedback", "record", str(export_file), "--ac", "799/1.1", "--decision", "pass"]) == 2
    )
    assert "'799/1.1' is not an AC" in capsys.readouterr().err
    assert main(["feedback", "show", str(export_file)]) == 0
    out = capsys.readouterr().out
    assert "2 Pass, 0 Referral" in out
    assert "700/1.1  Pass  " in out and "    Well linked." in out
    assert main(["feedback", "import", str(feedback_path(export_file)), str(example)]) == 0
    assert "imported:" in capsys.readouterr().out
    assert main(["cohort", str(folder)]) == 0
    assert "2 Pass, 0 Referral" in capsys.readouterr().out
