"""One change to one note, as one transaction with one owner.

Open and lock the note, read its bytes, compute the change, verify it reads back as
intended, re-check the bytes on disk, replace the file atomically, unlock. Tagging,
untagging, acknowledging and the proposal planner all go through ``edit_note`` with the
change they want, so two companion processes never lose each other's update: the second
waits for the first and computes its change from what the first wrote.

What no lock can stop is an editor that does not take it. An editor that saves in place
writes the note in pieces: the note is read only once no program holds it open for
writing (or, where the system cannot say, once it has stood still for a moment), and the
write is refused if one has opened it since (``companion.notes.being_written``). What is
left is an editor that opens the note in the microseconds between the last check and the
rename: the new bytes are written and synced before the check, and the rename follows it
at once.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from companion.files import UnsafeWrite, atomic_write, file_lock
from companion.notes.being_written import (
    BeingWritten,
    FileChanged,
    put_unless_opened,
    wait_until_written,
)
from companion.notes.file import NoteFile, NoteReadError, read_note_file
from companion.notes.writer import NoteWriteError, refuse_unwritable


def read_for_write(path: Path) -> NoteFile:
    """Read a note to change it, turning read problems into NoteWriteError."""
    try:
        return read_note_file(path)
    except NoteReadError as exc:
        raise NoteWriteError(exc.message, exc.exit_status) from None


def _being_written(path: Path) -> NoteWriteError:
    return NoteWriteError(
        f"{path.name} is being written by another program (an editor saving it?); nothing "
        "was written: try again once it is saved"
    )


def _put_guarded(note: NoteFile) -> Callable[[Path, Path], None]:
    """The rename of a note's new bytes, refused if the note changed since it was read or
    a program has it open for writing (``companion.notes.being_written``)."""

    def put(temporary: Path, path: Path) -> None:
        try:
            put_unless_opened(temporary, path, note.raw)
        except BeingWritten:
            raise _being_written(path) from None
        except FileChanged:
            raise NoteWriteError(
                f"{path.name} changed on disk while it was being written; "
                "nothing was written, try again"
            ) from None

    return put


def edit_note(
    path: Path,
    change: Callable[[NoteFile], bytes],
    *,
    within: Path | None = None,
    expected: NoteFile | None = None,
) -> tuple[NoteFile, NoteFile]:
    """Apply ``change`` (the note as read -> its new bytes) under the note's lock.

    With ``expected`` (a note read earlier, say when a form was opened), the write is
    refused if the file no longer holds those bytes. Returns the note as read under the
    lock and as it is now. Raises NoteWriteError, leaving the file as it was.
    """
    try:
        with file_lock(path):
            if not wait_until_written(path):
                raise _being_written(path)
            current = read_for_write(path)
            if expected is not None and current.raw != expected.raw:
                raise NoteWriteError(
                    f"{path.name} changed on disk since it was read; reload it and try again"
                )
            refuse_unwritable(current)
            data = change(current)
            if data == current.raw:
                return current, current
            atomic_write(path, data, within=within, put=_put_guarded(current))
            return current, read_for_write(path)
    except UnsafeWrite as exc:
        raise NoteWriteError(exc.message, exc.exit_status) from None
    except FileNotFoundError:
        raise NoteWriteError(f"{path.name} no longer exists") from None
    except OSError as exc:
        raise NoteWriteError(f"{path.name} could not be written: {exc.strerror or exc}") from None
