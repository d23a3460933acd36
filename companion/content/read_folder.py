"""Read a content folder (standard, units, evidence, funding) into the typed model, and
validate it.

Each file is read with ``Reader``, which collects every problem with its file and line; the
cross-file checks are in ``companion.content.validate``. ``companion.content.load`` calls
this only when the folder is not in the cache.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from companion.content.funding import FUNDING_FILE, check_funding_needs, read_funding
from companion.content.located_yaml import LocatedDict, LocatedList, load_located
from companion.content.model import (
    Assignment,
    AssignmentTask,
    ChecklistItem,
    Content,
    Criterion,
    DepthEntry,
    Descriptor,
    Duty,
    EpaFact,
    EpaMethod,
    EvidenceRule,
    EvidenceType,
    GatewayCheck,
    Grouping,
    Ksb,
    KsbMapping,
    KsbPart,
    LearningOutcome,
    Level,
    ProposalSection,
    Qualification,
    Requirement,
    Standard,
    Unit,
)
from companion.content.problems import ContentError, Problem
from companion.content.reader import Reader, source_text
from companion.content.validate import validate

KSB_KINDS = ("knowledge", "skill", "behaviour")
LEVEL_STATUSES = ("mandatory", "optional")
STANDARD_INFO = (
    "route",
    "typical_duration_months",
    "revision",
    "version",
    "occupation_summary",
    "occupation_summary_source",
    "about",
)
"""Descriptive keys of ``standard.yaml``: kept with the content, shown, never checked against."""
QUALIFICATION_KEYS = {
    "title",
    "codes",
    "glh",
    "tqt",
    "grading",
    "registration_valid_years",
}
QUALIFICATION_INFO = {
    "routes",
    "ofqual_number",
    "credits",
    "units",
    "apprenticeship",
    "results_sheet",
    "about",
}
RESULTS_SHEET_KEYS = ("columns", "instructions", "referral_intro", "referral_reasons")

__all__ = ["read_folder"]


def _read_file(path: Path, problems: list[Problem], what: str) -> LocatedDict | None:
    data, yaml_problems = load_located(path)
    problems.extend(Problem(p.path, p.line, p.message) for p in yaml_problems)
    if data is None:
        if not yaml_problems:
            problems.append(Problem(path, 0, "file is empty"))
        return None
    return Reader(path, problems).mapping(data, 1, what)


# --- standard.yaml -----------------------------------------------------------------


def _read_ksbs(r: Reader, root: LocatedDict) -> tuple[Ksb, ...]:
    ksbs: list[Ksb] = []
    for item in r.items(
        root, "ksbs", required=False, known=("id", "kind", "text", "standard_text", "parts")
    ):
        kind = r.text(item, "kind", what="ksb")
        if kind and kind not in KSB_KINDS:
            r.problem(item.line_of("kind"), f"ksb kind must be one of {', '.join(KSB_KINDS)}")
        parts = tuple(
            KsbPart(r.text(p, "id", what="part"), r.text(p, "text", what="part"))
            for p in r.items(item, "parts", required=False, known=("id", "text"))
        )
        ksbs.append(
            Ksb(
                id=r.text(item, "id", what="ksb"),
                kind=kind,
                text=r.text(item, "text", what="ksb"),
                standard_text=r.text(item, "standard_text", required=False) or None,
                parts=parts,
            )
        )
    return tuple(ksbs)


def _read_groupings(r: Reader, root: LocatedDict) -> tuple[Grouping, ...]:
    groupings: list[Grouping] = []
    known = ("id", "title", "units", "epa_method", "ksbs", "mapping", "descriptors")
    for g in r.items(root, "groupings", required=False, known=known):
        mapping = tuple(
            KsbMapping(r.text(m, "ksb", what="mapping"), r.str_list(m, "criteria", what="mapping"))
            for m in r.items(g, "mapping", required=False, known=("ksb", "criteria"))
        )
        descriptors = tuple(
            Descriptor(
                r.text(d, "id", what="descriptor"),
                r.text(d, "text", what="descriptor"),
                r.str_list(d, "ksbs", what="descriptor"),
                r.str_list(d, "criteria", what="descriptor"),
            )
            for d in r.items(
                g, "descriptors", required=False, known=("id", "text", "ksbs", "criteria")
            )
        )
        groupings.append(
            Grouping(
                id=r.text(g, "id", what="grouping"),
                title=r.text(g, "title", what="grouping"),
                units=r.str_list(g, "units", what="grouping"),
                epa_method=r.text(g, "epa_method", required=False) or None,
                ksbs=r.str_list(g, "ksbs", what="grouping"),
                mapping=mapping,
                descriptors=descriptors,
            )
        )
    return tuple(groupings)


def _read_qualification(r: Reader, root: LocatedDict) -> Qualification | None:
    q = root.get("qualification")
    if q is None:
        return None
    qm = r.mapping(q, root.line_of("qualification"), "qualification")
    if qm is None:
        return None
    r.keys(qm, "qualification", QUALIFICATION_KEYS | QUALIFICATION_INFO)
    sheet = qm.get("results_sheet")
    if sheet is not None and (
        sm := r.mapping(sheet, qm.line_of("results_sheet"), "qualification.results_sheet")
    ):
        r.keys(sm, "qualification.results_sheet", RESULTS_SHEET_KEYS)
    return Qualification(
        title=r.text(qm, "title", what="qualification"),
        codes=r.str_list(qm, "codes", required=False),
        glh=r.integer(qm, "glh"),
        tqt=r.integer(qm, "tqt"),
        grading=r.str_list(qm, "grading", required=False),
        registration_valid_years=r.integer(qm, "registration_valid_years"),
        extra={k: v for k, v in qm.items() if k not in QUALIFICATION_KEYS},
    )


def _read_epa(r: Reader, root: LocatedDict) -> tuple[Any, ...]:
    """(methods, facts, proposal sections, proposal criterion) of the ``epa`` mapping."""
    methods: list[EpaMethod] = []
    facts: list[EpaFact] = []
    sections: list[ProposalSection] = []
    proposal_criterion = None
    e = root.get("epa")
    em = r.mapping(e, root.line_of("epa"), "epa") if e is not None else None
    if em is None:
        return (), (), (), None
    r.keys(em, "epa", ("methods", "facts", "proposal_summary"))
    for m in r.items(
        em, "methods", required=False, known=("id", "title", "underpinned_by", "elements")
    ):
        extra = {k: v for k, v in m.items() if k not in {"id", "title"}}
        methods.append(
            EpaMethod(r.text(m, "id", what="method"), r.text(m, "title", what="method"), extra)
        )
    for f in r.items(em, "facts", required=False, known=("id", "value", "text")):
        if "value" not in f:
            r.problem(f.line, "missing required field 'fact.value'")
        facts.append(
            EpaFact(
                r.text(f, "id", what="fact"),
                f.get("value"),
                r.text(f, "text", required=False),
                source_text(f.get("source")),
            )
        )
    ps = em.get("proposal_summary")
    if ps is not None and (
        pm := r.mapping(ps, em.line_of("proposal_summary"), "epa.proposal_summary")
    ):
        r.keys(pm, "epa.proposal_summary", ("contents_criterion", "sections"))
        proposal_criterion = r.text(pm, "contents_criterion", required=False) or None
        for s in r.items(pm, "sections", required=False, known=("id", "title", "prompt")):
            sections.append(
                ProposalSection(
                    r.text(s, "id", what="section"),
                    r.text(s, "title", what="section"),
                    r.text(s, "prompt", required=False),
                )
            )
    return tuple(methods), tuple(facts), tuple(sections), proposal_criterion


def _read_levels(r: Reader, root: LocatedDict) -> tuple[Level, ...]:
    levels = []
    for item in r.items(
        root, "levels", required=False, known=("id", "title", "mandatory", "optional", "text")
    ):
        levels.append(
            Level(
                id=r.text(item, "id", what="level"),
                title=r.text(item, "title", required=False),
                mandatory=r.integer(item, "mandatory", required=True, what="level") or 0,
                optional=r.integer(item, "optional", required=True, what="level") or 0,
                rule_text=r.text(item, "text", required=False),
            )
        )
    return tuple(levels)


def _read_gateway(r: Reader, root: LocatedDict) -> tuple[GatewayCheck, ...]:
    g = root.get("gateway")
    gm = r.mapping(g, root.line_of("gateway"), "gateway") if g is not None else None
    if gm is None:
        return ()
    r.keys(gm, "gateway", ("checks",))
    default_source = source_text(gm.get("source"))
    return tuple(
        GatewayCheck(
            r.text(c, "id", what="gateway check"), source_text(c.get("source")) or default_source
        )
        for c in r.items(gm, "checks", known=("id",))
    )


def _check_version(r: Reader, root: LocatedDict) -> None:
    """A standard's ``version`` names its label and the source that publishes it, so what
    companion shows as the version is never a bare, unsourced claim."""
    if "version" not in root:
        return
    version = r.mapping(root.get("version"), root.line_of("version"), "version")
    if version is None:
        return
    r.keys(version, "version", ("label", "reference", "status", "source", "not_checked"))
    r.text(version, "label", what="version")
    source = r.mapping(version.get("source"), version.line_of("source") or version.line, "source")
    if source is None:
        return
    r.keys(source, "version.source", ("document", "url", "quote", "note"))
    r.text(source, "document", what="version.source")
    r.text(source, "url", what="version.source")


def _read_standard(path: Path, problems: list[Problem]) -> tuple[Standard | None, LocatedDict]:
    empty = LocatedDict()
    empty.line, empty.key_lines = 0, {}
    root = _read_file(path, problems, "standard.yaml")
    if root is None:
        return None, empty
    r = Reader(path, problems)
    r.keys(
        root,
        "standard.yaml",
        (
            "id",
            "title",
            "level",
            "ksbs",
            "duties",
            "groupings",
            "qualification",
            "epa",
            "levels",
            "gateway",
            *STANDARD_INFO,
        ),
    )
    duties = tuple(
        Duty(
            r.text(d, "id", what="duty"),
            r.text(d, "text", what="duty"),
            r.str_list(d, "ksbs", what="duty"),
        )
        for d in r.items(root, "duties", required=False, known=("id", "text", "ksbs"))
    )
    methods, facts, sections, proposal_criterion = _read_epa(r, root)
    _check_version(r, root)
    standard = Standard(
        id=r.text(root, "id"),
        title=r.text(root, "title"),
        level=r.integer(root, "level"),
        ksbs=_read_ksbs(r, root),
        duties=duties,
        groupings=_read_groupings(r, root),
        qualification=_read_qualification(r, root),
        epa_methods=methods,
        epa_facts=facts,
        proposal_sections=sections,
        proposal_criterion=proposal_criterion,
        levels=_read_levels(r, root),
        gateway=_read_gateway(r, root),
        extra={k: root[k] for k in (*STANDARD_INFO, "source") if k in root},
    )
    return standard, root


# --- units/<id>.yaml ---------------------------------------------------------------


def _read_depth(r: Reader, value: Any, line: int) -> tuple[DepthEntry, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        r.problem(getattr(value, "line", line), "'depth' must be a list")
        return ()
    entries: list[DepthEntry] = []
    for index, item in enumerate(value):
        item_line = value.line_of(index) if isinstance(value, LocatedList) else line
        if isinstance(item, str):
            entries.append(DepthEntry(item.strip()))
        elif isinstance(item, LocatedDict):
            r.keys(item, "a depth entry", ("text", "items"))
            text = r.text(item, "text", what="depth")
            entries.append(DepthEntry(text, _read_depth(r, item.get("items"), item.line)))
        else:
            r.problem(item_line, "each depth entry must be text or a mapping with 'text'")
    return tuple(entries)


_CRITERION_ID = re.compile(r"(.+)/(\d+)\.(\d+)")
_CRITERION_KEYS = (
    "id",
    "verb",
    "text",
    "ksbs",
    "pass_descriptor",
    "depth",
    "sufficiency",
    "requirements",
    "checklist",
    "placeholder",
)


def _read_criterion(r: Reader, c: LocatedDict, unit_id: str, lo_id: str) -> Criterion:
    cid = r.text(c, "id", what="criterion")
    match = _CRITERION_ID.fullmatch(cid)
    if cid and not match:
        r.problem(
            c.line_of("id"), f"criterion id '{cid}' is not of the form '{unit_id}/<outcome>.<n>'"
        )
    elif match and (match.group(1) != unit_id or match.group(2) != lo_id):
        r.problem(
            c.line_of("id"),
            f"criterion id '{cid}' does not belong to unit '{unit_id}' learning outcome '{lo_id}'",
        )
    requirements = []
    for q in r.items(c, "requirements", required=False, known=("id", "label", "min", "named")):
        minimum = r.get(q, "min", int, what="requirement")
        named = r.get(q, "named", bool, required=False, default=True, what="requirement")
        if isinstance(minimum, int) and minimum < 1:
            r.problem(q.line_of("min"), "requirement 'min' must be at least 1")
        requirements.append(
            Requirement(
                r.text(q, "id", what="requirement"),
                r.text(q, "label", what="requirement"),
                minimum or 1,
                named is not False,
            )
        )
    checklist = [
        ChecklistItem(
            r.text(k, "id", what="checklist item"), r.text(k, "label", what="checklist item")
        )
        for k in r.items(c, "checklist", required=False, known=("id", "label"))
    ]
    return Criterion(
        id=cid,
        unit_id=unit_id,
        outcome_id=lo_id,
        verb=r.text(c, "verb", what="criterion"),
        text=r.text(c, "text", what="criterion"),
        ksbs=r.str_list(c, "ksbs", required=False, what="criterion"),
        pass_descriptor=r.text(c, "pass_descriptor", required=False) or None,
        depth=_read_depth(r, c.get("depth"), c.line_of("depth")),
        sufficiency=r.text(c, "sufficiency", what="criterion"),
        requirements=tuple(requirements),
        checklist=tuple(checklist),
        placeholder=bool(r.get(c, "placeholder", bool, required=False, default=False)),
    )


def _read_assignment(r: Reader, root: LocatedDict) -> Assignment | None:
    a = root.get("assignment")
    am = r.mapping(a, root.line_of("assignment"), "assignment") if a is not None else None
    if am is None:
        return None
    r.keys(
        am,
        "assignment",
        (
            "aim",
            "written_words",
            "tolerance_percent",
            "presentation_minutes",
            "discussion_minutes",
            "tasks",
        ),
    )
    tasks = tuple(
        AssignmentTask(
            r.text(t, "outcome", what="task"),
            r.text(t, "text", what="task"),
            r.str_list(t, "criteria", what="task"),
        )
        for t in r.items(am, "tasks", required=False, known=("outcome", "text", "criteria"))
    )
    return Assignment(
        aim=r.text(am, "aim", required=False),
        written_words=r.integer(am, "written_words"),
        tolerance_percent=r.get(am, "tolerance_percent", int, required=False, default=10),
        presentation_minutes=r.integer(am, "presentation_minutes"),
        discussion_minutes=r.integer(am, "discussion_minutes"),
        tasks=tasks,
    )


def _read_unit_levels(r: Reader, root: LocatedDict) -> dict[str, str]:
    value = r.get(root, "levels", dict, required=False, default={})
    levels: dict[str, str] = {}
    for level, status in value.items():
        text = str(status).strip().lower()
        if text not in LEVEL_STATUSES:
            r.problem(
                value.line_of(level) if isinstance(value, LocatedDict) else root.line,
                f"unit level '{level}' must be mandatory or optional, not '{status}'",
            )
            continue
        levels[str(level)] = text
    return levels


_UNIT_KEYS = (
    "id",
    "code",
    "title",
    "level",
    "glh",
    "credits",
    "area",
    "aim",
    "assessment_method",
    "grouping",
    "relationship",
    "ksbs",
    "learning_outcomes",
    "guidance_for_delivery",
    "suggested_evidence",
    "assignment",
    "levels",
)


def _read_unit(
    path: Path, problems: list[Problem], *, has_ksbs: bool
) -> tuple[Unit | None, LocatedDict | None]:
    root = _read_file(path, problems, "a unit file")
    if root is None:
        return None, None
    r = Reader(path, problems)
    r.keys(root, "a unit file", _UNIT_KEYS)
    unit_id = r.text(root, "id")
    if unit_id and unit_id != path.stem:
        r.problem(root.line_of("id"), f"unit id '{unit_id}' does not match file name '{path.name}'")
    outcomes: list[LearningOutcome] = []
    for lo in r.items(root, "learning_outcomes", required=False, known=("id", "text", "criteria")):
        lo_id = r.text(lo, "id", what="learning outcome")
        criteria = tuple(
            _read_criterion(r, c, unit_id, lo_id)
            for c in r.items(lo, "criteria", what="learning outcome", known=_CRITERION_KEYS)
        )
        outcomes.append(
            LearningOutcome(lo_id, r.text(lo, "text", what="learning outcome"), criteria)
        )
    unit = Unit(
        id=unit_id,
        code=r.text(root, "code", required=False) or unit_id,
        title=r.text(root, "title"),
        level=r.integer(root, "level"),
        glh=r.integer(root, "glh"),
        aim=r.text(root, "aim", required=False),
        assessment_method=r.text(root, "assessment_method", required=False),
        grouping=r.text(root, "grouping", required=False) or None,
        ksbs=r.str_list(root, "ksbs", required=has_ksbs),
        outcomes=tuple(outcomes),
        guidance_for_delivery=r.text(root, "guidance_for_delivery", required=False),
        suggested_evidence=r.str_list(root, "suggested_evidence", required=False),
        assignment=_read_assignment(r, root),
        relationship=r.text(root, "relationship", required=False),
        levels=_read_unit_levels(r, root),
        area=r.text(root, "area", required=False),
        credits=r.integer(root, "credits"),
    )
    return unit, root


# --- evidence.yaml -----------------------------------------------------------------


def _read_evidence(
    path: Path, problems: list[Problem]
) -> tuple[tuple[EvidenceType, ...], tuple[EvidenceRule, ...]]:
    root = _read_file(path, problems, "evidence.yaml")
    if root is None:
        return (), ()
    r = Reader(path, problems)
    r.keys(root, "evidence.yaml", ("types", "rules"))
    types: list[EvidenceType] = []
    known = ("id", "label", "group", "allowed", "reason", "notes")
    for t in r.items(root, "types", known=known):
        allowed = r.get(t, "allowed", bool, what="type", default=True)
        types.append(
            EvidenceType(
                id=r.text(t, "id", what="type"),
                label=r.text(t, "label", what="type"),
                group=r.text(t, "group", required=False) or "other",
                allowed=bool(allowed),
                reason=r.text(t, "reason", required=not allowed, what="type"),
                source=source_text(t.get("source")),
                notes=r.str_list(t, "notes", required=False),
            )
        )
    rules = tuple(
        EvidenceRule(
            id=r.text(item, "id", what="rule"),
            text=r.text(item, "text", what="rule"),
            source=source_text(item.get("source")),
            fields=r.str_list(item, "fields", required=False, what="rule"),
            group=r.text(item, "group", required=False),
            words=_rule_words(r, item),
        )
        for item in r.items(
            root, "rules", required=False, known=("id", "text", "fields", "group", "words")
        )
    )
    return tuple(types), rules


def _rule_words(r: Reader, item: LocatedDict) -> tuple[tuple[str, int], ...]:
    """A rule's ``words`` mapping (command verb -> fewest words), each a positive whole
    number; a value that is not one is a problem and left out."""
    value = r.get(item, "words", dict, required=False, default={}, what="rule")
    out: list[tuple[str, int]] = []
    for verb, words in (value or {}).items():
        if isinstance(words, bool) or not isinstance(words, int) or words < 1:
            line = value.line_of(verb) if isinstance(value, LocatedDict) else item.line
            r.problem(line, f"'words.{verb}' must be a whole number of words above 0")
            continue
        out.append((str(verb).strip(), words))
    return tuple(out)


# --- the folder ----------------------------------------------------------------------


def _natural(path: Path) -> tuple[tuple[int, str], ...]:
    """File names in the order people number units: B2 before B10."""
    return tuple(
        (int(part), "") if part.isdigit() else (0, part)
        for part in re.split(r"(\d+)", path.stem)
        if part
    )


def read_folder(root: Path) -> Content:
    """Read and validate every file of a content folder."""
    problems: list[Problem] = []
    std_path = root / "standard.yaml"
    standard, std_root = _read_standard(std_path, problems)
    has_ksbs = bool(standard.ksbs) if standard else True

    unit_dir = root / "units"
    unit_paths = sorted(unit_dir.glob("*.yaml"), key=_natural) if unit_dir.is_dir() else []
    if not unit_paths:
        problems.append(Problem(unit_dir, 0, "no unit files (units/<id>.yaml)"))
    units: list[tuple[Unit, Path, LocatedDict]] = []
    for path in unit_paths:
        unit, node = _read_unit(path, problems, has_ksbs=has_ksbs)
        if unit is not None and node is not None:
            units.append((unit, path, node))

    evidence_path = root / "evidence.yaml"
    types, rules = _read_evidence(evidence_path, problems) if evidence_path.is_file() else ((), ())
    funding_path = root / FUNDING_FILE
    funding = read_funding(funding_path, problems) if funding_path.is_file() else None

    if standard is not None and not problems:
        problems += validate(standard, std_path, std_root, units, types, rules, evidence_path)
        problems += check_funding_needs(standard, std_path, funding)
    if problems or standard is None:
        raise ContentError(problems)
    return Content(
        root=root,
        standard=standard,
        units=tuple(u for u, _, _ in units),
        evidence_types=types,
        evidence_rules=rules,
        funding=funding,
    )
