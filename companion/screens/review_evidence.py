"""The evidence for one AC, read as the apprentice wrote it, from where the tag points.

Only an export made with ``--with-notes`` carries the notes' text; the text is shown in a
read-only text area (never as markup or Markdown: it is someone else's file), with the
lines the tag's ``where`` points at selected and scrolled to the top.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Header, OptionList, Static, TextArea
from textual.widgets.option_list import Option
from textual.widgets.text_area import Selection

from companion.text.terminal import safe_line
from companion.views.review import EvidenceText
from companion.widgets.footer import CompanionFooter
from companion.widgets.plain import cell
from companion.widgets.safe_input import SafeTextArea


class EvidenceScreen(Screen[None]):
    """Read each piece of an AC's evidence; n and p move between them."""

    CSS_PATH = "review_evidence.tcss"
    BINDINGS = [
        Binding("escape", "back", "Back", tooltip="Back to the AC"),
        Binding("n", "move(1)", "Next", tooltip="The next piece of evidence"),
        Binding("p", "move(-1)", "Previous", tooltip="The previous piece of evidence"),
        Binding("tab", "app.focus_next", "List/text", show=False),
    ]

    def __init__(self, ac: str, verb: str, evidence: list[EvidenceText]) -> None:
        super().__init__()
        self.ac = ac
        self.verb = verb
        self.evidence = evidence
        self.shown: int | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        options = []
        for item in self.evidence:
            label = f"{item.label} — {item.where or 'where not given'}"
            if item.excluded:
                label += " — NOT COUNTED"
            options.append(Option(cell(label)))
        yield OptionList(*options, id="evidence-list")
        yield Static("", id="evidence-place")
        yield SafeTextArea("", id="evidence-text", read_only=True, soft_wrap=True)
        yield CompanionFooter()

    def on_mount(self) -> None:
        self.sub_title = safe_line(f"{self.ac} {self.verb} · evidence")
        listing = self.query_one(OptionList)
        if self.evidence:
            listing.highlighted = 0
            self.show(0)
        self.query_one(TextArea).focus()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_index != self.shown:
            self.show(event.option_index)

    def show(self, index: int) -> None:
        """Show one piece: its text with the tagged place selected and at the top."""
        self.shown = index
        item = self.evidence[index]
        place = item.place
        if item.excluded:
            place += f" Not counted: {item.excluded}"
        self.query_one("#evidence-place", Static).update(cell(place))
        area = self.query_one(TextArea)
        area.load_text(item.text or "")
        location = item.location
        if location is None:
            area.selection = Selection.cursor((0, 0))
            area.scroll_home(animate=False)
            return
        end = len(area.document.get_line(location.end))
        area.selection = Selection((location.start, 0), (location.end, end))
        self.call_after_refresh(self._bring_to_top, location.start)

    def _bring_to_top(self, line: int) -> None:
        area = self.query_one(TextArea)
        offset = area.wrapped_document.location_to_offset((line, 0))
        area.scroll_to(y=offset.y, animate=False)

    def action_move(self, step: int) -> None:
        if not self.evidence:
            return
        index = ((self.shown or 0) + step) % len(self.evidence)
        self.query_one(OptionList).highlighted = index
        self.show(index)

    def action_back(self) -> None:
        self.dismiss()
