"""The command line behaves like a good Unix tool: clear names, quiet pipes, honest exits."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import pytest
from cli_support import RunCli

from companion import __version__
from companion.cli import common
from companion.cli.main import main
from companion.cli.parser import build_parser
from companion.portfolio.example import copy_example


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["--version"])
    assert stopped.value.code == 0
    assert capsys.readouterr().out.strip() == f"companion {__version__}"


def test_the_bundled_content_is_a_real_package_folder() -> None:
    """A namespace package gave MultiplexedPath('…') from a wheel install."""
    folder = resources.files("companion.bundled")
    assert isinstance(folder, Path)
    assert (folder / "standard.yaml").is_file()


@pytest.mark.parametrize(
    ("typed", "meant"), [("gatway", "gateway"), ("stauts", "status"), ("chekc", "check")]
)
def test_a_mistyped_command_is_named_with_a_suggestion(
    run_cli: RunCli, tmp_path: Path, typed: str, meant: str
) -> None:
    code, _, err = run_cli(typed, str(tmp_path))
    assert code == 2
    assert err.strip() == f"companion: unknown command '{typed}'; did you mean 'companion {meant}'?"
    assert not (tmp_path / "companion.yaml").exists()


def test_an_unknown_word_is_not_taken_for_a_folder(run_cli: RunCli) -> None:
    code, _, err = run_cli("xyzzy")
    assert code == 2
    assert "unknown command 'xyzzy'" in err and "give the path of its folder" in err


def test_a_folder_without_a_profile_says_how_to_start(run_cli: RunCli, tmp_path: Path) -> None:
    code, _, err = run_cli(str(tmp_path))
    assert code == 2 and "run 'companion init" in err


def test_covers_is_repeatable_and_never_swallows_the_positionals(
    run_cli: RunCli, example: Path
) -> None:
    note = example / "evidence" / "12-workforce-plan.md"
    code, out, _ = run_cli(
        "tag",
        str(note),
        "706/1.1",
        "--covers",
        "talent-management",
        "--covers",
        "group-work",
    )
    assert code == 0, out
    text = note.read_text()
    assert "- talent-management\n" in text and "- group-work\n" in text
    with pytest.raises(SystemExit) as stopped:  # the old nargs form is a usage error now
        main(["tag", "--covers", "a", "b", str(note), "706/1.1"])
    assert stopped.value.code == 2


def test_every_option_that_takes_several_values_appends() -> None:
    """No option uses nargs, which swallows the positional arguments after it."""

    def walk(parser):
        for action in parser._actions:
            if hasattr(action, "choices") and isinstance(action.choices, dict):
                for sub in action.choices.values():
                    yield from walk(sub)
            else:
                yield action

    for action in walk(build_parser()):
        if action.option_strings:
            assert action.nargs in (None, 0), action.option_strings
        elif action.dest not in ("help", "command"):
            assert action.help, f"positional {action.dest} has no help text"


def test_an_unknown_ac_is_bad_input_everywhere(run_cli: RunCli, example: Path) -> None:
    note = example / "evidence" / "12-workforce-plan.md"
    for argv in (
        ("tag", str(note), "799/1.1"),
        ("untag", str(note), "799/1.1"),
        ("content", "show", "799/1.1"),
    ):
        code, _, err = run_cli(*argv)
        assert code == 2, argv
        assert "'799/1.1' is not an assessment criterion" in err, (argv, err)


def test_exit_statuses_for_problems_found(run_cli: RunCli, example: Path) -> None:
    assert run_cli("check", str(example))[0] == 1  # the example has errors
    assert run_cli("gateway", str(example))[0] == 1  # and gateway is blocked
    assert run_cli("status", str(example))[0] == 0


def test_decision_is_accepted_in_any_case(run_cli: RunCli, example: Path) -> None:
    export = example.parent / "alex.json"
    assert run_cli("export", "progress", str(example), "--out", str(export))[0] == 0
    code, _, err = run_cli(
        "feedback", "record", str(export), "--ac", "700/1.1", "--decision", "Pass"
    )
    assert code == 0, err
    assert '"decision": "pass"' in (example.parent / "alex.feedback.json").read_text()


def _companion(*argv: str, **options: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "companion", *argv],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])},
        **options,  # type: ignore[call-overload]
    )


@pytest.mark.parametrize("command", ["status", "notes", "check"])
def test_a_closed_pipe_ends_quietly(example: Path, command: str) -> None:
    """`companion status P | head` used to end in a BrokenPipeError traceback. The reader
    here (`true`) exits at once without reading, so every write finds the pipe closed."""
    shell = f"{sys.executable} -m companion {command} {example} | true; echo ${{PIPESTATUS[0]}}"
    done = subprocess.run(
        ["bash", "-c", shell],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])},
    )
    assert "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr, done.stderr
    assert done.stdout.strip() == "141"  # 128 + SIGPIPE, as a Unix tool exits


def test_init_asks_again_until_each_answer_is_valid(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, run_cli: RunCli
) -> None:
    answers = iter(["Sam Lee", "2025-02-30", "2025-09-01", "2025-08-01", "2027-03-15", *[""] * 5])
    monkeypatch.setattr("builtins.input", lambda prompt="": next(answers))
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    code, _, err = run_cli("init", str(tmp_path / "p"))
    assert code == 0
    assert "the start date must be a date like 2026-09-01, not '2025-02-30'; try again" in err
    assert "the planned gateway must be after the programme start; try again" in err
    profile = (tmp_path / "p" / "companion.yaml").read_text()
    assert "learner: Sam Lee\n" in profile and "programme_start: 2025-09-01\n" in profile
    assert "planned_gateway: 2027-03-15\n" in profile


def test_init_asks_what_the_funding_rules_and_gateway_need(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, run_cli: RunCli
) -> None:
    """A first run asks for the weekly hours, age, planned hours, review interval, Level 2
    and, for someone 19 or over without it, the exemption; each refused answer is asked
    again, and what is written is read back by the rules as given."""
    answers = iter(
        [
            "Sam Lee",
            "2026-09-01",
            "2028-03-01",
            "37.51",  # not a whole number of minutes
            "37:30",
            "nine",
            "34",
            "400",
            "fortnightly",
            "12 weeks",
            "maybe",
            "n",
            "2026-09-10",
            "Priya Shah (line manager)",
        ]
    )
    prompts: list[str] = []

    def ask(prompt: str = "") -> str:
        prompts.append(prompt)
        return next(answers)

    monkeypatch.setattr("builtins.input", ask)
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    code, _, err = run_cli("init", str(tmp_path / "p"))
    assert code == 0, err
    assert "write it as h:mm (e.g. 37:31); try again" in err
    assert "'age_at_start' must be your age in whole years" in err
    assert "must be like '12 weeks' or '3 calendar months', not 'fortnightly'; try again" in err
    assert "answer y or n; try again" in err
    assert any("Exempt from English and maths" in p for p in prompts)
    text = (tmp_path / "p" / "companion.yaml").read_text()
    assert 'hours_per_week: "37:30"       # contracted hours a week' in text
    assert "age_at_start: 34              # your age in whole years" in text
    assert "review_every: 12 weeks        # your training plan's review interval" in text
    assert "english_maths_level2: false\n" in text
    assert (
        "english_maths_exemption:\n  date: 2026-09-10\n  confirmed_by: Priya Shah (line manager)\n"
        in text
    )
    from companion.content.load import load_content
    from companion.portfolio.portfolio import Portfolio

    programme = Portfolio(tmp_path / "p", load_content(), use_store=False).profile.programme
    assert programme.hours_per_week == 37 * 60 + 30
    assert programme.age_at_start == 34
    assert programme.otj_planned == 400 * 60
    assert programme.review_every is not None and programme.review_every.weeks == 12
    assert programme.english_maths_exemption is not None
    assert programme.english_maths_exemption.confirmed_by == "Priya Shah (line manager)"


def test_init_cancelled_by_end_of_input_writes_nothing(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, run_cli: RunCli
) -> None:
    answers = iter(["Sam Lee"])

    def ask(prompt: str = "") -> str:
        try:
            return next(answers)
        except StopIteration:
            raise EOFError from None

    monkeypatch.setattr("builtins.input", ask)
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    code, _, err = run_cli("init", str(tmp_path / "p"))
    assert code == 1 and "nothing was written" in err
    assert not (tmp_path / "p" / "companion.yaml").exists()


def test_a_learner_name_too_long_is_refused_where_it_enters(
    run_cli: RunCli, tmp_path: Path
) -> None:
    code, _, err = run_cli("init", str(tmp_path / "p"), "--learner", "x" * 25_000)
    assert code == 2 and "longer than 200 characters" in err


def test_a_new_assignment_needs_its_unit(run_cli: RunCli, example: Path) -> None:
    code, _, err = run_cli("new", str(example), "--type", "assignment", "--title", "Draft")
    assert code == 2 and "an assignment draft needs --unit (one of 700" in err
    code, out, _ = run_cli(
        "new", str(example), "--type", "assignment", "--title", "Draft", "--unit", "702"
    )
    assert code == 0 and 'unit: "702"' in Path(out.strip()).read_text()


def test_output_from_files_cannot_drive_the_terminal(run_cli: RunCli, tmp_path: Path) -> None:
    root = tmp_path / "p"
    root.mkdir()
    (root / "companion.yaml").write_text("learner: Sam\n")
    (root / "n.md").write_text('---\ntitle: "Evil \\e]0;owned\\a title"\n---\nx\n')
    code, out, _ = run_cli("notes", str(root))
    assert code == 0
    assert "\x1b" not in out and "\x07" not in out
    assert "Evil \\u001b]0;owned\\u0007 title" in out


def test_ask_reasks_on_each_refusal(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    answers = iter(["nope", "2026-01-02"])
    monkeypatch.setattr("builtins.input", lambda prompt="": next(answers))
    assert common.ask("? ", lambda t: common.parse_date(t, "the day")) == dt.date(2026, 1, 2)
    assert "the day must be a date" in capsys.readouterr().err


def test_moving_a_tag_keeps_what_it_counts_and_covers(tmp_path: Path, capsys) -> None:
    """`tag --where` to move a tag changed only the place: its counts and checklist items
    stay (the AC stays sufficient), and the output says they were kept; clearing them is
    asked for by name."""
    from companion.cli.main import main as run

    root = tmp_path / "p"
    (root / "notes").mkdir(parents=True)
    (root / "companion.yaml").write_text("learner: Sam Lee\nprogramme_start: 2025-09-01\n")
    note = root / "notes" / "coaching.md"
    note.write_text("---\ntitle: Coaching\nref: E001\n---\nGROW and OSCAR in use.\n")
    assert (
        run(
            [
                "tag",
                str(note),
                "700/1.1",
                "--where",
                "p2",
                "--count",
                "models=GROW",
                "--count",
                "models=OSCAR",
            ]
        )
        == 0
    )
    capsys.readouterr()
    assert run(["tag", str(note), "700/1.1", "--where", "p3"]) == 0
    out = capsys.readouterr().out
    assert out.strip().endswith("at p3; kept its counts (models: GROW, OSCAR)")
    text = note.read_text()
    assert "where: p3" in text and "models:\n    - GROW\n    - OSCAR\n" in text
    assert run(["tag", str(note), "700/1.1", "--clear-counts"]) == 0
    assert "models" not in note.read_text() and "where: p3" in note.read_text()
    assert run(["tag", str(note), "700/1.1", "--count", "models=GROW", "--clear-counts"]) == 2


# --- folders and files the system will not let companion use ---------------------------


class _Entry:
    """A directory entry whose own stat is refused, as in a folder that can be listed but
    not entered (mode 600): the name is there, nothing about it can be known."""

    def __init__(self, real: os.DirEntry[str]) -> None:
        self._real = real
        self.name, self.path = real.name, real.path

    def is_dir(self, *, follow_symlinks: bool = True) -> bool:
        return self._real.is_dir(follow_symlinks=follow_symlinks)

    def is_file(self, *, follow_symlinks: bool = True) -> bool:
        return self._real.is_file(follow_symlinks=follow_symlinks)

    def is_symlink(self) -> bool:
        return self._real.is_symlink()

    def stat(self, *, follow_symlinks: bool = True) -> os.stat_result:
        raise PermissionError(13, "Permission denied", self.path)


class _Listing:
    def __init__(self, entries: list[object]) -> None:
        self.entries = entries

    def __enter__(self) -> list[object]:
        return self.entries

    def __exit__(self, *exc: object) -> None:
        return None

    def __iter__(self) -> Iterator[object]:
        return iter(self.entries)

    def close(self) -> None:
        return None


def test_a_note_that_is_listed_but_cannot_be_looked_at_is_named(
    example: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = os.scandir
    locked = str(example / "evidence")

    def scandir(path: str) -> _Listing:
        with real(path) as scan:
            entries = list(scan)
        if os.path.realpath(path) == os.path.realpath(locked):
            return _Listing([_Entry(e) for e in entries])
        return _Listing(list(entries))

    monkeypatch.setattr(os, "scandir", scandir)
    code, _, err = run_cli("notes", str(example))
    assert code == 0
    assert (
        "skipped a file that cannot be read: evidence/18-feedback-and-challenge.md "
        "(Permission denied)"
    ) in err


def test_a_portfolio_the_system_will_not_open_is_one_line(
    tmp_path: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_stat = os.stat
    root = copy_example(tmp_path / "locked" / "example")

    def refusing(path: object, *args: object, **kwargs: object) -> os.stat_result:
        if str(path).startswith(str(tmp_path / "locked")):
            raise PermissionError(13, "Permission denied", str(path))
        return real_stat(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "stat", refusing)
    code, _, err = run_cli("status", str(root))
    assert code == 2
    assert err.startswith(f"companion: {root}") and err.endswith(": Permission denied\n")
    assert err.count("\n") == 1


def test_any_file_the_system_refuses_ends_in_one_line_not_a_traceback(
    example: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    from companion.cli import portfolio as portfolio_commands

    def refused(*args: object) -> int:
        raise PermissionError(13, "Permission denied", str(example / "companion.yaml"))

    monkeypatch.setattr(portfolio_commands, "cmd_status", refused)
    monkeypatch.setattr("companion.cli.main.handler", lambda spec: refused)
    code, _, err = run_cli("status", str(example))
    assert code == 2
    assert err == f"companion: {example / 'companion.yaml'}: Permission denied\n"


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root may enter any folder"
)
def test_a_real_folder_that_can_be_listed_but_not_entered_is_named(
    example: Path, run_cli: RunCli
) -> None:
    folder = example / "evidence"
    folder.chmod(0o600)
    try:
        code, _, err = run_cli("notes", str(example))
    finally:
        folder.chmod(0o755)
    assert code == 0
    assert "skipped a file that cannot be read: evidence/" in err
