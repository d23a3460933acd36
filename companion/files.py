"""Reading and writing files safely: the I/O every layer shares.

Every file the app writes, whether a learner's note, a tutor's feedback file, an export or
its own database, goes through ``atomic_write``: a temporary file in the same folder, fsync,
then one rename, so a reader sees the old bytes or the new ones and never half of each. It
refuses to write through a symbolic link, into a folder other than the one the file belongs
in, over a read-only file or over a file with other hard links, because each of those would
change a file somewhere the person did not mean. Reading other people's files goes through
``read_regular``, which never blocks on a FIFO or reads a device.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from companion.errors import CompanionError

try:
    import fcntl
except ImportError:  # pragma: no cover - not on Windows
    fcntl = None  # type: ignore[assignment]

_TEMP = re.compile(r"^\.(?P<name>.+)\.(?P<pid>[0-9]+)\.[0-9a-f]{8}\.tmp$")
"""The name ``_temp_path`` gives, and only that: ``.NAME.PID.RAND.tmp``."""
STALE_TEMP_SECONDS = 3600
"""A temporary file untouched this long is left over from a killed write, whoever made it."""
_swept: set[str] = set()
"""The folders this process has already cleared of temporary files left by killed writes."""


class UnsafeWrite(CompanionError):
    """A write refused because it would change something other than the file meant."""

    exit_status = 1


class NotRegularFile(CompanionError):
    """A path that is a folder, a FIFO, a device or a socket where a file was expected."""


def data_dir() -> Path:
    """Where the app keeps its own state; ``COMPANION_DATA_DIR`` overrides it."""
    override = os.environ.get("COMPANION_DATA_DIR")
    if override:
        return Path(override)
    import platformdirs  # only needed when no override is set

    return Path(platformdirs.user_data_dir("companion", appauthor=False))


def ensure_within(path: Path, folder: Path) -> None:
    """Refuse ``path`` unless its folder, links resolved, is ``folder`` or inside it."""
    try:
        parent = path.parent.resolve()
        base = folder.resolve()
    except (OSError, RuntimeError) as exc:  # a link loop
        raise UnsafeWrite(f"{path}: its folder cannot be resolved ({exc})") from None
    if not parent.is_relative_to(base):
        raise UnsafeWrite(
            f"{path} resolves to {parent / path.name}, outside {folder}; refusing to write there"
        )


def _existing(path: Path) -> os.stat_result | None:
    try:
        return os.lstat(path)
    except FileNotFoundError:
        return None


def _check_target(path: Path, st: os.stat_result | None) -> None:
    if st is None:
        return
    if stat.S_ISLNK(st.st_mode):
        raise UnsafeWrite(
            f"{path.name} is a symbolic link; companion does not write through links "
            "(use the file it points to)"
        )
    if not stat.S_ISREG(st.st_mode):
        raise UnsafeWrite(f"{path.name} is not a regular file; refusing to replace it")
    if not st.st_mode & stat.S_IWUSR:
        raise UnsafeWrite(f"{path.name} is read-only; make it writable to let companion change it")
    if st.st_nlink > 1:
        raise UnsafeWrite(
            f"{path.name} has {st.st_nlink} hard links; replacing it would split them apart"
        )


def atomic_write(
    path: Path,
    data: bytes | bytearray,
    *,
    within: Path | None = None,
    check: Callable[[], None] | None = None,
    create: bool = False,
    put: Callable[[Path, Path], None] | None = None,
) -> None:
    """Replace ``path`` with ``data`` in one rename, keeping its mode and owner.

    ``within`` is the folder the file must stay in (links resolved). ``check`` runs after the
    new bytes are safely on disk and just before the rename; raising there aborts the write
    (the proposal and note writers re-check that nobody changed the file meanwhile). With
    ``create``, the write is for a new file and is refused if one appeared meanwhile.
    ``put(temporary, path)`` is the rename itself, for a writer that guards it (a note's
    writer watches for an editor opening the note at that moment); ``os.replace`` by default.
    Raises ``UnsafeWrite`` or ``OSError``; on any failure the old file is untouched and the
    temporary file is gone.
    """
    if within is not None:
        ensure_within(path, within)
    before = _existing(path)
    _check_target(path, before)
    sweep_once(path.parent)
    tmp = _temp_path(path)
    fd = _open_temp(tmp)
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
            _set_mode(fd, tmp, stat.S_IMODE(before.st_mode) if before else 0o644)
            if before is not None:
                _keep_owner(fd, before)
        finally:
            os.close(fd)
        if check is not None:
            check()
        now = _existing(path)
        if create and before is None and now is not None:
            raise UnsafeWrite(f"{path.name} appeared while it was being written; try again")
        _check_target(path, now)
        (put or os.replace)(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_folder(path.parent)


@contextmanager
def atomic_output(path: Path) -> Iterator[BinaryIO]:
    """A new file written through a handle (seekable, for a zip of any size) and put in
    place in one rename when the block ends; on any failure the old file is untouched and
    the temporary file is gone. The checks of ``atomic_write`` apply."""
    before = _existing(path)
    _check_target(path, before)
    sweep_once(path.parent)
    tmp = _temp_path(path)
    try:
        with open(_open_temp(tmp), "w+b") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
            _set_mode(handle.fileno(), tmp, stat.S_IMODE(before.st_mode) if before else 0o644)
        _check_target(path, _existing(path))
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_folder(path.parent)


def _set_mode(fd: int, tmp: Path, mode: int) -> None:
    """Give the temporary file the mode the file it replaces had. Windows has no
    ``os.fchmod`` before Python 3.13, so there the mode is set by the path (which only
    sets or clears the read-only flag)."""
    fchmod = getattr(os, "fchmod", None)
    if fchmod is not None:
        fchmod(fd, mode)
    else:
        os.chmod(tmp, mode)


def _keep_owner(fd: int, before: os.stat_result) -> None:
    """Give the file back to the owner it had; where there is no ``os.fchown`` (Windows),
    files have no owner and group of this kind, and there is nothing to keep."""
    fchown = getattr(os, "fchown", None)
    if fchown is None:
        return
    now = os.fstat(fd)
    if (before.st_uid, before.st_gid) != (now.st_uid, now.st_gid):
        with contextlib.suppress(OSError):  # only the owner or root may give it back
            fchown(fd, before.st_uid, before.st_gid)


def _temp_path(path: Path) -> Path:
    """A new temporary name beside ``path``, of the form ``remove_stale_temp_files`` knows."""
    return path.with_name(f".{path.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")


def temporary_beside(path: Path) -> Path:
    """A new name beside ``path`` for a file of the app's own for a moment: one a killed
    process leaves is removed by the next write into the folder."""
    return _temp_path(path)


def _open_temp(tmp: Path) -> int:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    return os.open(tmp, flags | getattr(os, "O_CLOEXEC", 0), 0o600)


class PieceWriter:
    """Bytes written to a temporary file as they come, put in place by ``finish``.

    For a file the app makes for itself while it prints the same bytes (a remembered
    status): nothing is held in memory, and a file that cannot be written is simply not
    made; the pieces are still accepted, so the printing never depends on it.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._tmp = _temp_path(path)
        self._file: BinaryIO | None = None
        try:
            _check_target(path, _existing(path))
            self._file = open(_open_temp(self._tmp), "wb")  # noqa: SIM115 - closed by finish
        except (OSError, UnsafeWrite):
            self._file = None

    def write(self, piece: bytes | bytearray | memoryview) -> None:
        """Add ``piece`` to the file (nothing when it cannot be written)."""
        if self._file is None:
            return
        try:
            self._file.write(piece)
        except OSError:
            self.discard()

    def finish(self) -> bool:
        """Put the file in place in one rename; False when it could not be made."""
        if self._file is None:
            return False
        try:
            self._file.flush()
            os.fsync(self._file.fileno())
            _set_mode(self._file.fileno(), self._tmp, 0o644)
            self._file.close()
            self._file = None
            _check_target(self.path, _existing(self.path))
            os.replace(self._tmp, self.path)
        except (OSError, UnsafeWrite):
            self.discard()
            return False
        _fsync_folder(self.path.parent)
        return True

    def discard(self) -> None:
        """Drop what was written; the file in place, if any, is untouched."""
        if self._file is not None:
            with contextlib.suppress(OSError):
                self._file.close()
            self._file = None
        with contextlib.suppress(OSError):
            os.unlink(self._tmp)


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable (a no-op where folders cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms without folder descriptors
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)


