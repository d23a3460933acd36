"""Notes: every note in a sortable table; type to filter, Enter to open."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Header, Input

from companion.note_record import NoteRecord
from companion.report import Status
from companion.screens.base import PortfolioScreen
from companion.widgets.footer import CompanionFooter

COLUMNS = ("Ref", "Date", "Type", "Title", "Words", "Tags", "Flags")


def row_for(record: NoteRecord, flags: int) -> tuple[str, ...]:
    """The table row of one note."""
    if record.error:
        return ("", "", "unreadable", record.path, "", "", str(flags))
    return (
        record.ref,
        str(record.get("date") or ""),
        str(record.get("type") or ""),
        record.title,
        str(record.words),
        str(len(record.tags)),
        str(flags or ""),
    )


def matches(record: NoteRecord, needle: str) -> bool:
    """True when the filter text appears in the note's ref, title, type, path or tags."""
    if not needle:
        return True
    haystack = " ".join(
        [
            record.path,
            record.ref,
            record.title,
            str(record.get("type") or ""),
            *(str(t.get("ac")) for t in record.tags),
        ]
    ).lower()
    return all(word in haystack for word in needle.lower().split())


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

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder="Type to filter by ref, title, type or AC…", id="filter")
        yield DataTable(id="notes-table", cursor_type="row", zebra_stripes=True)
        yield CompanionFooter()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label in COLUMNS:
            table.add_column(label, key=label.lower())
        table.focus()

    def show_status(self, status: Status) -> None:
        self._fill(status)

    def _fill(self, status: Status) -> None:
        table = self.query_one(DataTable)
        current = None
        if table.row_count and table.cursor_row >= 0:
            try:
                current = table.coordinate_to_cell_key((table.cursor_row, 0)).row_key.value
            except Exception:
                current = None
        flag_counts: dict[str, int] = {}
        for flag in status.flags:
            if not flag.acknowledged:
                flag_counts[flag.note] = flag_counts.get(flag.note, 0) + 1
        needle = self.query_one("#filter", Input).value.strip()
        table.clear()
        records = [r for r in status.portfolio.records.values() if matches(r, needle)]
        for record in records:
            table.add_row(*row_for(record, flag_counts.get(record.path, 0)), key=record.path)
        self._sort(table)
        if current is not None and current in table.rows:
            table.move_cursor(row=table.get_row_index(current))

    def _sort(self, table: DataTable) -> None:
        key = COLUMNS[self.sort_column].lower()
        numeric = key in {"words", "tags", "flags"}
        table.sort(
            key,
            key=(lambda v: int(v or 0)) if numeric else (lambda v: str(v).lower()),
            reverse=self.sort_reverse,
        )

    def on_input_changed(self, event: Input.Changed) -> None:
        if self.companion.status is not None:
            self._fill(self.companion.status)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.query_one(DataTable).focus()

    def action_focus_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def action_clear_filter(self) -> None:
        self.query_one("#filter", Input).value = ""
        self.query_one(DataTable).focus()

    def action_cycle_sort(self) -> None:
        if self.sort_reverse:
            self.sort_column = (self.sort_column + 1) % len(COLUMNS)
        self.sort_reverse = not self.sort_reverse
        self._sort(self.query_one(DataTable))
        direction = "descending" if self.sort_reverse else "ascending"
        self.notify(f"Sorted by {COLUMNS[self.sort_column]} ({direction})", timeout=2)

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        index = event.column_index
        self.sort_reverse = not self.sort_reverse if index == self.sort_column else False
        self.sort_column = index
        self._sort(event.data_table)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        from companion.screens.note import NoteScreen

        self.app.push_screen(NoteScreen(str(event.row_key.value)))

    def action_new_note(self) -> None:
        from companion.screens.new_note import NewNoteModal

        self.app.push_screen(NewNoteModal())
