"""Handlers for the portfolio commands of the CLI: init, status, check, tag, untag, new.

Each returns an exit status and prints for a person, or JSON for scripts; every expected
failure becomes a one-line message on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from companion.assessment.status import build_status, status_json, status_text
from companion.content.load import load_content
from companion.content.model import Content
from companion.content.reader import ContentError
from companion.notes.tags import tag_note, untag_note
from companion.notes.writer import NoteWriteError, read_for_write
from companion.portfolio.portfolio import Portfolio
from companion.portfolio.profile import PROFILE_NAME, ProfileError, create_profile
from companion.portfolio.store import StoreBusy
from companion.portfolio.templates import create_note


class CommandError(Exception):
    """An expected failure with a message for the user and an exit status."""

    def __init__(self, message: str, status: int = 2) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def _content(args: argparse.Namespace) -> Content:
    try:
        return load_content(getattr(args, "content", None))
    except ContentError as exc:
        raise CommandError("the content has problems:\n" + str(exc)) from None


def _portfolio(path: Path, args: argparse.Namespace) -> Portfolio:
    if not path.is_dir():
        raise CommandError(f"{path} is not a folder")
    try:
        portfolio = Portfolio(path, _content(args))
    except ProfileError as exc:
        raise CommandError(str(exc)) from None
    result = portfolio.scan()
    for warning in portfolio.warnings + result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    return portfolio


def _find_portfolio(note: Path) -> Path:
    for folder in [note.parent, *note.parent.parents]:
        if (folder / PROFILE_NAME).is_file():
            return folder
    raise CommandError(f"{note} is not inside a portfolio (no {PROFILE_NAME} above it)")


def _date(text: str | None, what: str) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{what} must be a date like 2026-09-01, not '{text}'") from None


def _ask(prompt: str) -> str:
    try:
        return input(prompt).strip()
    except EOFError:
        return ""


def cmd_init(args: argparse.Namespace) -> int:
    """Create ``companion.yaml`` in a folder, asking for what the flags leave out."""
    content = _content(args)
    interactive = sys.stdin.isatty()
    learner = args.learner
    start = args.start
    gateway = args.gateway
    if interactive:
        learner = learner or _ask("Your name (as on your evidence): ")
        start = start or _ask("Programme start date (YYYY-MM-DD): ")
        gateway = gateway or _ask("Planned gateway date (YYYY-MM-DD, blank if unknown): ")
    try:
        path = create_profile(
            Path(args.dir),
            learner or "",
            _date(start, "the start date"),
            _date(gateway, "the gateway date"),
            content,
        )
    except ProfileError as exc:
        raise CommandError(str(exc)) from None
    print(f"created {path}")
    if not learner or not start:
        print("edit it to add your name and programme start date", file=sys.stderr)
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    """Print progress, as text or the progress JSON."""
    portfolio = _portfolio(Path(args.portfolio), args)
    status = build_status(portfolio)
    if args.json:
        print(json.dumps(status_json(status), indent=2, ensure_ascii=False))
    else:
        print(status_text(status))
    portfolio.close()
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    """Print the flags; exit 1 when any is an error."""
    portfolio = _portfolio(Path(args.portfolio), args)
    status = build_status(portfolio)
    portfolio.close()
    if args.json:
        print(
            json.dumps({"flags": [f.to_json() for f in status.flags]}, indent=2, ensure_ascii=False)
        )
    else:
        if not status.flags:
            print("no flags: every note passes the evidence rules")
        for flag in status.flags:
            mark = (
                "ERROR  "
                if flag.severity == "error"
                else ("ok     " if flag.acknowledged else "WARNING")
            )
            ack = " (acknowledged)" if flag.acknowledged else ""
            print(f"{mark} {flag.note}: [{flag.code}] {flag.message}{ack}")
        print(f"\n{len(status.errors)} error(s), {len(status.warnings)} warning(s)")
    return 1 if status.errors else 0


def _parse_counts(pairs: list[str]) -> dict[str, list[str]]:
    counts: dict[str, list[str]] = {}
    for pair in pairs:
        if "=" not in pair:
            raise CommandError(f"--count takes REQUIREMENT=ITEM, not '{pair}'")
        key, item = pair.split("=", 1)
        counts.setdefault(key.strip(), []).append(item.strip())
    return counts


def _note_path(raw: str) -> tuple[Path, Path]:
    note = Path(raw)
    if not note.is_file():
        raise CommandError(f"{note} is not a file")
    return note, _find_portfolio(note.resolve())


def _note_and_portfolio(args: argparse.Namespace) -> tuple[Path, Portfolio]:
    """The note named on the command line, and its portfolio opened."""
    content = _content(args)
    note, root = _note_path(args.note)
    try:
        return note, Portfolio(root, content)
    except ProfileError as exc:
        raise CommandError(str(exc), 1) from None


def cmd_tag(args: argparse.Namespace) -> int:
    """Tag a note to an AC (or update its tag)."""
    note, portfolio = _note_and_portfolio(args)
    try:
        snapshot = read_for_write(note)
        tag = tag_note(
            note,
            portfolio.content,
            args.ac,
            where=args.where or "",
            counts=_parse_counts(args.count or []),
            covers=args.covers or [],
            note=snapshot,
        )
        if portfolio.store is not None:
            portfolio.store.log("tag", portfolio.relative(note), tag.ac, where=tag.where)
    except NoteWriteError as exc:
        raise CommandError(str(exc), 1) from None
    finally:
        portfolio.close()
    print(f"tagged {note} to {tag.ac}" + (f" at {tag.where}" if tag.where else ""))
    return 0


def cmd_untag(args: argparse.Namespace) -> int:
    """Remove a note's tag for an AC."""
    note, portfolio = _note_and_portfolio(args)
    try:
        untag_note(note, portfolio.content, args.ac)
        if portfolio.store is not None:
            portfolio.store.log("untag", portfolio.relative(note), args.ac)
    except NoteWriteError as exc:
        raise CommandError(str(exc), 1) from None
    finally:
        portfolio.close()
    print(f"untagged {note} from {args.ac}")
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    """Create a note from a template."""
    portfolio = _portfolio(Path(args.portfolio), args)
    try:
        path = create_note(
            portfolio, args.title, args.type, folder=args.folder, unit=args.unit or ""
        )
    except (ValueError, FileExistsError) as exc:
        raise CommandError(str(exc)) from None
    finally:
        portfolio.close()
    print(path)
    return 0


__all__ = [
    "CommandError",
    "StoreBusy",
    "cmd_check",
    "cmd_init",
    "cmd_new",
    "cmd_status",
    "cmd_tag",
    "cmd_untag",
]
