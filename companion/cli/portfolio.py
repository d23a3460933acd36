"""Handlers for the portfolio commands: init, status, check, new.

Each returns an exit status and prints for a person, or JSON for scripts.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from companion.cli.common import (
    CommandError,
    ask,
    json_text,
    open_portfolio,
    parse_date,
)
from companion.cli.status import show_status
from companion.content.bundled import DEFAULT_FRAMEWORK, FRAMEWORKS, framework_dir
from companion.content.load import load_content
from companion.portfolio.profile import (
    MAX_NAME,
    ProfileError,
    ProgrammeAnswers,
    create_profile,
    learner_name,
)
from companion.portfolio.programme import person, read_programme
from companion.portfolio.templates import assignment_units, create_note
from companion.text.values import NotYesNo, read_yes_no

if TYPE_CHECKING:
    from companion.assessment.status import Status
    from companion.cli.remembered import Printed
    from companion.content.model import Content


def _name(text: str) -> str:
    return learner_name(text, "your name")


def _gateway_after(start: dt.date | None) -> Callable[[str], dt.date | None]:
    def parse(text: str) -> dt.date | None:
        date = parse_date(text, "the gateway date")
        if date is not None and start is not None and date <= start:
            raise CommandError("the planned gateway must be after the programme start")
        return date

    return parse


def _hours(key: str) -> Callable[[str], str]:
    """Hours as the profile reads ``key`` (blank: fill in later); ``37:30`` is written
    quoted, since YAML would read it unquoted as a number of minutes."""

    def parse(text: str) -> str:
        text = text.strip()
        if text:
            read_programme({key: text})
        return f'"{text}"' if ":" in text else text

    return parse


_hours_per_week = _hours("hours_per_week")
_planned_hours = _hours("otj_planned_hours")


def _age_at_start(text: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    age = int(text) if text.isdigit() else text
    programme = read_programme({"age_at_start": age})
    return programme.age_at_start


def _review_every(text: str) -> str:
    text = " ".join(text.split())
    if text:
        read_programme({"review_every": text})
    return text


def _yes_no(text: str) -> bool:
    if not text.strip():
        return False
    try:
        return read_yes_no(text)
    except NotYesNo:
        raise CommandError("answer y or n") from None


def _programme_answers(args: argparse.Namespace, content: Content) -> ProgrammeAnswers:
    """What the funding rules and gateway need, from the options and, in a terminal, by
    asking for each one left out (blank leaves it to fill in later)."""
    hours = _hours_per_week(args.hours_per_week or "")
    age = _age_at_start(args.age_at_start or "")
    every = _review_every(args.review_every or "")
    level2 = bool(args.english_maths_level2)
    planned = _planned_hours(args.otj_planned_hours or "")
    exempt: dt.date | None = None
    confirmed_by = ""
    if sys.stdin.isatty():
        if content.funding is not None:
            if not args.hours_per_week:
                hours = ask(
                    "Contracted hours a week, without overtime (e.g. 37.5; blank: later): ",
                    _hours_per_week,
                )
            if not args.age_at_start:
                age = ask("Your age when the programme started (blank: later): ", _age_at_start)
            if not args.otj_planned_hours:
                planned = ask(
                    "Off-the-job hours your provider planned in total (blank: later): ",
                    _planned_hours,
                )
            if not args.review_every:
                every = ask(
                    "Progress review interval in your training plan (e.g. 12 weeks; "
                    "blank: the funding rules' own): ",
                    _review_every,
                )
        if content.has_gateway and not args.english_maths_level2:
            level2 = ask("Are your English and maths at Level 2 confirmed? [y/N]: ", _yes_no)
        if content.has_gateway and not level2 and age is not None and age >= 19:
            exempt = ask(
                "Exempt from English and maths as you were 19 or over at the start? "
                "The date it was confirmed (YYYY-MM-DD; blank: not exempt): ",
                lambda text: parse_date(text, "the exemption's date"),
            )
            if exempt is not None:
                confirmed_by = ask(
                    "Who confirmed it (name and role): ",
                    lambda text: person(text, "confirmed_by") or _required(),
                )
    return ProgrammeAnswers(hours, age, every, level2, planned, exempt, confirmed_by)


def _required() -> str:
    raise CommandError("say who confirmed it")


def cmd_init(args: argparse.Namespace) -> int:
    """Create ``companion.yaml`` in a folder, asking (and re-asking) for what is left out."""
    framework = args.framework or ""
    if framework and framework not in FRAMEWORKS:
        raise CommandError(f"no bundled framework '{framework}' (bundled: {', '.join(FRAMEWORKS)})")
    content: Content = load_content(args.content or framework_dir(framework or DEFAULT_FRAMEWORK))
    learner = _name(args.learner or "")
    start = parse_date(args.start, "the start date")
    gateway = _gateway_after(start)(args.gateway or "")
    if sys.stdin.isatty():
        if not args.learner:
            learner = ask(f"Your name as on your evidence (up to {MAX_NAME} letters): ", _name)
        if not args.start:
            start = ask(
                "Programme start date (YYYY-MM-DD): ",
                lambda text: parse_date(text, "the start date"),
            )
        if not args.gateway and content.has_gateway:
            gateway = ask(
                "Planned gateway date (YYYY-MM-DD, blank if not known yet): ",
                _gateway_after(start),
            )
    answers = _programme_answers(args, content)
    path = create_profile(Path(args.dir), learner, start, gateway, content, framework, answers)
    print(f"created {path}")
    if not learner or not start:
        print("edit it to add your name and programme start date", file=sys.stderr)
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    """Print progress, as text or the progress JSON (``companion.cli.status``)."""
    return show_status(args)


def cmd_check(args: argparse.Namespace) -> int:
    """Print the flags; exit 1 when any is an error. Printed again as it was while nothing
    it depends on changed (``companion.cli.remembered``)."""
    from companion.cli.remembered import remembered  # not loaded by `companion status`

    with remembered(args, "check-json" if args.json else "check") as report:
        printed = report.printed(lambda status: check_report(status, as_json=args.json))
    return printed.show()


def check_report(status: Status, *, as_json: bool) -> Printed:
    """What ``companion check`` prints of a status, and its exit status."""
    from companion.cli.remembered import Printed

    problems = list(status.plan.problems) if status.plan else []
    failed = 1 if status.errors or problems else 0
    if as_json:
        document = {"flags": [f.to_json() for f in status.flags], "unit_choice": problems}
        return Printed(json_text(document, 2 if sys.stdout.isatty() else None), failed)
    lines = [f"ERROR   unit choice: {problem}" for problem in problems]
    if not status.flags:
        lines.append("no flags: every note passes the evidence rules")
    for flag in status.flags:
        if flag.severity == "error":
            mark = "ERROR  "
        else:
            mark = "ok     " if flag.acknowledged else "WARNING"
        ack = " (acknowledged)" if flag.acknowledged else ""
        lines.append(f"{mark} {flag.note}: [{flag.code}] {flag.message}{ack}")
    lines.append(
        f"\n{len(status.errors) + len(problems)} error(s), {len(status.warnings)} warning(s)"
    )
    return Printed("\n".join(lines), failed)


def _assignment_unit(content: Content, given: str | None) -> str:
    """The unit of a new assignment draft: given, asked for, or refused."""
    units = [unit_id for unit_id, _ in assignment_units(content)]

    def parse(text: str) -> str:
        if text not in units:
            raise CommandError(f"'{text}' is not a unit with an assignment ({', '.join(units)})")
        return text

    if given:
        return parse(given.strip())
    if sys.stdin.isatty():
        return ask(f"Which unit is the assignment for ({', '.join(units)})? ", parse)
    raise CommandError(f"an assignment draft needs --unit (one of {', '.join(units)})")


def cmd_new(args: argparse.Namespace) -> int:
    """Create a note from a template."""
    portfolio = open_portfolio(Path(args.portfolio), args)
    try:
        unit = args.unit or ""
        if args.type == "assignment":
            unit = _assignment_unit(portfolio.content, args.unit)
        path = create_note(portfolio, args.title, args.type, folder=args.folder, unit=unit)
    except (ValueError, FileExistsError) as exc:
        raise CommandError(str(exc)) from None
    finally:
        portfolio.close()
    print(path)
    return 0


__all__ = [
    "CommandError",
    "ProfileError",
    "cmd_check",
    "cmd_init",
    "cmd_new",
    "cmd_status",
]
