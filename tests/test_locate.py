"""Finding the place a tag's ``where`` points at, in the forms learners write it."""

from __future__ import annotations

import pytest

from companion.text.locate import locate

PLAN = """---
title: Programme plan
---
# Repairs programme plan

The plan sets out the case for change.

It was agreed by the board in October.

## 1. Purpose

Why the programme exists.

## 3. Options

Three options were weighed.

### 3.3 New ways of working

Depots move to a hub model.

Vans change to electric over three years.

## 4. Timeline

- Discovery November 2025
- Build February to May 2026
- Roll-out from June 2026

Page 5

The risks are reviewed monthly.
"""

TRANSCRIPT = """# Transcript

**00:00** — Good morning.

**00:40** — The decision to close the depot.

**01:15** — The fire at the stores.
"""

SLIDES = """# Board strategy day

## Slides 2-6 — Mission, culture and values

Our mission.

## Slides 7-10 — Brand and reputation

How we are seen.
"""


def _line(text: str, where: str) -> str | None:
    found = locate(text, where)
    return None if found is None else text.splitlines()[found.start]


@pytest.mark.parametrize(
    ("where", "line", "found"),
    [
        ("s3.3", "### 3.3 New ways of working", "section 3.3 ('3.3 New ways of working')"),
        ("p4 s3", "## 3. Options", "section 3 ('3. Options')"),
        ("pp4-9 s3-6", "## 3. Options", "section 3 ('3. Options')"),
        ("p6 s3.3 para 2", "Vans change to electric over three years.", None),
        ("para 2", "It was agreed by the board in October.", "paragraph 2"),
        ("p1 paras 1-3", "The plan sets out the case for change.", "page 1, paragraph 1"),
        ("s4 item 3", "- Roll-out from June 2026", None),
        ("p5 para 1", "The risks are reviewed monthly.", "page 5, paragraph 1"),
        ("p5", "Page 5", "page 5"),
        ("section 1", "## 1. Purpose", None),
        ("'hub model'", "Depots move to a hub model.", "'hub model'"),
        ("Timeline", "## 4. Timeline", "'timeline'"),
        ("p9 s9, s1", "## 1. Purpose", None),
    ],
)
def test_document_places(where: str, line: str, found: str | None) -> None:
    assert _line(PLAN, where) == line
    if found is not None:
        assert locate(PLAN, where).found == found  # type: ignore[union-attr]


def test_a_paragraph_range_spans_the_first_paragraph_only() -> None:
    location = locate(PLAN, "s3.3 para 1")
    assert location is not None
    lines = PLAN.splitlines()
    assert (lines[location.start], location.end - location.start) == (
        "Depots move to a hub model.",
        0,
    )
    assert location.found == "section 3.3 ('3.3 New ways of working'), paragraph 1"


MINUTES = """# Liaison meeting

- Apologies from the council
- Minutes of the last meeting agreed

## Item 2 — Damp and mould referrals

The council wanted faster sharing.

Alex opened by sharing the case data.

## Item 3 — Joint protocol

A joint protocol was agreed.
"""


def test_an_agenda_item_is_its_heading_and_otherwise_a_list_item() -> None:
    assert _line(MINUTES, "p1 item 2, p2 item 3") == "## Item 2 — Damp and mould referrals"
    assert _line(MINUTES, "p2 item 3 para 1") == "A joint protocol was agreed."
    assert _line(MINUTES, "item 2 para 2") == "Alex opened by sharing the case data."
    assert _line(PLAN, "p1 item 3 para 1") == "Three options were weighed."  # '## 3. Options'
    assert _line(PLAN.replace("## 3. Options", "## Options"), "item 2") == (
        "- Build February to May 2026"
    )


def test_timestamps_find_the_moment_or_the_one_before_it() -> None:
    assert _line(TRANSCRIPT, "00:40") == "**00:40** — The decision to close the depot."
    near = locate(TRANSCRIPT, "01:00")
    assert near is not None and near.found == "the transcript just before 01:00"
    assert TRANSCRIPT.splitlines()[near.start] == "**00:40** — The decision to close the depot."


def test_slides_match_a_heading_that_names_a_range() -> None:
    assert _line(SLIDES, "slides 8-11") == "## Slides 7-10 — Brand and reputation"
    assert _line(SLIDES, "slide 2") == "## Slides 2-6 — Mission, culture and values"
    assert _line(SLIDES, "slides 1-14") == "## Slides 2-6 — Mission, culture and values"
    assert _line("# Pitch\n\nSlide text.\n", "slides 1-14") == "# Pitch"
    assert locate("# Pitch\n\nSlide text.\n", "slides 3-4") is None


@pytest.mark.parametrize("where", ["", "p2 para 3", "s12", "zz", "slide 40", "09:00"])
def test_what_cannot_be_found_is_none(where: str) -> None:
    # page 2 is not marked in the text, so its third paragraph cannot be counted to
    assert locate(PLAN, where) is None


def test_front_matter_is_not_part_of_the_text() -> None:
    assert _line(PLAN, "'title: Programme'") is None
    assert _line("no front matter\n\nsecond", "para 2") == "second"


def test_headings_inside_code_are_not_sections() -> None:
    text = "```\n## 3. Not a heading\n```\n\n## 3. Options\n\nText.\n"
    assert _line(text, "s3") == "## 3. Options"


def test_a_section_is_the_place_down_to_the_next_heading_of_its_level() -> None:
    lines = PLAN.splitlines()
    section = locate(PLAN, "s3")
    assert section is not None
    assert lines[section.start] == "## 3. Options"
    assert lines[section.end + 1] == "## 4. Timeline"  # 3.3 is inside 3, so it is included
    sub = locate(PLAN, "s3.3")
    assert sub is not None and lines[sub.end + 1] == "## 4. Timeline"
    page = locate(PLAN, "p5")
    assert page is not None and page.start == page.end
