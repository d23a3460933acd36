"""Cross-file checks of a content folder: every id named exists, once, and the parts agree.

The file readers check each value's type; this module checks what only the whole folder can
show: a grouping naming a unit that is not there, an AC naming an unknown KSB, a gateway
check the app does not know, a level whose mandatory units do not add up. One function per
concern, each returning its problems.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from companion.content.located_yaml import LocatedDict
from companion.content.model import (
    Criterion,
    EvidenceRule,
    EvidenceType,
    Grouping,
    Standard,
    Unit,
)
from companion.content.problems import Problem
from companion.content.schema import EVIDENCE_RULES, GATEWAY_CHECKS, HEADER_FIELDS

Units = list[tuple[Unit, Path, LocatedDict]]


def duplicates(ids: Iterable[tuple[str, Path, int]], what: str) -> list[Problem]:
    """A problem for each id seen before, naming where it was first."""
    seen: dict[str, tuple[Path, int]] = {}
    problems: list[Problem] = []
    for ident, path, line in ids:
        if not ident:
            continue
        if ident in seen:
            first = seen[ident]
            problems.append(
                Problem(
                    path,
                    line,
                    f"duplicate {what} id '{ident}' (first at {first[0].name}:{first[1]})",
                )
            )
        else:
            seen[ident] = (path, line)
    return problems


def _line(node: LocatedDict | None, key: str) -> int:
    return node.line_of(key) if node is not None else 0


def known_ksbs(standard: Standard) -> set[str]:
    """Every KSB code and KSB part code of the standard."""
    codes = {k.id for k in standard.ksbs}
    codes.update(p.id for k in standard.ksbs for p in k.parts)
    return codes


def _check_ids(standard: Standard, path: Path, root: LocatedDict, units: Units) -> list[Problem]:
    ksb_nodes = root.get("ksbs") if isinstance(root.get("ksbs"), list) else []
    problems = duplicates(
        (
            (k.id, path, _line(n, "id") if isinstance(n, LocatedDict) else 0)
            for k, n in zip(standard.ksbs, ksb_nodes or [], strict=False)
        ),
        "KSB",
    )
    problems += duplicates(((p.id, path, 0) for k in standard.ksbs for p in k.parts), "KSB part")
    problems += duplicates(((d.id, path, 0) for d in standard.duties), "duty")
    problems += duplicates(((g.id, path, 0) for g in standard.groupings), "grouping")
    problems += duplicates(
        ((d.id, path, 0) for g in standard.groupings for d in g.descriptors), "descriptor"
    )
    problems += duplicates(((lv.id, path, 0) for lv in standard.levels), "level")
    problems += duplicates(((u.id, p, _line(n, "id")) for u, p, n in units), "unit")
    problems += duplicates(
        ((c.id, p, _line(n, "learning_outcomes")) for u, p, n in units for c in u.criteria),
        "criterion",
    )
    return problems


def _check_duties(standard: Standard, path: Path, root: LocatedDict) -> list[Problem]:
    codes = known_ksbs(standard)
    return [
        Problem(path, _line(root, "duties"), f"duty {duty.id} names unknown KSB '{code}'")
        for duty in standard.duties
        for code in duty.ksbs
        if code not in codes
    ]


def _check_proposal(
    standard: Standard, path: Path, criteria: dict[str, Criterion]
) -> list[Problem]:
    problems = []
    if standard.proposal_criterion and standard.proposal_criterion not in criteria:
        problems.append(
            Problem(
                path,
                0,
                f"epa.proposal_summary names unknown criterion '{standard.proposal_criterion}'",
            )
        )
    seen: set[str] = set()
    for section in standard.proposal_sections:
        if section.id in seen:
            problems.append(
                Problem(path, 0, f"proposal summary section '{section.id}' appears twice")
            )
        seen.add(section.id)
    return problems


def _check_groupings(
    standard: Standard, path: Path, units: Units, criteria: dict[str, Criterion]
) -> list[Problem]:
    codes = known_ksbs(standard)
    unit_ids = {u.id for u, _, _ in units}
    descriptor_ids = {m.id for m in standard.epa_methods}
    messages: list[str] = []
    for grouping in standard.groupings:
        where = f"grouping '{grouping.id}'"
        messages += [f"{where} names unknown KSB '{c}'" for c in grouping.ksbs if c not in codes]
        messages += [
            f"{where} names unknown unit '{u}'" for u in grouping.units if u not in unit_ids
        ]
        if grouping.epa_method and descriptor_ids and grouping.epa_method not in descriptor_ids:
            messages.append(f"{where} names unknown EPA method '{grouping.epa_method}'")
        messages += _mapping_problems(grouping, where, codes, criteria)
        messages += _descriptor_problems(grouping, codes, criteria)
    return [Problem(path, 0, message) for message in messages]


def _mapping_problems(
    grouping: Grouping, where: str, codes: set[str], criteria: dict[str, Criterion]
) -> list[str]:
    """The grouping's KSB-to-AC rows that name a KSB or an AC the content does not have."""
    messages: list[str] = []
    for row in grouping.mapping:
        if row.ksb not in codes:
            messages.append(f"{where} maps unknown KSB '{row.ksb}'")
        messages += [
            f"{where} maps {row.ksb} to unknown criterion '{ac}'"
            for ac in row.criteria
            if ac not in criteria
        ]
    return messages


