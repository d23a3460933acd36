"""Dashboard: the learner, days to gateway, per-unit progress, KSB coverage, flags, words."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Header, Label, ProgressBar, Static

from companion import clock
from companion.assessment.gateway import blocking, readiness
from companion.assessment.progress import Rollup
from companion.assessment.status import Status, feedback_line, pd_ksb_coverage
from companion.screens.base import PortfolioScreen
from companion.widgets.footer import CompanionFooter
from companion.widgets.plain import escape

BAR_WIDTH = 28


def unit_bar(sufficient: int, in_progress: int, total: int, width: int = BAR_WIDTH) -> str:
    """A bar in markup: sufficient ACs, then those in progress, then the rest."""
    total = max(total, 1)
    done = round(width * sufficient / total)
    going = min(width - done, round(width * in_progress / total))
    rest = width - done - going
    return f"[$success]{'━' * done}[/][$warning]{'━' * going}[/][dim]{'━' * rest}[/]"


def unit_row(unit_id: str, title: str, rollup: Rollup) -> str:
    """One unit on the dashboard: its title, then its bar and figures (markup)."""
    figures = f"{rollup.sufficient}/{rollup.total} sufficient, {rollup.in_progress} in progress"
    bar = unit_bar(rollup.sufficient, rollup.in_progress, rollup.total)
    return f"[b]{escape(unit_id)}[/b] {escape(title)}\n    {bar}  {figures}"


class DashboardScreen(PortfolioScreen):
    """Where the apprentice stands, at a glance."""

    CSS_PATH = "dashboard.tcss"

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="dashboard"):
            yield Static("Reading your notes…", id="learner")
            yield Label("Units", classes="section-title")
            yield Static("", id="units")
            with Vertical(id="summary"):
                yield Static("", id="ksb-coverage")
                yield Static("", id="flag-counts")
                yield Static("", id="word-counts")
                yield Static("", id="gateway-summary")
                yield Static("", id="feedback-summary")
        yield CompanionFooter()

    def on_mount(self) -> None:
        app = self.companion
        if app.index_total:
            self.show_index_progress(app.index_done, app.index_total)

    def show_index_progress(self, done: int, total: int) -> None:
        """Show a first index's progress in a bar, added only while notes are left to read.

        An index served from the cache is done at once: no bar is built for it.
        """
        bars = self.query("#index-progress").results(ProgressBar)
        bar = next(bars, None)
        if bar is None:
            if done >= total or self.companion.status is not None:
                return
            bar = ProgressBar(total=total, show_eta=False, id="index-progress")
            self.query_one("#dashboard").mount(bar, after="#learner")
        bar.update(total=max(total, 1), progress=done)

    def show_status(self, status: Status) -> None:
        portfolio = status.portfolio
        profile = portfolio.profile
        content = portfolio.content
        self.query("#index-progress").remove()
        qualification = content.standard.qualification
        lines = [f"[b]{escape(profile.learner or 'No learner name in companion.yaml')}[/b]"]
        lines.append(escape(qualification.title if qualification else content.standard.title))
        if profile.planned_gateway:
            days = (profile.planned_gateway - clock.today()).days
            lines.append(
                f"Planned gateway {profile.planned_gateway.isoformat()}: [b]{days}[/b] days to go"
                if days >= 0
                else f"Planned gateway {profile.planned_gateway.isoformat()}: {-days} days ago"
            )
        self.query_one("#learner", Static).update("\n".join(lines))

        self.query_one("#units", Static).update(
            Content.from_markup(
                "\n".join(
                    unit_row(unit.id, unit.title, status.progress.units[unit.id])
                    for unit in content.units
                )
            )
        )

        covered, total = pd_ksb_coverage(status)
        self.query_one("#ksb-coverage", Static).update(
            f"Professional Discussion KSBs with evidence: [b]{covered}/{total}[/b]"
        )
        acknowledged = len([f for f in status.warnings if f.acknowledged])
        self.query_one("#flag-counts", Static).update(
            f"Flags: [b $error]{len(status.errors)} errors[/], "
            f"[b $warning]{len(status.warnings) - acknowledged} warnings[/]"
            + (f" ({acknowledged} acknowledged)" if acknowledged else "")
        )
        words = []
        for item in status.words:
            what = (
                f"Unit {escape(str(item.unit))} assignment"
                if item.kind == "assignment"
                else "Proposal summary"
            )
            target = item.target
            colour = "$success" if target.band == "in-band" else "$error"
            excluded = item.left_out_text()
            words.append(
                f"{what}: [{colour}]{target.words}[/] words "
                f"(target {target.low}–{target.high}, {target.band})"
                + (f"; not counted: {escape(excluded)}" if excluded else "")
            )
        self.query_one("#word-counts", Static).update(
            "\n".join(words) or "No assignment drafts or proposal summary yet."
        )
        blocked = blocking(readiness(status))
        self.query_one("#gateway-summary", Static).update(
            f"Gateway: [b $error]{len(blocked)} items block it[/] (press g for the checklist)"
            if blocked
            else "Gateway: [b $success]nothing blocks it[/]"
        )
        feedback = self.query_one("#feedback-summary", Static)
        line = feedback_line(status)
        feedback.display = bool(line or status.feedback.problems)
        problems = [f"[$warning]{escape(p)}[/]" for p in status.feedback.problems]
        feedback.update("\n".join(([escape(line)] if line else []) + problems))
