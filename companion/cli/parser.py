"""The ``companion`` command's arguments, as one table of commands.

Each command names its handler as ``"module:function"`` in ``companion.cli`` and it is
imported only when that command runs, so ``--help`` and opening the app load no export,
review or gateway code. Options that can be given more than once all use ``append``
(``--count``, ``--covers``, ``--ac``, ``--section``, ``--unit``, ``--where``-style
single values never swallow the positional arguments that follow them).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from companion import __version__
from companion.cli import choices

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


class Arg:
    """One argument: its names (a positional has one without dashes) and argparse options.

    Plain classes rather than dataclasses: ``--version`` and ``--help`` then load neither
    dataclasses nor what it brings (inspect, ast), a tenth of their time.
    """

    __slots__ = ("names", "options")

    def __init__(self, names: tuple[str, ...], options: dict[str, Any] | None = None) -> None:
        self.names = names
        self.options: dict[str, Any] = {} if options is None else options


def arg(*names: str, **options: Any) -> Arg:
    """An argument of a command, as ``add_argument`` takes it."""
    return Arg(names, options)


class Command:
    """A command (or a sub-command) and what it takes; ``default`` is the sub-command meant
    when none is named: ``companion otj P`` is ``otj show P``."""

    __slots__ = ("args", "content", "default", "handler", "help", "metavar", "name", "subcommands")

    def __init__(
        self,
        name: str,
        help: str,
        handler: str = "",
        args: tuple[Arg, ...] = (),
        content: bool = True,
        subcommands: tuple[Command, ...] = (),
        metavar: str = "ACTION",
        default: str = "",
    ) -> None:
        self.name = name
        self.help = help
        self.handler = handler
        self.args = args
        self.content = content
        self.subcommands = subcommands
        self.metavar = metavar
        self.default = default


def _lower(text: str) -> str:
    return text.strip().lower()


PORTFOLIO = arg(
    "portfolio", metavar="PORTFOLIO", help="the portfolio folder (holds companion.yaml)"
)
NOTE = arg("note", metavar="NOTE", help="a note file inside a portfolio")
AC = arg("ac", metavar="AC", help="an assessment criterion, e.g. 700/1.1 or '700 AC1.1'")
JSON = arg("--json", action="store_true", help="print JSON for scripts instead of text")


def _export_commands() -> tuple[Command, ...]:
    """The ``export`` sub-commands. Long because it is a table (each command's arguments,
    as data), not because it decides anything."""
    out = arg("--out", required=True, metavar="FILE", help="the file to write")
    return (
        Command(
            "matrix",
            "the AC (or --ksb) Evidence Matrix",
            "export:cmd_export_matrix",
            (
                PORTFOLIO,
                out,
                arg("--format", choices=choices.MATRIX_FORMATS, help="default: from --out"),
                arg("--ksb", action="store_true", help="the KSB Evidence Matrix instead"),
                arg(
                    "--all-units",
                    action="store_true",
                    help="include units assessed by unit assignment",
                ),
            ),
        ),
        Command(
            "progress",
            "the progress JSON a tutor reviews",
            "export:cmd_export_progress",
            (
                PORTFOLIO,
                out,
                arg(
                    "--with-notes",
                    action="store_true",
                    help="include the notes' text (share with care)",
                ),
                arg("--html", action="store_true", help="also write FILE.html to read"),
                arg("--pdf", action="store_true", help="also write FILE.pdf to read or print"),
            ),
        ),
        Command(
            "bundle",
            "the EPA bundle: evidence, matrices, summary, checklist and manifest, as a zip",
            "export:cmd_export_bundle",
            (
                arg(
                    "portfolio",
                    metavar="PORTFOLIO",
                    nargs="?",
                    help="the portfolio folder (not with --verify)",
                ),
                arg("--out", metavar="NAME.zip", help="the zip to write"),
                arg(
                    "--draft",
                    action="store_true",
                    help="make it while gateway is blocked, marked DRAFT throughout",
                ),
                arg("--verify", metavar="NAME.zip", help="check a bundle against its manifest"),
            ),
        ),
        Command(
            "results",
            "Appendix E Results Sheets from a feedback file",
            "review:cmd_export_results",
            (
                arg("feedback", metavar="FEEDBACK_FILE", help="a tutor's *.feedback.json"),
                out,
                arg(
                    "--unit",
                    action="append",
                    metavar="UNIT",
                    help="a unit to include (repeatable; default all)",
                ),
                arg("--format", choices=choices.RESULT_FORMATS, help="default: from --out"),
            ),
        ),
    )


def _feedback_commands() -> tuple[Command, ...]:
    """The ``feedback`` sub-commands: a table of arguments, like ``_export_commands``."""
    return (
        Command(
            "record",
            "record decisions on a progress export",
            "review:cmd_feedback_record",
            (
                arg("export", metavar="EXPORT", help="an apprentice's progress export (.json)"),
                arg("--ac", action="append", metavar="AC", help="the AC decided (repeatable)"),
                arg(
                    "--decision",
                    type=_lower,
                    choices=choices.DECISIONS,
                    help="pass, referral or not-assessed (any case)",
                ),
                arg("--text", help="the feedback and rationale (\\n for a new line)"),
                arg(
                    "--unit-comment",
                    action="append",
                    metavar="UNIT=TEXT",
                    help="a comment on a unit (repeatable)",
                ),
                arg("--assessor", metavar="NAME", help="the assessor's name"),
                arg("--centre-number", metavar="NUMBER", help="the centre number"),
                arg("--centre-name", metavar="NAME", help="the centre name"),
                arg(
                    "--learner-registration",
                    metavar="NUMBER",
                    help="the learner's registration number",
                ),
            ),
            content=False,
        ),
        Command(
            "cohort",
            "show or set the assessor and centre for a cohort's Results Sheets",
            "review:cmd_feedback_cohort",
            (
                arg("folder", metavar="FOLDER", help="the cohort's folder of exports"),
                arg("--assessor", metavar="NAME", help="the assessor's name"),
                arg("--centre-name", metavar="NAME", help="the centre name"),
                arg("--centre-number", metavar="NUMBER", help="the centre number"),
                JSON,
            ),
            content=False,
        ),
        Command(
            "show",
            "print the decisions in a feedback file",
            "review:cmd_feedback_show",
            (arg("file", metavar="FILE", help="a *.feedback.json, or the export it is on"), JSON),
            content=False,
        ),
        Command(
            "import",
            "keep a tutor's feedback file in your portfolio",
            "review:cmd_feedback_import",
            (
                arg("file", metavar="FILE", help="the *.feedback.json your tutor sent"),
                arg(
                    "portfolio",
                    metavar="PORTFOLIO",
                    nargs="?",
                    default=".",
                    help="your portfolio folder (default: the current folder)",
                ),
                arg("--force", action="store_true", help="import even if the learner differs"),
            ),
        ),
    )


def _otj_entry_args(*, required: bool) -> tuple[Arg, ...]:
    """The fields of an OTJ log entry: all required to add one, any of them to edit one."""
    return (
        arg("--date", required=required, metavar="YYYY-MM-DD", help="the day of the activity"),
        arg("--hours", required=required, metavar="HOURS", help="hours, e.g. 3.5 or 3:30"),
        arg("--activity", required=required, metavar="TEXT", help="what you did"),
        arg(
            "--kind",
            required=required,
            type=_lower,
            metavar="KIND",
            help="training, shadowing, mentoring, industry-visit, assignment-writing, ...",
        ),
        arg(
            "--ksb",
            action="append",
            metavar="KSB",
            help="a KSB it develops, e.g. K1 (repeatable, or 'K1 S2')",
        ),
        arg("--evidence", metavar="NOTE", help="the note it produced, e.g. evidence/02-plan.md"),
        arg("--note", metavar="TEXT", help="a remark, e.g. 'time off in lieu agreed'"),
    )


def _otj_commands() -> tuple[Command, ...]:
    return (
        Command(
            "show",
            "hours to date, planned, required, the gap, the weeks behind, and the checks",
            "otj:cmd_otj_show",
            (
                PORTFOLIO,
                JSON,
                arg("--csv", action="store_true", help="print the log as CSV for a spreadsheet"),
            ),
        ),
        Command(
            "add",
            "add an entry at the end of otj.yaml",
            "otj:cmd_otj_add",
            (PORTFOLIO, *_otj_entry_args(required=True)),
        ),
        Command(
            "edit",
            "change one entry of otj.yaml (the fields given; the rest stay)",
            "otj:cmd_otj_edit",
            (
                PORTFOLIO,
                arg("entry", metavar="ENTRY", type=int, help="the entry's number, as listed"),
                *_otj_entry_args(required=False),
            ),
        ),
        Command(
            "delete",
            "remove one entry of otj.yaml (every other line stays as it was)",
            "otj:cmd_otj_delete",
            (
                PORTFOLIO,
                arg("entry", metavar="ENTRY", type=int, help="the entry's number, as listed"),
            ),
        ),
    )


def _review_commands() -> tuple[Command, ...]:
    return (
        Command(
            "show",
            "reviews held, who signed, and when the next is due",
            "otj:cmd_reviews_show",
            (PORTFOLIO, JSON),
        ),
        Command(
            "new",
            "write the record of a review, with unit progress and OTJ filled in",
            "otj:cmd_reviews_new",
            (PORTFOLIO, arg("--date", metavar="YYYY-MM-DD", help="the review's date (today)")),
        ),
    )


COMMANDS: tuple[Command, ...] = (
    Command(
        "init",
        "create companion.yaml in a portfolio folder",
        "portfolio:cmd_init",
        (
            arg("dir", metavar="DIR", help="the portfolio folder (created if missing)"),
            arg("--learner", metavar="NAME", help="your name as it appears on evidence"),
            arg("--start", metavar="YYYY-MM-DD", help="programme start date"),
            arg("--gateway", metavar="YYYY-MM-DD", help="planned gateway date"),
            arg(
                "--hours-per-week",
                metavar="HOURS",
                help="contracted hours a week, without overtime (e.g. 37.5)",
            ),
            arg(
                "--age-at-start",
                metavar="YEARS",
                help="your age in whole years when the programme started",
            ),
            arg(
                "--otj-planned-hours",
                metavar="HOURS",
                help="the off-the-job total your provider planned for you",
            ),
            arg(
                "--review-every",
                metavar="INTERVAL",
                help="your training plan's progress review interval (e.g. '12 weeks')",
            ),
            arg(
                "--english-maths-level2",
                action="store_true",
                help="your English and maths at Level 2 are confirmed",
            ),
            arg(
                "--framework",
                metavar="ID",
                help="the bundled framework to follow (see 'companion content list'); "
                "default: the Level 7 Diploma for Senior Leaders",
            ),
        ),
    ),
    Command("status", "progress against every AC", "portfolio:cmd_status", (PORTFOLIO, JSON)),
    Command(
        "check",
        "evidence rules: errors and warnings (exit 1 while any error)",
        "portfolio:cmd_check",
        (PORTFOLIO, JSON),
    ),
    Command(
        "tag",
        "tag a note to an AC (or update its tag)",
        "tagging:cmd_tag",
        (
            NOTE,
            AC,
            arg("--where", metavar="WHERE", help="page/paragraph, or mm:ss in a recording"),
            arg(
                "--count",
                metavar="REQ=ITEM",
                action="append",
                help="an item this evidence gives a requirement (repeatable)",
            ),
            arg(
                "--covers",
                metavar="ITEM",
                action="append",
                help="a checklist item it addresses (repeatable)",
            ),
            arg(
                "--clear-counts",
                action="store_true",
                help="drop the tag's counts (otherwise an update keeps those not given)",
            ),
            arg(
                "--clear-covers",
                action="store_true",
                help="drop the tag's checklist items (otherwise an update keeps them)",
            ),
        ),
    ),
    Command("untag", "remove a note's tag for an AC", "tagging:cmd_untag", (NOTE, AC)),
    Command(
        "notes",
        "list the notes: filter and sort as on screen",
        "notes:cmd_notes",
        (
            PORTFOLIO,
            arg("--filter", metavar="TEXT", help="words the ref, title, type or AC holds"),
            arg(
                "--where",
                action="append",
                metavar="KEY=VALUE",
                help="a condition on the front matter: = != >= <= > < ~ (contains) !~, e.g. "
                "type=minutes or date>=2026-01-01 (repeatable: all must hold)",
            ),
            arg("--untagged", action="store_true", help="only notes tagged to no AC"),
            arg(
                "--tagged",
                action="append",
                metavar="AC",
                help="only notes tagged to this AC (repeatable)",
            ),
            arg("--sort", choices=choices.NOTE_SORTS, default="ref", help="the column to sort by"),
            arg("--reverse", action="store_true", help="sort descending"),
            JSON,
            arg("--csv", action="store_true", help="print CSV for a spreadsheet"),
        ),
    ),
    Command(
        "search",
        "search the notes' text: each note found with its lines and ACs (exit 1: none)",
        "search:cmd_search",
        (
            PORTFOLIO,
            arg(
                "query",
                metavar="QUERY",
                help='words (all must be in a note), "a phrase", prefix*, OR, -word',
            ),
            arg(
                "--limit",
                type=int,
                default=50,
                metavar="N",
                help="the most notes shown (default 50; 0 for all)",
            ),
            JSON,
        ),
    ),
    Command(
        "cite",
        "citations against the reference list, both ways (exit 1 while any miss)",
        "writing:cmd_cite",
        (
            PORTFOLIO,
            arg("note", metavar="NOTE", nargs="?", help="one note (default: every note)"),
            JSON,
        ),
    ),
    Command(
        "words",
        "a note's words part by part: what counts towards its target",
        "writing:cmd_words",
        (NOTE, JSON),
    ),
    Command(
        "links",
        "links between notes and the notes linking here (exit 1 while one leads nowhere)",
        "writing:cmd_links",
        (
            PORTFOLIO,
            arg("note", metavar="NOTE", nargs="?", help="one note (default: every linked note)"),
            JSON,
        ),
    ),
    Command(
        "acknowledge",
        "accept a warning on a note (it stays listed, acknowledged)",
        "notes:cmd_acknowledge",
        (NOTE, arg("code", metavar="CODE", help="the warning's code, e.g. personal-data")),
    ),
    Command(
        "new",
        "create a note from a template",
        "portfolio:cmd_new",
        (
            PORTFOLIO,
            arg("--type", required=True, metavar="TYPE", help="evidence type, e.g. minutes"),
            arg("--title", required=True, help="the note's title"),
            arg("--unit", metavar="UNIT", help="for an assignment draft: its unit, e.g. 700"),
            arg("--folder", default="notes", help="folder in the portfolio (default: notes)"),
        ),
    ),
    Command(
        "files",
        "evidence files (Word, PDF, PowerPoint, recordings…) and their cards",
        "files:cmd_files",
        (PORTFOLIO, JSON),
    ),
    Command(
        "add",
        "bring evidence files into the portfolio: write a card beside each",
        "files:cmd_add",
        (
            PORTFOLIO,
            arg("files", nargs="*", metavar="FILE", help="evidence files in the portfolio"),
            arg("--all", action="store_true", help="every evidence file without a card"),
            arg("--type", metavar="TYPE", help="evidence type (default: proposed from the file)"),
            arg("--ref", metavar="REF", help="evidence reference (default: the next free one)"),
            arg("--date", metavar="YYYY-MM-DD", help="date produced (default: the file's own)"),
            arg("--title", help="the title (default: the file's own)"),
        ),
    ),
    Command(
        "gateway",
        "readiness for EPA gateway, item by item (exit 1 while anything blocks)",
        "gateway:cmd_gateway",
        (PORTFOLIO, JSON),
    ),
    Command(
        "proposal",
        "the 500-word proposal summary: words, sections, export",
        "gateway:cmd_proposal",
        (
            PORTFOLIO,
            JSON,
            arg("--title", help="set the proposal's title"),
            arg(
                "--section",
                metavar="ID=TEXT",
                action="append",
                help="set one section's text, e.g. scope='...' (repeatable; \\n for a new line)",
            ),
            arg("--export", metavar="FILE", help="write the summary for submission"),
            arg(
                "--format",
                choices=choices.SUMMARY_FORMATS,
                help="export format (default: from FILE's suffix)",
            ),
        ),
    ),
    Command(
        "otj",
        "the off-the-job training log: summary and checks, add or edit an entry",
        subcommands=_otj_commands(),
        default="show",
    ),
    Command(
        "reviews",
        "progress reviews: when the next is due, a new review record",
        subcommands=_review_commands(),
        default="show",
    ),
    Command(
        "review-pack",
        "the pack for a progress review, and its sign-off file",
        "otj:cmd_review_pack",
        (
            PORTFOLIO,
            arg("--out", required=True, metavar="FILE", help="the pack to write (.docx, .md)"),
            arg("--date", metavar="YYYY-MM-DD", help="the review's date (today)"),
            arg("--format", choices=choices.PACK_FORMATS, help="default: from --out"),
        ),
    ),
    Command(
        "signoff",
        "import a signed review sign-off (or employer's statement)",
        subcommands=(
            Command(
                "import",
                "keep a signed sign-off file in your portfolio",
                "otj:cmd_signoff_import",
                (
                    arg("file", metavar="FILE", help="the *.signoff.yaml signed at the review"),
                    arg(
                        "portfolio",
                        metavar="PORTFOLIO",
                        nargs="?",
                        default=".",
                        help="your portfolio folder (default: the current folder)",
                    ),
                    arg(
                        "--no-pack",
                        action="store_true",
                        help="keep a hand-written sign-off that names no pack (its pack is "
                        "then not checked)",
                    ),
                ),
            ),
        ),
    ),
    Command(
        "export",
        "evidence matrices, the tutor's progress export, Results Sheets",
        subcommands=_export_commands(),
        metavar="WHAT",
    ),
    Command(
        "review",
        "tutor mode: review apprentices' exports",
        "review:cmd_review",
        (arg("paths", metavar="FILE_OR_FOLDER", nargs="+", help="exports or folders of them"),),
        content=False,
    ),
    Command(
        "cohort",
        "the cohort table of progress exports",
        "review:cmd_cohort",
        (
            arg("paths", metavar="FILE_OR_FOLDER", nargs="+", help="exports or folders of them"),
            arg("--json", action="store_true", help="print JSON"),
            arg("--csv", action="store_true", help="print CSV for a spreadsheet"),
            arg("--sort", choices=choices.COHORT_SORTS, default="learner", help="sort column"),
            arg("--reverse", action="store_true", help="sort descending"),
        ),
        content=False,
    ),
    Command(
        "feedback",
        "record, show or import tutor feedback",
        subcommands=_feedback_commands(),
        content=False,
    ),
    Command(
        "content",
        "check or browse the qualification content",
        subcommands=(
            Command("list", "the frameworks bundled with companion", "content:cmd_list"),
            Command("check", "validate a content folder and summarise it", "content:cmd_check"),
            Command(
                "show",
                "print one assessment criterion",
                "content:cmd_show",
                (arg("ac", metavar="AC", help="e.g. 700/1.1, '700 AC1.1' or '8431-700 1.1'"),),
            ),
        ),
    ),
    Command(
        "demo",
        "open a fresh copy of the example portfolio",
        "main:cmd_demo",
        (
            arg(
                "--copy",
                metavar="DIR",
                help="copy the example to DIR (a new folder) to try commands on; do not open it",
            ),
        ),
    ),
    Command(
        "open",
        "open the app on a portfolio (the default command)",
        "main:cmd_open",
        (
            arg(
                "portfolio",
                metavar="PORTFOLIO",
                nargs="?",
                help="the portfolio folder (default: this folder, or the last one opened)",
            ),
        ),
    ),
)


def _add_content_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--content",
        metavar="DIR",
        type=Path,
        default=None,
        help="a content folder to use instead of the portfolio's framework",
    )
    if not any("--framework" in action.option_strings for action in parser._actions):
        parser.add_argument(
            "--framework",
            metavar="ID",
            default=None,
            help="a bundled framework to use instead (see 'companion content list')",
        )


def _add(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    command: Command,
    *,
    shallow: bool = False,
) -> None:
    parser = commands.add_parser(command.name, help=command.help, description=command.help)
    if shallow:
        return
    for argument in command.args:
        parser.add_argument(*argument.names, **argument.options)
    if command.subcommands:
        dest = f"{command.name}_command"
        nested = parser.add_subparsers(dest=dest, metavar=command.metavar, required=True)
        for sub in command.subcommands:
            _add(nested, sub)
    elif command.content:
        _add_content_option(parser)
    if command.handler:
        parser.set_defaults(handler=command.handler)


def build_parser(only: str | None = None, *, shallow: bool = False) -> argparse.ArgumentParser:
    """The argument parser, built from ``COMMANDS``; tests inspect it too.

    With ``only`` (the command being run), the other commands are left out: building every
    command's arguments is a tenth of a quick command's time, and only ``--help`` and a
    mistyped command need the whole list. ``shallow`` leaves out every command's own
    arguments, which ``companion --help`` does not show.
    """
    parser = argparse.ArgumentParser(
        prog="companion",
        description="Study companion for the Level 7 Senior Leader apprenticeship (ST0480).",
        epilog="Exit status: 0 done; 1 problems found (check, gateway, content check) or a "
        "change refused to keep your files safe; 2 a usage error or bad input.",
    )
    parser.add_argument("--version", action="version", version=f"companion {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in COMMANDS:
        if only is None or command.name == only:
            _add(commands, command, shallow=shallow)
    return parser


def command_names() -> list[str]:
    """Every top-level command name."""
    return [command.name for command in COMMANDS]
