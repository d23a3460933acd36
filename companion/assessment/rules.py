"""Evidence rules: flag what the handbook forbids or what is not ready for an assessor.

Each flag has a stable code, a severity (``error`` blocks gateway, ``warning`` needs a
look), the note, a message a learner understands and the handbook's reason. Warnings the
apprentice lists under ``acknowledge`` in a note stay visible but marked acknowledged.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import asdict, dataclass
from typing import Any

from companion.content.model import Content
from companion.notes.record import NoteRecord
from companion.portfolio.profile import Profile

ERROR = "error"
WARNING = "warning"

R_PREPARE = (
    "Handbook, Preparing Evidence: evidence must have a header or footer with the "
    "learner's name, the date the evidence was produced, and an evidence reference number."
)
R_WITNESS = (
    "Handbook, Types of Evidence: statements must be dated and signed by the witness "
    "and include their relationship to the learner."
)
R_RECORDING = (
    "Handbook, Types of Evidence: the Assessor must easily identify the key points in "
    "a recording: where a criterion is met (timestamped) and, in an introduction at the "
    "beginning, who is involved and the date of the recording."
)
R_EPA_RECORDING = "ST0480 assessment plan: video or audio extracts are at most 5 minutes long."
R_SIMULATION = (
    "Handbook, Section 5: scenarios/simulations to demonstrate skills and behaviours "
    "are not accepted because they do not support a learner demonstrating their "
    "competence; evidence should not include case studies/simulated evidence."
)
R_REFLECTIVE = (
    "Handbook, Types of Evidence: evidence should not include reflective accounts by the learner."
)
R_HYPERLINK = "Handbook, Types of Evidence: evidence should not require access to hyperlinks."
R_TEAM = (
    "Handbook, Selecting Evidence: any teamwork presented must clarify and focus on the "
    "learner's contribution."
)
R_REFERENCES = (
    "Handbook, Preparing Evidence: external sources must be clearly referenced using "
    "a recognised system."
)
R_CONFIDENTIAL = (
    "Handbook, Preparing Evidence: confidentiality and data protection requirements "
    "must be adhered to, e.g. anonymisation of documentation."
)
R_ON_PROGRAMME = (
    "Handbook, Section 7: evidence must be generated during the on-programme element "
    "of the apprenticeship."
)
R_MATRIX = (
    "Handbook, Preparing Evidence: the Portfolio must be mapped to the relevant Assessment "
    "Criteria using an Evidence Matrix."
)
R_READABLE = "The note must be readable for the app to count it as evidence."

_MMSS = re.compile(r"^\s*(?:\d{1,2}:)?\d{1,2}:\d{2}\s*(?:[-–]\s*(?:\d{1,2}:)?\d{1,2}:\d{2}\s*)?$")
_DURATION = re.compile(r"^\s*(?:(\d+):)?(\d{1,2}):(\d{2})\s*$")
RECORDING_TYPES = {"recording", "video", "audio", "professional-discussion"}
_WITNESS_TYPES = {"witness-testimony", "witness"}
_TEAM_TYPES = {"project-plan", "report", "minutes", "research-project", "presentation"}


@dataclass(frozen=True)
class Flag:
    """One thing to fix (error) or look at (warning) in a note."""

    code: str
    severity: str
    note: str
    message: str
    reason: str = ""
    acknowledged: bool = False
    ac: str = ""

    def to_json(self) -> dict[str, Any]:
        """A plain mapping for JSON output."""
        return asdict(self)


def parse_duration(value: Any) -> int | None:
    """Seconds from ``4:30``, ``1:02:03``, a number of seconds or ``5m``/``90s``."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return int(value)
    text = str(value).strip().lower()
    match = _DURATION.match(text)
    if match:
        hours = int(match.group(1) or 0)
        return hours * 3600 + int(match.group(2)) * 60 + int(match.group(3))
    match = re.fullmatch(r"(?:(\d+)\s*m(?:in(?:utes?)?)?)?\s*(?:(\d+)\s*s(?:ec(?:onds?)?)?)?", text)
    if match and (match.group(1) or match.group(2)):
        return int(match.group(1) or 0) * 60 + int(match.group(2) or 0)
    return None


