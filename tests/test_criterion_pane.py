"""The AC pane shows the flags raised on that AC's tags, where what holds it back is seen."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_claims import HEAD, JUSTIFY_TAG, PROFILE, TODAY, _record

from companion.assessment.progress import compute_progress
from companion.assessment.rules import check_note
from companion.content.glossary import load_glossary
from companion.content.load import load_content
from companion.views.criterion import criterion_markdown


@pytest.fixture(scope="module")
def content():
    return load_content()


def test_the_ac_pane_shows_the_flags_on_its_tags(content, tmp_path: Path) -> None:
    spellings = load_glossary(content).spellings
    record = _record(tmp_path, f"---\n{HEAD}{JUSTIFY_TAG}---\nBody.\n", spellings)
    flags = check_note(record, content, PROFILE, TODAY)
    progress = compute_progress(content, [record]).criteria["700/3.3"]
    text = criterion_markdown(content, progress, flags=flags)
    assert (
        "- **WARNING** `claim-not-mentioned` n.md: SMART is counted for 700/3.3 but the "
        "evidence never mentions it." in text
    )
    assert "`evidence-too-short`" in text
    other = compute_progress(content, [record]).criteria["700/1.1"]
    assert "## Flags" not in criterion_markdown(content, other, flags=flags)
