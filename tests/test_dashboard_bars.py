"""The dashboard's unit bars: sufficient, then in progress, then the rest, always full width."""

from __future__ import annotations

import pytest

from companion.screens.dashboard import unit_bar


@pytest.mark.parametrize(
    ("sufficient", "in_progress", "total", "cells"),
    [
        (3, 2, 7, (6, 4, 4)),
        (0, 0, 7, (0, 0, 14)),
        (7, 0, 7, (14, 0, 0)),
        (0, 0, 0, (0, 0, 14)),  # a unit with no ACs draws an empty bar, not an error
        (6, 1, 7, (12, 2, 0)),
    ],
)
def test_unit_bar(sufficient: int, in_progress: int, total: int, cells: tuple[int, ...]) -> None:
    done, going, rest = cells
    assert unit_bar(sufficient, in_progress, total, width=14) == (
        f"[$success]{'━' * done}[/][$warning]{'━' * going}[/][dim]{'━' * rest}[/]"
    )
