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

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import HorizontalGroup
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey, FooterLabel, KeyGroup

NARROW = 120
"""Below this many columns the screen keys are shown as one group, so the others fit."""


ShownKey = tuple[str, str, str, bool, str, Binding.Group | None]
"""One key as the footer draws it: key, action, description, enabled, tooltip, group."""


def shown_bindings(screen: Screen[object]) -> tuple[ShownKey, ...]:
    """What the footer would draw for ``screen``: each shown key, its label and state."""
    return tuple(
        (binding.key, binding.action, binding.description, enabled, tooltip, binding.group)
        for (_, binding, enabled, tooltip) in screen.active_bindings.values()
        if binding.show
    )


def _switches_screen(action: str) -> bool:
    return action.removeprefix("app.").startswith("show(")


class CompanionFooter(Footer):
    """A footer that skips rebuilding when the keys it would show are unchanged.

    At 80 columns the twelve keys and their names do not fit on one line, so in a narrow
    terminal the keys that switch screens (d, u, n, k, f, g, p, X) are shown as one group,
    named "screens" (Help, ?, names each), and the screen's own keys stay readable. Where
    they still do not fit (a screen with keys of its own), every key is shown compact, and
    where even that is too wide the screen's own keys take a line above the app's.
    """

    DEFAULT_CSS = """
    CompanionFooter.-compact FooterLabel {
        margin-right: 1;
    }
    CompanionFooter.-two-rows {
        height: 2;
        layout: vertical;
    }
    CompanionFooter .footer-row {
        width: 1fr;
        height: 1;
    }
    """

    _composed_for: tuple[int, tuple[ShownKey, ...]] | None = None
    """The width and keys the footer was last composed for."""
    _squeezed = False
    """True while the footer is compact only because the keys would not fit otherwise."""

    @property
    def narrow(self) -> bool:
        """True when the terminal is too narrow for every key's name."""
        return self.app.size.width < NARROW

    def compose(self) -> ComposeResult:
        widgets = list(super().compose())
        keys = [w for w in widgets if isinstance(w, FooterKey)]
        grouped_keys = [k for k in keys if self.narrow and _switches_screen(k.action)]
        app_keys = self._app_keys()
        own = [k for k in keys if k.key not in app_keys and not k.has_class("-command-palette")]
        # Where the keys do not fit on one line even compact (a screen with many keys of its
        # own at 80 columns), the screen's keys take a line of their own above the app's.
        two_rows = not self._fits(keys, grouped_keys, compact=True)
        if two_rows:
            rest = [k for k in keys if k not in own]
            squeeze = not (self._fits(own, []) and self._fits(rest, grouped_keys))
        else:
            squeeze = not self._fits(keys, grouped_keys)
        # A screen with keys of its own is shown compact at 80 columns rather than cut off,
        # and goes back to the footer's own style when there is room again.
        if squeeze or self._squeezed:
            self._squeezed = squeeze
            self.set_reactive(Footer.compact, squeeze)
            self.set_class(squeeze, "-compact", update=False)
        self.set_class(two_rows, "-two-rows")
        compact = self.compact
        shown: list[Widget] = []
        grouped: list[FooterKey] = []
        for widget in widgets:
            if isinstance(widget, FooterKey):
                if widget in grouped_keys:
                    grouped.append(
                        FooterKey(
                            widget.key,
                            widget.key_display,
                            "",
                            widget.action,
                            tooltip=widget.description,
                            classes="-grouped",
                        )
                    )
                    continue
                # Keys follow the footer's style; the command palette key is always compact.
                narrow_key = widget.has_class("-command-palette") or compact
                widget.set_reactive(FooterKey.compact, narrow_key)
                widget.set_class(narrow_key, "-compact", update=False)
            if grouped:
                shown.extend(self._group(grouped))
                grouped = []
            shown.append(widget)
        shown.extend(self._group(grouped))
        if not two_rows:
            yield from shown
            return
        palette = [w for w in shown if w.has_class("-command-palette")]
        yield HorizontalGroup(*(w for w in shown if w in own), classes="footer-row")
        yield HorizontalGroup(
            *(w for w in shown if w not in own and w not in palette), classes="footer-row"
        )
        yield from palette

    def _app_keys(self) -> set[str]:
        """The keys the app binds on every screen (screens, Rescan, Help, Quit)."""
        return {
            binding.key
            for (node, binding, _, _) in self.screen.active_bindings.values()
            if node is self.app
        }

    def _fits(self, keys: list[FooterKey], grouped: list[FooterKey], compact: bool = False) -> bool:
        """True when every key, spaced as the full (or compact) footer spaces them, fits on
        the line beside the command palette key."""
        spacing = 2 if compact else 3
        width = sum(
            len(k.key_display) + spacing + len(k.description)
            for k in keys
            if k not in grouped and not k.has_class("-command-palette")
        )
        if grouped:
            width += sum(len(k.key_display) for k in grouped) + len(" screens ")
        return width + len(" ^p palette ") <= self.app.size.width

    def _group(self, keys: list[FooterKey]) -> ComposeResult:
        if keys:
            for key in keys:
                key.set_reactive(FooterKey.compact, True)
                key.set_class(True, "-compact", update=False)
            yield KeyGroup(*keys, classes="-compact")
            yield FooterLabel("screens")

    def on_resize(self, event: events.Resize) -> None:
        if self._composed_for is not None and self._composed_for[0] != self.app.size.width:
            self._composed_for = None
            self.bindings_changed(self.screen)

    def bindings_changed(self, screen: Screen[object]) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen:
            shown = (self.app.size.width, shown_bindings(screen))
            if shown == self._composed_for:
                return
            self._composed_for = shown
            self.call_after_refresh(self.recompose)
