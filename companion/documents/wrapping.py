"""How many lines a cell's text takes when wrapped, estimated from its characters.

Word and Excel lay text out themselves, but a file must say some things beforehand: how
tall an Excel row is (Excel does not grow a row for text it has not laid out), and whether
a Word row is short enough to be kept on one page. Each estimate errs on the tall side.
"""

from __future__ import annotations

import math


def lines_at(text: str, per_line: int) -> int:
    """The lines ``text`` takes at ``per_line`` characters a line: each of its own lines
    at least one, a long one as many as its characters need."""
    per_line = max(1, per_line)
    return sum(max(1, math.ceil(len(line) / per_line)) for line in text.split("\n"))
