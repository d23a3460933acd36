"""The footer every screen shows: Textual's, recomposed only when the keys it shows change.

Textual's footer rebuilds all its keys whenever the screen signals that bindings *may* have
changed (each focus change, screen resume and idle refresh): four or more times while the
app starts, about 40 ms each. Comparing what would be shown first keeps the footer exact and
skips the rebuilds that would draw the same keys again.

Each new key also starts out compact and is then bound to the footer's (not compact) style:
two restyles per key, about 50 ms for the app's dozen keys. Keys are given the footer's
style before they mount, so they are styled once.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey


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

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                # Keys follow the footer's style; the command palette key is always compact.
                compact = widget.has_class("-command-palette") or self.compact
                widget.set_reactive(FooterKey.compact, compact)
                widget.set_class(compact, "-compact", update=False)
            yield widget

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
