"""A Markdown export shows someone's text as that text: read back with a CommonMark renderer
(markdown-it-py, with GitHub's tables and strikethrough), a title or a tutor's feedback
makes no link, image, HTML, emphasis or heading, and carries no control character."""

from __future__ import annotations

import html
import re

import pytest
from markdown_it import MarkdownIt

from companion.documents.model import Document, Row, Table
from companion.documents.writers import md_text, to_markdown

HOSTILE = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1))",
    "![pixel](https://example.com/t.png)",
    "<https://example.com>",
    "**bold** and _under_ and ~~gone~~ and `code`",
    "# not a heading",
    "1. not a list",
    "- not a list",
    "> not a quote",
    "[ref]: javascript:alert(1)",
    "a | b | c",
    "R&D &lt;b&gt; &#60;",
    "back\\slash\\",
    "Unit 8431-700 [706/1.2] meets 2.1",
    "title\x1b]0;retitled\x07 and \x1b[2J cleared",
]

_TAG = re.compile(r"<[^>]+>")


def _renderer() -> MarkdownIt:
    return MarkdownIt("commonmark").enable(["table", "strikethrough"])


def _shown(rendered: str) -> str:
    """The text a reader sees in the rendered HTML."""
    return html.unescape(_TAG.sub("", rendered)).strip()


def _expected(text: str) -> str:
    return re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "\ufffd", text)


@pytest.mark.parametrize("text", HOSTILE)
def test_a_line_renders_as_exactly_its_text(text: str) -> None:
    rendered = _renderer().render(md_text(text))
    assert rendered.startswith("<p>"), rendered  # one paragraph: no heading, list or quote
    assert _shown(rendered) == _expected(text)
    for made in ("<script", "<img", "<a ", "<em", "<strong", "<code", "<s>", "<del"):
        assert made not in rendered


@pytest.mark.parametrize("text", HOSTILE)
def test_a_table_cell_renders_as_exactly_its_text(text: str) -> None:
    doc = Document(
        title=text,
        byline=text,
        tables=[Table("Evidence", ["Title", "Feedback"], [Row([text, f"{text}\n{text}"])])],
    )
    markdown = to_markdown(doc)
    assert "\x1b" not in markdown and "\x07" not in markdown
    rendered = _renderer().render(markdown)
    cells = re.findall(r"<td>(.*?)</td>", rendered, re.S)
    assert [_shown(c) for c in cells] == [_expected(text), _expected(text + text)]
    assert _shown(re.search(r"<h1>(.*?)</h1>", rendered, re.S)[1]) == _expected(text)  # type: ignore[index]
    for made in ("<script", "<img", "<a ", "<em", "<strong", "<code", "<del"):
        assert made not in rendered
