"""Load and validate a content folder (standard, units, evidence types).

Every problem is collected with its file and line so a content author sees them all at
once, and the loader never lets a YAML or type error escape as a traceback.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from companion.content.cache import cached_content
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
    EvidenceType,
    Grouping,
    Ksb,
    KsbMapping,
    KsbPart,
    LearningOutcome,
    ProposalSection,
    Qualification,
    Requirement,
    Standard,
    Unit,
)

KSB_KINDS = ("knowledge", "skill", "behaviour")


@dataclass(frozen=True)
class Problem:
    """A content problem: where it is and what is wrong."""

    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else str(self.path)
        return f"{where}: {self.message}"


class ContentError(Exception):
    """Raised when a content folder has problems; carries all of them."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def bundled_content_dir() -> Path:
    """The content folder shipped with the package (the L7 Senior Leader diploma)."""
    repo_copy = Path(__file__).resolve().parents[2] / "content"
    if (repo_copy / "standard.yaml").is_file():
        return repo_copy
    return Path(str(resources.files("companion.bundled")))


class _Reader:
    """Typed access to a YAML mapping that records problems instead of raising."""

    def __init__(self, path: Path, problems: list[Problem]) -> None:
        self.path = path
        self.problems = problems

    def problem(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, message))

    def mapping(self, value: Any, line: int, what: str) -> LocatedDict | None:
        if isinstance(value, LocatedDict):
            return value
        self.problem(getattr(value, "line", line), f"{what} must be a mapping")
        return None

    def get(
        self,
        data: LocatedDict,
        key: str,
        kind: type | tuple[type, ...],
        *,
        required: bool = True,
        default: Any = None,
        what: str = "",
    ) -> Any:
        label = f"{what}.{key}" if what else key
        if key not in data or data[key] is None:
            if required:
                self.problem(data.line, f"missing required field '{label}'")
            return default
        value = data[key]
        kinds = kind if isinstance(kind, tuple) else (kind,)
        ok = isinstance(value, kinds) and not (isinstance(value, bool) and bool not in kinds)
        if not ok:
            names = " or ".join(_type_name(k) for k in kinds)
            self.problem(
                data.line_of(key), f"'{label}' must be {names}, not {_type_name(type(value))}"
            )
            return default
        return value

    def text(self, data: LocatedDict, key: str, *, required: bool = True, what: str = "") -> str:
        value = self.get(data, key, (str, int, float), required=required, default="", what=what)
        return str(value).strip() if value is not None else ""

    def str_list(
        self, data: LocatedDict, key: str, *, required: bool = True, what: str = ""
    ) -> tuple[str, ...]:
        value = self.get(data, key, list, required=required, default=[], what=what)
        out: list[str] = []
        for index, item in enumerate(value):
            if isinstance(item, (str, int, float)) and not isinstance(item, bool):
                out.append(str(item).strip())
            else:
                line = value.line_of(index) if isinstance(value, LocatedList) else data.line
                self.problem(line, f"'{what + '.' if what else ''}{key}' items must be text")
        return tuple(out)

    def items(self, data: LocatedDict, key: str, *, required: bool = True, what: str = ""):
        """Yield the mappings of a list field."""
        value = self.get(data, key, list, required=required, default=[], what=what)
        for index, item in enumerate(value):
            line = value.line_of(index) if isinstance(value, LocatedList) else data.line
            mapping = self.mapping(item, line, f"each item of '{key}'")
            if mapping is not None:
                yield mapping


def _type_name(kind: type) -> str:
    return {
        str: "text",
        int: "a whole number",
        float: "a number",
        list: "a list",
        dict: "a mapping",
        LocatedDict: "a mapping",
        LocatedList: "a list",
        bool: "true or false",
        type(None): "empty",
    }.get(kind, kind.__name__)


def _source_text(value: Any) -> str:
    if isinstance(value, dict):
        return "; ".join(f"{k}: {v}" for k, v in value.items())
    return "" if value is None else str(value)


