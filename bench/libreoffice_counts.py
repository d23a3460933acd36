"""Compare Companion's word counts of the draft fixtures with LibreOffice Writer's.

Writer has no command-line word count, but it writes one into every document it saves
(``meta:word-count`` in an ODF file's ``meta.xml``). For each draft in
``tests/fixtures/drafts`` this writes two plain-text files, the words Companion counts
towards the target and every word of the draft, with the markdown marks a rendered
document would not show taken off (heading marks, bold and italic marks, bullets, table
pipes, setext underlines); converts them with ``soffice --headless --convert-to odt``; and
prints Writer's counts beside Companion's. Run (needs LibreOffice):

    python bench/libreoffice_counts.py
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from companion.text.word_rules import WordCountRules
from companion.text.wordcount import _lines_by_part, breakdown, counted

DRAFTS = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "drafts"
_MARKS = re.compile(r"^\s*(?:#{1,6}\s+|[-*+]\s+|>\s*)|\*\*|__|(?<!\w)[*_]|[*_](?!\w)|\|")
_UNDERLINE = re.compile(r"^\s*(?:=+|-+)\s*$")


def rendered(lines: list[str]) -> str:
    """The lines as a document shows them: no markdown marks, cells parted by tabs."""
    out = []
    for line in lines:
        if _UNDERLINE.match(line):
            continue
        out.append(_MARKS.sub(lambda m: "\t" if m.group() == "|" else "", line))
    return "\n".join(out) + "\n"


def writer_counts(texts: dict[str, str]) -> dict[str, int]:
    """LibreOffice Writer's word count of each text, by name."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name, text in texts.items():
            (folder / f"{name}.txt").write_text(text, encoding="utf-8")
        subprocess.run(
            ["soffice", "--headless", "--convert-to", "odt", "--outdir", tmp]
            + [str(folder / f"{name}.txt") for name in texts],
            check=True,
            capture_output=True,
        )
        found = {}
        for name in texts:
            meta = zipfile.ZipFile(folder / f"{name}.odt").read("meta.xml").decode()
            match = re.search(r'meta:word-count="(\d+)"', meta)
            found[name] = int(match.group(1)) if match else -1
        return found


def main() -> None:
    rules = WordCountRules()
    texts: dict[str, str] = {}
    ours: dict[str, int] = {}
    for path in sorted(DRAFTS.glob("*.md")):
        body = path.read_text(encoding="utf-8")
        parts = breakdown(body, rules)
        # citations left where they stand (they count), so no line is cut around them
        lines = _lines_by_part(body, rules, [])
        kept = [line for part, held in lines.items() if rules.counts(part) for line in held]
        everything = [line for held in lines.values() for line in held]
        texts[f"{path.stem}.counted"] = rendered(kept)
        texts[f"{path.stem}.all"] = rendered(everything)
        ours[f"{path.stem}.counted"] = counted(parts, rules)
        ours[f"{path.stem}.all"] = sum(parts.values())
    writer = writer_counts(texts)
    print(f"{'draft':34} {'counted':>8} {'Writer':>7} {'all':>6} {'Writer':>7}")
    for path in sorted(DRAFTS.glob("*.md")):
        c, a = f"{path.stem}.counted", f"{path.stem}.all"
        print(f"{path.stem:34} {ours[c]:8} {writer[c]:7} {ours[a]:6} {writer[a]:7}")


if __name__ == "__main__":
    main()
