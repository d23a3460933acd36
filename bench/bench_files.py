"""Evidence files as a user meets them: ``companion status`` on a portfolio of real files.

It builds (with bench/evidence_files.py) a portfolio of 300 evidence files, each with its
card beside it: 100 Word documents of about 3,000 words, 100 PDFs of 10 pages, 50 slide
decks of 15 slides and 50 WAV recordings of 5-30 s, plus the example's companion.yaml. Beside
it, the same cards without ``file:``: a portfolio of 300 plain Markdown notes.

Each run is a fresh process, and the rounds take turns (floor, cold, warm, notes, then
again), so a busy spell on the machine slows them alike:

- (a) floor: a fresh interpreter that parses the cards' front matter and extracts the same
  text with the libraries alone (python-docx paragraphs, tables, headers and footers; the
  PDF's per-page text with pypdf, the library companion chose for PDFs, or the one
  --pdf-floor names (pypdfium2 is 3-10 times faster per page; see
  bench/bench_pdf_readers.py for why companion does not use it); python-pptx's
  shapes and notes; tinytag's duration). Reading the files cannot cost less than this, so
  it is what the cold run is held to;
- (b) cold: ``companion status`` with a fresh, empty data folder (nothing cached);
- (c) warm: the same command again, nothing changed;
- (d) notes: ``companion status`` unchanged on the portfolio of plain notes, what a warm run
  costs when there are no files: the floor for (c), since an unchanged file should cost no
  more than an unchanged note.

CPU is user + system time of the child and every descendant it waited for (os.wait4), so
worker processes count; wall time is the parent's clock. Peak memory is the larger of the
child's ru_maxrss (which covers one process at a time) and the summed RSS of the whole
process tree, sampled every 10 ms (which covers workers running side by side). The files are
built in a process of their own, because on Linux a child's ru_maxrss starts from the RSS
of the parent it was forked from (here about 17 MB, below any run's real peak).

It prints min/median/max of each and each ratio (the median of the ratios of each round)
against its goal: cold CPU <= 1.3x floor, warm CPU <= 1.2x notes, peak memory < 150 MB.
It exits 1 if a run failed (the table still prints, naming it). Run:

    python bench/bench_files.py [--repeat 5] [--quick] [--keep DIR] [--pdf-floor pypdfium2]

``--quick`` makes 30 files (10 docx, 10 pdf, 5 pptx, 5 wav) for a smoke run. Until companion
reads the files themselves, the cards are read as notes and the figures measure that.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.evidence_files import make_docx, make_pdf, make_pptx, make_wav

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_PROFILE = ROOT / "companion" / "example_portfolio" / "companion.yaml"
COMPANION = [sys.executable, "-m", "companion"]
LEARNER = "Alex Morgan"

FULL = {"docx": 100, "pdf": 100, "pptx": 50, "wav": 50}
QUICK = {"docx": 10, "pdf": 10, "pptx": 5, "wav": 5}

GOALS = {"cold / floor": 1.3, "warm / notes": 1.2}
RATIOS = {"cold / floor": ("cold", "floor"), "warm / notes": ("warm", "notes")}
"""Each ratio's two runs (what is measured, what it is held against), compared by CPU."""
RSS_GOAL_MB = 150.0

