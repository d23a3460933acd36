"""Assessment criterion ids as people type them, made canonical.

Learners and tutors write ``700 AC1.1``, ``8431-700 1.1`` or ``unit 700 1.1``; the content
stores ``700/1.1``. Every command and dialog that takes an AC goes through this one function.
It works on the content's digest (``companion.content.digest``), so that ``tag`` can check an
id without loading the whole model.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from companion.content.digest import CriteriaDigest, CriterionTerms
from companion.errors import CompanionError

if TYPE_CHECKING:
    from companion.content.model import Content

_AC_PATTERN = re.compile(
    r"^\s*(?:unit\s*)?(?P<unit>[\w.-]+?)[\s/:,]*(?:ac\s*)?(?P<lo>\d+)\s*\.\s*(?P<n>\d+)\s*$",
    re.IGNORECASE,
)


def _digest(content: Content | CriteriaDigest) -> CriteriaDigest:
    return content if isinstance(content, CriteriaDigest) else content.digest


def normalise_ac_id(content: Content | CriteriaDigest, raw: str) -> str | None:
    """Turn a loose AC spelling (``700 AC1.1``, ``8431-700 1.1``, ``700/1.1``) into its id.

    Returns ``None`` when the spelling names no AC of this content.
    """
    if not isinstance(raw, str):
        return None
    match = _AC_PATTERN.match(raw)
    if not match:
        return None
    digest = _digest(content)
    given = match.group("unit").strip().lower()
    for unit_id, code in digest.units:
        if given in {unit_id.lower(), code.lower()}:
            candidate = f"{unit_id}/{int(match.group('lo'))}.{int(match.group('n'))}"
            return candidate if digest.criterion(candidate) else None
    return None


class UnknownCriterion(CompanionError):
    """An id that names no assessment criterion of the content: bad input."""


def require_terms(content: Content | CriteriaDigest, raw: str) -> CriterionTerms:
    """The AC a loose spelling names, as the digest has it; raise UnknownCriterion saying
    so when it names none."""
    digest = _digest(content)
    ac_id = normalise_ac_id(digest, raw)
    terms = digest.criterion(ac_id) if ac_id else None
    if terms is None:
        example = digest.criteria[0].id if digest.criteria else "700/1.1"
        raise UnknownCriterion(f"'{raw}' is not an assessment criterion (try e.g. {example})")
    return terms
