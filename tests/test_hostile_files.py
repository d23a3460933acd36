"""Other people's files: no write goes through a link or outside its folder, no crash loses a
decision, no name runs away, and the app's own files recover from damage."""

from __future__ import annotations

import copy
import json
import os
import time
from pathlib import Path

import pytest
from cli_support import RunCli
from known import present
from pilot_support import wait_for

from companion.content.load import load_content
from companion.files import UnsafeWrite, atomic_write, remove_stale_temp_files
from companion.portfolio.example import copy_example
from companion.portfolio.portfolio import Portfolio
from companion.review.feedback import FeedbackError, open_feedback, save_feedback
from companion.review.feedback_import import import_feedback
from companion.review.progress_file import ExportFileError, read_progress_export


@pytest.fixture(scope="module")
def export_data(tmp_path_factory: pytest.TempPathFactory) -> dict:
    from companion.assessment.status import build_status
    from companion.exports.progress import progress_document

    root = copy_example(tmp_path_factory.mktemp("ex") / "example")
    portfolio = Portfolio(root, load_content(), use_store=False)
    portfolio.scan()
    return progress_document(build_status(portfolio))


def _export(folder: Path, data: dict, name: str = "alex.json") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


# --- writes that would follow a link out of the folder -----------------------------------


def test_atomic_write_refuses_links_folders_outside_and_leaves_no_temp(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    folder = tmp_path / "cohort"
    folder.mkdir()
    link = folder / "alex.results.docx"
    link.symlink_to(victim)
    with pytest.raises(UnsafeWrite, match="is a symbolic link"):
        atomic_write(link, b"overwritten")
    outside = folder / "sub"
    outside.symlink_to(tmp_path, target_is_directory=True)
    with pytest.raises(UnsafeWrite, match="outside"):
        atomic_write(outside / "x.docx", b"x", within=folder)
    assert victim.read_text() == "precious"
    assert sorted(p.name for p in folder.iterdir()) == ["alex.results.docx", "sub"]


def test_results_sheets_through_a_link_are_refused(
    tmp_path: Path, export_data: dict, run_cli: RunCli
) -> None:
    export = _export(tmp_path / "cohort", export_data)
    file = open_feedback(read_progress_export(export))
    file.feedback.record("700/1.1", "pass", "Good.", __import__("datetime").date(2026, 11, 1))
    save_feedback(file)
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    out = tmp_path / "cohort" / "alex.results.docx"
    out.symlink_to(victim)
    feedback = tmp_path / "cohort" / "alex.feedback.json"
    code, _, err = run_cli("export", "results", str(feedback), "--out", str(out))
    assert code == 1 and "is a symbolic link" in err
    assert victim.read_text() == "precious"


def test_a_feedback_file_that_is_a_link_is_not_written_through(
    tmp_path: Path, export_data: dict
) -> None:
    export = _export(tmp_path / "cohort", export_data)
    victim = tmp_path / "victim.json"
    victim.write_text("{}")
    (tmp_path / "cohort" / "alex.feedback.json").symlink_to(victim)
    with pytest.raises(FeedbackError):
        file = open_feedback(read_progress_export(export))
        save_feedback(file)
    assert victim.read_text() == "{}"


def test_an_imported_feedback_target_that_is_a_link_is_refused(
    tmp_path: Path, export_data: dict
) -> None:
    export = _export(tmp_path / "cohort", export_data)
    file = open_feedback(read_progress_export(export))
    file.feedback.record("700/1.1", "pass", "Good.", __import__("datetime").date(2026, 11, 1))
    saved = save_feedback(file)
    root = copy_example(tmp_path / "mine")
    portfolio = Portfolio(root, use_store=False)
    first = import_feedback(saved.path, root, portfolio.content, portfolio.profile)
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    first.path.unlink()
    first.path.symlink_to(victim)
    with pytest.raises(FeedbackError):
        import_feedback(saved.path, root, portfolio.content, portfolio.profile)
    assert victim.read_text() == "precious"


def test_an_export_with_its_default_name_is_not_written_through_a_link(
    tmp_path: Path, run_cli: RunCli
) -> None:
    root = copy_example(tmp_path / "example")
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    exports = tmp_path / "example-exports"
    exports.mkdir()
    (exports / "alex-morgan-matrix.md").symlink_to(victim)
    code, _, err = run_cli(
        "export", "matrix", str(root), "--out", str(exports / "alex-morgan-matrix.md")
    )
    assert code == 1 and "is a symbolic link" in err
    assert victim.read_text() == "precious"


# --- crashes that lose work ----------------------------------------------------------------


async def test_a_control_character_in_a_name_does_not_crash_the_results_sheet(
    tmp_path: Path, export_data: dict
) -> None:
    """Pressing R used to raise ValueError from the DOCX writer and lose the decisions."""
    from companion.screens.review_learner import LearnerReviewScreen
    from companion.ui.review_app import ReviewApp

    data = copy.deepcopy(export_data)
    data["units"][0]["title"] = "Team\x01 building \x1b[2J"
    data["units"][0]["criteria"][0]["evidence"] = [
        {"note": "n.md", "title": "Minutes\x0b\x0c", "ref": "E1", "where": "p\x02"}
    ]
    export = _export(tmp_path / "cohort", data)
    app = ReviewApp([tmp_path / "cohort"])
    async with app.run_test(size=(140, 45)) as pilot:
        await wait_for(pilot, lambda: getattr(app.screen, "cohort", None) is not None)
        await pilot.pause()
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, LearnerReviewScreen))
        screen = app.screen
        assert isinstance(screen, LearnerReviewScreen)
        await pilot.press("enter", "down", "1")  # expand unit 700; AC 1.1: Pass
        assert screen.dirty
        await pilot.press("R", "ctrl+s")  # R asks for the sheet's details first
        await wait_for(pilot, lambda: (tmp_path / "cohort" / "alex.results.docx").exists())
        assert not screen.dirty  # saved before the sheets were written
    saved = json.loads((tmp_path / "cohort" / "alex.feedback.json").read_text())
    assert saved["criteria"]["700/1.1"]["decision"] == "pass"
    assert export.exists()


