"""The 500-word Strategic Business Proposal summary: read, plan and save it as the learner's file.

The summary is an ordinary note (``proposal/summary.md`` by default). Its title is the
front matter ``title``; each planner section is a ``## `` heading with its text beneath.
Saving changes only what the planner owns: the title, and the text under the section
headings it knows. Anything else in the file (other headings, an introduction, other front
matter keys, line endings) stays byte for byte, and the write refuses a file that changed
on disk since it was read.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from companion import clock
from companion.content.model import Content, ProposalSection
from companion.files import UnsafeWrite, atomic_write
from companion.notes.edit import edit_note
from companion.notes.file import (
    BOM,
    NoteFile,
    NoteReadError,
    parse_note_text,
    read_note_file,
)
from companion.notes.writer import NoteWriteError, render_with_key
from companion.text.word_rules import WordCountRules
from companion.text.wordcount import count_words

PROPOSAL_TYPE = "proposal-summary"
_H1 = re.compile(r"^#\s+(.*?)\s*#*\s*$")
_H2 = re.compile(r"^##\s+(.*?)\s*#*\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")


def _key(text: str) -> str:
    """A heading reduced to letters and digits, so 'Scope & KPIs' matches 'Scope and KPIs'."""
    text = text.lower().replace("&", " and ")
    return " ".join(re.findall(r"[^\W_]+", text))


@dataclass
class SectionText:
    """One planner section as found in (or destined for) the file."""

    section: ProposalSection
    text: str = ""
    words: int = 0

    def to_json(self) -> dict[str, Any]:
        """Plain mapping for JSON output."""
        return {"id": self.section.id, "title": self.section.title, "words": self.words}


@dataclass
class ProposalSummary:
    """The summary as read: title, section texts and counts against the cap."""

    root: Path
    relative: str
    title: str
    sections: list[SectionText]
    words: int
    cap: int
    note: NoteFile | None = None
    extra_headings: list[str] = field(default_factory=list)

    @property
    def path(self) -> Path:
        """Where the summary lives."""
        return self.root / self.relative

    @property
    def exists(self) -> bool:
        """True when the file is on disk."""
        return self.note is not None

    @property
    def over_cap(self) -> bool:
        """True past the word cap (never, where there is none)."""
        return bool(self.cap) and self.words > self.cap

    @property
    def missing(self) -> list[str]:
        """Titles of the planner sections with nothing written yet."""
        return [s.section.title for s in self.sections if s.words == 0]

    def text_of(self, section_id: str) -> str:
        """The text under one section heading ('' when absent)."""
        for s in self.sections:
            if s.section.id == section_id:
                return s.text
        return ""

    def to_json(self) -> dict[str, Any]:
        """Plain mapping for ``companion proposal --json``."""
        return {
            "path": self.relative,
            "exists": self.exists,
            "title": self.title,
            "words": self.words,
            "cap": self.cap,
            "over_cap": self.over_cap,
            "sections": [s.to_json() for s in self.sections],
            "missing": self.missing,
            "other_headings": self.extra_headings,
        }


@dataclass
class _Block:
    """A stretch of body lines: the preamble (heading None) or one ``## `` section."""

    heading: str | None
    start: int  # index of the heading line (or first line for the preamble)
    end: int  # exclusive
    section_id: str | None = None


def _blocks(lines: list[str], sections: tuple[ProposalSection, ...]) -> list[_Block]:
    by_key: dict[str, str] = {}
    for s in sections:
        by_key.setdefault(_key(s.title), s.id)
        by_key.setdefault(_key(s.id), s.id)
    blocks = [_Block(None, 0, len(lines))]
    fenced = False
    seen: set[str] = set()
    for index, line in enumerate(lines):
        if _FENCE.match(line):
            fenced = not fenced
            continue
        match = None if fenced else _H2.match(line.rstrip("\r\n"))
        if match is None:
            continue
        blocks[-1].end = index
        section_id = by_key.get(_key(match.group(1)))
        if section_id in seen:
            section_id = None  # a repeated heading is the learner's own, kept as it is
        if section_id:
            seen.add(section_id)
        blocks.append(_Block(match.group(1), index, len(lines), section_id))
    return blocks


def _block_text(lines: list[str], block: _Block) -> str:
    return "".join(lines[block.start + 1 : block.end]).strip().replace("\r\n", "\n")


def _h1_title(lines: list[str], block: _Block) -> tuple[int, str] | None:
    for index in range(block.start, block.end):
        match = _H1.match(lines[index].rstrip("\r\n"))
        if match:
            return index, match.group(1)
    return None


