"""Pilot tests of evidence files in the app: drive it by keys as a person would, at 80x24.

A copy of the example portfolio gets a Word document, a PowerPoint deck and a recording;
the deck has a card written by ``companion add`` and a tag at ``slide 2``, the other two
have none. The Notes list shows the card with its format and the other two as "not yet in
your portfolio"; ``a`` and ``A`` write their cards; the note pane of a card shows the
file's facts, the text read from it and the text at each tag's ``where``; ``O`` opens the
file through the launcher (replaced here, so no viewer starts).
"""

from __future__ import annotations

import wave
from pathlib import Path

import docx
import pptx
import pytest
from pilot_support import wait_for
from textual.pilot import Pilot
from textual.widgets import DataTable, Markdown, OptionList, Static
from textual.widgets.markdown import MarkdownBlock

from companion.cli.main import main
from companion.portfolio.example import copy_example
from companion.screens.choose import ChoiceModal
from companion.screens.note import NoteScreen
from companion.screens.notes import NotesScreen
from companion.ui.app import CompanionApp, make_app
from companion.widgets.open_file import NoViewer

SIZE = (80, 24)
DECK_CARD = "evidence/strategy-deck.pptx.md"
MINUTES = "evidence/minutes-march.docx"
RECORDING = "recordings/team-briefing.wav"


def _write_minutes(path: Path) -> None:
    document = docx.Document()
    document.add_heading("Board minutes, March", 1)
    document.add_paragraph("Attendees: Sam Lee, Alex Smith. Apologies: none.")
    document.add_paragraph("Item 1: the budget was agreed after a discussion of the options.")
    document.add_paragraph("Item 2: the restructure consultation starts in April with all staff.")
    document.save(str(path))


def _write_deck(path: Path) -> None:
    deck = pptx.Presentation()
    slides = [
        ("Change plan", "Why we change"),
        ("Three options", "Option A keeps the teams; option B merges them"),
        ("Next steps", "Consult the staff"),
        ("Risks", "Losing experienced staff during the change"),
        ("Measures", "First-time fixes and tenant satisfaction"),
        ("Questions", "What would make this work for your team?"),
    ]
    for title, body in slides:
        slide = deck.slides.add_slide(deck.slide_layouts[1])
        slide.shapes.title.text = title
        slide.placeholders[1].text = body
    deck.save(str(path))


def _write_recording(path: Path, seconds: int = 75) -> None:
    with wave.open(str(path), "wb") as sound:
        sound.setnchannels(1)
        sound.setsampwidth(2)
        sound.setframerate(8000)
        sound.writeframes(b"\0\0" * 8000 * seconds)


@pytest.fixture
def portfolio(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """The example with a deck (carded by ``companion add``, tagged at slide 2), and a
    Word document and a recording without cards."""
    root = copy_example(tmp_path / "example")
    (root / "evidence").mkdir(exist_ok=True)
    (root / "recordings").mkdir(exist_ok=True)
    _write_minutes(root / MINUTES)
    _write_deck(root / "evidence" / "strategy-deck.pptx")
    _write_recording(root / RECORDING)
    assert main(["add", str(root), str(root / "evidence" / "strategy-deck.pptx")]) == 0
    card = root / DECK_CARD
    assert main(["tag", str(card), "700/1.2", "--where", "slide 2"]) == 0
    assert main(["tag", str(card), "700/1.1", "--where", "slide 9"]) == 0
    with card.open("a", encoding="utf-8") as commentary:  # the learner's own words on it
        commentary.write("\nI presented this deck to the board.\n\nIt set out three options.\n")
    capsys.readouterr()
    return root


def _app(root: Path) -> CompanionApp:
    return make_app(root, poll=False)


def _plain(widget: Static) -> str:
    return widget.visual.plain  # type: ignore[union-attr]


def _said(app: CompanionApp) -> list[str]:
    return [n.message for n in app._notifications]


async def _notes(pilot: Pilot) -> NotesScreen:
    """Open the Notes screen and wait until its files have been read."""
    await wait_for(pilot, lambda: pilot.app.status is not None)
    await pilot.press("n")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, NotesScreen))
    screen = pilot.app.screen
    assert isinstance(screen, NotesScreen)
    await wait_for(pilot, lambda: screen.query_one("#files-table", DataTable).row_count > 0)
    return screen


