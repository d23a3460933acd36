"""Text from other people's files made safe to print or show in a terminal.

A note title, a learner name in a progress export or a tutor's feedback can hold escape
sequences (an OSC sequence that retitles the terminal, a cursor move that hides a line) or
a lone surrogate that no encoder can write. Every such character is shown as its ``\\uXXXX``
escape instead: visible, harmless in a terminal, and still valid inside JSON strings.
"""

from __future__ import annotations

import io
import re

TYPE_CHECKING = False
if TYPE_CHECKING:  # `companion --version` and `--help` load no typing
    from typing import TextIO

_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
"""C0 controls but tab and newline, DEL, C1 controls, line separators and lone surrogates."""
_UNSAFE_IN_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def _escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group(0)):04x}"


def safe_text(text: str) -> str:
    """``text`` with every control character and lone surrogate written as ``\\uXXXX``."""
    if _UNSAFE.search(text) is None:
        return text
    return _UNSAFE.sub(_escape, text)


def safe_line(text: str) -> str:
    """Like ``safe_text``, and newlines and tabs escaped too: for one-line labels."""
    if _UNSAFE_IN_LINE.search(text) is None:
        return text
    return _UNSAFE_IN_LINE.sub(_escape, text)


class SafeStream(io.TextIOBase):
    """A text stream that writes everything through ``safe_text``.

    The command line wraps stdout and stderr in it once, so no command can print a file's
    escape sequence raw, whatever path the text took to the print.
    """

    def __init__(self, stream: TextIO) -> None:
        super().__init__()
        self.stream = stream

    def write(self, text: str) -> int:
        self.stream.write(safe_text(text))
        return len(text)

    def flush(self) -> None:
        self.stream.flush()

    def isatty(self) -> bool:
        return self.stream.isatty()

    def fileno(self) -> int:
        return self.stream.fileno()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self.stream, "encoding", "utf-8")