def _cap(content: Content) -> int:
    """The summary's word limit from the content's EPA facts (0: the framework sets none)."""
    fact = content.epa_fact("proposal-summary-max-words")
    return int(fact) if isinstance(fact, int) else 0


def _summary_from_text(
    root: Path,
    relative: str,
    note: NoteFile | None,
    metadata: dict[str, Any],
    body: str,
    content: Content,
    rules: WordCountRules,
) -> ProposalSummary:
    sections = content.standard.proposal_sections
    lines = body.splitlines(keepends=True)
    blocks = _blocks(lines, sections)
    texts = {b.section_id: _block_text(lines, b) for b in blocks if b.section_id}
    title = str(metadata.get("title") or "").strip()
    if not title and (h1 := _h1_title(lines, blocks[0])):
        title = h1[1]
    found = [
        SectionText(s, texts.get(s.id, ""), count_words(texts.get(s.id, ""), rules))
        for s in sections
    ]
    return ProposalSummary(
        root=root,
        relative=relative,
        title=title,
        sections=found,
        words=count_words(body, rules),
        cap=_cap(content),
        note=note,
        extra_headings=[b.heading for b in blocks[1:] if b.heading and not b.section_id],
    )


def read_summary(
    root: Path, relative: str, content: Content, rules: WordCountRules | None = None
) -> ProposalSummary:
    """Read the summary at ``root/relative``; a missing file gives an empty plan.

    Raises NoteReadError (with a readable message) for a file that cannot be read.
    """
    rules = rules or WordCountRules()
    path = root / relative
    if not path.resolve().is_relative_to(root.resolve()):
        raise NoteReadError(
            "bad-path", f"the proposal summary '{relative}' is outside the portfolio folder"
        )
    if not path.exists():
        return _summary_from_text(root, relative, None, {}, "", content, rules)
    note = read_note_file(path)
    return _summary_from_text(root, relative, note, note.metadata, note.body, content, rules)


def live_count(
    summary: ProposalSummary,
    title: str,
    texts: dict[str, str],
    content: Content,
    rules: WordCountRules | None = None,
) -> int:
    """The summary's word count as it would be saved with these edits (for a live counter)."""
    body = _new_body(summary, title, texts, content, "\n")[1]
    return count_words(body, rules or WordCountRules())


def _section_lines(title: str, text: str, nl: str, *, blank_after: bool = True) -> list[str]:
    out = [f"## {title}{nl}", nl]
    text = text.strip()
    if text:
        out += [line + nl for line in text.splitlines()]
        if blank_after:
            out.append(nl)
    return out


def _body_lines(text: str, nl: str) -> list[str]:
    lines = text.splitlines(keepends=True)
    return [line.rstrip("\r\n") + nl if line.endswith(("\n", "\r")) else line for line in lines]


def _new_body(
    summary: ProposalSummary,
    title: str,
    texts: dict[str, str],
    content: Content,
    nl: str,
) -> tuple[bool, str]:
    """(title kept in an H1?, the new body) for the edits, keeping everything else."""
    sections = content.standard.proposal_sections
    body = summary.note.body if summary.note else ""
    lines = _body_lines(body, nl)
    blocks = _blocks(lines, sections)
    title_in_h1 = False
    if summary.note is not None and not str(summary.note.metadata.get("title") or "").strip():
        h1 = _h1_title(lines, blocks[0])
        if h1 is not None:
            title_in_h1 = True
            lines[h1[0]] = f"# {title.strip()}{nl}"
    chunks: list[list[str]] = []
    for block in blocks:
        kept = lines[block.start : block.end]
        if block.section_id is not None:
            old = _block_text(lines, block)
            new = texts.get(block.section_id, old).strip().replace("\r\n", "\n")
            if new != old:
                blank_after = bool(kept) and not kept[-1].strip()
                kept = _section_lines(
                    lines[block.start].rstrip("\r\n")[3:].strip(),
                    new,
                    nl,
                    blank_after=blank_after or block.end < len(lines),
                )
                kept[0] = lines[block.start]  # the learner's heading, exactly as written
        chunks.append(kept)
    present = {b.section_id for b in blocks if b.section_id}
    added: list[str] = []
    for s in sections:
        if s.id not in present and texts.get(s.id, "").strip():
            added += _section_lines(s.title, texts[s.id], nl)
    if added:
        after = max((i for i, b in enumerate(blocks) if b.section_id), default=len(blocks) - 1)
        before = chunks[after]
        if before and not before[-1].endswith(("\n", "\r")):
            before[-1] += nl
        if before and before[-1].strip():
            before.append(nl)
        chunks.insert(after + 1, added)
    return title_in_h1, "".join(line for chunk in chunks for line in chunk)