def _descriptor_problems(
    grouping: Grouping, codes: set[str], criteria: dict[str, Criterion]
) -> list[str]:
    """The grouping's pass descriptors that name a KSB or an AC the content does not have."""
    messages: list[str] = []
    for descriptor in grouping.descriptors:
        where = f"descriptor {descriptor.id}"
        messages += [f"{where} names unknown KSB '{c}'" for c in descriptor.ksbs if c not in codes]
        messages += [
            f"{where} names unknown criterion '{ac}'"
            for ac in descriptor.criteria
            if ac not in criteria
        ]
    return messages


def _check_criterion(
    criterion: Criterion, standard: Standard, path: Path, line: int
) -> list[Problem]:
    problems = duplicates(
        ((q.id, path, 0) for q in criterion.requirements), f"requirement (in {criterion.id})"
    )
    problems += duplicates(
        ((k.id, path, 0) for k in criterion.checklist), f"checklist item (in {criterion.id})"
    )
    codes = known_ksbs(standard)
    descriptors = {d.id for g in standard.groupings for d in g.descriptors}
    for code in criterion.ksbs:
        if code not in codes:
            problems.append(Problem(path, line, f"{criterion.id} names unknown KSB '{code}'"))
    if criterion.pass_descriptor and criterion.pass_descriptor not in descriptors:
        problems.append(
            Problem(
                path,
                line,
                f"{criterion.id} names unknown pass descriptor '{criterion.pass_descriptor}'",
            )
        )
    if standard.ksbs and not criterion.ksbs and not criterion.pass_descriptor:
        problems.append(
            Problem(path, line, f"{criterion.id} has neither KSBs nor a pass descriptor")
        )
    return problems


def _check_unit_ksbs(
    unit: Unit, standard: Standard, path: Path, node: LocatedDict
) -> list[Problem]:
    """A unit lists exactly the KSBs its ACs name (only in frameworks that have KSBs)."""
    if not standard.ksbs:
        return []
    codes = known_ksbs(standard)
    problems = [
        Problem(path, _line(node, "ksbs"), f"unit {unit.id} lists unknown KSB '{code}'")
        for code in unit.ksbs
        if code not in codes
    ]
    union = {code for c in unit.criteria for code in c.ksbs}
    listed = set(unit.ksbs)
    if listed != union:
        parts = []
        if listed - union:
            parts.append("listed but no AC names " + ", ".join(sorted(listed - union)))
        if union - listed:
            parts.append("named by an AC but not listed " + ", ".join(sorted(union - listed)))
        problems.append(
            Problem(
                path,
                _line(node, "ksbs"),
                f"unit {unit.id} KSB list does not match its ACs' KSBs: " + "; ".join(parts),
            )
        )
    return problems


def _check_units(standard: Standard, units: Units, criteria: dict[str, Criterion]) -> list[Problem]:
    grouping_ids = {g.id for g in standard.groupings}
    problems: list[Problem] = []
    for unit, path, node in units:
        if unit.grouping and unit.grouping not in grouping_ids:
            problems.append(
                Problem(
                    path,
                    _line(node, "grouping"),
                    f"unit {unit.id} names unknown grouping '{unit.grouping}'",
                )
            )
        for criterion in unit.criteria:
            problems += _check_criterion(
                criterion, standard, path, _line(node, "learning_outcomes")
            )
        problems += _check_unit_ksbs(unit, standard, path, node)
        if unit.assignment:
            problems += [
                Problem(
                    path,
                    _line(node, "assignment"),
                    f"assignment task names unknown criterion '{ac}'",
                )
                for task in unit.assignment.tasks
                for ac in task.criteria
                if ac not in criteria
            ]
    return problems


def _check_ksbs_reached(standard: Standard, path: Path, units: Units) -> list[Problem]:
    reached = {code for u, _, _ in units for c in u.criteria for code in c.ksbs}
    return [
        Problem(path, 0, f"KSB {ksb.id} is not reached by any AC")
        for ksb in standard.ksbs
        if not {ksb.id, *(p.id for p in ksb.parts)} & reached
    ]


