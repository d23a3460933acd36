"""Evidence rules: flag what the framework's guidance forbids or what is not ready for an assessor.

Which rules apply, and the words each flag gives as its reason, come from the framework's
``evidence.yaml`` (``rules:``): a family the framework does not list never fires. Each flag
has a stable code, a severity (``error`` blocks gateway, ``warning`` needs a look), the
note, and a message a learner understands. Warnings the apprentice lists under
``acknowledge`` in a note stay visible but marked acknowledged.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import msgspec

from companion import clock
from companion.assessment.memo import flags_key
from companion.assessment.severity import ERROR as ERROR  # the rules' users read them here
from companion.assessment.severity import SEVERITIES, Severity
from companion.assessment.severity import WARNING as WARNING
from companion.content.model import Content, EvidenceRule
from companion.notes.card import CardFile, beyond_file, shows_date, shows_text
from companion.notes.findings import CitationProblem
from companion.notes.record import NoteRecord
from companion.portfolio.library import ReferenceLibrary
from companion.portfolio.profile import Profile
from companion.text.values import (
    NotADate,
    NotYesNo,
    is_timestamp,
    parse_date,
    parse_duration,
    read_date,
    read_yes_no,
)

R_READABLE = "The note must be readable for the app to count it as evidence."
DUPLICATE_NAMES_SHOWN = 5
"""How many of the other notes sharing a reference a ``duplicate-ref`` flag names."""

RECORDING_TYPES = {"recording", "video", "audio", "professional-discussion"}
_WITNESS_TYPES = {"witness-testimony", "witness"}
_TEAM_TYPES = {"project-plan", "report", "minutes", "research-project", "presentation"}


class Flag(msgspec.Struct, frozen=True, gc=False):
    """One thing to fix (error) or look at (warning) in a note. A Struct outside the cyclic
    collector, as a portfolio of 50,000 notes holds some 60,000 of them: each is made in a
    tenth of a frozen dataclass's time and never looked at by the collector."""

    code: str
    severity: Severity
    note: str
    message: str
    reason: str = ""
    acknowledged: bool = False
    ac: str = ""

    def to_json(self) -> dict[str, Any]:
        """A plain mapping for JSON output (written out: a status may hold many thousands)."""
        return {
            "code": self.code,
            "severity": self.severity,
            "note": self.note,
            "message": self.message,
            "reason": self.reason,
            "acknowledged": self.acknowledged,
            "ac": self.ac,
        }


def _yes_no(fields: dict[str, Any], key: str) -> tuple[bool, str]:
    """A yes/no field as read, with an ending for the flag's message when it is neither:
    a value that is not a yes counts as no, and the learner is told why."""
    value = fields.get(key)
    try:
        return read_yes_no(value), ""
    except NotYesNo:
        return False, f" ('{key}: {str(value).strip()[:40]}' is not yes or no)"


class _Collector:
    """Gathers one note's flags, marking acknowledged warnings."""

    def __init__(self, record: NoteRecord) -> None:
        self.record = record
        ack = record.get("acknowledge") or []
        self.ack = {str(a).strip() for a in (ack if isinstance(ack, list) else [ack])}
        self.flags: list[Flag] = []

    def add(
        self, code: str, severity: Severity, message: str, reason: str = "", ac: str = ""
    ) -> None:
        acknowledged = severity == WARNING and code in self.ack
        message = sys.intern(message)  # the same words recur across thousands of notes
        self.flags.append(Flag(code, severity, self.record.path, message, reason, acknowledged, ac))


@dataclass(frozen=True)
class _Note:
    """What every rule family is given: the note, the framework and the programme."""

    record: NoteRecord
    content: Content
    profile: Profile
    today: dt.date
    type: str
    library: ReferenceLibrary | None = None


NOT_EVIDENCE_TYPES = ("proposal-summary", "progress-review")
"""Typed notes that are not portfolio evidence: the proposal summary and review records."""


