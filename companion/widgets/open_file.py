"""Open an evidence file in the system's own viewer (Word, a PDF reader, a media player).

Only the app (the UI layer) starts viewers: the engine never runs another program. The
viewer is started detached from the terminal (its own session, no stdin/stdout/stderr), so
its messages cannot draw over the app, and never through a shell, so a file's name is only
ever a name.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path


class NoViewer(Exception):
    """No program to open files with was found (or it would not start)."""


def viewer_command(path: Path, platform: str = sys.platform) -> list[str] | None:
    """The command that opens ``path`` on ``platform`` (``open`` on macOS, ``xdg-open``
    elsewhere), or None when that program is not installed. Windows has ``os.startfile``."""
    program = shutil.which("open" if platform == "darwin" else "xdg-open")
    return [program, str(path.absolute())] if program else None  # never read as an option


def open_in_viewer(path: Path) -> None:
    """Start the system's viewer on ``path`` and return at once; NoViewer when none is
    found or it cannot be started."""
    if sys.platform == "win32":
        try:
            os.startfile(path)  # the file's own application, no shell
        except OSError as exc:
            raise NoViewer(str(exc.strerror or exc)) from None
        return
    command = viewer_command(path)
    if command is None:
        raise NoViewer("no program to open files was found (xdg-open or open)")
    try:
        subprocess.Popen(  # a fixed program and one path, no shell
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError as exc:
        raise NoViewer(f"{command[0]} could not be started: {exc.strerror or exc}") from None


__all__ = ["NoViewer", "open_in_viewer", "viewer_command"]


FALLBACK_EDITORS = ("nano", "vim", "vi")
"""Terminal editors tried, in order, when neither $VISUAL nor $EDITOR is set: nano first,
since it shows its own keys on screen (vi drops a newcomer into a mode they cannot leave)."""


def editor_command(
    path: Path, environ: dict[str, str] | None = None, platform: str = sys.platform
) -> tuple[list[str], str] | None:
    """The command that edits ``path`` and waits for the editor to close, and a line saying
    which editor it is and how to choose another; None when none is found. $VISUAL, then
    $EDITOR, then the platform's own (Notepad on Windows, TextEdit on macOS, waited for), then
    the first of FALLBACK_EDITORS installed."""
    env = os.environ if environ is None else environ
    target = str(path.absolute())
    chosen = env.get("VISUAL") or env.get("EDITOR")
    if chosen:
        return [*shlex.split(chosen), target], f"Editing in {chosen}"
    how = "set $EDITOR to choose another"
    if platform == "win32":
        return ["notepad", target], f"Editing in Notepad ({how})"
    if platform == "darwin" and shutil.which("open"):
        return ["open", "-W", "-t", target], f"Editing in TextEdit; close it to return ({how})"
    for name in FALLBACK_EDITORS:
        if program := shutil.which(name):
            return [program, target], f"Editing in {name} ({how})"
    return None
