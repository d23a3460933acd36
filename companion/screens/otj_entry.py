"""The form that adds or edits one entry of the off-the-job log.

It checks the fields with the same function the CLI uses (``check_entry``), so a mistake is
shown under the form and the learner's typing is kept; only a valid entry is handed back for
the app to write.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.markup import escape
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from companion.content.funding import OtjKind
from companion.portfolio.hours import hmm_text, hours_text
from companion.portfolio.otj_log import (
    Checker,
    Entry,
    OtjLogError,
    check_entry,
    refuse_future,
    split_ksbs,
)
from companion.screens.choose import close_unless_typed

FIELDS = ("date", "hours", "activity", "ksbs", "evidence", "note")


class OtjEntryModal(ModalScreen[Entry | None]):
    """Add an entry (``entry`` is None) or edit one; dismissed with the valid entry."""

    CSS_PATH = "otj_entry.tcss"
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="cancel-entry"),
        Binding("ctrl+s", "save", "Save", id="save-entry", priority=True),
    ]

    def __init__(
        self,
        kinds: tuple[OtjKind, ...],
        allowed: Collection[str] | None,
        ksb: Checker,
        notes: set[str],
        today: dt.date,
        entry: Entry | None = None,
    ) -> None:
        super().__init__()
        self.kinds = kinds
        self.allowed = allowed
        self.ksb = ksb
        self.notes = notes
        self.today = today
        self.entry = entry

    def compose(self) -> ComposeResult:
        entry = self.entry
        title = f"Edit entry {entry.number}" if entry else "Add an off-the-job entry"
        hours = ""
        if entry:
            hours = hours_text(entry.minutes) if entry.minutes % 3 == 0 else hmm_text(entry.minutes)
        options = [(f"{k.label}{'' if k.counts else ' (not OTJ)'}", k.id) for k in self.kinds]
        if entry and entry.kind not in {k.id for k in self.kinds}:
            options.append((entry.kind, entry.kind))
        with VerticalScroll(id="otj-form"):
            yield Label(f"[b]{title}[/b]", id="otj-form-title")
            yield Label("Date (YYYY-MM-DD)", classes="field-title")
            yield Input(entry.date.isoformat() if entry else self.today.isoformat(), id="date")
            yield Label("Hours (3.5 or 3:30)", classes="field-title")
            yield Input(hours, placeholder="3.5", id="hours")
            yield Label("Kind", classes="field-title")
            if options:
                yield Select(
                    options,
                    value=entry.kind if entry else options[0][1],
                    allow_blank=False,
                    id="kind",
                )
            else:
                yield Input(entry.kind if entry else "training", id="kind")
            yield Label("Activity: what you did", classes="field-title")
            yield Input(entry.activity if entry else "", id="activity")
            yield Label("KSBs it develops (K1 S2 ...)", classes="field-title")
            yield Input(" ".join(entry.ksbs) if entry else "", id="ksbs")
            yield Label("Evidence note it produced (optional)", classes="field-title")
            yield Input(
                entry.evidence if entry else "", placeholder="evidence/02-plan.md", id="evidence"
            )
            yield Label("Note (optional, e.g. time off in lieu agreed)", classes="field-title")
            yield Input(entry.note if entry else "", id="note")
            # Docked: the buttons and what is wrong stay in view while the fields scroll.
            with Horizontal(id="otj-form-buttons"):
                yield Button("Save", variant="primary", id="save")
                yield Button("Cancel", id="cancel")
            yield Static("", id="otj-form-error")

    def on_mount(self) -> None:
        self.start = self._typed()
        if self.entry is None:  # the first field: a date typed replaces today's, Tab keeps it
            date = self.query_one("#date", Input)
            date.focus()
            date.select_all()
        else:
            self.query_one("#activity", Input).focus()

    def _value(self, field: str) -> str:
        return self.query_one(f"#{field}", Input).value

    def _typed(self) -> tuple[str, ...]:
        """Every field as it stands: Cancel asks first once this differs from the start."""
        return (*map(self._value, FIELDS), self._kind())

    def _kind(self) -> str:
        widget = self.query_one("#kind")
        if isinstance(widget, Select):
            return str(widget.value)
        return self.query_one("#kind", Input).value

    def _error(self, message: str) -> None:
        error = self.query_one("#otj-form-error", Static)
        error.update(f"[b $error]Not saved:[/] {escape(message)}")
        error.scroll_visible()

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        """Check the fields; hand back the entry, or say what is wrong and keep the form."""
        evidence = self._value("evidence").strip().strip("/")
        if evidence and evidence not in self.notes:
            self._error(f"'{evidence}' is not a note in the portfolio")
            return
        fields = {
            "date": self._value("date"),
            "hours": self._value("hours"),
            "activity": self._value("activity"),
            "kind": self._kind(),
            "ksbs": split_ksbs(self._value("ksbs")),
            "evidence": evidence,
            "note": self._value("note"),
        }
        try:
            entry = check_entry(fields, self.ksb, self.allowed)
            refuse_future(entry, self.today)
        except OtjLogError as exc:
            self._error(exc.message)
            return
        self.dismiss(entry)

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """Close without saving, asking first if anything was typed."""
        close_unless_typed(self, self._typed() != self.start, "this entry")
