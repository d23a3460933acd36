"""A worker for ``companion.portfolio.index``: builds the records of the chunks it is sent.

The parent sends one pickle naming the portfolio root, the word-count rules, the folder of
read evidence files (``companion.evidence.cache``) and the glossary's groups of spellings,
then one chunk of note paths at a time; the worker answers each with a pickled list of records and
waits for the next, until it is sent ``None`` or its input closes.
"""

from __future__ import annotations

import pickle
import sys
from pathlib import Path

from companion.evidence.cache import ExtractionCache
from companion.notes.record import build_record
from companion.text.mentions import Spellings


def main() -> None:
    """Answer chunks until there are no more."""
    source, out = sys.stdin.buffer, sys.stdout.buffer
    root, rules, files, groups = pickle.load(source)
    spellings = Spellings(groups) if groups is not None else None
    base = Path(root)
    reader = ExtractionCache(Path(files) if files else None).read
    while True:
        try:
            chunk = pickle.load(source)
        except EOFError:
            return
        if chunk is None:
            return
        records = [build_record(base / rel, rel, rules, reader, spellings) for rel in chunk]
        pickle.dump(records, out, protocol=pickle.HIGHEST_PROTOCOL)
        out.flush()


if __name__ == "__main__":
    main()
