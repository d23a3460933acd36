"""Evidence tags: read them from a note's ``evidence`` key, and tag, re-tag or untag a note.

A tag says which AC a note evidences, where in it (page/paragraph or mm:ss), when it was
tagged, the requirement items it contributes and the checklist items it covers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from companion.content.ids import normalise_ac_id
from companion.content.model import Content
from companion.notes.file import NoteFile
from companion.notes.writer import NoteWriteError, read_for_write, write_evidence, write_key


@dataclass(frozen=True)
class Tag:
    """One evidence tag of a note."""

    ac: str
    where: str = ""
    tagged: str = ""
    counts: dict[str, tuple[str, ...]] = field(default_factory=dict)
    covers: tuple[str, ...] = ()

    def to_yaml(self) -> dict[str, Any]:
        """The mapping written into the note, in a stable, readable key order."""
        out: dict[str, Any] = {"ac": self.ac}
        if self.where:
            out["where"] = self.where
        if self.tagged:
            out["tagged"] = self.tagged
        if self.counts:
            out["counts"] = {k: list(v) for k, v in self.counts.items()}
        if self.covers:
            out["covers"] = list(self.covers)
        return out


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 60:
        # YAML 1.1 reads an unquoted 12:30 as the number 750: give back the mm:ss written.
        minutes, seconds = divmod(value, 60)
        return f"{minutes}:{seconds:02d}"
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value).strip()


def read_tags(metadata: dict[str, Any]) -> tuple[list[Tag], list[str]]:
    """The tags in a note's front matter and a message for each entry that is not a tag."""
    raw = metadata.get("evidence")
    if raw is None:
        return [], []
    if not isinstance(raw, list):
        return [], ["'evidence' should be a list of tags"]
    tags: list[Tag] = []
    problems: list[str] = []
    for index, item in enumerate(raw, start=1):
        if not isinstance(item, dict) or not item.get("ac"):
            problems.append(f"evidence entry {index} has no 'ac'")
            continue
        counts_raw = item.get("counts") or {}
        counts: dict[str, tuple[str, ...]] = {}
        if isinstance(counts_raw, dict):
            for key, values in counts_raw.items():
                items = values if isinstance(values, list) else [values]
                counts[str(key)] = tuple(_text(v) for v in items if _text(v))
        else:
            problems.append(f"evidence entry {index} ('{item.get('ac')}'): 'counts' is not a map")
        covers_raw = item.get("covers") or []
        covers_list = covers_raw if isinstance(covers_raw, list) else [covers_raw]
        tags.append(
            Tag(
                ac=_text(item.get("ac")),
                where=_text(item.get("where")),
                tagged=_text(item.get("tagged")),
                counts=counts,
                covers=tuple(_text(c) for c in covers_list if _text(c)),
            )
        )
    return tags, problems


def now_iso() -> str:
    """The current time as the ISO timestamp stored in ``tagged``."""
    return dt.datetime.now(dt.UTC).astimezone().replace(microsecond=0).isoformat()


def _clean_items(values: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for value in values:
        text = str(value).strip()
        if text and text.lower() not in seen:
            seen[text.lower()] = text
    return tuple(seen.values())


def tag_note(
    path: Path,
    content: Content,
    ac: str,
    *,
    where: str = "",
    counts: dict[str, list[str]] | None = None,
    covers: list[str] | None = None,
    now: str | None = None,
    note: NoteFile | None = None,
) -> Tag:
    """Tag the note to an AC, or update its tag for that AC; return the tag written.

    Raises NoteWriteError with a message for the learner when the AC, a requirement or a
    checklist id is unknown, or the note cannot be changed safely.
    """
    ac_id = normalise_ac_id(content, ac)
    criterion = content.criterion(ac_id) if ac_id else None
    if criterion is None:
        raise NoteWriteError(f"'{ac}' is not an assessment criterion (try e.g. 700/1.1)")
    counts = counts or {}
    covers = covers or []
    known_reqs = {r.id for r in criterion.requirements}
    for key in counts:
        if key not in known_reqs:
            choices = ", ".join(sorted(known_reqs)) or "none"
            raise NoteWriteError(f"{ac_id} has no requirement '{key}' (it has: {choices})")
    known_items = {c.id for c in criterion.checklist}
    for item in covers:
        if item not in known_items:
            choices = ", ".join(c.id for c in criterion.checklist) or "none"
            raise NoteWriteError(f"{ac_id} has no checklist item '{item}' (it has: {choices})")
    note = note or read_for_write(path)
    existing, problems = read_tags(note.metadata)
    if problems:
        raise NoteWriteError(f"{path.name}: fix its evidence list first ({problems[0]})")
    tag = Tag(
        ac=ac_id,
        where=str(where).strip(),
        tagged=now or now_iso(),
        counts={k: _clean_items(v) for k, v in counts.items() if _clean_items(v)},
        covers=_clean_items(covers),
    )
    updated = [t for t in existing if t.ac != ac_id]
    position = next((i for i, t in enumerate(existing) if t.ac == ac_id), len(updated))
    updated.insert(position, tag)
    write_evidence(note, [t.to_yaml() for t in updated])
    return tag


def untag_note(path: Path, content: Content, ac: str, *, note: NoteFile | None = None) -> None:
    """Remove the note's tag for an AC; the ``evidence`` key goes when it was the last."""
    ac_id = normalise_ac_id(content, ac) or ac.strip()
    note = note or read_for_write(path)
    existing, problems = read_tags(note.metadata)
    if problems:
        raise NoteWriteError(f"{path.name}: fix its evidence list first ({problems[0]})")
    if not any(t.ac == ac_id for t in existing):
        raise NoteWriteError(f"{path.name} is not tagged to {ac_id}")
    remaining = [t.to_yaml() for t in existing if t.ac != ac_id]
    write_evidence(note, remaining or None)


def acknowledge_warning(path: Path, code: str, *, note: NoteFile | None = None) -> list[str]:
    """Add a warning code to the note's ``acknowledge`` list; return the new list."""
    note = note or read_for_write(path)
    current = note.metadata.get("acknowledge") or []
    if not isinstance(current, list):
        raise NoteWriteError(f"{path.name}: 'acknowledge' should be a list of warning codes")
    codes = [str(c) for c in current]
    if code in codes:
        return codes
    codes.append(code)
    write_key(note, "acknowledge", codes)
    return codes
