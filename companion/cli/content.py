"""Handlers for ``companion content``: check a content folder, show one criterion."""

from __future__ import annotations

import argparse
import sys

from companion.cli.common import CommandError
from companion.content.load import load_content
from companion.content.reader import ContentError
from companion.views.content import show_criterion, summarise


def cmd_check(args: argparse.Namespace) -> int:
    """Validate a content folder: every problem with its file and line; exit 1 if any."""
    try:
        content = load_content(args.content)
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
    content = load_content(args.content)
    text = show_criterion(content, args.ac)
    if text is None:
        raise CommandError(f"'{args.ac}' is not an assessment criterion (try e.g. 700/1.1)")
    print(text)
    return 0
