"""Start an app in a fresh interpreter, headless, and exit once it is ready to use.

``bench_app.py`` times this whole process: interpreter start, imports, content, the first
index or the cache, the first frame and, for companion, the dashboard with its figures.
That is the wait a person has between pressing Enter and reading the dashboard. Companion
starts through its console script's entry point; only ``App.run`` is swapped for a
headless run that exits when the figures are shown. Textual is imported first here, which
the real command does later: a little slower than the command, never faster.

    python bench/launch_probe.py bare
    python bench/launch_probe.py companion PORTFOLIO
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SIZE = (160, 50)


def bare() -> None:
    """The baseline: a Textual app that shows one label."""
    from textual.app import App, ComposeResult
    from textual.pilot import Pilot
    from textual.widgets import Label

    class BareApp(App[None]):
        def compose(self) -> ComposeResult:
            yield Label("ready")

    async def ready(pilot: Pilot) -> None:
        await pilot.pause()
        pilot.app.exit()

    BareApp().run(headless=True, size=SIZE, auto_pilot=ready)


def companion(portfolio: Path) -> None:
    """``companion PORTFOLIO`` as the console script runs it, exiting once figures show."""
    from textual.app import App
    from textual.pilot import Pilot

    run = App.run

    def run_headless(app: App, *args: object, **kwargs: object) -> object:
        async def ready(pilot: Pilot) -> None:
            while getattr(app, "status", None) is None:
                await pilot.pause(0.005)
            await pilot.pause()
            app.exit()

        return run(app, headless=True, size=SIZE, auto_pilot=ready)

    App.run = run_headless  # type: ignore[method-assign]
    from companion.launch import main

    sys.exit(main([str(portfolio)]))


if __name__ == "__main__":
    if sys.argv[1] == "bare":
        bare()
    else:
        companion(Path(sys.argv[2]))