def test_a_name_too_long_or_with_controls_is_refused_where_it_enters(
    tmp_path: Path, export_data: dict
) -> None:
    data = copy.deepcopy(export_data)
    data["learner"]["name"] = "x" * 25_000
    with pytest.raises(ExportFileError, match="longer than 200 characters"):
        read_progress_export(_export(tmp_path, data, "long.json"))
    data["learner"]["name"] = "Sam\x1b]0;owned\x07"
    with pytest.raises(ExportFileError, match="control characters"):
        read_progress_export(_export(tmp_path, data, "control.json"))


@pytest.mark.parametrize("command", ["cohort", "feedback-show", "export-results"])
def test_a_lone_surrogate_does_not_crash_the_tutor_commands(
    tmp_path: Path, export_data: dict, run_cli: RunCli, command: str
) -> None:
    data = copy.deepcopy(export_data)
    data["units"][0]["title"] = "Team \ud800 building"
    text = json.dumps(data)  # json spells the surrogate as an escape
    folder = tmp_path / "cohort"
    folder.mkdir()
    (folder / "alex.json").write_text(text, encoding="utf-8")
    assert (
        run_cli(
            "feedback",
            "record",
            str(folder / "alex.json"),
            "--ac",
            "700/1.1",
            "--decision",
            "pass",
            "--text",
            "Good \udcff work",
        )[0]
        == 0
    )
    argv = {
        "cohort": ["cohort", str(folder), "--csv"],
        "feedback-show": ["feedback", "show", str(folder / "alex.feedback.json")],
        "export-results": [
            "export",
            "results",
            str(folder / "alex.feedback.json"),
            "--out",
            str(tmp_path / "r.docx"),
        ],
    }[command]
    code, _, err = run_cli(*argv)
    assert code == 0, err
    assert "Traceback" not in err


# --- files, locks and the database ------------------------------------------------------


async def test_a_second_window_on_the_same_portfolio_is_told(tmp_path: Path) -> None:
    from companion.ui.app import make_app

    root = copy_example(tmp_path / "example")
    first = make_app(root, poll=False)
    async with first.run_test() as pilot:
        await wait_for(pilot, lambda: first.status is not None)
        await pilot.pause(0.5)  # well after the first index was saved
        assert present(present(first.portfolio).store).locked_by_me
        second = make_app(root, poll=False)
        async with second.run_test() as other:
            await wait_for(other, lambda: second.status is not None)
            said = [n.message for n in second._notifications]
            assert any("open in another companion window" in m for m in said), said


