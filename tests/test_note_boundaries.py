"""Where a note's front matter starts and ends: the lines other Markdown tools agree on."""

from __future__ import annotations

from pathlib import Path

import pytest

from companion.notes.file import foreign_front_matter, parse_note_text


@pytest.mark.parametrize(
    ("text", "span", "title"),
    [
        ("---\ntitle: A\n---\nBody\n", (0, 2), "A"),
        ("----\ntitle: A\n-----\nBody\n", (0, 2), "A"),  # three or more dashes
        ("---  \ntitle: A\n--- \t\nBody\n", (0, 2), "A"),  # spaces after the dashes
        ("---\r\ntitle: A\r\n---\r\nBody\r\n", (0, 2), "A"),  # Windows line endings
        ("---\ntitle: A\n---", (0, 2), "A"),  # closing line without a line ending
        ("---\ntitle: A\nsub: |\n  --- x\n---\nBody\n", (0, 4), "A"),  # '  --- x' closes nothing
        ("--\ntitle: A\n--\nBody\n", None, None),  # two dashes are not a boundary
        (" ---\ntitle: A\n---\nBody\n", None, None),  # nor indented ones
        ("Body\n---\ntitle: A\n---\n", None, None),  # only at the very start
        ("---\ntitle: A\nno closing line\n", None, None),
        ("---\nJust a rule, then prose.\n---\nMore\n", None, None),  # prose, not fields
    ],
)
def test_yaml_front_matter_boundaries(
    text: str, span: tuple[int, int] | None, title: str | None
) -> None:
    lines, found, data, body = parse_note_text(text, Path("n.md"))
    assert found == span
    if span is None:
        assert data == {} and body == text
    else:
        assert data["title"] == title and body == "".join(lines[span[1] + 1 :])


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ('+++\ntitle = "Hugo"\n+++\nBody\n', "toml"),
        ('++++  \ntitle = "Hugo"\n++++\nBody\n', "toml"),
        ('+++\r\ntitle = "Hugo"\r\n+++\r\n', "toml"),
        ('++\ntitle = "Hugo"\n++\n', ""),
        ('Body\n+++\ntitle = "Hugo"\n+++\n', ""),
        ('{\n"title": "Zola"\n}\nBody\n', "json"),
        ("{", "json"),
        ('{"title": "inline"}\nBody\n', ""),  # the brace must stand alone on its line
        ("{ \nx\n}\n", ""),  # with nothing after it, not even a space
        ("}\nBody\n", ""),  # a closing brace does not open front matter
        ("---\ntitle: A\n---\n", ""),
        ("Body only\n", ""),
        ("", ""),
    ],
)
def test_toml_and_json_front_matter_are_recognised(text: str, kind: str) -> None:
    assert foreign_front_matter(text) == kind
