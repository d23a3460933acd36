"""First run: no portfolio yet; create one or open the example."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Input, Label, Static

from companion.errors import CompanionError
from companion.portfolio.example import copy_example
from companion.portfolio.profile import ProfileError, ProgrammeAnswers, create_profile
from companion.portfolio.programme import read_programme
from companion.text.values import NotADate, read_date
from companion.widgets.footer import CompanionFooter


class FirstRunScreen(Screen[Path | None]):
    """Offer to create a portfolio or open the example."""

    CSS_PATH = "first_run.tcss"
    BINDINGS = [Binding("escape", "quit_app", "Quit")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="welcome"):
            yield Static(
                "[b]Welcome to Companion[/b]\n\nYour portfolio is a folder of your own: "
                "your evidence as it is (Word documents, PDFs, slide decks, recordings) and "
                "notes. Create one, or explore the example portfolio first.",
                id="welcome-text",
            )
            yield Label("Folder for your portfolio")
            yield Input(str(Path.cwd() / "portfolio"), id="folder")
            yield Label("Your name (as on your evidence)")
            yield Input(id="learner")
            yield Label("Programme start date (YYYY-MM-DD)")
            yield Input(id="start")
            yield Label(
                "Planned gateway date (YYYY-MM-DD; blank if not known yet)", classes="gateway"
            )
            yield Input(id="gateway", classes="gateway")
            yield Label(
                "Contracted hours a week, without overtime (e.g. 37.5; blank: later)",
                classes="funding",
            )
            yield Input(id="hours-per-week", classes="funding")
            yield Label("Your age when the programme started (blank: later)", classes="funding")
            yield Input(id="age-at-start", classes="funding")
            yield Static(
                "The off-the-job and review rules need these; every other setting is in "
                "companion.yaml, with a comment saying what it is.",
                id="welcome-more",
            )
            yield Button("Create portfolio", variant="primary", id="create")
            yield Button("Open the example portfolio", id="example")
        yield CompanionFooter()

    def on_mount(self) -> None:
        """Ask only what the framework has: a gateway, and funding rules to keep."""
        content = self.app.content  # type: ignore[attr-defined]
        self.query(".gateway").set(display=content.has_gateway)
        self.query(".funding").set(display=content.funding is not None)
        self.query_one("#welcome-more").display = content.funding is not None

    @on(Button.Pressed, "#create")
    def _create(self) -> None:
        folder = Path(self.query_one("#folder", Input).value.strip()).expanduser()
        learner = self.query_one("#learner", Input).value.strip()
        try:
            start = self._date("start", "The start date must look like 2026-09-01")
            gateway = self._date("gateway", "The gateway date must look like 2027-03-15")
        except NotADate:
            return
        answers = self._answers()
        if answers is None:
            return
        content = self.app.content  # type: ignore[attr-defined]
        try:
            create_profile(folder, learner, start, gateway, content, answers=answers)
        except (ProfileError, OSError) as exc:
            self.notify(str(exc), severity="error")
            return
        self.dismiss(folder)

    def _date(self, field: str, advice: str) -> dt.date | None:
        """The date typed in ``field`` (blank: ``None``); a date it cannot be is said, with
        ``advice``, and raised again."""
        try:
            return read_date(self.query_one(f"#{field}", Input).value.strip())
        except NotADate as exc:
            self.notify(f"{advice}{exc.suffix}", severity="error")
            raise

    def _answers(self) -> ProgrammeAnswers | None:
        """The weekly hours and age as typed, checked as ``companion.yaml`` is read (blank
        leaves them to fill in later); ``None`` after saying what is wrong."""
        hours = self.query_one("#hours-per-week", Input).value.strip()
        age_text = self.query_one("#age-at-start", Input).value.strip()
        age = int(age_text) if age_text.isdigit() else (age_text or None)
        try:
            programme = read_programme({"hours_per_week": hours or None, "age_at_start": age})
        except CompanionError as exc:
            self.notify(exc.message, severity="error")
            return None
        return ProgrammeAnswers(
            hours_per_week=f'"{hours}"' if ":" in hours else hours,
            age_at_start=programme.age_at_start,
        )

    @on(Button.Pressed, "#example")
    def _example(self) -> None:
        try:
            self.dismiss(copy_example())
        except OSError as exc:
            self.notify(f"Could not copy the example: {exc}", severity="error")

    def action_quit_app(self) -> None:
        self.dismiss(None)
