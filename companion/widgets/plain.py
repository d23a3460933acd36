"""Text from notes, profiles, file names and content shown as written, never read as markup.

Textual reads square brackets in strings as markup: a note titled "Budget [/] plan" would
end the app with a markup error, "[b]" would turn text bold and "[@click=app.quit]" would
be a live action. Whatever the app did not write itself goes through these helpers, or
through ``textual.markup.escape`` when it sits inside the app's own markup.
"""

from __future__ import annotations

from rich.text import Text
from textual.markup import escape as escape_markup
from textual.notifications import SeverityLevel

from companion.text.terminal import safe_line, safe_text


def cell(value: object) -> Text:
    """A table cell or tree label holding ``value`` as plain text (controls escaped)."""
    return Text(safe_line(str(value)), end="")


def escape(value: object) -> str:
    """``value`` for the app's own markup: brackets escaped and control characters shown as
    ``\\uXXXX``, so no file can add markup or send the terminal an escape sequence."""
    return escape_markup(safe_text(str(value)))


class PlainNotifications:
    """An App mixin: every notification is plain text (they carry file names and note text)."""

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Show a notification; ``markup`` is ignored: messages are always plain text."""
        super().notify(  # type: ignore[misc]
            safe_text(message),
            title=safe_line(title),
            severity=severity,
            timeout=timeout,
            markup=False,
        )

    def action_help_quit(self) -> None:
        """Ctrl+C copies in a text box rather than quitting: say which key quits, in plain
        words (Textual's own message is markup, which these notifications show as typed)."""
        bindings = self.active_bindings  # type: ignore[attr-defined]
        for key, active in bindings.items():
            if active.binding.action in ("quit", "app.quit"):
                self.notify(f"Press {key} to quit the app", title="Do you want to quit?")
                return
