"""Build the records of many changed notes, on every core that is free.

Reading a note is mostly CPU (YAML, word counts, scans), so a first index of a large
portfolio is shared between this process and one worker per further core. Each worker is a
fresh interpreter running ``python -m companion.portfolio.index_worker``: nothing is forked
from the app's threads and the caller's own script is never re-run in a worker (as
multiprocessing's "spawn" would do).

The notes are handed out in small chunks from one queue, to this process and to each worker
as it asks for more, so a worker that gets little CPU (the other core busy) simply takes
fewer chunks: the work never waits on it.
Workers start only for enough notes to pay for their start-up, and whatever they do not
deliver is built in this process, so the result never depends on whether the machine allows
subprocesses.

A build can be stopped (the app closing during a first index of many notes): no chunk is
handed out after ``stopped()`` says so, and the records built until then are returned.
Ctrl-C stops it too: ``BuildInterrupted`` carries the records built until then, for the
caller to keep.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import IO

import companion
from companion.evidence.cache import ExtractionCache
from companion.notes.record import NoteRecord, build_record
from companion.text.mentions import Spellings
from companion.text.word_rules import WordCountRules

PARALLEL_FROM = 2000
"""Fewer changed notes than this are built in-process: workers would not pay for themselves."""
CHUNK = 100
"""Notes per chunk handed out: small enough to balance, large enough to pickle cheaply."""

WORKER_PATIENCE = 30.0
"""Seconds to wait for the workers' last chunks once the queue is empty, before building
what they still hold here."""

Progress = Callable[[int], None]


class BuildInterrupted(KeyboardInterrupt):
    """Ctrl-C during a build; ``built`` holds the records finished before it."""

    def __init__(self, built: dict[str, NoteRecord]) -> None:
        super().__init__()
        self.built = built


def usable_cores() -> int:
    """Cores this process may run on.

    Busy cores count too: with the other core busy, a worker still takes its share of that
    core's time from whatever keeps it busy, so two processes finish sooner than one (10,000
    notes: 7.3 s against 8.1 s with a busy loop on the other core, 4.8 s against 9.9 s
    without), and the shared queue means a worker given no time only takes fewer chunks.
    The load average is no guide: a minute of this very command makes it look busy.
    """
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def worker_count(jobs: int) -> int:
    """How many processes to use for ``jobs`` notes: 1 means build in-process."""
    if jobs < PARALLEL_FROM:
        return 1
    return max(1, min(usable_cores(), 8))


class _Queue:
    """Chunks of notes, taken by whichever builder is free first, until none are left or
    ``stopped()`` is true."""

    def __init__(self, relatives: list[str], stopped: Callable[[], bool] | None) -> None:
        self._chunks = deque(relatives[i : i + CHUNK] for i in range(0, len(relatives), CHUNK))
        self._lock = threading.Lock()
        self._halted = False
        self._stopped = stopped or (lambda: False)

    def stopped(self) -> bool:
        return self._halted or self._stopped()

    def halt(self) -> None:
        """Hand out nothing more (Ctrl-C)."""
        self._halted = True

    def take(self) -> list[str] | None:
        if self.stopped():
            return None
        with self._lock:
            return self._chunks.popleft() if self._chunks else None


def build_records(
    root: Path,
    relatives: list[str],
    rules: WordCountRules,
    progress: Progress | None = None,
    *,
    workers: int | None = None,
    stopped: Callable[[], bool] | None = None,
    files: Path | None = None,
    spellings: Spellings | None = None,
) -> dict[str, NoteRecord]:
    """Records for ``relatives`` (paths below ``root``); ``progress(n)`` after each n built.

    Once ``stopped()`` is true no more are started: the records built so far are returned.
    On Ctrl-C the workers are stopped and ``BuildInterrupted`` raised with those records.
    ``files`` is the folder where what was read from evidence files is kept
    (``companion.evidence.cache``), shared with the workers; ``spellings`` the other names
    of what tags claim (``companion.notes.record.unmentioned``).
    """
    reader = ExtractionCache(files).read
    count = worker_count(len(relatives)) if workers is None else workers
    built: dict[str, NoteRecord] = {}
    lock = threading.Lock()

    def take(batch: list[NoteRecord]) -> None:
        with lock:
            for record in batch:
                if isinstance(record, NoteRecord):
                    built[record.path] = record
            if progress is not None:
                progress(len(batch))

    queue = _Queue(relatives, stopped)
    helpers: list[_Worker] = []
    if count > 1:
        for _ in range(count - 1):
            with contextlib.suppress(OSError):  # no subprocesses here: build in-process
                helpers.append(_Worker(root, rules, queue, take, files, spellings))
    try:
        try:
            while (chunk := queue.take()) is not None:
                take([build_record(root / rel, rel, rules, reader, spellings) for rel in chunk])
            deadline = time.monotonic() + WORKER_PATIENCE
            for helper in helpers:
                helper.join(max(0.0, deadline - time.monotonic()))
        except KeyboardInterrupt:
            queue.halt()  # before the workers stop: none takes another chunk
            raise
        finally:
            for helper in helpers:
                helper.stop()
        if queue.stopped():
            return built
        for rel in relatives:  # what a worker took but did not deliver (it died)
            if rel not in built:
                take([build_record(root / rel, rel, rules, reader, spellings)])
    except KeyboardInterrupt:
        with lock:
            raise BuildInterrupted(dict(built)) from None
    return built


def _worker_env() -> dict[str, str]:
    """The parent's environment, with this copy of companion first on the import path."""
    env = dict(os.environ)
    source = str(Path(companion.__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (source, env.get("PYTHONPATH")) if p)
    return env


class _Worker:
    """One worker process and the thread that feeds it chunks and takes its records."""

    def __init__(
        self,
        root: Path,
        rules: WordCountRules,
        queue: _Queue,
        take: Callable[[list[NoteRecord]], None],
        files: Path | None = None,
        spellings: Spellings | None = None,
    ) -> None:
        self.spellings = spellings
        self.process = subprocess.Popen(
            [sys.executable, "-m", "companion.portfolio.index_worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=_worker_env(),
        )
        self.queue, self.take = queue, take
        self.files = files
        self.thread = threading.Thread(target=self._run, args=(root, rules), daemon=True)
        self.thread.start()

    def _run(self, root: Path, rules: WordCountRules) -> None:
        stdin, stdout = self.process.stdin, self.process.stdout
        assert stdin is not None and stdout is not None
        # The first chunk is claimed before the set-up message is written: the calling thread
        # builds from the same queue meanwhile, and a small scan would be over before then.
        chunk = self.queue.take()
        try:
            folder = str(self.files) if self.files is not None else None
            groups = self.spellings.groups if self.spellings is not None else None
            pickle.dump((str(root), rules, folder, groups), stdin, protocol=pickle.HIGHEST_PROTOCOL)
            while chunk is not None:
                pickle.dump(chunk, stdin, protocol=pickle.HIGHEST_PROTOCOL)
                stdin.flush()
                batch = _receive(stdout)
                if batch is None:
                    return  # the worker died: the parent builds what it held
                self.take(batch)
                chunk = self.queue.take()
            pickle.dump(None, stdin)
            stdin.flush()
        except (OSError, ValueError):
            return

    def join(self, timeout: float) -> None:
        self.thread.join(timeout)

    def stop(self) -> None:
        process = self.process
        if self.thread.is_alive():
            process.kill()  # still busy past the patience: what it holds is built here
        with contextlib.suppress(OSError):
            if process.stdin is not None:
                process.stdin.close()
        try:
            process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        self.thread.join(2)
        if process.stdout is not None:
            process.stdout.close()


def _receive(stream: IO[bytes]) -> list[NoteRecord] | None:
    try:
        batch = pickle.load(stream)
    except (EOFError, pickle.UnpicklingError, OSError, ValueError, TypeError):
        return None
    return batch if isinstance(batch, list) else None
