"""A worker for ``companion.portfolio.index``: reads a job on stdin, sends records on stdout.

The job is one pickle from the parent process (portfolio root, the notes to read, the
word-count rules, the batch size); the answer is a pickled list of records per
batch, so the parent can show progress while the worker goes on.
"""

from __future__ import annotations

import pickle
import sys
from pathlib import Path

from companion.notes.record import build_record


def main() -> None:
    """Build the records of the notes named in the job, batch by batch."""
    root, relatives, rules, batch = pickle.load(sys.stdin.buffer)
    base = Path(root)
    out = sys.stdout.buffer
    for start in range(0, len(relatives), batch):
        records = [build_record(base / rel, rel, rules) for rel in relatives[start : start + batch]]
        pickle.dump(records, out, protocol=pickle.HIGHEST_PROTOCOL)
        out.flush()


if __name__ == "__main__":
    main()
