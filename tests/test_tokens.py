"""The fast tokenisers give exactly what their defining regexes give, on any text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from companion.text.tokens import ALNUM, WORD, alnum_tokens, count_words

# Text weighted towards the characters where the fast paths and the regexes could part:
# apostrophes, hyphens, underscores, typographic punctuation, accents, digits and spaces.
_TRICKY = st.sampled_from(list("ab Z9_'’-–—\u00a0\t\n.,;:()[]£€“”…•éİßﬁ٣\u0301\u200b\u2009\ud800"))
_TEXT = st.one_of(st.text(), st.text(alphabet=_TRICKY), st.text(st.characters(max_codepoint=0x7F)))


@settings(max_examples=400)
@given(_TEXT)
def test_count_words_matches_the_regex(text: str) -> None:
    assert count_words(text) == len(WORD.findall(text))


@settings(max_examples=400)
@given(_TEXT)
def test_alnum_tokens_match_the_regex(text: str) -> None:
    assert alnum_tokens(text) == ALNUM.findall(text)


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("", []),
        ("don't co-op", ["don", "t", "co", "op"]),
        ("a--b 'quoted' -x-", ["a", "b", "quoted", "x"]),
        ("Cooke’s inventory, £500", ["Cooke", "s", "inventory", "500"]),
        ("snake_case café\u00a0naïve", ["snake", "case", "café", "naïve"]),
    ],
)
def test_known_tokens(text: str, tokens: list[str]) -> None:
    assert alnum_tokens(text) == tokens


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", 0),
        ("don't co-op", 2),
        ("Cooke’s inventory, £500", 3),
        ("snake_case café\u00a0naïve", 3),
        # numbers, codes and abbreviations are one word each, as LibreOffice counts them
        ("6.4% £1.2m AC1.1 £250 3,000 24/7 e.g.", 7),
        ("£1,200.50 2025/26 10:30 p.31 U.K. and/or 23(5) www.example.org", 8),
        ("(Harris, 2015, p. 31)", 4),
        # en and em dashes part words, spaced or not; a hyphen joins them
        ("x—y a–b 2026-11-15", 5),
        # a lone mark is not a word (LibreOffice counts one: A & B is 3 there)
        ("A & B - c … d • £ % “ ” 😀", 4),
    ],
)
def test_words_as_word_processors_count_them(text: str, words: int) -> None:
    assert count_words(text) == words


def test_the_common_marks_never_hold_a_byte_that_parts_words() -> None:
    """The fast path turns the last UTF-8 byte of a dash or no-break space into a space."""
    from companion.text import tokens

    marks = "".join(tokens._MARKS).encode()
    assert not set(marks) & set(tokens._PARTING_BYTES)


# UK prose beyond ASCII: accented and other letters and digits among the common marks, the
# text the byte-counting path takes once each letter is made an ``a``.
_LETTERS_BEYOND = st.sampled_from(list("éëïôçñßøåÉÖœæİıſﬁ٣²ªΩжд中"))
_PROSE = st.text(alphabet=st.one_of(_TRICKY, _LETTERS_BEYOND, st.sampled_from(list("£’“”…"))))


@settings(max_examples=600)
@given(_PROSE)
def test_count_words_of_letters_beyond_ascii_matches_the_regex(text: str) -> None:
    assert count_words(text) == len(WORD.findall(text))


def test_a_note_with_accented_names_is_counted_without_the_split(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Zoë's café note takes the byte path (no pieces of symbols looked for) and still
    counts as the regex does."""
    from companion.text import tokens

    text = "Zoë led the café’s “quick wins” — naïve, £200 — for the team’s Öffnung. " * 3
    monkeypatch.setattr(tokens, "_SYMBOLS", None)  # the split path would fail on it
    assert count_words(text) == len(WORD.findall(text)) == 36
