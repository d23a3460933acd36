"""Count words the way an assessor would, part by part: what counts towards a target is a
setting, and everything else is still shown.

A note's words fall into parts (``PARTS``), in one pass over its lines:

- ``body``: the prose; ``headings``; ``tables`` (rows of a markdown table); ``captions``
  (a line starting "Figure 1:", "Table 2.", …); ``quotes`` (block quotes, ``>``);
  ``citations`` (the brackets of in-text citations: ``(Harris, 2015, p. 31)``, and the
  ``(2015)`` of ``Harris (2015)``, whose name is part of the sentence);
- ``references``: a section headed References, Reference list or Bibliography (and the
  front matter's ``references`` list); ``appendices``: any other section whose heading is
  in ``exclude_sections`` (Appendix, Appendices, Annex, Annexes by default), each with
  everything under it up to a heading of the same or a higher level. A heading is a ``#``
  line, a line underlined with ``===`` or ``---`` (setext), or, for these sections only, a
  line that is wholly bold or italic (``**References**``), which any other heading ends;
- ``front-matter``: the values of the YAML front matter (not its keys, nor the app's
  evidence tags).

Which parts count is ``leave_out`` (default: references, appendices, front matter; see
docs/word-count.md for why). Everywhere else the rules are as they were:

- markdown syntax is not a word: heading marks, list bullets and numbers, emphasis, table
  pipes, link targets, images, HTML tags, code fences and horizontal rules;
- fenced code blocks and HTML comments are left out; inline code counts as its words;
- a word is what a word processor counts: a run of characters between spaces holding a
  letter or digit (``3,000``, ``6.4%``, ``e.g.``); en and em dashes part words.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from companion.text import tokens
from companion.text.word_rules import PARTS, REFERENCE_SECTIONS, WordCountRules, section_name

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_SETEXT = re.compile(r" {0,3}(?:=+|-+)[ \t]*$")
_EMPHASISED = re.compile(r"[ \t]{0,3}([*_]{1,3})([^\s*_](?:.*?[^\s*_])?)\1[ \t]*:?[ \t]*$")
_NOT_PARAGRAPH = frozenset("#-*+>|=_:`~[")
"""How a line starts that is no paragraph text: a heading, list item, quotation, table
row, rule, fence or link definition (a numbered line is: learners number headings)."""
PSEUDO_LEVEL = 7
"""The level of a bold line taken as a heading: below every other heading, so any of them
ends its section, and so does the next such line."""
_FENCE = re.compile(r"^\s*(```|~~~)")
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
"""An HTML comment, or one never closed, which hides the rest of the note (as CommonMark
renders it); matching to the end at once also keeps a line of "<!--" from being read
from every one of them to the end."""
_RULE = re.compile(r"^\s*([-*_]\s*){3,}$")
_TABLE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_LINK_DEF = re.compile(r"^\s*\[[^\]]+\]:\s*\S+.*$")
_LIST_MARK = re.compile(r"^\s*(?:>\s*)*(?:[-*+]|\d+[.)])\s+")
_CAPTION = re.compile(
    r"^\s*[*_]*(?:figure|fig\.|table|chart|diagram|image|exhibit|graph|illustration)"
    r"\s+[\w.-]{1,6}\s*[:.–—-]",
    re.IGNORECASE,
)
_CAPTION_STARTS = frozenset("fFtTcCdDiIeEgG*_")
# Markup removed from the kept lines all at once: each pattern stays within one line.
# A target stops at the next "[" as well as at ")": otherwise a long line of "[a](b" would
# be scanned to its end from every bracket.
_IMAGE = re.compile(r"!\[([^\]\n]*)\]\([^)\n\[]*\)")
_LINK = re.compile(r"\[([^\]\n]*)\]\([^)\n\[]*\)")
_REF_LINK = re.compile(r"\[([^\]\n]*)\]\[[^\]\n]*\]")
_AUTOLINK = re.compile(r"<(https?://|mailto:)[^>\n]*>")
_HTML_TAG = re.compile(r"</?[A-Za-z][^>\n]*>")
_URL = re.compile(r"https?://\S+")


def setext_level(line: str) -> int:
    """1 for a line of ``===`` and 2 for a line of ``---``, which make the paragraph line
    above them a heading (Markdown's setext headings); else 0."""
    if not _SETEXT.match(line):
        return 0
    return 1 if line.lstrip()[0] == "=" else 2


def setext_text(above: str, before: str) -> str | None:
    """The text of the setext heading a line of ``===`` or ``---`` would make of the line
    ``above`` it, ``before`` being the line above that: a paragraph of one line, so
    ``above`` is paragraph text and ``before`` blank or none. None if it would make none."""
    text = above.strip()
    if not text or text[0] in _NOT_PARAGRAPH:
        return None
    before = before.lstrip()
    if before and before[0] not in _NOT_PARAGRAPH:
        return None
    return text


def emphasised_text(line: str) -> str | None:
    """The text of a line that is wholly bold or italic (``**5. References**``), as
    learners write a heading without ``#``; None for any other line."""
    found = _EMPHASISED.match(line)
    return found.group(2) if found else None


@lru_cache(maxsize=1024)
def _section_part(heading: str) -> str:
    return "references" if section_name(heading) in REFERENCE_SECTIONS else "appendices"


def _carve(
    raw: str, start: int, spans: Sequence[tuple[int, int]], index: int, cited: list[str]
) -> tuple[str, int]:
    """``raw`` (the line at ``start``) with the citation brackets in it blanked, each
    added to ``cited``; and the index of the first span not wholly before its end."""
    end = start + len(raw)
    while index < len(spans) and spans[index][1] <= start:
        index += 1
    probe = index
    pieces: list[str] = []
    done = 0  # the offset in raw up to which pieces hold the line
    while probe < len(spans) and spans[probe][0] < end:
        left, right = max(spans[probe][0], start) - start, min(spans[probe][1], end) - start
        cited.append(raw[left:right])
        pieces += [raw[done:left], " " * (right - left)]
        done = right
        if spans[probe][1] > end:
            break  # the bracket goes on to the next line
        probe += 1
    if not pieces:
        return raw, probe
    pieces.append(raw[done:])
    return "".join(pieces), probe


def _lines_by_part(  # noqa: C901 - one pass over every note's lines, on the indexing hot path
    body: str, rules: WordCountRules, spans: Sequence[tuple[int, int]]
) -> dict[str, list[str]]:
    """The lines of each part (list marks removed), in one pass. A line is matched against
    a pattern only when its first character could start it."""
    parts: dict[str, list[str]] = {}
    in_fence = False
    skip_level: int | None = None
    skip_part = ""
    in_table = False
    pos = 0
    span_index = 0
    cited: list[str] = []
    previous: tuple[str, str] | None = None  # the last kept line and its part
    last_part = ""  # where the last line kept went
    before = above = current = ""  # the two lines above this one, and this one as written
    for line in body.splitlines(keepends=True):
        start, pos = pos, pos + len(line)
        before, above = above, current
        raw = current = line.rstrip("\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
        stripped = raw.lstrip()
        if not stripped:
            in_table = False
            continue
        first = stripped[0]
        if first in "`~" and _FENCE.match(raw):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        part = "body"
        level = 0
        if raw[0] == "#":
            heading = _HEADING.match(raw)
            if heading:
                title, level = heading.group(2), len(heading.group(1))
        elif first in "=-" and not stripped.strip("=- \t") and not in_table:
            level = setext_level(raw) if setext_text(above, before) is not None else 0
            if level:  # the line above is the heading's text; this line is no word
                title = above.strip()
                parts[last_part].pop()
        elif first in "*_" and skip_level in (None, PSEUDO_LEVEL) and stripped[1:2] != " ":
            emphasised = emphasised_text(raw)
            if emphasised is not None and rules.excludes(emphasised):
                title, level = emphasised, PSEUDO_LEVEL
        if level:
            if skip_level is not None and level <= skip_level:
                skip_level = None
            if skip_level is None and rules.excludes(title):
                skip_level, skip_part = level, _section_part(title)
            part = "headings"
            if first in "=-":  # a setext heading: its text goes where its section is
                last_part = part if skip_level is None else skip_part
                parts.setdefault(last_part, []).append(title)
                previous = None
                continue
        if skip_level is not None:
            parts.setdefault(skip_part, []).append(raw)
            last_part = skip_part
            continue
        if first in "-*_|:" and (_RULE.match(raw) or _TABLE_SEPARATOR.match(raw)):
            if _TABLE_SEPARATOR.match(raw) and "|" in raw:
                in_table = True
                if previous is not None and "|" in previous[0] and previous[1] != "tables":
                    parts[previous[1]].pop()  # the header row above the separator
                    parts.setdefault("tables", []).append(previous[0])
            previous = None
            continue
        if first == "[" and _LINK_DEF.match(raw):
            continue
        if spans:
            raw, span_index = _carve(raw, start, spans, span_index, cited)
        if part == "body":
            if first == "|" or (in_table and "|" in raw):
                part = "tables"
            elif first == ">":
                part = "quotes"
            elif first in _CAPTION_STARTS and _CAPTION.match(raw):
                part = "captions"
        if first in "-*+>" or first.isdigit():
            raw = _LIST_MARK.sub(" ", raw, count=1)
        parts.setdefault(part, []).append(raw)
        previous = (raw, part)
        last_part = part
    if cited:
        parts["citations"] = cited
    return parts


def _strip_markup(text: str) -> str:
    """Remove images, link targets, HTML tags and bare URLs."""
    if "](" in text or "][" in text:
        text = _IMAGE.sub(" ", text)
        text = _LINK.sub(r"\1", text)
        text = _REF_LINK.sub(r"\1", text)
    if "<" in text:
        text = _AUTOLINK.sub(" ", text)
        text = _HTML_TAG.sub(" ", text)
    if "://" in text:
        text = _URL.sub(" ", text)
    return text


def _uncommented(body: str) -> str:
    """``body`` with its HTML comments as spaces, line breaks and offsets kept."""
    if "<!--" not in body:
        return body
    return _COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), body)


