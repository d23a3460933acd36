"""What a note's flags and a printed status depend on, told without loading the engine.

``flags_key`` keys each note's flags in the index; ``memo_key`` keys the status
``companion status`` last printed. Both hash the code by its files
(``companion.code_key``), so an unchanged status is printed again after a walk of the
notes and one read, without importing the rules or the progress engine.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import re
from typing import TYPE_CHECKING

from companion import clock
from companion.code_key import FLAGS_CODE, STATUS_CODE, source_key
from companion.portfolio.layout import FEEDBACK_FOLDER

_HEAD = re.compile(rb'\{\s*"schema":\s*"[^"\\]*",\s*"generated":\s*"([^"\\]*)"')
"""The head of a status document (``companion.assessment.status.status_json``)."""

if TYPE_CHECKING:
    from companion.portfolio.library import ReferenceLibrary
    from companion.portfolio.note_index import Survey
    from companion.portfolio.portfolio import Portfolio
    from companion.portfolio.profile import Profile


def flags_key(
    content: str, profile: Profile, today: dt.date, library: ReferenceLibrary | None = None
) -> str:
    """What one note's flags depend on besides the note: the framework (its ``fingerprint``,
    ``content``), the profile, the day (evidence dated in the future), the reference
    library and the code of the rules. '' when the content has no fingerprint, which turns
    caching off."""
    if not content:
        return ""
    stamp = library.fingerprint if library is not None else ""
    parts = (content, repr(profile), today.isoformat(), stamp, source_key(FLAGS_CODE))
    return hashlib.sha256("\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:24]


def feedback_stamp(portfolio: Portfolio) -> str:
    """The names, sizes and times of the imported feedback files."""
    folder = portfolio.root / FEEDBACK_FOLDER
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return ""
    parts = []
    for entry in entries:
        with contextlib.suppress(OSError):
            info = entry.stat(follow_symlinks=False)
            parts.append(f"{entry.name}:{info.st_mtime_ns}:{info.st_size}")
    return "|".join(parts)


def memo_key(
    portfolio: Portfolio, survey: Survey, kind: str, code: tuple[str, ...] = STATUS_CODE
) -> str:
    """What a printed status (or a report made from one) depends on: the notes as walked,
    the profile, the content, imported feedback, the day and the code that works it out
    (``code``). '' turns the memo off."""
    flags = flags_key(
        portfolio.content_fingerprint, portfolio.profile, clock.today(), portfolio.library
    )
    if not flags:
        return ""
    parts = (kind, flags, survey.signature, feedback_stamp(portfolio), source_key(code))
    return hashlib.sha256("\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def with_generated_now(document: bytes) -> list[bytes | memoryview]:
    """A remembered status document, compact or indented, with ``generated`` set to now as
    a fresh one would be: in pieces, so a large document is written without a copy."""
    head = _HEAD.match(document)
    if head is None:
        return [document]
    now = clock.now().isoformat(timespec="seconds").encode("ascii")
    whole = memoryview(document)
    return [whole[: head.start(1)], now, whole[head.end(1) :]]
