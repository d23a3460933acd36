"""Handlers for ``companion export``: the evidence matrices and the tutor's progress export."""

from __future__ import annotations

import argparse
from pathlib import Path

from companion.assessment.status import build_status
from companion.cli.common import CommandError, open_portfolio
from companion.documents.writers import FORMATS
from companion.exports.run import ExportError, run_export


def _format(args: argparse.Namespace, out: Path) -> str:
    fmt = (args.format or out.suffix.lstrip(".")).lower()
    fmt = {"markdown": "md", "htm": "html"}.get(fmt, fmt)
    if fmt not in FORMATS:
        raise CommandError(f"--format must be one of {', '.join(FORMATS)} (or use such a suffix)")
    return fmt


def _run(args: argparse.Namespace, kind: str, out: Path, fmt: str = "md", **options) -> int:
    portfolio = open_portfolio(Path(args.portfolio), args)
    portfolio.close()
    try:
        written = run_export(build_status(portfolio), kind, out, fmt, **options)
    except ExportError as exc:
        raise CommandError(str(exc)) from None
    for path in written:
        print(f"wrote {path}")
    return 0


def cmd_export_matrix(args: argparse.Namespace) -> int:
    """Write the AC Evidence Matrix (or, with --ksb, the KSB Evidence Matrix)."""
    out = Path(args.out)
    kind = "ksb-matrix" if args.ksb else "matrix"
    return _run(args, kind, out, _format(args, out), all_units=args.all_units)


def cmd_export_progress(args: argparse.Namespace) -> int:
    """Write the progress JSON for a tutor (and an HTML report with --html)."""
    return _run(args, "progress", Path(args.out), with_notes=args.with_notes, html=args.html)
