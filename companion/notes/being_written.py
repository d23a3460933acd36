"""Whether another program has a file open for writing: an editor in the middle of a save.

An editor that saves in place truncates the file and writes it in pieces. A note read
between two pieces is half a note that looks complete, and a write put in place over it
sends the editor's remaining pieces to a file that no longer has a name: half the note
is lost. Linux tells whether anyone holds a file open for writing, since a read lease
(``F_SETLEASE``) cannot then be taken; elsewhere, or where the file system has no leases,
a file changed in the last ``SETTLE`` seconds is read again until it has stood still that
long.

The rename itself is guarded the same way (``put_unless_opened``): the lease is held
across it, with the old file kept under a second name, and an editor that opens the note
in that moment (its open waits on the lease) is given its file back at the note's name.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from pathlib import Path

from companion.errors import CompanionError
from companion.files import temporary_beside

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

SETTLE = 0.25
"""Seconds a file must stand unchanged before it is trusted to be whole, where the system
cannot say whether it is being written. Editors write a file's pieces milliseconds apart."""
WAIT_AT_MOST = 3.0
"""Seconds to wait for another program to finish writing before refusing."""
_POLL = 0.02
_SET_LEASE: int | None = getattr(fcntl, "F_SETLEASE", None)
_SET_SIGNAL: int | None = getattr(fcntl, "F_SETSIG", None)
_F_GET_LEASE: int = getattr(fcntl, "F_GETLEASE", 1025)


def _lease(fd: int) -> bool | None:
    """Take a read lease on ``fd``: True when taken, False when some process has the file
    open for writing (no lease can then be taken), None when this system or file has none.

    Were someone to open the file for writing while the lease is held, the kernel would
    signal the holder; SIGURG is ignored unless a program handles it, where the default
    SIGIO would end the process."""
    if fcntl is None or _SET_LEASE is None or _SET_SIGNAL is None:
        return None
    try:
        fcntl.fcntl(fd, _SET_SIGNAL, signal.SIGURG)
        fcntl.fcntl(fd, _SET_LEASE, fcntl.F_RDLCK)
    except BlockingIOError:  # EAGAIN: somebody holds it open for writing
        return False
    except OSError:  # EACCES (not the caller's file), EINVAL (no leases on this system)
        return None
    return True


def _release(fd: int) -> None:
    if fcntl is not None and _SET_LEASE is not None:
        with contextlib.suppress(OSError):
            fcntl.fcntl(fd, _SET_LEASE, fcntl.F_UNLCK)
    os.close(fd)


def _open_to_read(path: Path) -> int:
    return os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))


def open_for_writing(path: Path) -> bool | None:
    """True when some process has ``path`` open for writing, False when none has, None when
    this system cannot tell (no leases here, or the file is not the caller's own)."""
    if fcntl is None or _SET_LEASE is None:
        return None
    try:
        fd = _open_to_read(path)
    except OSError:
        return None
    try:
        taken = _lease(fd)
    finally:
        _release(fd)
    return None if taken is None else not taken


def _stamp(path: Path) -> tuple[int, int, int, int]:
    info = os.stat(path)
    return info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns


def wait_until_written(path: Path) -> bool:
    """Wait while another program writes ``path`` (at most WAIT_AT_MOST seconds); True when
    it stands whole, False when it is still being written."""
    deadline = time.monotonic() + WAIT_AT_MOST
    while True:
        busy = open_for_writing(path)
        if busy is False:
            return True
        if busy is None and _stood_still(path):
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(_POLL)


def _stood_still(path: Path) -> bool:
    """True when ``path`` was last changed SETTLE seconds ago or more, or stays unchanged
    for that long now (a time in the future, from another clock, is waited out once)."""
    try:
        before = _stamp(path)
    except OSError:
        return True  # gone or unreadable: the reader says why
    age = time.time() - max(before[2], before[3]) / 1e9
    if age >= SETTLE:
        return True
    time.sleep(SETTLE if age < 0 else SETTLE - age)
    try:
        return _stamp(path) == before
    except OSError:
        return True


class BeingWritten(CompanionError):
    """Another program has the file open for writing, or opened it as it was replaced."""


class FileChanged(CompanionError):
    """The file no longer holds the bytes it was read with."""


def _read_all(fd: int) -> bytes:
    chunks = []
    while chunk := os.read(fd, 1 << 20):
        chunks.append(chunk)
    return b"".join(chunks)


def put_unless_opened(temporary: Path, path: Path, expected: bytes) -> None:
    """Rename ``temporary`` over ``path`` if ``path`` still holds ``expected`` and no program
    has it open for writing, before or during the rename; else raise BeingWritten (or
    FileChanged), leaving ``path`` as it was."""
    fd = _open_to_read(path)
    try:
        taken = _lease(fd)
        if taken is False:
            raise BeingWritten(f"{path.name} is open for writing in another program")
        if taken is None:  # no leases for this file or system: compare, then rename
            _put_if_unchanged(temporary, path, expected)
            return
        if _read_all(fd) != expected:
            raise FileChanged(f"{path.name} changed on disk while it was being written")
        backup = temporary_beside(path)
        kept: Path | None = backup
        try:
            os.link(path, backup)  # the old file keeps a name until the rename is known safe
        except OSError:
            kept = None  # a file system without hard links: the lease alone guards it
        try:
            os.replace(temporary, path)
            if fcntl.fcntl(fd, _F_GET_LEASE) != fcntl.F_RDLCK:
                # a program is opening the old file to write it, and waits on the lease:
                # give it its file back at the note's name, and write nothing
                if kept is not None:
                    os.replace(kept, path)
                    kept = None
                raise BeingWritten(f"{path.name} was opened for writing by another program")
        finally:
            if kept is not None:
                with contextlib.suppress(OSError):
                    os.unlink(kept)
    finally:
        _release(fd)


def _put_if_unchanged(temporary: Path, path: Path, expected: bytes) -> None:
    with open(path, "rb") as handle:
        if handle.read() != expected:
            raise FileChanged(f"{path.name} changed on disk while it was being written")
    os.replace(temporary, path)