FLOOR = r"""
import os, sys, yaml
import docx, pptx
from tinytag import TinyTag
pdfium = None
if sys.argv[2] in ("auto", "pypdfium2"):
    try:
        import pypdfium2 as pdfium
    except ImportError:
        if sys.argv[2] == "pypdfium2":
            raise
if pdfium is None:
    import pypdf

def read_docx(path):
    document = docx.Document(path)
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    for section in document.sections:
        parts.extend(p.text for p in section.header.paragraphs)
        parts.extend(p.text for p in section.footer.paragraphs)
    return "\n".join(parts)

def read_pdf(path):
    if pdfium is not None:
        pdf = pdfium.PdfDocument(path)
        try:
            return "\f".join(page.get_textpage().get_text_range() for page in pdf)
        finally:
            pdf.close()
    return "\f".join(page.extract_text() for page in pypdf.PdfReader(path).pages)

def read_pptx(path):
    parts = []
    for slide in pptx.Presentation(path).slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
        if slide.has_notes_slide:
            parts.append(slide.notes_slide.notes_text_frame.text)
    return "\n".join(parts)

def read_audio(path):
    return str(TinyTag.get(path).duration)

READERS = {".docx": read_docx, ".pdf": read_pdf, ".pptx": read_pptx, ".wav": read_audio}
total = 0
for folder, _, names in os.walk(sys.argv[1]):
    for name in names:
        path = os.path.join(folder, name)
        if name.endswith(".md"):
            with open(path, "rb") as handle:
                text = handle.read().decode("utf-8")
            if text.startswith("---"):
                yaml.load(text[4:text.find("\n---", 3)], Loader=yaml.CSafeLoader)
        else:
            reader = READERS.get(os.path.splitext(name)[1])
            if reader is not None:
                total += len(reader(path))
print(total)
"""
"""The floor: front matter with libyaml and every file's text with its library alone."""

_TYPES = {"docx": "report", "pdf": "report", "pptx": "presentation", "wav": "recording"}
_FOLDERS = {"docx": "documents", "pdf": "reports", "pptx": "slides", "wav": "recordings"}


# ----------------------------------------------------------------------------------------
# The portfolios
# ----------------------------------------------------------------------------------------


def _card(number: int, kind: str, name: str, *, with_file: bool) -> str:
    """A minimal card: the handbook's header fields, a type and (for files) the file."""
    day = date(2025, 9, 15) + timedelta(days=number * 2)
    lines = [
        "---",
        f"title: Evidence {number} — {_TYPES[kind]} ({kind})",
        f"ref: E{number:03d}",
        f"date: {day.isoformat()}",
        f"learner: {LEARNER}",
        f"type: {_TYPES[kind]}",
    ]
    if with_file:
        lines.append(f"file: {name}")
    if kind == "wav":
        lines += ["recording:", "  introduction: true"]
    lines += ["---", "", f"Evidence ref E{number:03d} · {LEARNER} · {day:%d %B %Y}", ""]
    return "\n".join(lines)


def build(base: Path, counts: dict[str, int]) -> tuple[Path, Path]:
    """The portfolio of files with cards, and beside it the one of the same cards as notes.

    Files are seeded by their number, so two builds are the same; the WAV recordings are
    8 kHz 8-bit mono of 5 to 30 seconds, which keeps 50 of them under 7 MB.
    """
    files, notes = base / "files-portfolio", base / "notes-portfolio"
    for root in (files, notes):
        root.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(EXAMPLE_PROFILE, root / "companion.yaml")
    number = 0
    for kind, count in counts.items():
        for index in range(count):
            number += 1
            name = f"evidence-{number:03d}.{kind}"
            folder = files / _FOLDERS[kind]
            path = folder / name
            ref = f"E{number:03d}"
            day = date(2025, 9, 15) + timedelta(days=number * 2)
            margin = f"{LEARNER} · {ref} · {day.day} {day:%B %Y}"
            title = f"Evidence {number}"
            if kind == "docx":
                make_docx(
                    path,
                    title=title,
                    words=3000,
                    header_text=margin,
                    created=day,
                    author=LEARNER,
                    seed=number,
                )
            elif kind == "pdf":
                make_pdf(
                    path,
                    title=title,
                    pages=10,
                    footer_lines=[margin],
                    created=day,
                    author=LEARNER,
                    seed=number,
                )
            elif kind == "pptx":
                make_pptx(
                    path,
                    title=title,
                    count=15,
                    footer_text=margin,
                    created=day,
                    author=LEARNER,
                    seed=number,
                )
            else:
                make_wav(path, 5 + (index * 7) % 26, seed=number)
            (folder / f"{name}.md").write_text(
                _card(number, kind, name, with_file=True), encoding="utf-8"
            )
            (notes / _FOLDERS[kind]).mkdir(exist_ok=True)
            (notes / _FOLDERS[kind] / f"{name}.md").write_text(
                _card(number, kind, name, with_file=False), encoding="utf-8"
            )
    return files, notes


