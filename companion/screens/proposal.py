"""Proposal: plan the 500-word Strategic Business Proposal summary, section by section.

The summary is the apprentice's own markdown file; this screen reads it, edits the title
and the section texts, counts words live against the cap and saves through the engine's
safe writer, which keeps everything else in the file as it was.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Header, Input, Label, Markdown, Static, TextArea

from companion.assessment.proposal import (
    ProposalSummary,
    live_count,
    proposal_ksbs,
    read_summary,
    save_summary,
)
from companion.assessment.status import Status
from companion.errors import CompanionError
from companion.notes.file import NoteReadError
from companion.screens.base import PortfolioScreen
from companion.text.counted import counted
from companion.text.wordcount import count_words
from companion.widgets.footer import CompanionFooter
from companion.widgets.plain import cell, escape
from companion.widgets.safe_input import SafeInput, SafeTextArea


class ProposalScreen(PortfolioScreen):
    """The proposal summary planner."""

    CSS_PATH = "proposal.tcss"
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="save-proposal", tooltip="Save the summary file"),
        Binding("ctrl+r", "reload", "Reload", id="reload-proposal", tooltip="Re-read it from disk"),
        Binding(
            "escape",
            "leave_text",
            "Leave text",
            id="leave-text",
            tooltip="Stop typing here so the screen's keys work again",
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.summary: ProposalSummary | None = None

    def compose(self) -> ComposeResult:
        content = self.companion.content
        sections = content.standard.proposal_sections if content else ()
        yield Header()
        with Horizontal(id="proposal"):
            with VerticalScroll(id="proposal-form"):
                yield Static("", id="proposal-file")
                yield Label("Title", classes="field-title")
                yield SafeInput(
                    placeholder="The proposal's title", id="proposal-title", select_on_focus=False
                )
                for section in sections:
                    yield Label(
                        cell(section.title), id=f"label-{section.id}", classes="field-title"
                    )
                    yield Static(cell(section.prompt), classes="prompt")
                    yield SafeTextArea(
                        "", id=f"section-{section.id}", soft_wrap=True, classes="section-text"
                    )
            with VerticalScroll(id="proposal-side"):
                yield Static("", id="proposal-count")
                yield Static("", id="proposal-missing")
                yield Markdown("", id="proposal-ksbs")
        yield CompanionFooter()

    def on_mount(self) -> None:
        self.load()
        # typing goes into the form, never to the screen keys behind it (u, o, d…)
        self.query_one("#proposal-title", Input).focus()

    def show_status(self, status: Status) -> None:
        # Pick up edits made elsewhere, but never replace unsaved work in the form.
        if not self.dirty:
            self.load()

    @property
    def dirty(self) -> bool:
        """True when the form holds edits not yet saved to the file."""
        if self.summary is None:
            return False
        title, texts = self._edits()
        return title.strip() != self.summary.title or any(
            texts[s.section.id].strip() != s.text for s in self.summary.sections
        )

    def load(self) -> None:
        """Read the summary from disk into the form."""
        portfolio = self.companion.portfolio
        if portfolio is None:
            return
        profile = portfolio.profile
        try:
            summary = read_summary(
                portfolio.root, profile.proposal_summary, portfolio.content, profile.word_count
            )
        except NoteReadError as exc:
            self.summary = None
            self.query_one("#proposal-file", Static).update(
                f"[b]{escape(str(profile.proposal_summary))}[/b] cannot be read: "
                f"{escape(exc.message)}"
            )
            self.notify(exc.message, title="Proposal summary", severity="error", timeout=10)
            return
        if (
            self.summary is not None
            and summary.note is not None
            and self.summary.note is not None
            and summary.note.raw == self.summary.note.raw
        ):
            return
        self.summary = summary
        self.query_one("#proposal-title", Input).value = summary.title
        for section in summary.sections:
            self.query_one(f"#section-{section.section.id}", TextArea).load_text(section.text)
        where = summary.relative if summary.exists else f"{summary.relative} (not written yet)"
        self.query_one("#proposal-file", Static).update(f"[b]File[/b] {escape(where)}")
        ksbs = proposal_ksbs(portfolio.content)
        lines = ["### The proposal will have to show", ""]
        lines += [f"- **{code}** {text}" for code, text in ksbs]
        self.query_one("#proposal-ksbs", Markdown).update("\n".join(lines))
        self.recount()

    def _edits(self) -> tuple[str, dict[str, str]]:
        title = self.query_one("#proposal-title", Input).value
        texts = {
            s.section.id: self.query_one(f"#section-{s.section.id}", TextArea).text
            for s in (self.summary.sections if self.summary else [])
        }
        return title, texts

    def recount(self) -> None:
        """Update the live word count, per-section counts and missing sections."""
        portfolio = self.companion.portfolio
        if self.summary is None or portfolio is None:
            return
        rules = portfolio.profile.word_count
        title, texts = self._edits()
        total = live_count(self.summary, title, texts, portfolio.content, rules)
        missing = []
        for section in self.summary.sections:
            words = count_words(texts[section.section.id], rules)
            if not words:
                missing.append(section.section.title)
            self.query_one(f"#label-{section.section.id}", Label).update(
                f"{escape(section.section.title)}  [dim]{counted(words, 'word')}[/dim]"
            )
        cap = self.summary.cap
        count = self.query_one("#proposal-count", Static)
        count.set_class(total > cap, "over")
        state = "over the limit" if total > cap else f"{cap - total} left"
        unsaved = "\n[i]unsaved changes[/i]" if self.dirty else ""
        count.update(
            f"[b]{total} / {cap}[/b] words ({state})\n[dim]headings count as words[/dim]{unsaved}"
        )
        self.query_one("#proposal-missing", Static).update(
            ("[b]Not written yet:[/b] " + escape(", ".join(missing)))
            if missing
            else "Every section has text."
        )

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.recount()

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        self.recount()

    def action_leave_text(self) -> None:
        """Leave the field being typed in, so keys like d and X switch screens again."""
        focused = self.focused
        if isinstance(focused, TextArea | Input):
            self.query_one("#proposal-form").focus()

    # --- unsaved edits: asked about before leaving, reloading or quitting ------------

    def has_unsaved_edits(self) -> bool:
        return self.dirty

    def unsaved_description(self) -> str:
        return "The proposal summary"

    def save_edits(self) -> bool:
        """Save now, in the foreground (one small file): True when it was written."""
        portfolio = self.companion.portfolio
        summary = self.summary
        if portfolio is None or summary is None:
            return False
        title, texts = self._edits()
        if not title.strip():
            self.notify("Give the proposal a title first.", severity="warning")
            return False
        try:
            saved = save_summary(
                summary,
                title,
                texts,
                portfolio.content,
                learner=portfolio.profile.learner,
                rules=portfolio.profile.word_count,
            )
        except CompanionError as exc:
            self.notify(exc.message, title="Not saved", severity="error", timeout=10)
            return False
        self._saved(saved)
        self.notify(f"Saved {saved.relative}")
        self.companion.index_portfolio()
        return True

    def discard_edits(self) -> None:
        self.summary = None
        self.load()

    def action_save(self) -> None:
        """Save through the safe writer, in a worker."""
        portfolio = self.companion.portfolio
        summary = self.summary
        if portfolio is None or summary is None:
            self.notify("The summary cannot be read, so it cannot be saved.", severity="error")
            return
        title, texts = self._edits()
        if not title.strip():
            self.notify("Give the proposal a title first.", severity="warning")
            return

        def save() -> None:
            saved = save_summary(
                summary,
                title,
                texts,
                portfolio.content,
                learner=portfolio.profile.learner,
                rules=portfolio.profile.word_count,
            )
            self.app.call_from_thread(self._saved, saved)

        self.companion.run_engine(save, done=f"Saved {summary.relative}")

    def _saved(self, saved: ProposalSummary) -> None:
        self.summary = saved
        self.query_one("#proposal-file", Static).update(f"[b]File[/b] {escape(saved.relative)}")
        self.recount()

    def action_reload(self) -> None:
        """Read the file again, first asking what to do with unsaved edits."""

        def reload() -> None:
            self.summary = None
            self.load()
            self.notify("Read the summary from disk.", timeout=2)

        self.companion.leave_screen(reload)