def _writer_gone(pid: int) -> bool:
    """True only when no process ``pid`` is running. On Windows ``os.kill(pid, 0)`` would
    send the process Ctrl-C, so there a writer is never taken for gone (age alone counts)."""
    if pid == os.getpid() or os.name == "nt":
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def remove_stale_temp_files(folder: Path, *, now: float | None = None) -> list[Path]:
    """Delete temporary files left in ``folder`` by a write that was killed; return them.

    Only regular files (never a link, never followed) named as ``_temp_path`` names them,
    whose process is gone or that were last written over an hour ago, are removed.
    """
    removed: list[Path] = []
    moment = time.time() if now is None else now
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        match = _TEMP.match(entry.name)
        if match is None:
            continue
        try:
            info = entry.stat(follow_symlinks=False)
            if not stat.S_ISREG(info.st_mode):
                continue
            old = moment - info.st_mtime > STALE_TEMP_SECONDS
            if old or _writer_gone(int(match.group("pid"))):
                os.unlink(entry.path)
                removed.append(Path(entry.path))
        except OSError:
            continue
    return removed


def sweep_once(folder: Path) -> None:
    """Clear ``folder`` of temporary files left by killed writes, the first time this
    process writes there: a write killed before its rename (an export stopped with Ctrl-C,
    a closed terminal) would otherwise leave its hidden half-file beside the target for
    good. Once per folder, so a folder of thousands of notes is not listed on every tag."""
    key = os.path.abspath(folder)
    if key not in _swept and os.path.isdir(folder):
        _swept.add(key)
        remove_stale_temp_files(folder)


