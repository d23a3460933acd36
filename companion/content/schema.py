"""The checks the app knows how to run, by the ids a content folder uses to turn them on.

A framework says in its data which gateway checks and which evidence rules apply to it; the
app implements each one (``companion.assessment.gateway``, ``companion.assessment.rules``).
The loader rejects an id not listed here, so a misspelt check can never be silently off, and
a test keeps these lists and the implementations the same.
"""

from __future__ import annotations

GATEWAY_CHECKS: dict[str, tuple[str, ...]] = {
    "pd-ksbs": ("evidence-per-pd-ksb-min",),
    "portfolio-acs": (),
    "no-referrals": (),
    "no-errors": (),
    "evidence-count": ("portfolio-typical-pieces",),
    "recordings": ("recording-max-minutes",),
    "dated-on-programme": (),
    "months-on-programme": ("min-months-on-programme",),
    "english-maths": ("english-maths-level",),
    "employer-statement": (),
    "proposal-summary": ("proposal-summary-max-words",),
    "otj-hours": (),
    "progress-reviews": (),
}
"""Gateway check id -> the EPA facts (``epa.facts``) it takes its limits from."""

GATEWAY_NEEDS_FUNDING: dict[str, str] = {
    "otj-hours": "otj-minimum",
    "progress-reviews": "progress-review",
}
"""Gateway checks that work from the funding rules -> the ``funding.yaml`` topic each needs."""

EVIDENCE_RULES: dict[str, str] = {
    "header": "evidence carries the learner's name, its date and a reference ('fields')",
    "matrix": "each tag says where in the evidence the AC is met",
    "references": "in-text citations are matched to a reference list",
    "confidentiality": "e-mail addresses and phone numbers are flagged to anonymise",
    "simulation": "text that reads as a scenario, simulation or case study is flagged",
    "reflective": "text that reads as a reflective account is flagged",
    "hyperlinks": "evidence that is mostly a link, or has links, is flagged",
    "witness": "witness testimony is named, signed, dated and gives the relationship",
    "recording": "recordings have an introduction, a duration and timestamped tags",
    "teamwork": "team work says what the learner's own contribution was",
    "on-programme": "evidence is dated within the programme and not in the future",
    "claims": "each item a tag claims (a model, a stakeholder group) is named in the evidence",
    "depth": "evidence far too short for its AC's command verb ('words') is flagged",
}
"""Evidence rule id -> what turning it on checks."""

HEADER_FIELDS = ("ref", "date", "learner")
"""The front matter fields the ``header`` rule can require."""
