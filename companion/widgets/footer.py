"""The footer every screen shows: Textual's, recomposed only when the keys it shows change.

Textual's footer rebuilds all its keys whenever the screen signals that bindings *may* have
changed (each focus change, screen resume and idle refresh): four or more times while the
app starts, about 40 ms each. Comparing what would be shown first keeps the footer exact and
skips the rebuilds that would draw the same keys again.
"""

from __future__ import annotations

from typing import Any

from textual.screen import Screen
from textual.widgets import Footer


def shown_bindings(screen: Screen) -> tuple[tuple[Any, ...], ...]:
    """What the footer would draw for ``screen``: each shown key, its label and state."""
    return tuple(
        (binding.key, binding.action, binding.description, enabled, tooltip, binding.group)
        for (_, binding, enabled, tooltip) in screen.active_bindings.values()
        if binding.show
    )


class CompanionFooter(Footer):
    """A footer that skips rebuilding when the keys it would show are unchanged."""

    _composed_for: tuple[tuple[Any, ...], ...] | None = None

    def bindings_changed(self, screen: Screen) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen:
            shown = shown_bindings(screen)
            if shown == self._composed_for:
                return
            self._composed_for = shown
            self.call_after_refresh(self.recompose)
