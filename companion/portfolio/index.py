"""Build the records of many changed notes, on every core when there are enough of them.

Reading a note is mostly CPU (YAML, word counts, rules), so a first index of a large
portfolio is shared between this process and one worker per further core. Each worker is a
fresh interpreter running ``python -m companion.portfolio.index_worker``: nothing is forked from the
app's threads and the caller's own script is never re-run in a worker (as multiprocessing's
"spawn" would do). Workers are used only when the work outweighs their start-up (about a
fifth of a second), and whatever they do not deliver is built in this process, so the result
never depends on whether the machine allows subprocesses.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import IO

import companion
from companion.notes.record import NoteRecord, build_record
from companion.text.wordcount import WordCountRules

PARALLEL_FROM = 2000
"""Fewer changed notes than this are built in-process: workers would not pay for themselves."""
CHUNK = 250
"""Notes per batch a worker sends back: smooth progress, cheap pickling."""

HEAD_START = 400
"""Notes this process builds before its share begins: what a worker's start-up would cost."""

Progress = Callable[[int], None]


def worker_count(jobs: int) -> int:
    """How many processes to use for ``jobs`` notes: 1 means build in-process."""
    cores = os.cpu_count() or 1
    if cores < 2 or jobs < PARALLEL_FROM:
        return 1
    return min(cores, 8)


def build_records(
    root: Path,
    relatives: list[str],
    rules: WordCountRules,
    progress: Progress | None = None,
    *,
    workers: int | None = None,
) -> dict[str, NoteRecord]:
    """Records for ``relatives`` (paths below ``root``); ``progress(n)`` after each n built."""
    count = worker_count(len(relatives)) if workers is None else workers
    built: dict[str, NoteRecord] = {}
    if count > 1:
        # No subprocesses here (a sandbox, no interpreter)? Finish in-process below.
        with contextlib.suppress(OSError):
            _build_in_workers(root, relatives, rules, count, built, progress)
    for rel in relatives:
        if rel not in built:
            built[rel] = build_record(root / rel, rel, rules)
            if progress is not None:
                progress(1)
    return built


def _worker_env() -> dict[str, str]:
    """The parent's environment, with this copy of companion first on the import path."""
    env = dict(os.environ)
    source = str(Path(companion.__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (source, env.get("PYTHONPATH")) if p)
    return env


def _build_in_workers(
    root: Path,
    relatives: list[str],
    rules: WordCountRules,
    count: int,
    built: dict[str, NoteRecord],
    progress: Progress | None,
) -> None:
    lock = threading.Lock()

    def take(batch: list[NoteRecord]) -> None:
        with lock:
            for record in batch:
                if isinstance(record, NoteRecord):
                    built[record.path] = record
            if progress is not None:
                progress(len(batch))

    def receive(stream: IO[bytes]) -> None:
        """Take batches until the worker closes its output (or sends something broken)."""
        while True:
            try:
                batch = pickle.load(stream)
            except (EOFError, pickle.UnpicklingError, OSError, ValueError, TypeError):
                return
            if not isinstance(batch, list):
                return
            take(batch)

    # This process takes one share itself, larger by what it builds while the workers start.
    head = min(len(relatives), HEAD_START)
    own, *shares = [relatives[head + i :: count] for i in range(count)]
    own = relatives[:head] + own
    processes: list[subprocess.Popen[bytes]] = []
    readers: list[threading.Thread] = []
    try:
        for share in filter(None, shares):
            process = subprocess.Popen(
                [sys.executable, "-m", "companion.portfolio.index_worker"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env=_worker_env(),
            )
            processes.append(process)
            assert process.stdout is not None and process.stdin is not None
            reader = threading.Thread(target=receive, args=(process.stdout,), daemon=True)
            reader.start()
            readers.append(reader)
            job = (str(root), share, rules, CHUNK)
            try:
                pickle.dump(job, process.stdin, protocol=pickle.HIGHEST_PROTOCOL)
                process.stdin.close()
            except OSError:
                continue  # that worker died at start: its share is built in-process
        for start in range(0, len(own), CHUNK):
            take([build_record(root / rel, rel, rules) for rel in own[start : start + CHUNK]])
        for reader in readers:
            reader.join()
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
            process.wait()
            if process.stdout is not None:
                process.stdout.close()
