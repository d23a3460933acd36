"""`e` opens a note in an editor a newcomer can use: $VISUAL or $EDITOR, else the platform's
own, else nano; never vi unchosen, and a clear line when there is none."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from pilot_support import wait_for

from companion.portfolio.example import copy_example
from companion.screens.note import NoteScreen
from companion.ui.app import make_app
from companion.widgets.open_file import editor_command

NOTE = Path("/p/notes/plan.md")


def _which(*installed: str):
    return lambda name: f"/usr/bin/{name}" if name in installed else None


def test_the_learners_own_editor_comes_first(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("companion.widgets.open_file.shutil.which", _which("nano", "open"))
    env = {"VISUAL": "code --wait", "EDITOR": "nano"}
    assert editor_command(NOTE, env, "linux") == (
        ["code", "--wait", str(NOTE)],
        "Editing in code --wait",
    )
    assert editor_command(NOTE, {"EDITOR": "micro"}, "darwin") == (
        ["micro", str(NOTE)],
        "Editing in micro",
    )


def test_without_one_the_platforms_own_editor_or_nano_never_vi_first(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("companion.widgets.open_file.shutil.which", _which("vi", "nano", "open"))
    how = "set $EDITOR to choose another"
    assert editor_command(NOTE, {}, "win32") == (
        ["notepad", str(NOTE)],
        f"Editing in Notepad ({how})",
    )
    assert editor_command(NOTE, {}, "darwin") == (
        ["open", "-W", "-t", str(NOTE)],
        f"Editing in TextEdit; close it to return ({how})",
    )
    assert editor_command(NOTE, {}, "linux") == (
        ["/usr/bin/nano", str(NOTE)],
        f"Editing in nano ({how})",
    )
    monkeypatch.setattr("companion.widgets.open_file.shutil.which", _which("vi"))
    assert editor_command(NOTE, {}, "linux") == (
        ["/usr/bin/vi", str(NOTE)],
        f"Editing in vi ({how})",
    )
    monkeypatch.setattr("companion.widgets.open_file.shutil.which", _which())
    assert editor_command(NOTE, {}, "linux") is None


async def test_e_without_an_editor_set_opens_nano_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:

    root = copy_example(tmp_path / "example")
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)
    monkeypatch.setattr("companion.widgets.open_file.sys.platform", "linux")
    monkeypatch.setattr("companion.widgets.open_file.shutil.which", _which("vi", "nano"))
    ran: list[list[str]] = []

    def call(command: list[str]) -> int:
        ran.append(command)
        return 0

    monkeypatch.setattr("companion.screens.note.subprocess.call", call)
    app = make_app(root, poll=False)
    monkeypatch.setattr(app, "suspend", contextlib.nullcontext)  # no terminal to hand over
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.status is not None)
        app.push_screen(NoteScreen("notes/reflection-leading-the-restructure.md"))
        await wait_for(pilot, lambda: isinstance(app.screen, NoteScreen))
        await pilot.pause()
        await pilot.press("e")
        await wait_for(pilot, lambda: bool(ran))
        assert ran == [["/usr/bin/nano", str(root / "notes/reflection-leading-the-restructure.md")]]
        assert any(n.message.startswith("Editing in nano") for n in app._notifications)
