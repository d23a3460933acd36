"""Split prose into words quickly, with exactly the results of the defining regexes.

Indexing tokenises every note body twice (the word count and the glossary), and a Unicode
regex over a 3 KB note costs about 100 microseconds. Here the text is encoded to UTF-8 and
every ASCII character that can never be part of a token becomes a space in one
``bytes.translate``; the pieces left are almost all plain ASCII letters and digits (one token
each). Only pieces holding an apostrophe, a hyphen or a non-ASCII character go through the
regex, and only that piece.
"""

from __future__ import annotations

import re

WORD = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*", re.UNICODE)
"""A word: letters or digits, with inner apostrophes and hyphens (don't, co-op)."""

ALNUM = re.compile(r"[^\W_]+", re.UNICODE)
"""A run of letters or digits: what the glossary matches names on."""


def _table(keep: bytes) -> bytes:
    """Map every ASCII byte that is not alphanumeric or in ``keep`` to a space."""
    out = bytearray(range(256))
    for byte in range(128):
        if not (chr(byte).isalnum() or byte in keep):
            out[byte] = 0x20
    return bytes(out)


_WORD_TABLE = _table(b"'-")
_ALNUM_TABLE = _table(b"")


def count_words(text: str) -> int:
    """``len(WORD.findall(text))``, two to three times faster on typical prose."""
    translated = text.encode("utf-8", "surrogatepass").translate(_WORD_TABLE)
    pieces = translated.split()
    if translated.isascii() and b"'" not in translated and b"-" not in translated:
        return len(pieces)  # only letters, digits and spaces are left: one word per piece
    total = 0
    for piece in pieces:
        if piece.isalnum():
            total += 1
        else:
            total += len(WORD.findall(piece.decode("utf-8", "surrogatepass")))
    return total


def alnum_tokens(text: str) -> list[str]:
    """``ALNUM.findall(text)``, two to five times faster on typical prose."""
    translated = text.encode("utf-8", "surrogatepass").translate(_ALNUM_TABLE)
    if translated.isascii():
        return translated.decode("ascii").split()
    out: list[str] = []
    for piece in translated.split():
        if piece.isalnum():
            out.append(piece.decode("ascii"))
        else:
            out.extend(ALNUM.findall(piece.decode("utf-8", "surrogatepass")))
    return out
