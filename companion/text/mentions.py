"""Whether a text mentions a name: a model, a stakeholder group, anything a tag claims.

A claim is only worth something when the evidence bears it out, so a name must occur in the
text as words: case does not matter, nor do hyphens, apostrophes or punctuation between its
words (``Kotter's eight-step`` is ``kotter s eight step``). A short acronym (GROW, SMART,
WIN) must occur in capitals, since in lower case it is an everyday word ("we grow").
The spellings of one name (``GROW``, ``GROW model``) come from the glossary as groups.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from companion.text.tokens import alnum_tokens


def phrase(text: str) -> str:
    """A name as the matcher compares it: its lower-case words joined by single spaces."""
    return " ".join(alnum_tokens(text.lower()))


def _acronym(spelling: str) -> bool:
    """An all-capitals word of up to six letters: matched in capitals only."""
    word = spelling.strip()
    return word.isalpha() and word.isupper() and len(word) <= 6


@dataclass(frozen=True)
class Spellings:
    """Groups of spellings that name the same thing (a glossary entry's name and aliases)."""

    groups: tuple[tuple[str, ...], ...] = ()
    _by_phrase: dict[str, tuple[str, ...]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        for group in self.groups:
            for spelling in group:
                key = phrase(spelling)
                if key:
                    self._by_phrase[key] = self._by_phrase.get(key, ()) + group

    @classmethod
    def of(cls, groups: Iterable[Iterable[str]]) -> Spellings:
        """Spellings from any iterable of groups."""
        return cls(tuple(tuple(str(s) for s in g) for g in groups))

    @cached_property
    def key(self) -> str:
        """What the spellings are, as a short hash: a result worked out with other
        spellings is worked out again."""
        digest = hashlib.sha256(repr(self.groups).encode("utf-8", "surrogatepass"))
        return digest.hexdigest()[:16]

    def known(self, name: str) -> bool:
        """True when ``name`` is one of the spellings (so it names something known)."""
        return phrase(name) in self._by_phrase

    def variants(self, name: str) -> tuple[str, ...]:
        """``name`` and every other spelling of what it names."""
        found = [name]
        for spelling in self._by_phrase.get(phrase(name), ()):
            if spelling not in found:
                found.append(spelling)
        return tuple(found)


class Mentions:
    """A text read once, then asked about any number of names."""

    def __init__(self, text: str) -> None:
        words = alnum_tokens(text)
        self._exact = set(words)
        self._joined = " " + " ".join(words).lower() + " "

    def spelled(self, spelling: str) -> bool:
        """True when this one spelling occurs as whole words."""
        if _acronym(spelling):
            return spelling.strip() in self._exact
        key = phrase(spelling)
        return bool(key) and f" {key} " in self._joined

    def names(self, name: str, spellings: Spellings) -> bool:
        """True when the text names ``name`` by any of its spellings."""
        return any(self.spelled(s) for s in spellings.variants(name))
