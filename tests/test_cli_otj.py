"""The OTJ and review commands: output, exit statuses, one-line refusals, and a sign-off round trip."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import docx
import pytest
import yaml
from test_gateway import TODAY, ready_portfolio

from companion import clock
from companion.cli.main import main
from companion.content.load import load_content


@pytest.fixture(scope="module")
def content():
    return load_content()


@pytest.fixture(autouse=True)
def _today():
    with clock.fixed_clock(TODAY):
        yield


@pytest.fixture
def root(tmp_path: Path, content) -> Path:
    folder = ready_portfolio(tmp_path / "p", content, employer_statement=False)
    profile = folder / "companion.yaml"
    data = yaml.safe_load(profile.read_text())
    data |= {"line_manager": "Jo Smith", "tutor": "Priya Patel"}
    profile.write_text(yaml.safe_dump(data))
    return folder


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_otj_prints_the_summary_the_chart_and_the_log(root: Path, capsys) -> None:
    code, out, err = _run(capsys, "otj", str(root))
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "Off-the-job training to 2026-11-22: 200 hours"
    assert lines[1] == (
        "Planned to date: 160 hours   Required in total: 200 hours   Gap: 40 ahead of the plan"
    )
    assert "By month:" in lines
    assert any(line.startswith("2025-09 ") and line.endswith(" 20") for line in lines)
    assert lines[-1].startswith("  40  2026-06-08       5  training") and lines[-1].endswith(
        "Workshop 39"
    )


def test_otj_json_and_csv(root: Path, capsys) -> None:
    code, out, _ = _run(capsys, "otj", "show", str(root), "--json")
    data = json.loads(out)
    assert code == 0
    assert data["done"] == {"hours": 200.0, "minutes": 12000}
    assert data["required"] == {"hours": 200.0, "minutes": 12000}
    assert data["rule"]["id"] == "otj-minimum-published-per-standard"
    assert len(data["entries"]) == 40 and data["entries"][0]["running_total"]["minutes"] == 300
    code, out, _ = _run(capsys, "otj", str(root), "--csv")
    assert out.startswith("\ufeff")  # the byte-order mark Excel needs to read UTF-8
    rows = list(csv.reader(io.StringIO(out.removeprefix("\ufeff"))))
    assert rows[0][:4] == ["entry", "date", "hours", "h:mm"]
    assert rows[1][:5] == ["1", "2025-09-08", "5", "5:00", "300"]
    assert rows[-1][-1] == "200"


def test_otj_add_then_edit(root: Path, capsys) -> None:
    code, out, err = _run(
        capsys,
        "otj",
        "add",
        str(root),
        "--date",
        "2026-11-20",
        "--hours",
        "3:30",
        "--activity",
        "Strategic finance workshop",
        "--kind",
        "Training",
        "--ksb",
        "k1 S9",
        "--evidence",
        "notes/e001.md",
    )
    assert (code, err) == (0, "")
    assert (
        out
        == "added entry 41 (2026-11-20, 3.5 hours) in otj.yaml; 203.5 hours logged of 200 required\n"
    )
    text = (root / "otj.yaml").read_text()
    assert text.endswith(
        "- date: 2026-11-20\n  hours: 3.5\n  kind: training\n  activity: Strategic finance "
        "workshop\n  ksbs: [K1, S9]\n  evidence: notes/e001.md\n"
    )
    code, out, _ = _run(capsys, "otj", "edit", str(root), "41", "--hours", "1:20")
    assert code == 0 and out.startswith("changed entry 41 (2026-11-20, 1.33 hours)")
    assert '  hours: "1:20"\n  kind: training\n  activity: Strategic finance workshop\n' in (
        (root / "otj.yaml").read_text()
    )


def test_otj_add_warns_about_an_implausible_entry(root: Path, capsys) -> None:
    code, _, err = _run(
        capsys,
        "otj",
        "add",
        str(root),
        "--date",
        "2026-11-20",
        "--hours",
        "2",
        "--activity",
        "Functional skills maths",
        "--kind",
        "training",
    )
    assert code == 0
    assert err.startswith("error: Entry 41 reads as English or maths")


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            ["--hours", "1.33"],
            "companion: not added: hours '1.33' is 79.8 minutes, not a whole number; write it as h:mm (e.g. 1:20)\n",
        ),
        (
            ["--hours", "2", "--ksb", "K99"],
            "companion: not added: 'K99' is not a KSB of the standard\n",
        ),
        (
            ["--hours", "2", "--date", "2026-02-30"],
            "companion: not added: date '2026-02-30' is not a date like 2026-03-02\n",
        ),
        (
            ["--hours", "2", "--evidence", "notes/nope.md"],
            "companion: --evidence notes/nope.md: not a note in the portfolio\n",
        ),
    ],
)
def test_bad_input_is_refused_in_one_line_with_status_2(root: Path, capsys, extra, message) -> None:
    before = (root / "otj.yaml").read_bytes()
    args = [
        "otj",
        "add",
        str(root),
        "--date",
        "2026-11-20",
        "--activity",
        "A",
        "--kind",
        "training",
    ]
    if "--date" in extra:
        args = ["otj", "add", str(root), "--activity", "A", "--kind", "training"]
    code, out, err = _run(capsys, *args, *extra)
    assert (code, out, err) == (2, "", message)
    assert (root / "otj.yaml").read_bytes() == before


def test_a_log_that_cannot_be_added_to_is_refused_with_status_1(
    root: Path, capsys, tmp_path
) -> None:
    log = root / "otj.yaml"
    log.write_text("- date: 2026-01-05\n  hours: [1\n")
    args = [
        "otj",
        "add",
        str(root),
        "--date",
        "2026-11-20",
        "--hours",
        "2",
        "--activity",
        "A",
        "--kind",
        "training",
    ]
    code, _, err = _run(capsys, *args)
    assert code == 1 and err.startswith("companion: not added: otj.yaml cannot be read as a log")
    assert err.count("\n") == 1 and "Traceback" not in err
    code, out, err = _run(capsys, "otj", str(root))
    assert code == 1 and "ERROR otj.yaml:3: not valid YAML" in out
    real = tmp_path / "real.yaml"
    log.rename(real)
    os.symlink(real, log)
    code, _, err = _run(capsys, *args)
    assert code == 1 and "symbolic link" in err


def test_reviews_new_and_show(root: Path, capsys) -> None:
    code, out, _ = _run(capsys, "reviews", "new", str(root), "--date", "2026-11-20")
    path = root / "reviews" / "2026-11-20-progress-review.md"
    assert code == 0 and out == f"wrote {path}\n"
    head = yaml.safe_load(path.read_text().split("---")[1])
    assert head["units"]["700"] == "12/12 ACs sufficient, 0 in progress"
    assert head["otj"] == {"hours_to_date": 200, "planned_to_date": 159.28, "required": 200}
    assert head["attendees"]["employer"] == "Jo Smith"
    code, _, err = _run(capsys, "reviews", "new", str(root), "--date", "2026-11-20")
    assert code == 1 and "already exists" in err
    code, out, _ = _run(capsys, "reviews", str(root))
    assert out.splitlines()[0] == (
        "Next progress review due by 2027-02-28, in 98 days (every 3 calendar months; last on "
        "2026-11-20)."
    )
    code, out, _ = _run(capsys, "reviews", str(root), "--json")
    assert json.loads(out)["next_due"] == "2027-02-28"


def test_the_review_pack_round_trips_a_sign_off(root: Path, capsys, tmp_path: Path) -> None:
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    pack = out_dir / "review.docx"
    code, out, err = _run(
        capsys, "review-pack", str(root), "--out", str(pack), "--date", "2026-11-20"
    )
    signoff = out_dir / "review.signoff.yaml"
    page = out_dir / "review.sign.html"
    assert code == 0, err
    assert out == (
        f"wrote {pack}\nwrote {signoff} (to be signed, then imported)\n"
        f"wrote {page} (open it in a browser to sign)\n"
    )
    document = docx.Document(str(pack))
    titles = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "Off-the-job training since the last review" in titles
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert "OTJ hours to date" in cells and "200 hours" in cells
    assert "Employer or line manager" in cells

    # The meeting: everyone signs, and the employer confirms the portfolio.
    text = signoff.read_text()
    assert "learner: Alex Morgan\nreview_date: 2026-11-20\n" in text
    data = yaml.safe_load(text)
    assert data["parties"]["employer"]["name"] == "Jo Smith"
    for party, day in (
        ("apprentice", "2026-11-20"),
        ("employer", "2026-11-21"),
        ("provider", "2026-11-21"),
    ):
        data["parties"][party] |= {"date": day, "signed": True}
    data["employer_statement"] |= {"confirmed": True, "date": "2026-11-21"}
    signoff.write_text(yaml.safe_dump(data))

    # Gateway blocks on the employer's statement until the signed file is imported.
    assert _run(capsys, "gateway", str(root))[0] == 1
    code, out, err = _run(capsys, "signoff", "import", str(signoff), str(root))
    assert code == 0, err
    kept = root / "reviews" / "signoff" / "2026-11-20.signoff.yaml"
    assert out == (
        f"imported: {kept} (signed by apprentice, employer, provider; employer's statement "
        "confirmed)\n"
    )
    code, out, _ = _run(capsys, "gateway", str(root), "--json")
    items = {i["id"]: i for i in json.loads(out)["items"]}
    assert code == 0
    assert items["employer-statement"]["state"] == "pass"
    assert items["employer-statement"]["reason"] == (
        "Signed by Jo Smith on 2026-11-21 (2026-11-20.signoff.yaml)."
    )
    # A pack written again never replaces a sign-off already signed.
    code, _, err = _run(capsys, "review-pack", str(root), "--out", str(pack))
    assert code == 2 and "is already signed" in err


def test_a_sign_off_for_another_learner_is_refused(root: Path, capsys, tmp_path: Path) -> None:
    pack = tmp_path / "review.md"
    assert _run(capsys, "review-pack", str(root), "--out", str(pack))[0] == 0
    signoff = tmp_path / "review.signoff.yaml"
    data = yaml.safe_load(signoff.read_text())
    data["learner"] = "Sam Lee"
    data["parties"]["apprentice"] |= {"name": "Sam Lee", "date": "2026-11-22", "signed": True}
    signoff.write_text(yaml.safe_dump(data))
    code, out, err = _run(capsys, "signoff", "import", str(signoff), str(root))
    assert (code, out) == (2, "")
    assert err == (
        "companion: review.signoff.yaml is a sign-off for 'Sam Lee', but this portfolio is "
        "Alex Morgan's; nothing was imported\n"
    )


def test_a_review_pack_is_not_written_into_the_portfolio_as_a_note(root: Path, capsys) -> None:
    code, _, err = _run(capsys, "review-pack", str(root), "--out", str(root / "pack.md"))
    assert code == 2 and "would be read as a note" in err
    code, _, err = _run(capsys, "review-pack", str(root), "--out", str(root.parent / "p.xlsx"))
    assert code == 2 and "a review pack is written as docx, pdf, md, html" in err


def test_a_review_pack_never_replaces_a_file_of_the_learners(root: Path, capsys) -> None:
    mine = root / "reviews" / "my-notes.docx"
    mine.parent.mkdir(exist_ok=True)
    mine.write_bytes(b"the learner's own notes for the review")
    code, _, err = _run(capsys, "review-pack", str(root), "--out", str(mine))
    assert code == 2 and f"{mine} is a file of yours in the portfolio" in err
    assert mine.read_bytes() == b"the learner's own notes for the review"
    assert not (root / "reviews" / "my-notes.signoff.yaml").exists()
    pack = root / "reviews" / "pack.docx"  # the pack and its sign-off written there twice
    assert _run(capsys, "review-pack", str(root), "--out", str(pack))[0] == 0
    assert _run(capsys, "review-pack", str(root), "--out", str(pack))[0] == 0
    assert (root / "reviews" / "pack.signoff.yaml").exists()


def test_signoff_import_checks_the_pack_beside_it(root: Path, capsys, tmp_path: Path) -> None:
    pack = tmp_path / "review.md"
    assert _run(capsys, "review-pack", str(root), "--out", str(pack))[0] == 0
    signoff = tmp_path / "review.signoff.yaml"
    data = yaml.safe_load(signoff.read_text())
    data["parties"]["employer"] |= {"date": "2026-11-22", "signed": True}
    signoff.write_text(yaml.safe_dump(data))
    pack.write_text(pack.read_text() + "\nA line added after the meeting.\n")
    code, out, err = _run(capsys, "signoff", "import", str(signoff), str(root))
    assert (code, out) == (2, "")
    assert err == (
        "companion: review.signoff.yaml: the pack review.md was changed after it was signed "
        "(its SHA-256 differs)\n"
    )
    assert not (root / "reviews" / "signoff").exists()


def test_a_hand_written_sign_off_without_a_pack_needs_no_pack(
    root: Path, capsys, tmp_path: Path
) -> None:
    signoff = tmp_path / "old.signoff.yaml"
    signoff.write_text(
        "schema: companion.signoff/1\nlearner: Alex Morgan\nreview_date: 2026-10-30\nparties:\n"
        "  employer: {name: Jo Smith, date: 2026-10-31, signed: true}\n"
    )
    code, _, err = _run(capsys, "signoff", "import", str(signoff), str(root))
    assert code == 2 and "does not name the pack it signs" in err and "--no-pack" in err
    code, out, err = _run(capsys, "signoff", "import", str(signoff), str(root), "--no-pack")
    assert code == 0, err
    assert out.startswith("imported: ") and "(signed by employer)" in out


CAVEAT = "(2026 to 2027 rules: not confirmed; the 2025 to 2026 value is shown)"


def _start_in_2026_27(root: Path) -> None:
    profile = root / "companion.yaml"
    data = yaml.safe_load(profile.read_text())
    data |= {"programme_start": "2026-08-03", "planned_gateway": "2027-08-02"}
    profile.write_text(yaml.safe_dump(data))


def test_a_2026_27_start_is_told_the_values_shown_are_not_confirmed(root: Path, capsys) -> None:
    _start_in_2026_27(root)
    _, out, _ = _run(capsys, "otj", str(root))
    rule_line = next(line for line in out.splitlines() if line.startswith("Rule: "))
    assert rule_line.endswith(CAVEAT)
    _, out, _ = _run(capsys, "reviews", str(root))
    assert CAVEAT in out.splitlines()[0]
    assert "Interval from: " in out and out.count(CAVEAT) == 2
    _, out, _ = _run(capsys, "otj", "show", str(root), "--json")
    assert json.loads(out)["rule"]["confirmed"] is False


def test_a_2025_26_start_sees_no_caveat_and_the_old_words(root: Path, capsys) -> None:
    _, out, _ = _run(capsys, "otj", str(root))
    assert "not confirmed" not in out
    _, out, _ = _run(capsys, "gateway", str(root))
    assert "gateway to completion" not in out


def test_a_2026_27_start_sees_the_reformed_words_beside_gateway(root: Path, capsys) -> None:
    _start_in_2026_27(root)
    _, out, _ = _run(capsys, "gateway", str(root))
    lines = out.splitlines()
    assert lines[0] == "Gateway (gateway to completion)"
    assert lines[-1].endswith("block gateway (gateway to completion)") or lines[-1] == (
        "ready for gateway (gateway to completion)"
    )


def test_otj_refuses_a_date_in_the_future_when_adding_and_editing(root: Path, capsys) -> None:
    log = root / "otj.yaml"
    before = log.read_bytes()
    args = ["--hours", "2", "--activity", "Reading", "--kind", "training"]
    code, out, err = _run(capsys, "otj", "add", str(root), "--date", "2026-11-23", *args)
    assert (code, out) == (2, "")
    assert err == (
        "companion: not added: 2026-11-23 is in the future (today is 2026-11-22): "
        "log off-the-job training once it has happened\n"
    )
    code, _, err = _run(capsys, "otj", "edit", str(root), "1", "--date", "2027-01-05")
    assert code == 2 and "not changed: 2027-01-05 is in the future" in err
    assert log.read_bytes() == before
    code, _, err = _run(capsys, "otj", "add", str(root), "--date", "2026-11-22", *args)
    assert code == 0, err  # today is not the future


def test_otj_delete_removes_one_entry_and_keeps_every_other_byte(root: Path, capsys) -> None:
    log = root / "otj.yaml"
    lines = log.read_text().splitlines(keepends=True)
    code, out, err = _run(capsys, "otj", "delete", str(root), "2")
    assert code == 0, err
    assert out.startswith("deleted entry 2 (") and "hours logged" in out
    starts = [i for i, line in enumerate(lines) if line.startswith("- date:")]
    assert log.read_text() == "".join(lines[: starts[1]] + lines[starts[2] :])
    code, _, err = _run(capsys, "otj", "delete", str(root), "999")
    assert code == 2 and err == "companion: there is no entry 999 in otj.yaml\n"


def test_otj_delete_refuses_an_entry_holding_a_comment(root: Path, capsys) -> None:
    log = root / "otj.yaml"
    text = log.read_text()
    first = text.index("- date:")
    second = text.index("- date:", first + 1)
    commented = text[:second] + text[second:].replace("\n", "  # agreed with Jo\n", 1)
    log.write_text(commented)
    code, _, err = _run(capsys, "otj", "delete", str(root), "2")
    assert code == 1 and "holds a comment, which deleting it here would lose" in err
    assert log.read_text() == commented
