"""Handlers for ``companion content``: check a content folder, show one criterion."""

from __future__ import annotations

import argparse
import sys

from companion.cli.common import CommandError, content_folder
from companion.content.bundled import DEFAULT_FRAMEWORK, FRAMEWORKS, framework_dir
from companion.content.load import load_content
from companion.content.problems import ContentError
from companion.views.content import show_criterion, summarise


def cmd_list(args: argparse.Namespace) -> int:
    """The bundled frameworks: their ids (for --framework) and what they are."""
    for framework, folder in ((f, framework_dir(f)) for f in FRAMEWORKS):
        try:
            content = load_content(folder)
        except ContentError:
            print(
                f"{framework:<14} (its content has problems: companion content check "
                f"--framework {framework})"
            )
            continue
        default = "  (default)" if framework == DEFAULT_FRAMEWORK else ""
        qualification = content.standard.qualification
        title = qualification.title if qualification else content.standard.title
        units, acs = len(content.units), len(content.criteria)
        print(
            f"{framework:<14} {title}: {units} unit{'s' if units != 1 else ''}, "
            f"{acs} AC{'s' if acs != 1 else ''}{default}"
        )
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    """Validate a content folder: every problem with its file and line; exit 1 if any."""
    try:
        content = load_content(content_folder(args))
    except ContentError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        count = len(exc.problems)
        print(f"content has {count} problem{'s' if count != 1 else ''}", file=sys.stderr)
        return 1
    print(summarise(content))
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    """Print one assessment criterion in full."""
    content = load_content(content_folder(args))
    text = show_criterion(content, args.ac)
    if text is None:
        raise CommandError(f"'{args.ac}' is not an assessment criterion (try e.g. 700/1.1)")
    print(text)
    return 0
