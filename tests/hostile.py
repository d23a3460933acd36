"""A generated corpus of awkward and hostile notes and files, for the tests that use it.

Each entry is something a real portfolio has met or could meet: notes from other tools,
files damaged in transit, and input made to break a parser. ``build_portfolio`` writes
them all into one portfolio folder (with a file outside it that nothing may touch) and
returns what it made.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

HEAD = "title: T\nref: E{n:03d}\ndate: 2026-01-10\nlearner: Sam Lee\ntype: report\n"


def _nested_flow(depth: int) -> str:
    return "deep: " + "[" * depth + "x" + "]" * depth + "\n"


def _nested_block(depth: int) -> str:
    return "deep:\n" + "".join("  " * i + "- \n" for i in range(1, depth))


def _laughs(levels: int = 8, width: int = 9) -> str:
    lines = ['a0: &a0 "lol"']
    for level in range(1, levels + 1):
        refs = ", ".join(f"*a{level - 1}" for _ in range(width))
        lines.append(f"a{level}: &a{level} [{refs}]")
    return "\n".join(lines) + "\n"


TEXT_NOTES: dict[str, str] = {
    "date-feb-30": "---\n" + HEAD.replace("2026-01-10", "2026-02-30") + "---\nBody\n",
    "date-month-13": "---\n" + HEAD.replace("2026-01-10", "2026-13-01") + "---\nBody\n",
    "date-year-0": "---\n" + HEAD.replace("2026-01-10", "0000-01-01") + "---\nBody\n",
    "date-hour-25": "---\n" + HEAD.replace("2026-01-10", "2026-01-10 25:00:00") + "---\nB\n",
    "recursive-alias": "---\ntitle: T\nloop: &t [*t]\n---\nBody\n",
    "date-as-key": "---\ntitle: T\n2026-01-01: new year\n---\nBody\n",
    "binary-value": "---\ntitle: T\nblob: !!binary aGVsbG8=\n---\nBody\n",
    "set-value": "---\ntitle: T\nthings: !!set {a, b}\n---\nBody\n",
    "duration-inf": "---\n"
    + HEAD.replace("report", "recording")
    + "recording: {duration: .inf, introduction: true}\n---\nBody\n",
    "duration-nan": "---\n"
    + HEAD.replace("report", "recording")
    + "recording: {duration: .nan, introduction: true}\n---\nBody\n",
    "flow-nested-600": "---\ntitle: T\n" + _nested_flow(600) + "---\nBody\n",
    "flow-nested-990": "---\ntitle: T\n" + _nested_flow(990) + "---\nBody\n",
    "block-nested-900": "---\ntitle: T\n" + _nested_block(900) + "---\nBody\n",
    "billion-laughs": "---\ntitle: T\n" + _laughs() + "---\nBody\n",
    "front-matter-list": "---\n- a\n- b\n---\nBody\n",
    "front-matter-text": "---\njust words\n---\nBody\n",
    "unclosed-flow": "---\ntitle: [oops\n---\nBody\n",
    "duplicate-keys": "---\ntitle: One\ntitle: Two\n---\nBody\n",
    "evidence-not-a-list": "---\ntitle: T\nevidence: yes\n---\nBody\n",
    "evidence-bad-entry": "---\ntitle: T\nevidence:\n- 42\n- {where: p1}\n---\nBody\n",
    "tags-wrong-types": "---\ntitle: T\nevidence:\n- {ac: 700/1.1, counts: [1, 2], covers: 7}\n---\nB\n",
    "toml": '+++\ntitle = "Hugo"\n+++\nBody\n',
    "json": '{\n  "title": "Hugo"\n}\nBody\n',
    "control-chars": '---\ntitle: "\\e]0;owned\\a\\e[2J"\nlearner: "\\x01Sam"\n---\nBody\n',
    "huge-line": "---\ntitle: T\n---\n" + "word " * 200_000 + "\n",
    "empty": "",
    "only-dashes": "---\n---\n",
    "crlf": "---\r\ntitle: T\r\n---\r\nBody\r\n",
    "bom": "\ufeff---\ntitle: T\n---\nBody\n",
    "unicode name é 日本": "---\ntitle: Unicode\n---\nBody\n",
    "name\nwith newline": "---\ntitle: Newline\n---\nBody\n",
}
BYTE_NOTES: dict[str, bytes] = {
    "binary": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
    "latin-1": "---\ntitle: café\n---\nBody\n".encode("latin-1"),
    "cp1252": "---\ntitle: “quoted”\n---\nBody\n".encode("cp1252"),
    "utf-16": "---\ntitle: T\n---\nBody\n".encode("utf-16"),
    "utf-32": "---\ntitle: T\n---\nBody\n".encode("utf-32"),
    "huge": b"---\ntitle: big\n---\n" + b"x" * (3 * 1024 * 1024),
}


@dataclass
class Corpus:
    """What ``build_portfolio`` made."""

    root: Path
    outside: Path
    notes: list[Path] = field(default_factory=list)
    special: dict[str, Path] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return len(self.notes) + len(self.special)


def build_portfolio(base: Path) -> Corpus:
    """A portfolio holding every kind above, plus links, a FIFO and read-only files."""
    root = base / "portfolio"
    (root / "notes").mkdir(parents=True)
    (root / "companion.yaml").write_text(
        "learner: Sam Lee\nprogramme_start: 2025-09-01\nplanned_gateway: 2027-03-01\n"
    )
    outside = base / "outside.txt"
    outside.write_text("a file outside the portfolio that nothing may change\n")
    corpus = Corpus(root, outside)
    good = root / "notes" / "good.md"
    good.write_text("---\n" + HEAD.format(n=1) + "---\nA good note.\n")
    corpus.notes.append(good)
    for name, text in TEXT_NOTES.items():
        path = root / "notes" / f"{name}.md"
        path.write_bytes(text.encode("utf-8", "surrogatepass"))
        corpus.notes.append(path)
    for name, data in BYTE_NOTES.items():
        path = root / "notes" / f"{name}.md"
        path.write_bytes(data)
        corpus.notes.append(path)
    bad_name = os.path.join(os.fsencode(root / "notes"), b"caf\xe9.md")
    with open(bad_name, "wb") as handle:
        handle.write(b"---\ntitle: bad name\n---\nBody\n")
    corpus.special["non-utf8-name"] = Path(os.fsdecode(bad_name))
    link_in = root / "notes" / "link-to-outside.md"
    link_in.symlink_to(outside)
    corpus.special["symlink-to-outside"] = link_in
    elsewhere = base / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "far.md").write_text("---\ntitle: Far\n---\nBody\n")
    (root / "linked-folder").symlink_to(elsewhere, target_is_directory=True)
    corpus.special["symlinked-folder"] = root / "linked-folder"
    (root / "notes" / "loop-a.md").symlink_to(root / "notes" / "loop-b.md")
    (root / "notes" / "loop-b.md").symlink_to(root / "notes" / "loop-a.md")
    corpus.special["symlink-loop"] = root / "notes" / "loop-a.md"
    fifo = root / "notes" / "fifo.md"
    os.mkfifo(fifo)
    corpus.special["fifo"] = fifo
    readonly = root / "notes" / "read-only.md"
    readonly.write_text("---\n" + HEAD.format(n=2) + "---\nLocked.\n")
    readonly.chmod(0o444)
    corpus.special["read-only"] = readonly
    linked = root / "notes" / "hard-linked.md"
    linked.write_text("---\n" + HEAD.format(n=3) + "---\nTwice.\n")
    os.link(linked, base / "hard-link-outside.md")
    corpus.special["hard-link"] = linked
    unreadable = root / "notes" / "locked-folder"
    unreadable.mkdir()
    (unreadable / "hidden.md").write_text("---\ntitle: Hidden\n---\nBody\n")
    unreadable.chmod(0o000)
    corpus.special["unreadable-folder"] = unreadable
    feedback = root / "feedback"
    feedback.mkdir()
    os.mkfifo(feedback / "2026-01-01-000000.feedback.json")
    corpus.special["fifo-feedback"] = feedback / "2026-01-01-000000.feedback.json"
    return corpus


def snapshot(base: Path, skip: tuple[Path, ...] = ()) -> dict[str, bytes]:
    """The bytes of every regular file below ``base`` (not following links)."""
    files: dict[str, bytes] = {}
    for folder, dirs, names in os.walk(base, followlinks=False):
        dirs[:] = [d for d in dirs if os.access(os.path.join(folder, d), os.R_OK | os.X_OK)]
        for name in names:
            path = os.path.join(folder, name)
            if any(path.startswith(str(s)) for s in skip):
                continue
            if os.path.islink(path) or not os.path.isfile(path):
                continue
            with open(path, "rb") as handle:
                files[path] = handle.read()
    return files
