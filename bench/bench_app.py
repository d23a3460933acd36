"""Time from launch to an interactive dashboard, against a bare Textual app showing one label.

Two views, both headless so they measure the app and not the terminal:

- launch: a fresh interpreter per run (``launch_probe.py``), timed from start until the
  dashboard shows its figures and the process has exited: the wait a person has after typing
  ``companion``. The bare app pays the same interpreter start and Textual import.
- in-process: imports already done, timed from building the app; shows what the app itself
  costs beyond Textual, the floor any screen with Textual's Header and Footer pays (the same
  bindings as the app), and both the first interactive frame (keys work, figures may still be
  loading) and the dashboard with its figures.

    python bench/bench_app.py [--notes 1000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from textual.app import App, ComposeResult
from textual.widgets import Header, Label, Static

from bench.bench_engine import generate
from companion.portfolio.example import copy_example
from companion.ui.app import CompanionApp, make_app
from companion.widgets.footer import CompanionFooter


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


PROBE = Path(__file__).resolve().parent / "launch_probe.py"


def launch(*args: str) -> float:
    """Seconds from starting ``launch_probe.py`` with ``args`` until it has exited.

    Bytecode is cached as on an installed copy (pip compiles it at install time and an
    editable install writes it on the first run), even where the environment turns that off.
    """
    env = os.environ.copy()
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    start = time.perf_counter()
    subprocess.run([sys.executable, str(PROBE), *args], check=True, env=env)
    return time.perf_counter() - start


def report(title: str, rows: list[tuple[str, Callable[[], float]]], repeat: int) -> None:
    """Print each row's median of ``repeat`` runs, and its ratio to the first row.

    The rows take turns (one run of each, ``repeat`` times over), so a machine that is
    busier for a while slows every row alike instead of skewing one of them.
    """
    print(title)
    times: list[list[float]] = [[] for _ in rows]
    for _ in range(repeat):
        for index, (_, run) in enumerate(rows):
            times[index].append(run())
    baseline = statistics.median(times[0])
    for (name, _), runs in zip(rows, times, strict=True):
        median = statistics.median(runs)
        print(f"  {name:<40} {median * 1000:8.0f} ms   {median / baseline:4.2f}x")


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
        asyncio.run(companion(big))  # fill the index cache once, as after a first run
        launch("companion", str(example))  # and the bytecode, as after installing
        report(
            "launch (fresh interpreter, until the process has exited)",
            [
                ("bare Textual app (one label)", lambda: launch("bare")),
                ("example: dashboard with figures", lambda: launch("companion", str(example))),
                (
                    f"{args.notes} notes, warm cache: figures",
                    lambda: launch("companion", str(big)),
                ),
            ],
            args.repeat,
        )
        report(
            "in-process (imports done)",
            [
                ("bare Textual app (one label)", lambda: asyncio.run(plain_app(BareApp))),
                ("Header + text + Footer (floor)", lambda: asyncio.run(plain_app(FramedApp))),
                ("example: first interactive frame", lambda: asyncio.run(first_frame(example))),
                ("example: dashboard with figures", lambda: asyncio.run(companion(example))),
                (
                    f"{args.notes} notes, warm cache: first frame",
                    lambda: asyncio.run(first_frame(big)),
                ),
                (f"{args.notes} notes, warm cache: figures", lambda: asyncio.run(companion(big))),
            ],
            args.repeat,
        )


if __name__ == "__main__":
    main()