async def _open(pilot: Pilot, words: str) -> NoteScreen:
    """Filter the Notes list by ``words`` and open the note found (it must be one)."""
    await pilot.press("slash", *words, "enter")
    table = pilot.app.screen.query_one("#notes-table", DataTable)
    await wait_for(pilot, lambda: table.row_count == 1 and table.has_focus)
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, NoteScreen))
    screen = pilot.app.screen
    assert isinstance(screen, NoteScreen)
    await wait_for(pilot, lambda: screen._body_ready and bool(screen.places))
    return screen


def _footer_keys(pilot: Pilot) -> set[str]:
    return {
        binding.key
        for _, binding, enabled, _ in pilot.app.screen.active_bindings.values()
        if binding.show and enabled
    }


async def test_the_notes_list_shows_a_card_with_its_format_and_files_not_yet_added(
    portfolio: Path,
) -> None:
    async with _app(portfolio).run_test(size=SIZE) as pilot:
        screen = await _notes(pilot)
        notes = screen.query_one("#notes-table", DataTable)
        assert str(notes.get_cell(DECK_CARD, "type")) == "presentation · PPT"
        title = _plain(screen.query_one("#files-title", Static))
        assert title.startswith("2 files not yet in your portfolio")
        files = screen.query_one("#files-table", DataTable)
        assert files.display and files.region.height >= 3  # on screen at 80x24
        minutes = [str(c) for c in files.get_row(MINUTES)]
        assert minutes[:2] == [MINUTES, "Word"] and "words" in minutes[2]
        assert [str(c) for c in files.get_row(RECORDING)] == [RECORDING, "audio", "1:15"]
        assert screen.region.contains_region(files.region)
        assert "a" not in _footer_keys(pilot)  # Add works in the list of files only
        await pilot.press("tab")
        await wait_for(pilot, lambda: files.has_focus)
        assert {"a", "A"} <= _footer_keys(pilot)


async def test_a_adds_the_highlighted_file_and_A_adds_the_rest(portfolio: Path) -> None:
    app = _app(portfolio)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _notes(pilot)
        files = screen.query_one("#files-table", DataTable)
        await pilot.press("tab")
        await wait_for(pilot, lambda: files.has_focus)
        files.move_cursor(row=files.get_row_index(MINUTES))
        await pilot.press("a")
        card = portfolio / f"{MINUTES}.md"
        await wait_for(pilot, card.exists)
        assert "\nfile: minutes-march.docx\n" in card.read_text()
        notes = screen.query_one("#notes-table", DataTable)
        await wait_for(pilot, lambda: f"{MINUTES}.md" in notes.rows)
        added = [m for m in _said(app) if m.startswith(f"Added {MINUTES}")]
        assert added and f"its card is {MINUTES}.md" in added[0]
        ref = app.status.portfolio.records[f"{MINUTES}.md"].ref
        assert ref and f" as {ref} " in added[0]
        assert str(notes.get_cell(f"{MINUTES}.md", "type")) == "minutes · Word"
        await wait_for(pilot, lambda: list(files.rows) == [RECORDING])
        # the new card is highlighted in the notes: Enter opens it
        assert notes.has_focus
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, NoteScreen))
        note = pilot.app.screen
        assert isinstance(note, NoteScreen)
        await wait_for(pilot, lambda: note._body_ready)
        fields = _plain(note.query_one("#fields", Static))
        assert "file: minutes-march.docx" in fields and "format: Word" in fields
        # python-docx saves no page count of its own: the pane says none rather than a guess
        assert "words: 33" in fields and "pages:" not in fields
        assert "Item 2: the restructure consultation" in note.query_one("#body", Markdown).source
        await pilot.press("escape")
        await wait_for(pilot, lambda: pilot.app.screen is screen)

        await pilot.press("A")  # every file left: asks first
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ChoiceModal))
        await pilot.press("shift+tab", "enter")  # Add (Cancel is the safe answer)
        await wait_for(pilot, (portfolio / f"{RECORDING}.md").exists)
        await wait_for(pilot, lambda: not files.display)
        assert not screen.query_one("#files-title", Static).display
        assert "a" not in _footer_keys(pilot) and "A" not in _footer_keys(pilot)


