"""Links from one note to another: ``[[wiki links]]`` and relative markdown links.

``[[Coaching plan]]``, ``[[Coaching plan|the plan]]``, ``[[Coaching plan#Goals]]`` and
``[[evidence/04-coaching-programme-report]]`` name a note by its file name (without
``.md``) or its path; ``[the plan](../evidence/plan.md#goals)`` by its path relative to the
linking note. Links in code and comments are not links; web addresses are not notes.
Which note a link names is worked out against the whole portfolio (assessment.links).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote

from companion.text.prose import without_code

_WIKI = re.compile(r"!?\[\[([^\[\]\n|#]*)(?:#([^\[\]\n|]*))?(?:\|([^\[\]\n]*))?\]\]")
_MARKDOWN = re.compile(r"(?<!!)\[([^\]\n]*)\]\(\s*(<[^>\n]+>|[^)\s]+)(?:\s+\"[^\"\n]*\")?\s*\)")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
NOTE_SUFFIXES = (".md", ".markdown")
MAX_LINKS = 100
"""The most links a record keeps of one note."""


@dataclass(frozen=True, slots=True)
class Link:
    """One link as written: its kind, the note it names, the heading, the line."""

    kind: str  # wiki | markdown
    target: str
    heading: str
    line: int
    text: str

    def to_json(self) -> list[object]:
        """The record's compact form."""
        return [self.kind, self.target, self.heading, self.line, self.text]

    @classmethod
    def from_json(cls, data: list[object]) -> Link | None:
        """A link from the record's form; None when the data is not one."""
        if not isinstance(data, list) or len(data) != 5:
            return None
        kind, target, heading, line, text = data
        if not (
            isinstance(kind, str)
            and isinstance(target, str)
            and isinstance(heading, str)
            and isinstance(line, int)
            and isinstance(text, str)
        ):
            return None
        return cls(kind, target, heading, line, text)


def _note_target(target: str) -> str | None:
    """The path of a markdown link's target when it is a note; None for web addresses,
    anchors in the same note and other files."""
    if target.startswith("<") and target.endswith(">"):
        target = target[1:-1].strip()
    if not target or target.startswith("#") or _SCHEME.match(target) or target.startswith("//"):
        return None
    path = unquote(target.split("#", 1)[0].split("?", 1)[0])
    return path if path.lower().endswith(NOTE_SUFFIXES) else None


def find_links(text: str, first_line: int = 1) -> list[Link]:
    """Every link to a note in ``text``, in reading order, with its 1-based line."""
    if "[" not in text:
        return []
    text = without_code(text)
    found: list[tuple[int, Link]] = []
    if "[[" in text:
        for match in _WIKI.finditer(text):
            target = match.group(1).strip()
            if not target:
                continue
            suffix = target.rsplit(".", 1)[-1].lower() if "." in target.rsplit("/", 1)[-1] else ""
            if suffix and f".{suffix}" not in NOTE_SUFFIXES:
                continue  # ![[diagram.png]]: an attachment, not a note
            line = first_line + text.count("\n", 0, match.start())
            heading = (match.group(2) or "").strip()
            found.append(
                (
                    match.start(),
                    Link("wiki", target, heading, line, " ".join(match.group(0).split())),
                )
            )
    if "](" in text:
        for match in _MARKDOWN.finditer(text):
            path = _note_target(match.group(2))
            if path is None:
                continue
            anchor = match.group(2).split("#", 1)[1] if "#" in match.group(2) else ""
            line = first_line + text.count("\n", 0, match.start())
            found.append(
                (
                    match.start(),
                    Link("markdown", path, unquote(anchor.rstrip(">")), line, match.group(0)),
                )
            )
    found.sort(key=lambda item: item[0])
    return [link for _, link in found]