def _is_evidence(record: NoteRecord) -> bool:
    """Tagged notes and typed ones, but not the proposal summary or a progress review record:
    neither is portfolio evidence."""
    note_type = str(record.get("type") or "").strip().lower()
    return bool(record.tags) or bool(note_type and note_type not in NOT_EVIDENCE_TYPES)


# --- rule families: each checks one part of the guidance ------------------------------


def _types(n: _Note, c: _Collector) -> None:
    if not n.type or not n.content.evidence_types:
        return
    known = n.content.evidence_type(n.type)
    if known is None:
        labels = ", ".join(t.id for t in n.content.evidence_types if t.allowed)
        c.add(
            "unknown-type",
            WARNING,
            f"'{n.type}' is not an evidence type the app knows (known: {labels}).",
        )
    elif not known.allowed:
        reason = f"{known.source}: {known.reason}" if known.source else known.reason
        c.add("type-not-allowed", ERROR, f"{known.label} is not accepted as evidence.", reason)


def _simulation(n: _Note, c: _Collector, rule: EvidenceRule) -> None:
    phrases = n.record.simulation_phrases
    if phrases:
        quoted = ", ".join(f"'{p}'" for p in phrases[:3])
        c.add(
            "reads-as-simulation",
            WARNING,
            f"The text reads like a scenario, simulation or case study ({quoted}); evidence "
            "must come from real work.",
            rule.reason,
        )


def _reflective(n: _Note, c: _Collector, rule: EvidenceRule) -> None:
    phrases = n.record.reflective_phrases
    if phrases:
        quoted = ", ".join(f"'{p}'" for p in phrases[:3])
        c.add(
            "reads-as-reflective",
            WARNING,
            f"The text reads like a reflective account ({quoted}); show the work product instead.",
            rule.reason,
        )


def _hyperlinks(n: _Note, c: _Collector, rule: EvidenceRule) -> None:
    if n.record.link_only:
        c.add(
            "needs-hyperlinks",
            ERROR,
            "The note is mostly a link: the assessor would have to follow it to see the evidence.",
            rule.reason,
        )
    elif n.record.urls:
        c.add(
            "bare-links",
            WARNING,
            f"The note has {n.record.urls} link(s); make sure nothing the assessor needs is "
            "only behind a link.",
            rule.reason,
        )


def _header(n: _Note, c: _Collector, rule: EvidenceRule) -> None:
    if not _is_evidence(n.record):
        return
    record, fields = n.record, set(rule.fields)
    if "ref" in fields and not record.ref:
        c.add("missing-ref", ERROR, "No evidence reference number ('ref', e.g. E014).", rule.reason)
    if "date" in fields and record.get("date") in (None, ""):
        c.add("missing-date", ERROR, "No date the evidence was produced ('date').", rule.reason)
    if "learner" in fields:
        learner = str(record.get("learner") or "").strip()
        if not learner:
            c.add("missing-learner", ERROR, "No learner name ('learner').", rule.reason)
        elif n.profile.learner and learner.lower() != n.profile.learner.lower():
            c.add(
                "learner-mismatch",
                WARNING,
                f"The learner name '{learner}' differs from the profile's '{n.profile.learner}'.",
                rule.reason,
            )


def _dates(n: _Note, c: _Collector) -> None:
    """A date that is not one is always an error; on-programme limits only where they apply."""
    raw = n.record.get("date")
    if raw in (None, ""):
        return
    header = n.content.rule("header")
    try:
        date = read_date(raw)
    except NotADate as exc:
        c.add(
            "bad-date",
            ERROR,
            f"'{raw}' is not a date (use YYYY-MM-DD{exc.suffix}).",
            header.reason if header else "",
        )
        return
    if date is None:
        return
    rule = n.content.rule("on-programme")
    if rule is None:
        return
    start = n.profile.programme_start
    if start and date < start:
        c.add(
            "dated-before-programme",
            ERROR,
            f"Dated {date.isoformat()}, before the programme started ({start.isoformat()}).",
            rule.reason,
        )
    if date > n.today:
        c.add(
            "dated-in-future",
            ERROR,
            f"Dated {date.isoformat()}, which is in the future.",
            rule.reason,
        )


