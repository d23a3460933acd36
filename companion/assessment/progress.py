"""Progress against each AC's sufficiency, rolled up per outcome, unit, KSB, grouping and method.

An AC is ``sufficient`` when it has at least one tag, every requirement's minimum is met by
the distinct items gathered across its evidence (case-insensitive), and every checklist
item is covered; ``in-progress`` when tagged but not yet sufficient; else ``not-started``.
An item a tag claims that its evidence never names (a ``claim-not-mentioned`` warning not
acknowledged) gathers nothing: a claim the text does not bear out is no evidence.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from companion.assessment.rules import unbacked_claims
from companion.content.model import Content, Criterion
from companion.notes.record import NoteRecord

NOT_STARTED = "not-started"
IN_PROGRESS = "in-progress"
SUFFICIENT = "sufficient"


@dataclass(slots=True)
class EvidenceRef:
    """A tag pointing at a note, as shown in the AC pane and the matrix.

    ``excluded`` is why the evidence does not count (an error on its note), or ''.
    """

    note: str
    ref: str
    title: str
    where: str
    tagged: str
    excluded: str = ""


@dataclass
class RequirementProgress:
    """Items gathered for one requirement against its minimum."""

    id: str
    label: str
    min: int
    items: list[str]

    @property
    def have(self) -> int:
        """How many distinct items were gathered."""
        return len(self.items)

    @property
    def met(self) -> bool:
        """True when the minimum is reached."""
        return self.have >= self.min


@dataclass
class CriterionProgress:
    """Where one AC stands."""

    criterion: Criterion
    evidence: list[EvidenceRef] = field(default_factory=list)
    requirements: list[RequirementProgress] = field(default_factory=list)
    covered: dict[str, bool] = field(default_factory=dict)

    @property
    def counted(self) -> list[EvidenceRef]:
        """The evidence that counts: that on notes without an error."""
        return [e for e in self.evidence if not e.excluded]

    @property
    def status(self) -> str:
        """``not-started``, ``in-progress`` or ``sufficient``, from the evidence that counts."""
        if all(e.excluded for e in self.evidence):  # no evidence that counts
            return NOT_STARTED
        if all(r.met for r in self.requirements) and all(self.covered.values()):
            return SUFFICIENT
        return IN_PROGRESS

    def to_json(self) -> dict[str, Any]:
        """The criterion entry of the progress JSON."""
        c = self.criterion
        return {
            "id": c.id,
            "verb": c.verb,
            "text": c.text,
            "ksbs": list(c.ksbs),
            "status": self.status,
            "requirements": [
                {
                    "id": r.id,
                    "label": r.label,
                    "min": r.min,
                    "have": r.have,
                    "items": r.items,
                    "met": r.met,
                }
                for r in self.requirements
            ],
            "checklist": [
                {"id": item.id, "label": item.label, "covered": self.covered[item.id]}
                for item in c.checklist
            ],
            "evidence": [
                {
                    "note": e.note,
                    "ref": e.ref,
                    "title": e.title,
                    "where": e.where,
                    "tagged": e.tagged,
                    **({"excluded": e.excluded} if e.excluded else {}),
                }
                for e in self.evidence
            ],
        }


@dataclass
class Rollup:
    """Counts of ACs by status for any grouping of ACs."""

    total: int = 0
    sufficient: int = 0
    in_progress: int = 0

    def add(self, status: str) -> None:
        """Count one AC."""
        self.total += 1
        if status == SUFFICIENT:
            self.sufficient += 1
        elif status == IN_PROGRESS:
            self.in_progress += 1

    @property
    def not_started(self) -> int:
        """ACs with no evidence yet."""
        return self.total - self.sufficient - self.in_progress

    def to_json(self) -> dict[str, int]:
        """Plain counts."""
        return {
            "total": self.total,
            "sufficient": self.sufficient,
            "in_progress": self.in_progress,
            "not_started": self.not_started,
        }


@dataclass
class KsbProgress:
    """Evidence reaching one KSB through its ACs."""

    code: str
    criteria: list[str]
    notes: set[str]
    rollup: Rollup
    epa_method: str | None

    def to_json(self) -> dict[str, Any]:
        """The KSB entry of the progress JSON."""
        return {
            "code": self.code,
            "criteria": self.criteria,
            "evidence_count": len(self.notes),
            "notes": sorted(self.notes),
            "epa_method": self.epa_method,
            **self.rollup.to_json(),
        }


@dataclass
class Progress:
    """Progress of a whole portfolio."""

    criteria: dict[str, CriterionProgress]
    outcomes: dict[str, Rollup]
    units: dict[str, Rollup]
    ksbs: dict[str, KsbProgress]
    groupings: dict[str, Rollup]
    methods: dict[str, Rollup]

    def criterion(self, ac_id: str) -> CriterionProgress:
        """Progress of one AC."""
        return self.criteria[ac_id]


def _gather(
    content: Content, records: list[NoteRecord], excluded: dict[str, str]
) -> dict[str, CriterionProgress]:
    """Each AC's evidence, the items its requirements count and the checklist it covers."""
    criteria: dict[str, CriterionProgress] = {}
    gathered: dict[str, dict[str, dict[str, str]]] = {}
    covered: dict[str, set[str]] = {}
    for criterion in content.criteria:
        criteria[criterion.id] = CriterionProgress(criterion)
        gathered[criterion.id] = {r.id: {} for r in criterion.requirements}
        covered[criterion.id] = set()
    for record in records:
        if record.error or not record.tags:
            continue
        reason = excluded.get(record.path, "")
        unbacked = unbacked_claims(record, content)
        for tag in record.tags:
            ac = tag.ac
            progress = criteria.get(ac)
            if progress is None:
                continue
            progress.evidence.append(
                EvidenceRef(
                    record.path,
                    record.ref,
                    record.title,
                    tag.where,
                    tag.tagged,
                    reason,
                )
            )
            if reason:
                continue
            for req_id, items in tag.counts.items():
                bucket = gathered[ac].get(req_id)
                if bucket is None:
                    continue
                for item in items:
                    text = str(item).strip()
                    if text and (ac, str(req_id), text.lower()) not in unbacked:
                        bucket.setdefault(text.lower(), text)
            covered[ac].update(
                str(i) for i in tag.covers if (ac, "", str(i).strip().lower()) not in unbacked
            )
    for ac, progress in criteria.items():
        c = progress.criterion
        progress.requirements = [
            RequirementProgress(r.id, r.label, r.min, list(gathered[ac][r.id].values()))
            for r in c.requirements
        ]
        progress.covered = {item.id: item.id in covered[ac] for item in c.checklist}
    return criteria


