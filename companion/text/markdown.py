"""Showing someone else's text inside Markdown as text, never as markup.

Titles, feedback and file names in an export or feedback file come from other people; a
link or an image in them must not become live in the app, so every character that could
start markup is backslash-escaped, which CommonMark renders as the character itself.
"""

from __future__ import annotations

import re

from companion.text.terminal import safe_text

# Everything CommonMark (and GFM tables) could read as markup; other punctuation is inert.
_MARKUP = re.compile(r"([\\`*_{}\[\]<>()#+\-!|~&=:])")


def escape_markdown(text: str) -> str:
    """``text`` as literal Markdown: every character that could be markup escaped."""
    return _MARKUP.sub(r"\\\1", safe_text(str(text)))


def cell(text: str) -> str:
    """Literal text for one Markdown table cell (one line)."""
    return escape_markdown(" ".join(str(text).split()))
