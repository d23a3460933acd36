"""Recognise the theories and models a note names, so tagging can offer them as items.

The glossary is content (``glossary.yaml``): each model with its aliases. Each entry is
linked to the ACs whose Depth names it, so suggestions can favour the models an AC expects.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from companion.content.model import Content, Criterion, DepthEntry
from companion.text.mentions import Spellings
from companion.text.tokens import alnum_tokens


@dataclass(frozen=True)
class GlossaryEntry:
    """A theory or model and the spellings that name it."""

    name: str
    aliases: tuple[str, ...]
    criteria: tuple[str, ...] = ()


class Glossary:
    """Detects glossary names in text.

    A note is tokenised once; each alias is then a substring test on the joined lower-case
    tokens (acronyms such as GROW must match in capitals), so detection is one pass over
    the text plus cheap look-ups, whatever the size of the glossary.
    """

    def __init__(self, entries: list[GlossaryEntry]) -> None:
        self.entries = entries
        # first word (lower case) ->
        #   [(entry index, " joined alias tokens ", exact-case word, the other words)]
        self._by_first: dict[str, list[tuple[int, str, str | None, tuple[str, ...]]]] = {}
        for index, entry in enumerate(entries):
            for alias in (entry.name, *entry.aliases):
                tokens = alnum_tokens(alias.lower())
                if not tokens:
                    continue
                exact = alias if alias.isupper() and len(alias) <= 6 and alias.isalpha() else None
                self._by_first.setdefault(tokens[0], []).append(
                    (index, " " + " ".join(tokens) + " ", exact, tuple(tokens[1:]))
                )

    def detect(self, text: str) -> list[str]:
        """Names of the models ``text`` mentions, in glossary order."""
        words = alnum_tokens(text)
        distinct = set(words)
        lowered = {w.lower() for w in distinct}
        firsts = lowered & self._by_first.keys()
        if not firsts:
            return []
        joined = " " + " ".join(words).lower() + " "
        found: set[int] = set()
        for word in firsts:
            for index, phrase, exact, rest in self._by_first[word]:
                if index in found:
                    continue
                if exact is not None:
                    if exact in distinct:
                        found.add(index)
                elif all(w in lowered for w in rest) and phrase in joined:
                    found.add(index)
        return [self.entries[i].name for i in sorted(found)]

    @property
    def spellings(self) -> Spellings:
        """Each entry's name and aliases as one group: the spellings a claimed model may be
        named by in the evidence."""
        return Spellings.of((e.name, *e.aliases) for e in self.entries)

    def for_criterion(self, ac_id: str) -> list[str]:
        """Names of the models an AC's Depth mentions."""
        return [e.name for e in self.entries if ac_id in e.criteria]


def _depth_text(entries: tuple[DepthEntry, ...]) -> str:
    return "\n".join(e.text + "\n" + _depth_text(e.items) for e in entries)


def load_glossary(content: Content) -> Glossary:
    """The content's glossary, each entry linked to the ACs whose Depth names it."""
    path = Path(content.root) / "glossary.yaml"
    raw: list[Any] = []
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


def model_requirement(criterion: Criterion) -> str | None:
    """The id of the AC's requirement that counts models or theories, if it has one."""
    for requirement in criterion.requirements:
        if any(w in f"{requirement.id} {requirement.label}".lower() for w in ("model", "theor")):
            return requirement.id
    return None


def suggestions(glossary: Glossary, text: str, criterion: Criterion) -> dict[str, list[str]]:
    """Models a note names that the AC's own Depth names too, per requirement that counts them.

    These are only suggestions for the learner to pick: a model the note mentions is not
    evidence that the requirement is met, and one the AC does not expect is not offered.
    """
    requirement = model_requirement(criterion)
    if requirement is None:
        return {}
    expected = set(glossary.for_criterion(criterion.id))
    found = [name for name in glossary.detect(text) if name in expected]
    return {requirement: found} if found else {}
