"""Plain-text views of content for the CLI: a summary and one criterion in full."""

from __future__ import annotations

import textwrap

from companion.content.ids import normalise_ac_id
from companion.content.model import Content, DepthEntry, Standard


def version_line(standard: Standard) -> str | None:
    """``standard version: 1.2 (ST0480 v1.2, published ...; source: ...)``, or ``None`` when
    the content names no version. A ``revision`` with no sourced version is shown as such."""
    version = standard.extra.get("version")
    if isinstance(version, dict) and version.get("label"):
        source = version.get("source") or {}
        parts = [str(p) for p in (version.get("reference"), version.get("status")) if p]
        where = source.get("url") or source.get("document") or "no source named"
        details = "; ".join([*parts, f"source: {where}"])
        line = f"standard version: {version['label']} ({details})"
        if version.get("not_checked"):
            line += f"\n  not checked: {' '.join(str(version['not_checked']).split())}"
        return line
    revision = standard.extra.get("revision")
    if revision:
        return f"standard revision: {revision} (no source given for it)"
    return None


def summarise(content: Content) -> str:
    """One screen summarising what a content folder holds."""
    standard = content.standard
    kinds: dict[str, int] = {}
    for ksb in standard.ksbs:
        kinds[ksb.kind] = kinds.get(ksb.kind, 0) + 1
    outcomes = sum(len(u.outcomes) for u in content.units)
    lines = [f"{standard.id} {standard.title}"]
    version = version_line(standard)
    if version:
        lines.append(version)
    if standard.qualification:
        q = standard.qualification
        codes = "/".join(q.codes)
        lines.append(f"{q.title} ({codes})" if codes else q.title)
    placeholders = [c.id for c in content.criteria if c.placeholder]
    lines += [
        f"units: {len(content.units)}",
        f"learning outcomes: {outcomes}",
        f"assessment criteria: {len(content.criteria)}"
        + (
            f" ({len(placeholders)} placeholder: {', '.join(placeholders)})" if placeholders else ""
        ),
        "KSBs: {} ({})".format(
            len(standard.ksbs),
            ", ".join(f"{n} {kind}" for kind, n in kinds.items()) or "none",
        ),
        f"duties: {len(standard.duties)}",
        f"groupings: {len(standard.groupings)}",
        f"evidence types: {len(content.evidence_types)}",
        f"evidence rules: {', '.join(r.id for r in content.evidence_rules) or 'none'}",
        "gateway checks: "
        + (", ".join(c.id for c in standard.gateway) if standard.gateway else "none (no gateway)"),
    ]
    for level in standard.levels:
        mandatory = [u.id for u in content.units if u.levels.get(level.id) == "mandatory"]
        optional = [u.id for u in content.units if u.levels.get(level.id) == "optional"]
        lines.append(
            f"level {level.id}: {level.mandatory} mandatory ({', '.join(mandatory)}) + "
            f"{level.optional} optional of {len(optional)}"
        )
    if content.funding is not None:
        topics = len({r.topic for r in content.funding.rules})
        unsourced = sum(1 for r in content.funding.rules if r.unsourced)
        lines.append(
            f"funding rules: {len(content.funding.rules)} in {topics} topics "
            f"({unsourced} with points that could not be sourced)"
        )
    for unit in content.units:
        glh = f", {unit.glh} GLH" if unit.glh is not None else ""
        count = len(unit.criteria)
        lines.append(f"  {unit.id} {unit.title} ({count} AC{'s' if count != 1 else ''}{glh})")
    lines.append("content OK")
    return "\n".join(lines)


def _depth_lines(entries: tuple[DepthEntry, ...], indent: int = 2) -> list[str]:
    lines: list[str] = []
    for entry in entries:
        lines.append(" " * indent + "- " + entry.text)
        lines += _depth_lines(entry.items, indent + 2)
    return lines


def show_criterion(content: Content, raw_id: str) -> str | None:
    """Everything about one AC, or ``None`` when the id names no AC."""
    ac_id = normalise_ac_id(content, raw_id)
    criterion = content.criterion(ac_id) if ac_id else None
    if criterion is None:
        return None
    unit = content.unit(criterion.unit_id)
    lines = [
        f"{criterion.id}  {unit.title if unit else ''}",
        *(["PLACEHOLDER: not in the source"] if criterion.placeholder else []),
        f"Verb: {criterion.verb.upper()}",
        "",
        criterion.text,
        "",
        "KSBs:",
    ]
    for code in criterion.ksbs:
        lines += textwrap.wrap(
            f"{code} {content.ksb_text(code)}", 96, initial_indent="  ", subsequent_indent="      "
        )
    if criterion.pass_descriptor:
        descriptor = next(
            (
                d
                for g in content.standard.groupings
                for d in g.descriptors
                if d.id == criterion.pass_descriptor
            ),
            None,
        )
        text = descriptor.text if descriptor else ""
        lines += textwrap.wrap(
            f"Pass Descriptor {criterion.pass_descriptor}: {text}",
            96,
            initial_indent="  ",
            subsequent_indent="      ",
        )
    lines += ["", "Depth:", *_depth_lines(criterion.depth), "", "Sufficiency:"]
    lines += ["  " + line if line else "" for line in criterion.sufficiency.splitlines()]
    lines += ["", "Requirements:"]
    lines += [f"  {r.id}: {r.label} (at least {r.min})" for r in criterion.requirements] or [
        "  (none)"
    ]
    lines += ["", "Checklist:"]
    lines += [f"  [ ] {c.id}: {c.label}" for c in criterion.checklist] or ["  (none)"]
    standard = content.standard
    version = version_line(standard)
    lines += ["", f"{standard.id} {standard.title}" + (f", {version}" if version else "")]
    return "\n".join(lines)
