"""The proposal summary as a document to submit at gateway: Markdown or DOCX.

The export is built from the summary as read (title, then the body in its own order), so
what the apprentice submits is exactly what they wrote, without the front matter.
"""

from __future__ import annotations

import re
from pathlib import Path

from companion import clock
from companion.assessment.proposal import ProposalSummary
from companion.documents.model import Document
from companion.files import atomic_write
from companion.text.xml import xml_safe

SUMMARY_FORMATS = ("md", "docx")
"""The formats the proposal summary can be written in."""

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_BULLET = re.compile(r"^\s*[-*+]\s+(.*)$")
_NUMBERED = re.compile(r"^\s*\d+[.)]\s+(.*)$")
_EMPHASIS = re.compile(r"(\*\*|__|\*|_)(?=\S)(.+?)(?<=\S)\1")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")


def _body(summary: ProposalSummary) -> str:
    body = summary.note.body if summary.note else ""
    lines = body.replace("\r\n", "\n").split("\n")
    # The title is given once, as the document's title: drop a leading H1 that repeats it.
    for index, line in enumerate(lines):
        if not line.strip():
            continue
        match = _HEADING.match(line)
        if match and len(match.group(1)) == 1 and match.group(2).strip() == summary.title:
            del lines[index]
        break
    return "\n".join(_drop_empty_sections(lines)).strip("\n")


def _drop_empty_sections(lines: list[str]) -> list[str]:
    """Leave out headings with nothing under them: sections not written yet."""
    kept: list[str] = []
    for index, line in enumerate(lines):
        match = _HEADING.match(line)
        if match:
            level = len(match.group(1))
            following = next((x for x in lines[index + 1 :] if x.strip()), None)
            after = _HEADING.match(following) if following is not None else None
            if following is None or (after and len(after.group(1)) <= level):
                while kept and not kept[-1].strip():
                    kept.pop()
                continue
        kept.append(line)
    return kept


def _byline(summary: ProposalSummary, learner: str) -> str:
    who = f"{learner} · " if learner else ""
    return f"{who}{summary.words} of {summary.cap} words"


def summary_markdown(summary: ProposalSummary, learner: str = "") -> str:
    """The summary as a clean Markdown document: title, byline, the body."""
    title = summary.title or "Untitled proposal"
    return f"# {title}\n\n{_byline(summary, learner)}\n\n{_body(summary)}\n"


def _plain(text: str) -> str:
    return _EMPHASIS.sub(r"\2", _LINK.sub(r"\1", text))


def summary_docx(summary: ProposalSummary, learner: str = "", *, draft: bool = False) -> bytes:
    """The summary as a Word document with real headings and lists, on A4 pages that carry
    the learner's name and the date (the handbook asks every piece of evidence to)."""
    from companion.documents import docx  # only exports need python-docx: slow to load

    frame = Document(
        summary.title or "Untitled proposal",
        _byline(summary, learner),
        [],
        learner=learner,
        produced=clock.today(),
        draft=draft,
    )
    document = docx.start(frame, font_size=11)
    paragraph: list[str] = []

    def add(text: str, style: str | None = None) -> None:
        document.add_paragraph(xml_safe(_plain(text)), style=style)

    def flush() -> None:
        if paragraph:
            add(" ".join(paragraph))
            paragraph.clear()

    for line in _body(summary).split("\n"):
        heading = _HEADING.match(line)
        bullet = _BULLET.match(line)
        numbered = _NUMBERED.match(line)
        if not line.strip():
            flush()
        elif heading:
            flush()
            document.add_heading(
                xml_safe(_plain(heading.group(2))), level=min(len(heading.group(1)) - 1, 4) or 1
            )
        elif bullet:
            flush()
            add(bullet.group(1), "List Bullet")
        elif numbered:
            flush()
            add(numbered.group(1), "List Number")
        else:
            paragraph.append(line.strip())
    flush()
    return docx.finish(document)


def write_summary(summary: ProposalSummary, out: Path, fmt: str, learner: str = "") -> None:
    """Write the summary as ``md`` or ``docx`` to ``out``, atomically, never through a link."""
    if fmt == "md":
        data = summary_markdown(summary, learner).encode("utf-8")
    else:
        data = summary_docx(summary, learner)
    atomic_write(out, data)
