"""The writer changes only the evidence lines: a corpus of awkward notes, byte for byte."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from companion.notes.edit import edit_note
from companion.notes.file import NoteFile, NoteReadError, read_note_file
from companion.notes.writer import OWNED_KEY, NoteWriteError, render_with_key

TAGS: list[dict[str, object]] = [
    {
        "ac": "700/1.1",
        "where": "12:30",
        "tagged": "2026-11-22T10:00:00+00:00",
        "counts": {"models": ["GROW", "OSCAR"]},
        "covers": ["team-dynamics"],
    }
]


def write_evidence(note: NoteFile, tags: list[dict[str, object]] | None) -> NoteFile:
    """Set the whole ``evidence`` list as tagging does: the same splice and the same
    refusal when the file changed since ``note`` was read."""
    return edit_note(
        note.path, lambda current: render_with_key(current, OWNED_KEY, tags), expected=note
    )[1]


def _chunk(tags: list[dict], newline: str = "\n") -> bytes:
    text = yaml.safe_dump(
        {"evidence": tags},
        default_flow_style=False,
        sort_keys=False,
        allow_unicode=True,
        width=4096,
    )
    return text.replace("\n", newline).encode("utf-8")


CORPUS: dict[str, bytes] = {
    "plain": b"---\ntitle: Team minutes\nref: E001\n---\nBody text.\n",
    "crlf": b"---\r\ntitle: Minutes\r\nref: E002\r\n---\r\nLine one.\r\nLine two.\r\n",
    "bom": "\ufeff---\ntitle: Caf\u00e9 review\n---\nBody \u2014 with UTF-8.\n".encode(),
    "comments": (
        b"---\n# my own comment\ntitle: Plan  # trailing comment\n\n# spacer\nref: E3\n---\nx\n"
    ),
    "quoted": b"---\ntitle: 'Quoted: yes'\nref: \"E004\"\ndate: '2026-01-02'\n---\nBody\n",
    "time-like": b"---\ntitle: Call\nstart: 12:30\n---\nBody\n",
    "norway": b"---\ncountry: NO\nflag: yes\n---\nBody\n",
    "octal": b"---\nref: 0123\nzip: 012\n---\nBody\n",
    "block-scalar": b"---\nsummary: |\n  Line one\n  Line two\nfolded: >-\n  a\n  b\n---\nBody\n",
    "keep-chomp": b"---\ntitle: T\nnotes: |+\n  kept\n\n---\nBody\n",
    "anchors": b"---\nbase: &b {a: 1}\nother: *b\ntitle: T\n---\nBody\n",
    "duplicate-keys": b"---\ntitle: One\ntitle: Two\n---\nBody\n",
    "content-key": b"---\ncontent: this key is called content\ntitle: T\n---\nBody\n",
    "no-front-matter": b"# Heading\n\nJust text.\n",
    "rule-at-top": b"---\n\nA first paragraph after a rule.\n\n---\n\nMore text.\n",
    "empty": b"",
    "no-trailing-newline": b"---\ntitle: T\n---\nBody without newline",
    "existing-evidence": (
        b"---\ntitle: T\nevidence:\n- ac: 701/1.1\n  where: p2\n# after\nref: E9\n---\nB\n"
    ),
    "unicode-body": "---\ntitle: \u65e5\u672c\n---\n\u00e9\u00e8 \U0001f600\n".encode(),
    "tabs-and-spaces": b"---\ntitle:   spaced   \nlist:\n    - a\n    - b\n---\n\tBody\n",
}


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_tag_changes_only_the_evidence_lines(tmp_path: Path, name: str) -> None:
    original = CORPUS[name]
    path = tmp_path / "note.md"
    path.write_bytes(original)
    note = read_note_file(path)
    newline = "\r\n" if name == "crlf" else "\n"
    write_evidence(note, TAGS)
    written = path.read_bytes()
    chunk = _chunk(TAGS, newline)
    assert chunk in written
    if name == "existing-evidence":
        old = b"evidence:\n- ac: 701/1.1\n  where: p2\n"
        assert written == original.replace(old, chunk)
    elif note.fm_start is None:
        bom = b"\xef\xbb\xbf" if original.startswith(b"\xef\xbb\xbf") else b""
        assert written == bom + b"---\n" + chunk + b"---\n" + original[len(bom) :]
    else:
        assert written.replace(chunk, b"", 1) == original
    reread = read_note_file(path)
    assert reread.metadata["evidence"] == TAGS
    assert reread.body == note.body
    assert {k: v for k, v in reread.metadata.items() if k != "evidence"} == {
        k: v for k, v in note.metadata.items() if k != "evidence"
    }


@pytest.mark.parametrize("name", sorted(set(CORPUS) - {"existing-evidence"}))
def test_tag_then_untag_restores_every_byte(tmp_path: Path, name: str) -> None:
    path = tmp_path / "note.md"
    path.write_bytes(CORPUS[name])
    write_evidence(read_note_file(path), TAGS)
    write_evidence(read_note_file(path), None)
    assert path.read_bytes() == CORPUS[name]


def test_list_front_matter_is_refused_not_dropped(tmp_path: Path) -> None:
    path = tmp_path / "list.md"
    path.write_bytes(b"---\n- a\n- b\n---\nBody\n")
    with pytest.raises(NoteReadError, match="front matter is a list"):
        read_note_file(path)
    assert path.read_bytes() == b"---\n- a\n- b\n---\nBody\n"


def test_non_utf8_and_binary_are_refused(tmp_path: Path) -> None:
    latin = tmp_path / "latin.md"
    latin.write_bytes(b"---\ntitle: caf\xe9\n---\n")
    with pytest.raises(NoteReadError, match="not UTF-8"):
        read_note_file(latin)
    binary = tmp_path / "image.md"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    with pytest.raises(NoteReadError, match="binary"):
        read_note_file(binary)


def test_huge_note_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "huge.md"
    path.write_bytes(b"---\ntitle: big\n---\n" + b"word " * (1024 * 1024))
    with pytest.raises(NoteReadError, match="MB"):
        read_note_file(path)


def test_large_note_within_limit_is_spliced(tmp_path: Path) -> None:
    original = b"---\ntitle: big\n---\n" + b"word " * 300_000
    path = tmp_path / "big.md"
    path.write_bytes(original)
    write_evidence(read_note_file(path, max_bytes=8 * 1024 * 1024), TAGS)
    assert path.read_bytes().replace(_chunk(TAGS), b"", 1) == original


def test_refuses_when_file_changed_since_read(tmp_path: Path) -> None:
    path = tmp_path / "note.md"
    path.write_bytes(CORPUS["plain"])
    note = read_note_file(path)
    path.write_bytes(CORPUS["plain"] + b"edited elsewhere\n")
    with pytest.raises(NoteWriteError, match="changed on disk"):
        write_evidence(note, TAGS)
    assert path.read_bytes() == CORPUS["plain"] + b"edited elsewhere\n"


def test_bad_yaml_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.md"
    path.write_bytes(b"---\ntitle: ok\nref: [unclosed\n---\nBody\n")
    with pytest.raises(NoteReadError) as caught:
        read_note_file(path)
    assert caught.value.code == "bad-yaml"
    assert "line" in caught.value.message


def test_flow_style_front_matter_is_refused_unchanged(tmp_path: Path) -> None:
    original = b"---\n{title: T, ref: E1}\n---\nBody\n"
    path = tmp_path / "flow.md"
    path.write_bytes(original)
    with pytest.raises(NoteWriteError, match="flow"):
        write_evidence(read_note_file(path), TAGS)
    assert path.read_bytes() == original


def test_write_keeps_file_mode_and_leaves_no_temp(tmp_path: Path) -> None:
    path = tmp_path / "note.md"
    path.write_bytes(CORPUS["plain"])
    os.chmod(path, 0o600)
    write_evidence(read_note_file(path), TAGS)
    assert path.stat().st_mode & 0o777 == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["note.md"]


_keys = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=8).filter(
    lambda k: k != "evidence"
)
_scalars = st.one_of(
    st.integers(-1000, 1000),
    st.booleans(),
    st.text(alphabet=st.characters(blacklist_categories=["Cs", "Cc"]), max_size=20),
)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    fields=st.dictionaries(_keys, _scalars, min_size=1, max_size=5),
    body=st.text(
        alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\r"), max_size=200
    ),
    crlf=st.booleans(),
    acs=st.lists(
        st.sampled_from(["700/1.1", "701/2.2", "706/1.3"]), min_size=1, max_size=3, unique=True
    ),
    where=st.sampled_from(["p3 para 2", "04:30", "12:30", "", "page 1"]),
)
def test_property_tag_untag_round_trip(tmp_path: Path, fields, body, crlf, acs, where) -> None:
    newline = "\r\n" if crlf else "\n"
    block = yaml.safe_dump(fields, sort_keys=False, allow_unicode=True, width=4096)
    text = "---\n" + block + "---\n" + body
    original = text.replace("\n", newline).encode("utf-8") if crlf else text.encode("utf-8")
    path = tmp_path / "prop.md"
    path.write_bytes(original)
    try:
        before = read_note_file(path)
    except NoteReadError:
        return  # the generated body made the file unreadable as a note; nothing to tag
    tags = [{"ac": ac, "where": where} for ac in acs]
    write_evidence(before, tags)
    middle = read_note_file(path)
    assert middle.metadata["evidence"] == tags
    assert middle.body == before.body
    write_evidence(middle, None)
    assert path.read_bytes() == original


def test_acknowledge_on_a_tagged_note_changes_only_its_own_key(tmp_path: Path) -> None:
    from companion.notes.tags import acknowledge_warning

    head = (
        "---\ntitle: Minutes\n# keep me\nevidence:\n- ac: 700/1.1\n  where: p1\n"
        "acknowledge:\n- missing-ref\ntype: minutes\n---\nBody.\n"
    )
    path = tmp_path / "n.md"
    path.write_text(head)
    assert acknowledge_warning(path, "personal-data") == ["missing-ref", "personal-data"]
    assert path.read_text() == head.replace("- missing-ref\n", "- missing-ref\n- personal-data\n")


@pytest.mark.parametrize(
    ("kind", "text"),
    [
        ("TOML", b'+++\ntitle = "Hugo note"\ndate = 2026-01-01\n+++\nBody\n'),
        ("JSON", b'{\n  "title": "Hugo note"\n}\nBody\n'),
    ],
)
def test_toml_and_json_front_matter_is_refused_and_left_alone(
    tmp_path: Path, kind: str, text: bytes
) -> None:
    from companion.content.load import load_content
    from companion.notes.tags import tag_note

    path = tmp_path / "hugo.md"
    path.write_bytes(text)
    assert read_note_file(path).foreign == kind.lower()
    with pytest.raises(NoteWriteError, match=f"has {kind} front matter"):
        tag_note(path, load_content(), "700/1.1", where="p1")
    assert path.read_bytes() == text


def test_a_note_with_toml_front_matter_is_flagged_not_guessed_at(tmp_path: Path) -> None:
    from companion.assessment.rules import check_note
    from companion.content.load import load_content
    from companion.notes.record import build_record
    from companion.portfolio.profile import Profile
    from companion.text.word_rules import WordCountRules

    path = tmp_path / "hugo.md"
    path.write_bytes(b'+++\ntitle = "Hugo note"\n+++\nBody\n')
    record = build_record(path, "hugo.md", WordCountRules())
    flags = check_note(record, load_content(), Profile())
    assert [(f.code, f.severity) for f in flags] == [("front-matter-not-yaml", "warning")]


HAND_WRITTEN = (
    b"---\ntitle: Board minutes\nevidence:\n"
    b'  - ac: 701/1.1\n    where: "p2"   # the budget item\n'
    b"    tagged: 2026-01-10T09:00:00+00:00\n"
    b"  # the next one is Sam's\n"
    b"  - ac: '702/1.1'\n    where: p4\n"
    b"ref: E9\n---\nBody.\n"
)


def test_adding_a_tag_keeps_hand_written_entries_and_follows_their_style(tmp_path: Path) -> None:
    from companion.content.load import load_content
    from companion.notes.tags import tag_note

    path = tmp_path / "minutes.md"
    path.write_bytes(HAND_WRITTEN)
    tag_note(path, load_content(), "700/1.1", where="p1", now="2026-11-22T10:00:00+00:00")
    written = path.read_bytes()
    kept = HAND_WRITTEN.split(b"ref: E9")[0]
    assert written.startswith(kept)  # every byte of the old entries, comments and all
    assert written == kept + (
        b"  - ac: 700/1.1\n    where: p1\n    tagged: 2026-11-22T10:00:00+00:00\n"
        b"ref: E9\n---\nBody.\n"
    )


def test_retagging_one_entry_changes_only_its_lines(tmp_path: Path) -> None:
    from companion.content.load import load_content
    from companion.notes.tags import tag_note, untag_note

    path = tmp_path / "minutes.md"
    path.write_bytes(HAND_WRITTEN)
    content = load_content()
    tag_note(path, content, "702/1.1", where="p5", now="2026-11-22T10:00:00+00:00")
    written = path.read_bytes()
    assert written.startswith(HAND_WRITTEN.split(b"  - ac: '702/1.1'")[0])
    assert (
        b"  - ac: 702/1.1\n    where: p5\n    tagged: 2026-11-22T10:00:00+00:00\nref: E9" in written
    )
    untag_note(path, content, "702/1.1")
    assert (
        path.read_bytes() == HAND_WRITTEN.split(b"  # the next one")[0] + b"ref: E9\n---\nBody.\n"
    )


def test_tag_then_untag_of_an_empty_front_matter_block_gives_back_the_block(
    tmp_path: Path,
) -> None:
    from companion.content.load import load_content
    from companion.portfolio.portfolio import Portfolio

    root = tmp_path / "p"
    root.mkdir()
    (root / "companion.yaml").write_text("learner: Sam\n")
    empty, bare = root / "empty.md", root / "bare.md"
    empty.write_bytes(b"---\n---\nBody\n")
    bare.write_bytes(b"Body\n")
    portfolio = Portfolio(root, load_content())
    for path in (empty, bare):
        original = path.read_bytes()
        portfolio.tag(path, "700/1.1", where="p1")
        assert b"ac: 700/1.1" in path.read_bytes()
        portfolio.untag(path, "700/1.1")
        assert path.read_bytes() == original, path.name
    portfolio.close()