def _check_glh(standard: Standard, path: Path, root: LocatedDict, units: Units) -> list[Problem]:
    """Units' GLH add up to the qualification's, where every unit is taken (no levels)."""
    qualification = standard.qualification
    if standard.levels or not qualification or qualification.glh is None:
        return []
    glh = [u.glh for u, _, _ in units]
    if any(g is None for g in glh):
        return []
    total = sum(g for g in glh if g is not None)
    if total == qualification.glh:
        return []
    return [
        Problem(
            path,
            _line(root, "qualification"),
            f"units' GLH add up to {total}, but the qualification's GLH is {qualification.glh}",
        )
    ]


def _check_levels(standard: Standard, path: Path, units: Units) -> list[Problem]:
    """Each unit's levels exist, and each level offers what its rule asks for."""
    level_ids = {lv.id for lv in standard.levels}
    problems: list[Problem] = []
    for unit, unit_path, node in units:
        for level_id in unit.levels:
            if level_id not in level_ids:
                problems.append(
                    Problem(
                        unit_path,
                        _line(node, "levels"),
                        f"unit {unit.id} names unknown level '{level_id}'",
                    )
                )
    for level in standard.levels:
        mandatory = [u.id for u, _, _ in units if u.levels.get(level.id) == "mandatory"]
        optional = [u.id for u, _, _ in units if u.levels.get(level.id) == "optional"]
        if len(mandatory) != level.mandatory:
            problems.append(
                Problem(
                    path,
                    0,
                    f"level {level.id} requires {level.mandatory} mandatory units, but "
                    f"{len(mandatory)} units are mandatory at it "
                    f"({', '.join(mandatory) or 'none'})",
                )
            )
        if len(optional) < level.optional:
            problems.append(
                Problem(
                    path,
                    0,
                    f"level {level.id} requires {level.optional} optional units, but only "
                    f"{len(optional)} are offered at it",
                )
            )
    return problems


def _check_gateway(standard: Standard, path: Path, root: LocatedDict) -> list[Problem]:
    """Every gateway check is one the app runs, and the EPA facts it needs are stated."""
    facts = {f.id for f in standard.epa_facts}
    line = _line(root, "gateway")
    problems = duplicates(((c.id, path, line) for c in standard.gateway), "gateway check")
    for check in standard.gateway:
        needs = GATEWAY_CHECKS.get(check.id)
        if needs is None:
            problems.append(
                Problem(
                    path,
                    line,
                    f"unknown gateway check '{check.id}' "
                    f"(known: {', '.join(sorted(GATEWAY_CHECKS))})",
                )
            )
            continue
        for fact in needs:
            if fact not in facts:
                problems.append(
                    Problem(path, line, f"gateway check '{check.id}' needs the EPA fact '{fact}'")
                )
    return problems


def _check_evidence(
    types: tuple[EvidenceType, ...], rules: tuple[EvidenceRule, ...], path: Path
) -> list[Problem]:
    problems = duplicates(((t.id, path, 0) for t in types), "evidence type")
    problems += duplicates(((r.id, path, 0) for r in rules), "evidence rule")
    for rule in rules:
        if rule.id not in EVIDENCE_RULES:
            problems.append(
                Problem(
                    path,
                    0,
                    f"unknown evidence rule '{rule.id}' "
                    f"(known: {', '.join(sorted(EVIDENCE_RULES))})",
                )
            )
        if (rule.id == "depth") != bool(rule.words):
            problems.append(
                Problem(
                    path,
                    0,
                    f"evidence rule '{rule.id}' "
                    + ("needs 'words'" if rule.id == "depth" else "takes no 'words'"),
                )
            )
        unknown = [f for f in rule.fields if f not in HEADER_FIELDS]
        if unknown:
            problems.append(
                Problem(
                    path,
                    0,
                    f"evidence rule '{rule.id}' names unknown fields {', '.join(unknown)} "
                    f"(known: {', '.join(HEADER_FIELDS)})",
                )
            )
    return problems


def validate(
    standard: Standard,
    std_path: Path,
    std_root: LocatedDict,
    units: Units,
    types: tuple[EvidenceType, ...] = (),
    rules: tuple[EvidenceRule, ...] = (),
    evidence_path: Path | None = None,
) -> list[Problem]:
    """Every cross-file problem of a folder whose files each read cleanly."""
    criteria = {c.id: c for u, _, _ in units for c in u.criteria}
    problems = _check_ids(standard, std_path, std_root, units)
    problems += _check_duties(standard, std_path, std_root)
    problems += _check_proposal(standard, std_path, criteria)
    problems += _check_groupings(standard, std_path, units, criteria)
    problems += _check_units(standard, units, criteria)
    problems += _check_ksbs_reached(standard, std_path, units)
    problems += _check_glh(standard, std_path, std_root, units)
    problems += _check_levels(standard, std_path, units)
    problems += _check_gateway(standard, std_path, std_root)
    problems += _check_evidence(types, rules, evidence_path or std_path.with_name("evidence.yaml"))
    return problems
