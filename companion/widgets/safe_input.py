"""Text boxes that never send a control character of their text to the terminal.

A TextArea or Input draws its text as it is: a note, section or title holding an escape
sequence (OSC 0 retitles the terminal, CSI 2J clears it) reached the terminal when it was
loaded. These draw every control character as nothing, which is its width already (so the
cursor stays where the text says), while the text itself, and what is saved, stay exactly
as the file holds them.
"""

from __future__ import annotations

import re

from rich.segment import Segment
from textual.strip import Strip
from textual.widgets import Input, TextArea

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""What a terminal would act on rather than show (C0 but tab and newline, DEL, C1)."""


def safe_strip(strip: Strip) -> Strip:
    """``strip`` with the control characters of its text left out (they take no cells)."""
    if not any(_CONTROL.search(segment.text) for segment in strip if not segment.control):
        return strip
    segments = [
        segment
        if segment.control
        else Segment(_CONTROL.sub("", segment.text), segment.style, segment.control)
        for segment in strip
    ]
    return Strip(segments, strip.cell_length)


class SafeTextArea(TextArea):
    """A TextArea for text from a file: control characters are never drawn."""

    def render_line(self, y: int) -> Strip:
        return safe_strip(super().render_line(y))


class SafeInput(Input):
    """An Input for text from a file: control characters are never drawn."""

    def render_line(self, y: int) -> Strip:
        return safe_strip(super().render_line(y))
