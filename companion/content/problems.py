"""What is wrong with a content folder: each problem with its file and line, raised together.

Apart from the reader, so that a command that only catches the error (``tag`` reading the
cached digest) does not load the YAML reader with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from companion.errors import CompanionError


@dataclass(frozen=True)
class Problem:
    """A content problem: where it is and what is wrong."""

    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else str(self.path)
        return f"{where}: {self.message}"


class ContentError(CompanionError):
    """A content folder with problems; carries all of them."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))
