"""Flags: every evidence problem, errors first, grouped by note; jump to a note, acknowledge."""

from __future__ import annotations

from typing import Literal

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Header, Static, Tree
from textual.widgets.tree import TreeNode

from companion.assessment.rules import ERROR, WARNING, Flag
from companion.assessment.status import Status
from companion.screens.base import PortfolioScreen
from companion.widgets.footer import CompanionFooter
from companion.widgets.plain import cell

SHOWN_NOTES = 300
"""The most notes listed under errors, and under warnings: a tree of ten thousand notes
would stop the app for seconds each time it is drawn. Those listed come first in path order;
the rest appear as these are fixed."""

FlagRow = tuple[Literal["note"], str] | tuple[Literal["flag"], Flag]
"""What a row of the tree stands for: a note (its path) or one of its flags."""


class FlagsScreen(PortfolioScreen):
    """What to fix before gateway, and what to look at."""

    CSS_PATH = "flags.tcss"
    BINDINGS = [
        Binding("enter", "open_note", "Open note", id="open-note"),
        Binding(
            "a",
            "acknowledge",
            "Acknowledge",
            id="acknowledge-flag",
            tooltip="Accept the highlighted warning",
        ),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="flag-summary")
        yield Tree[FlagRow]("Flags", id="flag-tree")
        yield Static("", id="flag-reason")
        yield CompanionFooter()

    def on_mount(self) -> None:
        tree = self.query_one(Tree)
        tree.show_root = False
        tree.focus()

    def show_status(self, status: Status) -> None:
        tree: Tree[FlagRow] = self.query_one(Tree)
        cursor = tree.cursor_line
        tree.clear()
        errors = [f for f in status.flags if f.severity == ERROR]
        warnings = [f for f in status.flags if f.severity == WARNING]
        self.query_one("#flag-summary", Static).update(
            f"[b]{len(errors)}[/b] errors block gateway · [b]{len(warnings)}[/b] warnings "
            f"({sum(1 for f in warnings if f.acknowledged)} acknowledged)"
        )
        for title, group in (("Errors", errors), ("Warnings", warnings)):
            section = tree.root.add(f"{title} ({len(group)})", expand=True)
            by_note: dict[str, list[Flag]] = {}
            for flag in group:
                by_note.setdefault(flag.note, []).append(flag)
            for note, flags in list(by_note.items())[:SHOWN_NOTES]:
                note_node = section.add(cell(note), data=("note", note), expand=True)
                for flag in flags:
                    mark = "✔ " if flag.acknowledged else ""
                    note_node.add_leaf(
                        cell(f"{mark}[{flag.code}] {flag.message}"), data=("flag", flag)
                    )
            if len(by_note) > SHOWN_NOTES:
                section.add_leaf(
                    f"… and {len(by_note) - SHOWN_NOTES} more notes "
                    "(companion check lists them all)"
                )
        if cursor >= 0:
            self.call_after_refresh(setattr, tree, "cursor_line", cursor)

    def _selected(self) -> FlagRow | None:
        """The highlighted row's data: ("note", path) or ("flag", Flag)."""
        node: TreeNode[FlagRow] | None = self.query_one(Tree).cursor_node
        return node.data if node is not None and node.data else None

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted[FlagRow]) -> None:
        """The highlighted flag whole, wrapped, and why the rule exists: a tree row is one
        line and cuts a long message at the screen's edge."""
        data = event.node.data
        shown = Text()
        if data and data[0] == "flag":
            flag = data[1]
            shown.append(cell(f"[{flag.code}] {flag.message}"))
            shown.stylize("bold")
            if flag.reason:
                shown.append("\n")
                shown.append(cell(flag.reason))
        self.query_one("#flag-reason", Static).update(shown)

    def action_open_note(self) -> None:
        from companion.screens.note import NoteScreen

        data = self._selected()
        if not data:
            return
        note = data[1].note if data[0] == "flag" else data[1]
        self.app.push_screen(NoteScreen(note))

    def on_tree_node_selected(self, event: Tree.NodeSelected[FlagRow]) -> None:
        if event.node.data and event.node.data[0] == "note":
            self.action_open_note()

    def action_acknowledge(self) -> None:
        data = self._selected()
        if not data or data[0] != "flag":
            self.notify("Highlight a warning first", severity="warning")
            return
        flag = data[1]
        if flag.severity != WARNING:
            self.notify("Errors cannot be acknowledged: they must be fixed", severity="error")
            return
        portfolio = self.companion.portfolio
        if portfolio is None:
            return
        path = portfolio.path_of(flag.note)
        self.companion.run_engine(
            lambda: portfolio.acknowledge(path, flag.code),
            done=f"Acknowledged {flag.code} in {flag.note}",
        )
