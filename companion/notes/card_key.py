"""What makes a note a card: the front matter key naming its evidence file.

Apart from ``companion.notes.card`` (which reads the files) so that asking whether a note is
a card, as tagging does for every note it tags, loads no file readers.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

CARD_KEY = "file"
"""The front matter key naming a card's evidence file."""


def card_file_name(metadata: Mapping[str, Any]) -> str | None:
    """The file a card names, or None for a note that is not a card (or whose ``file`` is
    not one name: see ``companion.notes.card.unnamed_file``). A number is taken as written
    (``file: 2026``)."""
    value = metadata.get(CARD_KEY)
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


__all__ = ["CARD_KEY", "card_file_name"]
