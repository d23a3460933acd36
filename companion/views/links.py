"""A note's links and backlinks as ``companion links`` prints them and the note screen lists
them: where each leads, and which notes lead here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from companion.assessment.status import Status, links


@dataclass(frozen=True)
class LinkRow:
    """One link from the note (``out``) or to it (``in``)."""

    direction: str  # out | in
    line: int
    """The line of the link: in this note for ``out``, in the other note for ``in``."""
    text: str
    note: str | None
    """The other note's path; None for a link to a note that does not exist."""
    title: str

    @property
    def broken(self) -> bool:
        """True for a link that leads nowhere."""
        return self.note is None


def link_rows(status: Status, path: str) -> list[LinkRow]:
    """The note's links in reading order, then the links into it by note."""
    graph = links(status)
    records = status.portfolio.records
    rows = []
    for link, target in graph.links_of(path):
        title = records[target].title if target in records else ""
        rows.append(LinkRow("out", link.line, link.text, target, title))
    for source, link in graph.backlinks_of(path):
        title = records[source].title if source in records else source
        rows.append(LinkRow("in", link.line, link.text, source, title))
    return rows


def links_json(status: Status, path: str) -> dict[str, Any]:
    """One note's links for ``companion links --json``."""
    rows = link_rows(status, path)
    return {
        "note": path,
        "links": [
            {"line": r.line, "text": r.text, "note": r.note, "title": r.title}
            for r in rows
            if r.direction == "out"
        ],
        "backlinks": [
            {"note": r.note, "title": r.title, "line": r.line, "text": r.text}
            for r in rows
            if r.direction == "in"
        ],
    }


def links_lines(status: Status, path: str) -> list[str]:
    """One note's links as text for the terminal."""
    rows = link_rows(status, path)
    lines = [path]
    out = [r for r in rows if r.direction == "out"]
    back = [r for r in rows if r.direction == "in"]
    lines.append("  links" if out else "  no links to other notes")
    for row in out:
        where = f"{row.note}  {row.title}" if row.note else "no such note"
        lines.append(f"  {'!' if row.broken else ' '}{row.line:>5}  {row.text}  → {where}")
    lines.append("  linked from" if back else "  no note links here")
    for row in back:
        lines.append(f"   {row.note}:{row.line}  {row.title}")
    return lines