def _witness(n: _Note, c: _Collector, rule: EvidenceRule) -> None:
    if n.type not in _WITNESS_TYPES:
        return
    witness = n.record.get("witness")
    witness = witness if isinstance(witness, dict) else {}
    if not witness.get("name"):
        c.add(
            "witness-no-name",
            ERROR,
            "The witness testimony does not name the witness.",
            rule.reason,
        )
    signed, said = _yes_no(witness, "signed")
    if not signed:
        c.add("witness-unsigned", ERROR, f"The witness testimony is not signed{said}.", rule.reason)
    if not witness.get("date"):
        c.add("witness-undated", ERROR, "The witness testimony is not dated.", rule.reason)
    if not witness.get("relationship"):
        c.add(
            "witness-no-relationship",
            ERROR,
            "The witness testimony does not give the witness's relationship to you.",
            rule.reason,
        )


def recording_limit(content: Content) -> tuple[int, str] | None:
    """The longest recording extract in seconds, with its reason; None where none is set."""
    fact = next((f for f in content.standard.epa_facts if f.id == "recording-max-minutes"), None)
    if fact is None or not isinstance(fact.value, int | float):
        return None
    reason = f"{fact.source}: {fact.text}" if fact.source else fact.text
    return int(fact.value * 60), reason


_PRESENTATION_TYPES = {"presentation"}


def assignment_recording_limit(
    record: NoteRecord, content: Content, profile: Profile
) -> tuple[int, str, str] | None:
    """The length Appendix C gives a unit assignment's recorded professional discussion or
    presentation, when the note says it is one (``unit:`` naming a unit the profile has
    assessed by assignment; type ``presentation`` for the presentation, any recording for
    the discussion): seconds, reason, and what it is."""
    unit_id = str(record.get("unit") or "").strip()
    if not unit_id or profile.method(unit_id) != "assignment":
        return None
    unit = content.unit(unit_id)
    assignment = unit.assignment if unit is not None else None
    if assignment is None:
        return None
    note_type = str(record.get("type") or "").strip().lower()
    if note_type not in _PRESENTATION_TYPES and assignment.discussion_minutes:
        minutes, what = assignment.discussion_minutes, "professional discussion"
        said = "Professional Discussions: must be recorded, limited to {} minutes, and "
        said += "accompanied by a summary of timestamps of where criteria are met."
    elif note_type in _PRESENTATION_TYPES and assignment.presentation_minutes:
        minutes, what = assignment.presentation_minutes, "presentation"
        said = "Presentations: must be recorded, limited to {} minutes, and accompanied by "
        said += "slides and speaker notes."
    else:
        return None
    reason = f"Handbook Appendix C, unit {unit_id} assignment: " + said.format(minutes)
    return minutes * 60, reason, f"the unit {unit_id} {what}"


def is_recording(record: NoteRecord) -> bool:
    """A recording: typed as one, or a card whose file is audio or video."""
    card = record.file
    note_type = str(record.get("type") or "").strip().lower()
    return note_type in RECORDING_TYPES or (card is not None and card.kind in ("audio", "video"))


def recording_seconds(record: NoteRecord) -> tuple[int | None, bool]:
    """How long a recording lasts, and whether that was read from its file: a card's file
    says it (a typed ``duration`` is not trusted over it); a note has only what is typed."""
    card = record.file
    if card is not None and card.duration is not None:
        return round(card.duration), True
    recording = record.get("recording")
    typed = recording.get("duration") if isinstance(recording, dict) else None
    if card is not None and card.kind in ("audio", "video"):
        return None, False  # a recording's file that could not be timed: typing is no check
    return parse_duration(typed), False


def _is_recording(n: _Note) -> bool:
    return is_recording(n.record)


