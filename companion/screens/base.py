"""What every portfolio screen shares: access to the app's engine state and a loading view."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.screen import Screen

from companion.report import Status

if TYPE_CHECKING:
    from companion.app import CompanionApp

STATUS_MARK = {"sufficient": "✔", "in-progress": "◐", "not-started": "·"}


class PortfolioScreen(Screen):
    """A screen that renders the current status and re-renders when it changes."""

    @property
    def companion(self) -> CompanionApp:
        """The app, typed."""
        return self.app  # type: ignore[return-value]

    def on_screen_resume(self) -> None:
        status = self.companion.status
        if status is not None:
            self.show_status(status)

    def show_status(self, status: Status) -> None:
        """Render ``status``; screens override this."""