def parse_date(value: Any) -> dt.date | None:
    """A date from a YAML date or ISO text; None when it is not a date."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if value is None:
        return None
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return None


def _truthy(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in {"yes", "true", "signed", "y"}
    return bool(value)


class _Collector:
    def __init__(self, record: NoteRecord) -> None:
        self.record = record
        ack = record.get("acknowledge") or []
        self.ack = {str(a).strip() for a in (ack if isinstance(ack, list) else [ack])}
        self.flags: list[Flag] = []

    def add(self, code: str, severity: str, message: str, reason: str = "", ac: str = "") -> None:
        acknowledged = severity == WARNING and code in self.ack
        self.flags.append(Flag(code, severity, self.record.path, message, reason, acknowledged, ac))


def _is_evidence(record: NoteRecord) -> bool:
    """Tagged notes and typed ones, but not the proposal summary: it is not portfolio evidence."""
    note_type = str(record.get("type") or "").strip().lower()
    return bool(record.tags) or bool(note_type and note_type != "proposal-summary")


def check_note(
    record: NoteRecord, content: Content, profile: Profile, today: dt.date | None = None
) -> list[Flag]:
    """Every flag for one note."""
    today = today or dt.date.today()
    c = _Collector(record)
    if record.error:
        c.add(record.error["code"], ERROR, record.error["message"], R_READABLE)
        return c.flags
    for problem in record.tag_problems:
        c.add("bad-evidence-list", ERROR, f"The evidence list has a problem: {problem}.", R_MATRIX)

    note_type = str(record.get("type") or "").strip().lower()
    if note_type:
        known = content.evidence_type(note_type)
        if known is None:
            labels = ", ".join(t.id for t in content.evidence_types if t.allowed)
            c.add(
                "unknown-type",
                WARNING,
                f"'{note_type}' is not an evidence type the app knows (known: {labels}).",
            )
        elif not known.allowed:
            c.add(
                "type-not-allowed",
                ERROR,
                f"{known.label} is not accepted as evidence.",
                known.reason or R_SIMULATION,
            )
    if record.simulation_phrases:
        c.add(
            "reads-as-simulation",
            WARNING,
            "The text reads like a scenario, simulation or case study ("
            + ", ".join(f"'{p}'" for p in record.simulation_phrases[:3])
            + "); evidence must come from real work.",
            R_SIMULATION,
        )
    if record.reflective_phrases:
        c.add(
            "reads-as-reflective",
            WARNING,
            "The text reads like a reflective account ("
            + ", ".join(f"'{p}'" for p in record.reflective_phrases[:3])
            + "); show the work product instead.",
            R_REFLECTIVE,
        )
    if record.link_only:
        c.add(
            "needs-hyperlinks",
            ERROR,
            "The note is mostly a link: the assessor would have to follow it to see the evidence.",
            R_HYPERLINK,
        )
    elif record.urls:
        c.add(
            "bare-links",
            WARNING,
            f"The note has {record.urls} link(s); make sure nothing the assessor needs is "
            "only behind a link.",
            R_HYPERLINK,
        )

    if _is_evidence(record):
        if not record.ref:
            c.add(
                "missing-ref", ERROR, "No evidence reference number ('ref', e.g. E014).", R_PREPARE
            )
        if record.get("date") in (None, ""):
            c.add("missing-date", ERROR, "No date the evidence was produced ('date').", R_PREPARE)
        learner = str(record.get("learner") or "").strip()
        if not learner:
            c.add("missing-learner", ERROR, "No learner name ('learner').", R_PREPARE)
        elif profile.learner and learner.lower() != profile.learner.lower():
            c.add(
                "learner-mismatch",
                WARNING,
                f"The learner name '{learner}' differs from the profile's '{profile.learner}'.",
                R_PREPARE,
            )

    raw_date = record.get("date")
    if raw_date not in (None, ""):
        date = parse_date(raw_date)
        if date is None:
            c.add("bad-date", ERROR, f"'{raw_date}' is not a date (use YYYY-MM-DD).", R_PREPARE)
        else:
            if profile.programme_start and date < profile.programme_start:
                c.add(
                    "dated-before-programme",
                    ERROR,
                    f"Dated {date.isoformat()}, before the programme started "
                    f"({profile.programme_start.isoformat()}).",
                    R_ON_PROGRAMME,
                )
            if date > today:
                c.add(
                    "dated-in-future",
                    ERROR,
                    f"Dated {date.isoformat()}, which is in the future.",
                    R_ON_PROGRAMME,
                )

    if note_type in _WITNESS_TYPES:
        witness = record.get("witness")
        witness = witness if isinstance(witness, dict) else {}
        if not witness.get("name"):
            c.add(
                "witness-no-name",
                ERROR,
                "The witness testimony does not name the witness.",
                R_WITNESS,
            )
        if not _truthy(witness.get("signed")):
            c.add("witness-unsigned", ERROR, "The witness testimony is not signed.", R_WITNESS)
        if not witness.get("date"):
            c.add("witness-undated", ERROR, "The witness testimony is not dated.", R_WITNESS)
        if not witness.get("relationship"):
            c.add(
                "witness-no-relationship",
                ERROR,
                "The witness testimony does not give the witness's relationship to you.",
                R_WITNESS,
            )

    if note_type in RECORDING_TYPES:
        recording = record.get("recording")
        recording = recording if isinstance(recording, dict) else {}
        if not _truthy(recording.get("introduction")):
            c.add(
                "recording-no-introduction",
                ERROR,
                "The recording has no introduction naming who is present and the date.",
                R_RECORDING,
            )
        seconds = parse_duration(recording.get("duration"))
        limit = int(content.epa_fact("recording-max-minutes", 5)) * 60
        if seconds is None:
            c.add(
                "recording-no-duration",
                WARNING,
                "The recording's duration is not given.",
                R_EPA_RECORDING,
            )
        elif seconds > limit:
            c.add(
                "recording-too-long",
                ERROR,
                f"The recording lasts {seconds // 60}:{seconds % 60:02d}; EPA extracts are at "
                f"most {limit // 60} minutes.",
                R_EPA_RECORDING,
            )
        for tag in record.tags:
            if not _MMSS.match(str(tag.get("where", ""))):
                c.add(
                    "recording-tag-no-timestamp",
                    ERROR,
                    f"The tag for {tag['ac']} has no timestamp (mm:ss) into the recording.",
                    R_RECORDING,
                    ac=str(tag["ac"]),
                )

    if (
        _truthy(record.get("team")) or (note_type in _TEAM_TYPES and record.we_count >= 5)
    ) and not str(record.get("contribution") or "").strip():
        c.add(
            "team-no-contribution",
            WARNING,
            "This looks like team work but does not say what your own contribution was "
            "('contribution').",
            R_TEAM,
        )
    if record.citations and not record.get("references") and not record.has_reference_section:
        c.add(
            "citations-no-references",
            WARNING,
            f"{record.citations} in-text citation(s) but no reference list ('references' or a "
            "References section).",
            R_REFERENCES,
        )
    if record.emails or record.phones:
        found = ", ".join((record.emails + record.phones)[:3])
        c.add(
            "personal-data",
            WARNING,
            f"Possible personal data to anonymise: {found}.",
            R_CONFIDENTIAL,
        )

    for tag in record.tags:
        ac = str(tag.get("ac", ""))
        criterion = content.criterion(ac)
        if criterion is None:
            c.add("unknown-ac", ERROR, f"'{ac}' is not an assessment criterion.", R_MATRIX, ac=ac)
            continue
        if not str(tag.get("where") or "").strip():
            c.add(
                "tag-no-where",
                WARNING,
                f"The tag for {ac} does not say where in the evidence the criterion is met.",
                R_MATRIX,
                ac=ac,
            )
        known_reqs = {r.id for r in criterion.requirements}
        for key in tag.get("counts") or {}:
            if key not in known_reqs:
                c.add(
                    "unknown-requirement",
                    WARNING,
                    f"The tag for {ac} counts '{key}', which is not one of its requirements.",
                    ac=ac,
                )
        known_items = {k.id for k in criterion.checklist}
        for item in tag.get("covers") or []:
            if item not in known_items:
                c.add(
                    "unknown-checklist-item",
                    WARNING,
                    f"The tag for {ac} covers '{item}', which is not on its checklist.",
                    ac=ac,
                )
    return c.flags


def check_portfolio(
    records: list[NoteRecord], content: Content, profile: Profile, today: dt.date | None = None
) -> list[Flag]:
    """Every flag for every note, plus those across notes (duplicate refs)."""
    flags: list[Flag] = []
    by_ref: dict[str, list[NoteRecord]] = defaultdict(list)
    for record in records:
        flags += check_note(record, content, profile, today)
        if record.ref and not record.error:
            by_ref[record.ref.lower()].append(record)
    for same in by_ref.values():
        if len(same) > 1:
            others = ", ".join(r.path for r in same)
            for record in same:
                flags.append(
                    Flag(
                        "duplicate-ref",
                        ERROR,
                        record.path,
                        f"The reference '{record.ref}' is used by more than one note ({others}).",
                        R_PREPARE,
                    )
                )
    order = {ERROR: 0, WARNING: 1}
    flags.sort(key=lambda f: (order.get(f.severity, 2), f.note, f.code))
    return flags
