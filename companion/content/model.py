"""The typed model of a qualification's content: standard, units, criteria, evidence types.

Plain frozen dataclasses so every other module (progress, rules, exports, screens) can rely
on validated, immutable data instead of raw YAML.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from companion.content.digest import CriteriaDigest
    from companion.content.funding_model import FundingRules


@dataclass(frozen=True)
class KsbPart:
    """A named part of a KSB (the handbook splits S4 into S4.1 and S4.2)."""

    id: str
    text: str


@dataclass(frozen=True)
class Ksb:
    """A Knowledge, Skill or Behaviour of the standard."""

    id: str
    kind: str
    text: str
    standard_text: str | None = None
    parts: tuple[KsbPart, ...] = ()


@dataclass(frozen=True)
class Duty:
    """An occupational duty and the KSBs it draws on."""

    id: str
    text: str
    ksbs: tuple[str, ...]


@dataclass(frozen=True)
class Descriptor:
    """A Pass Grading Descriptor of a KSB grouping."""

    id: str
    text: str
    ksbs: tuple[str, ...]
    criteria: tuple[str, ...]


@dataclass(frozen=True)
class KsbMapping:
    """One row of the KSB to assessment-criteria mapping."""

    ksb: str
    criteria: tuple[str, ...]


@dataclass(frozen=True)
class Grouping:
    """A KSB grouping of the assessment plan and the EPA method that assesses it."""

    id: str
    title: str
    units: tuple[str, ...]
    epa_method: str | None
    ksbs: tuple[str, ...]
    mapping: tuple[KsbMapping, ...] = ()
    descriptors: tuple[Descriptor, ...] = ()


@dataclass(frozen=True)
class Qualification:
    """The qualification the units belong to."""

    title: str
    codes: tuple[str, ...] = ()
    glh: int | None = None
    tqt: int | None = None
    grading: tuple[str, ...] = ()
    registration_valid_years: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class EpaMethod:
    """An end-point assessment method."""

    id: str
    title: str
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class EpaFact:
    """A fact about the EPA that rules and the gateway check rely on, with its source."""

    id: str
    value: Any
    text: str
    source: str = ""


@dataclass(frozen=True)
class ProposalSection:
    """A section the proposal summary planner offers, with a prompt for what goes in it."""

    id: str
    title: str
    prompt: str = ""


@dataclass(frozen=True)
class Level:
    """A level of a framework whose learners choose units, with how many of each kind."""

    id: str
    title: str
    mandatory: int
    optional: int
    rule_text: str = ""


@dataclass(frozen=True)
class GatewayCheck:
    """One readiness check the framework's gateway runs (its limits are EPA facts)."""

    id: str
    source: str = ""


@dataclass(frozen=True)
class Standard:
    """The apprenticeship standard (or other framework) the units map to."""

    id: str
    title: str
    level: int | None
    ksbs: tuple[Ksb, ...] = ()
    duties: tuple[Duty, ...] = ()
    groupings: tuple[Grouping, ...] = ()
    qualification: Qualification | None = None
    epa_methods: tuple[EpaMethod, ...] = ()
    epa_facts: tuple[EpaFact, ...] = ()
    proposal_sections: tuple[ProposalSection, ...] = ()
    proposal_criterion: str | None = None
    levels: tuple[Level, ...] = ()
    gateway: tuple[GatewayCheck, ...] = ()
    """The checks of the EPA gateway; empty when the framework has no gateway."""
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Requirement:
    """A numeric minimum from an AC's sufficiency, e.g. at least two models."""

    id: str
    label: str
    min: int
    named: bool = True
    """Its items are names the evidence must use (models, stakeholder groups); false where
    they are the learner's own words for what the evidence holds (incidents, factors)."""


@dataclass(frozen=True)
class ChecklistItem:
    """Something the evidence for an AC must address."""

    id: str
    label: str


@dataclass(frozen=True)
class DepthEntry:
    """A line of Depth, with the list that follows it, if any."""

    text: str
    items: tuple[DepthEntry, ...] = ()


@dataclass(frozen=True)
class Criterion:
    """An assessment criterion (AC) with its sufficiency made checkable."""

    id: str
    unit_id: str
    outcome_id: str
    verb: str
    text: str
    ksbs: tuple[str, ...]
    pass_descriptor: str | None
    depth: tuple[DepthEntry, ...]
    sufficiency: str
    requirements: tuple[Requirement, ...] = ()
    checklist: tuple[ChecklistItem, ...] = ()
    placeholder: bool = False
    """True when the source gives no criterion and this one only stands in for it."""

    @property
    def short_id(self) -> str:
        """The id as the handbook prints it within a unit: ``AC1.1``."""
        return "AC" + self.id.split("/", 1)[1]


@dataclass(frozen=True)
class LearningOutcome:
    """A learning outcome and its criteria."""

    id: str
    text: str
    criteria: tuple[Criterion, ...]


@dataclass(frozen=True)
class AssignmentTask:
    """The unit assignment's task for one learning outcome."""

    outcome: str
    text: str
    criteria: tuple[str, ...]


@dataclass(frozen=True)
class Assignment:
    """The unit assignment: word count and timings, and tasks."""

    aim: str
    written_words: int | None
    tolerance_percent: int
    presentation_minutes: int | None
    discussion_minutes: int | None
    tasks: tuple[AssignmentTask, ...] = ()


