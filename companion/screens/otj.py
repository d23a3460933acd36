"""Off-the-job training and progress reviews: the log against the plan, a bar per month, the
checks, the reviews held and the next due; add or edit an entry, write the review pack,
import a signed sign-off, start a review record.

Everything shown comes from ``companion.assessment.otj`` and ``companion.assessment.reviews``
(worked out in the app's worker); every change goes through the same functions the CLI uses.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from pathlib import Path

from textual import work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.markup import escape
from textual.widgets import DataTable, Header, Label, Static

from companion import clock
from companion.assessment.otj import OtjStatus, ksb_checker, log_kinds, otj_status
from companion.assessment.reviews import new_review, review_schedule
from companion.assessment.status import Status
from companion.exports.review_pack import ReviewPackError, write_review_pack
from companion.exports.run import default_output
from companion.portfolio.hours import hours_text
from companion.portfolio.otj_log import (
    Checker,
    Entry,
    add_entry,
    delete_entry,
    replace_entry,
)
from companion.review.signoff import import_signoff
from companion.screens.base import PortfolioScreen
from companion.screens.choose import ChoiceModal
from companion.views.otj import flag_lines, month_bars, reviews_text, summary_lines
from companion.widgets.footer import CompanionFooter
from companion.widgets.plain import cell


@dataclass(frozen=True)
class LogWriter:
    """The portfolio's log as last read, and the rules a change to it is checked by."""

    root: Path
    ksb: Checker
    allowed: Collection[str] | None
    expected: bytes | None
    today: dt.date


