"""The ``companion`` command line: every feature, headless, for scripts, tutors and tests."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from companion.content import ContentError, load_content
from companion.content_commands import show_criterion, summarise
from companion.export_commands import add_export_parser
from companion.gateway_commands import EXPORT_FORMATS, cmd_gateway, cmd_proposal
from companion.portfolio_commands import (
    CommandError,
    cmd_check,
    cmd_init,
    cmd_new,
    cmd_status,
    cmd_tag,
    cmd_untag,
)
from companion.review_commands import add_review_parsers


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

    init = commands.add_parser("init", help="create companion.yaml in a portfolio folder")
    init.add_argument("dir", metavar="DIR", help="the portfolio folder (created if missing)")
    init.add_argument("--learner", metavar="NAME", help="your name as it appears on evidence")
    init.add_argument("--start", metavar="YYYY-MM-DD", help="programme start date")
    init.add_argument("--gateway", metavar="YYYY-MM-DD", help="planned gateway date")
    _add_content_option(init)
    init.set_defaults(handler=cmd_init)

    status = commands.add_parser("status", help="progress against every AC")
    status.add_argument("portfolio", metavar="PORTFOLIO")
    status.add_argument("--json", action="store_true", help="print the progress JSON")
    _add_content_option(status)
    status.set_defaults(handler=cmd_status)

    check = commands.add_parser("check", help="evidence rules: errors and warnings")
    check.add_argument("portfolio", metavar="PORTFOLIO")
    check.add_argument("--json", action="store_true", help='print {"flags": [...]}')
    _add_content_option(check)
    check.set_defaults(handler=cmd_check)

    tag = commands.add_parser("tag", help="tag a note to an AC (or update its tag)")
    tag.add_argument("note", metavar="NOTE")
    tag.add_argument("ac", metavar="AC")
    tag.add_argument("--where", metavar="W", help="page/paragraph, or mm:ss in a recording")
    tag.add_argument(
        "--count",
        metavar="REQ=ITEM",
        action="append",
        help="an item this evidence gives a requirement (repeatable)",
    )
    tag.add_argument("--covers", metavar="ID", nargs="+", help="checklist items it addresses")
    _add_content_option(tag)
    tag.set_defaults(handler=cmd_tag)

    untag = commands.add_parser("untag", help="remove a note's tag for an AC")
    untag.add_argument("note", metavar="NOTE")
    untag.add_argument("ac", metavar="AC")
    _add_content_option(untag)
    untag.set_defaults(handler=cmd_untag)

    new = commands.add_parser("new", help="create a note from a template")
    new.add_argument("portfolio", metavar="PORTFOLIO")
    new.add_argument("--type", required=True, metavar="T", help="evidence type, e.g. minutes")
    new.add_argument("--title", required=True)
    new.add_argument("--unit", help="for an assignment draft: its unit, e.g. 700")
    new.add_argument("--folder", default="notes", help="folder in the portfolio (default notes)")
    _add_content_option(new)
    new.set_defaults(handler=cmd_new)

    gateway = commands.add_parser("gateway", help="readiness for EPA gateway, item by item")
    gateway.add_argument("portfolio", metavar="PORTFOLIO")
    gateway.add_argument("--json", action="store_true", help="print the checklist as JSON")
    _add_content_option(gateway)
    gateway.set_defaults(handler=cmd_gateway)

    proposal = commands.add_parser(
        "proposal", help="the 500-word proposal summary: words, sections, export"
    )
    proposal.add_argument("portfolio", metavar="PORTFOLIO")
    proposal.add_argument("--json", action="store_true", help="print the summary's figures")
    proposal.add_argument("--title", help="set the proposal's title")
    proposal.add_argument(
        "--section",
        metavar="ID=TEXT",
        action="append",
        help="set one section's text, e.g. scope='...' (repeatable; \\n for a new line)",
    )
    proposal.add_argument("--export", metavar="FILE", help="write the summary for submission")
    proposal.add_argument(
        "--format", choices=EXPORT_FORMATS, help="export format (default: from FILE's suffix)"
    )
    _add_content_option(proposal)
    proposal.set_defaults(handler=cmd_proposal)

    add_export_parser(commands, _add_content_option)
    add_review_parsers(commands, _add_content_option)

    demo = commands.add_parser("demo", help="open a fresh copy of the example portfolio")
    _add_content_option(demo)
    open_ = commands.add_parser("open", help="open the app on a portfolio (the default command)")
    open_.add_argument("portfolio", metavar="PORTFOLIO", nargs="?")
    _add_content_option(open_)
    return parser


def _run_app(portfolio: Path | None, content_dir: Path | None) -> int:
    from companion.app import make_app
    from companion.recent import last_opened

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
        from companion.demo import copy_example

        return _run_app(copy_example(), args.content)
    if args.command == "content":
        if not args.content_command:
            parser.parse_args(["content", "--help"])
        return _content_command(args)
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 0
    try:
        return handler(args)
    except CommandError as exc:
        print(f"companion: {exc.message}", file=sys.stderr)
        return exc.status
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
