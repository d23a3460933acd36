"""The ``companion`` command line: every feature, headless, for scripts, tutors and tests."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from companion.content import ContentError, load_content
from companion.content_commands import show_criterion, summarise


def _add_content_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--content",
        metavar="DIR",
        type=Path,
        default=None,
        help="content folder to use instead of the bundled Level 7 Senior Leader diploma",
    )


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, separate from main() so tests can inspect it."""
    parser = argparse.ArgumentParser(
        prog="companion",
        description="Study companion for the Level 7 Senior Leader apprenticeship (ST0480).",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    content = commands.add_parser("content", help="check or browse the qualification content")
    content_commands = content.add_subparsers(dest="content_command", metavar="ACTION")
    check = content_commands.add_parser("check", help="validate a content folder and summarise it")
    _add_content_option(check)
    show = content_commands.add_parser("show", help="print one assessment criterion")
    show.add_argument("ac", metavar="AC_ID", help="e.g. 700/1.1, '700 AC1.1' or '8431-700 1.1'")
    _add_content_option(show)
    return parser


def _content_command(args: argparse.Namespace) -> int:
    try:
        content = load_content(args.content)
    except ContentError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        count = len(exc.problems)
        print(f"content has {count} problem{'s' if count != 1 else ''}", file=sys.stderr)
        return 1
    if args.content_command == "check":
        print(summarise(content))
        return 0
    text = show_criterion(content, args.ac)
    if text is None:
        print(f"no assessment criterion '{args.ac}' (try e.g. 700/1.1)", file=sys.stderr)
        return 2
    print(text)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``companion`` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "content":
        if not args.content_command:
            parser.parse_args(["content", "--help"])
        return _content_command(args)
    parser.print_help()
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
