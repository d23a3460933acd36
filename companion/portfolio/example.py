"""The bundled example portfolio: always opened from a fresh copy, never in place."""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

from companion.files import data_dir


def example_source() -> Path:
    """Where the packaged example portfolio lives."""
    return Path(str(resources.files("companion") / "example_portfolio"))


def copy_example(target: Path | None = None) -> Path:
    """Copy the example portfolio to ``target`` (default: the app's data folder) afresh."""
    target = target or data_dir() / "example-portfolio"
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(example_source(), target)
    return target
