"""The console script starts without cyclic garbage collection and resumes it before running."""

from __future__ import annotations

import argparse
import gc
from collections.abc import Iterator
from pathlib import Path

import pytest

from companion import launch
from companion.cli import main as cli
from companion.cli import parser as cli_parser
from companion.cli import portfolio as portfolio_commands


@pytest.fixture(autouse=True)
def _collector_restored() -> Iterator[None]:
    yield
    gc.unfreeze()
    gc.enable()


def test_the_command_runs_with_collection_paused_and_restores_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[bool] = []

    def main(argv: list[str]) -> int:
        seen.append(gc.isenabled())
        return 3

    monkeypatch.setattr(cli, "main", main)
    assert launch.main(["content", "check"]) == 3
    assert seen == [False]
    assert gc.isenabled()


def test_a_command_handler_runs_with_collection_back_on(monkeypatch: pytest.MonkeyPatch) -> None:
    from companion.cli import content as content_commands

    seen: list[bool] = []

    def check(args: argparse.Namespace) -> int:
        seen.append(gc.isenabled())
        return 0

    monkeypatch.setattr(content_commands, "cmd_check", check)
    assert launch.main(["content", "check"]) == 0
    assert seen == [True]


def test_a_command_that_reads_the_records_runs_without_collection(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """status keeps collection paused to the end (it makes no cyclic garbage worth a walk
    over every record), and it is back on once the command returns."""
    seen: list[bool] = []

    def status(args: argparse.Namespace) -> int:
        seen.append(gc.isenabled())
        return 0

    monkeypatch.setattr(portfolio_commands, "cmd_status", status)
    assert launch.main(["status", str(tmp_path)]) == 0
    assert seen == [False]
    assert gc.isenabled()


def test_every_command_kept_without_collection_exists() -> None:
    def handlers(commands: tuple[cli_parser.Command, ...]) -> set[str]:
        return {c.handler for c in commands if c.handler} | {
            h for c in commands for h in handlers(c.subcommands)
        }

    assert handlers(cli_parser.COMMANDS) >= cli.WITHOUT_COLLECTION


class _App:
    """Stands in for the app: records the collector's state when it would start running."""

    def __init__(self) -> None:
        self.seen: tuple[bool, int] | None = None

    def run(self) -> None:
        self.seen = (gc.isenabled(), gc.get_freeze_count())


def test_the_app_runs_with_its_start_up_objects_frozen_and_collection_on(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import companion.ui.app

    app = _App()
    monkeypatch.setattr(companion.ui.app, "make_app", lambda portfolio, content: app)
    (tmp_path / "companion.yaml").write_text("learner: Sam Lee\n")
    assert gc.get_freeze_count() == 0
    assert launch.main([str(tmp_path)]) == 0
    assert app.seen is not None
    enabled, frozen = app.seen
    assert enabled
    assert frozen > 1000