def _recording(n: _Note, c: _Collector, rule: EvidenceRule) -> None:
    if not _is_recording(n):
        return
    recording = n.record.get("recording")
    recording = recording if isinstance(recording, dict) else {}
    introduced, said = _yes_no(recording, "introduction")
    if not introduced:
        c.add(
            "recording-no-introduction",
            ERROR,
            f"The recording has no introduction naming who is present and the date{said}.",
            rule.reason,
        )
    card = n.record.file
    seconds, from_file = recording_seconds(n.record)
    assignment = assignment_recording_limit(n.record, n.content, n.profile)
    limit = recording_limit(n.content)
    if seconds is None:
        if card is None or not card.problem:  # a file's problem is flagged as such
            c.add(
                "recording-no-duration",
                WARNING,
                "The recording's duration is not given (recording: duration: m:ss)."
                if card is None
                else f"The duration of {card.name} could not be read from the file.",
                limit[1] if limit else rule.reason,
            )
    elif assignment is not None:
        if seconds > assignment[0]:
            c.add(
                "recording-too-long",
                ERROR,
                f"The recording lasts {seconds // 60}:{seconds % 60:02d}; "
                f"{assignment[2]} is limited to {assignment[0] // 60} minutes.",
                assignment[1],
            )
    elif limit is not None and seconds > limit[0]:
        c.add(
            "recording-too-long",
            ERROR,
            f"The recording lasts {seconds // 60}:{seconds % 60:02d}"
            f"{' (read from the file)' if from_file else ''}; extracts are at most "
            f"{limit[0] // 60} minutes.",
            limit[1],
        )
    for tag in n.record.tags:
        if not is_timestamp(tag.where):
            c.add(
                "recording-tag-no-timestamp",
                ERROR,
                f"The tag for {tag.ac} has no timestamp (mm:ss) into the recording.",
                rule.reason,
                ac=tag.ac,
            )


def _teamwork(n: _Note, c: _Collector, rule: EvidenceRule) -> None:
    record = n.record
    team = _yes_no(record.fields, "team")[0] or (n.type in _TEAM_TYPES and record.we_count >= 5)
    if team and not str(record.get("contribution") or "").strip():
        c.add(
            "team-no-contribution",
            WARNING,
            "This looks like team work but does not say what your own contribution was "
            "('contribution').",
            rule.reason,
        )


CITATIONS_SHOWN = 3
"""How many citations a ``citations-no-references`` flag names."""


def _words(hint: str) -> str:
    """A match hint without its code: ``year-differs: Harris has …`` is ``Harris has …``."""
    return hint.split(": ", 1)[1] if ": " in hint else hint


def _in_library(problem: CitationProblem, library: ReferenceLibrary | None) -> bool:
    """True when the reference library holds the work an unmatched citation names."""
    if library is None or problem.kind != "unmatched" or problem.source is None:
        return False
    return library.holds(problem.source.to_json())


def _place(record: NoteRecord, line: object) -> str:
    """Where a line is, as its reader finds it: ``line 12`` of a note, ``page 3`` or
    ``slide 2`` of a card's file."""
    number = line if isinstance(line, int) else 0
    if number <= 0:  # an entry of the front matter's references: the card's or note's own
        return "the front matter's references"
    return record.file.place_of(number) if record.file is not None else f"line {number}"


