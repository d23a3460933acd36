"""Every cache answers what working it out afresh would, after the changes a learner makes.

The app keeps, in its data folder, the note index, each note's flags, the last status
printed, the text index, the validated content and what was read from evidence files; a
portfolio kept open (the app's) holds records and flags in memory as well. A cache that
answers for an older state shows the learner something the files no longer say: a warning
they acknowledged back as a warning, a renamed note found under its old name. These tests
make the changes a learner makes, through the commands and the portfolio's own methods,
and hold what is shown with every cache warm to what is shown from an empty data folder.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from cli_support import RunCli
from hypothesis import HealthCheck, Phase, event, given, settings
from hypothesis import strategies as st

from bench.evidence_files import make_docx
from companion import clock
from companion.assessment.status import build_status, status_json
from companion.content import cache as content_cache
from companion.content.load import load_content, load_digest
from companion.content.model import Content
from companion.errors import CompanionError
from companion.files import data_dir
from companion.portfolio.portfolio import Portfolio
from companion.portfolio.search import search_notes
from companion.text.search_query import parse_query

NOW = dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC)
"""A fixed day: flags depend on it (evidence dated in the future), and so does the status."""
SEARCHED = ("Schein", "repairs")
"""Words the changes below add to notes, move with them and take away."""


@pytest.fixture(autouse=True)
def _fixed_clock() -> Iterator[None]:
    clock.set_clock(NOW)
    yield
    clock.set_clock(None)


def _rewrite(path: Path, text: str) -> None:
    """Save ``text`` over a file as an editor would a moment later: the file's time moves
    on even where the file system's clock has not ticked since the last write."""
    before = path.stat().st_mtime_ns if path.exists() else 0
    path.write_text(text, encoding="utf-8")
    if path.stat().st_mtime_ns <= before:
        os.utime(path, ns=(before + 1_000_000, before + 1_000_000))


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path.name} no longer says {old!r}"
    _rewrite(path, text.replace(old, new, 1))


# --- what the commands print --------------------------------------------------------------


def _commands(root: Path) -> dict[str, tuple[str, ...]]:
    """Every command whose answer comes from a cache, by what it shows."""
    folder = str(root)
    commands = {
        "check": ("check", folder, "--json"),
        "check as text": ("check", folder),
        "status --json": ("status", folder, "--json"),
        "status": ("status", folder),
        "notes": ("notes", folder, "--json"),
        "notes as text": ("notes", folder, "--sort", "words"),
        "matrix": ("export", "matrix", folder, "--out", str(root.parent / "matrix.md")),
        "KSB matrix as HTML": (
            "export",
            "matrix",
            folder,
            "--ksb",
            "--out",
            str(root.parent / "ksb.html"),
        ),
        "files": ("files", folder, "--json"),
        "gateway": ("gateway", folder, "--json"),
    }
    for word in SEARCHED:
        commands[f"search {word}"] = ("search", folder, word, "--json")
    return commands


def _printed(run_cli: RunCli, root: Path) -> dict[str, tuple[int, str]]:
    """What each command prints, and its exit code."""
    printed = {}
    for name, argv in _commands(root).items():
        code, out, _ = run_cli(*argv)
        if argv[0] == "export":  # what is written, not where
            out = Path(argv[-1]).read_text(encoding="utf-8")
        printed[name] = (code, out)
    return printed


def _empty_data_folder(data: Path) -> Path:
    """A data folder holding none of the portfolio's caches. The validated framework is
    copied in (the changes here never touch it, and validating it again would take
    seconds a step); the content cache is held to a fresh read on its own, below."""
    shutil.rmtree(data, ignore_errors=True)
    shutil.copytree(data_dir() / "cache", data / "cache")
    return data


def _printed_afresh(
    run_cli: RunCli, root: Path, monkeypatch: pytest.MonkeyPatch, data: Path
) -> dict[str, tuple[int, str]]:
    """What each command prints with none of the portfolio's caches."""
    empty = _empty_data_folder(data)
    with monkeypatch.context() as context:
        context.setenv("COMPANION_DATA_DIR", str(empty))
        return _printed(run_cli, root)


def _differences(kept: dict[str, tuple[int, str]], fresh: dict[str, tuple[int, str]]) -> list[str]:
    return [name for name in fresh if kept[name] != fresh[name]]


