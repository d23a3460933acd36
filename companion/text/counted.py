"""A count with its noun, in the singular when there is one: "1 word", "2,013 words"."""

from __future__ import annotations


def counted(count: int, word: str, plural: str | None = None) -> str:
    """``count`` (with thousands separators) and ``word``, or ``plural`` (``word`` + "s" by
    default) unless the count is exactly one."""
    noun = word if count == 1 else (plural or f"{word}s")
    return f"{count:,} {noun}"
