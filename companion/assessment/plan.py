"""Which units a learner takes: all of them, or, where the framework has levels, the
mandatory units of the level chosen plus the optional ones picked, checked against the
level's rule ("L3 requires 4 mandatory + 3 optional units")."""

from __future__ import annotations

from dataclasses import dataclass, field

from companion.content.model import Content, Level, Unit
from companion.portfolio.profile import PROFILE_NAME, Profile


@dataclass(frozen=True)
class UnitPlan:
    """The learner's units, and what is wrong with the choice (nothing, when it is whole)."""

    units: tuple[Unit, ...]
    level: Level | None = None
    mandatory: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    problems: tuple[str, ...] = field(default_factory=tuple)

    @property
    def line(self) -> str:
        """One line saying the level and the units, for status and the dashboard."""
        if self.level is None:
            return ""
        chosen = f"{len(self.optional)} of {self.level.optional} optional"
        return (
            f"Level {self.level.id}: {len(self.mandatory)} mandatory units "
            f"({', '.join(self.mandatory)}), {chosen}"
            + (f" ({', '.join(self.optional)})" if self.optional else "")
        )


def unit_plan(content: Content, profile: Profile) -> UnitPlan:
    """The learner's units under the framework's levels (every unit where there are none)."""
    if not content.standard.levels:
        return UnitPlan(content.units)
    levels = ", ".join(lv.id for lv in content.standard.levels)
    if not profile.level:
        return UnitPlan(
            (), problems=(f"choose your level in {PROFILE_NAME} ('level:', one of {levels})",)
        )
    level = content.level(profile.level)
    if level is None:
        return UnitPlan(
            (), problems=(f"{PROFILE_NAME}: no level '{profile.level}' (levels: {levels})",)
        )
    mandatory = tuple(u.id for u in content.units if u.levels.get(level.id) == "mandatory")
    offered = {u.id for u in content.units if u.levels.get(level.id) == "optional"}
    problems: list[str] = []
    optional: list[str] = []
    for unit_id in profile.optional_units:
        if unit_id in mandatory:
            problems.append(f"{unit_id} is mandatory at {level.id}: leave it out of optional_units")
        elif unit_id not in offered:
            problems.append(f"{unit_id} is not an optional unit at {level.id}")
        elif unit_id not in optional:
            optional.append(unit_id)
    if len(optional) < level.optional:
        problems.append(
            f"{level.id} needs {level.optional} optional units: {len(optional)} chosen "
            f"({level.rule_text or level.title})"
        )
    elif len(optional) > level.optional:
        problems.append(f"{level.id} takes {level.optional} optional units: {len(optional)} chosen")
    chosen = set(mandatory) | set(optional)
    units = tuple(u for u in content.units if u.id in chosen)
    return UnitPlan(units, level, mandatory, tuple(optional), tuple(problems))
