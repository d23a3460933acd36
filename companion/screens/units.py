"""Units: a tree of unit → learning outcome → AC, and the selected AC explained."""

from __future__ import annotations

from collections.abc import Iterator

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Header, Markdown, Static, Tree
from textual.widgets.tree import TreeNode

from companion.assessment.decisions import Decision, status_decisions
from companion.assessment.status import Status
from companion.screens.base import STATUS_LEGEND, STATUS_MARK, PortfolioScreen
from companion.text.terminal import safe_text
from companion.views.criterion import criterion_markdown
from companion.widgets.footer import CompanionFooter
from companion.widgets.plain import cell


def referral_content(decision: Decision) -> Content:
    """The head of a referred AC's pane: who referred it and when, then the tutor's words,
    all as plain text (the words come from someone else's file)."""
    words = safe_text(decision.feedback.strip())
    return Content.assemble((decision.headline, "bold"), *(("\n", words) if words else ()))


class UnitsScreen(PortfolioScreen):
    """Browse the qualification and see where each AC stands."""

    CSS_PATH = "units.tcss"

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal():
            with Vertical(id="unit-side"):
                yield Tree("Units", id="unit-tree")
                yield Static(STATUS_LEGEND, id="unit-legend", markup=False)
            with VerticalScroll(id="ac-pane"):
                yield Static("", id="ac-referral")
                yield Markdown("Select an assessment criterion.", id="ac-detail")
        yield CompanionFooter()

    def on_mount(self) -> None:
        tree = self.query_one(Tree)
        tree.show_root = False
        content = self.companion.content
        if content is None:
            return
        for unit in content.units:
            unit_node = tree.root.add(cell(f"{unit.id} {unit.title}"), data=None, expand=False)
            for lo in unit.outcomes:
                lo_node = unit_node.add(cell(f"LO{lo.id} {lo.text}"), expand=True)
                for c in lo.criteria:
                    lo_node.add_leaf(self._label(c.id, c.short_id, c.verb, None), data=c.id)
        tree.focus()

    @staticmethod
    def _label(ac_id: str, short: str, verb: str, status: str | None) -> Text:
        mark = STATUS_MARK.get(status or "", " ")
        return cell(f"{mark} {short} {verb}")

    def show_status(self, status: Status) -> None:
        tree = self.query_one(Tree)
        decisions = status_decisions(status)
        for ac_id, node in self._ac_rows(tree.root):
            c = status.progress.criteria[ac_id]
            shown = decisions.shown(c.criterion.id, c.status)
            node.set_label(
                self._label(c.criterion.id, c.criterion.short_id, c.criterion.verb, shown)
            )
        if tree.cursor_node is not None and tree.cursor_node.data:
            self._show_ac(tree.cursor_node.data)

    def _ac_rows(self, node: TreeNode[str]) -> Iterator[tuple[str, TreeNode[str]]]:
        """The rows under ``node`` that stand for an AC, each with the AC's id."""
        for child in node.children:
            if child.data:
                yield child.data, child
            yield from self._ac_rows(child)

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted[str]) -> None:
        if event.node.data:
            self._show_ac(event.node.data)

    def _show_ac(self, ac_id: str) -> None:
        status = self.companion.status
        if status is None:
            return
        tutor = status.feedback.current
        text = criterion_markdown(
            status.portfolio.content,
            status.progress.criteria[ac_id],
            tutor.on(ac_id) if tutor else None,
            tutor.assessor if tutor else "",
            [f for f in status.flags if f.ac == ac_id],
        )
        self.query_one("#ac-detail", Markdown).update(text)
        decision = status_decisions(status).of(ac_id)
        banner = self.query_one("#ac-referral", Static)
        banner.display = decision.referred
        banner.update(referral_content(decision) if decision.referred else "")
