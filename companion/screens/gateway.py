"""Gateway: the readiness checklist, each item with pass, fail or warn and its reason."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Header, Static

from companion.assessment.funding import termed
from companion.assessment.gateway import FAIL, PASS, blocking, readiness
from companion.assessment.status import Status
from companion.clock import today
from companion.screens.base import PortfolioScreen
from companion.widgets.footer import CompanionFooter
from companion.widgets.plain import cell, escape

_MARK = {PASS: ("✔ pass", "green"), FAIL: ("✖ fail", "red"), "warn": ("! warn", "yellow")}


class GatewayScreen(PortfolioScreen):
    """What still stands between the portfolio and EPA gateway."""

    CSS_PATH = "gateway.tcss"

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="gateway"):
            yield Static("Checking…", id="gateway-verdict")
            yield DataTable(id="gateway-table", cursor_type="row", zebra_stripes=True)
            yield Static("", id="gateway-reason")
        yield CompanionFooter()

    def on_mount(self) -> None:
        table = self.query_one("#gateway-table", DataTable)
        table.add_column("", key="state", width=7)
        table.add_column("Item", key="item")
        table.add_column("Why", key="why")

    def show_status(self, status: Status) -> None:
        items = readiness(status)
        table = self.query_one("#gateway-table", DataTable)
        row = table.cursor_row
        table.clear()
        for item in items:
            label, colour = _MARK.get(item.state, (item.state, ""))
            table.add_row(
                Text(label, style=colour), cell(item.label), cell(item.reason), key=item.id
            )
        if table.row_count:
            table.move_cursor(row=min(max(row, 0), table.row_count - 1))
        blocked = blocking(items)
        portfolio = status.portfolio
        gateway = termed(portfolio.content, portfolio.profile, today(), "gateway", "gateway")
        self.title = (
            termed(portfolio.content, portfolio.profile, today(), "Gateway", "gateway")
            if gateway != "gateway"
            else None
        )
        verdict = self.query_one("#gateway-verdict", Static)
        verdict.set_class(bool(blocked), "blocked")
        verdict.update(
            f"[b]Not ready for {escape(gateway)}[/b]: "
            f"{len(blocked)} of {len(items)} items block it."
            if blocked
            else f"[b]Ready for {escape(gateway)}[/b]: nothing blocks it."
        )
        self._items = {item.id: item for item in items}

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        item = getattr(self, "_items", {}).get(str(event.row_key.value) if event.row_key else "")
        if item is not None:
            self.query_one("#gateway-reason", Static).update(
                f"[b]{escape(item.label)}[/b]\n{escape(item.reason)}"
            )
