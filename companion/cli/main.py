"""The ``companion`` command line: every feature, headless, for scripts, tutors and tests."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from importlib import import_module
from pathlib import Path

from companion.cli.parser import build_parser
from companion.cli.portfolio import CommandError
from companion.content.load import load_content
from companion.content.reader import ContentError
from companion.startup import started
from companion.views.content import show_criterion, summarise


def _run_app(portfolio: Path | None, content_dir: Path | None) -> int:
    from companion.portfolio.recent import last_opened
    from companion.ui.app import make_app

    if portfolio is None:
        portfolio = Path.cwd() if (Path.cwd() / "companion.yaml").is_file() else last_opened()
    elif not (portfolio / "companion.yaml").is_file():
        print(
            f"companion: {portfolio} has no companion.yaml; run 'companion init {portfolio}' "
            "first, or 'companion demo' to try the example",
            file=sys.stderr,
        )
        return 2
    try:
        app = make_app(portfolio, content_dir)
    except ContentError as exc:
        print(f"companion: the content has problems:\n{exc}", file=sys.stderr)
        return 1
    started(long_lived=True)
    app.run()
    return 0


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


def handler(spec: str) -> Callable[[argparse.Namespace], int]:
    """The function a ``"module:function"`` handler name in the parser stands for."""
    module, name = spec.split(":")
    return getattr(import_module(f"companion.cli.{module}"), name)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``companion`` console script."""
    parser = build_parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    commands = set(parser._subparsers._group_actions[0].choices)  # type: ignore[union-attr]
    if not argv or (argv[0] not in commands and not argv[0].startswith("-")):
        argv = ["open", *argv]
    args = parser.parse_args(argv)
    if args.command == "open":
        return _run_app(Path(args.portfolio) if args.portfolio else None, args.content)
    if args.command == "demo":
        from companion.portfolio.example import copy_example

        return _run_app(copy_example(), args.content)
    if args.command == "content":
        if not args.content_command:
            parser.parse_args(["content", "--help"])
        return _content_command(args)
    spec = getattr(args, "handler", None)
    if spec is None:
        parser.print_help()
        return 0
    try:
        command = handler(spec)
        started()
        return command(args)
    except CommandError as exc:
        print(f"companion: {exc.message}", file=sys.stderr)
        return exc.status
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
