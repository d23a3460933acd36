"""``companion check``, ``notes`` and ``export matrix`` are made again only when something
they depend on changed; made or remembered, they print and write the same.

``test_cache_equivalence`` holds every such report to one made from an empty data folder
after each kind of change; these tests hold what is remembered and what is not.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from cli_support import RunCli

from companion import clock
from companion.assessment import status as status_module
from companion.cli.remembered import Printed
from companion.files import data_dir
from companion.portfolio.store import portfolio_key

EXAMPLE = Path(__file__).parent.parent / "companion" / "example_portfolio"


@pytest.fixture(autouse=True)
def _one_moment() -> object:
    """Every run of a test on one day: a day that turned between two runs would rightly
    make the report again."""
    clock.set_clock(dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC))
    yield
    clock.set_clock(None)


class Worked:
    """How many times a status was worked out."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0
        real = status_module.build_status

        def counted(*args: object, **kwargs: object) -> status_module.Status:
            self.count += 1
            return real(*args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(status_module, "build_status", counted)


@pytest.fixture
def worked(monkeypatch: pytest.MonkeyPatch) -> Worked:
    return Worked(monkeypatch)


def _memo_files(root: Path) -> list[Path]:
    """What is kept in the app's data folder of the portfolio at ``root``."""
    return sorted((data_dir() / "portfolios" / portfolio_key(root) / "memo").glob("*"))


def test_check_on_an_unchanged_portfolio_is_printed_again_with_its_exit_status(
    example: Path, run_cli: RunCli, worked: Worked
) -> None:
    first = run_cli("check", str(example))
    again = run_cli("check", str(example))
    assert first[0] == 1  # the example holds errors to fix
    assert again == first
    assert "error(s)" in first[1]
    assert worked.count == 1


def test_notes_and_check_in_every_kind_of_output_are_each_remembered(
    example: Path, run_cli: RunCli, worked: Worked
) -> None:
    kinds = [
        ("check", "--json"),
        ("notes",),
        ("notes", "--json"),
        ("notes", "--csv"),
        ("check",),
    ]
    first = [run_cli(kind[0], str(example), *kind[1:]) for kind in kinds]
    assert worked.count == len(kinds)
    again = [run_cli(kind[0], str(example), *kind[1:]) for kind in kinds]
    assert again == first
    assert worked.count == len(kinds)  # each kept beside the others


def test_other_options_are_worked_out_and_replace_what_was_kept(
    example: Path, run_cli: RunCli, worked: Worked
) -> None:
    by_ref = run_cli("notes", str(example))
    by_words = run_cli("notes", str(example), "--sort", "words", "--reverse")
    assert by_words != by_ref
    assert run_cli("notes", str(example), "--sort", "words", "--reverse") == by_words
    assert worked.count == 2
    assert run_cli("notes", str(example)) == by_ref
    assert worked.count == 3
    assert [p.name.split(".")[0] for p in _memo_files(example)] == ["notes"]


def test_a_changed_note_is_seen(example: Path, run_cli: RunCli, worked: Worked) -> None:
    before = run_cli("notes", str(example), "--filter", "PESTLE")
    note = example / "evidence" / "07-pestle-review.md"
    text = note.read_text(encoding="utf-8")
    note.write_text(text.replace("\ntitle: ", "\ntitle: Revised ", 1), encoding="utf-8")
    after = run_cli("notes", str(example), "--filter", "PESTLE")
    assert "Revised" in after[1] and "Revised" not in before[1]
    assert worked.count == 2


def test_a_damaged_kept_report_is_made_again(
    example: Path, run_cli: RunCli, worked: Worked
) -> None:
    first = run_cli("check", str(example), "--json")
    (kept,) = _memo_files(example)
    kept.write_bytes(b"\xff\xfe not a report")
    assert run_cli("check", str(example), "--json") == first
    assert worked.count == 2


def test_a_matrix_in_a_format_without_a_clock_is_written_again_as_it_was(
    example: Path, tmp_path: Path, run_cli: RunCli, worked: Worked
) -> None:
    for fmt in ("md", "html", "csv", "pdf"):
        first, again = tmp_path / f"first.{fmt}", tmp_path / f"again.{fmt}"
        assert run_cli("export", "matrix", str(example), "--out", str(first))[0] == 0
        code, out, _ = run_cli("export", "matrix", str(example), "--out", str(again))
        assert (code, out) == (0, f"wrote {again}\n")
        assert again.read_bytes() == first.read_bytes()
    assert worked.count == 4


def test_a_matrix_kept_in_the_morning_is_the_one_made_afresh_in_the_afternoon(
    example: Path,
    tmp_path: Path,
    run_cli: RunCli,
    worked: Worked,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A matrix says the day it was produced, as the handbook's "date produced" asks, and
    no time: so the one kept at 09:30 is true at 15:45."""
    for fmt in ("md", "html", "pdf"):
        clock.set_clock(dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC))
        run_cli("export", "matrix", str(example), "--out", str(tmp_path / f"morning.{fmt}"))
        clock.set_clock(dt.datetime(2026, 3, 2, 15, 45, tzinfo=dt.UTC))
        kept = tmp_path / f"afternoon.{fmt}"
        run_cli("export", "matrix", str(example), "--out", str(kept))
        with monkeypatch.context() as context:
            context.setenv("COMPANION_DATA_DIR", str(tmp_path / f"empty-{fmt}"))
            fresh = tmp_path / f"fresh.{fmt}"
            run_cli("export", "matrix", str(example), "--out", str(fresh))
        assert kept.read_bytes() == fresh.read_bytes()
    assert worked.count == 6  # each format made once kept, once afresh
    text = (tmp_path / "afternoon.md").read_text(encoding="utf-8")
    assert "produced 2 March 2026" in text
    assert "09:30" not in text and "15:45" not in text


def test_a_file_of_a_kind_companion_cannot_read_is_watched_for_the_card_naming_it(
    example: Path, run_cli: RunCli
) -> None:
    """A card may name any file; whether it is there is part of what check says."""
    card = example / "files" / "sensor-pilot-interim-evaluation.pdf.md"
    text = card.read_text(encoding="utf-8")
    text = text.replace("file: sensor-pilot-interim-evaluation.pdf", "file: mystery.xyz")
    (example / "files" / "mystery.xyz.md").write_text(text.replace("ref: E027", "ref: E090"))
    before = run_cli("check", str(example))[1]
    assert "[file-missing]" in before and "mystery.xyz" in before
    (example / "files" / "mystery.xyz").write_text("hello\n", encoding="utf-8")
    after = run_cli("check", str(example))[1]
    assert "[file-missing]" not in after.split("mystery.xyz.md")[1].split("\n")[0]
    assert "mystery.xyz.md: [file-unsupported]" in after


def test_a_docx_or_xlsx_matrix_is_always_made_afresh(
    example: Path, tmp_path: Path, run_cli: RunCli, worked: Worked
) -> None:
    """Their zip's entries carry the time they were written: a kept copy would say an
    earlier time than the file's."""
    for name in ("a.docx", "b.docx", "c.xlsx"):
        assert run_cli("export", "matrix", str(example), "--out", str(tmp_path / name))[0] == 0
    assert worked.count == 3
    assert _memo_files(example) == []


def test_a_remembered_matrix_is_still_refused_where_it_would_replace_a_learners_file(
    example: Path, tmp_path: Path, run_cli: RunCli
) -> None:
    assert run_cli("export", "matrix", str(example), "--out", str(tmp_path / "m.md"))[0] == 0
    mine = example / "my-table.csv"
    mine.write_text("mine\n", encoding="utf-8")
    code, _, err = run_cli("export", "matrix", str(example), "--out", str(mine))
    assert code != 0
    assert "not an export companion wrote" in err
    assert mine.read_text(encoding="utf-8") == "mine\n"


@pytest.mark.parametrize(
    "printed",
    [Printed("two\nlines"), Printed("", 1), Printed("a,b\r\n", 0, csv=True), Printed("\udcff")],
)
def test_what_is_printed_is_kept_and_read_back_whole(printed: Printed) -> None:
    assert Printed.decode(printed.encode()) == printed


@pytest.mark.parametrize("kept", [b"", b"x\n", b"1\n", b"1 2 3\nbody", b"one zero\nbody"])
def test_a_kept_report_of_another_shape_is_not_read(kept: bytes) -> None:
    assert Printed.decode(kept) is None
