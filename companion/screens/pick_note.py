"""Pick the note (or evidence file's card) that evidences an AC, from the AC itself.

People who come from e-portfolio tools start from the criterion: "what evidences 700/1.1?"
This dialog lists the portfolio's notes, those not yet tagged to the AC first and the newest
first among them; typing narrows the list as the Notes filter does (ref, title, type, ACs).
"""

from __future__ import annotations

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from companion.notes.record import NoteRecord
from companion.views.note_list import matches
from companion.widgets.footer import CompanionFooter
from companion.widgets.plain import cell

SHOWN = 200
"""The most notes listed at once; typing narrows a larger portfolio down."""


def _tagged_to(record: NoteRecord, ac_id: str) -> bool:
    return any(tag.ac == ac_id for tag in record.tags)


def pick_order(records: list[NoteRecord], ac_id: str) -> list[NoteRecord]:
    """Readable notes, those not yet tagged to ``ac_id`` first, each group newest first."""
    readable = [r for r in records if r.error is None]
    readable.sort(key=lambda r: str(r.get("date") or ""), reverse=True)
    readable.sort(key=lambda r: _tagged_to(r, ac_id))
    return readable


def option_label(record: NoteRecord, ac_id: str) -> str:
    """One note in the list: ref, date, title, type, and whether it evidences the AC already."""
    parts = [record.ref or "—", str(record.get("date") or ""), record.title]
    kind = str(record.get("type") or "")
    line = "  ".join(p for p in parts if p) + (f"  ({kind})" if kind else "")
    return line + ("  ✔ tagged" if _tagged_to(record, ac_id) else "")


class PickNoteModal(ModalScreen[str | None]):
    """Choose a note to tag to ``ac_id``; dismiss with its path, or ``None``."""

    CSS_PATH = "pick_note.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="cancel-pick")]

    def __init__(self, ac_id: str, verb: str, records: list[NoteRecord]) -> None:
        super().__init__()
        self.ac_id = ac_id
        self.verb = verb
        self.records = pick_order(records, ac_id)

    def compose(self) -> ComposeResult:
        with Vertical(id="pick"):
            yield Label(
                cell(f"Which note evidences {self.ac_id} {self.verb.upper()}?"), id="pick-title"
            )
            yield Input(placeholder="Find a note: ref, title, type or AC", id="pick-search")
            yield OptionList(id="pick-options")
            yield Label("Enter picks the note; then say where in it the AC is met.", id="pick-hint")
        yield CompanionFooter()

    def on_mount(self) -> None:
        self._fill("")
        self.query_one("#pick-search", Input).focus()

    def _fill(self, needle: str) -> None:
        options = self.query_one("#pick-options", OptionList)
        options.clear_options()
        found = [r for r in self.records if matches(r, needle)]
        for record in found[:SHOWN]:
            options.add_option(Option(cell(option_label(record, self.ac_id)), id=record.path))
        if found:
            options.highlighted = 0
        elif needle.strip():
            options.add_option(Option(cell(f"No note matches '{needle.strip()}'"), disabled=True))
        else:
            options.add_option(
                Option("No notes yet: add evidence files or a note (n, then +)", disabled=True)
            )
        if len(found) > SHOWN:
            options.add_option(
                Option(f"… and {len(found) - SHOWN} more: type to narrow them", disabled=True)
            )

    @on(Input.Changed, "#pick-search")
    def _search(self, event: Input.Changed) -> None:
        self._fill(event.value)

    @on(Input.Submitted, "#pick-search")
    def _submitted(self) -> None:
        options = self.query_one("#pick-options", OptionList)
        if options.highlighted is not None:
            option = options.get_option_at_index(options.highlighted)
            if not option.disabled and option.id:
                self.dismiss(option.id)

    @on(OptionList.OptionSelected, "#pick-options")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.dismiss(event.option.id)

    def on_key(self, event: events.Key) -> None:
        """Up and down move through the list while typing in the search box."""
        if self.focused is not self.query_one("#pick-search", Input):
            return
        if event.key in ("down", "up"):
            options = self.query_one("#pick-options", OptionList)
            if event.key == "down":
                options.action_cursor_down()
            else:
                options.action_cursor_up()
            event.stop()
            event.prevent_default()

    def action_cancel(self) -> None:
        self.dismiss(None)
