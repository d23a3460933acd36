"""A count with its noun, in the singular when there is one: "1 word", "2,013 words"."""

from __future__ import annotations


def counted(count: int, word: str, plural: str | None = None) -> str:
    """``count`` (with thousands separators) and ``word``, or ``plural`` (``word`` + "s" by
    default) unless the count is exactly one."""
    noun = word if count == 1 else (plural or f"{word}s")
    return f"{count:,} {noun}"


def word_band(low: int, high: int) -> str:
    """A word-count band as people say it: "up to 500" for a cap, else "2,700–3,300"."""
    return f"up to {high:,}" if not low else f"{low:,}–{high:,}"
