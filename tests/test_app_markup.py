"""Text from notes, the profile and file names is shown as written, never read as markup.

Square brackets are Textual markup: a title like "Budget [/] plan" would end the app with a
markup error, "[b]" would turn bold and "[@click=app.quit]" would be a live action.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pilot_support import wait_for
from textual.widgets import DataTable, OptionList, Static, Tree
from textual.widgets._toast import Toast

from companion.screens.note import NoteScreen
from companion.ui.app import CompanionApp, make_app

SIZE = (170, 50)
TITLE = "Budget [/] plan [b]bold[/b] [@click=app.quit]quit[/]"
LEARNER = "Sam [/] Lee"


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    root = tmp_path / "hostile"
    (root / "notes").mkdir(parents=True)
    (root / "companion.yaml").write_text(
        f'learner: "{LEARNER}"\nprogramme_start: 2025-01-06\nplanned_gateway: 2027-01-06\n'
    )
    (root / "notes" / "[draft] plan.md").write_text(
        "---\n"
        f'title: "{TITLE}"\n'
        'ref: "E[1]"\n'
        "date: 2025-06-01\n"
        f'learner: "{LEARNER}"\n'
        "type: minutes\n"
        "evidence:\n"
        "  - ac: 700/1.1\n"
        '    where: "[/] p2"\n'
        "    tagged: 2026-01-01T00:00:00+00:00\n"
        "---\n"
        "Write to sam@example.org about the plan [/] today.\n",
        encoding="utf-8",
    )
    (root / "notes" / "bad-date.md").write_text(
        '---\ntitle: "[i]Dated[/i]"\nref: E2\ndate: "[/]"\nlearner: x\ntype: report\n---\nBody\n',
        encoding="utf-8",
    )
    return root


def _plain(widget: Static) -> str:
    return str(widget.render())


async def test_every_screen_shows_bracketed_text_as_written(hostile: Path) -> None:
    app: CompanionApp = make_app(hostile, poll=False)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_for(pilot, lambda: app.status is not None)
        await pilot.pause()
        assert LEARNER in _plain(app.screen.query_one("#learner", Static))

        await pilot.press("n")
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        key = "notes/[draft] plan.md"
        shown = [str(table.get_cell(key, column)) for column in ("ref", "date", "type", "title")]
        assert shown == ["E[1]", "2025-06-01", "minutes", TITLE]
        table.move_cursor(row=table.get_row_index("notes/[draft] plan.md"))
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, NoteScreen))
        await pilot.pause()
        assert TITLE in _plain(app.screen.query_one("#fields", Static))
        assert LEARNER in _plain(app.screen.query_one("#fields", Static))
        tags = app.screen.query_one("#tags", OptionList)
        assert str(tags.get_option_at_index(0).prompt) == "700/1.1 @ [/] p2"
        flags = app.screen.query_one("#note-flags", OptionList)
        prompts = [str(flags.get_option_at_index(i).prompt) for i in range(flags.option_count)]
        assert any("[personal-data]" in p for p in prompts)

        await pilot.press("escape", "f")
        await pilot.pause()
        tree = app.screen.query_one(Tree)
        labels = []
        stack = [tree.root]
        while stack:
            node = stack.pop()
            labels.append(str(node.label))
            stack.extend(node.children)
        assert "notes/[draft] plan.md" in labels
        assert any("[bad-date] '[/]' is not a date" in label for label in labels)
        assert any(label.startswith("[personal-data]") for label in labels)

        for key in ("u", "k", "g", "p", "X", "d"):
            await pilot.press(key)
            await pilot.pause()
        app.notify("Not changed: [draft] plan.md [/] changed on disk", title="Tag")
        await wait_for(pilot, lambda: bool(app.screen.query(Toast)))
        toast = app.screen.query(Toast).last()
        assert "Not changed: [draft] plan.md [/] changed on disk" in str(toast.render())
        assert app.is_running