def _references(n: _Note, c: _Collector, rule: EvidenceRule) -> None:
    """Each citation has an entry (in the note's reference list or the library), each entry
    is cited: one warning per miss, naming it and its line."""
    record = n.record
    library = n.library if n.library is not None and n.library.references else None
    found = [p for p in record.citation_problems if not _in_library(p, library)]
    beyond_kept = record.more_citation_problems
    if not found and not beyond_kept:
        return
    listed = bool(record.reference_entries or record.get("references"))
    if not listed and not record.has_reference_section and library is None:
        mentions: list[str] = []
        for problem in found:
            if problem.kind in ("unmatched", "ambiguous"):
                mention = f"{problem.written} on {_place(record, problem.line)}"
                if mention not in mentions:
                    mentions.append(mention)
        shown = ", ".join(mentions[:CITATIONS_SHOWN])
        more = len(mentions) - CITATIONS_SHOWN
        c.add(
            "citations-no-references",
            WARNING,
            f"{record.citations} in-text citation(s) but no reference list ('references' or a "
            f"References section): {shown}{f' and {more} more' if more > 0 else ''}.",
            rule.reason,
        )
        return
    where = "the reference list" + (f" or {library.name}" if library is not None else "")
    for problem in found:
        kind = problem.kind
        place = _place(record, problem.line)
        line, text, hint = place[:1].upper() + place[1:], problem.shown, _words(problem.hint)
        said = f" ({hint})" if hint else ""
        if kind == "unmatched":
            c.add(
                "citation-not-referenced",
                WARNING,
                f"{line}: {text} has no entry in {where}{said}.",
                rule.reason,
            )
        elif kind == "ambiguous":
            c.add(
                "citation-ambiguous",
                WARNING,
                f"{line}: {text} could be more than one entry ({hint}); add the letter.",
                rule.reason,
            )
        elif kind == "uncited":
            c.add(
                "reference-not-cited",
                WARNING,
                f"{line}: the reference {text} is not cited in the text.",
                rule.reason,
            )
    if beyond_kept:
        c.add(
            "citations-more",
            WARNING,
            f"{beyond_kept} more citation(s) or reference(s) do not match; "
            "'companion cite' lists them all.",
            rule.reason,
        )


def _confidentiality(n: _Note, c: _Collector, rule: EvidenceRule) -> None:
    found = [*n.record.emails, *n.record.phones]
    if found:
        c.add(
            "personal-data",
            WARNING,
            f"Possible personal data to anonymise: {', '.join(found[:3])}.",
            rule.reason,
        )


R_FILE = "The evidence file must be there and readable for the assessor to see it."
_HEADED_KINDS = ("document", "presentation", "spreadsheet", "text")
"""Files that can carry the header or footer "Preparing Evidence" asks for (a recording
identifies itself by its introduction instead)."""


def _card_file(n: _Note, c: _Collector) -> None:
    """A card's file: there and readable, showing what "Preparing Evidence" asks for, and
    holding every place its tags point at."""
    card = n.record.file
    if card is None:
        return
    if card.problem:
        c.add(card.problem, ERROR, card.message, R_FILE)
        return
    header = n.content.rule("header")
    if header is not None and card.kind in _HEADED_KINDS and _is_evidence(n.record):
        _file_header(n, c, card, header)
    for tag in n.record.tags:
        ac, where = tag.ac, tag.where
        beyond = beyond_file(where, card)
        if beyond is not None:
            matrix = n.content.rule("matrix")
            c.add(
                "where-beyond-file",
                ERROR,
                f"The tag for {ac} points at {beyond}.",
                matrix.reason if matrix is not None else "",
                ac=ac,
            )
        elif ac in card.unfound:
            c.add(
                "where-not-found",
                WARNING,
                f"The tag for {ac} points at '{where}', which is not found in {card.name}.",
                ac=ac,
            )


def _file_header(n: _Note, c: _Collector, card: CardFile, rule: EvidenceRule) -> None:
    """The learner's name, the date produced and the reference, shown by the file itself
    (its header or footer, or its first page or slide), as the handbook asks."""
    if not card.has_text:
        c.add(
            "file-no-text",
            WARNING,
            f"No text could be read from {card.name} (a scan or pictures of pages?): check "
            "by eye that it shows your name, the date produced and its reference.",
            rule.reason,
        )
        return
    text, fields = card.front_text, set(rule.fields)
    learner = str(n.record.get("learner") or n.profile.learner or "").strip()
    missing = []
    if "learner" in fields and learner and not shows_text(text, learner):
        missing.append(f"your name ({learner})")
    date = parse_date(n.record.get("date"))
    if "date" in fields and date is not None and not shows_date(text, date):
        missing.append(f"the date produced ({date.isoformat()})")
    if "ref" in fields and n.record.ref and not shows_text(text, n.record.ref):
        missing.append(f"its evidence reference ({n.record.ref})")
    if missing:
        c.add(
            "file-not-prepared",
            ERROR,
            f"{card.name} does not show {_and(missing)} in its header, footer or first "
            f"{'slide' if card.kind == 'presentation' else 'page'}.",
            rule.reason,
        )


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


