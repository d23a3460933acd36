"""Bringing a tutor's feedback file into the apprentice's portfolio, and reading it back.

The imported file is the apprentice's to keep: it goes in the portfolio's ``feedback``
folder under a name made only from its export's date, whatever the file itself says, so a
hostile file cannot choose where it lands.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass
from pathlib import Path

from companion import clock
from companion.content.model import Content
from companion.files import UnsafeWrite, atomic_write
from companion.portfolio.layout import FEEDBACK_FOLDER
from companion.portfolio.profile import Profile
from companion.review.feedback import (
    FEEDBACK_SUFFIX,
    MAX_FEEDBACK_BYTES,
    Feedback,
    FeedbackError,
    read_feedback,
)
from companion.review.untrusted_json import read_capped


@dataclass(frozen=True)
class ImportResult:
    path: Path
    feedback: Feedback
    outcome: str  # added | replaced | unchanged


def _known_acs(content: Content) -> set[str]:
    return {c.id for c in content.criteria}


def _stamp(feedback: Feedback) -> str:
    for value in (feedback.export_generated, feedback.updated):
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            continue
        return moment.strftime("%Y-%m-%d-%H%M%S")
    return clock.today().isoformat()


def import_feedback(
    source: Path, portfolio: Path, content: Content, profile: Profile, *, force: bool = False
) -> ImportResult:
    """Check ``source`` and copy it, normalised, into ``portfolio/feedback/``."""
    incoming = read_feedback(source, _known_acs(content)).feedback
    if profile.learner and incoming.learner.casefold() != profile.learner.casefold() and not force:
        raise FeedbackError(
            f"{source.name} is feedback for '{incoming.learner[:80]}', but this portfolio is "
            f"{profile.learner}'s; use --force if that is right"
        )
    folder = portfolio / FEEDBACK_FOLDER
    target = folder / f"{_stamp(incoming)}{FEEDBACK_SUFFIX}"
    root = portfolio.resolve()
    if folder.exists() and not folder.resolve().is_relative_to(root):
        raise FeedbackError(f"{folder} points outside the portfolio; refusing to write there")
    data = (json.dumps(incoming.to_json(), indent=2, ensure_ascii=False) + "\n").encode()
    outcome = "added"
    if os.path.lexists(target):
        if read_capped(target, MAX_FEEDBACK_BYTES, FeedbackError) == data:
            return ImportResult(target, incoming, "unchanged")
        current = read_feedback(target).feedback
        if current.updated > incoming.updated:
            raise FeedbackError(
                f"{target.name} already holds newer feedback on the same export "
                f"(updated {current.updated}); nothing changed"
            )
        outcome = "replaced"
    try:
        folder.mkdir(exist_ok=True)
        atomic_write(target, data, within=portfolio)
    except UnsafeWrite as exc:
        raise FeedbackError(exc.message) from None
    except OSError as exc:
        raise FeedbackError(f"cannot write {target}: {exc.strerror or exc}") from None
    return ImportResult(target, incoming, outcome)


@dataclass(frozen=True)
class PortfolioFeedback:
    """The newest imported feedback, and any feedback files that could not be read."""

    current: Feedback | None
    path: Path | None
    problems: tuple[str, ...] = ()


def portfolio_feedback(portfolio: Path, content: Content) -> PortfolioFeedback:
    """Read every imported feedback file; the newest export's feedback is the current one."""
    folder = portfolio / FEEDBACK_FOLDER
    if not folder.is_dir():
        return PortfolioFeedback(None, None)
    known = _known_acs(content)
    found: list[tuple[str, str, Path, Feedback]] = []
    problems: list[str] = []
    for path in sorted(folder.glob(f"*{FEEDBACK_SUFFIX}")):
        try:
            feedback = read_feedback(path, known).feedback
        except FeedbackError as exc:
            problems.append(str(exc))
            continue
        found.append((feedback.export_generated, feedback.updated, path, feedback))
    if not found:
        return PortfolioFeedback(None, None, tuple(problems))
    _, _, path, feedback = max(found, key=lambda item: (item[0], item[1], str(item[2])))
    return PortfolioFeedback(feedback, path, tuple(problems))
