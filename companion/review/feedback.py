"""The tutor's decisions and feedback on one progress export: ``*.feedback.json``.

Decisions live beside the export, never inside it, so the apprentice's export stays as sent
and the feedback can travel back to them on its own. The file is versioned and, because it
crosses between people, is read with the same distrust as an export.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from companion import clock
from companion.errors import CompanionError
from companion.files import UnsafeWrite, atomic_write
from companion.portfolio.profile import MAX_NAME
from companion.review.progress_file import LearnerExport
from companion.review.untrusted_json import decode_versioned, read_capped
from companion.text.names import line_problem, tidy

FEEDBACK_SCHEMA = "companion.feedback/1"
FEEDBACK_SUFFIX = ".feedback.json"
MAX_FEEDBACK_BYTES = 5 * 1024 * 1024
MAX_TEXT = 20_000
PASS, REFERRAL, NOT_ASSESSED = "pass", "referral", "not-assessed"
DECISIONS = (PASS, REFERRAL, NOT_ASSESSED)
DECISION_LABELS = {PASS: "Pass", REFERRAL: "Referral", NOT_ASSESSED: "Not yet assessed"}
HEADER_FIELDS = ("assessor", "centre_number", "centre_name", "learner_registration")


class FeedbackError(CompanionError):
    """The feedback file cannot be read or written; the message says why."""


@dataclass
class AcFeedback:
    """The assessor's decision on one AC, with the rationale the handbook asks for."""

    decision: str = NOT_ASSESSED
    feedback: str = ""
    date: str = ""
    evidence_sha256: str = ""
    """The fingerprint of the AC's evidence in the export the decision was made on ('' when
    that export had none), so a later export shows whether the evidence changed since."""


@dataclass
class Feedback:
    """Every decision and comment on one apprentice's export."""

    learner: str
    export_file: str = ""
    export_generated: str = ""
    export_sha256: str = ""
    assessor: str = ""
    centre_number: str = ""
    centre_name: str = ""
    learner_registration: str = ""
    updated: str = ""
    criteria: dict[str, AcFeedback] = field(default_factory=dict)
    unit_comments: dict[str, str] = field(default_factory=dict)

    def on(self, ac: str) -> AcFeedback:
        return self.criteria.get(ac) or AcFeedback()

    def record(
        self,
        ac: str,
        decision: str,
        text: str | None,
        today: dt.date,
        evidence_sha256: str | None = None,
    ) -> None:
        """Set the decision (and the feedback text, unless None) for ``ac``, made on the
        evidence whose fingerprint is ``evidence_sha256`` (None keeps the one recorded)."""
        if decision not in DECISIONS:
            raise FeedbackError(f"decision must be one of {', '.join(DECISIONS)}")
        current = self.on(ac)
        feedback = current.feedback if text is None else _clean(text, f"feedback on {ac}")
        seen = current.evidence_sha256 if evidence_sha256 is None else evidence_sha256
        self.criteria[ac] = AcFeedback(decision, feedback, today.isoformat(), seen)

    def unit_decision(self, criteria: list[str]) -> str:
        """Pass only when every AC passes; Referral when any is referred (handbook Appendix E)."""
        decisions = [self.on(ac).decision for ac in criteria]
        if decisions and all(d == PASS for d in decisions):
            return PASS
        return REFERRAL if REFERRAL in decisions else NOT_ASSESSED

    def counts(self) -> Counter[str]:
        return Counter(f.decision for f in self.criteria.values())

    def to_json(self) -> dict[str, Any]:
        return {
            "schema": FEEDBACK_SCHEMA,
            "learner": self.learner,
            "export": {
                "file": self.export_file,
                "generated": self.export_generated,
                "sha256": self.export_sha256,
            },
            **{key: getattr(self, key) for key in HEADER_FIELDS},
            "updated": self.updated,
            "criteria": {ac: _entry(f) for ac, f in sorted(self.criteria.items())},
            "unit_comments": dict(sorted(self.unit_comments.items())),
        }


def _entry(f: AcFeedback) -> dict[str, str]:
    """One AC's decision for the file; the fingerprint only when known, so a file with none
    is exactly what earlier versions wrote."""
    out = {"decision": f.decision, "feedback": f.feedback, "date": f.date}
    if f.evidence_sha256:
        out["evidence_sha256"] = f.evidence_sha256
    return out


def changed_since_decision(feedback: Feedback, export: LearnerExport) -> list[str]:
    """The ACs, in the export's order, decided on evidence that has changed since: their
    fingerprint in ``export`` differs from the one the decision was made on. An AC decided
    on an export without fingerprints (or shown in one) is never called changed."""
    changed = []
    for ac in export.criterion_ids():
        entry = feedback.criteria.get(ac)
        if entry is None or entry.decision == NOT_ASSESSED or not entry.evidence_sha256:
            continue
        now = export.evidence_sha256(ac)
        if now and now != entry.evidence_sha256:
            changed.append(ac)
    return changed