def _tags(n: _Note, c: _Collector) -> None:
    """Every tag names a real AC, says where, and counts only what the AC asks for."""
    matrix = n.content.rule("matrix")
    reason = matrix.reason if matrix else ""
    for problem in n.record.tag_problems:
        c.add("bad-evidence-list", ERROR, f"The evidence list has a problem: {problem}.", reason)
    for tag in n.record.tags:
        ac = tag.ac
        criterion = n.content.criterion(ac)
        if criterion is None:
            c.add("unknown-ac", ERROR, f"'{ac}' is not an assessment criterion.", reason, ac=ac)
            continue
        if matrix is not None and not tag.where.strip():
            c.add(
                "tag-no-where",
                WARNING,
                f"The tag for {ac} does not say where in the evidence the criterion is met.",
                reason,
                ac=ac,
            )
        known_reqs = {r.id for r in criterion.requirements}
        for key in tag.counts:
            if key not in known_reqs:
                c.add(
                    "unknown-requirement",
                    WARNING,
                    f"The tag for {ac} counts '{key}', which is not one of its requirements.",
                    ac=ac,
                )
        known_items = {k.id for k in criterion.checklist}
        for item in tag.covers:
            if item not in known_items:
                c.add(
                    "unknown-checklist-item",
                    WARNING,
                    f"The tag for {ac} covers '{item}', which is not on its checklist.",
                    ac=ac,
                )


CLAIM_NOT_MENTIONED = "claim-not-mentioned"


def unmentioned_claims(record: NoteRecord, content: Content) -> list[tuple[str, str, str]]:
    """``(ac, requirement, item)`` for each name a note's tags claim that its evidence never
    uses (requirement '' for a checklist item the glossary knows): items of requirements
    that count names (models, stakeholder groups), not those the learner words for
    themselves (incidents, factors: ``named: false``)."""
    found: list[tuple[str, str, str]] = []
    for ac, req, item in record.unmentioned:
        criterion = content.criterion(str(ac))
        if criterion is None:
            continue
        if req:
            requirement = next((r for r in criterion.requirements if r.id == req), None)
            if requirement is None or not requirement.named:
                continue
        found.append((str(ac), str(req), str(item)))
    return found


def unbacked_claims(record: NoteRecord, content: Content) -> set[tuple[str, str, str]]:
    """The claims of a note that count for nothing: ``(ac, requirement, item)``, item in
    lower case, for each ``unmentioned_claims`` while the framework applies the ``claims``
    rule and the note does not acknowledge the warning. Sufficiency is only claimed until
    the text bears it out; a learner who has looked and acknowledged the warning (the model
    is there under another name) vouches for it, as for any warning."""
    if not record.unmentioned or content.rule("claims") is None:
        return set()
    ack = record.get("acknowledge") or []
    if CLAIM_NOT_MENTIONED in {str(a).strip() for a in (ack if isinstance(ack, list) else [ack])}:
        return set()
    return {
        (ac, req, item.strip().lower()) for ac, req, item in unmentioned_claims(record, content)
    }


def _claims(n: _Note, c: _Collector, rule: EvidenceRule) -> None:
    """Each name a tag claims, used nowhere in the evidence's text: the body, or a card's
    file text with what the card says."""
    for ac, req, item in unmentioned_claims(n.record, n.content):
        done = "counted" if req else "covered"
        c.add(
            CLAIM_NOT_MENTIONED,
            WARNING,
            f"{item} is {done} for {ac} but the evidence never mentions it.",
            rule.reason,
            ac=ac,
        )


