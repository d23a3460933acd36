"""The Textual app: a thin shell that runs the engine in workers and shows its results.

Screens call the engine (portfolio, tagging, report); they never re-implement it. Slow
work (indexing, writes) runs in thread workers, and every engine refusal becomes a
notification instead of a traceback.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from importlib import import_module
from pathlib import Path
from typing import Any

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.worker import Worker, WorkerState

from companion.assessment.gateway import readiness
from companion.assessment.otj import otj_status
from companion.assessment.reviews import review_schedule
from companion.assessment.status import Status, build_status
from companion.content.load import load_content
from companion.content.model import Content
from companion.content.problems import ContentError
from companion.errors import CompanionError
from companion.portfolio.portfolio import Portfolio
from companion.portfolio.profile import ProfileError
from companion.portfolio.recent import remember
from companion.portfolio.store import StoreBusy
from companion.screens.base import PortfolioScreen
from companion.screens.choose import ChoiceModal
from companion.screens.dashboard import DashboardScreen
from companion.text.terminal import safe_line
from companion.ui.palette import screen_commands, with_footer_commands
from companion.widgets.plain import PlainNotifications

POLL_SECONDS = 3.0
UNMOUNT_WAIT_SECONDS = 10.0
"""How long closing waits for the engine's current step before leaving the databases open."""


def lazy_screen(module: str, name: str) -> Callable[[], Screen[Any]]:
    """A factory that imports a screen's module when the screen is first shown.

    Start-up needs only the dashboard; the other screens and the widgets they use (tables,
    trees, Markdown, the text editor) are loaded on first use.
    """

    def make() -> Screen[Any]:
        screen = getattr(import_module(f"companion.screens.{module}"), name)()
        if not isinstance(screen, Screen):
            raise TypeError(f"companion.screens.{module}.{name} is not a screen")
        return screen

    make.__qualname__ = name
    return make


