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


_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)


class Glossary:
    """Detects glossary names in text.

    A note is tokenised once; each alias is then a substring test on the joined tokens
    (acronyms such as GROW must match in capitals), so detection is one pass over the
    text plus cheap look-ups, whatever the size of the glossary.
    """

    def __init__(self, entries: list[GlossaryEntry]) -> None:
        self.entries = entries
        # first word (lower case) -> [(entry index, " joined alias tokens ", exact-case word)]
        self._by_first: dict[str, list[tuple[int, str, str | None]]] = {}
        for index, entry in enumerate(entries):
            for alias in (entry.name, *entry.aliases):
                tokens = _TOKEN.findall(alias.lower())
                if not tokens:
                    continue
                exact = alias if alias.isupper() and len(alias) <= 6 and alias.isalpha() else None
                self._by_first.setdefault(tokens[0], []).append(
                    (index, " " + " ".join(tokens) + " ", exact)
                )

    def detect(self, text: str) -> list[str]:
        """Names of the models ``text`` mentions, in glossary order."""
        lowered = _TOKEN.findall(text.lower())
        joined = " " + " ".join(lowered) + " "
        exact_words: set[str] | None = None
        found: set[int] = set()
        for word in set(lowered) & self._by_first.keys():
            for index, phrase, exact in self._by_first[word]:
                if index in found:
                    continue
                if exact is not None:
                    if exact_words is None:
                        exact_words = set(_TOKEN.findall(text))
                    if exact in exact_words:
                        found.add(index)
                elif phrase in joined:
                    found.add(index)
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
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader) or {}
        except (yaml.YAMLError, UnicodeDecodeError):
            data = {}
        raw = data.get("models", []) if isinstance(data, dict) else []
    base = [
        GlossaryEntry(str(item["name"]), tuple(str(a) for a in item.get("aliases") or ()))
        for item in raw
        if isinstance(item, dict) and item.get("name")
    ]
    # The same one-pass detection notes get, run over each AC's Depth text.
    detector = Glossary(base)
    criteria: dict[str, list[str]] = {e.name: [] for e in base}
    for c in content.criteria:
        for name in detector.detect(_depth_text(c.depth)):
            criteria[name].append(c.id)
    linked = [GlossaryEntry(e.name, e.aliases, tuple(criteria[e.name])) for e in base]
    return Glossary(linked)
