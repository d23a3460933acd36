"""The proposal summary as a document to submit at gateway: Markdown, DOCX or PDF.

The export is built from the summary as read (title, then the body in its own order), so
what the apprentice submits is exactly what they wrote, without the front matter. Word and
PDF render the body through one Markdown renderer (``companion.documents.markdown``), so
its tables, lists, quotes and emphasis reach the assessor as the apprentice wrote them.
"""

from __future__ import annotations

import re
from pathlib import Path

from companion import clock
from companion.assessment.proposal import ProposalSummary
from companion.documents.markdown import add_docx, parse, pdf_flowables
from companion.documents.model import Document
from companion.files import atomic_write

SUMMARY_FORMATS = ("md", "docx", "pdf")
"""The formats the proposal summary can be written in."""

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")


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


def _frame(summary: ProposalSummary, learner: str, draft: bool) -> Document:
    """What every page of the summary carries: its title, the learner, the date."""
    return Document(
        summary.title or "Untitled proposal",
        _byline(summary, learner),
        [],
        learner=learner,
        produced=clock.today(),
        draft=draft,
    )


def summary_docx(summary: ProposalSummary, learner: str = "", *, draft: bool = False) -> bytes:
    """The summary as a Word document with real headings, lists and tables, on A4 pages that
    carry the learner's name and the date (the handbook asks every piece of evidence to)."""
    from companion.documents import docx  # only exports need python-docx: slow to load

    document = docx.start(_frame(summary, learner, draft), font_size=11)
    add_docx(document, parse(_body(summary)))
    return docx.finish(document)


def summary_pdf(summary: ProposalSummary, learner: str = "", *, draft: bool = False) -> bytes:
    """The summary as a PDF laid out as the Word document is, with its fonts embedded."""
    from companion.documents import pdf  # only exports need reportlab

    frame = _frame(summary, learner, draft)
    body = pdf_flowables(parse(_body(summary)), pdf.text_width(frame))
    return pdf.pdf_bytes(frame, body=body)


def write_summary(summary: ProposalSummary, out: Path, fmt: str, learner: str = "") -> None:
    """Write the summary in one of SUMMARY_FORMATS to ``out``, atomically, never through a
    link."""
    if fmt == "md":
        data = summary_markdown(summary, learner).encode("utf-8")
    elif fmt == "docx":
        data = summary_docx(summary, learner)
    elif fmt == "pdf":
        data = summary_pdf(summary, learner)
    else:
        raise ValueError(f"unknown format '{fmt}'; use one of {', '.join(SUMMARY_FORMATS)}")
    atomic_write(out, data)
