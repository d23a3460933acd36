"""Encoding and decoding note records for the index: the app's codec against msgspec.

The rows are real records: the notes of ``bench/corpus.py`` read by ``build_record``,
repeated with distinct paths to ``--rows``. Each codec encodes every row and decodes it
back, timed with ``timeit`` (best of --repeat, CPU time of this process). The msgspec
figures decode into typed ``Struct`` mirrors of the record, the fastest it offers; they
are printed only when msgspec is installed. Run:

    python bench/bench_record_codec.py [--rows 10000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import timeit
from collections.abc import Callable
from dataclasses import is_dataclass, replace
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.corpus import generate
from companion.notes import record as record_module
from companion.notes.record import NoteRecord, build_record
from companion.text.word_rules import WordCountRules

try:
    import msgspec
except ImportError:  # measured only where it is installed
    msgspec = None

if msgspec is not None:

    class TagS(msgspec.Struct, array_like=True, frozen=True, omit_defaults=True):
        ac: str
        where: str = ""
        tagged: str = ""
        counts: dict[str, tuple[str, ...]] = {}
        covers: tuple[str, ...] = ()

    class ProblemS(msgspec.Struct, array_like=True, frozen=True):
        kind: str
        line: int
        shown: str
        hint: str
        source: dict[str, Any] | None
        written: str

    class RecordS(msgspec.Struct, array_like=True, omit_defaults=True):
        path: str
        mtime_ns: int = 0
        size: int = 0
        fields: dict[str, Any] = {}
        tags: tuple[TagS, ...] = ()
        tag_problems: tuple[str, ...] = ()
        words: int = 0
        word_parts: dict[str, int] = {}
        urls: int = 0
        link_only: bool = False
        emails: tuple[str, ...] = ()
        phones: tuple[str, ...] = ()
        citations: int = 0
        reference_entries: int = 0
        has_reference_section: bool = False
        citation_problems: tuple[ProblemS, ...] = ()
        more_problems: int = 0


def sample_records(rows: int) -> list[NoteRecord]:
    """``rows`` records made from 200 generated notes, each with its own path."""
    with tempfile.TemporaryDirectory() as folder:
        root = generate(Path(folder) / "p", 200)
        notes = sorted((root / "notes").rglob("*.md"))
        rules = WordCountRules()
        made = [build_record(n, n.relative_to(root).as_posix(), rules) for n in notes]
    copy = replace if is_dataclass(made[0]) else _struct_replace
    return [copy(made[i % len(made)], path=f"notes/{i:06d}.md") for i in range(rows)]


def _struct_replace(record: Any, **changes: Any) -> Any:
    import msgspec

    return msgspec.structs.replace(record, **changes)


def app_codec() -> tuple[Callable[[NoteRecord], Any], Callable[[Any], Any]]:
    """The codec of the checkout this runs in: ``encode_row``/``decode_row`` where the
    record has them, else the JSON mapping (``to_row``, ``json.loads`` + ``from_json``)."""
    encode = getattr(record_module, "encode_row", None)
    decode = getattr(record_module, "decode_row", None)
    if encode is not None and decode is not None:
        return encode, decode
    return (
        lambda r: json.dumps(r.to_row(), separators=(",", ":")),
        lambda text: NoteRecord.from_json(json.loads(text)),
    )


def msgspec_codec(
    records: list[NoteRecord],
) -> tuple[list[object], Callable[[object], bytes], Callable[[bytes], object]] | None:
    """Typed msgspec mirrors of the records, and their array-like JSON codec."""
    if msgspec is None:
        return None

    mirrors = []
    for r in records:
        tags = tuple(
            TagS(t.ac, t.where, t.tagged, dict(t.counts), tuple(t.covers))
            if hasattr(t, "ac")
            else TagS(
                t["ac"],
                t.get("where", ""),
                t.get("tagged", ""),
                {k: tuple(v) for k, v in t.get("counts", {}).items()},
                tuple(t.get("covers", ())),
            )
            for t in r.tags
        )
        problems = tuple(
            ProblemS(*p) if isinstance(p, list) else ProblemS(*_problem_fields(p))
            for p in r.citation_problems
            if not (isinstance(p, list) and p[0] == "more")
        )
        mirrors.append(
            RecordS(
                r.path,
                r.mtime_ns,
                r.size,
                r.fields,
                tags,
                tuple(r.tag_problems),
                r.words,
                dict(r.word_parts),
                r.urls,
                r.link_only,
                tuple(r.emails),
                tuple(r.phones),
                r.citations,
                r.reference_entries,
                r.has_reference_section,
                problems,
            )
        )
    encoder = msgspec.json.Encoder()
    decoder = msgspec.json.Decoder(RecordS)
    return mirrors, encoder.encode, decoder.decode


def _problem_fields(problem: Any) -> tuple[object, ...]:
    source = problem.source.to_json() if problem.source is not None else None
    return (problem.kind, problem.line, problem.shown, problem.hint, source, problem.written)


def best(fn: Callable[[], object], repeat: int) -> float:
    """Best CPU seconds of ``repeat`` runs of ``fn``."""
    timer = timeit.Timer(fn, timer=time.process_time)
    return min(timer.repeat(repeat=repeat, number=1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    records = sample_records(args.rows)
    encode, decode = app_codec()
    rows = [encode(r) for r in records]
    size = sum(len(r) for r in rows) / len(rows)
    assert all(decode(row) == r for row, r in zip(rows, records, strict=True))
    figures = {
        "app encode": best(lambda: [encode(r) for r in records], args.repeat),
        "app decode": best(lambda: [decode(row) for row in rows], args.repeat),
    }
    print(f"{args.rows:,} rows, app row {size:,.0f} characters on average")
    mirrored = msgspec_codec(records)
    if mirrored is not None:
        mirrors, m_encode, m_decode = mirrored
        m_rows = [m_encode(m) for m in mirrors]
        m_size = sum(len(r) for r in m_rows) / len(m_rows)
        figures["msgspec encode"] = best(lambda: [m_encode(m) for m in mirrors], args.repeat)
        figures["msgspec decode"] = best(lambda: [m_decode(row) for row in m_rows], args.repeat)
        print(f"msgspec row {m_size:,.0f} bytes on average")
    for name, seconds in figures.items():
        print(f"  {name:<16} {seconds * 1000:8.1f} ms  ({seconds / args.rows * 1e6:5.2f} µs a row)")


if __name__ == "__main__":
    main()
