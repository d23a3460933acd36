"""Ask for the signed sign-off file to import (the app then imports it like the CLI does)."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label

from companion.screens.choose import close_unless_typed


class SignoffImportModal(ModalScreen[Path | None]):
    """The path of a ``*.signoff.yaml`` signed at a review; dismissed with it, or None."""

    CSS_PATH = "signoff_import.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="cancel-import")]

    def __init__(self, suggestion: str = "") -> None:
        super().__init__()
        self.suggestion = suggestion

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="signoff-dialog"):
            yield Label("[b]Import a signed sign-off[/b]")
            yield Label(
                "The *.signoff.yaml signed at the review, with its pack beside it (the "
                "learner's name must match)."
            )
            yield Input(self.suggestion, placeholder="~/Downloads/review.signoff.yaml", id="path")
            with Horizontal(id="signoff-buttons"):
                yield Button("Import", variant="primary", id="import")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#path", Input).focus()  # typing and Enter go to the path at once

    @on(Button.Pressed, "#import")
    @on(Input.Submitted, "#path")
    def _import(self) -> None:
        text = self.query_one("#path", Input).value.strip()
        if not text:
            self.notify("Give the file's path", severity="warning")
            return
        self.dismiss(Path(text).expanduser())

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """Close without importing, asking first if a path was typed."""
        typed = self.query_one("#path", Input).value.strip() not in ("", self.suggestion)
        close_unless_typed(self, typed, "the path you typed")
