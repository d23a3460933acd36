"""A fingerprint of the evidence tagged to each AC, so a tutor sees what changed after deciding.

The progress export carries one SHA-256 per AC. It is made from what the evidence says, never
from file times or the machine it was made on: each tagged note's path, its text and front
matter (leaving out the list of tags itself, so tagging the note to another AC does not
change this one), this AC's tag (where, items counted, checklist covered) and, for a card,
the SHA-256 of the evidence file it stands for. The same evidence gives the same
fingerprint on any computer; changing a word of it gives another.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from pathlib import Path
from typing import Any

from companion.assessment.status import Status
from companion.content.ids import normalise_ac_id
from companion.evidence.cache import HASHED_AT_MOST
from companion.evidence.read import file_sha256
from companion.notes.file import NoteReadError, read_note_file
from companion.notes.record import NoteRecord
from companion.notes.writer import OWNED_KEY

LEFT_OUT_KEYS = (OWNED_KEY, "acknowledge")
"""Front matter that says how the note is filed or checked, not what it says."""


def _plain(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


def note_stamp(status: Status, path: str) -> str:
    """The SHA-256 of one note's text and front matter ('unreadable' when it cannot be read)."""
    try:
        note = read_note_file(status.portfolio.path_of(path))
    except (NoteReadError, OSError):
        return "unreadable"
    front = {k: v for k, v in note.metadata.items() if k not in LEFT_OUT_KEYS}
    text = note.body.replace("\r\n", "\n")
    return hashlib.sha256(_plain({"front": front, "body": text}).encode("utf-8")).hexdigest()


def _file_stamp(status: Status, record: NoteRecord) -> str:
    """The SHA-256 of the evidence file a card stands for; '' for a note that is not a card."""
    card = record.file
    if card is None:
        return ""
    if not card.path:
        return "missing"
    path = status.portfolio.root / card.path
    try:
        info = os.stat(path)
    except OSError:
        return "unreadable"
    if not stat.S_ISREG(info.st_mode):
        return "unreadable"
    if info.st_size <= HASHED_AT_MOST:
        return file_sha256(path, HASHED_AT_MOST) or "unreadable"
    return _sampled(path)


SAMPLE = 1024 * 1024


def _sampled(path: Path) -> str:
    """A recording too large to hash whole: its size and the hash of its first and last
    megabyte, still from its bytes alone (so the same on any computer)."""
    digest = hashlib.sha256()
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # never waits on a pipe
        with os.fdopen(fd, "rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode):
                return "unreadable"
            digest.update(handle.read(SAMPLE))
            handle.seek(max(info.st_size - SAMPLE, 0))
            digest.update(handle.read(SAMPLE))
    except OSError:
        return "unreadable"
    return f"{info.st_size}:{digest.hexdigest()}"


def _tag_of(status: Status, record: NoteRecord, ac: str) -> dict[str, Any]:
    """This AC's tag on the note, without the time it was made (re-tagging alone is no change)."""
    content = status.portfolio.content
    for tag in record.tags:
        if normalise_ac_id(content, tag.ac) == ac:
            return {k: v for k, v in tag.to_yaml().items() if k not in ("ac", "tagged")}
    return {}


def evidence_fingerprints(status: Status, criteria: dict[str, list[str]]) -> dict[str, str]:
    """One SHA-256 per AC over the evidence tagged to it; ``criteria`` maps each AC id to its
    tagged notes' paths (an AC with none gets the fingerprint of no evidence)."""
    records = status.portfolio.records
    stamps: dict[str, tuple[str, str]] = {}
    out: dict[str, str] = {}
    for ac, paths in criteria.items():
        parts = []
        for path in sorted(set(paths)):
            record = records.get(path)
            if record is None:
                parts.append(_plain([path, "missing"]))
                continue
            if path not in stamps:
                stamps[path] = (note_stamp(status, path), _file_stamp(status, record))
            note, file = stamps[path]
            parts.append(_plain([path, note, file, _tag_of(status, record, ac)]))
        out[ac] = hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()
    return out
