"""The cheap looks before the text checks' regexes change no result: each finder gives
exactly what the plain regex scan gives, on generated notes and on any text."""

from __future__ import annotations

import random
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.corpus import note_text
from companion.text import phrases

_SIMULATION_HINTS = ("scenario", "role", "simulat", "case study")
_REFLECTIVE_HINTS = ("reflect", "looking back")


def _scan(pattern: re.Pattern[str], text: str, hints: tuple[str, ...]) -> list[str]:
    """The scan as it was: the regex over the text whenever a hint word is in it."""
    lowered = text.lower()
    if any(hint in lowered for hint in hints):
        return [m.group(0) for m in pattern.finditer(text)]
    return []


def _phone_scan(text: str) -> list[str]:
    may = ("0" in text or "+44" in text) and phrases.DIGIT_RUN.search(text) is not None
    return phrases.PHONE.findall(text) if may else []


def _we_scan(text: str) -> int:
    return text.lower().count("we ") and len(phrases.WE.findall(text))


def _same(text: str) -> None:
    lowered = text.lower()
    assert phrases.simulation_phrases(text, lowered) == _scan(
        phrases.SIMULATION, text, _SIMULATION_HINTS
    )
    assert phrases.reflective_phrases(text, lowered) == _scan(
        phrases.REFLECTIVE, text, _REFLECTIVE_HINTS
    )
    assert phrases.we_count(text, lowered) == _we_scan(text)
    assert phrases.phones(text) == _phone_scan(text)


_SAID = (
    "In this Scenario",
    "ROLE-PLAYED",
    "role playing",
    "a Hypothetical scenario",
    "the simulated meeting",
    "Simulation Exercise",
    "case study",
    "Case  study",
    "On reflection, I",
    "on reflectionI",
    "Reflecting on my",
    "when I reflect",
    "Looking back I realise",
    "looking back, i feel",
    "We",
    "we’re",
    "WE ",
    "swe we_",
    "role",
    "ſcenario",
    "İn this scenario",
    "ın this scenario",
    "\u212aase study",
    "\u212a",
    "call 01632 960 123",
    "(0161) 496-0000",
    "+44 20 7946 0958",
    "٠١٦٣٢ ٩٦٠ ١٢٣ ٤",
    "— £200 — “0” (0)",
)


def test_every_finder_matches_the_plain_scan_on_generated_notes() -> None:
    rng = random.Random(33)
    for index in range(1500):
        text = note_text(rng, index)
        words = text.split(" ")
        for _ in range(rng.randint(0, 4)):
            words.insert(rng.randrange(len(words) + 1), rng.choice(_SAID))
        _same(" ".join(words))


_PIECES = st.sampled_from(
    [*_SAID, " ", "\n", ",", "-", "0", "1", "w", "e", "İ", "ſ", "\u212a", "ı", "é"]
)


@settings(max_examples=500)
@given(st.one_of(st.text(), st.lists(_PIECES).map("".join)))
def test_every_finder_matches_the_plain_scan_on_any_text(text: str) -> None:
    _same(text)


def test_only_four_characters_fold_oddly() -> None:
    """Lower-casing keeps offsets, word characters and the meaning of a case-blind ASCII
    letter for every character but ``FOLDS_ODDLY``."""
    letter, word = re.compile("[a-z]", re.IGNORECASE), re.compile(r"\w")
    odd = []
    for code in range(0x80, 0x110000):
        if 0xD800 <= code <= 0xDFFF:
            continue
        char = chr(code)
        lower = char.lower()
        if (
            len(lower) != 1
            or lower.isascii()
            or letter.fullmatch(char)
            or bool(word.match(char)) != bool(word.match(lower))
        ):
            odd.append(char)
    assert "".join(odd) == phrases.FOLDS_ODDLY


def test_a_leadership_note_skips_the_phrase_regexes(monkeypatch: pytest.MonkeyPatch) -> None:
    """A note with "role" and "we" in it but no phrase runs neither phrase regex."""
    text = "In my role we agreed the budget of £200k with the team’s lead on 01 March."
    monkeypatch.setattr(phrases, "SIMULATION", None)
    monkeypatch.setattr(phrases, "REFLECTIVE", None)
    assert phrases.simulation_phrases(text, text.lower()) == []
    assert phrases.reflective_phrases(text, text.lower()) == []
    assert phrases.we_count(text, text.lower()) == 1
    assert not phrases.may_hold_phone(text)
