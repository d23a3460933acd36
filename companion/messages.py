"""Messages the app posts between its workers and screens."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from companion.report import Status


@dataclass
class StatusUpdated(Message):
    """A fresh status (progress, flags, word counts) is available."""

    status: Status


@dataclass
class IndexProgress(Message):
    """How far the first index has got."""

    done: int
    total: int
