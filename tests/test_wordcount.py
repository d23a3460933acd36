"""Word counts follow the documented rules exactly."""

from __future__ import annotations

import pytest

from companion.text.wordcount import WordCountRules, against_cap, against_target, count_words


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("", 0),
        ("One two three.", 3),
        ("# Heading words\n\nBody text here.", 5),
        ("- bullet one\n- bullet two\n1. numbered item", 6),
        ("**bold** and _italic_ and `code`", 5),
        ("See [the plan](https://example.org/plan) now.", 4),
        ("Visit https://example.org/x today", 2),
        ("![a diagram](img.png) Caption here", 2),
        ("| Col A | Col B |\n|---|---|\n| one | two |", 6),
        ("don't co-operate", 2),
        ("Text\n\n---\n\nMore", 2),
        ("Before\n```\ncode block words ignored\n```\nAfter", 2),
        ("Kept <!-- a hidden comment --> words", 2),
        ("Body words here.\n\n## References\n\nKotter, J. (1996) Leading Change.", 3),
        ("Intro.\n\n## Appendix A\n\nLong table.\n\n# Next part\n\nCounted again.", 5),
        ("Intro.\n\n## Bibliography\n\nx y z\n\n### Sub of biblio\n\nstill out", 1),
        ("<b>bold</b> tag", 2),
        ("[ref]: https://example.org\nOnly this", 2),
        ("Café naïve 2026 £500", 4),
    ],
)
def test_count_words(body: str, expected: int) -> None:
    assert count_words(body) == expected


def test_custom_excluded_sections() -> None:
    rules = WordCountRules(exclude_sections=("evidence log",))
    body = "One two.\n\n## Evidence log\n\nthree four\n\n## References\n\nfive"
    # The custom list replaces the defaults, so References counts again.
    assert count_words(body, rules) == 4


def test_targets_and_bands() -> None:
    band = against_target(4049, 4500, 10)
    assert (band.low, band.high, band.band) == (4050, 4950, "under")
    assert against_target(4050, 4500, 10).band == "in-band"
    assert against_target(4950, 4500, 10).band == "in-band"
    assert against_target(4951, 4500, 10).band == "over"
    assert against_cap(500, 500).band == "in-band"
    assert against_cap(501, 500).band == "over"