def new_summary_text(
    title: str, learner: str, texts: dict[str, str], content: Content, today: dt.date
) -> str:
    """A new summary file: front matter, then every planner section heading."""
    head = yaml.safe_dump(
        {"title": title.strip(), "type": PROPOSAL_TYPE, "learner": learner, "date": today},
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=4096,
    )
    parts = [f"---\n{head}---\n\n"]
    for s in content.standard.proposal_sections:
        parts += _section_lines(s.title, texts.get(s.id, ""), "\n")
    return "".join(parts)


def save_summary(
    summary: ProposalSummary,
    title: str,
    texts: dict[str, str],
    content: Content,
    *,
    learner: str = "",
    rules: WordCountRules | None = None,
    today: dt.date | None = None,
) -> ProposalSummary:
    """Write the title and section texts; return the summary as now on disk.

    Raises NoteWriteError, leaving the file as it was, when it changed on disk since it was
    read, appeared since, or the change cannot be made safely.
    """
    rules = rules or WordCountRules()
    path = summary.path
    if summary.note is None:
        if path.exists():
            raise NoteWriteError(
                f"{summary.relative} was created since it was read; reload it and try again"
            )
        text = new_summary_text(title, learner, texts, content, today or clock.today())
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(path, text.encode("utf-8"), within=summary.root, create=True)
        except UnsafeWrite as exc:
            raise NoteWriteError(exc.message) from None
        except OSError as exc:
            raise NoteWriteError(
                f"{summary.relative} could not be written: {exc.strerror}"
            ) from None
        return read_summary(summary.root, summary.relative, content, rules)

    note = summary.note
    title_in_h1, body = _new_body(summary, title, texts, content, note.newline)
    title = title.strip()
    unchanged = title == str(note.metadata.get("title") or "").strip()
    if title_in_h1 or unchanged:
        # The front matter stays exactly as written (a title not changed is not requoted).
        head_text = "".join(note.lines[: note.fm_end + 1]) if note.fm_end is not None else ""
    else:
        rendered = render_with_key(note, "title", title or None)
        decoded = rendered.decode("utf-8")
        decoded = decoded.removeprefix(BOM)
        new_lines, span, _meta, _body = parse_note_text(decoded, note.path)
        head_text = "".join(new_lines[: span[1] + 1]) if span else ""
    new_text = head_text + body
    data = ((BOM if note.has_bom else "") + new_text).encode("utf-8")
    if data == note.raw:
        return summary
    _verify(summary, new_text, title, texts, content, rules)
    edit_note(path, lambda current: data, within=summary.root, expected=note)
    return read_summary(summary.root, summary.relative, content, rules)


def _verify(
    summary: ProposalSummary,
    new_text: str,
    title: str,
    texts: dict[str, str],
    content: Content,
    rules: WordCountRules,
) -> None:
    """Refuse unless the new text reads back as the edits with every other field unchanged."""
    assert summary.note is not None
    try:
        _lines, _span, metadata, body = parse_note_text(new_text, summary.path)
    except NoteReadError as exc:
        raise NoteWriteError(f"the change would break the summary ({exc.message})") from None
    old = {k: v for k, v in summary.note.metadata.items() if k != "title"}
    new = {k: v for k, v in metadata.items() if k != "title"}
    if old != new:
        raise NoteWriteError("the change would alter other front matter fields; edit it by hand")
    again = _summary_from_text(summary.root, summary.relative, None, metadata, body, content, rules)
    if again.title != title:
        raise NoteWriteError("the title would not read back as written; edit it by hand")
    for s in again.sections:
        wanted = texts.get(s.section.id, summary.text_of(s.section.id)).strip()
        if s.text != wanted.replace("\r\n", "\n"):
            raise NoteWriteError(
                f"the section '{s.section.title}' would not read back as written "
                "(a heading inside the text?); edit it by hand"
            )


def proposal_ksbs(content: Content) -> list[tuple[str, str]]:
    """The KSBs the proposal will have to show: those of the groupings it assesses."""
    codes: list[str] = []
    for grouping in content.standard.groupings:
        if grouping.epa_method == "strategic-business-proposal":
            codes += [c for c in grouping.ksbs if c not in codes]
    return [(code, content.ksb_text(code)) for code in codes]