class CompanionApp(PlainNotifications, App[None]):
    """Study companion for the Level 7 Senior Leader apprenticeship."""

    @dataclass
    class StatusUpdated(Message):
        """A fresh status (progress, flags, word counts) is available."""

        status: Status

    @dataclass
    class IndexProgress(Message):
        """How far the first index has got."""

        done: int
        total: int

    TITLE = "Companion"
    SUB_TITLE = "Level 7 Senior Leader"
    CSS_PATH = Path(__file__).with_name("app.tcss")  # found from subclasses elsewhere too
    MODES = {
        "dashboard": DashboardScreen,
        "units": lazy_screen("units", "UnitsScreen"),
        "notes": lazy_screen("notes", "NotesScreen"),
        "ksbs": lazy_screen("ksbs", "KsbsScreen"),
        "flags": lazy_screen("flags", "FlagsScreen"),
        "gateway": lazy_screen("gateway", "GatewayScreen"),
        "proposal": lazy_screen("proposal", "ProposalScreen"),
        "export": lazy_screen("export", "ExportScreen"),
        "otj": lazy_screen("otj", "OtjScreen"),
        "search": lazy_screen("search", "SearchScreen"),
    }
    BINDINGS = [
        Binding("d", "show('dashboard')", "Dashboard", id="dashboard", tooltip="Overview"),
        Binding("u", "show('units')", "Units", id="units", tooltip="Units, outcomes and ACs"),
        Binding("n", "show('notes')", "Notes", id="notes", tooltip="Your evidence notes"),
        Binding("k", "show('ksbs')", "KSBs", id="ksbs", tooltip="Knowledge, skills, behaviours"),
        Binding("f", "show('flags')", "Flags", id="flags", tooltip="Evidence problems"),
        Binding("g", "show('gateway')", "Gateway", id="gateway", tooltip="Readiness check"),
        Binding("p", "show('proposal')", "Proposal", id="proposal", tooltip="Plan the summary"),
        Binding("o", "show('otj')", "OTJ", id="otj", tooltip="Off-the-job log, progress reviews"),
        Binding("X", "show('export')", "Export", id="export", tooltip="Matrices, progress"),
        Binding("slash", "show('search')", "Search", id="search", tooltip="The notes' text"),
        Binding("r", "rescan", "Rescan", id="rescan", tooltip="Re-read notes from disk"),
        Binding("question_mark", "help", "Help", id="help", tooltip="Keys and what they do"),
        Binding("q", "quit", "Quit", id="quit"),
    ]

    def __init__(
        self,
        portfolio_path: Path | None,
        content: Content | None = None,
        *,
        poll: bool = True,
    ) -> None:
        super().__init__()
        self.portfolio_path = portfolio_path
        self.content_override = content
        """Content given for this session (--content/--framework); else the portfolio's."""
        self.content = content
        self.portfolio: Portfolio | None = None
        self.status: Status | None = None
        self.poll = poll
        self.engine_lock = threading.Lock()
        self.index_done = 0
        self.index_total = 0
        self._told_library: str | None = None

    # --- start-up ------------------------------------------------------------------

    def on_mount(self) -> None:
        if self.portfolio_path is None:
            if self.content is None:
                try:
                    self.content = load_content()  # the default framework, for a new portfolio
                except ContentError as exc:
                    self.notify(str(exc), title="Content problem", severity="error", timeout=30)
                    return
            self._first_run()
            return
        self.open_portfolio(self.portfolio_path)

    def _first_run(self) -> None:
        from companion.screens.first_run import FirstRunScreen

        self.push_screen(FirstRunScreen(), self._first_run_done)

    def _first_run_done(self, path: Path | None) -> None:
        if path is None:
            self.exit()
            return
        self.open_portfolio(path)

    def open_portfolio(self, path: Path) -> None:
        """Open a portfolio folder and start indexing it."""
        try:
            self.portfolio = Portfolio(path, self.content_override)
        except ContentError as exc:
            self.notify(str(exc), title="Content problem", severity="error", timeout=30)
            return
        except ProfileError as exc:
            self.notify(str(exc), title="Cannot open portfolio", severity="error", timeout=30)
            self._first_run()
            return
        self.content = self.portfolio.content
        self.refresh_bindings()
        try:
            assert self.portfolio.store is not None
            self.portfolio.store.acquire()
        except StoreBusy as exc:
            self.notify(str(exc), severity="warning", timeout=15)
        except (AssertionError, OSError):
            pass
        for warning in self.portfolio.warnings:
            self.notify(warning, severity="warning", timeout=15)
        remember(path)
        self.sub_title = safe_line(self.portfolio.profile.learner or str(path))
        self.switch_mode("dashboard")
        self.call_after_refresh(self.index_portfolio)
        if self.poll:
            self.set_interval(POLL_SECONDS, self._poll)

    # --- engine work in threads ----------------------------------------------------

    @work(thread=True, exclusive=True, group="index", exit_on_error=False)
    def index_portfolio(self) -> None:
        """Bring the index up to date and compute a fresh status."""
        if self.portfolio is None:
            return
        with self.engine_lock:
            result = self.portfolio.scan(progress=self._post_progress, stopped=self._closing_down)
            if result.stopped:
                return  # closing: what was read is kept for the next start
            changed = (
                result.parsed
                or result.removed
                or result.profile_changed
                or result.logs_changed
                or self.status is None
            )
            status = self._fresh_status() if changed else self.status
        for warning in result.warnings:
            self._notify_from_worker(warning, severity="warning")
        library = self.portfolio.library
        if library is not None and library.problem and library.fingerprint != self._told_library:
            self._told_library = library.fingerprint
            self._notify_from_worker(library.problem, severity="warning")
        if changed and status is not None:
            self.post_message(self.StatusUpdated(status))

    def _post_progress(self, done: int, total: int) -> None:
        self.post_message(self.IndexProgress(done, total))

    def _fresh_status(self) -> Status:
        """The status of the portfolio as scanned, with its gateway check worked out here in
        the worker rather than by the screens on the UI thread."""
        assert self.portfolio is not None
        status = build_status(self.portfolio)
        readiness(status)
        otj_status(status)
        review_schedule(status)
        return status

    def _poll(self) -> None:
        busy = any(w.group == "index" and w.state == WorkerState.RUNNING for w in self.workers)
        if not busy and self.portfolio is not None:
            self.index_portfolio()

    def run_engine(self, action: Callable[[], Any], done: str = "") -> None:
        """Run a write (tag, untag, acknowledge) in a worker, then refresh the status.

        The action may return the message to show when it is done (what really happened);
        otherwise ``done`` is shown. A refusal is shown as "Not changed" with its reason.
        """
        self._engine_worker(action, done)

    @work(thread=True, group="write", exit_on_error=False)
    def _engine_worker(self, action: Callable[[], Any], done: str) -> None:
        if self.portfolio is None:
            return
        with self.engine_lock:
            try:
                said = action()
            except CompanionError as exc:
                self._notify_from_worker(exc.message, title="Not changed", severity="error")
                return
            except OSError as exc:
                self._notify_from_worker(
                    str(exc.strerror or exc), title="Not changed", severity="error"
                )
                return
            self.portfolio.scan()
            status = self._fresh_status()
        message = said if isinstance(said, str) and said else done
        if message:
            self._notify_from_worker(message)
        self.post_message(self.StatusUpdated(status))

    def _notify_from_worker(self, message: str, **options: Any) -> None:
        """Notify from a worker thread, unless the app is already closing."""
        if self._closing_down():
            return
        options.setdefault("timeout", 10 if options.get("severity") == "error" else 4)
        with contextlib.suppress(RuntimeError):  # the app stopped meanwhile
            self.call_from_thread(self.notify, message, **options)

    def on_companion_app_index_progress(self, message: CompanionApp.IndexProgress) -> None:
        self.index_done, self.index_total = message.done, message.total
        if self._nothing_to_draw():
            return
        screen = self.screen
        # A screen still composing has no bar yet; it reads index_done/index_total on mount.
        if hasattr(screen, "show_index_progress") and screen.is_mounted:
            screen.show_index_progress(message.done, message.total)

    def on_companion_app_status_updated(self, message: CompanionApp.StatusUpdated) -> None:
        self.status = message.status
        if self._nothing_to_draw():
            return  # the screens are going, there is nothing to draw
        for screen in self.screens_on_view():
            if isinstance(screen, PortfolioScreen) and screen.is_mounted and screen.is_attached:
                screen.render_status(message.status)

    def _closing_down(self) -> bool:
        """True once the app has begun to close (``exit()``, or shutdown pruning the screens).

        Safe to ask from a worker thread: it reads two flags and nothing of the screens.
        """
        return self._exit or not self.is_running

    def _nothing_to_draw(self) -> bool:
        """True when a worker's message arrives too late to draw: the app is closing and
        its screens may have lost their widgets."""
        return self._closing_down() or not self.screen_stack

    def screens_on_view(self) -> list[Screen[Any]]:
        """The top screen and, under dialogs, the screens they are drawn over."""
        stack = self.screen_stack
        shown = [stack[-1]]
        for screen in reversed(stack[:-1]):
            if not isinstance(shown[-1], ModalScreen):
                break
            shown.append(screen)
        return shown

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            error = event.worker.error
            self.notify(
                f"{type(error).__name__}: {error}",
                title="Something went wrong",
                severity="error",
                timeout=15,
            )

    # --- actions -----------------------------------------------------------------

    def action_show(self, mode: str) -> None:
        if self.portfolio is None or self.current_mode == mode or not self.has_screen(mode):
            return
        self.leave_screen(lambda: self.switch_mode(mode))

    def leave_screen(self, then: Callable[[], Any]) -> None:
        """Run ``then`` (leave the screen), first asking what to do with unsaved edits."""
        screen = self.screen
        if isinstance(screen, ModalScreen):
            return  # a dialog is open: it answers first (Escape closes it)
        if not (isinstance(screen, PortfolioScreen) and screen.has_unsaved_edits()):
            then()
            return

        def answered(answer: str | None) -> None:
            if answer == "save" and screen.save_edits():
                then()
            elif answer == "discard":
                screen.discard_edits()
                then()

        self.push_screen(
            ChoiceModal(
                f"{screen.unsaved_description()} has unsaved changes.",
                [("save", "Save"), ("discard", "Discard"), ("cancel", "Stay")],
                safe="cancel",
            ),
            answered,
        )

    async def action_quit(self) -> None:
        """Quit, asking first when typed text is not saved."""
        self.leave_screen(self.exit)

    def search_for(self, text: str) -> None:
        """Show the Search screen searching for ``text`` (the Notes filter hands over)."""

        def searched() -> None:
            screen = self.screen
            if hasattr(screen, "search"):
                screen.search(text)

        self.leave_screen(lambda: (self.switch_mode("search"), self.call_after_refresh(searched)))

    def action_rescan(self) -> None:
        self.index_portfolio()
        self.notify("Re-reading notes…", timeout=2)

    def action_help(self) -> None:
        from companion.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    SCREENS_SHOWN = (
        ("dashboard", "Dashboard", "Overview of progress and flags"),
        ("units", "Units", "Units, learning outcomes and ACs"),
        ("notes", "Notes", "Your evidence notes"),
        ("ksbs", "KSBs", "Knowledge, skills and behaviours, and duties"),
        ("flags", "Flags", "Evidence problems to fix or look at"),
        ("gateway", "Gateway", "Readiness for EPA gateway, item by item"),
        ("proposal", "Proposal summary", "Plan the 500-word Strategic Business Proposal summary"),
        (
            "otj",
            "Off-the-job training and reviews",
            "The OTJ log against the plan, progress reviews, the review pack",
        ),
        ("export", "Export", "Evidence Matrices for gateway, progress export for your tutor"),
        ("search", "Search", "Find any words in the notes' text"),
    )
    """Each screen the palette offers, by mode, with its name and what it is for."""

    def has_screen(self, mode: str) -> bool:
        """True when the portfolio's framework has what the screen shows (a gateway, a
        proposal summary, KSBs, funding rules); a framework without them has no such screen."""
        content = self.content
        if content is None:
            return True
        if mode == "gateway":
            return content.has_gateway
        if mode == "proposal":
            return bool(content.standard.proposal_sections)
        if mode == "ksbs":
            return content.has_ksbs
        if mode == "otj":
            return content.funding is not None
        return True

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Hide (and refuse) the keys of screens the framework does not have, and, before a
        portfolio is open (the first run), the keys that need one."""
        if self.portfolio is None and action in ("show", "rescan"):
            return False
        return not (action == "show" and parameters and not self.has_screen(str(parameters[0])))

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        return with_footer_commands(screen, self._named_commands(screen))

    def _named_commands(self, screen: Screen[Any]) -> Iterator[SystemCommand]:
        yield from super().get_system_commands(screen)
        for mode, name, help_text in self.SCREENS_SHOWN:
            if self.has_screen(mode):
                yield SystemCommand(name, help_text, partial(self.action_show, mode))
        yield SystemCommand("Rescan", "Re-read notes from disk", self.action_rescan)
        yield SystemCommand("Help", "Keys and what they do", self.action_help)
        yield from screen_commands(screen)

    def on_unmount(self) -> None:
        """Close the databases once the engine's current step is over.

        A worker still saving what it read would otherwise write through a connection closed
        under it. An index told to stop ends within a chunk of notes; should a step still be
        running past the wait, the databases are left for the process's exit to close.
        """
        if self.portfolio is None or not self.engine_lock.acquire(timeout=UNMOUNT_WAIT_SECONDS):
            return
        try:
            self.portfolio.close()
        finally:
            self.engine_lock.release()


def make_app(
    portfolio_path: Path | None,
    content_dir: Path | None = None,
    *,
    poll: bool = True,
) -> CompanionApp:
    """Build the app from its dependencies, so tests can point it at temporary folders.

    ``content_dir`` overrides the portfolio's own framework; a portfolio's content is checked
    here, before the app starts, so a broken framework is one message, not a blank screen.
    """
    content = load_content(content_dir) if content_dir is not None else None
    if content is None and portfolio_path is not None:
        Portfolio(portfolio_path, use_store=False)  # raises ContentError or ProfileError
    return CompanionApp(portfolio_path, content, poll=poll)