# --- the changes, through the commands ----------------------------------------------------

GOALS = "evidence/16-goal-setting-framework.md"
PESTLE = "evidence/07-pestle-review.md"
AWAY_DAY = "evidence/05-away-day-presentation.md"
PLAN = "evidence/02-programme-plan.md"
COUNCIL = "evidence/09-council-liaison-minutes.md"
BOARD_FILE = "files/repairs-board-minutes-2026-05-12.docx"


def _ok(result: tuple[int, str, str]) -> None:
    code, out, err = result
    assert code == 0, (out, err)


def acknowledge(root: Path, run_cli: RunCli) -> None:
    _ok(run_cli("acknowledge", str(root / GOALS), "personal-data"))


def tag(root: Path, run_cli: RunCli) -> None:
    _ok(run_cli("tag", str(root / PESTLE), "703/2.2", "--where", "p2"))


def untag(root: Path, run_cli: RunCli) -> None:
    _ok(run_cli("untag", str(root / PESTLE), "703/2.1"))


def edit_body(root: Path, run_cli: RunCli) -> None:
    plan = root / PLAN
    _rewrite(plan, plan.read_text(encoding="utf-8") + "\nThe culture work follows Schein.\n")


def edit_front_matter(root: Path, run_cli: RunCli) -> None:
    # dated before the programme started, and a reference another note already has
    _replace(root / PLAN, "\ndate: ", "\ndate: 2025-06-30\nold_date: ")
    _replace(root / COUNCIL, "\nref: ", "\nref: E021\nold_ref: ")


def rename(root: Path, run_cli: RunCli) -> None:
    os.rename(root / AWAY_DAY, root / "evidence" / "05-away-day.md")


def delete(root: Path, run_cli: RunCli) -> None:
    os.remove(root / COUNCIL)


def add_note(root: Path, run_cli: RunCli) -> None:
    code, out, err = run_cli(
        "new", str(root), "--type", "minutes", "--title", "Damp taskforce, December"
    )
    assert code == 0, err
    note = root / out.strip()
    text = note.read_text(encoding="utf-8")
    _rewrite(note, text + "\nThe damp taskforce agreed the repairs plan I proposed.\n")
    _ok(run_cli("tag", str(note), "702/2.1", "--where", "para 1"))
    _ok(run_cli("acknowledge", str(note), "evidence-too-short"))


def change_profile(root: Path, run_cli: RunCli) -> None:
    profile = root / "companion.yaml"
    _replace(profile, "programme_start: 2025-09-01", "programme_start: 2026-01-20")
    _replace(profile, "[references, reference list,", "[reference list,")


def replace_evidence_file(root: Path, run_cli: RunCli) -> None:
    make_docx(
        root / BOARD_FILE,
        title="Repairs improvement board",
        paragraphs=["Item 4: the board released the contingency.", "Repairs resume in June."],
    )


def acknowledge_again(root: Path, run_cli: RunCli) -> None:
    _ok(run_cli("acknowledge", str(root / GOALS), "tag-no-where"))


SEQUENCES: dict[str, list[Callable[[Path, RunCli], None]]] = {
    # each starts with a change whose result the later steps read back from the caches
    "acknowledge-edit-rename-untag": [acknowledge, edit_body, rename, untag],
    "tag-front-matter-delete-acknowledge": [tag, edit_front_matter, delete, acknowledge_again],
    "add-profile-file-acknowledge": [add_note, change_profile, replace_evidence_file, acknowledge],
}


