"""The ``companion`` command's entry point: start-up without the garbage collector's rescans.

Collection is paused here and resumed by ``companion.startup.started`` once the command's
handler (or the app) is ready; see that module for why.
"""

from __future__ import annotations

import gc
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``companion`` command with collection paused while it starts."""
    gc.disable()
    try:
        from companion.cli.main import main as run

        return run(argv)
    finally:
        gc.enable()
