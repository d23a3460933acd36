"""A question with a few answers: confirm a removal, or save, discard or stay with unsaved edits.

Escape always means the answer that changes nothing, so a key pressed by mistake never
removes a tag or throws away typed text.
"""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from companion.widgets.plain import cell


class ChoiceModal(ModalScreen[str | None]):
    """Ask ``question``; dismiss with the id of the button pressed, or ``None`` on Escape."""

    CSS_PATH = "choose.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="cancel-choice")]

    def __init__(self, question: str, answers: list[tuple[str, str]], *, safe: str) -> None:
        """``answers`` are (id, label) pairs; ``safe`` is the id that changes nothing."""
        super().__init__()
        self.question = question
        self.answers = answers
        self.safe = safe

    def compose(self) -> ComposeResult:
        with Vertical(id="choice"):
            yield Static(cell(self.question), id="choice-question")
            with Horizontal(id="choice-buttons"):
                for answer, label in self.answers:
                    if answer == self.safe:
                        yield Button(label, id=f"choice-{answer}")
                    else:
                        yield Button(label, id=f"choice-{answer}", variant="primary")

    def on_mount(self) -> None:
        self.query_one(f"#choice-{self.safe}", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss((event.button.id or "").removeprefix("choice-"))

    def action_cancel(self) -> None:
        self.dismiss(None)


def close_unless_typed(dialog: ModalScreen[Any], typed: bool, what: str) -> None:
    """Close ``dialog`` with nothing, first asking when it holds text the learner typed (or
    ticks they made): an Escape pressed by mistake must not lose a half-written entry."""
    if not typed:
        dialog.dismiss(None)
        return

    def answered(answer: str | None) -> None:
        if answer == "discard":
            dialog.dismiss(None)

    dialog.app.push_screen(
        ChoiceModal(
            f"Discard {what}?",
            [("keep", "Keep editing"), ("discard", "Discard")],
            safe="keep",
        ),
        answered,
    )
