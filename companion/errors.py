"""The one base of every failure the app expects, so the CLI and the app show its message.

Each layer raises its own subclass (a content problem, a note that cannot be changed, a
feedback file that is not one); the command line prints ``message`` on one line and exits
with ``exit_status``, the app shows it as a notification. Anything that is not a
``CompanionError`` is a defect.
"""

from __future__ import annotations


class CompanionError(Exception):
    """An expected failure, with a message for the person using the app."""

    exit_status = 2
    """The CLI's exit status for it: 2 is bad input, 1 is "problems found"."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if status is not None:
            self.exit_status = status

    def __str__(self) -> str:
        return self.message


class Interrupted(KeyboardInterrupt):
    """Ctrl-C, after the work done so far was kept: ``message`` says what was kept.

    It is still a ``KeyboardInterrupt``, so whatever does not know it stops as for any
    Ctrl-C; the command line prints the message as well as exiting with 130.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
