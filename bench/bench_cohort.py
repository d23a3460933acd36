"""Benchmark a tutor's cohort: opening 200 (or more) progress exports of full portfolios.

Each export is the bundled example's, filled out to a full portfolio: every AC with four
pieces of evidence and 120 notes listed, about the size a finished portfolio exports.
Measures opening the cohort (read, validate, build rows) with and without feedback files
beside the exports, and writing one apprentice's Results Sheets. Run:

    python bench/bench_cohort.py [--sizes 50 200 500] [--repeat 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_engine import timed
from companion.assessment.status import build_status
from companion.content.load import load_content
from companion.exports.progress import progress_document
from companion.portfolio.example import copy_example
from companion.portfolio.portfolio import Portfolio
from companion.review.cohort import load_cohort
from companion.review.feedback import PASS, open_feedback, save_feedback
from companion.review.progress_file import read_progress_export
from companion.review.results_sheet import results_document, write_results


def full_export(work: Path) -> dict:
    content = load_content()
    root = copy_example(work / "example")
    portfolio = Portfolio(root, content, use_store=False)
    portfolio.scan()
    data = progress_document(build_status(portfolio))
    for unit in data["units"]:
        for criterion in unit["criteria"]:
            criterion["status"] = "sufficient"
            criterion["evidence"] = [
                {
                    "note": f"evidence/{i:03d}.md",
                    "ref": f"E{i:03d}",
                    "title": f"Evidence {i}",
                    "where": "p2 para 3",
                    "tagged": "2026-06-01T10:00:00+00:00",
                }
                for i in range(4)
            ]
    data["notes"] = [
        {
            "path": f"evidence/{i:03d}.md",
            "words": 900,
            "error": False,
            "title": f"Evidence {i}",
            "ref": f"E{i:03d}",
            "date": "2026-06-01",
            "type": "report",
            "tags": ["700/1.1"],
        }
        for i in range(120)
    ]
    return data


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 200, 500])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        data = full_export(work)
        raw = json.dumps(data, indent=2)
        print(f"one export: {len(raw) / 1024:.0f} KB")
        print(f"{'exports':>8} {'open cohort':>12} {'with feedback':>14}")
        for size in args.sizes:
            folder = work / f"cohort-{size}"
            folder.mkdir()
            for i in range(size):
                (folder / f"learner-{i:04d}.json").write_text(raw, encoding="utf-8")
            plain = timed(lambda f=folder: load_cohort([f]), args.repeat)
            for path in sorted(folder.glob("*.json")):
                file = open_feedback(read_progress_export(path))
                file.feedback.record("700/1.1", PASS, "Clear and well evidenced.", dt.date.today())
                save_feedback(file)
            with_feedback = timed(lambda f=folder: load_cohort([f]), args.repeat)
            print(f"{size:>8} {plain:>11.3f}s {with_feedback:>13.3f}s")
        export = read_progress_export(work / f"cohort-{args.sizes[0]}" / "learner-0000.json")
        feedback = open_feedback(export).feedback
        content = load_content()
        out = work / "results.docx"
        docx = timed(
            lambda: write_results(results_document(feedback, content, []), "docx", out), args.repeat
        )
        print(f"Results Sheets, all seven units, DOCX: {docx:.3f}s")


if __name__ == "__main__":
    main()