def _depth(n: _Note, c: _Collector, rule: EvidenceRule) -> None:
    """Evidence far too short for what its AC's command verb asks (``words``, counted as the
    word count counts): two lines cannot justify or evaluate anything. A recording (its note
    holds a summary or timestamps, not the evidence) or a file with no text is judged by its
    length and the learner's eye instead."""
    card = n.record.file
    if _is_recording(n) or (card is not None and (card.problem or not card.has_text)):
        return
    words = n.record.words
    seen: set[str] = set()
    for tag in n.record.tags:
        ac = tag.ac
        criterion = n.content.criterion(ac)
        if criterion is None or ac in seen:
            continue
        seen.add(ac)
        fewest = rule.fewest_words(criterion.verb)
        if fewest is not None and words < fewest:
            c.add(
                "evidence-too-short",
                WARNING,
                f"The evidence is {words} word{'' if words == 1 else 's'} long: far too short "
                f"to {criterion.verb.lower()} for {ac} (at least {fewest} words).",
                rule.reason,
                ac=ac,
            )


RULE_FAMILIES: dict[str, Callable[[_Note, _Collector, EvidenceRule], None]] = {
    "simulation": _simulation,
    "reflective": _reflective,
    "hyperlinks": _hyperlinks,
    "header": _header,
    "witness": _witness,
    "recording": _recording,
    "teamwork": _teamwork,
    "references": _references,
    "confidentiality": _confidentiality,
    "matrix": lambda n, c, rule: None,  # the tag checks below read it
    "on-programme": lambda n, c, rule: None,  # the date checks below read it
    "claims": _claims,
    "depth": _depth,
}
"""Each evidence rule id a framework can turn on, and the check it runs."""


def check_note(
    record: NoteRecord,
    content: Content,
    profile: Profile,
    today: dt.date | None = None,
    library: ReferenceLibrary | None = None,
) -> list[Flag]:
    """Every flag for one note under the rules its framework applies (``library``: the
    reference library named in the profile, which citations may be matched to)."""
    c = _Collector(record)
    if record.error:
        c.add(record.error.code, ERROR, record.error.message, R_READABLE)
        return c.flags
    if record.foreign:
        c.add(
            "front-matter-not-yaml",
            WARNING,
            f"The front matter is {record.foreign.upper()}; the app reads only YAML front "
            "matter (between --- lines), so it sees none of this note's fields and will not "
            "change it.",
        )
    note = _Note(
        record,
        content,
        profile,
        today or clock.today(),
        str(record.get("type") or "").lower(),
        library,
    )
    _types(note, c)
    for rule in content.evidence_rules:
        RULE_FAMILIES[rule.id](note, c, rule)
    _dates(note, c)
    _tags(note, c)
    _card_file(note, c)
    return c.flags


def _duplicate_refs(records: list[NoteRecord], content: Content) -> list[Flag]:
    """A note sharing its reference with others, naming a few of them (not every one)."""
    header = content.rule("header")
    if header is None or "ref" not in header.fields:
        return []
    by_ref: dict[str, list[NoteRecord]] = defaultdict(list)
    for record in records:
        if record.ref and not record.error:
            by_ref[record.ref.lower()].append(record)
    flags: list[Flag] = []
    for same in by_ref.values():
        if len(same) < 2:
            continue
        for record in same:
            others = [r.path for r in same if r is not record]
            shown = ", ".join(others[:DUPLICATE_NAMES_SHOWN])
            more = len(others) - DUPLICATE_NAMES_SHOWN
            if more > 0:
                shown += f" and {more} more"
            flags.append(
                Flag(
                    "duplicate-ref",
                    ERROR,
                    record.path,
                    f"The reference '{record.ref}' is also used by {shown}.",
                    header.reason,
                )
            )
    return flags