def _rollups(
    content: Content, criteria: dict[str, CriterionProgress]
) -> tuple[dict[str, Rollup], dict[str, Rollup]]:
    """Each learning outcome's and each unit's statuses, added up."""
    outcomes: dict[str, Rollup] = {}
    units: dict[str, Rollup] = {}
    for unit in content.units:
        units[unit.id] = Rollup()
        for lo in unit.outcomes:
            key = f"{unit.id}/{lo.id}"
            outcomes[key] = Rollup()
            for c in lo.criteria:
                status = criteria[c.id].status
                outcomes[key].add(status)
                units[unit.id].add(status)
    return outcomes, units


def _ksb_progress(
    content: Content, criteria: dict[str, CriterionProgress]
) -> dict[str, KsbProgress]:
    """Each KSB (and part of one) with the ACs that reach it and the notes that count."""
    method_of_ksb: dict[str, str | None] = {}
    for grouping in content.standard.groupings:
        for code in grouping.ksbs:
            method_of_ksb.setdefault(code, grouping.epa_method)
    ksbs: dict[str, KsbProgress] = {}
    for ksb in content.standard.ksbs:
        for code in (ksb.id, *(p.id for p in ksb.parts)):
            ksbs[code] = KsbProgress(code, [], set(), Rollup(), method_of_ksb.get(code))
    for ac, progress in criteria.items():
        for code in progress.criterion.ksbs:
            entry = ksbs.get(code)
            if entry is None:
                continue
            entry.criteria.append(ac)
            entry.rollup.add(progress.status)
            entry.notes.update(e.note for e in progress.counted)
    # A KSB with parts (S4) is reached through its parts.
    for ksb in content.standard.ksbs:
        whole = ksbs[ksb.id]
        for part in ksb.parts:
            whole.criteria += ksbs[part.id].criteria
            whole.notes |= ksbs[part.id].notes
            for ac in ksbs[part.id].criteria:
                whole.rollup.add(criteria[ac].status)
    return ksbs


def _grouping_rollups(
    content: Content, criteria: dict[str, CriterionProgress]
) -> tuple[dict[str, Rollup], dict[str, Rollup]]:
    """The statuses added up by KSB grouping and by the EPA method that assesses it."""
    groupings: dict[str, Rollup] = {}
    methods: dict[str, Rollup] = {}
    unit_grouping = {u.id: u.grouping for u in content.units}
    grouping_method = {g.id: g.epa_method for g in content.standard.groupings}
    for progress in criteria.values():
        grouping_id = unit_grouping.get(progress.criterion.unit_id)
        if grouping_id:
            groupings.setdefault(grouping_id, Rollup()).add(progress.status)
            method = grouping_method.get(grouping_id)
            if method:
                methods.setdefault(method, Rollup()).add(progress.status)
    return groupings, methods


def compute_progress(
    content: Content, records: list[NoteRecord], excluded: dict[str, str] | None = None
) -> Progress:
    """Gather every tag into per-AC progress and roll it up.

    ``excluded`` maps notes that do not count (a note with an error flag) to the reason: their
    tags are listed, marked, but give no items, ticks or KSB coverage.
    """
    criteria = _gather(content, records, excluded or {})
    outcomes, units = _rollups(content, criteria)
    groupings, methods = _grouping_rollups(content, criteria)
    return Progress(criteria, outcomes, units, _ksb_progress(content, criteria), groupings, methods)
