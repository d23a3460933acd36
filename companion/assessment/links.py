"""Which note each link names, the links into each note, and the links that lead nowhere.

A wiki link names a note by its file name (``[[04-coaching-programme-report]]``; where two
notes share a name, the one in the linking note's folder, else the one with the shortest
path) or by its path from the portfolio's folder; a markdown link by its path relative to
the linking note (or, starting with ``/``, to the portfolio). Names compare ignoring case.
Worked out once per status from the records, so backlinks cost nothing per screen.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable
from dataclasses import dataclass, field

from companion.assessment.rules import WARNING, Flag
from companion.notes.record import NoteRecord
from companion.text.links import NOTE_SUFFIXES, Link


def _without_suffix(path: str) -> str:
    lowered = path.lower()
    for suffix in NOTE_SUFFIXES:
        if lowered.endswith(suffix):
            return path[: -len(suffix)]
    return path


@dataclass
class LinkGraph:
    """Every note's links, resolved, and the notes linking to each note."""

    outgoing: dict[str, list[tuple[Link, str | None]]] = field(default_factory=dict)
    incoming: dict[str, list[tuple[str, Link]]] = field(default_factory=dict)

    def links_of(self, path: str) -> list[tuple[Link, str | None]]:
        """A note's links, each with the note it leads to (None: no such note)."""
        return self.outgoing.get(path, [])

    def backlinks_of(self, path: str) -> list[tuple[str, Link]]:
        """The notes linking to ``path``, each with its link, in path order."""
        return self.incoming.get(path, [])


class _Names:
    """The portfolio's notes by path and by file name, for resolving links."""

    def __init__(self, paths: Iterable[str]) -> None:
        self.by_path: dict[str, str] = {}
        self.by_stem: dict[str, list[str]] = {}
        for path in paths:
            self.by_path[path.lower()] = path
            self.by_path.setdefault(_without_suffix(path).lower(), path)
            stem = _without_suffix(path.rsplit("/", 1)[-1]).lower()
            self.by_stem.setdefault(stem, []).append(path)

    def resolve(self, source: str, link: Link) -> str | None:
        folder = posixpath.dirname(source)
        target = link.target.strip()
        if link.kind == "markdown":
            joined = (
                target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
            )
            normal = posixpath.normpath(joined)
            return None if normal.startswith("..") else self.by_path.get(normal.lower())
        name = target.lstrip("/")
        if "/" in name:
            for candidate in (name, posixpath.normpath(posixpath.join(folder, name))):
                found = self.by_path.get(candidate.lower()) or self.by_path.get(
                    _without_suffix(candidate).lower()
                )
                if found:
                    return found
            return None
        same = self.by_stem.get(_without_suffix(name).lower(), [])
        if not same:
            return None
        nearby = [p for p in same if posixpath.dirname(p) == folder]
        return (nearby or sorted(same, key=lambda p: (p.count("/"), len(p), p)))[0]


def link_graph(records: Iterable[NoteRecord]) -> LinkGraph:
    """The links of every note, resolved against all of them."""
    records = list(records)
    graph = LinkGraph()
    linking = [r for r in records if r.links]
    if not linking:
        return graph
    names = _Names(r.path for r in records)
    for record in linking:
        resolved = []
        for link in record.links:
            target = names.resolve(record.path, link)
            resolved.append((link, target))
            if target is not None and target != record.path:
                graph.incoming.setdefault(target, []).append((record.path, link))
        graph.outgoing[record.path] = resolved
    for sources in graph.incoming.values():
        sources.sort(key=lambda item: (item[0], item[1].line))
    return graph


def broken_links(records: Iterable[NoteRecord], graph: LinkGraph) -> list[Flag]:
    """A warning for each link that leads to no note, naming it and its line."""
    flags: list[Flag] = []
    for record in records:
        links = graph.outgoing.get(record.path)
        if not links:
            continue
        ack = record.get("acknowledge") or []
        accepted = "broken-link" in {
            str(a).strip() for a in (ack if isinstance(ack, list) else [ack])
        }
        for link, target in links:
            if target is None:
                flags.append(
                    Flag(
                        "broken-link",
                        WARNING,
                        record.path,
                        f"Line {link.line}: {link.text} links to a note that does not exist.",
                        acknowledged=accepted,
                    )
                )
    return flags
