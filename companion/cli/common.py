"""What the command handlers share: opening content and portfolios, reading answers, output.

Every expected failure is a ``CompanionError`` with a message, turned into one line on
stderr and an exit status by ``companion.cli.main``; nothing here prints a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from types import GeneratorType
from typing import TYPE_CHECKING, Any, TypeVar

from companion.errors import CompanionError
from companion.text.values import NotADate, read_date

if TYPE_CHECKING:  # imported where used: `companion --help` and `--version` load neither
    from companion.content.model import Content
    from companion.portfolio.portfolio import Portfolio

T = TypeVar("T")


class CommandError(CompanionError):
    """A command that cannot do what was asked; ``exit_status`` says how it failed."""


def content_folder(args: argparse.Namespace) -> Path | None:
    """The folder ``--content`` or ``--framework`` names, or ``None`` when neither is given."""
    folder: Path | None = getattr(args, "content", None)
    framework = getattr(args, "framework", None)
    if folder is None and framework:
        from companion.content.bundled import UnknownFramework, framework_dir

        try:
            folder = framework_dir(framework)
        except UnknownFramework as exc:
            raise CommandError(str(exc)) from None
    return folder


def open_content(args: argparse.Namespace) -> Content | None:
    """The content folder named with ``--content``/``--framework``, or ``None`` for the
    portfolio's own framework."""
    folder = content_folder(args)
    if folder is None:
        return None
    from companion.content.load import load_content

    return load_content(folder)


def open_portfolio(
    path: Path, args: argparse.Namespace, *, scan: bool = True, content_when_used: bool = False
) -> Portfolio:
    """The portfolio at ``path``, scanned, its warnings printed to stderr; with
    ``content_when_used`` (and not scanned) its content is loaded only when first used, so
    a command printing what it remembered never loads it."""
    from companion.portfolio.portfolio import Portfolio

    if not path.is_dir():
        raise CommandError(f"{path} is not a folder")
    portfolio = Portfolio(path, open_content(args), content_when_used=content_when_used)
    if scan:
        result = portfolio.scan()
        for warning in portfolio.warnings + result.warnings:
            print(f"warning: {warning}", file=sys.stderr)
        warn_library(portfolio)
    return portfolio


def warn_library(portfolio: Portfolio) -> list[str]:
    """Say in one line what of the profile's reference library could not be read; return
    what was said (for a report kept to be printed again: ``kept_warnings``)."""
    library = portfolio.library
    if library is None or not library.problem:
        return []
    print(f"warning: {library.problem}", file=sys.stderr)
    return [library.problem]


def kept_warnings(warnings: list[str]) -> bytes:
    """The first line of a kept report: the warnings its making said of what its key
    stands for (the reference library), to be said again each time it is printed."""
    return json.dumps({"warnings": warnings}).encode("ascii") + b"\n"


def say_kept_warnings(line: bytes) -> bool:
    """Say again the warnings of a kept report's first line (``kept_warnings``); False
    when the line is not such a thing (a file from other code, damaged), to make the
    report again."""
    try:
        warnings = json.loads(line)["warnings"]
    except (ValueError, TypeError, KeyError, RecursionError):
        return False
    if not isinstance(warnings, list) or not all(isinstance(w, str) for w in warnings):
        return False
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)  # stderr escapes what a terminal obeys
    return True


def find_portfolio(note: Path) -> Path:
    """The nearest folder above ``note`` that holds ``companion.yaml``."""
    from companion.portfolio.profile import PROFILE_NAME

    for folder in [note.parent, *note.parent.parents]:
        if (folder / PROFILE_NAME).is_file():
            return folder
    raise CommandError(f"{note} is not inside a portfolio (no {PROFILE_NAME} above it)")


def note_and_portfolio(args: argparse.Namespace) -> tuple[Path, Portfolio]:
    """The note named on the command line, and its portfolio opened (not scanned), its
    content loaded only if used: tagging needs only the content's digest."""
    note = Path(args.note)
    if not note.is_file():
        raise CommandError(f"{note} is not a file")
    root = find_portfolio(note.absolute())
    if note.suffix.lower() not in (".md", ".markdown"):
        note = card_beside(note, root)
    from companion.portfolio.portfolio import Portfolio

    return note, Portfolio(root, open_content(args), content_when_used=True)


