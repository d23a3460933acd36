"""The Results Sheet's details: the assessor and centre (for the whole cohort) and, for one
apprentice, their registration number. Typed here once, so no sheet needs the command line.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from companion.review.cohort_details import CohortDetails
from companion.screens.choose import close_unless_typed
from companion.widgets.plain import cell

MAX_FIELD = 200


@dataclass(frozen=True)
class SheetDetails:
    """What the form returns: the cohort's details and, for one apprentice, theirs."""

    cohort: CohortDetails
    registration: str | None = None


class DetailsModal(ModalScreen[SheetDetails | None]):
    """Edit the details; Save returns them, Escape keeps what was there (asking first if
    anything was typed).

    The form opens on the first empty field, with the cursor at the end of the text and
    nothing selected: typing never replaces a value already filled in for the whole
    cohort. The fields scroll under buttons that stay in view, even at 80x24.
    """

    CSS_PATH = "review_details.tcss"
    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "save", "Save", priority=True),
    ]

    def __init__(
        self,
        cohort: CohortDetails,
        registration: str | None = None,
        *,
        learner: str = "",
        save_label: str = "Save",
    ) -> None:
        super().__init__()
        self.start = SheetDetails(cohort, registration)
        self.learner = learner
        self.save_label = save_label

    def compose(self) -> ComposeResult:
        cohort = self.start.cohort
        fields = [
            ("Assessor", "assessor", cohort.assessor),
            ("Centre name", "centre_name", cohort.centre_name),
            ("Centre number", "centre_number", cohort.centre_number),
        ]
        if self.start.registration is not None:
            fields.append(("Registration", "registration", self.start.registration))
        with Vertical(id="details"):
            yield Static("Results Sheet details", id="details-title")
            with VerticalScroll(id="details-body"):
                yield Static(
                    "The assessor and centre are kept for the whole cohort "
                    "(companion-cohort.yaml in its folder).",
                    id="details-help",
                )
                for label, name, value in fields:
                    if name == "registration":
                        yield Label(cell(f"Learner registration: {self.learner}"))
                    with Horizontal(classes="details-row"):
                        yield Label(label, classes="details-label")
                        yield Input(value, id=name, max_length=MAX_FIELD, select_on_focus=False)
            with Horizontal(id="details-buttons"):
                yield Button(self.save_label, id="details-save", variant="primary")
                yield Button("Cancel", id="details-cancel")

    def on_mount(self) -> None:
        inputs = list(self.query(Input).results(Input))
        first = next((field for field in inputs if not field.value.strip()), inputs[0])
        for field in inputs:
            field.cursor_position = len(field.value)
        first.focus()
        self.call_after_refresh(first.scroll_visible, animate=False)

    def _typed(self) -> SheetDetails:
        def value(name: str) -> str:
            return self.query_one(f"#{name}", Input).value

        cohort = CohortDetails(value("assessor"), value("centre_name"), value("centre_number"))
        registration = value("registration") if self.start.registration is not None else None
        return SheetDetails(cohort, registration)

    @on(Button.Pressed, "#details-save")
    def action_save(self) -> None:
        self.dismiss(self._typed())

    @on(Button.Pressed, "#details-cancel")
    def action_cancel(self) -> None:
        close_unless_typed(self, self._typed() != self.start, "the details you typed")