# --- standard.yaml -----------------------------------------------------------------


def _read_standard(path: Path, problems: list[Problem]) -> tuple[Standard | None, LocatedDict]:
    data, yaml_problems = load_located(path)
    problems.extend(Problem(p.path, p.line, p.message) for p in yaml_problems)
    empty = LocatedDict()
    empty.line, empty.key_lines = 0, {}
    if data is None and not yaml_problems:
        problems.append(Problem(path, 0, "file is empty"))
    if data is None:
        return None, empty
    r = _Reader(path, problems)
    root = r.mapping(data, 1, "standard.yaml")
    if root is None:
        return None, empty

    ksbs: list[Ksb] = []
    for item in r.items(root, "ksbs"):
        kind = r.text(item, "kind", what="ksb")
        if kind and kind not in KSB_KINDS:
            r.problem(item.line_of("kind"), f"ksb kind must be one of {', '.join(KSB_KINDS)}")
        parts = tuple(
            KsbPart(r.text(p, "id", what="part"), r.text(p, "text", what="part"))
            for p in r.items(item, "parts", required=False)
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

    duties = [
        Duty(
            r.text(d, "id", what="duty"),
            r.text(d, "text", what="duty"),
            r.str_list(d, "ksbs", what="duty"),
        )
        for d in r.items(root, "duties", required=False)
    ]

    groupings: list[Grouping] = []
    for g in r.items(root, "groupings", required=False):
        mapping = tuple(
            KsbMapping(r.text(m, "ksb", what="mapping"), r.str_list(m, "criteria", what="mapping"))
            for m in r.items(g, "mapping", required=False)
        )
        descriptors = tuple(
            Descriptor(
                r.text(d, "id", what="descriptor"),
                r.text(d, "text", what="descriptor"),
                r.str_list(d, "ksbs", what="descriptor"),
                r.str_list(d, "criteria", what="descriptor"),
            )
            for d in r.items(g, "descriptors", required=False)
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

    qualification = None
    q = root.get("qualification")
    if q is not None and (qm := r.mapping(q, root.line_of("qualification"), "qualification")):
        qualification = Qualification(
            title=r.text(qm, "title", what="qualification"),
            codes=r.str_list(qm, "codes", required=False),
            glh=r.get(qm, "glh", int, required=False),
            tqt=r.get(qm, "tqt", int, required=False),
            grading=r.str_list(qm, "grading", required=False),
            registration_valid_years=r.get(qm, "registration_valid_years", int, required=False),
            extra={
                k: v
                for k, v in qm.items()
                if k not in {"title", "codes", "glh", "tqt", "grading", "registration_valid_years"}
            },
        )

    methods: list[EpaMethod] = []
    facts: list[EpaFact] = []
    e = root.get("epa")
    if e is not None and (em := r.mapping(e, root.line_of("epa"), "epa")):
        for m in r.items(em, "methods", required=False):
            methods.append(
                EpaMethod(
                    r.text(m, "id", what="method"),
                    r.text(m, "title", what="method"),
                    {k: v for k, v in m.items() if k not in {"id", "title"}},
                )
            )
        for f in r.items(em, "facts", required=False):
            if "value" not in f:
                r.problem(f.line, "missing required field 'fact.value'")
            facts.append(
                EpaFact(
                    r.text(f, "id", what="fact"),
                    f.get("value"),
                    r.text(f, "text", required=False),
                    _source_text(f.get("source")),
                )
            )

    sections: list[ProposalSection] = []
    proposal_criterion = None
    if e is not None and em is not None and (ps := em.get("proposal_summary")) is not None:
        pm = r.mapping(ps, em.line_of("proposal_summary"), "epa.proposal_summary")
        if pm is not None:
            proposal_criterion = r.text(pm, "contents_criterion", required=False) or None
            for s in r.items(pm, "sections", required=False):
                sections.append(
                    ProposalSection(
                        r.text(s, "id", what="section"),
                        r.text(s, "title", what="section"),
                        r.text(s, "prompt", required=False),
                    )
                )

    standard = Standard(
        id=r.text(root, "id"),
        title=r.text(root, "title"),
        level=r.get(root, "level", int, required=False),
        ksbs=tuple(ksbs),
        duties=tuple(duties),
        groupings=tuple(groupings),
        qualification=qualification,
        epa_methods=tuple(methods),
        epa_facts=tuple(facts),
        proposal_sections=tuple(sections),
        proposal_criterion=proposal_criterion,
        extra={
            k: v
            for k, v in root.items()
            if k
            not in {"id", "title", "level", "ksbs", "duties", "groupings", "qualification", "epa"}
        },
    )
    return standard, root


# --- units/<id>.yaml ---------------------------------------------------------------


def _read_depth(r: _Reader, value: Any, line: int) -> tuple[DepthEntry, ...]:
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
            text = r.text(item, "text", what="depth")
            entries.append(DepthEntry(text, _read_depth(r, item.get("items"), item.line)))
        else:
            r.problem(item_line, "each depth entry must be text or a mapping with 'text'")
    return tuple(entries)


def _read_unit(path: Path, problems: list[Problem]) -> tuple[Unit | None, LocatedDict | None]:
    data, yaml_problems = load_located(path)
    problems.extend(Problem(p.path, p.line, p.message) for p in yaml_problems)
    if data is None:
        if not yaml_problems:
            problems.append(Problem(path, 0, "file is empty"))
        return None, None
    r = _Reader(path, problems)
    root = r.mapping(data, 1, "a unit file")
    if root is None:
        return None, None
    unit_id = r.text(root, "id")
    if unit_id and unit_id != path.stem:
        r.problem(root.line_of("id"), f"unit id '{unit_id}' does not match file name '{path.name}'")

    outcomes: list[LearningOutcome] = []
    for lo in r.items(root, "learning_outcomes"):
        lo_id = r.text(lo, "id", what="learning outcome")
        criteria: list[Criterion] = []
        for c in r.items(lo, "criteria", what="learning outcome"):
            cid = r.text(c, "id", what="criterion")
            match = re.fullmatch(r"(.+)/(\d+)\.(\d+)", cid)
            if cid and not match:
                r.problem(
                    c.line_of("id"),
                    f"criterion id '{cid}' is not of the form '{unit_id}/<outcome>.<n>'",
                )
            elif match and (match.group(1) != unit_id or match.group(2) != lo_id):
                r.problem(
                    c.line_of("id"),
                    f"criterion id '{cid}' does not belong to unit "
                    f"'{unit_id}' learning outcome '{lo_id}'",
                )
            requirements = []
            for q in r.items(c, "requirements", required=False):
                minimum = r.get(q, "min", int, what="requirement")
                if isinstance(minimum, int) and minimum < 1:
                    r.problem(q.line_of("min"), "requirement 'min' must be at least 1")
                requirements.append(
                    Requirement(
                        r.text(q, "id", what="requirement"),
                        r.text(q, "label", what="requirement"),
                        minimum or 1,
                    )
                )
            checklist = [
                ChecklistItem(
                    r.text(k, "id", what="checklist item"),
                    r.text(k, "label", what="checklist item"),
                )
                for k in r.items(c, "checklist", required=False)
            ]
            criteria.append(
                Criterion(
                    id=cid,
                    unit_id=unit_id,
                    outcome_id=lo_id,
                    verb=r.text(c, "verb", what="criterion"),
                    text=r.text(c, "text", what="criterion"),
                    ksbs=r.str_list(c, "ksbs", what="criterion"),
                    pass_descriptor=r.text(c, "pass_descriptor", required=False) or None,
                    depth=_read_depth(r, c.get("depth"), c.line_of("depth")),
                    sufficiency=r.text(c, "sufficiency", what="criterion"),
                    requirements=tuple(requirements),
                    checklist=tuple(checklist),
                )
            )
        outcomes.append(
            LearningOutcome(lo_id, r.text(lo, "text", what="learning outcome"), tuple(criteria))
        )

    assignment = None
    a = root.get("assignment")
    if a is not None and (am := r.mapping(a, root.line_of("assignment"), "assignment")):
        tasks = tuple(
            AssignmentTask(
                r.text(t, "outcome", what="task"),
                r.text(t, "text", what="task"),
                r.str_list(t, "criteria", what="task"),
            )
            for t in r.items(am, "tasks", required=False)
        )
        assignment = Assignment(
            aim=r.text(am, "aim", required=False),
            written_words=r.get(am, "written_words", int, required=False),
            tolerance_percent=r.get(am, "tolerance_percent", int, required=False, default=10),
            presentation_minutes=r.get(am, "presentation_minutes", int, required=False),
            discussion_minutes=r.get(am, "discussion_minutes", int, required=False),
            tasks=tasks,
        )

    unit = Unit(
        id=unit_id,
        code=r.text(root, "code", required=False) or unit_id,
        title=r.text(root, "title"),
        level=r.get(root, "level", int, required=False),
        glh=r.get(root, "glh", int, required=False),
        aim=r.text(root, "aim", required=False),
        assessment_method=r.text(root, "assessment_method", required=False),
        grouping=r.text(root, "grouping", required=False) or None,
        ksbs=r.str_list(root, "ksbs"),
        outcomes=tuple(outcomes),
        guidance_for_delivery=r.text(root, "guidance_for_delivery", required=False),
        suggested_evidence=r.str_list(root, "suggested_evidence", required=False),
        assignment=assignment,
        relationship=r.text(root, "relationship", required=False),
    )
    return unit, root


# --- evidence.yaml -----------------------------------------------------------------


def _read_evidence(path: Path, problems: list[Problem]) -> tuple[EvidenceType, ...]:
    data, yaml_problems = load_located(path)
    problems.extend(Problem(p.path, p.line, p.message) for p in yaml_problems)
    if data is None:
        return ()
    r = _Reader(path, problems)
    root = r.mapping(data, 1, "evidence.yaml")
    if root is None:
        return ()
    types: list[EvidenceType] = []
    seen: set[str] = set()
    for t in r.items(root, "types"):
        type_id = r.text(t, "id", what="type")
        if type_id in seen:
            r.problem(t.line_of("id"), f"duplicate evidence type id '{type_id}'")
        seen.add(type_id)
        allowed = r.get(t, "allowed", bool, what="type", default=True)
        reason = r.text(t, "reason", required=not allowed, what="type")
        types.append(
            EvidenceType(
                id=type_id,
                label=r.text(t, "label", what="type"),
                group=r.text(t, "group", required=False) or "other",
                allowed=bool(allowed),
                reason=reason,
                source=_source_text(t.get("source")),
                notes=r.str_list(t, "notes", required=False),
            )
        )
    return tuple(types)


# --- cross-file checks ----------------------------------------------------------------


def _duplicates(ids: Iterable[tuple[str, Path, int]], what: str) -> list[Problem]:
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


def _validate(
    standard: Standard,
    std_path: Path,
    std_root: LocatedDict,
    units: list[tuple[Unit, Path, LocatedDict]],
) -> list[Problem]:
    problems: list[Problem] = []
    known_ksbs: set[str] = set()
    for ksb in standard.ksbs:
        known_ksbs.add(ksb.id)
        known_ksbs.update(part.id for part in ksb.parts)

    ksb_nodes = std_root.get("ksbs") if isinstance(std_root.get("ksbs"), list) else []
    problems += _duplicates(
        (
            (k.id, std_path, _line(n, "id") if isinstance(n, LocatedDict) else 0)
            for k, n in zip(standard.ksbs, ksb_nodes, strict=False)
        ),
        "KSB",
    )
    part_ids = [p.id for k in standard.ksbs for p in k.parts]
    problems += _duplicates(((p, std_path, 0) for p in part_ids), "KSB part")
    problems += _duplicates(((d.id, std_path, 0) for d in standard.duties), "duty")
    problems += _duplicates(((g.id, std_path, 0) for g in standard.groupings), "grouping")
    problems += _duplicates(
        ((d.id, std_path, 0) for g in standard.groupings for d in g.descriptors), "descriptor"
    )
    problems += _duplicates(((u.id, p, _line(n, "id")) for u, p, n in units), "unit")

    for duty in standard.duties:
        for code in duty.ksbs:
            if code not in known_ksbs:
                problems.append(
                    Problem(
                        std_path,
                        _line(std_root, "duties"),
                        f"duty {duty.id} names unknown KSB '{code}'",
                    )
                )

    all_criteria: dict[str, Criterion] = {}
    criterion_places: list[tuple[str, Path, int]] = []
    for unit, path, node in units:
        for criterion in unit.criteria:
            all_criteria[criterion.id] = criterion
            criterion_places.append((criterion.id, path, _line(node, "learning_outcomes")))
    problems += _duplicates(criterion_places, "criterion")

    descriptor_ids = {d.id for g in standard.groupings for d in g.descriptors}
    method_ids = {m.id for m in standard.epa_methods}
    unit_ids = {u.id for u, _, _ in units}
    grouping_ids = {g.id for g in standard.groupings}

    if standard.proposal_criterion and standard.proposal_criterion not in all_criteria:
        problems.append(
            Problem(
                std_path,
                0,
                f"epa.proposal_summary names unknown criterion '{standard.proposal_criterion}'",
            )
        )
    seen_sections: set[str] = set()
    for section in standard.proposal_sections:
        if section.id in seen_sections:
            problems.append(
                Problem(std_path, 0, f"proposal summary section '{section.id}' appears twice")
            )
        seen_sections.add(section.id)

    for grouping in standard.groupings:
        where = f"grouping '{grouping.id}'"
        for code in grouping.ksbs:
            if code not in known_ksbs:
                problems.append(Problem(std_path, 0, f"{where} names unknown KSB '{code}'"))
        for unit_id in grouping.units:
            if unit_id not in unit_ids:
                problems.append(Problem(std_path, 0, f"{where} names unknown unit '{unit_id}'"))
        if grouping.epa_method and method_ids and grouping.epa_method not in method_ids:
            problems.append(
                Problem(std_path, 0, f"{where} names unknown EPA method '{grouping.epa_method}'")
            )
        for row in grouping.mapping:
            if row.ksb not in known_ksbs:
                problems.append(Problem(std_path, 0, f"{where} maps unknown KSB '{row.ksb}'"))
            for ac in row.criteria:
                if ac not in all_criteria:
                    problems.append(
                        Problem(std_path, 0, f"{where} maps {row.ksb} to unknown criterion '{ac}'")
                    )
        for descriptor in grouping.descriptors:
            for code in descriptor.ksbs:
                if code not in known_ksbs:
                    problems.append(
                        Problem(
                            std_path, 0, f"descriptor {descriptor.id} names unknown KSB '{code}'"
                        )
                    )
            for ac in descriptor.criteria:
                if ac not in all_criteria:
                    problems.append(
                        Problem(
                            std_path,
                            0,
                            f"descriptor {descriptor.id} names unknown criterion '{ac}'",
                        )
                    )

    reached: set[str] = set()
    for unit, path, node in units:
        if unit.grouping and unit.grouping not in grouping_ids:
            problems.append(
                Problem(
                    path,
                    _line(node, "grouping"),
                    f"unit {unit.id} names unknown grouping '{unit.grouping}'",
                )
            )
        union: set[str] = set()
        for criterion in unit.criteria:
            problems += _duplicates(
                ((q.id, path, 0) for q in criterion.requirements),
                f"requirement (in {criterion.id})",
            )
            problems += _duplicates(
                ((k.id, path, 0) for k in criterion.checklist),
                f"checklist item (in {criterion.id})",
            )
            for code in criterion.ksbs:
                union.add(code)
                if code not in known_ksbs:
                    problems.append(
                        Problem(
                            path,
                            _line(node, "learning_outcomes"),
                            f"{criterion.id} names unknown KSB '{code}'",
                        )
                    )
            if criterion.pass_descriptor and criterion.pass_descriptor not in descriptor_ids:
                problems.append(
                    Problem(
                        path,
                        _line(node, "learning_outcomes"),
                        f"{criterion.id} names unknown pass descriptor "
                        f"'{criterion.pass_descriptor}'",
                    )
                )
            if not criterion.ksbs and not criterion.pass_descriptor:
                problems.append(
                    Problem(
                        path,
                        _line(node, "learning_outcomes"),
                        f"{criterion.id} has neither KSBs nor a pass descriptor",
                    )
                )
        reached |= union
        listed = set(unit.ksbs)
        for code in unit.ksbs:
            if code not in known_ksbs:
                problems.append(
                    Problem(path, _line(node, "ksbs"), f"unit {unit.id} lists unknown KSB '{code}'")
                )
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
        if unit.assignment:
            for task in unit.assignment.tasks:
                for ac in task.criteria:
                    if ac not in all_criteria:
                        problems.append(
                            Problem(
                                path,
                                _line(node, "assignment"),
                                f"assignment task names unknown criterion '{ac}'",
                            )
                        )

    for ksb in standard.ksbs:
        codes = {ksb.id, *(p.id for p in ksb.parts)}
        if not codes & reached:
            problems.append(Problem(std_path, 0, f"KSB {ksb.id} is not reached by any AC"))

    qualification = standard.qualification
    if qualification and qualification.glh is not None:
        glh = [u.glh for u, _, _ in units]
        if all(g is not None for g in glh) and sum(glh) != qualification.glh:  # type: ignore[arg-type]
            problems.append(
                Problem(
                    std_path,
                    _line(std_root, "qualification"),
                    f"units' GLH add up to {sum(glh)}, "  # type: ignore[arg-type]
                    f"but the qualification's GLH is {qualification.glh}",
                )
            )
    return problems


def load_content(root: Path | str | None = None) -> Content:
    """Load and validate a content folder; raise ContentError listing every problem.

    A folder loaded before and unchanged since comes from the cache (``content_cache``).
    """
    root = Path(root) if root is not None else bundled_content_dir()
    if not root.is_dir():
        raise ContentError([Problem(root, 0, "content folder not found")])
    if not (root / "standard.yaml").is_file():
        raise ContentError([Problem(root / "standard.yaml", 0, "missing standard.yaml")])
    return cached_content(root, _load_folder)


def _load_folder(root: Path) -> Content:
    """Read and validate every file of a content folder."""
    problems: list[Problem] = []
    std_path = root / "standard.yaml"
    standard, std_root = _read_standard(std_path, problems)

    unit_dir = root / "units"
    unit_paths = sorted(unit_dir.glob("*.yaml")) if unit_dir.is_dir() else []
    if not unit_paths:
        problems.append(Problem(unit_dir, 0, "no unit files (units/<id>.yaml)"))
    units: list[tuple[Unit, Path, LocatedDict]] = []
    for path in unit_paths:
        unit, node = _read_unit(path, problems)
        if unit is not None and node is not None:
            units.append((unit, path, node))

    evidence_path = root / "evidence.yaml"
    evidence = _read_evidence(evidence_path, problems) if evidence_path.is_file() else ()

    if standard is not None and not problems:
        problems += _validate(standard, std_path, std_root, units)
    if problems or standard is None:
        raise ContentError(problems)
    return Content(
        root=root, standard=standard, units=tuple(u for u, _, _ in units), evidence_types=evidence
    )


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