GROWTH_READ = 64 * 1024
"""Bytes asked for by each read after the first, until the end of the file."""


def read_regular(path: Path, max_bytes: int) -> bytes:
    """At most ``max_bytes + 1`` bytes of a regular file, never blocking on a FIFO.

    Raises ``NotRegularFile`` for a folder, FIFO, device or socket and ``OSError`` when the
    file cannot be opened; a caller that sees more than ``max_bytes`` bytes knows it is too
    large without having read it all.
    """
    return read_regular_stat(path, max_bytes)[0]


def read_regular_stat(path: Path, max_bytes: int) -> tuple[bytes, os.stat_result]:
    """``read_regular``'s bytes and the stat of the very file read (its size and time as
    it was opened, for a cache keyed by them)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file"
            raise NotRegularFile(f"{path.name} is {kind}")
        return _read_to_end(fd, info.st_size, max_bytes + 1), info
    finally:
        os.close(fd)


def _read_to_end(fd: int, size: int, limit: int) -> bytes:
    """The file's bytes, up to ``limit``. The first read asks for the size the file had:
    a read of ``limit`` bytes allocates them all first, which for a file of a few KB costs
    more than the read itself."""
    raw = os.read(fd, min(size + 1, limit))
    while len(raw) < limit and (more := os.read(fd, min(GROWTH_READ, limit - len(raw)))):
        raw += more  # it grew since the stat (or the read came back short)
    return raw


@contextmanager
def file_lock(path: Path) -> Iterator[None]:
    """Hold an advisory lock on the file at ``path`` across processes.

    The file is replaced on each write (a new inode), so after the lock is taken it is
    checked to still be the file at ``path``; if a writer replaced it meanwhile, the lock is
    taken again on the new file. Waiting is in the kernel's queue, not by polling, so no
    writer starves; a holder only ever holds it for one note's write, and a holder that dies
    lets go. Where ``fcntl`` is missing, no lock is taken.
    """
    if fcntl is None:  # pragma: no cover
        yield
        return
    while True:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | os.O_CLOEXEC)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            held, current = os.fstat(fd), os.stat(path)
        except OSError:
            os.close(fd)
            raise
        if (held.st_dev, held.st_ino) == (current.st_dev, current.st_ino):
            break
        os.close(fd)  # replaced while we waited: lock the file that is there now
    try:
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def stamp_of(info: os.stat_result) -> tuple[int, int]:
    """What says an evidence file is unchanged: its size, and the later of its modification
    and status-change times, so a file copied over it with its old time kept (``cp -p``)
    still counts as changed."""
    return max(info.st_mtime_ns, info.st_ctime_ns), info.st_size
