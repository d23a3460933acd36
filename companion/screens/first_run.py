"""First run: no portfolio yet; create one or open the example."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Button, Input, Label, Static

from companion.portfolio.example import copy_example
from companion.portfolio.profile import ProfileError, create_profile
from companion.text.values import NotADate, read_date
from companion.widgets.footer import CompanionFooter


class FirstRunScreen(Screen[Path | None]):
    """Offer to create a portfolio or open the example."""

    CSS_PATH = "first_run.tcss"
    BINDINGS = [Binding("escape", "quit_app", "Quit")]

    def compose(self) -> ComposeResult:
        with Vertical(id="welcome"):
            yield Static(
                "[b]Welcome to Companion[/b]\n\nYour portfolio is a folder of your own "
                "markdown notes. Create one, or explore the example portfolio first.",
                id="welcome-text",
            )
            yield Label("Folder for your portfolio")
            yield Input(str(Path.cwd() / "portfolio"), id="folder")
            yield Label("Your name (as on your evidence)")
            yield Input(id="learner")
            yield Label("Programme start date (YYYY-MM-DD)")
            yield Input(id="start")
            yield Button("Create portfolio", variant="primary", id="create")
            yield Button("Open the example portfolio", id="example")
        yield CompanionFooter()

    @on(Button.Pressed, "#create")
    def _create(self) -> None:
        folder = Path(self.query_one("#folder", Input).value.strip()).expanduser()
        learner = self.query_one("#learner", Input).value.strip()
        start_text = self.query_one("#start", Input).value.strip()
        try:
            start = read_date(start_text)
        except NotADate as exc:
            self.notify(f"The start date must look like 2026-09-01{exc.suffix}", severity="error")
            return
        content = self.app.content  # type: ignore[attr-defined]
        try:
            create_profile(folder, learner, start, None, content)
        except (ProfileError, OSError) as exc:
            self.notify(str(exc), severity="error")
            return
        self.dismiss(folder)

    @on(Button.Pressed, "#example")
    def _example(self) -> None:
        try:
            self.dismiss(copy_example())
        except OSError as exc:
            self.notify(f"Could not copy the example: {exc}", severity="error")

    def action_quit_app(self) -> None:
        self.dismiss(None)
