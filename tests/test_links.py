"""Links between notes: read from the text, resolved against the portfolio's notes."""

from __future__ import annotations

from companion.assessment.links import broken_links, link_graph
from companion.notes.record import NoteRecord
from companion.text.links import Link, find_links


def test_wiki_and_markdown_links_are_read_with_their_lines() -> None:
    text = (
        "See [[Coaching plan]], [[evidence/04-report|the report]] and [[Plan#Goals]].\n"
        "![[diagram.png]] [web](https://example.org/a.md) [top](#top) `[[code]]`\n"
        "[rel](../notes/My%20Note.md#x) [angle](<my note.md>) [img](pic.png)\n"
        "<!-- [[hidden]] -->\n"
    )
    assert find_links(text, 10) == [
        Link("wiki", "Coaching plan", "", 10, "[[Coaching plan]]"),
        Link("wiki", "evidence/04-report", "", 10, "[[evidence/04-report|the report]]"),
        Link("wiki", "Plan", "Goals", 10, "[[Plan#Goals]]"),
        Link("markdown", "../notes/My Note.md", "x", 12, "[rel](../notes/My%20Note.md#x)"),
        Link("markdown", "my note.md", "", 12, "[angle](<my note.md>)"),
    ]


def _record(path: str, *links: Link) -> NoteRecord:
    return NoteRecord(path, links=links)


def _wiki(target: str, line: int = 1) -> Link:
    return Link("wiki", target, "", line, f"[[{target}]]")


def test_links_resolve_by_name_by_path_and_relative_to_the_note() -> None:
    records = [
        _record(
            "evidence/a.md",
            _wiki("plan"),  # two notes called plan: the one in this folder
            _wiki("Minutes"),  # one note called minutes, anywhere, any case
            _wiki("notes/plan"),  # a path from the portfolio
            Link("markdown", "../notes/plan.md", "", 2, "[p](../notes/plan.md)"),
            Link("markdown", "/notes/plan.md", "", 2, "[p](/notes/plan.md)"),
            Link("markdown", "../../outside.md", "", 3, "[o](../../outside.md)"),
            _wiki("nothing", 4),
        ),
        _record("evidence/plan.md"),
        _record("notes/plan.md"),
        _record("notes/deep/minutes.md", _wiki("a")),
    ]
    graph = link_graph(records)
    assert [target for _, target in graph.links_of("evidence/a.md")] == [
        "evidence/plan.md",
        "notes/deep/minutes.md",
        "notes/plan.md",
        "notes/plan.md",
        "notes/plan.md",
        None,
        None,
    ]
    assert [source for source, _ in graph.backlinks_of("notes/plan.md")] == ["evidence/a.md"] * 3
    assert [source for source, _ in graph.backlinks_of("evidence/a.md")] == [
        "notes/deep/minutes.md"
    ]
    flags = broken_links(records, graph)
    assert [(f.note, f.message) for f in flags] == [
        (
            "evidence/a.md",
            "Line 3: [o](../../outside.md) links to a note that does not exist.",
        ),
        ("evidence/a.md", "Line 4: [[nothing]] links to a note that does not exist."),
    ]


def test_a_note_of_two_names_prefers_the_shortest_path_from_elsewhere() -> None:
    records = [
        _record("x/a.md", _wiki("plan")),
        _record("notes/deep/plan.md"),
        _record("plan.md"),
    ]
    assert link_graph(records).links_of("x/a.md")[0][1] == "plan.md"


def test_an_acknowledged_broken_link_stays_listed_marked() -> None:
    record = NoteRecord("a.md", fields={"acknowledge": ["broken-link"]}, links=(_wiki("gone"),))
    (flag,) = broken_links([record], link_graph([record]))
    assert flag.acknowledged
