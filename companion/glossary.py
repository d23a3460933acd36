"""Recognise the theories and models a note names, so tagging can offer them as items.

The glossary is content (``glossary.yaml``): each model with its aliases. Each entry is
linked to the ACs whose Depth names it, so suggestions can favour the models an AC expects.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from companion.content_model import Content, DepthEntry


@dataclass(frozen=True)
class GlossaryEntry:
    """A theory or model and the spellings that name it."""

    name: str
    aliases: tuple[str, ...]
    criteria: tuple[str, ...] = ()


def _pattern(alias: str) -> re.Pattern[str]:
    escaped = re.escape(alias).replace(r"\ ", r"[\s\-]+")
    flags = 0 if alias.isupper() and len(alias) <= 6 else re.IGNORECASE
    return re.compile(rf"(?<![\w]){escaped}(?![\w])", flags)


def _alternation(aliases: list[str], flags: int) -> re.Pattern[str] | None:
    if not aliases:
        return None
    ordered = sorted(set(aliases), key=len, reverse=True)
    body = "|".join(re.escape(a).replace(r"\ ", r"[\s\-]+") for a in ordered)
    return re.compile(rf"(?<![\w])(?:{body})(?![\w])", flags)


def _key(alias: str) -> str:
    return re.sub(r"[\s\-]+", " ", alias).lower()


class Glossary:
    """Detects glossary names in text with two combined patterns (one pass each)."""

    def __init__(self, entries: list[GlossaryEntry]) -> None:
        self.entries = entries
        self._owner: dict[str, int] = {}
        exact: list[str] = []
        loose: list[str] = []
        for index, entry in enumerate(entries):
            for alias in (entry.name, *entry.aliases):
                self._owner.setdefault(_key(alias), index)
                (exact if alias.isupper() and len(alias) <= 6 else loose).append(alias)
        self._exact = _alternation(exact, 0)
        self._loose = _alternation(loose, re.IGNORECASE)

    def detect(self, text: str) -> list[str]:
        """Names of the models ``text`` mentions, in glossary order."""
        found: set[int] = set()
        for pattern in (self._exact, self._loose):
            if pattern is None:
                continue
            for match in pattern.finditer(text):
                owner = self._owner.get(_key(match.group(0)))
                if owner is not None:
                    found.add(owner)
        return [self.entries[i].name for i in sorted(found)]

    def for_criterion(self, ac_id: str) -> list[str]:
        """Names of the models an AC's Depth mentions."""
        return [e.name for e in self.entries if ac_id in e.criteria]


def _depth_text(entries: tuple[DepthEntry, ...]) -> str:
    return "\n".join(e.text + "\n" + _depth_text(e.items) for e in entries)


def load_glossary(content: Content) -> Glossary:
    """The content's glossary, each entry linked to the ACs whose Depth names it."""
    path = Path(content.root) / "glossary.yaml"
    raw: list = []
    if path.is_file():
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (yaml.YAMLError, UnicodeDecodeError):
            data = {}
        raw = data.get("models", []) if isinstance(data, dict) else []
    base = [
        GlossaryEntry(str(item["name"]), tuple(str(a) for a in item.get("aliases") or ()))
        for item in raw
        if isinstance(item, dict) and item.get("name")
    ]
    depth_by_ac = {c.id: _depth_text(c.depth) for c in content.criteria}
    linked: list[GlossaryEntry] = []
    for entry in base:
        patterns = [_pattern(a) for a in (entry.name, *entry.aliases)]
        criteria = tuple(
            ac for ac, text in depth_by_ac.items() if any(p.search(text) for p in patterns)
        )
        linked.append(GlossaryEntry(entry.name, entry.aliases, criteria))
    return Glossary(linked)
