"""Reading a progress export someone else made: validated, size-capped, never trusted.

A tutor opens files that apprentices send. Each is checked for its schema and version and
for the shape of every field the review uses before anything is shown, so a truncated,
hand-edited or hostile file gives one clear message instead of a traceback or, worse, a
half-drawn screen.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from companion import clock
from companion.errors import CompanionError
from companion.portfolio.profile import ProfileError, learner_name
from companion.review.compliance import Compliance, ComplianceError, read_compliance
from companion.review.export_shape import (
    ExportCriterion,
    ExportFlag,
    ExportNote,
    ExportSummary,
    ExportUnit,
    ProgressData,
)
from companion.review.untrusted_json import decode_versioned, read_capped
from companion.text.terminal import safe_line

PROGRESS_SCHEMA = "companion.progress/2"
OLDER_SCHEMAS = ("companion.progress/1",)
"""Versions still read: they carry no compliance figures and no evidence fingerprints."""
MAX_EXPORT_BYTES = 50 * 1024 * 1024
STATUSES = ("not-started", "in-progress", "sufficient")
SEVERITIES = ("error", "warning")


class ExportFileError(CompanionError):
    """The file is not a progress export this version can read; the message says why."""


@dataclass(frozen=True)
class LearnerExport:
    """One apprentice's progress export, checked field by field."""

    path: Path
    data: ProgressData
    sha256: str
    compliance: Compliance | None = None
    """Off-the-job hours and reviews; None in a version 1 export, which has none."""
    fingerprints: dict[str, str] | None = None
    """Each AC's evidence fingerprint; None in a version 1 export."""

    def evidence_sha256(self, ac: str) -> str:
        """The fingerprint of the evidence tagged to ``ac`` ('' when the export has none)."""
        return (self.fingerprints or {}).get(ac, "")

    @property
    def learner(self) -> str:
        return self.data["learner"]["name"]

    @property
    def generated(self) -> str:
        return self.data["generated"]

    @property
    def summary(self) -> ExportSummary:
        return self.data["summary"]

    @property
    def units(self) -> list[ExportUnit]:
        return self.data["units"]

    @property
    def flags(self) -> list[ExportFlag]:
        return self.data["flags"]

    @property
    def planned_gateway(self) -> dt.date | None:
        return _iso_date(self.data["learner"].get("planned_gateway"))

    def days_to_gateway(self, today: dt.date | None = None) -> int | None:
        """Days from ``today`` (not from when the export was made) to the planned gateway."""
        gateway = self.planned_gateway
        return None if gateway is None else (gateway - (today or clock.today())).days

    def criterion(self, ac: str) -> ExportCriterion | None:
        for unit in self.units:
            for criterion in unit["criteria"]:
                if criterion["id"] == ac:
                    return criterion
        return None

    def criterion_ids(self) -> list[str]:
        return [c["id"] for u in self.units for c in u["criteria"]]

    def flags_for(self, notes: set[str]) -> list[ExportFlag]:
        return [f for f in self.flags if f["note"] in notes]

    @property
    def with_notes(self) -> bool:
        """True when the apprentice included their notes' text (``--with-notes``)."""
        return self.data.get("with_notes") is True

    def note(self, path: str) -> ExportNote | None:
        """The export's entry for one note (its facts, and its text where included)."""
        return next((n for n in self.data.get("notes", []) if n["path"] == path), None)


def _iso_date(value: Any) -> dt.date | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


