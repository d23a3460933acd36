"""The one place the app asks what day and time it is, so tests (and snapshots) can fix it.

Days to gateway, evidence dated in the future, tag timestamps and export times all depend on
the clock. Everything asks ``today()`` or ``now()`` here; ``set_clock`` (tests only, or the
``COMPANION_TODAY`` environment variable for a reproducible session) pins it.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from contextlib import contextmanager

_fixed: dt.datetime | None = None


def _from_environment() -> dt.datetime | None:
    value = os.environ.get("COMPANION_TODAY", "").strip()
    if not value:
        return None
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def now() -> dt.datetime:
    """The current time, aware, in UTC."""
    fixed = _fixed or _from_environment()
    return fixed.astimezone(dt.UTC) if fixed else dt.datetime.now(dt.UTC)


def local_now() -> dt.datetime:
    """The current time in the local time zone, to the second (for ``tagged`` stamps)."""
    return now().astimezone().replace(microsecond=0)


def today() -> dt.date:
    """Today's date where the learner is."""
    fixed = _fixed or _from_environment()
    if fixed is not None:
        return fixed.date()
    return dt.date.today()


def set_clock(moment: dt.datetime | dt.date | None) -> None:
    """Pin the clock to ``moment`` (a date means noon UTC that day); ``None`` frees it."""
    global _fixed
    if isinstance(moment, dt.date) and not isinstance(moment, dt.datetime):
        moment = dt.datetime(moment.year, moment.month, moment.day, 12, tzinfo=dt.UTC)
    if moment is not None and moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    _fixed = moment


@contextmanager
def fixed_clock(moment: dt.datetime | dt.date) -> Iterator[None]:
    """Pin the clock for a block."""
    previous = _fixed
    set_clock(moment)
    try:
        yield
    finally:
        set_clock(previous)