def test_a_history_that_cannot_be_written_does_not_undo_what_was_done(
    tmp_path: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    from companion.portfolio.store import Store

    root = copy_example(tmp_path / "example")
    note = root / "evidence" / "12-workforce-plan.md"

    def full(self, entry):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Store, "_append", full)
    code, out, err = run_cli("tag", str(note), "706/1.2", "--where", "p3")
    assert code == 0 and "tagged" in out
    assert "the change was made, but the app's history could not record it" in err
    assert "No space left on device" in err and "Traceback" not in err
    assert "ac: 706/1.2" in note.read_text()


def test_leftover_temporary_files_of_a_killed_write_are_cleaned_up(tmp_path: Path) -> None:
    root = copy_example(tmp_path / "example")
    folder = root / "evidence"
    stale = folder / ".01-slt-minutes-change-programme.md.999999.0badc0de.tmp"
    stale.write_bytes(b"half a note")
    recent = folder / f".02-programme-plan.md.{os.getpid()}.00000000.tmp"
    recent.write_bytes(b"being written by this process")
    mine = folder / ".my-own-hidden-file.tmp"
    mine.write_bytes(b"the learner's")
    portfolio = Portfolio(root)
    portfolio.scan()
    portfolio.close()
    assert not stale.exists()
    assert recent.exists() and mine.exists()
    old = time.time() + 2 * 3600
    assert remove_stale_temp_files(folder, now=old) == [recent]