def breakdown(
    body: str,
    rules: WordCountRules | None = None,
    citation_spans: Sequence[tuple[int, int]] | None = None,
) -> dict[str, int]:
    """The words of each part of a note body (front matter aside), every part present.

    ``citation_spans`` are the citation brackets' offsets in ``body``
    (``companion.text.citations.spans``); they are found here when not given.
    """
    rules = rules or WordCountRules()
    body = _uncommented(body)
    if citation_spans is None:
        from companion.text.citations import find_citations, spans

        citation_spans = spans(find_citations(body)) if "(" in body else []
    lines = _lines_by_part(body, rules, citation_spans)
    counts = dict.fromkeys(PARTS, 0)
    for part, kept in lines.items():
        text = "\n".join(kept)
        if part == "tables":  # a pipe parts cells, as a table's borders do in a document
            text = text.replace("|", " ")
        counts[part] = tokens.count_words(_strip_markup(text))
    return counts


def counted(parts: dict[str, int], rules: WordCountRules | None = None) -> int:
    """The words of the parts that count under ``rules``."""
    rules = rules or WordCountRules()
    return sum(words for part, words in parts.items() if rules.counts(part))


def count_words(body: str, rules: WordCountRules | None = None) -> int:
    """The words of a note body that count under ``rules`` (citations found only when they
    are left out: otherwise they count wherever they stand)."""
    rules = rules or WordCountRules()
    spans: list[tuple[int, int]] | None = None if not rules.counts("citations") else []
    return counted(breakdown(body, rules, spans), rules)