class OtjScreen(PortfolioScreen):
    """The off-the-job log and the progress reviews."""

    CSS_PATH = "otj.tcss"
    BINDINGS = [
        Binding("a", "add", "Add", id="otj-add", tooltip="Add an off-the-job entry"),
        Binding(
            "e",
            "edit",
            "Edit",
            id="otj-edit",
            tooltip="Edit the highlighted entry (or press enter on it)",
        ),
        Binding(
            "delete",
            "delete_entry",
            "Delete",
            id="otj-delete",
            tooltip="Delete the highlighted entry (asks first)",
        ),
        Binding("w", "pack", "Pack", id="otj-pack", tooltip="Write the review pack to sign"),
        Binding(
            "i", "import_signoff", "Import", id="otj-import", tooltip="Import a signed sign-off"
        ),
        Binding(
            "N",
            "new_review",
            "Review record",
            id="otj-new-review",
            tooltip="Write the record of a review held today",
        ),
    ]

    _otj: OtjStatus | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="otj"):
            yield Static("Reading your log…", id="otj-summary")
            yield Label("By month", classes="section-title")
            yield Static("", id="otj-chart")
            yield Label(
                "Log (a adds an entry; enter or e edits the highlighted one)",
                classes="section-title",
            )
            yield DataTable(id="otj-table", cursor_type="row", zebra_stripes=True)
            yield Static("", id="otj-flags")
            yield Label("Progress reviews", classes="section-title")
            yield Static("", id="otj-reviews")
            yield Static("", id="otj-result")
        yield CompanionFooter()

    def on_mount(self) -> None:
        table = self.query_one("#otj-table", DataTable)
        table.add_column("#", key="number", width=4)
        table.add_column("Date", key="date", width=10)
        table.add_column("Hours", key="hours", width=6)
        table.add_column("Kind", key="kind", width=18)
        table.add_column("Total", key="total", width=6)
        table.add_column("Plan", key="plan", width=6)
        table.add_column("Activity", key="activity")
        table.focus()

    def show_status(self, status: Status) -> None:
        otj = otj_status(status)
        schedule = review_schedule(status)
        self._otj = otj
        profile = status.portfolio.profile
        self.query_one("#otj-summary", Static).update(escape("\n".join(summary_lines(otj))))
        bars = month_bars(otj, 30)
        self.query_one("#otj-chart", Static).update(
            escape("\n".join(bars)) if bars else "No months yet: set programme_start."
        )
        table = self.query_one("#otj-table", DataTable)
        row = table.cursor_row
        table.clear()
        for entry in otj.entries:
            planned = otj.planned_on(profile, entry.date)
            counted = entry.number in otj.counted
            table.add_row(
                cell(entry.number),
                cell(entry.date.isoformat()),
                cell(hours_text(entry.minutes)),
                cell(entry.kind),
                cell(hours_text(otj.running.get(entry.number, 0)) if counted else "—"),
                cell(hours_text(planned) if planned is not None else ""),
                cell(entry.activity + ("" if counted else "  (not counted)")),
                key=str(entry.number),
            )
        if table.row_count:
            table.move_cursor(row=min(max(row, 0), table.row_count - 1))
        flags = flag_lines(otj)
        self.query_one("#otj-flags", Static).update(
            escape("\n".join(flags)) if flags else "[$success]No problems in the log.[/]"
        )
        reviews = self.query_one("#otj-reviews", Static)
        text = escape(reviews_text(schedule))
        reviews.update(f"[b $error]{text}[/]" if schedule.overdue else text)

    # --- entries ----------------------------------------------------------------------

    def _entry(self) -> Entry | None:
        table = self.query_one("#otj-table", DataTable)
        if self._otj is None or not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return next((e for e in self._otj.entries if str(e.number) == key), None)

    def _log_writer(self) -> LogWriter | None:
        """What a change to the log needs, or ``None`` (said) while the log is being read."""
        portfolio = self.companion.portfolio
        otj = self._otj
        if portfolio is None or otj is None:
            self.notify("Still reading your notes; try again in a moment.", severity="warning")
            return None
        today = clock.today()
        return LogWriter(
            root=portfolio.root,
            ksb=ksb_checker(portfolio.content),
            allowed=log_kinds(portfolio.content, portfolio.profile, today),
            expected=otj.log.raw,
            today=today,
        )

    def _form(self, entry: Entry | None) -> None:
        from companion.screens.otj_entry import OtjEntryModal

        writer = self._log_writer()
        portfolio = self.companion.portfolio
        otj = self._otj
        if writer is None or portfolio is None or otj is None:
            return

        def save(new: Entry | None) -> None:
            if new is None:
                return

            def write() -> str:
                w = writer
                if entry is None:
                    add_entry(w.root, new, w.ksb, w.allowed, expected=w.expected)
                    return f"Added {hours_text(new.minutes)} hours on {new.date.isoformat()}"
                replace_entry(w.root, entry.number, new, w.ksb, w.allowed, expected=w.expected)
                return f"Changed entry {entry.number}"

            self.companion.run_engine(write)

        modal = OtjEntryModal(
            otj.kinds, writer.allowed, writer.ksb, set(portfolio.records), writer.today, entry
        )
        self.app.push_screen(modal, save)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on an entry edits it."""
        self.action_edit()

    def action_add(self) -> None:
        """Add an entry to the log."""
        self._form(None)

    def action_edit(self) -> None:
        """Edit the highlighted entry."""
        entry = self._entry()
        if entry is None:
            self.notify("No entry to edit: add one with a", severity="warning")
            return
        self._form(entry)

    def action_delete_entry(self) -> None:
        """Delete the highlighted entry, once the learner says so."""
        entry = self._entry()
        if entry is None:
            self.notify("No entry to delete", severity="warning")
            return
        writer = self._log_writer()
        if writer is None:
            return

        def write() -> str:
            delete_entry(
                writer.root, entry.number, writer.ksb, writer.allowed, expected=writer.expected
            )
            return f"Deleted entry {entry.number} ({entry.date.isoformat()})"

        def answered(answer: str | None) -> None:
            if answer == "delete":
                self.companion.run_engine(write)

        self.app.push_screen(
            ChoiceModal(
                f"Delete entry {entry.number}: {entry.date.isoformat()}, "
                f"{hours_text(entry.minutes)} hours, {entry.activity}? Its lines are removed "
                "from otj.yaml.",
                [("delete", "Delete"), ("keep", "Keep it")],
                safe="keep",
            ),
            answered,
        )

    # --- reviews ----------------------------------------------------------------------

    def action_pack(self) -> None:
        """Write the review pack (and its sign-off file) beside the portfolio."""
        status = self.companion.status
        if status is None:
            self.notify("Still reading your notes; try again in a moment.", severity="warning")
            return
        today = clock.today()
        out = default_output(status.portfolio, f"review-pack-{today.isoformat()}", "docx")
        self.query_one("#otj-result", Static).update("Writing the review pack…")
        self._write_pack(status, out)

    @work(thread=True, exclusive=True, group="review-pack", exit_on_error=False)
    def _write_pack(self, status: Status, out: Path) -> None:
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
            written = write_review_pack(status, out, "docx")
        except (ReviewPackError, OSError) as exc:
            self.app.call_from_thread(self._done, str(exc), True)
            return
        self.app.call_from_thread(
            self._done,
            f"Written:\n{written.pack}\n{written.signoff} (to be signed)\n"
            f"{written.page} (open it in a browser to sign)",
            False,
        )

    def _done(self, message: str, failed: bool) -> None:
        result = self.query_one("#otj-result", Static)
        if failed:
            result.update(f"[b $error]Not written:[/] {escape(message)}")
            self.notify(message, title="Review pack", severity="error", timeout=10)
            return
        result.update(escape(message))
        result.scroll_visible()
        self.notify(message, title="Review pack")

    def action_import_signoff(self) -> None:
        """Import a signed sign-off file."""
        from companion.screens.signoff_import import SignoffImportModal

        portfolio = self.companion.portfolio
        if portfolio is None:
            return
        root, profile = portfolio.root, portfolio.profile

        def chosen(path: Path | None) -> None:
            if path is None:
                return

            def run() -> str:
                result = import_signoff(path, root, profile)
                signed = ", ".join(result.signoff.signed) or "nobody"
                return f"Sign-off {result.outcome}: {result.path.name} (signed by {signed})"

            self.companion.run_engine(run)

        suggestion = str(default_output(portfolio, "review-pack", "docx").parent) + "/"
        self.app.push_screen(SignoffImportModal(suggestion), chosen)

    def action_new_review(self) -> None:
        """Write the record of a review held today, with progress and OTJ filled in."""
        status = self.companion.status
        if status is None:
            return
        today = clock.today()
        self.companion.run_engine(lambda: f"Wrote {new_review(status, today)}")

    def palette_commands(self) -> Iterator[SystemCommand]:
        """This screen's actions by name."""
        yield SystemCommand("Add OTJ entry", "Add an off-the-job training entry", self.action_add)
        yield SystemCommand("Edit OTJ entry", "Edit the highlighted entry", self.action_edit)
        yield SystemCommand(
            "Delete OTJ entry", "Delete the highlighted entry", self.action_delete_entry
        )
        yield SystemCommand(
            "Write review pack", "The pack for a progress review, to sign", self.action_pack
        )
        yield SystemCommand(
            "Import sign-off", "Import a signed review sign-off", self.action_import_signoff
        )
        yield SystemCommand(
            "New review record", "Write the record of a review held today", self.action_new_review
        )
