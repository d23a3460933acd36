"""The rules of a word count that a profile may set, and the parts they speak of.

Apart from the counter (``companion.text.wordcount``) so that reading a profile, as every
command does, needs only these names and one pattern, not the counter's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

DEFAULT_EXCLUDED = (
    "references",
    "reference list",
    "list of references",
    "works cited",
    "bibliography",
    "appendix",
    "appendices",
    "annex",
    "annexes",
)
"""Headings whose sections are set apart: reference lists and appendices."""
REFERENCE_SECTIONS = (
    "references",
    "reference list",
    "list of references",
    "works cited",
    "bibliography",
)
"""Set-apart headings that make a section part of the reference list (the others are
appendices)."""
PARTS = (
    "body",
    "headings",
    "tables",
    "captions",
    "quotes",
    "citations",
    "references",
    "appendices",
    "front-matter",
)
PART_LABELS = {
    "body": "body text",
    "headings": "headings",
    "tables": "tables",
    "captions": "captions",
    "quotes": "block quotes",
    "citations": "in-text citations",
    "references": "reference list",
    "appendices": "appendices and annexes",
    "front-matter": "front matter",
}
DEFAULT_LEFT_OUT = ("references", "appendices", "front-matter")
"""The parts that do not count towards a word target unless the profile says otherwise."""

_NUMBERING = re.compile(
    r"^(?:(?:section|part|chapter)\s+)?"
    r"(?:\d+(?:\.\d+)*[.):]?\s+|(?:\d+(?:\.\d+)*|[ivxlc]+|[a-z])[.):]\s*)",
    re.IGNORECASE,
)


def section_name(heading: str) -> str:
    """A heading as the name of its section: lower case, without the number a learner puts
    before it (``5.``, ``6.1``, ``iv)``, ``Section 3:``) or its punctuation, so
    ``5. References`` is the references and ``6. Appendices`` the appendices."""
    name = heading.strip().strip("*_").strip()
    name = _NUMBERING.sub("", name, count=1) if _NUMBERING.match(name) else name
    return re.sub(r"[^\w\s]", "", name).strip().lower()


def sets_apart(heading: str, sections: Iterable[str] = DEFAULT_EXCLUDED) -> bool:
    """True when a heading names one of ``sections``, numbered or not (``5. References``,
    ``Section 6: Appendices``, ``Appendix A: survey``)."""
    if isinstance(sections, tuple):
        return _sets_apart(heading, sections)
    name = section_name(heading)
    return any(name == e or name.startswith(e + " ") for e in sections)


@lru_cache(maxsize=4096)
def _sets_apart(heading: str, sections: tuple[str, ...]) -> bool:
    """``sets_apart`` kept per heading: a portfolio's notes repeat the same few headings
    (Background, Approach, References), each read at every note."""
    name = section_name(heading)
    return any(name == e or name.startswith(e + " ") for e in sections)


def part_names(values: Iterable[str]) -> tuple[str, ...]:
    """Part names as a profile may write them (``front matter``, ``Appendices``)."""
    out = []
    for value in values:
        name = str(value).strip().lower().replace("_", "-").replace(" ", "-")
        out.append({"appendix": "appendices", "quote": "quotes"}.get(name, name))
    return tuple(out)


@dataclass(frozen=True)
class WordCountRules:
    """Which sections are set apart, and which parts of a note do not count."""

    exclude_sections: tuple[str, ...] = DEFAULT_EXCLUDED
    leave_out: tuple[str, ...] = DEFAULT_LEFT_OUT
    extra: dict[str, Any] = field(default_factory=dict)

    def excludes(self, heading: str) -> bool:
        """True when a heading starts a section set apart (a reference list, an appendix),
        numbered or not (``5. References``, ``Section 6: Appendices``)."""
        return sets_apart(heading, self.exclude_sections)

    def counts(self, part: str) -> bool:
        """True when ``part`` counts towards a word target."""
        return part not in self.leave_out
