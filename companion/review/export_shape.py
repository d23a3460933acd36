"""The shape of a progress export once it has been checked, field by field, as types.

The export arrives as JSON from someone else's machine, so it stays plain dicts and lists;
these types name what ``progress_file`` has checked each of them to hold, so that the
review's screens and files read a typed export rather than ``dict[str, Any]``. A key that
is ``NotRequired`` may be absent (an older export, or a field left out); a ``| None`` field
may also be null.
"""

from __future__ import annotations

from typing import Literal, NotRequired, TypedDict

Status = Literal["not-started", "in-progress", "sufficient"]
Severity = Literal["error", "warning"]


class ExportLearner(TypedDict):
    name: str
    programme_start: NotRequired[str | None]
    planned_gateway: NotRequired[str | None]


class ExportSummary(TypedDict):
    criteria: int
    sufficient: int
    errors: int
    warnings: int
    pd_ksbs_covered: int
    pd_ksbs_total: int


class ExportOutcome(TypedDict):
    id: str
    text: str


class ExportRequirement(TypedDict):
    """One evidence requirement of an AC: how many it needs, how many it has."""

    label: str
    min: int
    have: int
    met: bool
    items: NotRequired[list[str]]


class ExportChecklistItem(TypedDict):
    label: str
    covered: bool


class ExportEvidence(TypedDict):
    """A note tagged to an AC, and where in it the evidence is."""

    note: str
    ref: NotRequired[str | None]
    title: NotRequired[str | None]
    where: NotRequired[str | None]
    excluded: NotRequired[str | None]


class ExportCriterion(TypedDict):
    id: str
    verb: str
    text: str
    status: Status
    requirements: list[ExportRequirement]
    checklist: list[ExportChecklistItem]
    evidence: list[ExportEvidence]


class ExportUnit(TypedDict):
    id: str
    title: str
    method: str
    outcomes: NotRequired[list[ExportOutcome]]
    criteria: list[ExportCriterion]


class ExportFlag(TypedDict):
    code: str
    note: str
    message: str
    ac: NotRequired[str | None]
    severity: Severity


class ExportNote(TypedDict):
    """A note's entry: its text only when the apprentice exported ``--with-notes``."""

    path: str
    body: NotRequired[str | None]
    body_error: NotRequired[str | None]


class ExportWordCount(TypedDict):
    kind: str
    note: str
    words: int


class ProgressData(TypedDict):
    """The whole export. ``compliance`` and ``evidence_sha256`` are read into their own
    types (version 2 only), so they are left as the JSON they arrived as."""

    schema: str
    generated: str
    learner: ExportLearner
    summary: ExportSummary
    units: list[ExportUnit]
    flags: list[ExportFlag]
    notes: NotRequired[list[ExportNote]]
    word_counts: NotRequired[list[ExportWordCount]]
    with_notes: NotRequired[object]
    compliance: NotRequired[object]
    evidence_sha256: NotRequired[object]
