"""Writers in several processes at once never lose an update, and a write killed at any
point leaves the old note or the new one, and no temporary file once the app runs again."""

from __future__ import annotations

import multiprocessing
import os
import signal
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Event
from pathlib import Path

import pytest
from known import present

from companion.content.load import load_content
from companion.notes.being_written import open_for_writing
from companion.notes.file import read_note_file
from companion.portfolio.portfolio import Portfolio

ROUNDS = int(os.environ.get("COMPANION_STRESS_ROUNDS", "1000"))
WRITERS = 4
CONTEXT = multiprocessing.get_context("fork")


def _portfolio(tmp_path: Path, text: str = "---\ntitle: Shared\nref: E001\n---\nBody.\n") -> Path:
    root = tmp_path / "p"
    root.mkdir()
    (root / "companion.yaml").write_text("learner: Sam Lee\n")
    (root / "shared.md").write_text(text)
    return root


def _acknowledge_many(root: str, writer: int, rounds: int) -> None:
    try:
        portfolio = Portfolio(Path(root), use_store=False)
        for n in range(rounds):
            portfolio.acknowledge(Path(root) / "shared.md", f"w{writer}-r{n}")
    except Exception as exc:
        Path(root, f"error-{writer}.txt").write_text(repr(exc))
        raise


def _tag_many(root: str, acs: list[str]) -> None:
    portfolio = Portfolio(Path(root), use_store=False)
    for ac in acs:
        portfolio.tag(Path(root) / "shared.md", ac, where=f"for {ac}")


def _run_all(target, arguments: list[tuple]) -> None:
    processes = [CONTEXT.Process(target=target, args=a) for a in arguments]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=600)
        assert process.exitcode == 0, process.exitcode


