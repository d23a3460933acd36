"""Handlers for ``companion export``: the evidence matrices and the tutor's progress export."""

from __future__ import annotations

import argparse
import json
import zipfile
from pathlib import Path

from companion.assessment.status import build_status
from companion.cli.common import CommandError, open_portfolio
from companion.documents.writers import FORMATS
from companion.exports.output import ExportError
from companion.exports.run import run_export


def _format(args: argparse.Namespace, out: Path) -> str:
    fmt = (args.format or out.suffix.lstrip(".")).lower()
    fmt = {"markdown": "md", "htm": "html"}.get(fmt, fmt)
    if fmt not in FORMATS:
        raise CommandError(f"--format must be one of {', '.join(FORMATS)} (or use such a suffix)")
    return fmt


def _run(args: argparse.Namespace, kind: str, out: Path, fmt: str = "md", **options: bool) -> int:
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
