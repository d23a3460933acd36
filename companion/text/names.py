"""One line of text a person typed into a field: a name, a centre, an activity.

Such text goes onto documents other people read (a Results Sheet, a review pack), so it is
one line with its spaces tidied, has a length limit, and holds no control character that
could rewrite a terminal or break a file format. Each caller raises its own error with the
problem this module names.
"""

from __future__ import annotations


def tidy(value: str) -> str:
    """The text with runs of whitespace (newlines too) made one space, trimmed."""
    return " ".join(value.split())


def has_controls(text: str) -> bool:
    """True when ``text`` holds a C0 or C1 control character (or DEL)."""
    return any(ord(c) < 32 or 127 <= ord(c) < 160 for c in text)


def line_problem(text: str, limit: int) -> str | None:
    """What is wrong with ``text`` as one line of at most ``limit`` characters, or None."""
    if len(text) > limit:
        return f"is longer than {limit} characters"
    if has_controls(text):
        return "holds control characters"
    return None
