"""Start an app in a fresh interpreter, headless, and exit once it is ready to use.

``bench_app.py`` times this whole process: interpreter start, imports, content, the first
index or the cache, the first frame and, for companion, the dashboard with its figures.
That is the wait a person has between pressing Enter and reading the dashboard.

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
    """The app as the ``companion`` command opens it, exiting once the figures are shown."""
    import companion.cli  # noqa: F401  (the console script loads the CLI first)
    from companion.app import make_app

    app = make_app(portfolio, poll=False)

    async def ready(pilot) -> None:  # type: ignore[no-untyped-def]
        while app.status is None:
            await pilot.pause(0.005)
        await pilot.pause()
        app.exit()

    app.run(headless=True, size=SIZE, auto_pilot=ready)


if __name__ == "__main__":
    if sys.argv[1] == "bare":
        bare()
    else:
        companion(Path(sys.argv[2]))
