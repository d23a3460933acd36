"""The fast tokenisers give exactly what their defining regexes give, on any text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from companion.text.tokens import ALNUM, WORD, alnum_tokens, count_words

# Text weighted towards the characters where the fast paths and the regexes could part:
# apostrophes, hyphens, underscores, typographic punctuation, accents, digits and spaces.
_TRICKY = st.sampled_from(list("ab Z9_'’-–—\u00a0\t\n.,;:()[]£€éİßﬁ٣\u0301\u200b\ud800"))
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
    ("text", "words", "tokens"),
    [
        ("", 0, []),
        ("don't co-op", 2, ["don", "t", "co", "op"]),
        ("a--b 'quoted' -x-", 4, ["a", "b", "quoted", "x"]),
        ("Cooke’s inventory, £500", 3, ["Cooke", "s", "inventory", "500"]),
        ("snake_case café\u00a0naïve", 4, ["snake", "case", "café", "naïve"]),
    ],
)
def test_known_cases(text: str, words: int, tokens: list[str]) -> None:
    assert count_words(text) == words
    assert alnum_tokens(text) == tokens
