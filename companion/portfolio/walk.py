"""Finding a portfolio's notes and evidence files on disk: one walk of its folders.

The walk stats each file and reads none, so it is what every scan and every remembered
status costs at least; it never follows a link out of the portfolio, and it names what it
could not look at rather than leaving it out silently.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from companion.evidence.formats import EVIDENCE_SUFFIXES
from companion.files import stamp_of
from companion.portfolio.profile import ProfileError
from companion.text.terminal import safe_line

NOTE_SUFFIXES = (".md", ".markdown")


class FileStamp(NamedTuple):
    """What the index compares to know a note is unchanged: far smaller than the
    ``os.stat_result`` it is taken from, which matters with tens of thousands of notes."""

    st_mtime_ns: int
    st_size: int


@dataclass
class Walk:
    """The notes found below a folder, and what could not be looked at."""

    notes: list[tuple[str, FileStamp]] = field(default_factory=list)
    files: list[tuple[str, FileStamp]] = field(default_factory=list)
    """Evidence files (Word, PDF, recordings… by their suffix), whether a card names them
    or not."""
    other_files: list[tuple[str, FileStamp]] = field(default_factory=list)
    """Every other file: a card may name a file of a kind companion cannot read, and what
    it says of it (not there, not readable) changes when that file comes or goes."""
    bad_names: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)
    """Links that lead out of the portfolio: never read."""
    unreadable: list[str] = field(default_factory=list)
    unreadable_files: list[str] = field(default_factory=list)
    """Notes and files whose folder lists them but will not let them be looked at (a
    folder that can be listed but not entered): named, never silently left out."""
    temp_folders: list[str] = field(default_factory=list)


def walk_notes(root: Path) -> Walk:
    """Every note below ``root``: recursive, hidden files and folders ignored, links to
    folders not followed (so a link loop cannot trap the walk)."""
    walk = Walk()
    stack = [""]  # folders as paths relative to root, "" for root itself, "/"-separated
    base = str(root)
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(os.path.join(base, folder) if folder else base) as scan:
                entries = list(scan)
        except OSError as exc:
            if folder:
                walk.unreadable.append(f"{folder} ({exc.strerror or exc})")
                continue
            raise
        prefix = folder + "/" if folder else ""
        temp = False
        for entry in entries:
            if entry.name.startswith("."):
                temp = temp or entry.name.endswith(".tmp")
            else:
                _take(walk, entry, prefix, base, stack)
        if temp:
            walk.temp_folders.append(folder)
    walk.notes.sort(key=lambda item: item[0])
    walk.files.sort(key=lambda item: item[0])
    walk.other_files.sort(key=lambda item: item[0])
    return walk


def _take(walk: Walk, entry: os.DirEntry[str], prefix: str, base: str, stack: list[str]) -> None:
    """Put one entry of a folder where it belongs in ``walk`` (a folder on ``stack``)."""
    name = entry.name
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        walk.bad_names.append(safe_line(prefix + name))
        return
    is_note = name.lower().endswith(NOTE_SUFFIXES)  # once: this runs for every file
    try:
        if entry.is_dir(follow_symlinks=False):
            stack.append(prefix + name)
        elif (is_note or _evidence_suffix(name)) and entry.is_symlink():
            if _leads_inside(entry.path, base):
                _take_file(walk, entry, prefix + name, is_note)
            else:
                # a note or file that is a link out of the portfolio (to /etc/passwd,
                # say) is never read: its text would go to search and the tutor
                walk.outside.append(safe_line(prefix + name))
        else:
            _take_file(walk, entry, prefix + name, is_note)
    except OSError as exc:
        if is_note or _evidence_suffix(name):
            reason = exc.strerror or str(exc)
            walk.unreadable_files.append(f"{safe_line(prefix + name)} ({reason})")


def _take_file(walk: Walk, entry: os.DirEntry[str], relative: str, is_note: bool) -> None:
    """A note, an evidence file or another file, with its stamp (none for what is not a
    file: a socket, a link to nothing)."""
    if not entry.is_file():
        return
    if is_note:
        info = entry.stat()
        # one copy of the path however many tables hold it (sys.intern)
        walk.notes.append((sys.intern(relative), FileStamp(info.st_mtime_ns, info.st_size)))
        return
    stamp = FileStamp(*stamp_of(entry.stat()))
    if _evidence_suffix(entry.name):
        walk.files.append((sys.intern(relative), stamp))
    else:
        walk.other_files.append((relative, stamp))


def _leads_inside(link: str, base: str) -> bool:
    """True when the symbolic link ``link`` resolves to a place inside ``base``."""
    try:
        target = os.path.realpath(link)
        root = os.path.realpath(base)
    except (OSError, ValueError):
        return False
    return target == root or target.startswith(root.rstrip(os.sep) + os.sep)


def _evidence_suffix(name: str) -> bool:
    """True for a file name with the suffix of an evidence file (``companion.evidence``)."""
    dot = name.rfind(".")
    return dot > 0 and name[dot:].lower() in EVIDENCE_SUFFIXES


def relative_to(root: Path, path: Path) -> str:
    """``path`` relative to the portfolio at ``root``, refusing a path outside it."""
    resolved = path.absolute()
    try:
        return resolved.relative_to(root.absolute()).as_posix()
    except ValueError:
        pass
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except (ValueError, OSError):
        raise ProfileError(f"{path} is not inside the portfolio {root}") from None
