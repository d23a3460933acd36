"""What tagging needs to know of a framework, kept apart from the full model.

``companion tag`` runs each time a learner files evidence, and most of its time is start-up.
Creating the model's classes and reading the whole content back from the cache made up
about a third of it. Tagging needs only the ACs' ids, the unit ids and codes people type
them with, and each AC's requirement and checklist ids. The digest holds just those, in
plain tuples. The content cache keeps it as JSON beside the model
(``companion.content.cache.cached_digest``), so a tag reads it without loading the model.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from companion.content.model import Content


@dataclass(frozen=True)
class CriterionTerms:
    """One AC as tagging sees it: its id and the ids a tag may name within it."""

    id: str
    requirements: tuple[str, ...] = ()
    """The ids of its numeric minimums (``--count REQUIREMENT=ITEM``)."""
    checklist: tuple[str, ...] = ()
    """The ids of its checklist items (``--covers ITEM``)."""


@dataclass(frozen=True)
class CriteriaDigest:
    """The framework's units (id and code) and ACs, in the content's order."""

    units: tuple[tuple[str, str], ...]
    criteria: tuple[CriterionTerms, ...]

    @classmethod
    def of(cls, content: Content) -> CriteriaDigest:
        """The digest of loaded content."""
        return cls(
            units=tuple((unit.id, unit.code) for unit in content.units),
            criteria=tuple(
                CriterionTerms(
                    criterion.id,
                    tuple(r.id for r in criterion.requirements),
                    tuple(c.id for c in criterion.checklist),
                )
                for criterion in content.criteria
            ),
        )

    def criterion(self, ac_id: str) -> CriterionTerms | None:
        """The AC with canonical id ``ac_id``."""
        return self._by_id.get(ac_id)

    @cached_property
    def _by_id(self) -> dict[str, CriterionTerms]:
        return {c.id: c for c in self.criteria}

    def to_json(self) -> dict[str, Any]:
        """The digest as plain JSON, for the cache."""
        return {
            "units": [list(unit) for unit in self.units],
            "criteria": [[c.id, list(c.requirements), list(c.checklist)] for c in self.criteria],
        }

    @classmethod
    def from_json(cls, data: Any) -> CriteriaDigest:
        """The digest ``to_json`` made; ValueError when ``data`` is not of its shape (a
        damaged cache file)."""
        try:
            units = tuple((_text(u), _text(c)) for u, c in data["units"])
            criteria = tuple(
                CriterionTerms(_text(i), _texts(reqs), _texts(items))
                for i, reqs, items in data["criteria"]
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"not a content digest: {exc}") from None
        return cls(units, criteria)


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{value!r} is not text")
    return value


def _texts(values: Any) -> tuple[str, ...]:
    if not isinstance(values, list):
        raise ValueError(f"{values!r} is not a list")
    return tuple(_text(v) for v in values)
