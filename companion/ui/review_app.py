"""Tutor mode: a cohort of progress exports, and one apprentice's ACs to decide on.

Separate from the apprentice's app because it works on other people's files, read-only,
and writes only the tutor's own feedback files beside them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from companion.content.load import load_content
from companion.content.model import Content
from companion.content.problems import ContentError
from companion.screens.cohort import CohortScreen
from companion.ui.palette import screen_commands, with_footer_commands
from companion.widgets.plain import PlainNotifications


class ReviewApp(PlainNotifications, App[None]):
    """``companion review FILE_OR_FOLDER...``."""

    TITLE = "Companion — tutor review"
    CSS_PATH = Path(__file__).with_name("app.tcss")  # found from subclasses elsewhere too
    BINDINGS = [Binding("q", "quit", "Quit", id="quit")]

    def __init__(self, paths: list[Path], content: Content | None = None) -> None:
        super().__init__()
        self.paths = paths
        self.content = content

    def on_mount(self) -> None:
        if self.content is None:
            try:
                self.content = load_content()
            except ContentError as exc:  # only the Results Sheet needs it
                self.notify(str(exc), title="Content problem", severity="warning")
        self.push_screen(CohortScreen(self.paths))

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        return with_footer_commands(screen, self._named_commands(screen))

    def _named_commands(self, screen: Screen[Any]) -> Iterator[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield from screen_commands(screen)

    async def action_quit(self) -> None:
        flush = getattr(self.screen, "flush", None)
        if flush is not None and not flush():
            return  # could not save: stay, the message says why
        self.exit()
