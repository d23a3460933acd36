"""Handlers for the tutor's side: ``companion cohort``, ``feedback`` and ``export results``."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

from companion import clock
from companion.cli.common import CommandError, open_content, print_json
from companion.content.load import load_content
from companion.documents.writers import print_csv
from companion.portfolio.portfolio import Portfolio
from companion.review.cohort import CohortError, cohort_csv, cohort_text, load_cohort
from companion.review.cohort_details import (
    FIELDS,
    LABELS,
    checked,
    find_details,
    read_details,
    save_details,
    with_details,
)
from companion.review.feedback import (
    DECISION_LABELS,
    DECISIONS,
    FEEDBACK_SUFFIX,
    FeedbackError,
    header_value,
    open_feedback,
    read_feedback,
    save_feedback,
)
from companion.review.feedback_import import import_feedback
from companion.review.progress_file import ExportFileError, LearnerExport, read_progress_export
from companion.review.results_sheet import (
    RESULT_FORMATS,
    ResultsError,
    results_document,
    write_results,
)


def cmd_cohort(args: argparse.Namespace) -> int:
    """Print the cohort table: one row per progress export found."""
    try:
        cohort = load_cohort([Path(p) for p in args.paths])
    except CohortError as exc:
        raise CommandError(str(exc)) from None
    rows = cohort.sorted(args.sort, reverse=args.reverse)
    if args.json:
        print_json({"cohort": [r.to_json() for r in rows]})
    elif args.csv:
        print_csv(cohort_csv(rows))
    else:
        print(cohort_text(rows))
    return 0


def _export(path: Path) -> LearnerExport:
    try:
        return read_progress_export(path)
    except ExportFileError as exc:
        raise CommandError(str(exc)) from None


def cmd_feedback_record(args: argparse.Namespace) -> int:
    """Record decisions and feedback on an export, in the feedback file beside it."""
    export = _export(Path(args.export))
    try:
        file = open_feedback(export)
        feedback = file.feedback
        today = clock.today()
        if args.ac and not (args.decision or args.text is not None):
            raise CommandError("--ac needs --decision pass|referral|not-assessed, or --text")
        for ac in args.ac or []:
            if export.criterion(ac) is None:
                raise CommandError(f"'{ac}' is not an AC in {export.path.name}")
            decision = args.decision or feedback.on(ac).decision
            # A decision given is made on this export's evidence; feedback alone keeps the
            # evidence the decision was made on.
            seen = export.evidence_sha256(ac) if args.decision else None
            feedback.record(ac, decision, _text(args.text), today, seen)
        for item in args.unit_comment or []:
            unit, sep, text = item.partition("=")
            if not sep or unit not in {u["id"] for u in export.units}:
                raise CommandError(
                    f"--unit-comment wants UNIT=TEXT for a unit in the export, not '{item}'"
                )
            feedback.unit_comments[unit] = _text(text) or ""
        for key in ("assessor", "centre_number", "centre_name", "learner_registration"):
            value = getattr(args, key)
            if value is not None:
                setattr(feedback, key, header_value(value, key.replace("_", " ")))
        saved = save_feedback(file)
    except FeedbackError as exc:
        raise CommandError(str(exc)) from None
    print(f"wrote {saved.path}")
    return 0


def _text(value: str | None) -> str | None:
    return None if value is None else value.replace("\\n", "\n")


def cmd_feedback_show(args: argparse.Namespace) -> int:
    """Print the decisions in a feedback file (or the one beside an export)."""
    path = Path(args.file)
    try:
        if not path.name.endswith(FEEDBACK_SUFFIX):
            file = open_feedback(_export(path))
            if file.fingerprint is None:
                raise CommandError(f"no feedback yet on {path.name}")
        else:
            file = read_feedback(path)
    except FeedbackError as exc:
        raise CommandError(str(exc)) from None
    feedback = file.feedback
    if args.json:
        print_json(feedback.to_json())
        return 0
    counts = feedback.counts()
    print(
        f"{feedback.learner} — assessed by {feedback.assessor or '(assessor not named)'}, "
        f"updated {feedback.updated or 'never'}"
    )
    print(", ".join(f"{counts[d]} {DECISION_LABELS[d]}" for d in DECISIONS[:2]))
    for ac, entry in sorted(feedback.criteria.items()):
        print(f"\n{ac}  {DECISION_LABELS[entry.decision]}  {entry.date}")
        for line in entry.feedback.splitlines():
            print(f"    {line}")
    for unit, text in sorted(feedback.unit_comments.items()):
        print(f"\nunit {unit} comments: {text}")
    return 0


def cmd_feedback_import(args: argparse.Namespace) -> int:
    """Keep a tutor's feedback file in the portfolio, where the app shows it."""
    opened = Portfolio(Path(args.portfolio), open_content(args), use_store=False)
    result = import_feedback(
        Path(args.file), opened.root, opened.content, opened.profile, force=args.force
    )
    counts = result.feedback.counts()
    verb = {"added": "imported", "replaced": "updated", "unchanged": "already imported"}
    print(
        f"{verb[result.outcome]}: {result.path} ({counts['pass']} Pass, "
        f"{counts['referral']} Referral)"
    )
    return 0


def cmd_export_results(args: argparse.Namespace) -> int:
    """Write the Appendix E Results Sheet(s) from a feedback file."""
    out = Path(args.out)
    fmt = (args.format or out.suffix.lstrip(".")).lower()
    fmt = {"markdown": "md"}.get(fmt, fmt)
    if fmt not in RESULT_FORMATS:
        raise CommandError(f"--format must be one of {', '.join(RESULT_FORMATS)}")
    if not out.parent.is_dir():
        raise CommandError(f"{out.parent} is not a folder")
    try:
        feedback = read_feedback(Path(args.feedback)).feedback
        feedback = with_details(feedback, find_details(Path(args.feedback)))
        content = open_content(args) or load_content()
        write_results(results_document(feedback, content, args.unit or []), fmt, out)
    except (FeedbackError, ResultsError) as exc:
        raise CommandError(str(exc)) from None
    except OSError as exc:
        raise CommandError(f"cannot write {out}: {exc.strerror or exc}") from None
    print(f"wrote {out}")
    return 0


def cmd_feedback_cohort(args: argparse.Namespace) -> int:
    """Print the cohort's assessor and centre, or set those given (others are kept)."""
    folder = Path(args.folder)
    if not folder.is_dir():
        raise CommandError(f"{folder} is not a folder")
    try:
        details = read_details(folder)
        given = {key: getattr(args, key) for key in FIELDS if getattr(args, key) is not None}
        if given:
            details = checked(replace(details, **given))
            path = save_details(folder, details)
            print(f"wrote {path}", file=sys.stderr)
    except FeedbackError as exc:
        raise CommandError(str(exc)) from None
    if args.json:
        print_json({key: getattr(details, key) for key in FIELDS})
        return 0
    for key in FIELDS:
        label = LABELS[key].capitalize()
        print(f"{label + ':':15}{getattr(details, key) or '(not set)'}")
    return 0


def cmd_review(args: argparse.Namespace) -> int:
    """Open the tutor's review app on exports and folders of exports."""
    from companion.ui.review_app import ReviewApp

    paths = [Path(p) for p in args.paths]
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise CommandError(f"no such file or folder: {', '.join(missing)}")
    ReviewApp(paths).run()
    return 0
