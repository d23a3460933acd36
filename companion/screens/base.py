"""What every portfolio screen shares: access to the app's engine state and a loading view."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.screen import Screen

from companion.assessment.status import Status

if TYPE_CHECKING:
    from companion.ui.app import CompanionApp

STATUS_MARK = {"sufficient": "✔", "in-progress": "◐", "not-started": "·", "referred": "R"}
"""How an AC's state is marked in the Units tree; a referral outweighs sufficiency."""
STATUS_LEGEND = "✔ sufficient ◐ in progress · none R referred"
"""The marks explained, in the width of the Units tree."""


class PortfolioScreen(Screen[None]):
    """A screen that renders the current status and re-renders when it changes.

    The app redraws only the screens on view when the status changes; any other screen
    redraws when it is shown again, and only if the status changed since it last drew.
    """

    _rendered: Status | None = None

    @property
    def companion(self) -> CompanionApp:
        """The app, typed."""
        return self.app  # type: ignore[return-value]

    def on_screen_resume(self) -> None:
        status = self.companion.status
        if status is not None and status is not self._rendered:
            self.render_status(status)

    def render_status(self, status: Status) -> None:
        """Draw ``status`` and remember it was drawn."""
        self._rendered = status
        self.show_status(status)

    def show_status(self, status: Status) -> None:
        """Render ``status``; screens override this."""

    # --- typed text not yet saved (the proposal planner has some) ------------------

    def has_unsaved_edits(self) -> bool:
        """True when leaving now would lose text the learner typed."""
        return False

    def unsaved_description(self) -> str:
        """What holds the unsaved text, for the question asked before leaving."""
        return "This screen"

    def save_edits(self) -> bool:
        """Save the edits now; False (and a message) when they could not be saved."""
        return True

    def discard_edits(self) -> None:
        """Throw the edits away."""
