"""Notes: every note in a sortable table; type to filter, Enter to open.

The filter takes words (matched in the ref, title, type and ACs) and conditions on the front
matter in the syntax of ``companion notes --where`` (``type=minutes date>=2026-01-01``).

Filtering and sorting run over every note in Python; the table draws at most ``SHOWN`` rows
of the result. A table measures every cell it holds, so ten thousand notes drawn at once
would stop the app for seconds each time the filter changed; the count line says when rows
are left out, and typing narrows them down.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.coordinate import Coordinate
from textual.timer import Timer
from textual.widgets import DataTable, Header, Input, Static
from textual.widgets.data_table import CellDoesNotExist

from companion.assessment.status import Status
from companion.screens.base import PortfolioScreen
from companion.views.note_list import COLUMNS, note_rows, row_for
from companion.views.note_query import parse_filter
from companion.widgets.footer import CompanionFooter
from companion.widgets.plain import cell, escape

SHOWN = 500
"""The most rows the table draws at once."""
FILTER_DELAY = 0.2
"""Seconds of no typing before a large portfolio is filtered again."""


def count_line(shown: int, matching: int, total: int, needle: str) -> str:
    """What the table holds, in words (markup)."""
    noun = "note" if total == 1 else "notes"
    if needle:
        found = f"{matching} of {total} {noun} match [b]{escape(needle)}[/b]"
    else:
        found = f"{total} {noun}"
    if shown < matching:
        return f"{found}; showing the first {shown}: type to narrow them down"
    if needle and not matching:
        return f"{found}: Enter searches the notes' text for it"
    return found


class NotesScreen(PortfolioScreen):
    """Find a note and open it."""

    CSS_PATH = "notes.tcss"
    BINDINGS = [
        Binding("slash", "focus_filter", "Filter", id="filter"),
        Binding("s", "cycle_sort", "Sort", id="sort", tooltip="Sort by the next column"),
        Binding("escape", "clear_filter", "Clear filter", show=False),
        Binding("plus", "new_note", "New note", id="new-note"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.sort_column = 0
        self.sort_reverse = False
        self._pending: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(
            placeholder="Filter by ref, title, type or AC, or type=minutes date>=2026-01…",
            id="filter",
        )
        yield Static("", id="notes-count")
        yield DataTable(id="notes-table", cursor_type="row", zebra_stripes=True)
        yield CompanionFooter()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label in COLUMNS:
            table.add_column(label, key=label.lower())
        table.focus()

    def show_status(self, status: Status) -> None:
        self._fill(status)

    def _refill(self) -> None:
        self._pending = None
        if self.companion.status is not None:
            self._fill(self.companion.status)

    def _fill(self, status: Status) -> None:
        table = self.query_one(DataTable)
        current = None
        if table.row_count and table.cursor_row >= 0:
            try:
                current = table.coordinate_to_cell_key(
                    Coordinate(table.cursor_row, 0)
                ).row_key.value
            except CellDoesNotExist:
                current = None
        needle = self.query_one("#filter", Input).value.strip()
        rows = note_rows(status, needle, self.sort_column, self.sort_reverse)
        shown = rows[:SHOWN]
        table.clear()
        for record, flags in shown:
            table.add_row(*map(cell, row_for(record, flags)), key=record.path)
        total = len(status.portfolio.records)
        self.query_one("#notes-count", Static).update(
            count_line(len(shown), len(rows), total, needle)
        )
        if current is not None and current in table.rows:
            table.move_cursor(row=table.get_row_index(current))

    def on_input_changed(self, event: Input.Changed) -> None:
        status = self.companion.status
        if status is None:
            return
        if self._pending is not None:
            self._pending.stop()
            self._pending = None
        if len(status.portfolio.records) <= SHOWN:
            self._fill(status)
        else:  # wait for a pause in typing before filtering thousands of notes again
            self._pending = self.set_timer(FILTER_DELAY, self._refill)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if self._pending is not None:
            self._pending.stop()
            self._refill()
        table = self.query_one(DataTable)
        needle = event.value.strip()
        if not table.row_count and needle and not parse_filter(needle)[0]:
            self.companion.search_for(needle)  # no note's name has it: look in the text
            return
        table.focus()

    def action_focus_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def action_clear_filter(self) -> None:
        self.query_one("#filter", Input).value = ""
        self.query_one(DataTable).focus()

    def action_cycle_sort(self) -> None:
        if self.sort_reverse:
            self.sort_column = (self.sort_column + 1) % len(COLUMNS)
        self.sort_reverse = not self.sort_reverse
        self._refill()
        direction = "descending" if self.sort_reverse else "ascending"
        self.notify(f"Sorted by {COLUMNS[self.sort_column]} ({direction})", timeout=2)

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        index = event.column_index
        self.sort_reverse = not self.sort_reverse if index == self.sort_column else False
        self.sort_column = index
        self._refill()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        from companion.screens.note import NoteScreen

        self.app.push_screen(NoteScreen(str(event.row_key.value)))

    def action_new_note(self) -> None:
        from companion.screens.new_note import NewNoteModal

        self.app.push_screen(NewNoteModal())