def card_beside(file: Path, root: Path) -> Path:
    """The card of an evidence file named on the command line: the note beside it named
    after it (``minutes.docx.md``) that names it, as ``companion add`` writes it."""
    from companion.notes.card import card_name_for, locate_file
    from companion.notes.card_key import card_file_name
    from companion.notes.file import NoteReadError, read_note_file

    card = file.with_name(card_name_for(file.name))
    try:
        named = card_file_name(read_note_file(card).metadata) if card.is_file() else None
    except NoteReadError:
        named = None
    if (
        named is not None
        and locate_file(card, named, root)[0] == locate_file(card, str(file.absolute()), root)[0]
    ):
        return card
    raise CommandError(f"{file} has no card yet: 'companion add {root} {file}' writes one")


def parse_date(text: str | None, what: str) -> dt.date | None:
    """An ISO date typed by a person; ``None`` for blank."""
    if not text or not text.strip():
        return None
    try:
        return read_date(text)
    except NotADate as exc:
        raise CommandError(
            f"{what} must be a date like 2026-09-01, not '{text}'{exc.suffix}"
        ) from None


def ask(prompt: str, parse: Callable[[str], T]) -> T:
    """Ask until ``parse`` accepts the answer; each refusal says why and asks again.

    End of input (Ctrl-D) cancels the command, so nothing is written half-answered.
    """
    while True:
        try:
            answer = input(prompt).strip()
        except EOFError:
            print(file=sys.stderr)
            raise CommandError("cancelled: nothing was written", 1) from None
        try:
            return parse(answer)
        except CompanionError as exc:
            print(f"  {exc.message}; try again", file=sys.stderr)


def json_text(document: Any, indent: int | None) -> str:
    """``document`` as JSON: indented with every character as written (for a person), or
    compact and ASCII (for a script: a few characters beyond Latin-1 would make the whole
    text two or four bytes a character, and a large status is tens of megabytes)."""
    if indent:
        return json.dumps(document, indent=indent, ensure_ascii=False)
    return json.dumps(document, separators=(",", ":"))


_COMPACT = json.JSONEncoder(separators=(",", ":")).encode
"""``json_text(value, None)`` of one value: compact and ASCII."""


def compact_json_parts(sections: Iterable[tuple[str, Any]]) -> Iterator[bytes]:
    """The object of ``sections`` as ``json_text(dict(sections), None)`` would write it, in
    pieces: a generator value is written as a list, item by item, so neither the whole
    document nor its whole text is ever held."""
    opener = b"{"
    for key, value in sections:
        yield opener + _COMPACT(key).encode("ascii") + b":"
        opener = b","
        if isinstance(value, GeneratorType):
            separator = b"["
            for item in value:
                yield separator
                yield _COMPACT(item).encode("ascii")
                separator = b","
            yield b"[]" if separator == b"[" else b"]"
        else:
            yield _COMPACT(value).encode("ascii")
    yield b"{}" if opener == b"{" else b"}"


def write_ascii(pieces: Iterable[bytes | memoryview]) -> None:
    """Write text known to be printable ASCII (compact JSON escapes every other character)
    straight to stdout's bytes: there is nothing to escape or encode, and a document of
    tens of megabytes is not copied to do it."""
    sys.stdout.flush()
    stream = getattr(sys.stdout, "stream", sys.stdout)  # under companion.text.terminal.SafeStream
    binary = getattr(stream, "buffer", None)
    with contextlib.suppress(LookupError, AttributeError, TypeError):
        if "{\n".encode(stream.encoding) != b"{\n":  # PYTHONIOENCODING=utf-16, say
            binary = None
    for piece in pieces:
        if binary is None:
            sys.stdout.write(bytes(piece).decode("ascii"))
        else:
            binary.write(piece)
    if binary is not None:
        binary.flush()


def print_json(document: Any) -> None:
    """JSON for scripts: indented for a person at a terminal, compact in a pipe."""
    print(json_text(document, 2 if sys.stdout.isatty() else None))
