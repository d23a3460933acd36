"""The evidence files of a portfolio as ``companion files`` prints them and the Notes screen
lists them: what each is, how long, and its card."""

from __future__ import annotations

from companion.notes.card import clock_time
from companion.portfolio.cards import EvidenceFile
from companion.text.counted import counted
from companion.text.terminal import safe_line

FORMAT_LABELS = {
    "docx": "Word",
    "pdf": "PDF",
    "pptx": "PowerPoint",
    "xlsx": "Excel",
    "odt": "OpenDocument text",
    "odp": "OpenDocument slides",
    "ods": "OpenDocument sheet",
    "txt": "text",
    "image": "image",
    "audio": "audio",
    "video": "video",
}


def extent(found: EvidenceFile) -> str:
    """How long the file is, as its kind measures it: pages, slides, sheets or minutes."""
    parts = []
    if found.pages is not None:
        parts.append(counted(found.pages, "page"))
    if found.slides is not None:
        parts.append(counted(found.slides, "slide"))
    if found.sheets is not None:
        parts.append(counted(found.sheets, "sheet"))
    if found.duration is not None:
        parts.append(clock_time(found.duration))
    if found.words is not None:
        parts.append(counted(found.words, "word"))
    return ", ".join(parts)


def format_label(fmt: str) -> str:
    """A format as a learner names it (``Word``, ``PDF``)."""
    return FORMAT_LABELS.get(fmt, fmt or "?")


def file_lines(files: list[EvidenceFile]) -> list[str]:
    """One line per file, then those not yet in the portfolio's evidence and what to do."""
    if not files:
        return ["no evidence files (Word, PDF, PowerPoint, recordings…) in the portfolio"]
    lines = []
    for found in files:
        said = extent(found)
        card = f"card {found.card}" if found.card else "not yet in your portfolio"
        ref = f"{found.ref}  " if found.ref else ""
        problem = f"  ! {found.problem}" if found.problem else ""
        lines.append(
            safe_line(
                f"{found.path}  {ref}{format_label(found.format)}"
                f"{f', {said}' if said else ''}  ({card}){problem}"
            )
        )
    waiting = sum(1 for f in files if f.card is None)
    lines.append("")
    lines.append(
        f"{counted(len(files), 'file')}, {waiting:,} not yet in your portfolio"
        + ("; 'companion add PORTFOLIO --all' writes their cards" if waiting else "")
    )
    return lines