@pytest.mark.parametrize("changes", SEQUENCES.values(), ids=SEQUENCES.keys())
def test_every_command_prints_what_an_empty_data_folder_would_after_each_change(
    changes: list[Callable[[Path, RunCli], None]],
    example: Path,
    run_cli: RunCli,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    """Each change, then every command twice with the caches kept (once working out what
    changed, once answered from what that kept), against every command from nothing."""
    _printed(run_cli, example)  # every cache filled before the first change
    for step, change in enumerate(changes):
        change(example, run_cli)
        first = _printed(run_cli, example)
        again = _printed(run_cli, example)
        fresh = _printed_afresh(run_cli, example, monkeypatch, tmp_path / f"fresh-{step}")
        assert _differences(first, fresh) == [], f"after {change.__name__}"
        assert _differences(again, fresh) == [], f"after {change.__name__}, asked again"


def test_an_acknowledged_warning_stays_acknowledged_when_its_flags_come_from_the_index(
    example: Path, run_cli: RunCli
) -> None:
    """What a learner sees on the second ``companion check``: the flags of an unchanged
    note are read back from the index, acknowledgement and all."""

    def goals_flags() -> dict[str, bool]:
        _, out, _ = run_cli("check", str(example), "--json")
        flags = json.loads(out)["flags"]
        return {f["code"]: f["acknowledged"] for f in flags if f["note"] == GOALS}

    acknowledge(example, run_cli)
    worked_out = goals_flags()
    assert worked_out["personal-data"] is True
    edit_body(example, run_cli)  # another note changes: this one's flags are read back
    assert goals_flags() == worked_out


# --- the changes, through a portfolio kept open, as the app keeps it ----------------------


@dataclass
class Shown:
    """What the app shows of a portfolio: its status, searches and each note's record."""

    status: dict[str, Any]
    searches: dict[str, list[dict[str, object]]]
    records: dict[str, dict[str, Any]]


def _shown(portfolio: Portfolio) -> Shown:
    status = json.loads(json.dumps(status_json(build_status(portfolio)), default=str))
    searches = {
        word: [hit.to_json() for hit in search_notes(portfolio, parse_query(word), limit=0).hits]
        for word in SEARCHED
    }
    records = {rel: record.to_row() for rel, record in sorted(portfolio.records.items())}
    return Shown(status, searches, records)


def _shown_afresh(root: Path, monkeypatch: pytest.MonkeyPatch, data: Path) -> Shown:
    empty = _empty_data_folder(data)
    with monkeypatch.context() as context:
        context.setenv("COMPANION_DATA_DIR", str(empty))
        portfolio = Portfolio(root)
        try:
            portfolio.scan()
            return _shown(portfolio)
        finally:
            portfolio.close()


def _changes_in_the_app(root: Path) -> list[tuple[str, Callable[[Portfolio], object]]]:
    """The same kinds of change, made through the portfolio the app holds open."""

    def new_note(portfolio: Portfolio) -> None:
        note = root / "notes" / "damp-taskforce.md"
        _rewrite(
            note,
            "---\ntitle: Damp taskforce\nref: E040\ndate: 2026-11-20\nlearner: Alex Morgan\n"
            "type: minutes\n---\n\nThe damp taskforce agreed the repairs plan I proposed.\n",
        )
        portfolio.tag(note, "702/2.1", where="para 1")

    return [
        ("acknowledge", lambda p: p.acknowledge(root / GOALS, "personal-data")),
        ("tag", lambda p: p.tag(root / PESTLE, "703/2.2", where="p2")),
        ("untag", lambda p: p.untag(root / PESTLE, "703/2.1")),
        ("edit body", lambda p: edit_body(root, _no_cli)),
        ("edit front matter", lambda p: edit_front_matter(root, _no_cli)),
        ("rename", lambda p: rename(root, _no_cli)),
        ("delete", lambda p: delete(root, _no_cli)),
        ("add", new_note),
        ("profile", lambda p: change_profile(root, _no_cli)),
        ("evidence file", lambda p: replace_evidence_file(root, _no_cli)),
        ("acknowledge again", lambda p: p.acknowledge(root / GOALS, "tag-no-where")),
    ]


def _no_cli(*argv: str) -> tuple[int, str, str]:
    raise AssertionError("these changes are made without the command line")


def test_a_portfolio_kept_open_shows_what_a_fresh_one_would_after_each_change(
    example: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    portfolio = Portfolio(example)
    try:
        portfolio.scan()
        _shown(portfolio)
        for step, (name, change) in enumerate(_changes_in_the_app(example)):
            change(portfolio)
            portfolio.scan()
            first = _shown(portfolio)
            again = _shown(portfolio)  # the flags held from the first, not read again
            fresh = _shown_afresh(example, monkeypatch, tmp_path / f"fresh-{step}")
            assert first == fresh, f"after {name}"
            assert again == fresh, f"after {name}, asked again"
    finally:
        portfolio.close()


# --- the content cache --------------------------------------------------------------------


def test_content_from_the_cache_is_the_content_read_afresh_after_each_edit(
    nos_copy: Path,
) -> None:
    """The validated content and digest kept for a framework folder equal the folder read
    again, after the edits a framework's author makes."""
    unit = nos_copy / "units" / "A1.yaml"
    edits: list[tuple[str, str]] = [
        ("", ""),
        ("title: Manage your own resources", "title: Manage resources"),
        ("they need for their work.", "they need for their role."),
        (
            "{id: resources, label: Resources identified, min: 2}",
            "{id: resources, label: Resources identified, min: 3}",
        ),
    ]
    for old, new in edits:
        if old:
            _replace(unit, old, new)
        load_content(nos_copy)  # fills the cache, or reads it
        cached, cached_digest = load_content(nos_copy), load_digest(nos_copy)
        os.remove(content_cache.cache_path(nos_copy))
        os.remove(content_cache.digest_path(nos_copy))
        fresh, fresh_digest = load_content(nos_copy), load_digest(nos_copy)
        assert (cached, cached.fingerprint) == (fresh, fresh.fingerprint), f"after {new!r}"
        assert cached_digest == fresh_digest, f"after {new!r}"


# --- a property: edits in any order, on any portfolio -------------------------------------

WORDS = ("Schein", "repairs", "GROW", "PESTLE", "tenants", "budget", "coaching", "I", "we")
ACS = ("700/1.1", "700/3.3", "702/2.1", "703/2.1")
TYPES = ("minutes", "report", "witness-testimony", "reflective-account", "presentation")
DATES = st.dates(dt.date(2025, 6, 1), dt.date(2027, 1, 31))
"""Around the programme's start (2025-09-01) and today (NOW): before, during and after."""
WHERE = st.sampled_from([None, "para 1"])
BODIES = st.lists(st.sampled_from(WORDS), min_size=0, max_size=40).map(" ".join)


@dataclass(frozen=True)
class Draft:
    """A note as a learner first writes it."""

    type: str
    date: dt.date
    body: str
    ref: int
    tag: tuple[str, str | None] | None

    def text(self) -> str:
        evidence = ""
        if self.tag is not None:
            ac, where = self.tag
            evidence = f"evidence:\n  - ac: {ac}\n" + (f"    where: {where}\n" if where else "")
        return (
            f"---\ntitle: Note {self.ref}\nref: E{self.ref:03}\ndate: {self.date}\n"
            f"learner: Alex Morgan\ntype: {self.type}\n{evidence}---\n\n{self.body}\n"
        )


TAGS = st.none() | st.tuples(st.sampled_from(ACS), WHERE)
DRAFTS = st.builds(Draft, st.sampled_from(TYPES), DATES, BODIES, st.integers(1, 30), TAGS)
ACKNOWLEDGE = st.tuples(st.just("acknowledge"), st.integers(0, 9), st.integers(0, 9))
REOPEN = st.tuples(st.just("reopen"), st.integers(0, 9), st.none())
EDITS = st.one_of(
    ACKNOWLEDGE,  # given more weight: a warning acknowledged, then read back, is the case
    REOPEN,  # a cache gets wrong most easily
    st.tuples(st.just("body"), st.integers(0, 9), BODIES),
    st.tuples(st.just("date"), st.integers(0, 9), DATES),
    st.tuples(st.just("type"), st.integers(0, 9), st.sampled_from(TYPES)),
    st.tuples(st.just("tag"), st.integers(0, 9), st.tuples(st.sampled_from(ACS), WHERE)),
    st.tuples(st.just("untag"), st.integers(0, 9), st.sampled_from(ACS)),
    ACKNOWLEDGE,
    st.tuples(st.just("rename"), st.integers(0, 9), st.none()),
    st.tuples(st.just("delete"), st.integers(0, 9), st.none()),
    st.tuples(st.just("add"), st.integers(0, 9), DRAFTS),
    st.tuples(st.just("start"), st.integers(0, 9), DATES),
    REOPEN,
)
"""Each edit: what it changes, which note (by its place among them) and to what. ``reopen``
closes the portfolio and opens it again, as the next command does: what the index kept
is then read back rather than held. ``acknowledge`` picks one of the warnings shown,
as a learner does."""


def _field(path: Path, name: str, value: object) -> None:
    """Set one front matter field, as a learner editing the note by hand does."""
    head, rest = path.read_text(encoding="utf-8").split("\n---\n", 1)
    lines = [line for line in head.splitlines() if not line.startswith(f"{name}: ")]
    _rewrite(path, "\n".join([*lines, f"{name}: {value}"]) + "\n---\n" + rest)


def _apply(portfolio: Portfolio, edit: tuple[str, int, Any]) -> None:
    """One edit, through the portfolio's own methods where the app has one."""
    kind, which, value = edit
    root = portfolio.root
    notes = sorted((root / "notes").glob("*.md"))
    if kind == "add":
        _rewrite(root / "notes" / f"added-{len(list(root.rglob('*.md')))}.md", value.text())
        return
    if kind == "start":
        profile = root / "companion.yaml"
        lines = profile.read_text(encoding="utf-8").splitlines()
        kept = [line for line in lines if not line.startswith("programme_start: ")]
        _rewrite(profile, "\n".join([*kept, f"programme_start: {value}"]) + "\n")
        return
    if not notes:
        return
    note = notes[which % len(notes)]
    try:
        if kind == "body":
            head, _ = note.read_text(encoding="utf-8").split("\n---\n", 1)
            _rewrite(note, f"{head}\n---\n\n{value}\n")
        elif kind in ("date", "type"):
            _field(note, kind, value)
        elif kind == "tag":
            ac, where = value
            portfolio.tag(note, ac, where=where)
        elif kind == "untag":
            portfolio.untag(note, value)
        elif kind == "acknowledge":  # one of the warnings shown, of any note
            shown = build_status(portfolio).flags
            warnings = sorted({(f.note, f.code) for f in shown if f.severity == "warning"})
            if warnings:
                relative, code = warnings[value % len(warnings)]
                portfolio.acknowledge(root / relative, code)
                event("acknowledged")
        elif kind == "rename":
            os.rename(note, note.with_name(f"renamed-{note.name}"))
        elif kind == "delete":
            os.remove(note)
    except CompanionError:
        pass  # refused (untagging a tag the note lacks): the note is as it was


@contextlib.contextmanager
def _data_folder(path: Path) -> Iterator[None]:
    """The app's data in ``path`` for a while (hypothesis runs many examples in one test,
    so the fixture that keeps each test's data apart cannot)."""
    before = os.environ["COMPANION_DATA_DIR"]
    os.environ["COMPANION_DATA_DIR"] = str(path)
    try:
        yield
    finally:
        os.environ["COMPANION_DATA_DIR"] = before


@functools.cache
def _framework() -> Content:
    """The bundled framework, read once for every example (not what these examples vary)."""
    return load_content()


@settings(
    max_examples=25,
    derandomize=True,  # the same examples every run: a failure is one that can be run again
    # not shrunk: each try builds two portfolios, and shrinking a failure took minutes; the
    # failing example is printed as found
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    drafts=st.lists(DRAFTS, min_size=1, max_size=4),
    edits=st.lists(EDITS, min_size=1, max_size=10),
)
def test_after_any_edits_what_was_kept_open_equals_what_is_built_from_scratch(
    drafts: list[Draft], edits: list[tuple[str, int, Any]]
) -> None:
    framework = _framework()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "portfolio"
        (root / "notes").mkdir(parents=True)
        (root / "companion.yaml").write_text(
            "learner: Alex Morgan\nprogramme_start: 2025-09-01\nplanned_gateway: 2027-03-15\n"
        )
        for number, draft in enumerate(drafts):
            _rewrite(root / "notes" / f"note-{number}.md", draft.text())
        with _data_folder(Path(folder) / "kept"):
            kept = Portfolio(root, framework)
            try:
                kept.scan()
                _shown(kept)
                for edit in edits:  # the caches are brought up to date after every edit
                    if edit[0] == "reopen":
                        kept.close()
                        kept = Portfolio(root, framework)
                    _apply(kept, edit)
                    kept.scan()
                    _shown(kept)
                held = _shown(kept)
                kept.close()
                kept = Portfolio(root, framework)  # the next command: what was kept, read back
                kept.scan()
                read_back = _shown(kept)
            finally:
                kept.close()
        with _data_folder(Path(folder) / "fresh"):
            fresh = Portfolio(root, framework)
            try:
                fresh.scan()
                from_scratch = _shown(fresh)
            finally:
                fresh.close()
    for incremental in (held, read_back):
        assert incremental.records == from_scratch.records
        assert incremental.status == from_scratch.status
        assert incremental.searches == from_scratch.searches
