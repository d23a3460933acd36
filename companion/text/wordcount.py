"""Count words the way an assessor would: prose only, not markdown syntax or references.

Rules (configurable per portfolio in ``companion.yaml`` under ``word_count``):
- only the body counts: front matter never does;
- a section whose heading is one of ``exclude_sections`` (default: References,
  Bibliography, Reference list, Appendix/Appendices, Annex/Annexes) is left out, with
  everything under it until a heading of the same or a higher level;
- headings count as words (their text is part of the submission);
- markdown syntax is not a word: heading marks, list bullets and numbers, emphasis, table pipes,
  link targets, image links, HTML tags, code fences and horizontal rules;
- fenced code blocks and HTML comments are left out; inline code counts as its words;
- a word is a run of letters or digits, with inner apostrophes and hyphens (don't, co-op).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from companion.text import tokens

DEFAULT_EXCLUDED = (
    "references",
    "reference list",
    "bibliography",
    "appendix",
    "appendices",
    "annex",
    "annexes",
)

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_RULE = re.compile(r"^\s*([-*_]\s*){3,}$")
_TABLE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_LINK_DEF = re.compile(r"^\s*\[[^\]]+\]:\s*\S+.*$")
_LIST_MARK = re.compile(r"^\s*(?:>\s*)*(?:[-*+]|\d+[.)])\s+")
# Markup removed from the kept lines all at once: each pattern stays within one line.
_IMAGE = re.compile(r"!\[([^\]\n]*)\]\([^)\n]*\)")
_LINK = re.compile(r"\[([^\]\n]*)\]\([^)\n]*\)")
_REF_LINK = re.compile(r"\[([^\]\n]*)\]\[[^\]\n]*\]")
_AUTOLINK = re.compile(r"<(https?://|mailto:)[^>\n]*>")
_HTML_TAG = re.compile(r"</?[A-Za-z][^>\n]*>")
_URL = re.compile(r"https?://\S+")


@dataclass(frozen=True)
class WordCountRules:
    """Which sections are excluded from a count."""

    exclude_sections: tuple[str, ...] = DEFAULT_EXCLUDED
    extra: dict = field(default_factory=dict)

    def excludes(self, heading: str) -> bool:
        """True when a heading starts a section that does not count."""
        name = re.sub(r"[^\w\s]", "", heading).strip().lower()
        return any(name == e or name.startswith(e + " ") for e in self.exclude_sections)


def _counted_lines(body: str, rules: WordCountRules) -> list[str]:
    """The lines whose words count (list marks removed): not in code, excluded sections,
    rules or link lists. A line is matched against a pattern only when its first character
    could start it.
    """
    kept: list[str] = []
    in_fence = False
    skip_level: int | None = None
    for raw in body.splitlines():
        stripped = raw.lstrip()
        if not stripped:
            continue
        first = stripped[0]
        if first in "`~" and _FENCE.match(raw):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        if raw[0] == "#":
            heading = _HEADING.match(raw)
            if heading:
                level = len(heading.group(1))
                if skip_level is not None and level <= skip_level:
                    skip_level = None
                if skip_level is None and rules.excludes(heading.group(2)):
                    skip_level = level
                    continue
        if skip_level is not None:
            continue
        if first in "-*_|:" and (_RULE.match(raw) or _TABLE_SEPARATOR.match(raw)):
            continue
        if first == "[" and _LINK_DEF.match(raw):
            continue
        if first in "-*+>" or first.isdigit():
            raw = _LIST_MARK.sub(" ", raw, count=1)
        kept.append(raw)
    return kept


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


def count_words(body: str, rules: WordCountRules | None = None) -> int:
    """The number of words in a note body under ``rules``."""
    rules = rules or WordCountRules()
    if "<!--" in body:
        body = _COMMENT.sub(" ", body)
    return tokens.count_words(_strip_markup("\n".join(_counted_lines(body, rules))))


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
