"""The details an assessor enters once per cohort: their name and the centre's.

A Results Sheet needs the centre number and name and the assessor's name for every
apprentice, and the learner's registration number for each. The three cohort-wide ones live
in ``companion-cohort.yaml`` in the cohort's folder (a file the tutor may edit, share with
a co-assessor, or keep with the cohort), so they are typed once, not per apprentice. The
registration number is each apprentice's own and stays in their feedback file. A feedback
file's own values win; the cohort's fill what it leaves blank.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields, replace
from pathlib import Path

from companion.files import NotRegularFile, UnsafeWrite, atomic_write, read_regular
from companion.notes.front_matter import FrontMatterError, load_front_matter
from companion.portfolio.layout import COHORT_FILE as COHORT_FILE
from companion.review.feedback import Feedback, FeedbackError, header_value
from companion.text.values import key_lines, unknown_key

MAX_COHORT_BYTES = 64 * 1024
LOOK_UP = 4
"""How many folders above an export are searched for the cohort's file."""


@dataclass(frozen=True)
class CohortDetails:
    """The assessor and centre every Results Sheet of the cohort names."""

    assessor: str = ""
    centre_name: str = ""
    centre_number: str = ""

    @property
    def empty(self) -> bool:
        return not (self.assessor or self.centre_name or self.centre_number)


FIELDS = tuple(f.name for f in fields(CohortDetails))
LABELS = {"assessor": "assessor", "centre_name": "centre name", "centre_number": "centre number"}


def cohort_folder(paths: list[Path]) -> Path:
    """The folder whose details apply: the first folder given, or the first file's folder."""
    first = paths[0]
    return first if first.is_dir() else first.parent


def read_details(folder: Path) -> CohortDetails:
    """The details saved for a cohort folder (empty when there are none yet)."""
    path = folder / COHORT_FILE
    if not path.exists() and not path.is_symlink():
        return CohortDetails()
    try:
        raw = read_regular(path, MAX_COHORT_BYTES)
    except (OSError, NotRegularFile) as exc:
        raise FeedbackError(f"{COHORT_FILE} cannot be read: {exc}") from None
    if len(raw) > MAX_COHORT_BYTES:
        raise FeedbackError(f"{COHORT_FILE} is larger than {MAX_COHORT_BYTES // 1024} KB")
    try:  # bounded in depth and size, a key given twice refused, 0123 kept as typed
        text = raw.decode("utf-8-sig")
        data = load_front_matter(text, unique_keys=True) or {}
    except UnicodeDecodeError:
        raise FeedbackError(f"{COHORT_FILE} is not UTF-8 text") from None
    except FrontMatterError as exc:
        where = f" at line {exc.line}" if exc.line else ""
        raise FeedbackError(f"{COHORT_FILE} is not readable YAML{where}: {exc.message}") from None
    if not isinstance(data, dict):
        raise FeedbackError(f"{COHORT_FILE} should hold assessor, centre_name and centre_number")
    unknown = [str(k) for k in data if k not in FIELDS]
    if unknown:
        line = key_lines(text).get(unknown[0], 0)
        raise FeedbackError(unknown_key(unknown[0], FIELDS, COHORT_FILE, line))
    values = {}
    for key in FIELDS:
        value = data.get(key)
        if value is None:
            value = ""
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)  # a centre number written without quotes
        if not isinstance(value, str):
            raise FeedbackError(f"{COHORT_FILE}: {key} should be text")
        values[key] = header_value(value, f"{COHORT_FILE} {LABELS[key]}")
    return CohortDetails(**values)


def find_details(start: Path) -> CohortDetails:
    """The details of the nearest cohort folder at or above ``start`` (a file or folder)."""
    folder = start if start.is_dir() else start.parent
    for candidate in [folder, *folder.parents][:LOOK_UP]:
        if (candidate / COHORT_FILE).exists():
            return read_details(candidate)
    return CohortDetails()


def checked(details: CohortDetails) -> CohortDetails:
    """The details as typed, each one line, spaces tidied; raises FeedbackError."""
    return CohortDetails(
        **{key: header_value(getattr(details, key), LABELS[key]) for key in FIELDS}
    )


def save_details(folder: Path, details: CohortDetails) -> Path:
    """Write the cohort's details (atomically, never through a link)."""
    details = checked(details)
    # JSON's quoted strings are YAML's too: a centre number stays text, "0123" keeps its 0.
    text = "# The assessor and centre for this cohort's Results Sheets (companion review).\n"
    text += "".join(
        f"{key}: {json.dumps(getattr(details, key), ensure_ascii=False)}\n" for key in FIELDS
    )
    path = folder / COHORT_FILE
    try:
        atomic_write(path, text.encode("utf-8"), within=folder)
    except UnsafeWrite as exc:
        raise FeedbackError(exc.message) from None
    except OSError as exc:
        raise FeedbackError(f"{COHORT_FILE} cannot be written ({exc.strerror or exc})") from None
    return path


def with_details(feedback: Feedback, details: CohortDetails) -> Feedback:
    """The feedback with the cohort's details filling the fields it leaves blank."""
    blanks = {key: getattr(details, key) for key in FIELDS if not getattr(feedback, key)}
    return replace(feedback, **{k: v for k, v in blanks.items() if v})
