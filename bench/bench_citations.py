"""Time the citation reader per note: the old counting regex against the reader that finds,
parses and matches, on the benchmark portfolio's notes (bench/corpus.py, about 2.3 KB of
body each, five citations and three references).

CPU time of this process (``time.process_time``), the best of several rounds, with the
two readers taking turns so a busy machine slows them alike. Run:

    python bench/bench_citations.py [--notes 2000] [--rounds 7]
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.corpus import note_text
from companion.notes.file import parse_note_text
from companion.text.citation_match import match
from companion.text.citations import find_citations
from companion.text.references import reference_list, section_spans

OLD_CITATION = re.compile(
    r"\(([A-Z][A-Za-z'’\-]+(?: et al\.?| and [A-Z][A-Za-z'’\-]+| & [A-Z][A-Za-z'’\-]+)?),?"
    r" (\d{4}[a-z]?)\)|\b[A-Z][A-Za-z'’\-]+(?: et al\.?)? \((\d{4}[a-z]?)\)"
)
"""The counter the record used before: one regex over the body, a count and nothing else."""


def old(body: str) -> int:
    return len(OLD_CITATION.findall(body)) if "(" in body else 0


def new(body: str) -> int:
    sections = section_spans(body)
    citations = find_citations(body, sections=sections)
    report = match(citations, reference_list(body, sections=sections))
    return len(report.matches)


def find_only(body: str) -> int:
    return len(find_citations(body))


def best_per_note(
    readers: dict[str, Callable[[str], int]], bodies: list[str], rounds: int
) -> dict[str, float]:
    """The best CPU time per note of each reader over ``rounds`` rounds, in microseconds."""
    best = dict.fromkeys(readers, float("inf"))
    for _ in range(rounds):
        for name, reader in readers.items():
            start = time.process_time()
            for body in bodies:
                reader(body)
            best[name] = min(best[name], time.process_time() - start)
    return {name: seconds / len(bodies) * 1e6 for name, seconds in best.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(7)
    bodies = [parse_note_text(note_text(rng, i), Path("n.md"))[3] for i in range(args.notes)]
    size = sum(len(b) for b in bodies) / len(bodies)
    found = sum(find_only(b) for b in bodies) / len(bodies)
    counted = sum(old(b) for b in bodies) / len(bodies)
    print(f"{args.notes} notes, {size:.0f} characters of body each")
    print(f"citations per note: old regex counts {counted:.1f}, the reader finds {found:.1f}")
    readers = {"old regex (count only)": old, "find": find_only, "find + parse + match": new}
    for name, micros in best_per_note(readers, bodies, args.rounds).items():
        print(f"  {name:<24} {micros:6.1f} µs/note")


if __name__ == "__main__":
    main()
