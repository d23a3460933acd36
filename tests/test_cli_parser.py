"""The command line names each handler and loads it only when its command runs."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

import pytest

from companion.cli.main import handler
from companion.cli.parser import build_parser


def _handler_names(parser: argparse.ArgumentParser) -> list[str]:
    """Every handler name set on ``parser`` and its sub-commands, depth first."""
    names = []
    spec = parser.get_default("handler")
    if spec:
        names.append(spec)
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                names += _handler_names(sub)
    return names


def test_every_handler_name_is_a_function_of_the_named_module() -> None:
    names = _handler_names(build_parser())
    assert len(names) == 39
    for name in names:
        module, function = name.split(":")
        resolved = handler(name)
        assert callable(resolved)
        assert resolved.__module__ == f"companion.cli.{module}"
        assert resolved.__name__ == function


def test_loading_the_command_line_leaves_exports_and_tutor_review_unloaded() -> None:
    code = (
        "import sys, companion.cli.main; "
        "print(sorted(m for m in ('companion.exports.matrix', 'companion.exports.run', "
        "'companion.cli.export', 'companion.cli.review', "
        "'companion.cli.gateway') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_parser_choices_are_the_domain_ones() -> None:
    from companion.cli import choices
    from companion.documents.writers import FORMATS
    from companion.exports.proposal import SUMMARY_FORMATS
    from companion.review.cohort import SORT_KEYS
    from companion.review.feedback import DECISIONS
    from companion.review.results_sheet import RESULT_FORMATS
    from companion.views.note_list import SORTS

    assert choices.MATRIX_FORMATS == FORMATS
    assert choices.SUMMARY_FORMATS == SUMMARY_FORMATS
    assert choices.RESULT_FORMATS == RESULT_FORMATS
    assert choices.DECISIONS == DECISIONS
    assert choices.NOTE_SORTS == SORTS
    assert choices.COHORT_SORTS == SORT_KEYS
    from companion.exports.review_pack import PACK_FORMATS

    assert choices.PACK_FORMATS == PACK_FORMATS


def test_help_loads_no_domain_module() -> None:
    code = (
        "import sys, companion.cli.parser as p; p.build_parser(); "
        "print(sorted(m for m in sys.modules if m.startswith('companion.') and m.split('.')[1] "
        "not in ('cli', 'errors', 'startup', 'text')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_a_command_with_a_default_takes_it_when_no_sub_command_is_named() -> None:
    from companion.cli.main import _route

    assert _route(["otj", "folder"]) == ["otj", "show", "folder"]
    assert _route(["otj", "add", "folder"]) == ["otj", "add", "folder"]
    assert _route(["otj", "--help"]) == ["otj", "--help"]
    assert _route(["reviews", "folder", "--json"]) == ["reviews", "show", "folder", "--json"]
    assert _route(["export", "matrix"]) == ["export", "matrix"]  # no default: unchanged


def test_tag_loads_neither_the_readers_nor_the_progress_engine(tmp_path: Path) -> None:
    """Tagging runs as often as a learner files evidence: with the content in the cache
    it needs the note writer and the content's digest, not the content model, its
    readers, the note record (citations, word counts), the search index, the rules, the
    off-the-job log or importlib.resources; nor, for a note that is not a card, the card
    and file readers; nor the index of notes, which a tag does not read."""
    from companion.portfolio.example import copy_example

    example = copy_example(tmp_path / "example")
    note = example / "evidence" / "04-coaching-programme-report.md"
    env = {**os.environ, "COMPANION_DATA_DIR": str(tmp_path / "data")}
    warm = [sys.executable, "-m", "companion", "content", "check"]
    subprocess.run(warm, capture_output=True, check=True, env=env)  # fills the cache
    unwanted = (
        "companion.content.model",
        "companion.content.funding_model",
        "pickle",
        "companion.content.read_folder",
        "companion.content.reader",
        "companion.content.located_yaml",
        "companion.notes.record",
        "companion.notes.citations",
        "msgspec",
        "companion.portfolio.search",
        "companion.portfolio.index",
        "companion.assessment.rules",
        "companion.assessment.progress",
        "companion.portfolio.otj_log",
        "importlib.resources",
        "secrets",
        "companion.notes.card",
        "companion.evidence.model",
        "companion.text.locate",
        "companion.portfolio.note_index",
        "companion.portfolio.flags_cache",
        "companion.portfolio.library_file",
        "difflib",
    )
    code = (
        "import sys\n"
        "from companion.cli.main import main\n"
        f"code = main(['tag', {str(note)!r}, '700/1.2', '--where', 'para 2'])\n"
        f"print(code, sorted(m for m in {unwanted!r} if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert out.stdout.strip().splitlines()[-1] == "0 []"


def test_the_top_level_help_is_the_same_without_the_commands_arguments() -> None:
    assert build_parser(shallow=True).format_help() == build_parser().format_help()


@pytest.mark.parametrize("flag", ["--version", "--help"])
def test_version_and_help_load_no_command_code(flag: str) -> None:
    """They answer at once: neither loads what the commands share, nor dataclasses or
    typing (a third of their time once)."""
    code = (
        "import sys\n"
        "from companion.launch import main\n"
        "try:\n"
        f"    main([{flag!r}])\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = ('companion.cli.common', 'dataclasses', 'typing', 'json', 'datetime')\n"
        "print([name for name in heavy if name in sys.modules], file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stderr.strip() == "[]"
    assert done.stdout.startswith("companion " if flag == "--version" else "usage: companion")


@pytest.mark.parametrize(
    "argv",
    [
        ("status", "{portfolio}"),
        ("status", "{portfolio}", "--json"),
        ("check", "{portfolio}"),
        ("notes", "{portfolio}"),
        ("export", "matrix", "{portfolio}", "--out", "{out}"),
    ],
    ids=["status", "status --json", "check", "notes", "export matrix"],
)
def test_a_report_printed_again_loads_neither_the_engine_nor_the_content(
    argv: tuple[str, ...], tmp_path: Path
) -> None:
    """On an unchanged portfolio these walk the folders and print what they kept: the
    content's fingerprint is worked out from its files, so its model is never unpickled."""
    from companion.portfolio.example import copy_example

    example = copy_example(tmp_path / "example")
    out = tmp_path / "matrix.md"
    command = [a.format(portfolio=example, out=out) for a in argv]
    # one moment for both runs: a day that turned between them would change the key
    env = {
        **os.environ,
        "COMPANION_DATA_DIR": str(tmp_path / "data"),
        "COMPANION_TODAY": "2026-03-02T09:30:00+00:00",
    }
    first = subprocess.run(
        [sys.executable, "-m", "companion", *command], capture_output=True, env=env
    )
    assert first.returncode in (0, 1), first.stderr
    unwanted = (
        "companion.content.model",
        "pickle",
        "companion.notes.record",
        "msgspec",
        "companion.assessment.rules",
        "companion.assessment.progress",
        "companion.assessment.status",
        "companion.exports.matrix",
        "companion.views.note_list",
    )
    code = (
        "import sys\n"
        "from companion.cli.main import main\n"
        f"code = main({command!r})\n"
        f"print(code, sorted(m for m in {unwanted!r} if m in sys.modules), file=sys.stderr)\n"
    )
    again = subprocess.run([sys.executable, "-c", code], capture_output=True, env=env)
    assert again.stderr.decode().strip().splitlines()[-1] == f"{first.returncode} []"
    assert again.stdout == first.stdout