@dataclass(frozen=True)
class Unit:
    """A unit of the qualification."""

    id: str
    code: str
    title: str
    level: int | None
    glh: int | None
    aim: str
    assessment_method: str
    grouping: str | None
    ksbs: tuple[str, ...]
    outcomes: tuple[LearningOutcome, ...]
    guidance_for_delivery: str = ""
    suggested_evidence: tuple[str, ...] = ()
    assignment: Assignment | None = None
    relationship: str = ""
    levels: dict[str, str] = field(default_factory=dict)
    """Per level id, ``mandatory`` or ``optional`` (frameworks whose learners choose units)."""
    area: str = ""
    credits: int | None = None

    @property
    def criteria(self) -> tuple[Criterion, ...]:
        """Every AC of the unit, in order."""
        return tuple(c for lo in self.outcomes for c in lo.criteria)


@dataclass(frozen=True)
class EvidenceType:
    """A type of evidence, allowed or ruled out, with the handbook's reason."""

    id: str
    label: str
    group: str
    allowed: bool
    reason: str = ""
    source: str = ""
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class EvidenceRule:
    """A rule of the framework's evidence guidance the app checks notes against.

    ``id`` names a family of checks the app knows (``header``, ``reflective``, ...); ``text``
    is the guidance as the source words it and is shown as the reason for each flag.
    """

    id: str
    text: str
    source: str = ""
    fields: tuple[str, ...] = ()
    group: str = ""
    words: tuple[tuple[str, int], ...] = ()
    """``depth`` only: the fewest words evidence may have for each command verb (``default``
    for a verb not listed), below which it is far too short to meet the AC."""

    def fewest_words(self, verb: str) -> int | None:
        """The ``words`` floor for an AC's command verb: the verb as written, else its first
        word ("Justify and review" is a Justify), else ``default``; None when none is set."""
        table = {v.lower(): n for v, n in self.words}
        verb = " ".join(verb.lower().split())
        for key in (verb, verb.split(" ", 1)[0] if verb else "", "default"):
            if key in table:
                return table[key]
        return None

    @cached_property
    def reason(self) -> str:
        """How a flag cites it: ``Handbook Section 5, Preparing Evidence: text``.

        Worked out once: every flag of the rule shares the one text."""
        return f"{self.source}: {self.text}" if self.source else self.text


@dataclass(frozen=True)
class Content:
    """A whole, validated content folder."""

    root: Path
    standard: Standard
    units: tuple[Unit, ...]
    evidence_types: tuple[EvidenceType, ...] = ()
    evidence_rules: tuple[EvidenceRule, ...] = ()
    fingerprint: str = field(default="", compare=False)
    """A hash of every byte this content was built from ('' when not known): what results
    worked out from it may be cached under."""
    funding: FundingRules | None = None
    """The dated funding rules (``funding.yaml``); ``None`` for a framework without them."""
    _criteria: dict[str, Criterion] = field(default_factory=dict, repr=False, compare=False)
    _ksbs: dict[str, Ksb | KsbPart] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        for unit in self.units:
            for criterion in unit.criteria:
                self._criteria[criterion.id] = criterion
        for ksb in self.standard.ksbs:
            self._ksbs[ksb.id] = ksb
            for part in ksb.parts:
                self._ksbs[part.id] = part

    @property
    def criteria(self) -> tuple[Criterion, ...]:
        """Every AC of every unit, in order."""
        return tuple(self._criteria.values())

    @cached_property
    def digest(self) -> CriteriaDigest:
        """What tagging needs of this content (``companion.content.digest``)."""
        from companion.content.digest import CriteriaDigest

        return CriteriaDigest.of(self)

    def criterion(self, ac_id: str) -> Criterion | None:
        """The AC with canonical id ``ac_id``."""
        return self._criteria.get(ac_id)

    def unit(self, unit_id: str) -> Unit | None:
        """The unit with id ``unit_id``."""
        return next((u for u in self.units if u.id == unit_id), None)

    def ksb(self, code: str) -> Ksb | KsbPart | None:
        """A KSB or a KSB part (S4.1) by its code."""
        return self._ksbs.get(code)

    def ksb_text(self, code: str) -> str:
        """The text of a KSB or part, empty if unknown."""
        found = self.ksb(code)
        return found.text if found else ""

    def grouping(self, grouping_id: str) -> Grouping | None:
        """The KSB grouping with this id."""
        return next((g for g in self.standard.groupings if g.id == grouping_id), None)

    def evidence_type(self, type_id: str) -> EvidenceType | None:
        """The evidence type with this id."""
        return next((t for t in self.evidence_types if t.id == type_id), None)

    def epa_fact(self, fact_id: str, default: Any = None) -> Any:
        """The value of an EPA fact, or ``default`` when the content does not state it."""
        fact = next((f for f in self.standard.epa_facts if f.id == fact_id), None)
        return default if fact is None else fact.value

    def rule(self, rule_id: str) -> EvidenceRule | None:
        """The evidence rule with this id, or ``None`` when the framework does not apply it."""
        return next((r for r in self.evidence_rules if r.id == rule_id), None)

    def level(self, level_id: str) -> Level | None:
        """The level with this id (frameworks whose learners choose units)."""
        return next((lv for lv in self.standard.levels if lv.id == level_id), None)

    @property
    def has_gateway(self) -> bool:
        """True when the framework defines an EPA gateway to check readiness for."""
        return bool(self.standard.gateway)

    @property
    def has_ksbs(self) -> bool:
        """True when the framework has knowledge, skills and behaviours to map."""
        return bool(self.standard.ksbs)
