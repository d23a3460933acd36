"""Dashboard: the learner, days to gateway, per-unit progress, KSB coverage, flags, words."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Header, Label, ProgressBar, Static

from companion import clock
from companion.assessment.decisions import referred_line
from companion.assessment.funding import termed
from companion.assessment.gateway import blocking, readiness
from companion.assessment.otj import otj_status
from companion.assessment.progress import Rollup
from companion.assessment.reviews import review_schedule
from companion.assessment.status import Status, feedback_line, pd_ksb_coverage
from companion.portfolio.hours import hours_text
from companion.screens.base import PortfolioScreen
from companion.text.counted import counted, word_band
from companion.views.otj import gap_text
from companion.widgets.footer import CompanionFooter
from companion.widgets.plain import escape

BAR_WIDTH = 28
"""The narrowest a unit's bar is drawn; it grows with the column it is in."""
WIDE = 140
"""From this many columns the units and the summary stand side by side."""
FIGURES_WIDTH = 44
"""Room beside a bar for its indent and figures ("  12/12 sufficient, 12 in progress")."""
MAX_BAR_WIDTH = 60

START_HERE = """[b]Start here[/b]
1. Put your evidence (Word documents, PDFs, slide decks, recordings) in this folder, then
   press [b]n[/b] and [b]A[/b] to bring them in; or press [b]n[/b] then [b]+[/b] to write a note.
2. Tag each piece to the ACs it evidences: on [b]u[/b] Units, highlight an AC and press
   [b]t[/b]; or open a note and press [b]t[/b].
3. Log your off-the-job training as you go: press [b]o[/b], then [b]a[/b].
Press [b]?[/b] for every key; [b]Escape[/b] closes Help."""
"""What the dashboard says while the portfolio holds no evidence yet."""


def bar_width(column: int) -> int:
    """The width of the unit bars in a column ``column`` cells wide."""
    return max(BAR_WIDTH, min(MAX_BAR_WIDTH, column - FIGURES_WIDTH))


def unit_bar(sufficient: int, in_progress: int, total: int, width: int = BAR_WIDTH) -> str:
    """A bar in markup: sufficient ACs, then those in progress, then the rest."""
    total = max(total, 1)
    done = round(width * sufficient / total)
    going = min(width - done, round(width * in_progress / total))
    rest = width - done - going
    return f"[$success]{'━' * done}[/][$warning]{'━' * going}[/][dim]{'━' * rest}[/]"


def unit_row(unit_id: str, title: str, rollup: Rollup, width: int = BAR_WIDTH) -> str:
    """One unit on the dashboard: its title, then its bar and figures (markup)."""
    figures = f"{rollup.sufficient}/{rollup.total} sufficient, {rollup.in_progress} in progress"
    bar = unit_bar(rollup.sufficient, rollup.in_progress, rollup.total, width)
    return f"[b]{escape(unit_id)}[/b] {escape(title)}\n    {bar}  {figures}"


