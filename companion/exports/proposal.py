"""The proposal summary as a document to submit at gateway: Markdown or DOCX.

The export is built from the summary as read (title, then the body in its own order), so
what the apprentice submits is exactly what they wrote, without the front matter.
"""

from __future__ import annotations

import re
from pathlib import Path

from companion.assessment.proposal import ProposalSummary

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


def write_summary_docx(summary: ProposalSummary, out: Path, learner: str = "") -> None:
    """Write the summary as a Word document with real headings and lists."""
    from docx import Document  # imported here: only exports need it, and it is slow to load
    from docx.shared import Pt

    document = Document()
    document.styles["Normal"].font.size = Pt(11)
    document.add_heading(summary.title or "Untitled proposal", level=0)
    document.add_paragraph(_byline(summary, learner))
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            document.add_paragraph(_plain(" ".join(paragraph)))
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
                _plain(heading.group(2)), level=min(len(heading.group(1)) - 1, 4) or 1
            )
        elif bullet:
            flush()
            document.add_paragraph(_plain(bullet.group(1)), style="List Bullet")
        elif numbered:
            flush()
            document.add_paragraph(_plain(numbered.group(1)), style="List Number")
        else:
            paragraph.append(line.strip())
    flush()
    document.core_properties.title = summary.title
    document.core_properties.author = learner
    document.save(str(out))