def _shared_files(records: list[NoteRecord]) -> list[Flag]:
    """A file named by more than one card: one piece of evidence counted twice, with two
    references for the assessor to reconcile."""
    by_file: dict[str, list[NoteRecord]] = defaultdict(list)
    for record in records:
        if record.file is not None and record.file.path and not record.error:
            by_file[record.file.path].append(record)
    flags: list[Flag] = []
    for path, same in by_file.items():
        if len(same) < 2:
            continue
        for record in same:
            others = ", ".join(r.path for r in same if r is not record)
            flags.append(
                Flag(
                    "file-has-two-cards",
                    ERROR,
                    record.path,
                    f"{path} is also the file of {others}: keep one card for it.",
                    R_FILE,
                )
            )
    return flags


class FlagCache(Protocol):
    """Where a note's flags are kept between runs (the portfolio's index)."""

    def cached_flags(self, relative: str) -> tuple[str, object]: ...

    def keep_flags(self, key: str, updates: Iterable[tuple[str, str]]) -> None: ...

    def hold_flags(self, key: str, flags: dict[str, object]) -> None: ...


def _encode(flags: Sequence[Flag]) -> str:
    return json.dumps(
        [[f.code, f.severity, f.message, f.reason, f.acknowledged, f.ac] for f in flags],
        ensure_ascii=False,
        separators=(",", ":"),
    )


_FLAG_ROWS = msgspec.json.Decoder(list[tuple[str, str, str, str, bool, str]])
"""What ``_encode`` writes, read back checking each value's type."""


def _decode(text: str, note: str) -> tuple[Flag, ...] | None:
    """Flags read back from the index, each text kept once however many notes repeat it
    (a reason is a paragraph of the handbook, shared by every flag of its rule)."""
    if text == "[]":  # most notes
        return ()
    intern = sys.intern
    try:
        return tuple(
            Flag(
                intern(code),
                SEVERITIES[severity],
                note,
                intern(message),
                intern(reason),
                ack,
                intern(ac),
            )
            for code, severity, message, reason, ack, ac in _FLAG_ROWS.decode(text)
        )
    except (msgspec.DecodeError, KeyError, RecursionError):
        return None


def check_portfolio(
    records: list[NoteRecord],
    content: Content,
    profile: Profile,
    today: dt.date | None = None,
    *,
    cache: FlagCache | None = None,
    library: ReferenceLibrary | None = None,
) -> list[Flag]:
    """Every flag for every note, plus those across notes (duplicate refs).

    With a ``cache``, a note whose flags were worked out before for the same note, content,
    profile, day, library and rules reads them back instead of checking the note again.
    """
    day = today or clock.today()
    key = flags_key(content.fingerprint, profile, day, library) if cache is not None else ""
    fresh: list[tuple[str, Sequence[Flag]]] = []
    held: dict[str, object] = {}
    flags: list[Flag] = []
    for record in records:
        note_flags: Sequence[Flag] | None = None
        if key and cache is not None:
            kept_key, kept = cache.cached_flags(record.path)
            if kept_key == key:
                if isinstance(kept, tuple):  # held from an earlier status in this process
                    note_flags = kept
                elif isinstance(kept, str):
                    note_flags = _decode(kept, record.path)
                    if note_flags is not None:
                        held[record.path] = note_flags
        if note_flags is None:
            note_flags = tuple(check_note(record, content, profile, day, library))
            if key:
                fresh.append((record.path, note_flags))
                held[record.path] = note_flags
        flags += note_flags
    if cache is not None and fresh:
        # encoded a note at a time as the rows are written: never all the texts at once
        cache.keep_flags(key, ((rel, _encode(note)) for rel, note in fresh))
    if cache is not None and held:
        cache.hold_flags(key, held)
    flags += _duplicate_refs(records, content)
    flags += _shared_files(records)
    return sort_flags(flags)


def sort_flags(flags: list[Flag]) -> list[Flag]:
    """Errors first, then by note and code: the order every list of flags is shown in."""
    order = {ERROR: 0, WARNING: 1}
    return sorted(flags, key=lambda f: (order.get(f.severity, 2), f.note, f.code))
