"""A damaged file of the app's own is kept for inspection, and the app starts it afresh.

The note index, the search index and the app's state hold nothing the notes cannot rebuild,
so a file that cannot be read is never fatal. It is moved aside, not deleted, so that what
went wrong can still be looked at, and the learner is told in one plain sentence.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from companion import clock

SQLITE_SIDECARS = ("-wal", "-shm")
"""The files SQLite keeps beside a database in WAL mode: they belong to the damaged file."""


def move_aside(path: Path, what: str, problem: Exception, sidecars: tuple[str, ...] = ()) -> str:
    """Rename ``path`` to ``<stem>.corrupt-<time><suffix>`` and delete its ``sidecars``
    (``SQLITE_SIDECARS`` for a database); the warning to show.

    ``what`` names the file for the learner ("The search index").
    """
    stamp = clock.now().strftime("%Y%m%d-%H%M%S")
    aside = path.with_name(f"{path.stem}.corrupt-{stamp}{path.suffix}")
    with contextlib.suppress(OSError):  # gone already, or a read-only folder: start afresh
        os.replace(path, aside)
    for suffix in sidecars:
        with contextlib.suppress(OSError):
            os.unlink(f"{path}{suffix}")
    return (
        f"{what} was damaged ({problem}); it was moved to {aside.name} and is rebuilt "
        "from your notes. Your notes are not affected."
    )
