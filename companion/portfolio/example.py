"""The bundled example portfolio: always opened from a fresh copy, never in place."""

from __future__ import annotations

import shutil
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from companion.files import data_dir


def example_source() -> Traversable:
    """Where the packaged example portfolio lives (a folder, or a folder in a zip)."""
    return resources.files("companion") / "example_portfolio"


def _copy(tree: Traversable, target: Path) -> None:
    target.mkdir(parents=True)
    for item in tree.iterdir():
        if item.is_dir():
            _copy(item, target / item.name)
        else:
            (target / item.name).write_bytes(item.read_bytes())


def copy_example(target: Path | None = None) -> Path:
    """Copy the example portfolio to ``target`` (default: afresh in the app's data folder)."""
    if target is None:
        target = data_dir() / "example-portfolio"
        if target.is_symlink():
            target.unlink()
        elif target.exists():
            shutil.rmtree(target)
    _copy(example_source(), target)
    return target
