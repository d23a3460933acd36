"""Handlers for ``companion export``: the evidence matrices and the tutor's progress export."""

from __future__ import annotations

import argparse
import json
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

from companion.cli.common import CommandError, open_portfolio
from companion.cli.remembered import remembered
from companion.documents.writers import FORMATS, TIMELESS_FORMATS
from companion.exports.output import ExportError, check_output, remember_output
from companion.files import atomic_write

if TYPE_CHECKING:
    from companion.assessment.status import Status

# The engine and the exports are loaded only to make an export: an unchanged portfolio's
# matrix is written again without them (``companion.cli.remembered``).


def _format(args: argparse.Namespace, out: Path) -> str:
    fmt = (args.format or out.suffix.lstrip(".")).lower()
    fmt = {"markdown": "md", "htm": "html"}.get(fmt, fmt)
    if fmt not in FORMATS:
        raise CommandError(f"--format must be one of {', '.join(FORMATS)} (or use such a suffix)")
    return fmt


def _run(args: argparse.Namespace, kind: str, out: Path, fmt: str = "md", **options: bool) -> int:
    from companion.assessment.status import build_status
    from companion.exports.run import run_export

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
    """Write the AC Evidence Matrix (or, with --ksb, the KSB Evidence Matrix). A matrix
    whose bytes carry no clock is written again as it was while nothing it depends on
    changed (``companion.cli.remembered``)."""
    out = Path(args.out)
    kind = "ksb-matrix" if args.ksb else "matrix"
    fmt = _format(args, out)
    if fmt not in TIMELESS_FORMATS:
        return _run(args, kind, out, fmt, all_units=args.all_units)

    def made(status: Status) -> bytes:
        from companion.exports.run import matrix_bytes

        return matrix_bytes(status, kind, fmt, all_units=args.all_units)

    with remembered(args, f"{kind}-{fmt}", bool(args.all_units)) as report:
        portfolio = report.portfolio
        try:
            check_output(out, portfolio)
            data = report.kept() or report.make(made)
        except ExportError as exc:
            raise CommandError(str(exc)) from None
        try:
            atomic_write(out, data)
        except OSError as exc:
            raise CommandError(f"{out} could not be written: {exc.strerror or exc}") from None
        remember_output(out, portfolio)
    print(f"wrote {out}")
    return 0


def cmd_export_progress(args: argparse.Namespace) -> int:
    """Write the progress JSON for a tutor (and the report to read, with --html or --pdf)."""
    return _run(
        args,
        "progress",
        Path(args.out),
        with_notes=args.with_notes,
        html=args.html,
        pdf=args.pdf,
    )


def cmd_export_bundle(args: argparse.Namespace) -> int:
    """Write the EPA bundle, or with --verify check one: 0 good, 1 refused or changed."""
    from companion.exports.bundle_verify import verify

    if args.verify:
        if args.portfolio or args.out or args.draft:
            raise CommandError(
                "--verify takes only the bundle: companion export bundle --verify NAME.zip"
            )
        checked = verify(Path(args.verify))
        manifest = checked.manifest
        draft = " (DRAFT)" if manifest.get("draft") else ""
        print(
            f"{Path(args.verify).name}: {checked.files} files and the manifest, for "
            f"{manifest.get('learner') or 'an unnamed learner'}, made {manifest.get('made')} "
            f"by {manifest.get('generator')}{draft}"
        )
        for problem in checked.problems:
            print(f"  {problem}")
        print(
            "verified: every file matches the manifest"
            if not checked.problems
            else f"{len(checked.problems)} problem(s)"
        )
        return 1 if checked.problems else 0
    if not args.portfolio or not args.out:
        raise CommandError("give the portfolio and --out NAME.zip (or --verify NAME.zip)")
    from companion.assessment.status import build_status
    from companion.exports.run import run_export

    out = Path(args.out)
    portfolio = open_portfolio(Path(args.portfolio), args)
    portfolio.close()
    try:
        run_export(build_status(portfolio), "bundle", out, draft=args.draft)
    except ExportError as exc:
        raise CommandError(exc.message, exc.exit_status) from None
    with zipfile.ZipFile(out) as archive:
        names = archive.namelist()
        evidence = json.loads(archive.read("MANIFEST.json")).get("evidence", 0)
    draft = " (DRAFT)" if args.draft else ""
    print(f"wrote {out}: {len(names)} files, {evidence} pieces of evidence{draft}")
    return 0
