"""Search: the notes' text, searched as you type; Enter on a line opens the note there.

The first search reads every note into the text index (with a progress bar: a large
portfolio takes a few seconds); each search after reads only notes changed since. The
search runs in a worker thread, and only the latest one typed is shown.
"""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.timer import Timer
from textual.widgets import Header, Input, OptionList, ProgressBar, Static
from textual.widgets.option_list import Option

from companion.errors import CompanionError
from companion.portfolio.search import Results, search_notes
from companion.screens.base import PortfolioScreen
from companion.text.search_query import SearchQuery, parse_query
from companion.text.terminal import safe_line
from companion.widgets.footer import CompanionFooter
from companion.widgets.plain import escape

SEARCH_DELAY = 0.35
"""Seconds of no typing before the search runs."""
SHOWN = 200
"""The most notes a search lists."""


class SearchScreen(PortfolioScreen):
    """Find any words in the notes and open a note at the line they are on."""

    CSS_PATH = "search.tcss"
    BINDINGS = [
        Binding("slash", "focus_query", "Search", id="search-focus", tooltip="Type a search"),
        Binding("escape", "clear", "Clear/leave", tooltip="Clear the box; again, leave it"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._pending: Timer | None = None
        self._asked = ""
        self._to_results = False
        """Enter was pressed: move to the results when they come."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(
            placeholder='Search the notes\' text: words, "a phrase", prefix*, OR, -word',
            id="search-query",
        )
        yield Static("Type words to search for, then Enter.", id="search-count")
        yield OptionList(id="search-results")
        yield CompanionFooter()

    def on_mount(self) -> None:
        self.query_one("#search-query", Input).focus()

    def search(self, text: str) -> None:
        """Put ``text`` in the box and search for it now, moving to the results."""
        box = self.query_one("#search-query", Input)
        with box.prevent(Input.Changed):
            box.value = text
        self._to_results = True
        self._asked = ""
        self._run(text)

    # --- typing and searching ------------------------------------------------------

    def on_input_changed(self, event: Input.Changed) -> None:
        if self._pending is not None:
            self._pending.stop()
        self._pending = self.set_timer(SEARCH_DELAY, lambda: self._run(event.value))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if self._pending is not None:
            self._pending.stop()
            self._pending = None
        self._to_results = True
        if event.value.strip() == self._asked:
            self._focus_results()
        self._run(event.value)

    def _focus_results(self) -> None:
        results = self.query_one("#search-results", OptionList)
        if self._to_results and results.option_count:
            self._to_results = False
            results.focus()
            results.highlighted = 0

    def _run(self, text: str) -> None:
        self._pending = None
        text = text.strip()
        if not text or text == self._asked:
            return
        self._asked = text
        try:
            query = parse_query(text)
        except CompanionError as exc:
            self.query_one("#search-count", Static).update(escape(exc.message))
            return
        self._search(query, text)

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def _search(self, query: SearchQuery, asked: str) -> None:
        portfolio = self.companion.portfolio
        if portfolio is None:
            return
        try:
            results = search_notes(
                portfolio,
                query,
                limit=SHOWN,
                progress=lambda done, total: self.app.call_from_thread(self._progress, done, total),
            )
        except CompanionError as exc:
            self.app.call_from_thread(self._said, exc.message, asked)
            return
        self.app.call_from_thread(self._show, results, asked)

    def _progress(self, done: int, total: int) -> None:
        """A bar while the first search reads the notes into the index."""
        bars = self.query("#search-progress").results(ProgressBar)
        bar = next(bars, None)
        if bar is None and done < total:
            bar = ProgressBar(total=total, show_eta=False, id="search-progress")
            self.mount(bar, after="#search-count")
        if bar is not None:
            bar.update(total=max(total, 1), progress=done)
        self.query_one("#search-count", Static).update(
            f"Reading the notes' text for search: {done:,} of {total:,}"
        )

    def _said(self, message: str, asked: str) -> None:
        if asked == self._asked:
            self.query("#search-progress").remove()
            self.query_one("#search-count", Static).update(escape(message))

    def _show(self, results: Results, asked: str) -> None:
        if asked != self._asked or not self.is_attached:
            return  # a later search is on its way
        self.query("#search-progress").remove()
        listing = self.query_one("#search-results", OptionList)
        listing.clear_options()
        for index, hit in enumerate(results.hits):
            tags = f"  [{', '.join(hit.acs)}]" if hit.acs else ""
            ref = f"{hit.ref} " if hit.ref else ""
            head = escape(safe_line(f"{ref}{hit.title}{tags}"))
            lines = hit.lines or [(1, "")]
            for number, text in lines:
                said = f"  {number}: {escape(safe_line(text))}"
                label = f"[b]{head}[/b]\n{said}" if number == lines[0][0] else said
                listing.add_option(Option(label, id=f"{index}:{number}:{hit.note}"))
        self._focus_results()
        noun = "note matches" if results.total == 1 else "notes match"
        shown = (
            f"; showing the first {len(results.hits)}" if len(results.hits) < results.total else ""
        )
        self.query_one("#search-count", Static).update(
            f"{results.total:,} {noun} [b]{escape(asked)}[/b]{shown}"
            + (": Enter opens the note at the line" if results.total else "")
        )

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        from companion.screens.note import NoteScreen

        _, line, path = (event.option.id or "0:1:").split(":", 2)
        if path:
            self.app.push_screen(NoteScreen(path, line=int(line)))

    # --- keys ------------------------------------------------------------------------

    def action_focus_query(self) -> None:
        self.query_one("#search-query", Input).focus()

    def action_clear(self) -> None:
        """Escape clears the box; on an empty box it leaves it, so the screen keys (d, u, n,
        q…) work again rather than typing into the search."""
        box = self.query_one("#search-query", Input)
        if box.has_focus and not box.value:
            self.query_one("#search-results", OptionList).focus()
            return
        box.value = ""
        box.focus()
