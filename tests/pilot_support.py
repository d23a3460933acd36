"""Helpers shared by the pilot tests."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, TypeVar

from rich.text import Text
from textual._compositor import LayoutUpdate
from textual.app import App
from textual.content import Content
from textual.pilot import Pilot
from textual.screen import Screen

from companion.ui.app import CompanionApp


async def wait_for(pilot: Pilot, condition: Callable[[], bool], timeout: float = 15.0) -> None:
    """Let the app run until ``condition`` holds (workers finish in their own time)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not reached in time")
        await pilot.pause(0.05)


ScreenT = TypeVar("ScreenT", bound=Screen[Any])


async def opened(pilot: Pilot, key: str, kind: type[ScreenT]) -> ScreenT:
    """Press ``key`` and return the screen of ``kind`` it opens, once it has drawn."""
    await pilot.press(key)
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, kind))
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, kind)
    return screen


def screen_text(app: App[Any]) -> str:
    """The characters the app shows now, line by line, as a person reads them."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def terminal_output(app: App[Any]) -> str:
    """What the app would write to a real terminal to draw its whole screen now."""
    update = app.screen._compositor.render_update(full=True)
    assert isinstance(update, LayoutUpdate)  # a full update is the whole layout
    return update.render_segments(app.console)


def acts_on_terminal(output: str) -> list[str]:
    """The sequences in ``output`` that would act on the terminal rather than draw: OSC
    (retitle, hyperlinks, clipboard), screen clears and bells. Drawing (colours, cursor
    moves) is what the app itself writes."""
    import re

    return re.findall(r"\x1b\][^\x07\x1b]*|\x1b\[[0-9;]*[JK]|\x07", output)


def companion_app(pilot: Pilot[Any]) -> CompanionApp:
    """The app a pilot drives, as the companion app it is: its status, its portfolio."""
    app = pilot.app
    assert isinstance(app, CompanionApp)
    return app


def plain(shown: object) -> str:
    """The text of what a widget shows (its ``content`` or ``visual``), without its styles."""
    assert isinstance(shown, Text | Content), type(shown)
    return shown.plain