async def test_a_card_shows_its_file_and_the_text_at_each_tags_where(portfolio: Path) -> None:
    async with _app(portfolio).run_test(size=SIZE) as pilot:
        await _notes(pilot)
        note = await _open(pilot, "strategy-deck")
        fields = _plain(note.query_one("#fields", Static))
        for fact in ("file: strategy-deck.pptx", "format: PowerPoint", "slides: 6"):
            assert fact in fields
        body = note.query_one("#body", Markdown).source
        assert "Three options" in body and "###### Slide 2" in body
        assert "<!--" not in body  # the commentary placeholder and place marks are not shown
        tags = note.query_one("#tags", OptionList)
        prompts = [str(tags.get_option_at_index(i).prompt) for i in range(tags.option_count)]
        assert prompts[0].splitlines() == [
            "700/1.2 @ slide 2",
            "slide 2: Three options Option A keeps the teams; option B merges them",
        ]
        assert prompts[1].splitlines() == [
            "700/1.1 @ slide 9",
            "✗ slide 9, but the presentation has 6 slides",
        ]
        assert body.startswith("I presented this deck to the board.")  # commentary first
        assert "O" in _footer_keys(pilot)
        # Enter on the tag scrolls the text to slide 2, below the commentary
        place = note.places["700/1.2"].location
        assert place is not None
        shown = body.splitlines()[note.text_start + place.start]
        assert shown == "###### Slide 2"
        heading = next(
            block
            for block in note.query_one("#body", Markdown).children
            if isinstance(block, MarkdownBlock)
            and block.source_range[0] == note.text_start + place.start
        )
        scroller = note.query_one("#note-body")
        assert heading.region.y - scroller.region.y > 1  # not at the top at first
        tags.focus()
        tags.highlighted = 0
        await pilot.press("enter")
        await wait_for(
            pilot,
            lambda: 0 <= heading.region.y - scroller.region.y <= 1,
        )


async def test_O_opens_the_file_with_the_system_viewer(
    portfolio: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[Path] = []
    monkeypatch.setattr("companion.screens.note.open_in_viewer", opened.append)
    app = _app(portfolio)
    async with app.run_test(size=SIZE) as pilot:
        await _notes(pilot)
        await _open(pilot, "strategy-deck")
        await pilot.press("O")
        await wait_for(pilot, lambda: bool(opened))
        assert opened == [portfolio / "evidence" / "strategy-deck.pptx"]
        assert any("Opening evidence/strategy-deck.pptx" in m for m in _said(app))

        def no_viewer(path: Path) -> None:
            raise NoViewer("no program to open files was found (xdg-open or open)")

        monkeypatch.setattr("companion.screens.note.open_in_viewer", no_viewer)
        await pilot.press("O")
        where = str(portfolio / "evidence" / "strategy-deck.pptx")
        await wait_for(pilot, lambda: any(where in m for m in _said(app)))


async def test_a_recording_card_shows_its_duration_and_finds_a_moment_in_its_notes(
    portfolio: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["add", str(portfolio), str(portfolio / RECORDING)]) == 0
    card = portfolio / f"{RECORDING}.md"
    assert main(["tag", str(card), "700/1.3", "--where", "00:30"]) == 0
    assert main(["tag", str(card), "700/2.1", "--where", "02:00"]) == 0
    assert main(["tag", str(card), "700/1.1", "--where", "01:10"]) == 0
    with card.open("a", encoding="utf-8") as commentary:
        commentary.write("\n00:30 — I set out why the depots are changing.\n")
    capsys.readouterr()
    async with _app(portfolio).run_test(size=SIZE) as pilot:
        screen = await _notes(pilot)
        notes = screen.query_one("#notes-table", DataTable)
        assert str(notes.get_cell(f"{RECORDING}.md", "type")) == "recording · audio"
        assert list(screen.query_one("#files-table", DataTable).rows) == [MINUTES]
        note = await _open(pilot, "team-briefing")
        fields = _plain(note.query_one("#fields", Static))
        assert "duration: 1:15" in fields and "format: audio" in fields
        assert "press O to open it" in note.query_one("#body", Markdown).source
        tags = note.query_one("#tags", OptionList)
        prompts = [str(tags.get_option_at_index(i).prompt) for i in range(tags.option_count)]
        assert [p.splitlines() for p in prompts] == [
            [
                "700/1.3 @ 00:30",
                "(your notes) 00:30: 00:30 — I set out why the depots are changing.",
            ],
            ["700/2.1 @ 02:00", "✗ 02:00, but the recording lasts 1:15"],
            [
                "700/1.1 @ 01:10",
                "(your notes) the transcript just before 01:10: 00:30 — I set out why the "
                "depots are changing.",
            ],
        ]