_SHA256 = re.compile(r"[0-9a-f]{64}")


def _sha256_text(value: Any, what: str) -> str:
    if value in (None, ""):
        return ""
    if not isinstance(value, str) or not _SHA256.fullmatch(value):
        raise FeedbackError(f"{what} should be 64 hexadecimal digits")
    return value


def _clean(text: object, what: str) -> str:
    """Text for the file: capped, Unix line ends, no NUL, no lone surrogate (which no UTF-8
    file can hold)."""
    if not isinstance(text, str):
        raise FeedbackError(f"{what} should be text")
    if len(text) > MAX_TEXT:
        raise FeedbackError(f"{what} is longer than {MAX_TEXT:,} characters")
    text = text.replace("\r\n", "\n").replace("\x00", "")
    return text.encode("utf-8", "replace").decode("utf-8") if _SURROGATE.search(text) else text


_SURROGATE = re.compile("[\ud800-\udfff]")


def _one_line(value: Any, what: str) -> None:
    """A name or number in the header: one line, at most ``MAX_NAME`` characters."""
    if not isinstance(value, str):
        raise FeedbackError(f"{what} should be text")
    problem = line_problem(value, MAX_NAME)
    if problem:
        raise FeedbackError(f"{what} {problem}")


def header_value(value: str, what: str) -> str:
    """A header field as a tutor typed it (name, centre, registration), checked."""
    value = tidy(value)
    _one_line(value, what)
    return value


def feedback_path(export_path: Path) -> Path:
    """Where the feedback on an export lives: beside it, ``<stem>.feedback.json``."""
    return export_path.with_name(export_path.stem + FEEDBACK_SUFFIX)


def new_feedback(export: LearnerExport) -> Feedback:
    return Feedback(
        learner=export.learner,
        export_file=export.path.name,
        export_generated=export.generated,
        export_sha256=export.sha256,
    )


def _date_text(value: Any, what: str) -> str:
    if value in (None, ""):
        return ""
    if not isinstance(value, str):
        raise FeedbackError(f"{what} should be a date")
    try:
        dt.date.fromisoformat(value[:10])
    except ValueError:
        raise FeedbackError(f"{what} should be a date like 2026-11-22") from None
    return value


def parse_feedback(raw: bytes, name: str, known_acs: set[str] | None = None) -> Feedback:
    """Check a feedback file's bytes; ``known_acs`` rejects decisions on unknown ACs."""
    data = decode_versioned(
        raw,
        name,
        schema=FEEDBACK_SCHEMA,
        max_bytes=MAX_FEEDBACK_BYTES,
        error=FeedbackError,
        what="a companion feedback file",
    )
    try:
        return _from_json(data, known_acs)
    except FeedbackError as exc:
        raise FeedbackError(f"{name}: {exc}") from None


def _from_json(data: dict[str, Any], known_acs: set[str] | None) -> Feedback:
    learner = _clean(data.get("learner"), "learner").strip()
    if not learner:
        raise FeedbackError("learner is empty")
    for key in ("learner", *HEADER_FIELDS):
        _one_line(data.get(key, ""), key)
    export = {} if data.get("export") is None else data["export"]
    if not isinstance(export, dict):
        raise FeedbackError("export should be an object")
    feedback = Feedback(
        learner=learner,
        export_file=_clean(export.get("file", ""), "export.file"),
        export_generated=_clean(export.get("generated", ""), "export.generated"),
        export_sha256=_clean(export.get("sha256", ""), "export.sha256"),
        updated=_clean(data.get("updated", ""), "updated"),
        assessor=_clean(data.get("assessor", ""), "assessor"),
        centre_number=_clean(data.get("centre_number", ""), "centre_number"),
        centre_name=_clean(data.get("centre_name", ""), "centre_name"),
        learner_registration=_clean(data.get("learner_registration", ""), "learner_registration"),
    )
    criteria = {} if data.get("criteria") is None else data["criteria"]
    if not isinstance(criteria, dict):
        raise FeedbackError("criteria should map AC ids to decisions")
    for ac, entry in criteria.items():
        if known_acs is not None and ac not in known_acs:
            raise FeedbackError(f"'{ac[:40]}' is not an assessment criterion")
        if not isinstance(entry, dict):
            raise FeedbackError(f"criteria.{ac} should be an object")
        decision = entry.get("decision", NOT_ASSESSED)
        if decision not in DECISIONS:
            raise FeedbackError(f"criteria.{ac}.decision should be one of {', '.join(DECISIONS)}")
        feedback.criteria[ac] = AcFeedback(
            decision,
            _clean(entry.get("feedback", ""), f"criteria.{ac}.feedback"),
            _date_text(entry.get("date"), f"criteria.{ac}.date"),
            _sha256_text(entry.get("evidence_sha256"), f"criteria.{ac}.evidence_sha256"),
        )
    comments = {} if data.get("unit_comments") is None else data["unit_comments"]
    if not isinstance(comments, dict):
        raise FeedbackError("unit_comments should map unit ids to text")
    for unit, text in comments.items():
        feedback.unit_comments[_clean(unit, "unit id")[:20]] = _clean(text, f"comments on {unit}")
    return feedback


