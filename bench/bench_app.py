"""Time from launch to an interactive dashboard, against a bare Textual app showing one label.

Also shown: the floor any screen with Textual's Header and Footer pays (the same bindings as
the app), and for the app both the first interactive frame (keys work, figures may still be
loading) and the dashboard with its figures. Runs headless (Textual's test driver) so it
measures the app, not the terminal:

    python bench/bench_app.py [--notes 1000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from textual.app import App, ComposeResult
from textual.widgets import Header, Label, Static

from bench.bench_engine import generate
from companion.demo import copy_example
from companion.ui.app import CompanionApp, make_app
from companion.ui.footer import CompanionFooter


class BareApp(App[None]):
    """The baseline: one label."""

    def compose(self) -> ComposeResult:
        yield Label("ready")


class FramedApp(App[None]):
    """The floor of a real screen: Header, one line of text and the app's footer keys."""

    BINDINGS = CompanionApp.BINDINGS

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("ready")
        yield CompanionFooter()


async def plain_app(app_class: type[App[None]]) -> float:
    start = time.perf_counter()
    async with app_class().run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        elapsed = time.perf_counter() - start
    return elapsed


async def first_frame(portfolio: Path) -> float:
    start = time.perf_counter()
    app = make_app(portfolio, poll=False)
    async with app.run_test(size=(160, 50)):
        elapsed = time.perf_counter() - start
    return elapsed


async def companion(portfolio: Path) -> float:
    start = time.perf_counter()
    app = make_app(portfolio, poll=False)
    async with app.run_test(size=(160, 50)) as pilot:
        while app.status is None:
            await pilot.pause(0.01)
        await pilot.pause()
        elapsed = time.perf_counter() - start
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--notes", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["COMPANION_DATA_DIR"] = str(Path(tmp) / "data")
        example = copy_example(Path(tmp) / "example")
        big = Path(tmp) / "big"
        generate(big, args.notes)
        rows = [
            ("bare Textual app (one label)", lambda: plain_app(BareApp)),
            ("Header + text + Footer (floor)", lambda: plain_app(FramedApp)),
            ("example: first interactive frame", lambda: first_frame(example)),
            ("example: dashboard with figures", lambda: companion(example)),
            (f"{args.notes} notes, warm cache: first frame", lambda: first_frame(big)),
            (f"{args.notes} notes, warm cache: figures", lambda: companion(big)),
        ]
        asyncio.run(companion(big))  # fill the index cache once, as after a first run
        baseline = None
        for name, factory in rows:
            times = [asyncio.run(factory()) for _ in range(args.repeat)]
            median = statistics.median(times)
            baseline = baseline or median
            print(f"{name:<40} {median * 1000:8.0f} ms   {median / baseline:4.2f}x")


if __name__ == "__main__":
    main()
