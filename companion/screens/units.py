"""Units: a tree of unit → learning outcome → AC, and the selected AC explained."""

from __future__ import annotations

from collections.abc import Iterator

from rich.text import Text
from textual import events
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Header, Markdown, Static, Tree
from textual.widgets.tree import TreeNode

from companion.assessment.decisions import Decision, status_decisions
from companion.assessment.status import Status
from companion.content.glossary import suggestions
from companion.errors import CompanionError
from companion.notes.file import NoteFile, NoteReadError, read_note_file
from companion.screens.base import STATUS_LEGEND, STATUS_MARK, PortfolioScreen
from companion.screens.pick_note import PickNoteModal
from companion.screens.tag_modal import TagModal, TagRequest
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
    BINDINGS = [
        Binding(
            "t",
            "tag_evidence",
            "Tag evidence",
            id="tag-evidence",
            tooltip="Pick a note that evidences the highlighted AC, and say where",
        )
    ]

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
            width=self.query_one("#ac-pane").size.width or None,
        )
        self.query_one("#ac-detail", Markdown).update(text)
        self._shown_ac = ac_id
        decision = status_decisions(status).of(ac_id)
        banner = self.query_one("#ac-referral", Static)
        banner.display = decision.referred
        banner.update(referral_content(decision) if decision.referred else "")

    _shown_ac: str | None = None
    _pane_width = 0

    def on_resize(self, event: events.Resize) -> None:
        """The evidence is a table or a list by the pane's width: draw it again when the
        width changes."""
        self.call_after_refresh(self._redraw_for_width)

    def _redraw_for_width(self) -> None:
        width = self.query_one("#ac-pane").size.width
        if width != self._pane_width:
            self._pane_width = width
            if self._shown_ac is not None:
                self._show_ac(self._shown_ac)

    def _highlighted_ac(self) -> str | None:
        trees = self.query(Tree)
        if not trees:
            return None  # asked before the screen is composed
        node = trees.first().cursor_node
        return str(node.data) if node is not None and node.data else None

    def action_tag_evidence(self) -> None:
        """Pick a note for the highlighted AC, then tag it there: the habit people bring
        from e-portfolio tools, where evidence is mapped from the criterion."""
        ac_id = self._highlighted_ac()
        status = self.companion.status
        if ac_id is None or status is None:
            self.notify("Highlight an AC first (Enter opens a unit and its outcomes)")
            return
        criterion = status.portfolio.content.criterion(ac_id)
        if criterion is None:
            return
        records = list(status.portfolio.records.values())

        def picked(path: str | None) -> None:
            if path is not None:
                self._tag_note(ac_id, path)

        self.app.push_screen(PickNoteModal(ac_id, criterion.verb, records), picked)

    def _tag_note(self, ac_id: str, relative: str) -> None:
        status = self.companion.status
        portfolio = self.companion.portfolio
        if status is None or portfolio is None:
            return
        record = status.portfolio.records.get(relative)
        try:
            snapshot = read_note_file(portfolio.root / relative)
        except (NoteReadError, OSError) as exc:
            self.notify(f"{relative} cannot be read: {exc}", severity="error")
            return
        if record is None:
            return
        content = status.portfolio.content
        criterion = content.criterion(ac_id)
        assert criterion is not None
        offered = {ac_id: suggestions(status.portfolio.glossary, snapshot.body, criterion)}
        existing = {tag.ac: tag for tag in record.tags}
        title = f"Tag {record.ref or relative} {record.title} to an assessment criterion"

        def chosen(request: TagRequest | None) -> None:
            if request is not None:
                self.companion.run_engine(lambda: self._write_tag(relative, request, snapshot))

        self.app.push_screen(TagModal(content, offered, existing, ac_id, title=title), chosen)

    def _write_tag(self, relative: str, request: TagRequest, snapshot: NoteFile) -> str:
        portfolio = self.companion.portfolio
        if portfolio is None:
            raise CompanionError("The portfolio is not open")
        change = portfolio.tag(
            portfolio.root / relative,
            request.ac,
            where=request.where,
            counts=request.counts,
            covers=request.covers,
            since=snapshot,
        )
        said = f"Tagged {relative} to {request.ac}"
        if change.changed_since:
            said += " (the note had been changed by another program; its changes were kept)"
        return "\n".join([said, *change.warnings])

    def palette_commands(self) -> Iterator[SystemCommand]:
        """This screen's actions by name."""
        yield SystemCommand(
            "Tag evidence to this AC",
            "Pick a note that evidences the highlighted AC, and say where",
            self.action_tag_evidence,
        )
