"""Export: the Evidence Matrices, the progress export for a tutor, and the EPA bundle."""

from __future__ import annotations

from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Button, Checkbox, Header, Input, Label, Select, Static

from companion.assessment.status import Status
from companion.documents.writers import FORMATS
from companion.exports.bundle import BundleRefused
from companion.exports.output import ExportError, inside_portfolio, replaces_other_file
from companion.exports.run import KINDS, default_output, run_export
from companion.screens.base import PortfolioScreen
from companion.screens.choose import ChoiceModal
from companion.widgets.footer import CompanionFooter
from companion.widgets.plain import escape

FORMAT_LABELS = {
    "md": "Markdown",
    "csv": "CSV",
    "xlsx": "Excel (XLSX)",
    "docx": "Word (DOCX)",
    "html": "Web page (HTML)",
    "pdf": "PDF",
}


class ExportScreen(PortfolioScreen):
    """Choose what to export and where, then write it in a worker."""

    CSS_PATH = "export.tcss"
    BINDINGS = [
        Binding("ctrl+s", "export", "Export", id="run-export", tooltip="Write the file"),
        Binding("escape", "leave_field", "Leave field", show=False),
    ]

    DRAFT_CONTROL = "tick 'Make it as a draft' above"
    """How this screen makes a draft bundle, named where a final one is refused."""

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="export"):
            yield Label("What", classes="field-title")
            yield Select(
                [(label, kind) for kind, label in KINDS.items()],
                value="matrix",
                allow_blank=False,
                id="export-kind",
            )
            yield Label("Format", classes="field-title", id="format-title")
            yield Select(
                [(FORMAT_LABELS[f], f) for f in FORMATS],
                value="docx",
                allow_blank=False,
                id="export-format",
            )
            yield Checkbox("Include the text of my notes (share with care)", id="with-notes")
            yield Checkbox(
                "Make it as a draft while gateway is not ready (marked DRAFT throughout)",
                id="draft",
            )
            yield Label("Save to", classes="field-title")
            yield Input(id="export-path")
            yield Button("Export", id="export-button", variant="primary")
            yield Static("", id="export-result")
        yield CompanionFooter()

    def on_mount(self) -> None:
        self._suggest()
        self._sync()

    def show_status(self, status: Status) -> None:
        """Nothing to redraw: exports read the status when they run."""

    def _choice(self) -> tuple[str, str]:
        kind = str(self.query_one("#export-kind", Select).value)
        fmt = str(self.query_one("#export-format", Select).value)
        return kind, fmt

    def _suggest(self) -> None:
        portfolio = self.companion.portfolio
        if portfolio is None:
            return
        kind, fmt = self._choice()
        self.query_one("#export-path", Input).value = str(default_output(portfolio, kind, fmt))

    def _sync(self) -> None:
        kind, _ = self._choice()
        # The progress export and the bundle have one format each: no choice to show.
        fixed = kind in ("progress", "bundle")
        self.query_one("#export-format", Select).display = not fixed
        self.query_one("#format-title", Label).display = not fixed
        self.query_one("#with-notes", Checkbox).display = kind == "progress"
        self.query_one("#draft", Checkbox).display = kind == "bundle"

    def on_select_changed(self, event: Select.Changed) -> None:
        self._suggest()
        self._sync()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "export-button":
            self.action_export()

    def action_export(self) -> None:
        """Write the chosen export."""
        status = self.companion.status
        if status is None:
            self.notify("Still reading your notes; try again in a moment.", severity="warning")
            return
        kind, fmt = self._choice()
        typed = self.query_one("#export-path", Input).value.strip()
        if not typed:
            self.notify(
                "Say where to save it: type a file name under 'Save to'", severity="warning"
            )
            self.query_one("#export-path", Input).focus()
            return
        out = Path(typed).expanduser()
        if out.is_dir():
            self.notify(
                f"{out} is a folder: add a file name to it under 'Save to'", severity="warning"
            )
            self.query_one("#export-path", Input).focus()
            return
        options = {
            "with_notes": self.query_one("#with-notes", Checkbox).value,
            "draft": self.query_one("#draft", Checkbox).value,
        }
        targets = [out, out.with_suffix(".html")] if kind == "progress" else [out]
        other = next((t for t in targets if replaces_other_file(t, status.portfolio)), None)
        if other is None or inside_portfolio(other, status.portfolio):
            self._start(status, kind, fmt, out, options)  # in the portfolio: refused, and said
            return

        def answered(answer: str | None) -> None:
            if answer == "replace":
                self._start(status, kind, fmt, out, options)

        self.app.push_screen(
            ChoiceModal(
                f"{other} already exists, and companion did not write it. Replace it?",
                [("keep", "Keep it"), ("replace", "Replace it")],
                safe="keep",
            ),
            answered,
        )

    def _start(
        self, status: Status, kind: str, fmt: str, out: Path, options: dict[str, bool]
    ) -> None:
        self.query_one("#export-result", Static).update("Writing…")
        self._write(status, kind, fmt, out, options)

    @work(thread=True, exclusive=True, group="export", exit_on_error=False)
    def _write(
        self, status: Status, kind: str, fmt: str, out: Path, options: dict[str, bool]
    ) -> None:
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
            written = run_export(status, kind, out, fmt, html=True, **options)
        except BundleRefused as exc:
            self.app.call_from_thread(self._done, [], exc.said(self.DRAFT_CONTROL))
            return
        except (ExportError, OSError) as exc:
            self.app.call_from_thread(self._done, [], str(exc))
            return
        self.app.call_from_thread(self._done, written, "")

    def _done(self, written: list[Path], problem: str) -> None:
        result = self.query_one("#export-result", Static)
        if problem:
            result.update(f"[b $error]Not written:[/] {escape(problem)}")
            self.notify(problem, title="Export", severity="error", timeout=10)
            return
        files = "\n".join(str(p) for p in written)
        result.update(f"[b $success]Written:[/]\n{escape(files)}")
        self.notify(files, title="Exported")

    def action_leave_field(self) -> None:
        """Escape leaves the path being typed, so the screen's keys work again."""
        focused = self.focused
        if isinstance(focused, Input):
            self.query_one("#export-button", Button).focus()
