"""The prose of a markdown text: code, comments, URLs and link targets blanked out.

Citation and link readers must not see ``(Harris, 2015)`` inside a code span, a fenced
block, an HTML comment or a URL. Blanking replaces each such character by a space (keeping
line breaks), so every offset and line number in the result is that of the original text.
"""

from __future__ import annotations

import re

_FENCE = re.compile(r"^[ \t]*(```|~~~)", re.MULTILINE)
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")
_URL = re.compile(r"(?:https?|ftp)://[^\s<>\"]*|<(?:https?://|mailto:)[^>\n]*>", re.I)
_IMAGE = re.compile(r"!\[[^\]\n]*\]\([^)\n\[]*\)")
_LINK_TARGET = re.compile(r"\]\((?:[^()\s]|\([^()\s]*\))*(?:\s+\"[^\"\n]*\")?\)")


def _blank(match: re.Match[str]) -> str:
    """The match as spaces, with its line breaks kept."""
    text = match.group(0)
    if "\n" not in text:
        return " " * len(text)
    return re.sub(r"[^\n]", " ", text)


def _blank_target(match: re.Match[str]) -> str:
    """A link's ``(target)`` as spaces, keeping the ``]`` that ends its text."""
    return "]" + " " * (len(match.group(0)) - 1)


def _blank_fences(text: str) -> str:
    """Fenced code blocks (``` or ~~~ to the same fence, or the end) as spaces."""
    out: list[str] = []
    pos = 0
    inside: str | None = None
    start = 0
    for match in _FENCE.finditer(text):
        fence = match.group(1)
        line_end = text.find("\n", match.end())
        line_end = len(text) if line_end < 0 else line_end
        if inside is None:
            inside, start = fence, match.start()
        elif fence == inside:
            out.append(text[pos:start])
            out.append(re.sub(r"[^\n]", " ", text[start:line_end]))
            pos, inside = line_end, None
    if inside is not None:
        out.append(text[pos:start])
        out.append(re.sub(r"[^\n]", " ", text[start:]))
        pos = len(text)
    out.append(text[pos:])
    return "".join(out)


def without_code(text: str) -> str:
    """``text`` with fenced code, code spans and HTML comments blanked (links kept).

    Each pass runs only when the text holds the character that starts what it blanks.
    """
    ticks = "`" in text
    if (ticks and "```" in text) or "~~~" in text:
        text = _blank_fences(text)
    if "<!--" in text:
        text = _COMMENT.sub(_blank, text)
    if ticks:
        text = _CODE_SPAN.sub(_blank, text)
    return text


def prose(text: str) -> str:
    """``text`` with fenced code, code spans, HTML comments, images, URLs and link targets
    blanked: what a reader of the words reads."""
    text = without_code(text)
    if "![" in text:
        text = _IMAGE.sub(_blank, text)
    if "](" in text:
        text = _LINK_TARGET.sub(_blank_target, text)
    if "://" in text:
        text = _URL.sub(_blank, text)
    return text
