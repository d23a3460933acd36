"""The ``companion`` command's arguments, with each command's handler named, not imported.

A handler is ``"module:function"`` in ``companion`` and is imported only when its command
runs, so opening the app does not load the exports, tutor review or gateway commands.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from companion.documents.writers import FORMATS
from companion.exports.proposal import SUMMARY_FORMATS
from companion.review.cohort import SORT_KEYS
from companion.review.feedback import DECISIONS
from companion.review.results_sheet import RESULT_FORMATS
from companion.views.note_list import SORTS


def _add_content_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--content",
        metavar="DIR",
        type=Path,
        default=None,
        help="content folder to use instead of the bundled Level 7 Senior Leader diploma",
    )


def _command(
    commands: argparse._SubParsersAction,
    name: str,
    help: str,
    handler: str,
    target: str = "portfolio",
    metavar: str = "",
) -> argparse.ArgumentParser:
    """A command on one ``target`` (PORTFOLIO, NOTE, ...) that also takes ``--content``."""
    parser = commands.add_parser(name, help=help)
    parser.add_argument(target, metavar=metavar or target.upper())
    _add_content_option(parser)
    parser.set_defaults(handler=handler)
    return parser


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
    _add_content_option(init)
    init.set_defaults(handler="portfolio:cmd_init")
    init.add_argument("--learner", metavar="NAME", help="your name as it appears on evidence")
    init.add_argument("--start", metavar="YYYY-MM-DD", help="programme start date")
    init.add_argument("--gateway", metavar="YYYY-MM-DD", help="planned gateway date")

    status = _command(commands, "status", "progress against every AC", "portfolio:cmd_status")
    status.add_argument("--json", action="store_true", help="print the progress JSON")

    check = _command(
        commands, "check", "evidence rules: errors and warnings", "portfolio:cmd_check"
    )
    check.add_argument("--json", action="store_true", help='print {"flags": [...]}')

    tag = _command(
        commands,
        "tag",
        "tag a note to an AC (or update its tag)",
        "portfolio:cmd_tag",
        "note",
    )
    tag.add_argument("ac", metavar="AC")
    tag.add_argument("--where", metavar="W", help="page/paragraph, or mm:ss in a recording")
    tag.add_argument(
        "--count",
        metavar="REQ=ITEM",
        action="append",
        help="an item this evidence gives a requirement (repeatable)",
    )
    tag.add_argument("--covers", metavar="ID", nargs="+", help="checklist items it addresses")

    untag = _command(
        commands, "untag", "remove a note's tag for an AC", "portfolio:cmd_untag", "note"
    )
    untag.add_argument("ac", metavar="AC")

    notes = _command(
        commands, "notes", "list the notes: filter and sort as on screen", "notes:cmd_notes"
    )
    notes.add_argument("--filter", metavar="TEXT", help="words the ref, title, type or AC holds")
    notes.add_argument("--sort", choices=SORTS, default="ref", help="the column to sort by")
    notes.add_argument("--reverse", action="store_true", help="sort descending")
    notes.add_argument("--json", action="store_true", help='print {"notes": [...]}')

    acknowledge = _command(
        commands,
        "acknowledge",
        "accept a warning on a note (it stays listed, acknowledged)",
        "notes:cmd_acknowledge",
        "note",
    )
    acknowledge.add_argument("code", metavar="CODE", help="the warning's code, e.g. personal-data")

    new = _command(commands, "new", "create a note from a template", "portfolio:cmd_new")
    new.add_argument("--type", required=True, metavar="T", help="evidence type, e.g. minutes")
    new.add_argument("--title", required=True)
    new.add_argument("--unit", help="for an assignment draft: its unit, e.g. 700")
    new.add_argument("--folder", default="notes", help="folder in the portfolio (default notes)")

    gateway = _command(
        commands,
        "gateway",
        "readiness for EPA gateway, item by item",
        "gateway:cmd_gateway",
    )
    gateway.add_argument("--json", action="store_true", help="print the checklist as JSON")

    proposal = _command(
        commands,
        "proposal",
        "the 500-word proposal summary: words, sections, export",
        "gateway:cmd_proposal",
    )
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
        "--format", choices=SUMMARY_FORMATS, help="export format (default: from FILE's suffix)"
    )

    _add_export_parsers(commands)
    _add_review_parsers(commands)

    demo = commands.add_parser("demo", help="open a fresh copy of the example portfolio")
    _add_content_option(demo)
    open_ = commands.add_parser("open", help="open the app on a portfolio (the default command)")
    open_.add_argument("portfolio", metavar="PORTFOLIO", nargs="?")
    _add_content_option(open_)
    return parser


def _add_export_parsers(commands: argparse._SubParsersAction) -> None:
    """``companion export matrix|progress``."""
    export = commands.add_parser("export", help="evidence matrices and the tutor's progress export")
    kinds = export.add_subparsers(dest="export_command", metavar="WHAT", required=True)

    matrix = _command(
        kinds, "matrix", "the AC (or --ksb) Evidence Matrix", "export:cmd_export_matrix"
    )
    matrix.add_argument("--format", choices=FORMATS, help="default: from the --out suffix")
    matrix.add_argument("--ksb", action="store_true", help="the KSB Evidence Matrix instead")
    matrix.add_argument(
        "--all-units", action="store_true", help="include units assessed by unit assignment"
    )
    matrix.add_argument("--out", required=True, metavar="FILE")

    progress = _command(
        kinds,
        "progress",
        "the progress JSON a tutor reviews",
        "export:cmd_export_progress",
    )
    progress.add_argument("--out", required=True, metavar="FILE")
    progress.add_argument(
        "--with-notes", action="store_true", help="include the notes' text (share with care)"
    )
    progress.add_argument("--html", action="store_true", help="also write FILE.html to read")

    _add_results_parser(kinds)


def _add_review_parsers(commands: argparse._SubParsersAction) -> None:
    """``companion review``, ``cohort`` and ``feedback``."""
    review = commands.add_parser("review", help="tutor mode: review apprentices' exports")
    review.add_argument("paths", metavar="FILE_OR_FOLDER", nargs="+")
    review.set_defaults(handler="review:cmd_review")

    cohort = commands.add_parser("cohort", help="the cohort table of progress exports")
    cohort.add_argument("paths", metavar="FILE_OR_FOLDER", nargs="+")
    shape = cohort.add_mutually_exclusive_group()
    shape.add_argument("--json", action="store_true")
    shape.add_argument("--csv", action="store_true")
    cohort.add_argument("--sort", choices=SORT_KEYS, default="learner")
    cohort.add_argument("--reverse", action="store_true")
    cohort.set_defaults(handler="review:cmd_cohort")

    feedback = commands.add_parser("feedback", help="record, show or import tutor feedback")
    actions = feedback.add_subparsers(dest="feedback_command", metavar="ACTION", required=True)
    record = actions.add_parser("record", help="record decisions on a progress export")
    record.add_argument("export", metavar="EXPORT")
    record.add_argument("--ac", action="append", help="the AC decided (repeatable)")
    record.add_argument("--decision", choices=DECISIONS)
    record.add_argument("--text", help="the feedback and rationale (\\n for a new line)")
    record.add_argument("--unit-comment", action="append", metavar="UNIT=TEXT")
    record.add_argument("--assessor", metavar="NAME")
    record.add_argument("--centre-number")
    record.add_argument("--centre-name")
    record.add_argument("--learner-registration")
    record.set_defaults(handler="review:cmd_feedback_record")
    show = actions.add_parser("show", help="print the decisions in a feedback file")
    show.add_argument("file", metavar="FILE", help="a *.feedback.json, or the export it is on")
    show.add_argument("--json", action="store_true")
    show.set_defaults(handler="review:cmd_feedback_show")
    imp = actions.add_parser("import", help="keep a tutor's feedback file in your portfolio")
    imp.add_argument("file", metavar="FILE")
    imp.add_argument("portfolio", metavar="PORTFOLIO", nargs="?", default=".")
    imp.add_argument("--force", action="store_true", help="import even if the learner differs")
    _add_content_option(imp)
    imp.set_defaults(handler="review:cmd_feedback_import")


def _add_results_parser(kinds: argparse._SubParsersAction) -> None:
    """``companion export results``."""
    results = _command(
        kinds,
        "results",
        "Appendix E Results Sheets from a feedback file",
        "review:cmd_export_results",
        "feedback",
        "FEEDBACK_FILE",
    )
    results.add_argument("--unit", action="append", help="the unit (repeatable; default all)")
    results.add_argument("--format", choices=RESULT_FORMATS, help="default: from --out suffix")
    results.add_argument("--out", required=True, metavar="FILE")
