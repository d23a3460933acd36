"""Tag a note to an AC: pick the AC, say where, list the items it gives, tick the checklist.

Models the note names are offered as suggestions, only those the AC's Depth names too, and
unticked: what the dialog saves is only what the learner typed or ticked, never a guess.
The whole dialog scrolls, so at 80x24 every field, the checklist and the buttons can be
reached with Tab and are scrolled into view.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from textwrap import shorten

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.css.query import NoMatches
from textual.fuzzy import FuzzySearch
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Input, Label, OptionList, SelectionList
from textual.widgets.option_list import Option

from companion.content.ids import normalise_ac_id
from companion.content.model import Content, Criterion
from companion.notes.tags import Tag
from companion.screens.choose import close_unless_typed
from companion.widgets.footer import CompanionFooter
from companion.widgets.plain import cell, escape
from companion.widgets.safe_input import SafeInput


@dataclass
class TagRequest:
    """What the learner asked for in the tag dialog."""

    ac: str
    where: str
    counts: dict[str, list[str]] = field(default_factory=dict)
    covers: list[str] = field(default_factory=list)


def rank_criteria(content: Content, query: str, limit: int = 60) -> list[Criterion]:
    """ACs matching ``query`` by id, verb or words of the text, best first."""
    query = query.strip()
    if not query:
        return list(content.criteria)[:limit]
    exact = normalise_ac_id(content, query)
    search = FuzzySearch(case_sensitive=False)
    scored: list[tuple[float, int, Criterion]] = []
    words = query.lower().split()
    for index, c in enumerate(content.criteria):
        haystack = f"{c.id} {c.verb} {c.text}".lower()
        if c.id == exact:
            score = 1000.0
        elif all(w in haystack for w in words):
            score = 100.0 - haystack.find(words[0]) / 100
        else:
            score, _ = search.match(query, f"{c.id} {c.verb}")
        if score > 0:
            scored.append((score, -index, c))
    scored.sort(key=lambda item: (item[0], item[1]), reverse=True)
    return [c for _, _, c in scored[:limit]]


def split_items(text: str) -> list[str]:
    """Items typed into a requirement field, separated by commas or semicolons."""
    return [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]


OPTION_TEXT = 70
"""Characters of an AC's text in the dialog's list: two lines of an 80-column terminal."""

Suggestions = dict[str, dict[str, list[str]]]
"""Per AC id, per requirement id, the models offered (never pre-selected)."""


class TagModal(ModalScreen[TagRequest | None]):
    """The tag dialog."""

    CSS_PATH = "tag_modal.tcss"
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="cancel-tag"),
        Binding("ctrl+s", "save", "Save tag", id="save-tag"),
    ]

    def __init__(
        self,
        content: Content,
        suggestions: Suggestions,
        existing: dict[str, Tag] | None = None,
        initial_ac: str = "",
        *,
        title: str = "Tag this note to an assessment criterion",
    ) -> None:
        super().__init__()
        self.title_text = title
        self.content = content
        self.suggestions = suggestions
        self.existing = existing or {}
        self.chosen: Criterion | None = content.criterion(initial_ac) if initial_ac else None

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="dialog", can_focus=False):
            yield Label(cell(self.title_text), id="dialog-title")
            yield Input(placeholder="Find an AC: id (700/1.1), verb or words", id="ac-search")
            yield OptionList(id="ac-options")
            yield Label("", id="chosen")
            yield SafeInput(
                placeholder="Where: page/paragraph, or mm:ss in a recording",
                id="where",
                select_on_focus=False,
            )
            yield Vertical(id="details")
            with Horizontal(id="buttons"):
                yield Button("Save", variant="primary", id="save")
                yield Button("Cancel", id="cancel")
        yield CompanionFooter()

    def on_mount(self) -> None:
        self._fill_options("")
        if self.chosen is not None:
            self._choose(self.chosen)  # the AC is known: typing goes to where it is met
        else:
            self.query_one("#ac-search", Input).focus()

    def _fill_options(self, query: str) -> None:
        options = self.query_one("#ac-options", OptionList)
        options.clear_options()
        for c in rank_criteria(self.content, query):
            # A preview, cut at a word: the whole text shows once the AC is chosen.
            text = shorten(c.text.splitlines()[0], OPTION_TEXT, placeholder=" …")
            options.add_option(Option(cell(f"{c.id}  {c.verb.upper()}  {text}"), id=c.id))
        if options.option_count:
            options.highlighted = 0
        elif query.strip():  # an empty list alone reads as broken: say why it is empty
            options.add_option(Option(cell(f"No AC matches '{query.strip()}'"), disabled=True))

    @on(Input.Changed, "#ac-search")
    def _search(self, event: Input.Changed) -> None:
        self._fill_options(event.value)

    @on(Input.Submitted, "#ac-search")
    def _search_submitted(self) -> None:
        options = self.query_one("#ac-options", OptionList)
        if options.highlighted is not None:
            option = options.get_option_at_index(options.highlighted)
            self._choose(self.content.criterion(option.id or ""))

    @on(OptionList.OptionSelected, "#ac-options")
    def _option_selected(self, event: OptionList.OptionSelected) -> None:
        self._choose(self.content.criterion(event.option.id or ""))

    def _requirement_widgets(self, criterion: Criterion, previous: Tag | None) -> list[Widget]:
        widgets: list[Widget] = []
        offered = self.suggestions.get(criterion.id, {})
        for req in criterion.requirements:
            items = list(previous.counts.get(req.id, ())) if previous else []
            widgets.append(Label(cell(f"{req.label} (at least {req.min}; separate with commas)")))
            widgets.append(
                SafeInput(", ".join(items), id=f"req-{req.id}", placeholder="e.g. GROW, OSCAR")
            )
            models = [m for m in offered.get(req.id, []) if m.lower() not in _lower(items)]
            if models:
                widgets.append(
                    Label("The note names these, which this AC's Depth names too; tick to add:")
                )
                widgets.append(
                    SelectionList[str](
                        *[(cell(m), m, False) for m in models],
                        id=f"suggest-{req.id}",
                        classes="suggestions",
                    )
                )
        return widgets

    def _choose(self, criterion: Criterion | None) -> None:
        if criterion is None:
            return
        self.chosen = criterion
        previous = self.existing.get(criterion.id)
        self.query_one("#chosen", Label).update(
            f"[b]{escape(criterion.id)} {escape(criterion.verb.upper())}[/b]: "
            f"{escape(criterion.text.splitlines()[0])}"
            + ("  (already tagged: saving updates the tag)" if previous else "")
        )
        self.query_one("#where", Input).value = previous.where if previous else ""
        details = self.query_one("#details", Vertical)
        details.remove_children()
        widgets = self._requirement_widgets(criterion, previous)
        if criterion.checklist:
            covered = set(previous.covers) if previous else set()
            widgets.append(Label("This evidence addresses:"))
            widgets.append(
                SelectionList[str](
                    *[
                        (cell(item.label), item.id, item.id in covered)
                        for item in criterion.checklist
                    ],
                    id="covers",
                )
            )
        if not widgets:
            widgets.append(Label("This AC has no numeric requirements or checklist."))
        details.mount_all(widgets)
        self.query_one("#where", Input).focus()

    def request(self) -> TagRequest | None:
        """What the dialog would save now: only what was typed or ticked."""
        if self.chosen is None:
            return None
        counts: dict[str, list[str]] = {}
        for req in self.chosen.requirements:
            items = split_items(self.query_one(f"#req-{req.id}", Input).value)
            picked = self.query(f"#suggest-{req.id}").results(SelectionList)
            for selection in picked:
                items += [m for m in selection.selected if m.lower() not in _lower(items)]
            if items:
                counts[req.id] = items
        covers: list[str] = []
        if self.chosen.checklist:
            covers = list(self.query_one("#covers", SelectionList).selected)
        where = self.query_one("#where", Input).value.strip()
        return TagRequest(self.chosen.id, where, counts, covers)

    def action_save(self) -> None:
        request = self.request()
        if request is None:
            self.notify("Choose an AC first", severity="warning")
            return
        self.dismiss(request)

    def unsaved(self) -> bool:
        """Whether Save would change the tag from what it is: something typed or ticked.

        Choosing an AC alone is not typing; changing an existing tag's where, counts or
        checklist is."""
        try:
            request = self.request()
        except NoMatches:  # the AC's fields are still being mounted: nothing typed in them
            return bool(self.query_one("#where", Input).value.strip())
        if request is None:
            return False
        before = self.existing.get(request.ac, Tag(request.ac))
        return (request.where, request.counts, sorted(request.covers)) != (
            before.where,
            {req: list(items) for req, items in before.counts.items()},
            sorted(before.covers),
        )

    def action_cancel(self) -> None:
        close_unless_typed(self, self.unsaved(), "your changes")

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()


def _lower(items: list[str]) -> set[str]:
    return {item.lower() for item in items}