def _pdf_library(choice: str) -> str:
    """The PDF library the floor will use for ``choice``."""
    if choice != "auto":
        return choice
    try:
        import pypdfium2  # noqa: F401  (only asked whether it is there)
    except ImportError:
        return "pypdf"
    return "pypdfium2"


def _disk_mb(root: Path) -> float:
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file()) / 1e6


# ----------------------------------------------------------------------------------------
# Measuring one fresh process
# ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Run:
    """One fresh process: CPU (user + system, with its waited-for descendants), wall time,
    peak memory, and why it failed if it did."""

    cpu: float
    wall: float
    rss_mb: float
    error: str = ""


def _tree(pid: int) -> list[int]:
    """``pid`` and its descendants, from /proc's children lists (Linux)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            tasks = os.listdir(f"/proc/{current}/task")
        except OSError:
            continue
        for task in tasks:
            try:
                with open(f"/proc/{current}/task/{task}/children") as handle:
                    todo.extend(int(child) for child in handle.read().split())
            except OSError:
                pass
    return found


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


class TreeSampler(threading.Thread):
    """Samples the summed RSS of a process tree until stopped: ru_maxrss is the peak of one
    process, and workers running side by side add up."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_kb = 0
        self.done = threading.Event()

    def run(self) -> None:
        if not os.path.isdir("/proc"):
            return
        while not self.done.is_set():
            self.peak_kb = max(self.peak_kb, sum(_rss_kb(p) for p in _tree(self.pid)))
            self.done.wait(0.01)


def run_once(argv: list[str], env: dict[str, str]) -> Run:
    """Run ``argv`` as a fresh process with its output thrown away, and measure it.

    A run that exits other than 0 or 1 (status's "something to fix") comes back with its
    error, so the table still prints and says which runs failed.
    """
    start = time.perf_counter()
    process = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    sampler = TreeSampler(process.pid)
    sampler.start()
    stderr = b""
    if process.stderr:
        stderr = process.stderr.read()  # drains it, so a chatty child cannot block
        process.stderr.close()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    sampler.done.set()
    sampler.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    error = ""
    if process.returncode not in (0, 1):
        lines = stderr.decode(errors="replace").strip().splitlines()
        error = f"exit {process.returncode}: {lines[-1] if lines else ''}"
    rss_mb = max(usage.ru_maxrss, sampler.peak_kb) / 1024
    return Run(usage.ru_utime + usage.ru_stime, wall, rss_mb, error)


