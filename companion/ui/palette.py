"""Every key a footer offers is also a command in the palette (ctrl+p), by its plain name.

People who do not remember a key look for the thing they want to do: "pack", "tag",
"export", "bundle". The footer's bindings already name each action, so the palette lists
them from the same place and can never fall behind what the footer shows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from functools import partial
from typing import Any, Protocol, runtime_checkable

from textual.app import SystemCommand
from textual.screen import Screen


def _action_of(callback: Callable[..., Any]) -> str | None:
    """The action a command runs, as a binding names it (``pack``, ``show('units')``)."""
    args: tuple[Any, ...] = ()
    target = callback
    if isinstance(callback, partial):
        args = callback.args
        target = callback.func
    name: str = getattr(target, "__name__", "")
    if not name.startswith("action_"):
        return None
    action = name.removeprefix("action_")
    return f"{action}({', '.join(repr(a) for a in args)})" if args else action


def _bare(action: str) -> str:
    return action.removeprefix("app.").removeprefix("screen.")


@runtime_checkable
class NamesCommands(Protocol):
    """A screen with commands of its own for the palette, beyond the keys it shows."""

    def palette_commands(self) -> Iterator[SystemCommand]: ...


def screen_commands(screen: Screen[object]) -> Iterator[SystemCommand]:
    """The screen's own palette commands, if it names any."""
    if isinstance(screen, NamesCommands):
        yield from screen.palette_commands()


def with_footer_commands(
    screen: Screen[object], commands: Iterable[SystemCommand]
) -> Iterator[SystemCommand]:
    """``commands``, then a command for each key the screen's footer shows that they do
    not already offer (by title, case aside, or by the action they run: "Write review pack"
    already runs the key ``w Pack``), running that key's action."""
    named: set[str] = set()
    actions: set[str] = set()
    for command in commands:
        named.add(command.title.casefold())
        action = _action_of(command.callback)
        if action is not None:
            actions.add(action)
        yield command
    for key, active in screen.active_bindings.items():
        binding = active.binding
        title = binding.description
        if (
            not binding.show
            or not title
            or not active.enabled
            or title.casefold() in named
            or _bare(binding.action) in actions
        ):
            continue
        named.add(title.casefold())
        help_text = (
            binding.tooltip or active.tooltip or f"{title} (key {binding.key_display or key})"
        )
        yield SystemCommand(
            title, help_text, partial(screen.app.run_action, binding.action, active.node)
        )
