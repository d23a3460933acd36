"""KSBs: every knowledge, skill and behaviour with the ACs that reach it, and the duties."""

from __future__ import annotations

from textwrap import shorten

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Header, Markdown, TabbedContent, TabPane

from companion.assessment.status import Status
from companion.screens.base import PortfolioScreen
from companion.text.markdown import escape_markdown
from companion.widgets.footer import CompanionFooter
from companion.widgets.plain import cell


class KsbsScreen(PortfolioScreen):
    """How the evidence reaches the standard."""

    CSS_PATH = "ksbs.tcss"

    def compose(self) -> ComposeResult:
        yield Header()
        with TabbedContent(initial="ksb-tab"):
            with TabPane("KSBs", id="ksb-tab"):
                yield DataTable(id="ksb-table", cursor_type="row", zebra_stripes=True)
                with VerticalScroll(id="ksb-detail-pane"):
                    yield Markdown("", id="ksb-detail")
            with TabPane("Duties", id="duty-tab"), VerticalScroll():
                yield Markdown("", id="duties")
        yield CompanionFooter()

    def on_mount(self) -> None:
        table = self.query_one("#ksb-table", DataTable)
        for label in ("KSB", "ACs", "Evidence", "EPA method", "Text"):
            table.add_column(label, key=label.lower())

    def show_status(self, status: Status) -> None:
        content = status.portfolio.content
        table = self.query_one("#ksb-table", DataTable)
        row = table.cursor_row
        table.clear()
        methods = {m.id: m.title for m in content.standard.epa_methods}
        for ksb in content.standard.ksbs:
            progress = status.progress.ksbs[ksb.id]
            method = methods.get(progress.epa_method or "", progress.epa_method or "")
            evidence = str(len(progress.notes)) if progress.notes else "none"
            table.add_row(
                *map(
                    cell,
                    (
                        ksb.id,
                        ", ".join(progress.criteria),
                        evidence,
                        method,
                        shorten(ksb.text, 90, placeholder=" …"),
                    ),
                ),
                key=ksb.id,
            )
        if table.row_count:
            table.move_cursor(row=min(max(row, 0), table.row_count - 1))
        duty_lines = ["# Duties", ""]
        for duty in content.standard.duties:
            duty_lines.append(f"- **{duty.id}** {duty.text}  \n  KSBs: {', '.join(duty.ksbs)}")
        self.query_one("#duties", Markdown).update("\n".join(duty_lines))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        status = self.companion.status
        if status is None or event.row_key is None:
            return
        code = str(event.row_key.value)
        content = status.portfolio.content
        ksb = content.ksb(code)
        progress = status.progress.ksbs.get(code)
        if ksb is None or progress is None:
            return
        lines = [f"## {code}", ksb.text]
        standard_text = getattr(ksb, "standard_text", None)
        if standard_text:
            lines += ["", f"*Standard wording:* {standard_text}"]
        for part in getattr(ksb, "parts", ()):
            lines.append(f"- **{part.id}** {part.text}")
        lines += [
            "",
            f"Reached by: {', '.join(progress.criteria) or 'no AC'}",
            "Evidence notes: "
            + (", ".join(escape_markdown(n) for n in sorted(progress.notes)) or "none yet"),
        ]
        self.query_one("#ksb-detail", Markdown).update("\n".join(lines))