def _env(data: Path) -> dict[str, str]:
    """This checkout's companion with bytecode caches on (see bench_scale._env for why)."""
    env = {**os.environ, "COMPANION_DATA_DIR": str(data), "PYTHONPATH": str(ROOT)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def measure(
    files: Path, notes: Path, work: Path, repeat: int, pdf_library: str = "auto"
) -> dict[str, list[Run]]:
    """Every run of every round, by name; the rounds take turns (a, b, c, d, a, b, c, d…)."""
    notes_env = _env(work / "notes-data")
    run_once([*COMPANION, "status", str(notes)], notes_env)  # so (d) is unchanged, not cold
    runs: dict[str, list[Run]] = {name: [] for name in ("floor", "cold", "warm", "notes")}
    for round_number in range(repeat):
        data = Path(tempfile.mkdtemp(prefix=f"cold{round_number}-", dir=work))
        env = _env(data)
        steps: list[tuple[str, list[str], dict[str, str]]] = [
            ("floor", [sys.executable, "-c", FLOOR, str(files), pdf_library], env),
            ("cold", [*COMPANION, "status", str(files)], env),
            ("warm", [*COMPANION, "status", str(files)], env),
            ("notes", [*COMPANION, "status", str(notes)], notes_env),
        ]
        for name, argv, step_env in steps:
            runs[name].append(run_once(argv, step_env))
        shutil.rmtree(data, ignore_errors=True)
    return runs


# ----------------------------------------------------------------------------------------
# The table
# ----------------------------------------------------------------------------------------


def _spread(values: list[float]) -> str:
    return f"{min(values):7.3f} {statistics.median(values):7.3f} {max(values):7.3f}"


def report(runs: dict[str, list[Run]]) -> bool:
    """Print the table; True when every run succeeded."""
    print(f"\n  {'run':<8} {'CPU s min/median/max':>24} {'wall s min/median/max':>24}  peak MB")
    for name, values in runs.items():
        print(
            f"  {name:<8} {_spread([r.cpu for r in values]):>24} "
            f"{_spread([r.wall for r in values]):>24}  {max(r.rss_mb for r in values):7.1f}"
        )
    failed = {name: r.error for name, values in runs.items() for r in values if r.error}
    for name, error in failed.items():
        print(f"  FAILED {name}: {error}")
    print()
    for label, (top, bottom) in RATIOS.items():
        ratios = [a.cpu / b.cpu for a, b in zip(runs[top], runs[bottom], strict=True) if b.cpu]
        value = statistics.median(ratios)
        goal = GOALS[label]
        mark = "ok" if value <= goal and not failed else "OVER" if value > goal else "FAILED"
        print(
            f"  {label + ' (CPU)':<22} {value:6.2f}  (rounds {min(ratios):.2f}-{max(ratios):.2f})"
            f"  goal <= {goal}x  {mark}"
        )
    for name in ("cold", "warm"):
        peak = max(r.rss_mb for r in runs[name])
        mark = "ok" if peak < RSS_GOAL_MB else "OVER"
        print(f"  {'peak memory ' + name:<22} {peak:6.1f} MB  goal < {RSS_GOAL_MB:.0f} MB  {mark}")
    return not failed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="rounds (default 5)")
    parser.add_argument("--quick", action="store_true", help="30 files, for a smoke run")
    parser.add_argument(
        "--keep", type=Path, help="build the portfolios in DIR and keep them (reused if there)"
    )
    parser.add_argument(
        "--pdf-floor",
        choices=["auto", "pypdfium2", "pypdf"],
        default="pypdf",
        help="the floor's PDF library (default pypdf, the one companion reads PDFs with and "
        "the goal is set against; pypdfium2 shows what the fastest reader would cost; auto: "
        "pypdfium2 if importable, else pypdf)",
    )
    parser.add_argument("--build-only", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    counts = QUICK if args.quick else FULL
    if args.build_only:
        build(args.build_only, counts)
        return
    with tempfile.TemporaryDirectory() as tmp:
        base = args.keep or Path(tmp)
        start = time.perf_counter()
        if args.keep and (base / "files-portfolio" / "companion.yaml").is_file():
            how = "reused"
        else:
            # In a process of its own: a child's ru_maxrss starts at the RSS of the parent it
            # was forked from, so this process must stay small (no office libraries loaded).
            argv = [sys.executable, __file__, "--build-only", str(base)]
            subprocess.run([*argv, *(["--quick"] if args.quick else [])], check=True)
            how = "built"
        files, notes = base / "files-portfolio", base / "notes-portfolio"
        built = time.perf_counter() - start
        total = sum(counts.values())
        print(
            f"{total} evidence files ({', '.join(f'{n} {k}' for k, n in counts.items())}) "
            f"and {total} cards: {_disk_mb(files):.1f} MB, {how} in {built:.1f} s; "
            f"{args.repeat} round(s), fresh process each run"
        )
        work = Path(tmp) / "work"
        work.mkdir()
        print(f"floor reads PDFs with {_pdf_library(args.pdf_floor)}")
        runs = measure(files, notes, work, args.repeat, args.pdf_floor)
        ok = report(runs)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