class DashboardScreen(PortfolioScreen):
    """Where the apprentice stands, at a glance."""

    CSS_PATH = "dashboard.tcss"

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="dashboard"):
            yield Static("Reading your notes…", id="learner")
            yield Static("", id="referred")
            yield Static(START_HERE, id="start-here")
            with Vertical(id="columns"):
                with Vertical(id="units-column"):
                    yield Label("Units", classes="section-title")
                    yield Static("", id="units")
                yield from self._summary()
        yield CompanionFooter()

    def _summary(self) -> ComposeResult:
        with Vertical(id="summary"):
            yield Static("", id="plan")
            yield Static("", id="ksb-coverage")
            yield Static("", id="flag-counts")
            yield Static("", id="word-counts")
            yield Static("", id="gateway-summary")
            yield Static("", id="otj-line")
            yield Static("", id="review-line")
            yield Static("", id="feedback-summary")

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

    def on_resize(self, event: events.Resize) -> None:
        """Side by side from ``WIDE`` columns, one above the other below; the bars grow
        with their column."""
        self.query_one("#columns").set_class(event.size.width >= WIDE, "-wide")
        if self.companion.status is not None:
            self.call_after_refresh(self._show_progress, self.companion.status)

    def _bar_width(self) -> int:
        units = self.query_one("#units-column")
        return bar_width(units.size.width or self.size.width)

    def show_status(self, status: Status) -> None:
        self.query("#index-progress").remove()
        records = status.portfolio.records
        self.query_one("#start-here").display = not any(
            record.get("type") not in ("progress-review",) for record in records.values()
        )
        self._show_learner(status)
        self._show_progress(status)
        self._show_flags_and_words(status)
        self._show_gateway(status)
        self._show_programme(status)
        referred = self.query_one("#referred", Static)
        line_referred = referred_line(status)
        referred.display = bool(line_referred)
        referred.update(Content(f"{line_referred} (press u)" if line_referred else ""))
        feedback = self.query_one("#feedback-summary", Static)
        line = feedback_line(status)
        feedback.display = bool(line or status.feedback.problems)
        problems = [f"[$warning]{escape(p)}[/]" for p in status.feedback.problems]
        feedback.update("\n".join(([escape(line)] if line else []) + problems))

    def _show_learner(self, status: Status) -> None:
        """Who, which qualification, and how long to the planned gateway."""
        profile = status.portfolio.profile
        content = status.portfolio.content
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

    def _show_progress(self, status: Status) -> None:
        """A bar per unit, the KSBs with evidence, and the learner's choice of units."""
        self.query_one("#units", Static).update(
            Content.from_markup(
                "\n".join(
                    unit_row(unit.id, unit.title, status.progress.units[unit.id], self._bar_width())
                    for unit in status.units
                )
            )
        )
        covered, total = pd_ksb_coverage(status)
        coverage = self.query_one("#ksb-coverage", Static)
        coverage.display = bool(total)  # a framework without a Professional Discussion: none
        coverage.update(f"Professional Discussion KSBs with evidence: [b]{covered}/{total}[/b]")
        plan = status.plan
        lines_plan = ([plan.line] if plan and plan.line else []) + [
            f"[$error]Unit choice:[/] {escape(p)}" for p in (plan.problems if plan else ())
        ]
        self.query_one("#plan", Static).update("\n".join(lines_plan))
        self.query_one("#plan", Static).display = bool(lines_plan)

    def _show_flags_and_words(self, status: Status) -> None:
        """The flag counts, and each draft's words against its target."""
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
                f"({'target ' if target.low else ''}{word_band(target.low, target.high)}, "
                f"{target.band})" + (f"; not counted: {escape(excluded)}" if excluded else "")
            )
        nothing = (
            "No assignment drafts or proposal summary yet."
            if status.portfolio.content.standard.proposal_sections
            else "No assignment drafts yet."
        )
        self.query_one("#word-counts", Static).update("\n".join(words) or nothing)

    def _show_gateway(self, status: Status) -> None:
        content = status.portfolio.content
        gateway = self.query_one("#gateway-summary", Static)
        gateway.display = content.has_gateway
        blocked = blocking(readiness(status)) if content.has_gateway else []
        title = escape(
            termed(content, status.portfolio.profile, clock.today(), "Gateway", "gateway")
        )
        gateway.update(
            f"{title}: [b $error]{len(blocked)} items block it[/] (press g for the checklist)"
            if blocked
            else f"{title}: [b $success]nothing blocks it[/]"
        )

    def _show_programme(self, status: Status) -> None:
        """Off-the-job hours against the plan and the next progress review, where the
        framework has funding rules (press o for both)."""
        otj_line = self.query_one("#otj-line", Static)
        review_line = self.query_one("#review-line", Static)
        shown = status.portfolio.content.funding is not None
        otj_line.display = review_line.display = shown
        if not shown:
            return
        otj = otj_status(status)
        if otj.required is None:
            text = f"Off-the-job training: [b]{hours_text(otj.done)}[/b] hours logged; " + escape(
                otj.requirement.missing
            )
        else:
            colour = "$error" if otj.gap and otj.gap > 0 else "$success"
            text = (
                f"Off-the-job training: [b]{hours_text(otj.done)}[/b] of "
                f"{hours_text(otj.required)} hours, [{colour}]{escape(gap_text(otj.gap))}[/]"
            )
        rule = otj.requirement.rule
        if otj.required is not None and rule is not None and rule.caveat:
            text += " " + escape(rule.caveat)
        if otj.errors:
            text += f" · [b $error]{counted(len(otj.errors), 'problem')} in the log[/]"
        otj_line.update(text + " (press o)")
        schedule = review_schedule(status)
        line = escape(schedule.line())
        review_line.update(f"[b $error]{line}[/]" if schedule.overdue else line)
