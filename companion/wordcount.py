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
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_REF_LINK = re.compile(r"\[([^\]]*)\]\[[^\]]*\]")
_LINK_DEF = re.compile(r"^\s*\[[^\]]+\]:\s*\S+.*$")
_AUTOLINK = re.compile(r"<(https?://|mailto:)[^>]*>")
_HTML_TAG = re.compile(r"</?[A-Za-z][^>]*>")
_RULE = re.compile(r"^\s*([-*_]\s*){3,}$")
_TABLE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_LIST_MARK = re.compile(r"^\s*(?:>\s*)*(?:[-*+]|\d+[.)])\s+")
_WORD = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*", re.UNICODE)


@dataclass(frozen=True)
class WordCountRules:
    """Which sections are excluded from a count."""

    exclude_sections: tuple[str, ...] = DEFAULT_EXCLUDED
    extra: dict = field(default_factory=dict)

    def excludes(self, heading: str) -> bool:
        """True when a heading starts a section that does not count."""
        name = re.sub(r"[^\w\s]", "", heading).strip().lower()
        return any(name == e or name.startswith(e + " ") for e in self.exclude_sections)


def _strip_markup(line: str) -> str:
    line = _LIST_MARK.sub(" ", line)
    line = _IMAGE.sub(" ", line)
    line = _LINK.sub(r"\1", line)
    line = _REF_LINK.sub(r"\1", line)
    line = _AUTOLINK.sub(" ", line)
    line = _HTML_TAG.sub(" ", line)
    line = re.sub(r"https?://\S+", " ", line)
    return line


def count_words(body: str, rules: WordCountRules | None = None) -> int:
    """The number of words in a note body under ``rules``."""
    rules = rules or WordCountRules()
    body = _COMMENT.sub(" ", body)
    total = 0
    in_fence = False
    skip_level: int | None = None
    for raw in body.splitlines():
        if _FENCE.match(raw):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
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
        if _RULE.match(raw) or _TABLE_SEPARATOR.match(raw) or _LINK_DEF.match(raw):
            continue
        total += len(_WORD.findall(_strip_markup(raw)))
    return total


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