@dataclass
class FeedbackFile:
    """A feedback file as read, so a save can refuse to overwrite someone else's change."""

    path: Path
    feedback: Feedback
    fingerprint: str | None  # sha256 of the bytes read; None when the file did not exist
    carried_from: Path | None = None
    """The feedback file on an earlier export whose decisions this one starts from."""


def _fingerprint(path: Path) -> str | None:
    if not os.path.lexists(path):
        return None
    return hashlib.sha256(read_capped(path, MAX_FEEDBACK_BYTES, FeedbackError)).hexdigest()


def read_feedback(path: Path, known_acs: set[str] | None = None) -> FeedbackFile:
    raw = read_capped(path, MAX_FEEDBACK_BYTES, FeedbackError)
    feedback = parse_feedback(raw, path.name, known_acs)
    return FeedbackFile(path, feedback, hashlib.sha256(raw).hexdigest())


def _moment(value: str) -> dt.datetime | None:
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


class EarlierFeedback:
    """The feedback files of each folder, read once, by learner: where a newer export finds
    the decisions made on the one before it (a cohort reads each folder once, not once per
    export)."""

    MAX_FILES = 500
    """Feedback files read in one folder; more than that and none is carried over."""

    def __init__(self) -> None:
        self._folders: dict[Path, list[FeedbackFile]] = {}

    def _read(self, folder: Path) -> list[FeedbackFile]:
        if folder not in self._folders:
            found: list[FeedbackFile] = []
            paths = sorted(folder.glob(f"*{FEEDBACK_SUFFIX}"))
            for path in paths if len(paths) <= self.MAX_FILES else []:
                try:
                    found.append(read_feedback(path))
                except FeedbackError:
                    continue  # told when its own export is opened
            self._folders[folder] = found
        return self._folders[folder]

    def latest_before(self, export: LearnerExport) -> FeedbackFile | None:
        """The feedback on the newest export of the same learner made before ``export``."""
        made = _moment(export.generated)
        if made is None:
            return None
        best: tuple[dt.datetime, FeedbackFile] | None = None
        for file in self._read(export.path.parent):
            then = _moment(file.feedback.export_generated)
            if (
                file.feedback.learner == export.learner
                and file.feedback.export_sha256 != export.sha256
                and then is not None
                and then < made
                and (best is None or then > best[0])
            ):
                best = (then, file)
        return best[1] if best else None


def carried(earlier: Feedback, export: LearnerExport) -> Feedback:
    """The decisions and comments made on an earlier export, now on ``export``: each keeps
    the fingerprint it was made on, so what changed since shows."""
    known = set(export.criterion_ids())
    feedback = new_feedback(export)
    for key in HEADER_FIELDS:
        setattr(feedback, key, getattr(earlier, key))
    feedback.criteria = {ac: replace(f) for ac, f in earlier.criteria.items() if ac in known}
    feedback.unit_comments = dict(earlier.unit_comments)
    return feedback


def open_feedback(export: LearnerExport, earlier: EarlierFeedback | None = None) -> FeedbackFile:
    """The feedback on ``export``: the file beside it; else the decisions on the learner's
    previous export in the same folder, carried over; else a new, empty one (not written
    until saved)."""
    path = feedback_path(export.path)
    if path.exists():
        return read_feedback(path, set(export.criterion_ids()))
    previous = (earlier or EarlierFeedback()).latest_before(export)
    if previous is not None:
        return FeedbackFile(path, carried(previous.feedback, export), None, previous.path)
    return FeedbackFile(path, new_feedback(export), None)


def save_feedback(file: FeedbackFile, now: dt.datetime | None = None) -> FeedbackFile:
    """Write atomically; refuse if the file changed (or appeared) since it was read."""
    if _fingerprint(file.path) != file.fingerprint:
        raise FeedbackError(
            f"{file.path.name} changed on disk since it was opened; reopen it to see the "
            "other changes (yours are still on screen)"
        )
    now = now or clock.now()
    file.feedback.updated = now.replace(microsecond=0).isoformat()
    data = (json.dumps(file.feedback.to_json(), indent=2, ensure_ascii=False) + "\n").encode()
    try:
        atomic_write(file.path, data)
    except UnsafeWrite as exc:
        raise FeedbackError(f"{exc.message}; your decisions are still on screen") from None
    except OSError as exc:
        reason = exc.strerror or exc
        raise FeedbackError(f"{file.path.name}: cannot be written ({reason})") from None
    return FeedbackFile(file.path, file.feedback, hashlib.sha256(data).hexdigest())