@pytest.mark.slow
def test_appends_from_several_processes_all_land(tmp_path: Path) -> None:
    root = _portfolio(tmp_path)
    per_writer = max(1, ROUNDS // WRITERS)
    _run_all(_acknowledge_many, [(str(root), w, per_writer) for w in range(WRITERS)])
    codes = read_note_file(root / "shared.md").metadata["acknowledge"]
    expected = {f"w{w}-r{n}" for w in range(WRITERS) for n in range(per_writer)}
    assert len(codes) == len(expected) and set(codes) == expected  # zero lost updates
    for writer in range(WRITERS):  # and each writer's appends in its own order
        mine = [c for c in codes if c.startswith(f"w{writer}-")]
        assert mine == [f"w{writer}-r{n}" for n in range(per_writer)]
    assert read_note_file(root / "shared.md").body == "Body.\n"


@pytest.mark.slow
def test_tags_from_several_processes_all_land(tmp_path: Path) -> None:
    root = _portfolio(tmp_path)
    acs = [c.id for c in load_content().criteria][: WRITERS * 10]
    shares = [acs[w::WRITERS] for w in range(WRITERS)]
    _run_all(_tag_many, [(str(root), share) for share in shares])
    tagged = [t["ac"] for t in read_note_file(root / "shared.md").metadata["evidence"]]
    assert sorted(tagged) == sorted(acs)


def _tag_and_die(root: str, when: str) -> None:
    portfolio = Portfolio(Path(root), use_store=False)  # content loaded (and cached) first
    real = os.replace  # the function companion.files calls through its module ``os``

    def replace(source: str, target: str) -> None:
        if when == "before-replace":
            os.kill(os.getpid(), signal.SIGKILL)
        real(source, target)
        if when == "after-replace":
            os.kill(os.getpid(), signal.SIGKILL)

    os.replace = replace  # type: ignore[assignment]
    portfolio.tag(Path(root) / "shared.md", "700/1.1", where="p1")


@pytest.mark.parametrize("when", ["before-replace", "after-replace"])
def test_a_write_killed_at_any_point_leaves_old_or_new_and_no_temp_file(
    tmp_path: Path, when: str
) -> None:
    root = _portfolio(tmp_path)
    before = (root / "shared.md").read_bytes()
    process = CONTEXT.Process(target=_tag_and_die, args=(str(root), when))
    process.start()
    process.join(timeout=60)
    assert process.exitcode == -signal.SIGKILL
    after = (root / "shared.md").read_bytes()
    if when == "before-replace":
        assert after == before
    else:
        assert after != before and b"ac: 700/1.1" in after
        assert read_note_file(root / "shared.md").metadata["title"] == "Shared"
    leftovers = [p.name for p in root.iterdir() if p.name.endswith(".tmp")]
    # the new bytes not yet in place, and, where the rename is guarded by a lease, the old
    # note's second name kept while it happens (companion.notes.being_written)
    guarded = open_for_writing(root / "shared.md") is not None
    assert len(leftovers) == (1 if when == "before-replace" else 0) + guarded
    portfolio = Portfolio(root)  # the next run
    portfolio.scan()
    portfolio.close()
    assert [p.name for p in root.iterdir() if p.name.endswith(".tmp")] == []


STATE_ROUNDS = 100


def _tag_own_notes(root: str, writer: int, rounds: int) -> None:
    portfolio = Portfolio(Path(root))
    for n in range(rounds):
        portfolio.tag(Path(root) / f"w{writer}-{n}.md", "700/1.1", where="p1")
    portfolio.close()


def test_the_blocks_the_app_added_are_all_remembered_when_two_processes_tag_at_once(
    tmp_path: Path,
) -> None:
    """Each tag of a note without front matter adds a block and remembers that it did, so
    that the last untag takes it away again; two processes remembering at once must not
    forget each other's notes, nor lose a line of the history."""
    root = _portfolio(tmp_path)
    notes = {
        root / f"w{w}-{n}.md": f"Note {w}-{n}, no front matter.\n".encode()
        for w in range(2)
        for n in range(STATE_ROUNDS)
    }
    for path, text in notes.items():
        path.write_bytes(text)
    _run_all(_tag_own_notes, [(str(root), w, STATE_ROUNDS) for w in range(2)])
    portfolio = Portfolio(root)
    assert sorted(e["note"] for e in present(portfolio.store).history()) == sorted(
        p.name for p in notes
    )
    for path in notes:
        portfolio.untag(path, "700/1.1")
    portfolio.close()
    left = [path.name for path, text in notes.items() if path.read_bytes() != text]
    assert left == []  # every block the app added went with its last tag


def _open_store(root: str) -> None:
    from companion.portfolio.store import Store

    Store(Path(root)).close()


def test_two_processes_starting_at_once_move_an_old_db_json_in_once(tmp_path: Path) -> None:
    from companion.portfolio.store import Store

    root = _portfolio(tmp_path)
    store = Store(root)
    legacy, folder = store.legacy_path, store.folder
    store.close()
    rounds = 20
    for n in range(rounds):
        legacy.write_text(
            '{"state": {"1": {"key": "last_screen", "value": "units"}}, '
            f'"audit": {{"1": {{"action": "tag", "note": "n{n}.md"}}}}}}'
        )
        _run_all(_open_store, [(str(root),), (str(root),)])
        assert not legacy.exists()
    store = Store(root)
    assert [e["note"] for e in store.history()] == [f"n{n}.md" for n in range(rounds)]
    assert store.get_state("last_screen") == "units"
    store.close()
    assert len(list(folder.glob("db.json.migrated*"))) == rounds


EDITOR_ROUNDS = int(os.environ.get("COMPANION_EDITOR_ROUNDS", "300"))
PIECE = 64 * 1024


def _editor_text(round_number: int) -> bytes:
    """The note as an editor holds it in round ``round_number``: about 256 KB, so a save
    is four pieces, with the round in its last line."""
    lines = [f"Paragraph {n}: the repairs board reviewed backlog item {n}.\n" for n in range(4001)]
    body = "\n".join(lines) + f"\nSaved in round {round_number}.\n"
    return f"---\ntitle: Shared\nref: E001\n---\n{body}".encode()


def _editor(path: str, rounds: int, lost: Queue) -> None:
    """Save in place in 64 KB pieces 5 ms apart, as some editors do; after each save, the
    note must hold the whole text just saved (with or without a tag companion added since)."""
    import random
    import time

    for number in range(rounds):
        text = _editor_text(number)
        with open(path, "r+b") as handle:
            handle.truncate(0)
            for start in range(0, len(text), PIECE):
                handle.write(text[start : start + PIECE])
                handle.flush()
                time.sleep(0.005)
        body = text.split(b"---\n", 2)[2]
        after = Path(path).read_bytes()
        if not after.endswith(body):
            lost.put((number, len(after), after[-60:]))
        time.sleep(random.uniform(0, 0.01))
    lost.put(None)


def _tag_while_editing(root: str, done: Event, outcome: Queue) -> None:
    from companion.notes.writer import NoteWriteError

    portfolio = Portfolio(Path(root), use_store=False)
    written = refused = 0
    while not done.is_set():
        try:
            portfolio.tag(Path(root) / "shared.md", "700/1.1", where="p1")
            portfolio.untag(Path(root) / "shared.md", "700/1.1")
            written += 1
        except NoteWriteError:
            refused += 1
    outcome.put((written, refused))


@pytest.mark.slow
def test_an_editor_saving_in_place_in_pieces_loses_nothing_to_tagging(tmp_path: Path) -> None:
    """A tag read between two pieces of an editor's save would put half the note in place
    and send the editor's remaining pieces to a file that no longer has a name."""
    root = _portfolio(tmp_path, _editor_text(-1).decode())
    path = root / "shared.md"
    lost: Queue = CONTEXT.Queue()
    outcome: Queue = CONTEXT.Queue()
    done = CONTEXT.Event()
    tagger = CONTEXT.Process(target=_tag_while_editing, args=(str(root), done, outcome))
    editor = CONTEXT.Process(target=_editor, args=(str(path), EDITOR_ROUNDS, lost))
    tagger.start()
    editor.start()
    losses = []
    while (item := lost.get(timeout=600)) is not None:
        losses.append(item)
    done.set()
    editor.join(timeout=60)
    tagger.join(timeout=60)
    written, refused = outcome.get(timeout=10)
    assert losses == []
    assert written > 0 and refused > 0  # both really ran into each other
    assert path.read_bytes().endswith(_editor_text(EDITOR_ROUNDS - 1).split(b"---\n", 2)[2])
    assert [p.name for p in root.iterdir() if p.name.startswith(".")] == []  # nothing left
