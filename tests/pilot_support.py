"""Helpers shared by the pilot tests."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from textual.app import App
from textual.pilot import Pilot


async def wait_for(pilot: Pilot, condition: Callable[[], bool], timeout: float = 15.0) -> None:
    """Let the app run until ``condition`` holds (workers finish in their own time)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not reached in time")
        await pilot.pause(0.05)


def screen_text(app: App[object]) -> str:
    """The characters the app shows now, line by line, as a person reads them."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def terminal_output(app: App[object]) -> str:
    """What the app would write to a real terminal to draw its whole screen now."""
    update = app.screen._compositor.render_update(full=True)
    return update.render_segments(app.console)


def acts_on_terminal(output: str) -> list[str]:
    """The sequences in ``output`` that would act on the terminal rather than draw: OSC
    (retitle, hyperlinks, clipboard), screen clears and bells. Drawing (colours, cursor
    moves) is what the app itself writes."""
    import re

    return re.findall(r"\x1b\][^\x07\x1b]*|\x1b\[[0-9;]*[JK]|\x07", output)
