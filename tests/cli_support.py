"""What the tests that run the command line share: the type of the ``run_cli`` fixture."""

from __future__ import annotations

from typing import Protocol


class RunCli(Protocol):
    """Run ``companion`` with these arguments in this process: its exit code, then what it
    printed to stdout and to stderr."""

    def __call__(self, *argv: str) -> tuple[int, str, str]: ...