def test_an_unreadable_sub_folder_is_named_and_an_unreadable_portfolio_is_one_line(
    tmp_path: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = copy_example(tmp_path / "example")
    real = os.scandir

    def scandir(path):
        if str(path).endswith("witness"):
            raise PermissionError(13, "Permission denied")
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    code, _, err = run_cli("status", str(root))
    assert code == 0
    assert "warning: skipped a folder that cannot be read: witness (Permission denied)" in err

    def nothing(path):
        if Path(path) == root:
            raise PermissionError(13, "Permission denied")
        return real(path)

    monkeypatch.setattr(os, "scandir", nothing)
    code, _, err = run_cli("status", str(root))
    assert code == 2 and "cannot be read: Permission denied" in err and "Traceback" not in err


def test_damaged_profile_values_are_one_line_messages(tmp_path: Path, run_cli: RunCli) -> None:
    root = tmp_path / "p"
    root.mkdir()
    for text, message in [
        ("programme_start: 2026-02-30\n", "'2026-02-30' is not a real date or time"),
        ("learner: [a, b]\n", "'learner' must be a name"),
        ("english_maths_level2: maybe\n", "'english_maths_level2' must be true or false"),
        ("a: &a [*a]\n", "an alias refers to itself"),
    ]:
        (root / "companion.yaml").write_text(text)
        code, _, err = run_cli("status", str(root))
        assert code == 2 and message in err, (text, err)
        assert len(err.strip().splitlines()) == 1


def _stat_says(monkeypatch: pytest.MonkeyPatch, size: int) -> None:
    """Make the bounded read's stat report ``size`` bytes: the file grew after it was taken."""

    real = os.fstat

    def smaller(fd: int) -> os.stat_result:
        values = list(real(fd))
        values[6] = size  # st_size
        return os.stat_result(values)

    monkeypatch.setattr("companion.files.os.fstat", smaller)


def test_a_note_that_grows_while_it_is_read_is_read_to_its_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from companion.files import GROWTH_READ
    from companion.notes.file import read_note_file

    note = tmp_path / "growing.md"
    body = "word " * (GROWTH_READ // 2)  # more than one read after the first
    note.write_text(f"---\ntitle: Growing\n---\n{body}\n", encoding="utf-8")
    _stat_says(monkeypatch, 10)
    read = read_note_file(note)
    assert read.raw == note.read_bytes()
    assert read.body == body + "\n"


def test_a_note_that_grows_past_the_limit_while_it_is_read_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from companion.notes.file import NoteReadError, read_note_file

    note = tmp_path / "growing.md"
    note.write_text("---\ntitle: Growing\n---\n" + "word " * 1000, encoding="utf-8")
    _stat_says(monkeypatch, 100)
    with pytest.raises(NoteReadError) as caught:
        read_note_file(note, max_bytes=4096)
    assert caught.value.code == "unreadable-huge"
    assert caught.value.message == "growing.md grew past 0 MB"


def test_a_control_character_in_front_matter_is_one_line_naming_the_file_and_line(
    tmp_path: Path, run_cli: RunCli
) -> None:
    root = copy_example(tmp_path / "example")
    (root / "notes" / "bad.md").write_bytes(b"---\nref: E099\ntitle: Bad\x01title\n---\nText\n")
    _, out, _ = run_cli("check", str(root), "--json")
    flags = [f for f in json.loads(out)["flags"] if f["note"] == "notes/bad.md"]
    assert [f["message"] for f in flags] == [
        "bad.md: the front matter is not valid YAML at line 3: it holds a control character "
        "(U+0001), which YAML does not allow"
    ]


def test_a_control_character_in_a_signoff_file_is_one_line(tmp_path: Path) -> None:
    from companion.review.signoff import SignOffError, parse_signoff

    raw = b"schema: companion.signoff/1\nlearner: Alex\x1b Morgan\n"
    with pytest.raises(SignOffError) as refused:
        parse_signoff(raw, "review.signoff.yaml")
    assert refused.value.message == (
        "review.signoff.yaml: not a sign-off file at line 2: it holds a control character "
        "(U+001B), which YAML does not allow"
    )


def test_a_key_given_twice_is_refused_in_a_signoff(tmp_path: Path) -> None:
    from companion.review.signoff import SignOffError, parse_signoff

    raw = (
        b"schema: companion.signoff/1\nlearner: Mallory\nlearner: Alex Morgan\n"
        b"parties:\n  apprentice:\n    name: Alex Morgan\n    date: 2026-03-02\n"
        b"    signed: true\n"
    )
    with pytest.raises(SignOffError) as refused:
        parse_signoff(raw, "review.signoff.yaml")
    assert refused.value.message == (
        "review.signoff.yaml: not a sign-off file at line 3: the key 'learner' is given twice"
    )


def _nested(depth: int) -> str:
    """JSON text of objects nested ``depth`` deep (valid: Python decodes up to about 1,000)."""
    return '{"x": ' * depth + '"deep"' + "}" * depth


@pytest.mark.parametrize("depth", [500, 980])
def test_an_export_nested_deep_is_one_line_for_every_tutor_command(
    tmp_path: Path, export_data: dict, run_cli: RunCli, depth: int
) -> None:
    folder = tmp_path / "cohort"
    _export(folder, export_data, "alex.json")
    deep = folder / "deep.json"
    text = json.dumps(export_data)
    deep.write_text(text.replace('"units": [', f'"extra": {_nested(depth)}, "units": [', 1))
    code, out, err = run_cli("cohort", str(folder), "--json")
    assert code == 0, err
    assert "Traceback" not in err
    rows = json.loads(out)
    assert "nested more than 64 levels deep" in json.dumps(rows)  # named; the rest shown
    assert "Alex Morgan" in out
    for argv in (
        ["feedback", "record", str(deep), "--ac", "700/1.1", "--decision", "pass"],
        ["feedback", "show", str(deep)],
    ):
        code, _, err = run_cli(*argv)
        assert code == 2, argv
        assert err.count("\n") == 1 and "nested more than 64 levels deep" in err, err


def test_a_feedback_file_nested_deep_in_the_portfolio_does_not_stop_status(
    tmp_path: Path, run_cli: RunCli
) -> None:
    root = copy_example(tmp_path / "example")
    folder = root / "feedback"
    folder.mkdir(exist_ok=True)
    (folder / "2026-01-01.feedback.json").write_text(
        '{"schema": "companion.feedback/1", "learner": "Alex Morgan", "x": ' + _nested(900) + "}"
    )
    for command in ("status", "check", "gateway"):
        code, _, err = run_cli(command, str(root))
        assert "Traceback" not in err and "RecursionError" not in err, (command, err)
        assert code in (0, 1), (command, err)


def test_a_key_given_twice_in_an_export_is_refused(tmp_path: Path, export_data: dict) -> None:
    text = json.dumps(export_data)
    twice = text.replace('"learner": {', '"learner": {"name": "Mallory", ', 1)
    path = tmp_path / "twice.json"
    path.write_text(twice, encoding="utf-8")
    with pytest.raises(ExportFileError) as refused:
        read_progress_export(path)
    assert refused.value.message.endswith("the key 'name' is given twice")
