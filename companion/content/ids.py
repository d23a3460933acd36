"""Assessment criterion ids as people type them, made canonical.

Learners and tutors write ``700 AC1.1``, ``8431-700 1.1`` or ``unit 700 1.1``; the content
stores ``700/1.1``. Every command and dialog that takes an AC goes through this one function.
"""

from __future__ import annotations

import re

from companion.content.model import Content, Criterion
from companion.errors import CompanionError

_AC_PATTERN = re.compile(
    r"^\s*(?:unit\s*)?(?P<unit>[\w.-]+?)[\s/:,]*(?:ac\s*)?(?P<lo>\d+)\s*\.\s*(?P<n>\d+)\s*$",
    re.IGNORECASE,
)


def normalise_ac_id(content: Content, raw: str) -> str | None:
    """Turn a loose AC spelling (``700 AC1.1``, ``8431-700 1.1``, ``700/1.1``) into its id.

    Returns ``None`` when the spelling names no AC of this content.
    """
    if not isinstance(raw, str):
        return None
    match = _AC_PATTERN.match(raw)
    if not match:
        return None
    given = match.group("unit").strip().lower()
    for unit in content.units:
        if given in {unit.id.lower(), unit.code.lower()}:
            candidate = f"{unit.id}/{int(match.group('lo'))}.{int(match.group('n'))}"
            return candidate if content.criterion(candidate) else None
    return None


class UnknownCriterion(CompanionError):
    """An id that names no assessment criterion of the content: bad input."""


def require_criterion(content: Content, raw: str) -> Criterion:
    """The AC a loose spelling names; raise UnknownCriterion saying so when it names none."""
    ac_id = normalise_ac_id(content, raw)
    criterion = content.criterion(ac_id) if ac_id else None
    if criterion is None:
        example = content.criteria[0].id if content.criteria else "700/1.1"
        raise UnknownCriterion(f"'{raw}' is not an assessment criterion (try e.g. {example})")
    return criterion
