"""The phrases, the "we" and the phone numbers the text checks look for, found cheaply.

Every note is scanned for them when it is indexed, and most leadership notes hold a hint
word ("role", "we", a "0"), so the regexes ran over nearly every body: about a fifth of a
note's indexing. Here a cheaper look decides first, and the regex runs only where it can
match, so the results are exactly the regexes' own (tests/test_phrases.py holds both to
that on generated notes and on any text).

Matching without case is the same as matching the lower-cased text, character for
character, except for four characters (``FOLDS_ODDLY``) that match an ASCII letter without
case or lower-case to something of another length or kind. A text holding one of them
takes the regex on the text as written.
"""

from __future__ import annotations

import re

SIMULATION = re.compile(
    r"\b(in this scenario|hypothetical scenario|role[- ]play(?:ed|ing)?|simulation exercise|"
    r"simulated (?:exercise|meeting|scenario)|case study)\b",
    re.IGNORECASE,
)
"""Words that say the evidence is a simulation rather than work done."""
SIMULATION_HINTS = ("scenario", "role", "simulat", "case study")
"""Words without which the regex is not run at all (a text folding oddly included)."""
SIMULATION_STEMS = ("scenario", "role-play", "role play", "simulat", "case study")
"""Lower-case text every match of ``SIMULATION`` holds: "role" alone is in most notes."""
REFLECTIVE = re.compile(
    r"\b(on reflection,? i|reflecting on (?:this|my|the)|reflective account|"
    r"when i reflect|looking back,? i (?:feel|think|realise|realize))\b",
    re.IGNORECASE,
)
"""Words of a reflective account rather than a work product."""
REFLECTIVE_HINTS = ("reflect", "looking back")
REFLECTIVE_STEMS = (
    "on reflection",
    "reflecting on ",
    "reflective account",
    "when i reflect",
    "looking back",
)
"""Lower-case text every match of ``REFLECTIVE`` holds."""
WE = re.compile(r"\bwe\b", re.IGNORECASE)
_WE_LOWER = re.compile(r"we\b(?<!\wwe)")
"""``\bwe\b`` in lower-case text, written to start with its letters: the regex engine then
skips to each "we" at C speed instead of trying every position."""
PHONE = re.compile(r"(?<![\w/.-])(?:\+44\s?\(?0?\)?\s?|\(?0)\d{2,4}\)?[\s-]?\d{3,4}[\s-]?\d{3,4}\b")
"""A UK phone number."""
DIGIT_RUN = re.compile(r"\d[\d \t()-]{8,}\d")
"""Ten or more digits, spaces, tabs, dashes and brackets in a row: every ``PHONE`` has one."""

FOLDS_ODDLY = "\u0130\u0131\u017f\u212a"
"""İ, ı, ſ and the Kelvin sign: the only characters that match an ASCII letter without
case, lower-case to ASCII or to more than one character, or change between word and
non-word when lower-cased (tests/test_phrases.py works this out from the whole of
Unicode)."""
_ASCII = bytes(range(128))
_DIGIT = re.compile(r"\d")


def _run_table(beyond_ascii: bytes) -> bytes:
    """Each byte to ``0`` if it may be part of a ``DIGIT_RUN``, else to ``x``."""
    out = bytearray(b"x" * 256)
    for byte in b"0123456789 \t()-" + beyond_ascii:
        out[byte] = ord("0")
    return bytes(out)


_RUN_ASCII = _run_table(b"")
_RUN_ANY = _run_table(bytes(range(128, 256)))
_TEN = b"0" * 10


def folds_plainly(text: str) -> bool:
    """True when matching ``text`` without case is matching ``text.lower()`` with it, at
    the same offsets."""
    return text.isascii() or not any(odd in text for odd in FOLDS_ODDLY)


def _phrases(
    pattern: re.Pattern[str],
    text: str,
    lowered: str,
    hints: tuple[str, ...],
    stems: tuple[str, ...],
) -> list[str]:
    """Matches of ``pattern``: none without a hint word, as it has always been; and the
    regex run only where a stem shows it can match."""
    if not any(hint in lowered for hint in hints):
        return []
    if not any(stem in lowered for stem in stems) and folds_plainly(text):
        return []
    return [found.group(0) for found in pattern.finditer(text)]


def simulation_phrases(text: str, lowered: str) -> list[str]:
    """Every match of ``SIMULATION`` in ``text`` that has a hint word (``lowered`` is
    ``text.lower()``)."""
    return _phrases(SIMULATION, text, lowered, SIMULATION_HINTS, SIMULATION_STEMS)


def reflective_phrases(text: str, lowered: str) -> list[str]:
    """Every match of ``REFLECTIVE`` in ``text`` that has a hint word (``lowered`` is
    ``text.lower()``)."""
    return _phrases(REFLECTIVE, text, lowered, REFLECTIVE_HINTS, REFLECTIVE_STEMS)


def we_count(text: str, lowered: str) -> int:
    """How often ``text`` says "we" (``lowered`` is ``text.lower()``); 0 when no "we" is
    followed by a space, as the count has always been."""
    if not lowered.count("we "):
        return 0
    if folds_plainly(text):
        return len(_WE_LOWER.findall(lowered))
    return len(WE.findall(text))


def may_hold_phone(text: str) -> bool:
    """False only where ``PHONE`` finds nothing: a ``DIGIT_RUN`` searched for where the
    text has ten bytes in a row that could be one (any byte beyond ASCII could, when the
    text has a digit beyond ASCII)."""
    if "0" not in text and "+44" not in text:
        return False
    data = text.encode("utf-8", "surrogatepass")
    if text.isascii():
        table = _RUN_ASCII
    else:
        beyond = data.translate(None, _ASCII).decode("utf-8", "surrogatepass")
        table = _RUN_ANY if _DIGIT.search(beyond) else _RUN_ASCII
    return _TEN in data.translate(table) and DIGIT_RUN.search(text) is not None


def phones(text: str) -> list[str]:
    """Every ``PHONE`` in ``text``."""
    return PHONE.findall(text) if may_hold_phone(text) else []