def _scalars(value: Any, out: list[str]) -> None:
    if isinstance(value, dict):
        for item in value.values():
            _scalars(item, out)
    elif isinstance(value, list | tuple):
        for item in value:
            _scalars(item, out)
    elif value is not None and not isinstance(value, bool):
        out.append(str(value))


def words_in_values(value: Any) -> int:
    """The words of the values of front matter (``title: Board minutes`` is two), counted
    in one go: a value never runs into the next."""
    found: list[str] = []
    _scalars(value, found)
    return tokens.count_words("\n".join(found)) if found else 0


@dataclass(frozen=True)
class WordTarget:
    """A count against a target with a tolerance band, or against a cap."""

    words: int
    target: int
    low: int
    high: int

    @property
    def band(self) -> str:
        """``under``, ``in-band`` or ``over``."""
        if self.words < self.low:
            return "under"
        if self.words > self.high:
            return "over"
        return "in-band"


def against_target(words: int, target: int, tolerance_percent: int) -> WordTarget:
    """A count against a word target +/- a percentage (4,500 +/-10% is 4,050 to 4,950)."""
    delta = target * tolerance_percent / 100
    return WordTarget(words, target, round(target - delta), round(target + delta))


def against_cap(words: int, cap: int) -> WordTarget:
    """A count against a maximum (the 500-word proposal summary)."""
    return WordTarget(words, cap, 0, cap)
