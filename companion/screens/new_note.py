"""New note from a template: choose a type and a title."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select

from companion.portfolio.templates import assignment_units, create_note
from companion.screens.choose import close_unless_typed


class NewNoteModal(ModalScreen[None]):
    """Create a note with its header fields filled in."""

    CSS_PATH = "new_note.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def compose(self) -> ComposeResult:
        content = self.app.content  # type: ignore[attr-defined]
        types = [(t.label, t.id) for t in content.evidence_types if t.allowed]
        with Vertical(id="new-dialog"):
            yield Label("[b]New note[/b]")
            yield Select(types, prompt="Evidence type", id="type")
            units = [
                (f"{unit_id} {title}", unit_id) for unit_id, title in assignment_units(content)
            ]
            yield Select(units, prompt="Which unit is the assignment for?", id="unit")
            yield Input(placeholder="Title", id="title")
            yield Button("Create", variant="primary", id="create")

    def on_mount(self) -> None:
        self.query_one("#unit", Select).display = False
        self.query_one("#type", Select).focus()

    @on(Select.Changed, "#type")
    def _type_chosen(self, event: Select.Changed) -> None:
        """An assignment draft is counted against its unit's target: ask which."""
        self.query_one("#unit", Select).display = event.value == "assignment"

    @on(Button.Pressed, "#create")
    @on(Input.Submitted, "#title")
    def _create(self) -> None:
        app = self.app
        portfolio = app.portfolio  # type: ignore[attr-defined]
        note_type = self.query_one("#type", Select).value
        title = self.query_one("#title", Input).value
        if portfolio is None or not isinstance(note_type, str):
            self.notify("Choose an evidence type", severity="warning")
            return
        unit = self.query_one("#unit", Select).value
        if note_type == "assignment" and not isinstance(unit, str):
            self.notify("Choose the unit the assignment is for", severity="warning")
            self.query_one("#unit", Select).focus()
            return
        try:
            path = create_note(
                portfolio, title, note_type, unit=unit if isinstance(unit, str) else ""
            )
        except (ValueError, OSError) as exc:
            self.notify(str(exc), severity="error")
            return
        self.notify(f"Created {path.name}")
        app.index_portfolio()  # type: ignore[attr-defined]
        self.dismiss(None)

    def action_cancel(self) -> None:
        typed = bool(self.query_one("#title", Input).value.strip())
        close_unless_typed(self, typed, "the note's title")
