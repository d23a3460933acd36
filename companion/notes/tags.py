"""Evidence tags: read them from a note's ``evidence`` key, and tag, re-tag or untag a note.

A tag says which AC a note evidences, where in it (page/paragraph or mm:ss), when it was
tagged, the requirement items it contributes and the checklist items it covers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from companion import clock
from companion.content.ids import UnknownCriterion, normalise_ac_id, require_terms
from companion.notes.edit import edit_note
from companion.notes.file import NoteFile
from companion.notes.writer import NoteWriteError, render_evidence, render_with_key
from companion.text.values import text as _text

if TYPE_CHECKING:
    from companion.content.digest import CriteriaDigest
    from companion.content.model import Content


@dataclass(frozen=True, slots=True)
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
    return clock.local_now().isoformat()


def _clean_items(values: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for value in values:
        text = str(value).strip()
        if text and text.lower() not in seen:
            seen[text.lower()] = text
    return tuple(seen.values())


@dataclass(frozen=True)
class TagChange:
    """What a tag or untag did: the tag, and the note before and after."""

    tag: Tag | None
    before: NoteFile
    after: NoteFile
    changed_since: bool = False
    """The note on disk was no longer the copy the caller had read (another program changed
    it); the change was made to the note as it is now."""
    warnings: tuple[str, ...] = ()
    """What went wrong around the change (the history not written), though it was made."""

    @property
    def created_block(self) -> bool:
        """True when the note had no front matter and the tag added the block."""
        return self.before.fm_start is None and self.after.fm_start is not None


def _tags_of(note: NoteFile) -> list[Tag]:
    existing, problems = read_tags(note.metadata)
    if problems:
        raise NoteWriteError(f"{note.path.name}: fix its evidence list first ({problems[0]})")
    return existing


def _reads_as(intended: list[Tag]):  # type: ignore[no-untyped-def]
    def check(value: Any) -> bool:
        got, problems = read_tags({"evidence": value} if value is not None else {})
        return not problems and got == intended

    return check


def tag_note(
    path: Path,
    content: Content | CriteriaDigest,
    ac: str,
    *,
    where: str | None = None,
    counts: dict[str, list[str]] | None = None,
    covers: list[str] | None = None,
    now: str | None = None,
    within: Path | None = None,
    since: NoteFile | None = None,
) -> TagChange:
    """Tag the note to an AC, or update its tag for that AC.

    Updating a tag changes only what is given: a ``where``, ``counts`` or ``covers`` left
    as None keeps the tag's own (moving a tag to another page keeps what it counts); an
    empty one clears it. The change is made to the note as it is on disk when the lock is
    taken, so a tag added meanwhile by another process is kept; ``since`` (the copy the
    caller showed) only lets the result say that happened. Raises UnknownCriterion for an
    id that names no AC, and NoteWriteError when a requirement or checklist id is unknown
    or the note cannot be changed safely.
    """
    criterion = require_terms(content, ac)
    for key in counts or {}:
        if key not in criterion.requirements:
            choices = ", ".join(sorted(criterion.requirements)) or "none"
            raise UnknownCriterion(f"{criterion.id} has no requirement '{key}' (it has: {choices})")
    for item in covers or []:
        if item not in criterion.checklist:
            choices = ", ".join(criterion.checklist) or "none"
            raise UnknownCriterion(
                f"{criterion.id} has no checklist item '{item}' (it has: {choices})"
            )
    stamp = now or now_iso()
    made: list[Tag] = []

    def change(note: NoteFile) -> bytes:
        existing = _tags_of(note)
        old = next((t for t in existing if t.ac == criterion.id), None)
        tag = Tag(
            ac=criterion.id,
            where=str(where).strip() if where is not None else (old.where if old else ""),
            tagged=stamp,
            counts={k: _clean_items(v) for k, v in counts.items() if _clean_items(v)}
            if counts is not None
            else (dict(old.counts) if old else {}),
            covers=_clean_items(covers) if covers is not None else (old.covers if old else ()),
        )
        made[:] = [tag]
        updated = [t for t in existing if t.ac != tag.ac]
        position = next((i for i, t in enumerate(existing) if t.ac == tag.ac), len(updated))
        updated.insert(position, tag)
        return render_evidence(note, existing, updated, check=_reads_as(updated))

    before, after = edit_note(path, change, within=within)
    return TagChange(made[0], before, after, since is not None and since.raw != before.raw)


def untag_note(
    path: Path,
    content: Content | CriteriaDigest,
    ac: str,
    *,
    within: Path | None = None,
    drop_block: bool = True,
) -> TagChange:
    """Remove the note's tag for an AC; the ``evidence`` key goes when it was the last.

    ``drop_block`` says whether a front matter block left empty goes too (the app added it
    for the first tag); a block the learner wrote stays. Raises UnknownCriterion when the
    id is neither an AC nor one of the note's own tags.
    """
    known = normalise_ac_id(content, ac)
    ac_id = known or ac.strip()
    found: list[Tag] = []

    def change(note: NoteFile) -> bytes:
        existing = _tags_of(note)
        mine = [t for t in existing if t.ac == ac_id]
        if not mine:
            if known is None:
                require_terms(content, ac)  # raises: it names no AC either
            raise NoteWriteError(f"{path.name} is not tagged to {ac_id}")
        found.extend(mine)
        remaining = [t for t in existing if t.ac != ac_id]
        return render_evidence(
            note, existing, remaining, check=_reads_as(remaining), drop_empty_block=drop_block
        )

    before, after = edit_note(path, change, within=within)
    return TagChange(found[0] if found else None, before, after)


def acknowledge_warning(path: Path, code: str, *, within: Path | None = None) -> list[str]:
    """Add a warning code to the note's ``acknowledge`` list; return the new list."""
    result: list[str] = []

    def change(note: NoteFile) -> bytes:
        current = note.metadata.get("acknowledge") or []
        if not isinstance(current, list):
            raise NoteWriteError(f"{path.name}: 'acknowledge' should be a list of warning codes")
        codes = [str(c) for c in current]
        result[:] = codes
        if code in codes:
            return note.raw
        result.append(code)
        return render_with_key(note, "acknowledge", [*current, code])

    edit_note(path, change, within=within)
    return result
