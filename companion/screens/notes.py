"""Notes: every note in a sortable table; type to filter, Enter to open.

Below the notes, the evidence files no card names yet (Word, PDF, recordings…) are listed
as "not yet in your portfolio": ``a`` writes a card for the highlighted one, ``A`` for them
all. A card's row shows its file's format beside its type.

The filter takes words (matched in the ref, title, type and ACs) and conditions on the front
matter in the syntax of ``companion notes --where`` (``type=minutes date>=2026-01-01``).

Filtering and sorting run over every note in Python; the table draws at most ``SHOWN`` rows
of the result. A table measures every cell it holds, so ten thousand notes drawn at once
would stop the app for seconds each time the filter changed; the count line says when rows
are left out, and typing narrows them down.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from textual import work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.coordinate import Coordinate
from textual.message import Message
from textual.timer import Timer
from textual.widgets import DataTable, Header, Input, Static
from textual.widgets.data_table import CellDoesNotExist

from companion.assessment.status import Status
from companion.errors import CompanionError
from companion.portfolio.cards import EvidenceFile, evidence_files, plan_cards, write_cards
from companion.screens.base import PortfolioScreen
from companion.screens.choose import ChoiceModal
from companion.views.note_files import file_matches, file_row, note_row, waiting_files, waiting_line
from companion.views.note_list import COLUMNS, note_rows
from companion.views.note_query import parse_filter
from companion.widgets.footer import CompanionFooter
from companion.widgets.plain import cell, escape

SHOWN = 500
"""The most rows the table draws at once."""
FILTER_DELAY = 0.2
"""Seconds of no typing before a large portfolio is filtered again."""
FILE_COLUMNS = ("File", "Format", "Contents")
SHOWN_ORDER = tuple(
    COLUMNS.index(name) for name in ("Ref", "Date", "Flags", "Words", "Tags", "Title", "Type")
)
"""The columns as the table draws them: the short ones that matter first, then the title and
its type, so that at 80 columns a note's open flags are in view and only the title's tail and
the type are cut."""
ADD_KEYS = "a adds the highlighted file, A adds all"


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

    @dataclass
    class FilesRead(Message):
        """The portfolio's evidence files, read in a worker."""

        files: list[EvidenceFile]

    CSS_PATH = "notes.tcss"
    BINDINGS = [
        Binding("slash", "focus_filter", "Filter", id="filter"),
        Binding("s", "cycle_sort", "Sort", id="sort", tooltip="Sort by the next column"),
        Binding("escape", "clear_filter", "Clear filter", show=False),
        Binding("plus", "new_note", "New note", id="new-note"),
        Binding(
            "a",
            "add_file",
            "Add",
            id="add-file",
            tooltip="Write a card so the highlighted file counts as evidence",
        ),
        Binding(
            "A",
            "add_all",
            "Add all",
            id="add-all-files",
            tooltip="Write a card for every file not yet in your portfolio",
        ),
        Binding("A", "add_all_here", "Add all", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.sort_column = 0
        self.sort_reverse = False
        self._pending: Timer | None = None
        self.waiting: list[EvidenceFile] = []
        """The evidence files no card names yet, as last read."""
        self._select_after: str | None = None
        """A card just written: highlighted in the table once the status holds it."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(
            placeholder="Filter by ref, title, type or AC, or type=minutes date>=2026-01…",
            id="filter",
        )
        yield Static("", id="notes-count")
        yield DataTable(id="notes-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="files-title")
        yield DataTable(id="files-table", cursor_type="row")
        yield CompanionFooter()

    def on_mount(self) -> None:
        table = self.query_one("#notes-table", DataTable)
        for index in SHOWN_ORDER:
            table.add_column(COLUMNS[index], key=COLUMNS[index].lower())
        files = self.query_one("#files-table", DataTable)
        for label in FILE_COLUMNS:
            files.add_column(label, key=label.lower())
        self._show_waiting()
        table.focus()

    def show_status(self, status: Status) -> None:
        self._fill(status)
        self._read_files()

    def _refill(self) -> None:
        self._pending = None
        if self.companion.status is not None:
            self._fill(self.companion.status)

    def _fill(self, status: Status) -> None:
        table = self.query_one("#notes-table", DataTable)
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
            cells = note_row(record, flags)
            table.add_row(*(cell(cells[index]) for index in SHOWN_ORDER), key=record.path)
        total = len(status.portfolio.records)
        self.query_one("#notes-count", Static).update(
            count_line(len(shown), len(rows), total, needle)
        )
        if self._select_after is not None and self._select_after in table.rows:
            current, self._select_after = self._select_after, None
            table.focus()
        if current is not None and current in table.rows:
            table.move_cursor(row=table.get_row_index(current))
        self._show_waiting()

    # --- evidence files not yet in the portfolio ------------------------------------

    @work(thread=True, exclusive=True, group="notes-files", exit_on_error=False)
    def _read_files(self) -> None:
        """Read the portfolio's evidence files (a file no card names is read once, then
        cached) away from the screen, and post them back."""
        app = self.companion
        portfolio = app.portfolio
        if portfolio is None or app._closing_down():
            return
        try:
            with app.engine_lock:
                found = evidence_files(portfolio)
        except (CompanionError, OSError) as exc:
            app._notify_from_worker(f"The evidence files could not be listed: {exc}")
            return
        self.post_message(self.FilesRead(found))

    def on_notes_screen_files_read(self, message: NotesScreen.FilesRead) -> None:
        self.waiting = waiting_files(message.files)
        self._show_waiting()

    def _show_waiting(self) -> None:
        """List the files not yet in the portfolio that answer the filter (none: no list)."""
        needle = self.query_one("#filter", Input).value.strip()
        shown = [found for found in self.waiting if file_matches(found, needle)]
        table = self.query_one("#files-table", DataTable)
        title = self.query_one("#files-title", Static)
        current = self._highlighted_file()
        table.clear()
        for found in shown:
            table.add_row(*map(cell, file_row(found)), key=found.path)
        if current is not None and current.path in table.rows:
            table.move_cursor(row=table.get_row_index(current.path))
        title.update(f"{waiting_line(len(shown))}: {ADD_KEYS}")
        if not shown and table.has_focus:
            self.query_one("#notes-table", DataTable).focus()
        title.display = table.display = bool(shown)
        self.refresh_bindings()

    def _highlighted_file(self) -> EvidenceFile | None:
        """The file highlighted in the list of files not yet in the portfolio."""
        table = self.query_one("#files-table", DataTable)
        if not table.row_count or table.cursor_row < 0:
            return None
        try:
            key = table.coordinate_to_cell_key(Coordinate(table.cursor_row, 0)).row_key.value
        except CellDoesNotExist:
            return None
        return next((found for found in self.waiting if found.path == key), None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """In the list of files not yet in the portfolio the footer shows ``a`` and ``A``
        in place of Sort and New note (which act on the notes; at 80 columns there is no
        room for all of them). ``A`` works wherever there are files to add."""
        files = self.query_one("#files-table", DataTable).has_focus and bool(self.waiting)
        if action in ("add_file", "add_all"):
            return files
        if action == "add_all_here":
            return bool(self.waiting) and not files
        if action in ("cycle_sort", "new_note"):
            return not files
        return True

    def on_descendant_focus(self) -> None:
        self.refresh_bindings()

    def action_add_file(self) -> None:
        found = self._highlighted_file()
        if found is None:
            self.notify(
                "Highlight a file under 'not yet in your portfolio' first (Tab moves there)",
                severity="warning",
            )
            return
        self._add([found.path])

    def action_add_all_here(self) -> None:
        self.action_add_all()

    def action_add_all(self) -> None:
        count = len(self.waiting)
        if not count:
            self.notify("Every evidence file is in your portfolio already")
            return
        if count == 1:
            question = "Write a card beside this file, so it counts as evidence?"
        else:
            question = (
                f"Write a card beside each of these {count} files, so they count as evidence?"
            )

        def answered(answer: str | None) -> None:
            if answer == "add":
                self._add(None)

        self.app.push_screen(
            ChoiceModal(
                f"{question} The files themselves are not changed.",
                [("add", "Add"), ("cancel", "Cancel")],
                safe="cancel",
            ),
            answered,
        )

    def _add(self, files: list[str] | None) -> None:
        """Write cards for ``files`` (portfolio paths), or for every file without one."""
        portfolio = self.companion.portfolio
        if portfolio is None:
            return

        def add() -> str:
            skipped: list[str] = []
            plans = plan_cards(
                portfolio,
                [portfolio.root / f for f in files or []],
                every=files is None,
                skipped=skipped,
            )
            written = write_cards(portfolio, plans)
            left = "".join(f"\nLeft out: {reason}" for reason in skipped)
            if not written:
                return ("Every evidence file has a card already" if not skipped else "") + left
            cards = [
                (plan, path.relative_to(portfolio.root).as_posix())
                for plan, path in zip(plans, written, strict=True)
            ]
            self._select_after = cards[0][1]
            if len(cards) == 1:
                plan, card = cards[0]
                return f"Added {plan.file} as {plan.ref} ({plan.type}): its card is {card}" + left
            lines = [f"Added {len(cards)} files:"]
            lines += [f"{plan.ref} {card}" for plan, card in cards]
            return "\n".join(lines) + left

        self.companion.run_engine(add)

    def palette_commands(self) -> Iterator[SystemCommand]:
        """This screen's actions by name."""
        yield SystemCommand(
            "Add file",
            "Write a card for the highlighted file not yet in your portfolio",
            self.action_add_file,
        )
        yield SystemCommand(
            "Add all files",
            "Write a card for every evidence file not yet in your portfolio",
            self.action_add_all,
        )

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
        table = self.query_one("#notes-table", DataTable)
        needle = event.value.strip()
        files = self.query_one("#files-table", DataTable)
        if not table.row_count and files.row_count:
            files.focus()  # only files not yet in the portfolio match: there to add them
            return
        if not table.row_count and needle and not parse_filter(needle)[0]:
            self.companion.search_for(needle)  # no note's name has it: look in the text
            return
        table.focus()

    def action_focus_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def action_clear_filter(self) -> None:
        self.query_one("#filter", Input).value = ""
        self.query_one("#notes-table", DataTable).focus()

    def action_cycle_sort(self) -> None:
        if self.sort_reverse:
            shown_at = SHOWN_ORDER.index(self.sort_column)
            self.sort_column = SHOWN_ORDER[(shown_at + 1) % len(SHOWN_ORDER)]
        self.sort_reverse = not self.sort_reverse
        self._refill()
        direction = "descending" if self.sort_reverse else "ascending"
        self.notify(f"Sorted by {COLUMNS[self.sort_column]} ({direction})", timeout=2)

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        if event.data_table.id != "notes-table":
            return
        index = SHOWN_ORDER[event.column_index]
        self.sort_reverse = not self.sort_reverse if index == self.sort_column else False
        self.sort_column = index
        self._refill()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        from companion.screens.note import NoteScreen

        if event.data_table.id == "files-table":
            name = Path(str(event.row_key.value)).name
            self.notify(f"{name} is not yet in your portfolio: press a to add it")
            return
        self.app.push_screen(NoteScreen(str(event.row_key.value)))

    def action_new_note(self) -> None:
        from companion.screens.new_note import NewNoteModal

        self.app.push_screen(NewNoteModal())
