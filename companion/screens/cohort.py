"""The cohort table: one row per apprentice's export, opened in a worker, sortable."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Header, ProgressBar, Static

from companion import clock
from companion.review.cohort import (
    COLUMNS,
    HEADINGS,
    SORT_KEYS,
    Cohort,
    CohortError,
    CohortRow,
    load_cohort,
    row_for,
    row_values,
)
from companion.review.cohort_details import (
    CohortDetails,
    cohort_folder,
    read_details,
    save_details,
)
from companion.review.feedback import FeedbackError
from companion.text.terminal import safe_line, safe_text
from companion.widgets.footer import CompanionFooter

_FIGURES = ("sufficient", "pd_ksbs", "errors", "warnings", "days_to_gateway")
_RIGHT = {COLUMNS.index(c) for c in (*_FIGURES, "otj_behind", "review_overdue", "changed")}
_ERRORS, _BEHIND, _OVERDUE, _REFERRALS, _CHANGED = (
    COLUMNS.index(c) for c in ("errors", "otj_behind", "review_overdue", "referrals", "changed")
)

SHOWN_ORDER = tuple(
    COLUMNS.index(key)
    for key in (
        "learner",
        "sufficient",
        "referrals",
        "reviewed",
        "changed",
        "errors",
        "otj_behind",
        "review_overdue",
        "warnings",
        "pd_ksbs",
        "days_to_gateway",
        "generated",
        "file",
    )
)
"""The columns as the table draws them: what a tutor acts on first (ACs, referrals, what they
decided, changed since, errors, compliance), so at 80 columns it is in view; the rest
follow."""


def row_cells(row: CohortRow) -> list[Text]:
    """Cells as plain Text: names and messages from files are never read as markup."""
    values = row_values(row)
    values[-1] = row.path.name
    if row.problem:
        values = [safe_line(v) for v in values]
        return [Text(values[0], style="bold red"), *map(Text, values[1:])]
    values = [safe_line(v) for v in values]
    cells = [Text(v, justify="right" if i in _RIGHT else "left") for i, v in enumerate(values)]
    if row.errors:
        cells[_ERRORS].stylize("red")
    if row.otj_behind:
        cells[_BEHIND].stylize("yellow")
    if row.review_overdue:
        cells[_OVERDUE].stylize("bold red")
    if row.compliance is None:
        cells[_BEHIND].stylize("dim")
        cells[_OVERDUE].stylize("dim")
    if row.referrals:
        cells[_REFERRALS].stylize("bold red")
    if row.changed:
        cells[_CHANGED].stylize("bold yellow")
    return cells


class CohortScreen(Screen[None]):
    """Every apprentice at a glance; enter opens one."""

    CSS_PATH = "cohort.tcss"
    BINDINGS = [
        Binding("enter", "open", "Open", show=True),
        Binding("s", "sort", "Sort", tooltip="Sort by the next column"),
        Binding("v", "reverse", "Reverse"),
        Binding("r", "reload", "Reload", tooltip="Read the files again"),
        Binding("a", "details", "Assessor", tooltip="Assessor and centre for the Results Sheets"),
    ]

    def __init__(self, paths: list[Path]) -> None:
        super().__init__()
        self.paths = paths
        self.cohort: Cohort | None = None
        self.sort_key = "learner"
        self.reverse = False
        self.folder = cohort_folder(paths)
        """Where the cohort's assessor and centre are kept."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Opening exports…", id="cohort-status")
        yield Static("", id="cohort-details")
        yield ProgressBar(id="cohort-progress", show_eta=False)
        yield DataTable(id="cohort", cursor_type="row", zebra_stripes=True)
        yield CompanionFooter()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for index in SHOWN_ORDER:
            table.add_column(HEADINGS[index], key=COLUMNS[index])
        self._show_details()
        self.load()

    @work(thread=True, exclusive=True, group="cohort")
    def load(self) -> None:
        def progress(done: int, total: int) -> None:
            self.app.call_from_thread(self._progress, done, total)

        try:
            cohort = load_cohort(self.paths, progress)
        except CohortError as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        self.app.call_from_thread(self._loaded, cohort)

    def _progress(self, done: int, total: int) -> None:
        bar = self.query_one(ProgressBar)
        bar.display = True
        bar.update(total=total, progress=done)
        self.query_one("#cohort-status", Static).update(f"Opening exports… {done}/{total}")

    def _failed(self, message: str) -> None:
        self.query_one(ProgressBar).display = False
        self.query_one("#cohort-status", Static).update(Text(safe_text(message), style="bold red"))

    def _loaded(self, cohort: Cohort) -> None:
        self.cohort = cohort
        self.query_one(ProgressBar).display = False
        self.fill()
        self.query_one(DataTable).focus()

    def fill(self) -> None:
        if self.cohort is None:
            return
        table = self.query_one(DataTable)
        table.clear()
        rows = self.cohort.sorted(self.sort_key, self.reverse)
        for row in rows:
            cells = row_cells(row)
            table.add_row(*(cells[index] for index in SHOWN_ORDER), key=str(row.path))
        broken = sum(1 for r in rows if r.problem)
        arrow = "↓" if self.reverse else "↑"
        read = len(rows) - broken
        self.query_one("#cohort-status", Static).update(
            f"{read} apprentice{'' if read == 1 else 's'}"
            + (f", {broken} file(s) could not be read" if broken else "")
            + f" · sorted by {self.sort_key.replace('_', ' ')} {arrow}"
        )

    def _selected(self) -> CohortRow | None:
        table = self.query_one(DataTable)
        if self.cohort is None or table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return next((r for r in self.cohort.rows if str(r.path) == key), None)

    def action_open(self) -> None:
        from companion.screens.review_learner import LearnerReviewScreen

        row = self._selected()
        if row is None or self.cohort is None:
            return
        if row.problem:
            self.notify(row.problem, title="Cannot open", severity="error")
            return
        self.app.push_screen(
            LearnerReviewScreen(self.cohort.exports[row.path], self.folder),
            lambda _: self._back(row.path),
        )

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def _back(self, path: Path) -> None:
        """Back from an apprentice: refresh their row only (their decisions may have changed)."""
        if self.cohort is None:
            return
        fresh = row_for(self.cohort.exports[path], clock.today())
        self.cohort.rows = [fresh if r.path == path else r for r in self.cohort.rows]
        self.fill()
        self._show_details()  # they may have been set from the apprentice's screen

    def _details(self) -> CohortDetails | None:
        try:
            return read_details(self.folder)
        except FeedbackError as exc:
            self.notify(str(exc), title="Cohort details", severity="error", timeout=10)
            return None

    def _show_details(self) -> None:
        details = self._details()
        line = self.query_one("#cohort-details", Static)
        if details is None or details.empty:
            line.update("Results Sheets: assessor and centre not set (press a)")
            return
        line.update(
            Text(
                safe_line(
                    f"Results Sheets: {details.assessor or 'assessor not set'} · "
                    f"{details.centre_name or 'centre not set'}"
                    + (f" ({details.centre_number})" if details.centre_number else "")
                )
            )
        )

    def action_details(self) -> None:
        """Set the assessor and centre every Results Sheet of this cohort names."""
        from companion.screens.review_details import DetailsModal, SheetDetails

        details = self._details()
        if details is None:
            return

        def saved(typed: SheetDetails | None) -> None:
            if typed is None:
                return
            try:
                path = save_details(self.folder, typed.cohort)
            except FeedbackError as exc:
                self.notify(str(exc), title="Not saved", severity="error", timeout=10)
                return
            self._show_details()
            self.notify(f"Saved {path.name}", title="Cohort details")

        self.app.push_screen(DetailsModal(details), saved)

    def action_sort(self) -> None:
        self.sort_key = SORT_KEYS[(SORT_KEYS.index(self.sort_key) + 1) % len(SORT_KEYS)]
        self.fill()

    def action_reverse(self) -> None:
        self.reverse = not self.reverse
        self.fill()

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        key = event.column_key.value
        if key in SORT_KEYS:
            self.reverse = not self.reverse if key == self.sort_key else False
            self.sort_key = key
            self.fill()

    def palette_commands(self) -> Iterator[SystemCommand]:
        yield SystemCommand("Open apprentice", "Review the selected export", self.action_open)
        yield SystemCommand("Sort cohort", "Sort by the next column", self.action_sort)
        yield SystemCommand("Reverse order", "Reverse the cohort's order", self.action_reverse)
        yield SystemCommand("Reload exports", "Read the files again", self.action_reload)
        yield SystemCommand(
            "Assessor and centre",
            "The details every Results Sheet of this cohort names",
            self.action_details,
        )

    def action_reload(self) -> None:
        self.query_one("#cohort-status", Static).update("Opening exports…")
        self.load()
