"""Keys for what the app remembers, made from the source of the code that worked it out.

A remembered result (a note's record in the index, its flags, a printed status) is trusted
only while the code that produced it is unchanged. The keys hash that code's files by path
instead of importing it, so an unchanged ``companion status`` can tell that nothing changed
without loading the engine that would work the status out again.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from companion import __version__

PACKAGE = Path(__file__).resolve().parent

READER_CODE = ("evidence/",)
"""The code that reads an evidence file (``companion.evidence``): what it read is cached."""
RECORD_CODE = (
    "notes/",
    "text/",
    *READER_CODE,
    "content/digest.py",
    "content/ids.py",
    "content/model.py",
)
"""The code that reads a note into its record (``companion.notes.record.build_record``)."""
FLAGS_CODE = (
    *RECORD_CODE,
    "assessment/rules.py",
    "assessment/severity.py",
    "assessment/memo.py",
    "portfolio/library.py",
)
"""The code that works out a note's flags from its record."""
STATUS_CODE = (*RECORD_CODE, "assessment/", "review/", "portfolio/library.py")
"""The code that works out the status printed by ``companion status``."""
REPORT_CODE = (*STATUS_CODE, "views/", "exports/", "documents/", "cli/")
"""The code that makes what ``companion check``, ``notes`` and ``export matrix`` print or
write from a status (``companion.cli.remembered``)."""


@cache
def source_key(names: tuple[str, ...]) -> str:
    """A hash of the release and of the files ``names`` (paths below the package; a name
    ending in ``/`` is every module of that folder). Whole folders err on the safe side: a
    change to any module there makes the results it keys be worked out again."""
    digest = hashlib.sha256(__version__.encode())
    for name in names:
        files = sorted((PACKAGE / name).rglob("*.py")) if name.endswith("/") else [PACKAGE / name]
        for path in files:
            digest.update(b"\0" + path.relative_to(PACKAGE).as_posix().encode())
            try:
                digest.update(path.read_bytes())
            except OSError:
                digest.update(b"missing")
    return digest.hexdigest()[:16]