class _Checker:
    """Checks the shape of the decoded JSON, naming the first bad field by its path."""

    def obj(self, value: Any, where: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise ExportFileError(f"{where} should be an object")
        return value

    def lst(self, value: Any, where: str) -> list[Any]:
        if not isinstance(value, list):
            raise ExportFileError(f"{where} should be a list")
        return value

    def text(self, parent: dict[str, Any], key: str, where: str, *, optional: bool = False) -> None:
        value = parent.get(key)
        if value is None and optional:
            return
        if not isinstance(value, str):
            raise ExportFileError(f"{where}.{key} should be text")

    def name(self, parent: dict[str, Any], key: str, where: str) -> None:
        """A person's name: one line of at most ``MAX_NAME`` characters."""
        try:
            learner_name(parent.get(key), f"{where}.{key}")
        except ProfileError as exc:
            raise ExportFileError(exc.message.replace("'learner'", "the name")) from None

    def number(self, parent: dict[str, Any], key: str, where: str) -> None:
        value = parent.get(key)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ExportFileError(f"{where}.{key} should be a whole number")

    def flag(self, parent: dict[str, Any], key: str, where: str) -> None:
        if not isinstance(parent.get(key), bool):
            raise ExportFileError(f"{where}.{key} should be true or false")

    def choice(
        self, parent: dict[str, Any], key: str, where: str, choices: tuple[str, ...]
    ) -> None:
        if parent.get(key) not in choices:
            raise ExportFileError(f"{where}.{key} should be one of {', '.join(choices)}")


def _check(data: dict[str, Any]) -> ProgressData:  # noqa: C901 - one line per field of the format
    """Check every field the review reads, in the order the format describes them. One
    function so it reads as the schema does: each line is one field and its type; what
    it has checked is what ``ProgressData`` says."""
    c = _Checker()
    root = c.obj(data, "the file")
    learner = c.obj(root.get("learner"), "learner")
    c.text(learner, "name", "learner")
    c.name(learner, "name", "learner")
    c.text(learner, "programme_start", "learner", optional=True)
    c.text(learner, "planned_gateway", "learner", optional=True)
    c.text(root, "generated", "the file")
    summary = c.obj(root.get("summary"), "summary")
    for key in ("criteria", "sufficient", "errors", "warnings", "pd_ksbs_covered", "pd_ksbs_total"):
        c.number(summary, key, "summary")
    for u, unit in enumerate(c.lst(root.get("units"), "units")):
        uw = f"units[{u}]"
        c.obj(unit, uw)
        for key in ("id", "title", "method"):
            c.text(unit, key, uw)
        for o, outcome in enumerate(c.lst(unit.get("outcomes", []), f"{uw}.outcomes")):
            c.obj(outcome, f"{uw}.outcomes[{o}]")
            c.text(outcome, "id", f"{uw}.outcomes[{o}]")
            c.text(outcome, "text", f"{uw}.outcomes[{o}]")
        for i, criterion in enumerate(c.lst(unit.get("criteria"), f"{uw}.criteria")):
            cw = f"{uw}.criteria[{i}]"
            c.obj(criterion, cw)
            for key in ("id", "verb", "text"):
                c.text(criterion, key, cw)
            c.choice(criterion, "status", cw, STATUSES)
            for r, req in enumerate(c.lst(criterion.get("requirements"), f"{cw}.requirements")):
                rw = f"{cw}.requirements[{r}]"
                c.obj(req, rw)
                c.text(req, "label", rw)
                c.number(req, "min", rw)
                c.number(req, "have", rw)
                c.flag(req, "met", rw)
                if not all(isinstance(x, str) for x in c.lst(req.get("items", []), f"{rw}.items")):
                    raise ExportFileError(f"{rw}.items should be a list of text")
            for k, item in enumerate(c.lst(criterion.get("checklist"), f"{cw}.checklist")):
                kw = f"{cw}.checklist[{k}]"
                c.obj(item, kw)
                c.text(item, "label", kw)
                c.flag(item, "covered", kw)
            for e, ev in enumerate(c.lst(criterion.get("evidence"), f"{cw}.evidence")):
                ew = f"{cw}.evidence[{e}]"
                c.obj(ev, ew)
                c.text(ev, "note", ew)
                for key in ("ref", "title", "where", "excluded"):
                    c.text(ev, key, ew, optional=True)
    for f, flag in enumerate(c.lst(root.get("flags"), "flags")):
        fw = f"flags[{f}]"
        c.obj(flag, fw)
        for key in ("code", "note", "message"):
            c.text(flag, key, fw)
        c.text(flag, "ac", fw, optional=True)
        c.choice(flag, "severity", fw, SEVERITIES)
    for n, note in enumerate(c.lst(root.get("notes", []), "notes")):
        nw = f"notes[{n}]"
        c.obj(note, nw)
        c.text(note, "path", nw)
        for key in ("body", "body_error"):
            c.text(note, key, nw, optional=True)
    for w, count in enumerate(c.lst(root.get("word_counts", []), "word_counts")):
        ww = f"word_counts[{w}]"
        c.obj(count, ww)
        c.text(count, "kind", ww)
        c.text(count, "note", ww)
        c.number(count, "words", ww)
    return cast(ProgressData, root)  # every field of ProgressData checked above


_SHA256 = re.compile(r"[0-9a-f]{64}")


def _fingerprints(value: Any, criteria: list[str]) -> dict[str, str]:
    """The ``evidence_sha256`` map: one SHA-256 (64 hex digits) for each AC of the export."""
    if not isinstance(value, dict):
        raise ExportFileError("evidence_sha256 should map AC ids to fingerprints")
    known = set(criteria)
    for ac, digest in value.items():
        if ac not in known:
            raise ExportFileError(f"evidence_sha256: '{safe_line(ac)[:40]}' is not an AC here")
        if not isinstance(digest, str) or not _SHA256.fullmatch(digest):
            where = f"evidence_sha256.{safe_line(ac)}"
            raise ExportFileError(f"{where} should be 64 hexadecimal digits")
    return dict(value)


def parse_progress_export(raw: bytes, path: Path) -> LearnerExport:
    """Check ``raw`` (the bytes of ``path``) and return the export, or say what is wrong."""
    name = path.name
    data = decode_versioned(
        raw,
        name,
        schema=PROGRESS_SCHEMA,
        max_bytes=MAX_EXPORT_BYTES,
        error=ExportFileError,
        what="a companion progress export",
        older=OLDER_SCHEMAS,
    )
    compliance: Compliance | None = None
    fingerprints: dict[str, str] | None = None
    try:
        checked = _check(data)
        if checked["schema"] == PROGRESS_SCHEMA:
            compliance = read_compliance(checked.get("compliance"))
            ids = [c["id"] for u in checked["units"] for c in u["criteria"]]
            fingerprints = _fingerprints(checked.get("evidence_sha256"), ids)
    except (ExportFileError, ComplianceError) as exc:
        raise ExportFileError(f"{name}: {exc}") from None
    return LearnerExport(path, checked, hashlib.sha256(raw).hexdigest(), compliance, fingerprints)


def read_progress_export(path: Path) -> LearnerExport:
    """Read and check one export file."""
    return parse_progress_export(read_capped(path, MAX_EXPORT_BYTES, ExportFileError), path)
