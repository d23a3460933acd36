"""One note: its text rendered, its fields, flags and tags; tag, untag, acknowledge, edit.

A card (a note naming an evidence file, ``file: minutes.docx``) shows the text read from
its file instead of its empty body (the learner's own commentary above it), the file's
facts in the side panel, and opens the file in the system's viewer with ``O``. Each tag
with a ``where`` shows the text found at that place; Enter on the tag scrolls there.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import ComposeResult, SuspendNotSupported, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Header, Label, Markdown, OptionList, Static
from textual.widgets.markdown import MarkdownBlock
from textual.widgets.option_list import Option

from companion.assessment.rules import WARNING
from companion.assessment.status import Status
from companion.content.glossary import suggestions
from companion.evidence.cache import ExtractionCache
from companion.notes.card import CardFile, locate_file, read_card_file
from companion.notes.card_key import card_file_name
from companion.notes.citations import (
    NoteCitations,
    body_first_line,
    front_matter_references,
    note_citations,
    scan_citations,
)
from companion.notes.file import NoteFile, NoteReadError, read_note_file
from companion.notes.record import NoteRecord
from companion.screens.base import PortfolioScreen
from companion.screens.choose import ChoiceModal
from companion.screens.tag_modal import TagModal, TagRequest
from companion.text.counted import counted
from companion.text.terminal import safe_line, safe_text
from companion.views.citations import cite_rows
from companion.views.links import link_rows
from companion.views.note_files import (
    TagPlace,
    card_facts,
    commentary,
    line_text,
    shown_card,
    tag_places,
)
from companion.widgets.footer import CompanionFooter
from companion.widgets.open_file import NoViewer, editor_command, open_in_viewer
from companion.widgets.plain import cell, escape

SHOWN_FIELDS = (
    "title",
    "ref",
    "date",
    "learner",
    "type",
    "unit",
    "witness",
    "recording",
    "contribution",
    "references",
    "acknowledge",
)


def field_text(value: object) -> str:
    """A front matter value as a person reads it: lists joined, mappings as key: value."""
    if isinstance(value, list):
        return ", ".join(field_text(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {field_text(v)}" for k, v in value.items())
    if isinstance(value, bool):
        return "yes" if value else "no"
    return safe_line(str(value))


def field_markup(key: str, value: object) -> list[str]:
    """The side pane's lines for one field: a list whose items hold commas (a reference list)
    gets a line per item, since joined with commas its items could not be told apart."""
    if isinstance(value, list):
        items = [field_text(item) for item in value]
        if any("," in item for item in items):
            return [f"[b]{key}[/b]:", *(f"• {escape(item)}" for item in items)]
    return [f"[b]{key}[/b]: {escape(field_text(value))}"]


def place_prompt(ac: str, place: TagPlace | None, where: str) -> Text:
    """A tag in the Tags list: its AC and ``where``, then the text found there (dim) or why
    none was found (in the warning colour)."""
    prompt = Text(safe_line(f"{ac} @ {where}" if where else ac), end="")
    if place is None or (place.location is None and not place.problem):
        return prompt
    if place.location is not None:
        found = place.location.found
        said = f"{found}: {place.excerpt}" if found else place.excerpt
        if place.in_notes:
            said = f"(your notes) {said}"
        prompt.append("\n" + safe_line(said), style="dim")
    else:
        prompt.append("\n" + safe_line(f"✗ {place.problem}"), style="yellow")
    return prompt


@dataclass(frozen=True)
class CardText:
    """What was read from a card's file: its facts, its text and the text's citations."""

    card: CardFile
    text: str
    citations: NoteCitations


class NoteScreen(PortfolioScreen):
    """Read a note and manage its tags."""

    @dataclass
    class CardRead(Message):
        """The file a card names was read (in a worker) for the snapshot given."""

        snapshot: NoteFile
        read: CardText

    CSS_PATH = "note.tcss"
    BINDINGS = [
        Binding("t", "tag", "Tag", id="tag", tooltip="Tag this note to an AC"),
        Binding("x", "untag", "Untag", id="untag", tooltip="Remove the highlighted tag"),
        Binding(
            "a",
            "acknowledge",
            "Acknowledge",
            id="acknowledge",
            tooltip="Accept the highlighted warning",
        ),
        Binding("e", "edit", "Edit", id="edit", tooltip="Open in $EDITOR"),
        Binding(
            "O",
            "open_file",
            "Open",
            id="open-file",
            tooltip="Open the evidence file in the system's viewer",
        ),
        Binding("escape", "back", "Back", id="back"),
    ]

    def __init__(self, relative: str, line: int | None = None) -> None:
        super().__init__()
        self.relative = relative
        self.snapshot: NoteFile | None = None
        self.pending_line = line
        """A line of the file to scroll the body to once it is drawn (a search hit)."""
        self.card_name: str | None = None
        """The file this note is a card for (its ``file:``), None for other notes."""
        self.card_text: CardText | None = None
        """What was last read from the card's file."""
        self.tag_text = ""
        """The text tags point into: the note's body, or the text read from a card's file."""
        self.text_start = 0
        """The line of the body pane (0-based) where ``text`` begins."""
        self.places: dict[str, TagPlace] = {}
        """Each tag's place in ``text``, by AC."""
        self._body_ready = False
        """True once the body pane holds the note's text (not "Reading…")."""

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal():
            with VerticalScroll(id="note-body"):
                yield Markdown("", id="body", open_links=False)
            with VerticalScroll(id="note-side"):
                yield Static("", id="fields")
                yield Label("Tags", classes="side-title")
                yield OptionList(id="tags")
                yield Label("Flags", classes="side-title")
                yield OptionList(id="note-flags")
                yield Label("Links", classes="side-title")
                yield OptionList(id="links")
                yield Label("Citations", classes="side-title")
                yield OptionList(id="citations")
        yield CompanionFooter()

    def on_mount(self) -> None:
        self._load()
        if self.companion.status is not None:
            self.render_status(self.companion.status)

    @property
    def path(self) -> Path:
        """The note's file."""
        assert self.companion.portfolio is not None
        return self.companion.portfolio.path_of(self.relative)

    def _load(self) -> None:
        try:
            self.snapshot = read_note_file(self.path)
            body = self.snapshot.body
        except NoteReadError as exc:
            self.snapshot = None
            body = f"**This note cannot be read.**\n\n{exc.message}"
        except FileNotFoundError:
            self.snapshot = None
            body = "**This note no longer exists.**"
        name = card_file_name(self.snapshot.metadata) if self.snapshot is not None else None
        if name != self.card_name:
            self.card_text = None
        self.card_name = name
        self.refresh_bindings()
        if self.snapshot is not None and name is not None:
            self._read_card(name, self.snapshot)
            if self.card_text is not None:  # shown as last read until the new read is in
                self._show_card(self.snapshot, self.card_text)
                return
            notes = commentary(self.snapshot.body)
            reading = f"*Reading {escape(name)}…*"
            self._body_ready = False
            self.query_one("#body", Markdown).update(
                safe_text(f"{notes}\n\n---\n\n{reading}" if notes else reading)
            )
            self._show_citations(None)
            return
        body = line_text(body)
        self.tag_text, self.text_start, self._body_ready = body, 0, True
        self.query_one("#body", Markdown).update(safe_text(body))
        self._show_citations(note_citations(self.snapshot) if self.snapshot else None)
        self._show_places()

    # --- a card: the file it names -------------------------------------------------

    @work(thread=True, exclusive=True, group="card-file", exit_on_error=False)
    def _read_card(self, name: str, snapshot: NoteFile) -> None:
        """Read the card's file (through the app's cache of what files hold) away from
        the screen, then post what it holds back."""
        portfolio = self.companion.portfolio
        if portfolio is None:
            return
        cache = ExtractionCache(portfolio.extraction_folder)
        card, extracted = read_card_file(snapshot.path, name, portfolio.root, cache.read)
        text = line_text(extracted.text)
        citations = scan_citations(text, 1, front_matter_references(snapshot))
        self.post_message(self.CardRead(snapshot, CardText(card, text, citations)))

    def on_note_screen_card_read(self, message: NoteScreen.CardRead) -> None:
        if message.snapshot is not self.snapshot:
            return  # the card was read again meanwhile: a newer read is on its way
        self.card_text = message.read
        self._show_card(message.snapshot, message.read)
        if self.companion.status is not None:
            self.show_status(self.companion.status)

    def _show_card(self, snapshot: NoteFile, read: CardText) -> None:
        """The card's commentary, then the text of its file; its citations and places."""
        shown = shown_card(read.card, snapshot.body, read.text)
        self.tag_text, self.text_start, self._body_ready = read.text, shown.offset, True
        self.query_one("#body", Markdown).update(safe_text(shown.markdown))
        self._show_citations(read.citations, in_file=True)
        self._show_places()

    def _card(self) -> CardFile | None:
        """The card's file as last read (or as the index has it), None for other notes."""
        if self.card_name is None:
            return None
        if self.card_text is not None:
            return self.card_text.card
        status = self.companion.status
        record = status.portfolio.records.get(self.relative) if status is not None else None
        return record.file if record is not None else None

    def _show_citations(self, citations: NoteCitations | None, *, in_file: bool = False) -> None:
        """Each citation and reference entry with its line and what it matched (for a card,
        the lines of the text read from its file)."""
        listing = self.query_one("#citations", OptionList)
        listing.clear_options()
        portfolio = self.companion.portfolio
        rows = (
            cite_rows(citations, portfolio.library if portfolio else None)
            if citations is not None
            else []
        )
        for index, row in enumerate(rows):
            mark = "!" if row.problem else "✔" if row.status in ("matched", "cited") else "·"
            what = "" if row.kind == "citation" else "ref "
            listing.add_option(
                Option(
                    cell(f"{mark} L{row.line} {what}{row.text} — {row.status_words}"),
                    id=f"{'text' if in_file else 'line'}:{row.line}:{index}",
                )
            )
        if not rows:
            listing.add_option(Option("No citations or references", disabled=True))

    def _show_places(self) -> None:
        """Each tag's place in the text: the tags list shows what is found there."""
        status = self.companion.status
        record = status.portfolio.records.get(self.relative) if status is not None else None
        if record is None:
            return
        ready = self._body_ready and self.snapshot is not None
        notes = line_text(commentary(self.snapshot.body)) if self.snapshot is not None else ""
        places = tag_places(record.tags, self.tag_text, self._card(), notes) if ready else []
        self.places = {place.ac: place for place in places}
        self._show_tags(record)

    # --- going to a line of the note ---------------------------------------------

    def on_markdown_table_of_contents_updated(self, event: Markdown.TableOfContentsUpdated) -> None:
        """The body is drawn: scroll to the line asked for, if any (the empty body drawn
        first, before the note is read, and a card's "Reading…" do not count)."""
        if (
            self.pending_line is not None
            and self.snapshot is not None
            and self._body_ready
            and event.markdown.children
        ):
            line, self.pending_line = self.pending_line, None
            self.scroll_to_line(line)

    def scroll_to_line(self, line: int, tries: int = 40, *, settle: bool = True) -> None:
        """Scroll the body so the block holding ``line`` (of the file) is at the top."""
        if self.snapshot is None:
            return
        if self.card_name is None:
            self.scroll_to_shown(line - body_first_line(self.snapshot), tries, settle=settle)
            return
        # a card's search hit: its lines, then a mark line, then the lines of its file's text
        mark = len(self.snapshot.lines) + (self.snapshot.raw.endswith(b"\n") and 1) + 1
        shown = self.text_start + line - mark - 1 if line > mark else 0
        self.scroll_to_shown(shown, tries, settle=settle)

    def scroll_to_shown(self, wanted: int, tries: int = 40, *, settle: bool = True) -> None:
        """Scroll the body so the block holding its line ``wanted`` (0-based) is at the top.

        The blocks are laid out a moment after they are mounted, and laid out again when
        the side panel settles, so this waits for the first and repeats once after."""
        if self.snapshot is None:
            return
        markdown = self.query_one("#body", Markdown)
        blocks = [b for b in markdown.children if isinstance(b, MarkdownBlock)]
        chosen = None
        for block in blocks:
            start, end = block.source_range
            if start <= wanted:
                chosen = (block, start, end)
        scroller = self.query_one("#note-body", VerticalScroll)
        if chosen is None:
            scroller.scroll_home(animate=False)
            return
        block, start, end = chosen
        if block.outer_size.height == 0 and tries:
            self.set_timer(0.05, lambda: self.scroll_to_shown(wanted, tries - 1, settle=settle))
            return
        share = (wanted - start) / max(1, end - start) if wanted < end else 0.0
        y = block.virtual_region.y + markdown.virtual_region.y
        y += int(share * block.outer_size.height)
        scroller.scroll_to(y=max(0, y - 1), animate=False)
        if settle:
            self.set_timer(0.3, lambda: self.scroll_to_shown(wanted, 0, settle=False))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        option_id = event.option.id or ""
        if event.option_list.id == "tags":
            place = self.places.get(option_id)
            if place is None or place.location is None:
                if place is not None:
                    why = place.problem or "not found in the note's text"
                    self.notify(f"{place.where}: {why}", severity="warning")
                return
            start = 0 if place.in_notes else self.text_start  # the commentary comes first
            self.scroll_to_shown(start + place.location.start)
            self.query_one("#note-body", VerticalScroll).focus()
        elif option_id.startswith("line:"):
            self.scroll_to_line(int(option_id.split(":")[1]))
            self.query_one("#note-body", VerticalScroll).focus()
        elif option_id.startswith("text:"):  # a line of the text read from a card's file
            self.scroll_to_shown(self.text_start + int(option_id.split(":")[1]) - 1)
            self.query_one("#note-body", VerticalScroll).focus()
        elif option_id.startswith("note:"):
            self.app.push_screen(NoteScreen(option_id.split(":", 2)[2]))

    def on_markdown_link_clicked(self, event: Markdown.LinkClicked) -> None:
        """A link in the body to another note opens that note here; others as before."""
        status = self.companion.status
        for row in link_rows(status, self.relative) if status is not None else []:
            if row.direction == "out" and row.note and f"]({event.href})" in row.text:
                self.app.push_screen(NoteScreen(row.note))
                return
        self.app.open_url(event.href)

    def show_status(self, status: Status) -> None:
        record = status.portfolio.records.get(self.relative)
        if record is None:
            self.query_one("#fields", Static).update("This note is no longer in the portfolio.")
            return
        self.title = safe_line(record.title)
        if self.snapshot is None or self.snapshot.mtime_ns != record.mtime_ns:
            self._load()
        elif (
            self.card_name is not None
            and self.card_text is not None
            and record.file is not None
            and record.file.stamp != self.card_text.card.stamp
        ):  # the file changed (saved again in Word, say): read it again
            self._read_card(self.card_name, self.snapshot)
        lines = [
            f"[b]{escape(record.title)}[/b]",
            f"[dim]{escape(record.path)} · {counted(record.words, 'word')}[/dim]",
        ]
        lines.extend(self._file_markup(record))
        for key in SHOWN_FIELDS[1:]:
            value = record.get(key)
            if value not in (None, "", [], {}):
                lines.extend(field_markup(key, value))
        self.query_one("#fields", Static).update("\n".join(lines), layout=True)
        self._show_places()
        flags = self.query_one("#note-flags", OptionList)
        flags.clear_options()
        mine = [f for f in status.flags if f.note == self.relative]
        for index, flag in enumerate(mine):
            label = "✔ acknowledged" if flag.acknowledged else flag.severity.upper()
            flags.add_option(
                Option(
                    cell(f"{label} [{flag.code}] {flag.message}"),
                    id=f"{index}:{flag.code}:{flag.severity}",
                )
            )
        if not mine:
            flags.add_option(Option("No flags", disabled=True))
        self._show_links(status)

    def _file_markup(self, record: NoteRecord) -> list[str]:
        """A card's file: its name, format, pages, slides or duration and words, or the
        problem reading it (in red)."""
        card = self._card() or record.file
        if card is None:
            return []
        lines = [f"[b]{key}[/b]: {escape(value)}" for key, value in card_facts(card, record.words)]
        if card.problem:
            lines.append(f"[red]{escape(card.message or card.problem)}[/red]")
        lines.append("[dim]O opens the file[/dim]")
        return lines

    def _show_tags(self, record: NoteRecord) -> None:
        """The note's tags, each with the text at its ``where`` (Enter scrolls there)."""
        tags = self.query_one("#tags", OptionList)
        highlighted = tags.highlighted
        tags.clear_options()
        shown: set[str] = set()
        for tag in record.tags:
            where = tag.where.strip()
            ac = tag.ac
            prompt = place_prompt(ac, self.places.get(ac), where)
            if ac in shown:  # a hand edit listed the AC twice: shown, never a second id
                tags.add_option(Option(f"{prompt}\n(listed twice: keep one)", disabled=True))
                continue
            shown.add(ac)
            tags.add_option(Option(prompt, id=ac))
        if not record.tags:
            tags.add_option(Option("No tags yet: press t", disabled=True))
        elif highlighted is not None and highlighted < tags.option_count:
            tags.highlighted = highlighted

    def _show_links(self, status: Status) -> None:
        """Links to other notes (→) and from them (←); Enter opens the other note."""
        listing = self.query_one("#links", OptionList)
        listing.clear_options()
        rows = link_rows(status, self.relative)
        for index, row in enumerate(rows):
            if row.direction == "out":
                where = row.title or row.note if row.note else "no such note"
                label = f"{'✗' if row.broken else '→'} L{row.line} {row.text} — {where}"
            else:
                label = f"← {row.title} (line {row.line})"
            listing.add_option(
                Option(cell(label), id=f"note:{index}:{row.note}" if row.note else None)
            )
        if not rows:
            listing.add_option(Option("No links to or from other notes", disabled=True))

    # --- actions -----------------------------------------------------------------

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_tag(self) -> None:
        status = self.companion.status
        if status is None or self.snapshot is None:
            self.notify("This note cannot be tagged until it can be read", severity="error")
            return
        record = status.portfolio.records.get(self.relative)
        if record is None:
            return
        content = status.portfolio.content
        glossary = status.portfolio.glossary
        body = self.tag_text if self._body_ready else self.snapshot.body
        offered = {c.id: suggestions(glossary, body, c) for c in content.criteria}
        existing = {tag.ac: tag for tag in record.tags}
        highlighted = self._highlighted_tag()
        self.app.push_screen(
            TagModal(content, offered, existing, highlighted or ""), self._tag_chosen
        )

    def _tag_chosen(self, request: TagRequest | None) -> None:
        if request is None or self.snapshot is None:
            return
        self.companion.run_engine(partial(self._write_tag, request, self.snapshot))

    def _write_tag(self, request: TagRequest, snapshot: NoteFile) -> str:
        portfolio = self.companion.portfolio
        assert portfolio is not None
        change = portfolio.tag(
            self.path,
            request.ac,
            where=request.where,
            counts=request.counts,
            covers=request.covers,
            since=snapshot,
        )
        self.app.call_from_thread(self._load)
        assert change.tag is not None
        said = f"Tagged to {change.tag.ac}"
        if change.changed_since:
            said += " (the note had been changed by another program; its changes were kept)"
        return "\n".join([said, *change.warnings])

    def _highlighted_tag(self) -> str | None:
        tags = self.query_one("#tags", OptionList)
        if tags.highlighted is None or not tags.option_count:
            return None
        option = tags.get_option_at_index(tags.highlighted)
        return option.id

    def action_untag(self) -> None:
        ac = self._highlighted_tag()
        if not ac:
            self.notify(
                "Highlight a tag in the Tags list first (Tab moves there)", severity="warning"
            )
            return

        def answered(answer: str | None) -> None:
            if answer == "remove":
                self.companion.run_engine(partial(self._remove_tag, ac))

        self.app.push_screen(
            ChoiceModal(
                f"Remove the tag for {ac} from this note? Its where, items and ticks go too.",
                [("remove", "Remove the tag"), ("keep", "Keep it")],
                safe="keep",
            ),
            answered,
        )

    def _remove_tag(self, ac: str) -> str:
        portfolio = self.companion.portfolio
        assert portfolio is not None
        change = portfolio.untag(self.path, ac)
        self.app.call_from_thread(self._load)
        return "\n".join([f"Removed the tag for {ac}", *change.warnings])

    def action_acknowledge(self) -> None:
        flags = self.query_one("#note-flags", OptionList)
        if flags.highlighted is None or not flags.option_count:
            self.notify("Highlight a warning in the Flags list first", severity="warning")
            return
        option = flags.get_option_at_index(flags.highlighted)
        if not option.id:
            return
        _, code, severity = option.id.split(":", 2)
        if severity != WARNING:
            self.notify("Errors cannot be acknowledged: they must be fixed", severity="error")
            return
        portfolio = self.companion.portfolio
        assert portfolio is not None

        def acknowledge() -> None:
            portfolio.acknowledge(self.path, code)
            self.app.call_from_thread(self._load)

        self.companion.run_engine(acknowledge, done=f"Acknowledged {code}")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """``O`` (open the file) is there for a card only."""
        if action == "open_file":
            return self.card_name is not None
        return True

    def action_open_file(self) -> None:
        """Open the card's file in the system's viewer (Word, a PDF reader, a player)."""
        portfolio = self.companion.portfolio
        if self.card_name is None or portfolio is None:
            self.notify("This note is not a card for a file", severity="warning")
            return
        path, relative = locate_file(self.path, self.card_name, portfolio.root)
        if not relative:
            self.notify(
                f"{self.card_name} is outside the portfolio: it is not opened from here",
                severity="error",
            )
            return
        if not path.is_file():
            self.notify(f"{relative} is not there any more", severity="error")
            return
        try:
            open_in_viewer(path)
        except NoViewer as exc:
            self.notify(
                f"The file could not be opened: {exc}. It is at {path}",
                severity="warning",
                timeout=20,
            )
            return
        self.notify(f"Opening {relative} in the system's viewer", timeout=3)

    def palette_commands(self) -> Iterator[SystemCommand]:
        """This screen's actions by name."""
        if self.card_name is not None:
            yield SystemCommand(
                "Open file", "Open this card's file in the system's viewer", self.action_open_file
            )

    def action_edit(self) -> None:
        try:
            found = editor_command(self.path)
        except ValueError as exc:  # $EDITOR with an unclosed quote
            self.notify(f"$EDITOR cannot be read: {exc}", severity="error")
            return
        if found is None:
            self.notify(
                "No editor found: set $EDITOR (for example EDITOR=nano) and press e again",
                severity="error",
            )
            return
        command, said = found
        self.notify(said, timeout=3)
        try:
            with self.app.suspend():
                subprocess.call(command)
        except SuspendNotSupported:
            self.notify(
                f"The editor cannot take over this terminal here; open {self.relative} in it "
                "yourself: it is re-read when saved",
                severity="warning",
            )
        except (OSError, subprocess.SubprocessError) as exc:
            self.notify(f"Could not start the editor '{command[0]}': {exc}", severity="error")
        self._load()
        self.companion.index_portfolio()
