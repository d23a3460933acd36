"""Remember the last portfolio opened, so ``companion`` with no argument reopens it."""

from __future__ import annotations

import json
from pathlib import Path

from companion.files import atomic_write, data_dir
from companion.portfolio.layout import PROFILE_FILE


def _recent_file() -> Path:
    return data_dir() / "recent.json"


def remember(portfolio: Path) -> None:
    """Record ``portfolio`` as the last one opened."""
    path = _recent_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, json.dumps({"last": str(portfolio.resolve())}).encode("utf-8"))
    except OSError:
        pass  # remembering is a convenience; failing to must not stop the app


def last_opened() -> Path | None:
    """The last portfolio opened, if it still exists."""
    try:
        data = json.loads(_recent_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    last = data.get("last") if isinstance(data, dict) else None
    if isinstance(last, str) and (Path(last) / PROFILE_FILE).is_file():
        return Path(last)
    return None
