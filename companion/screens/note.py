"""One note: its text rendered, its fields, flags and tags; tag, untag, acknowledge, edit."""

from __future__ import annotations

import os
import shlex
import subprocess
from functools import partial

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Header, Label, Markdown, OptionList, Static
from textual.widgets.markdown import MarkdownBlock
from textual.widgets.option_list import Option

from companion.assessment.rules import WARNING
from companion.assessment.status import Status
from companion.content.glossary import suggestions
from companion.notes.citations import body_first_line, note_citations
from companion.notes.file import NoteFile, NoteReadError, read_note_file
from companion.screens.base import PortfolioScreen
from companion.screens.choose import ChoiceModal
from companion.screens.tag_modal import TagModal, TagRequest
from companion.text.terminal import safe_line, safe_text
from companion.views.citations import cite_rows
from companion.views.links import link_rows
from companion.widgets.footer import CompanionFooter
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


class NoteScreen(PortfolioScreen):
    """Read a note and manage its tags."""

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
        Binding("escape", "back", "Back", id="back"),
    ]

    def __init__(self, relative: str, line: int | None = None) -> None:
        super().__init__()
        self.relative = relative
        self.snapshot: NoteFile | None = None
        self.pending_line = line
        """A line of the file to scroll the body to once it is drawn (a search hit)."""

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
    def path(self):
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
        self.query_one("#body", Markdown).update(safe_text(body))
        self._show_citations()

    def _show_citations(self) -> None:
        """Each citation and reference entry with its line and what it matched."""
        listing = self.query_one("#citations", OptionList)
        listing.clear_options()
        portfolio = self.companion.portfolio
        rows = (
            cite_rows(note_citations(self.snapshot), portfolio.library if portfolio else None)
            if self.snapshot is not None
            else []
        )
        for index, row in enumerate(rows):
            mark = "!" if row.problem else "✔" if row.status in ("matched", "cited") else "·"
            what = "" if row.kind == "citation" else "ref "
            listing.add_option(
                Option(
                    cell(f"{mark} L{row.line} {what}{row.text} — {row.status_words}"),
                    id=f"line:{row.line}:{index}",
                )
            )
        if not rows:
            listing.add_option(Option("No citations or references", disabled=True))

    # --- going to a line of the note ---------------------------------------------

    def on_markdown_table_of_contents_updated(self, event: Markdown.TableOfContentsUpdated) -> None:
        """The body is drawn: scroll to the line asked for, if any (the empty body drawn
        first, before the note is read, does not count)."""
        if self.pending_line is not None and self.snapshot is not None and event.markdown.children:
            line, self.pending_line = self.pending_line, None
            self.scroll_to_line(line)

    def scroll_to_line(self, line: int, tries: int = 40, *, settle: bool = True) -> None:
        """Scroll the body so the block holding ``line`` (of the file) is at the top.

        The blocks are laid out a moment after they are mounted, and laid out again when
        the side panel settles, so this waits for the first and repeats once after."""
        if self.snapshot is None:
            return
        wanted = line - body_first_line(self.snapshot)  # 0-based line of the body
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
            self.set_timer(0.05, lambda: self.scroll_to_line(line, tries - 1, settle=settle))
            return
        share = (wanted - start) / max(1, end - start) if wanted < end else 0.0
        y = block.virtual_region.y + markdown.virtual_region.y
        y += int(share * block.outer_size.height)
        scroller.scroll_to(y=max(0, y - 1), animate=False)
        if settle:
            self.set_timer(0.3, lambda: self.scroll_to_line(line, 0, settle=False))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        option_id = event.option.id or ""
        if option_id.startswith("line:"):
            self.scroll_to_line(int(option_id.split(":")[1]))
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
        lines = [
            f"[b]{escape(record.title)}[/b]",
            f"[dim]{escape(record.path)} · {record.words} words[/dim]",
        ]
        for key in SHOWN_FIELDS[1:]:
            value = record.get(key)
            if value not in (None, "", [], {}):
                lines.extend(field_markup(key, value))
        self.query_one("#fields", Static).update("\n".join(lines), layout=True)
        tags = self.query_one("#tags", OptionList)
        tags.clear_options()
        for tag in record.tags:
            extra = f" @ {tag.get('where')}" if tag.get("where") else ""
            tags.add_option(Option(cell(f"{tag['ac']}{extra}"), id=str(tag["ac"])))
        if not record.tags:
            tags.add_option(Option("No tags yet: press t", disabled=True))
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
        body = self.snapshot.body
        offered = {c.id: suggestions(glossary, body, c) for c in content.criteria}
        existing = {str(t["ac"]): t for t in record.tags}
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

    def action_edit(self) -> None:
        editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
        try:
            with self.app.suspend():
                subprocess.call([*shlex.split(editor), str(self.path)])
        except (OSError, subprocess.SubprocessError, ValueError) as exc:
            self.notify(f"Could not start the editor '{editor}': {exc}", severity="error")
        self._load()
        self.companion.index_portfolio()
