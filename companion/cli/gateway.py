"""Handlers for the gateway commands of the CLI: ``gateway`` and ``proposal``."""

from __future__ import annotations

import argparse
from pathlib import Path

from companion import clock
from companion.assessment.funding import termed
from companion.assessment.gateway import FAIL, PASS, blocking, gateway_check
from companion.assessment.proposal import ProposalSummary, proposal_ksbs, read_summary, save_summary
from companion.assessment.status import build_status
from companion.cli.common import CommandError, open_portfolio, print_json
from companion.exports.output import check_output, remember_output
from companion.exports.proposal import SUMMARY_FORMATS, write_summary
from companion.notes.file import NoteReadError
from companion.notes.writer import NoteWriteError
from companion.portfolio.portfolio import Portfolio

_MARKS = {PASS: "PASS", FAIL: "FAIL", "warn": "WARN"}


def cmd_gateway(args: argparse.Namespace) -> int:
    """Print the readiness checklist; exit 1 while anything blocks gateway."""
    portfolio = open_portfolio(Path(args.portfolio), args)
    content = portfolio.content
    if not content.has_gateway:
        portfolio.close()
        title = content.standard.title
        if args.json:
            print_json({"gateway": False, "ready": None, "items": []})
        else:
            print(f"{title} has no end-point assessment gateway to check.")
        return 0
    status = build_status(portfolio)
    portfolio.close()
    items = gateway_check(status)
    blocked = blocking(items)
    if args.json:
        document = {"gateway": True, "ready": not blocked, "items": [i.to_json() for i in items]}
        print_json(document)
    else:
        today = clock.today()
        gateway = termed(content, portfolio.profile, today, "gateway", "gateway")
        if gateway != "gateway":
            print(termed(content, portfolio.profile, today, "Gateway", "gateway") + "\n")
        for item in items:
            print(f"{_MARKS[item.state]}  {item.label}\n      {item.reason}")
        print(
            f"\nready for {gateway}"
            if not blocked
            else f"\nnot ready: {len(blocked)} item(s) block {gateway}"
        )
    return 1 if blocked else 0


def _summary(portfolio: Portfolio) -> ProposalSummary:
    try:
        return read_summary(
            portfolio.root,
            portfolio.profile.proposal_summary,
            portfolio.content,
            portfolio.profile.word_count,
        )
    except NoteReadError as exc:
        raise CommandError(exc.message) from None


def _parse_sections(pairs: list[str], summary: ProposalSummary) -> dict[str, str]:
    known = {s.section.id for s in summary.sections}
    texts: dict[str, str] = {}
    for pair in pairs:
        section_id, sep, text = pair.partition("=")
        if not sep or section_id.strip() not in known:
            raise CommandError(
                f"--section takes ID=TEXT with ID one of {', '.join(sorted(known))}; got '{pair}'"
            )
        texts[section_id.strip()] = text.replace("\\n", "\n")
    return texts


def _export(summary: ProposalSummary, out: Path, fmt: str | None, portfolio: Portfolio) -> None:
    fmt = (fmt or out.suffix.lstrip(".")).lower()
    if fmt == "markdown":
        fmt = "md"
    if fmt not in SUMMARY_FORMATS:
        raise CommandError(f"export format must be one of {', '.join(SUMMARY_FORMATS)}")
    if not summary.exists:
        raise CommandError(f"there is no summary at {summary.relative} to export yet")
    check_output(out, portfolio)
    try:
        write_summary(summary, out, fmt, portfolio.profile.learner)
    except OSError as exc:
        raise CommandError(f"{out} could not be written: {exc.strerror or exc}") from None
    remember_output(out, portfolio)


def _summary_text(summary: ProposalSummary, ksbs: list[tuple[str, str]]) -> str:
    lines = [
        f"{summary.title or '(no title yet)'}",
        f"{summary.relative}{'' if summary.exists else ' (not written yet)'}",
        f"{summary.words}/{summary.cap} words" + ("  OVER THE LIMIT" if summary.over_cap else ""),
        "",
    ]
    for section in summary.sections:
        mark = " " if section.words else "-"
        lines.append(f"{mark} {section.section.title:<24} {section.words:>4} words")
    if summary.missing:
        lines.append(f"\nsections missing: {', '.join(summary.missing)}")
    if ksbs:
        lines.append(f"\nthe proposal will have to show: {', '.join(code for code, _ in ksbs)}")
    return "\n".join(lines)


def cmd_proposal(args: argparse.Namespace) -> int:
    """Print (or set, or export) the proposal summary; exit 1 when it is over the cap."""
    portfolio = open_portfolio(Path(args.portfolio), args)
    portfolio.close()
    if not portfolio.content.standard.proposal_sections:
        raise CommandError(f"{portfolio.content.standard.title} has no proposal summary to plan", 1)
    summary = _summary(portfolio)
    if args.title is not None or args.section:
        texts = _parse_sections(args.section or [], summary)
        title = args.title if args.title is not None else summary.title
        try:
            summary = save_summary(
                summary,
                title,
                texts,
                portfolio.content,
                learner=portfolio.profile.learner,
                rules=portfolio.profile.word_count,
            )
        except NoteWriteError as exc:
            raise CommandError(f"not saved: {exc}") from None
    if args.export:
        _export(summary, Path(args.export), args.format, portfolio)
    ksbs = proposal_ksbs(portfolio.content)
    if args.json:
        document = summary.to_json() | {"ksbs": [code for code, _ in ksbs]}
        print_json(document)
    else:
        print(_summary_text(summary, ksbs))
        if args.export:
            print(f"\nwrote {args.export}")
    return 1 if summary.over_cap else 0
