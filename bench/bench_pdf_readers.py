"""pypdf against pypdfium2 for reading apprentices' PDFs: time, memory and fidelity.

It builds a corpus of real-ish PDFs (reportlab and fpdf2 with core and embedded fonts, and
LibreOffice from Word documents when ``soffice`` is on the PATH), each with the source text
it was made from, then for each reader and file runs a fresh interpreter --repeat times
that opens the file and extracts every page's text. It prints, per reader:

- extraction CPU time per page (median of the runs, the import left out) and the import's;
- peak memory (max RSS) of the process, and of the bare import;
- words found of the source's words (a multiset: each source word found once counts);
- whether £, é, curly quotes and ligatures come out as the characters they are, a hyphen
  at a line's end is kept (so it can be joined), and two columns come out column by
  column;

and, with --companion, the same figures for ``companion.evidence.pdf_reader.read_pdf``.
reportlab and fpdf2 are needed only here (``pip install reportlab fpdf2``). Run:

    python bench/bench_pdf_readers.py [--repeat 3] [--keep DIR] [--companion]
"""

from __future__ import annotations

import argparse
import collections
import json
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")

VOCABULARY = (
    "the apprentice led a review of office workflow and found efficient ways to reduce "
    "waste across teams; final figures showed affluent gains in staff confidence while "
    "senior leaders agreed budgets of £250 for the café project and the team’s "
    "“quick wins” were shared with stakeholders under the strategic plan for "
    "organisational change including coaching mentoring governance and risk"
)
WORDS = tuple(VOCABULARY.split())

RUNNER = r"""
import json, sys, time

def hwm():
    # VmHWM: unlike ru_maxrss it starts afresh at exec, so the parent's size is not counted
    with open("/proc/self/status") as status:
        return next(int(l.split()[1]) for l in status if l.startswith("VmHWM"))

reader, path = sys.argv[1], sys.argv[2]
t0 = time.process_time()
if reader == "pypdf":
    import pypdf
elif reader == "pypdfium2":
    import pypdfium2
else:
    from companion.evidence.pdf_reader import read_pdf
    from companion.evidence.limits import DEFAULT_LIMITS
    from pathlib import Path
import_cpu = time.process_time() - t0
rss_import = hwm()
t0 = time.process_time()
pages = []
error = ""
try:
  if reader == "pypdf":
    doc = pypdf.PdfReader(path)
    pages = [page.extract_text() for page in doc.pages]
  elif reader == "pypdfium2":
    doc = pypdfium2.PdfDocument(path)
    for index in range(len(doc)):
        page = doc[index]
        textpage = page.get_textpage()
        pages.append(textpage.get_text_bounded())
        textpage.close()
        page.close()
    doc.close()
  else:
    import os
    got = read_pdf(Path(path), os.path.getsize(path), DEFAULT_LIMITS)
    pages = [got.text]
    error = got.problem.code if got.problem else ""
except Exception as exc:
    error = type(exc).__name__
cpu = time.process_time() - t0
rss = hwm()
print(json.dumps({"import_cpu": import_cpu, "cpu": cpu, "rss_kb": rss, "error": error,
                  "rss_import_kb": rss_import, "text": "\n".join(pages)}))
"""


def sentences(rng: random.Random, count: int) -> list[str]:
    """Paragraph-length runs of the vocabulary, with its special characters mixed in."""
    out = []
    for _ in range(count):
        words = [rng.choice(WORDS) for _ in range(rng.randint(40, 90))]
        out.append(" ".join(words).capitalize() + ".")
    return out


def build_corpus(folder: Path) -> dict[str, dict[str, object]]:
    """Each PDF's path and the source it was made from (text, page count, what it tests)."""
    corpus: dict[str, dict[str, object]] = {}
    rng = random.Random(7)
    _reportlab(folder, rng, corpus)
    _fpdf(folder, rng, corpus)
    if shutil.which("soffice"):
        _libreoffice(folder, rng, corpus)
    return corpus


def _reportlab(folder: Path, rng: random.Random, corpus: dict[str, dict[str, object]]) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas
    from reportlab.platypus import (
        BaseDocTemplate,
        Frame,
        PageTemplate,
        Paragraph,
        SimpleDocTemplate,
        Table,
    )

    pdfmetrics.registerFont(TTFont("DejaVu", str(FONT)))
    styles = getSampleStyleSheet()

    def header_footer(can: canvas.Canvas, doc: object) -> None:
        can.saveState()
        can.setFont("Helvetica", 8)
        can.drawString(72, A4[1] - 40, "Evidence portfolio - Sam Lee")
        can.drawString(72, 30, f"Page {can.getPageNumber()}")
        can.restoreState()

    for name, paragraphs, font, compress in (
        ("rl-report-short", 30, "Helvetica", 1),
        ("rl-report-long", 1000, "Helvetica", 1),
        ("rl-ttf-short", 30, "DejaVu", 1),
        ("rl-uncompressed", 30, "Helvetica", 0),
        ("rl-ttf-long", 120, "DejaVu", 1),
    ):
        texts = sentences(rng, paragraphs)
        style = styles["BodyText"].clone("b", fontName=font)
        path = folder / f"{name}.pdf"
        doc = SimpleDocTemplate(str(path), pagesize=A4, pageCompression=compress)
        doc.build(
            [Paragraph(t, style) for t in texts],
            onFirstPage=header_footer,
            onLaterPages=header_footer,
        )
        corpus[name] = {"path": path, "text": "\n".join(texts), "tests": "body"}

    # Two columns: column one ends with ALPHAEND, column two starts with BETASTART.
    path = folder / "rl-two-columns.pdf"
    left = sentences(rng, 3)
    right = sentences(rng, 3)
    left[-1] += " ALPHAEND"
    right[0] = "BETASTART " + right[0]
    doc2 = BaseDocTemplate(str(path), pagesize=A4)
    width = (A4[0] - 144 - 18) / 2
    frames = [
        Frame(72, 72, width, A4[1] - 144, id="left"),
        Frame(72 + width + 18, 72, width, A4[1] - 144, id="right"),
    ]
    doc2.addPageTemplates([PageTemplate(frames=frames)])
    from reportlab.platypus import FrameBreak

    flow = [Paragraph(t, styles["BodyText"]) for t in left]
    flow.append(FrameBreak())
    flow += [Paragraph(t, styles["BodyText"]) for t in right]
    doc2.build(flow)
    corpus["rl-two-columns"] = {"path": path, "text": "\n".join(left + right), "tests": "columns"}

    # Hyphenated line ends, drawn line by line as a typesetter would.
    path = folder / "rl-hyphen.pdf"
    can = canvas.Canvas(str(path), pagesize=A4)
    can.setFont("Helvetica", 11)
    lines = [
        "The review showed that manage-",
        "ment of the rota needed a well-",
        "Known owner and a clear sched-",
        "ule agreed with the team.",
    ]
    for i, line in enumerate(lines):
        can.drawString(72, 700 - 14 * i, line)
    can.save()
    corpus["rl-hyphen"] = {
        "path": path,
        "text": "The review showed that management of the rota needed a well- Known owner "
        "and a clear schedule agreed with the team.",
        "tests": "hyphen",
    }

    # Ligature glyphs as a typesetter emits them (U+FB01, U+FB02 in the font's cmap).
    path = folder / "rl-ligatures.pdf"
    can = canvas.Canvas(str(path), pagesize=A4)
    can.setFont("DejaVu", 12)
    can.drawString(72, 700, "The ﬁnal ofﬁce workﬂow was efﬁcient.")
    can.save()
    corpus["rl-ligatures"] = {
        "path": path,
        "text": "The final office workflow was efficient.",
        "tests": "ligatures",
    }

    path = folder / "rl-table.pdf"
    rows = [["Unit", "Hours", "Cost"]] + [
        [f"Unit {i}", str(i * 3), f"£{i * 40}"] for i in range(1, 30)
    ]
    SimpleDocTemplate(str(path), pagesize=A4).build([Table(rows)])
    corpus["rl-table"] = {
        "path": path,
        "text": "\n".join(" ".join(r) for r in rows),
        "tests": "table",
    }


def _fpdf(folder: Path, rng: random.Random, corpus: dict[str, dict[str, object]]) -> None:
    from fpdf import FPDF

    for name, paragraphs, ttf in (
        ("fpdf-core", 30, False),
        ("fpdf-ttf-short", 30, True),
        ("fpdf-ttf-long", 300, True),
    ):
        texts = sentences(rng, paragraphs)
        pdf = FPDF()
        if ttf:
            pdf.add_font("DejaVu", "", str(FONT))
            pdf.set_font("DejaVu", size=11)
        else:
            pdf.set_font("Helvetica", size=11)
        pdf.add_page()
        for t in texts:
            body = t
            if not ttf:
                body = t.replace("’", "'").replace("“", '"').replace("”", '"')
            pdf.multi_cell(0, 6, body)
            pdf.ln(4)
        path = folder / f"{name}.pdf"
        pdf.output(str(path))
        source = "\n".join(texts)
        if not ttf:
            source = source.replace("’", "'").replace("“", '"').replace("”", '"')
        corpus[name] = {"path": path, "text": source, "tests": "body"}

    texts = sentences(rng, 6)
    texts[2] += " ALPHAEND"
    texts[3] = "BETASTART " + texts[3]
    pdf = FPDF()
    pdf.add_font("DejaVu", "", str(FONT))
    pdf.set_font("DejaVu", size=10)
    pdf.add_page()
    with pdf.text_columns(ncols=2) as cols:
        for i, t in enumerate(texts):
            cols.write(t + "\n\n")
            if i == 2:
                cols.new_column()
    path = folder / "fpdf-two-columns.pdf"
    pdf.output(str(path))
    corpus["fpdf-two-columns"] = {"path": path, "text": "\n".join(texts), "tests": "columns"}


def _libreoffice(folder: Path, rng: random.Random, corpus: dict[str, dict[str, object]]) -> None:
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    made: list[tuple[str, list[str], str]] = []
    for name, paragraphs, columns in (
        ("lo-report-short", 40, 1),
        ("lo-report-long", 180, 1),
        ("lo-two-columns", 12, 2),
    ):
        texts = sentences(rng, paragraphs)
        if columns == 2:
            texts = texts[:6]
            texts[2] += " ALPHAEND"
            texts[3] = "BETASTART " + texts[3]
        document = docx.Document()
        section = document.sections[0]
        section.header.paragraphs[0].text = "Evidence portfolio - Sam Lee"
        section.footer.paragraphs[0].text = "Confidential draft"
        if columns == 2:
            cols = OxmlElement("w:cols")
            cols.set(qn("w:num"), "2")
            section._sectPr.append(cols)
        for i, t in enumerate(texts):
            document.add_paragraph(t)
            if columns == 2 and i == 2:
                from docx.enum.text import WD_BREAK

                document.paragraphs[-1].add_run().add_break(WD_BREAK.COLUMN)
        source = folder / f"{name}.docx"
        document.save(str(source))
        made.append((name, texts, "columns" if columns == 2 else "body"))
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(folder)]
        + [str(folder / f"{name}.docx") for name, _, _ in made],
        check=True,
        capture_output=True,
        timeout=300,
    )
    for name, texts, tests in made:
        corpus[name] = {"path": folder / f"{name}.pdf", "text": "\n".join(texts), "tests": tests}


def raw_pdf(objects: list[bytes]) -> bytes:
    """A PDF of these objects (1 is the catalog) with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def build_hostile(folder: Path, corpus: dict[str, dict[str, object]]) -> dict[str, Path]:
    """PDFs made to cost: a 1 GB FlateDecode bomb, a page tree that loops, a /Count of a
    billion, and a real PDF cut at half."""
    import zlib

    page = (
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>"
    )
    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
    content = b"BT /F1 12 Tf 72 700 Td (Hello) Tj ET\n"

    def stream(data: bytes, extra: bytes = b"") -> bytes:
        return b"<< /Length %d %s>>\nstream\n" % (len(data), extra) + data + b"\nendstream"

    packer = zlib.compressobj(9)
    zeros = b"\0" * (1 << 24)
    bomb = packer.compress(content) + b"".join(packer.compress(zeros) for _ in range(64))
    bomb += packer.flush()
    catalog = b"<< /Type /Catalog /Pages 2 0 R >>"
    one = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
    made = {
        "bomb-1GB": [catalog, one, page, stream(bomb, b"/Filter /FlateDecode "), font],
        "pages-loop": [
            catalog,
            b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
            page,
            stream(content),
            font,
        ],
        "count-1e9": [
            catalog,
            b"<< /Type /Pages /Kids [3 0 R] /Count 1000000000 >>",
            page,
            stream(content),
            font,
        ],
    }
    paths = {}
    for name, objects in made.items():
        paths[name] = folder / f"{name}.pdf"
        paths[name].write_bytes(raw_pdf(objects))
    whole = Path(str(corpus["rl-report-short"]["path"])).read_bytes()
    paths["cut-at-half"] = folder / "cut-at-half.pdf"
    paths["cut-at-half"].write_bytes(whole[: len(whole) // 2])
    return paths


def words(text: str) -> collections.Counter[str]:
    return collections.Counter(w.lower() for w in re.findall(r"\w+", text))


def fidelity(source: str, got: str) -> dict[str, float | bool | None]:
    """Words found of the source's (multiset), and the special characters kept."""
    want = words(source)
    found = words(got)
    recall = sum(min(n, found[w]) for w, n in want.items()) / max(1, sum(want.values()))
    specials = {}
    for ch in ("£", "é", "’", "“"):
        if ch in source:
            specials[ch] = got.count(ch) / source.count(ch)
    return {"recall": recall, **specials}


def run_one(reader: str, path: Path) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", RUNNER, reader, str(path)],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ROOT,
    )
    if done.returncode:
        return {"crash": done.stderr.strip().splitlines()[-1:]}
    return dict(json.loads(done.stdout))


def page_count(path: Path) -> int:
    import pypdfium2

    doc = pypdfium2.PdfDocument(str(path))
    try:
        return len(doc)
    finally:
        doc.close()


def checks(tests: str, text: str) -> str:
    """The special check a file is made for: '' if none, else ok or what went wrong."""
    flat = " ".join(text.split())
    if tests == "columns":
        a, b = flat.find("ALPHAEND"), flat.find("BETASTART")
        return "cols ok" if 0 <= a < b else "cols MIXED"
    if tests == "hyphen":
        if re.search(r"manage-\s*\n\s*ment", text):
            return "hyph kept"
        if "manage-ment" in text:
            return "hyph joined"
        return "hyph as \\x02, lines joined" if "manage\x02ment" in text else "hyph LOST"
    if tests == "ligatures":
        return "lig ok" if "final office workflow" in flat else f"lig {flat[:40]!r}"
    return ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="build the corpus here and keep it")
    parser.add_argument("--companion", action="store_true", help="also time read_pdf")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="pdfbench-"))
    folder.mkdir(parents=True, exist_ok=True)
    corpus = build_corpus(folder)
    readers = ["pypdf", "pypdfium2"] + (["companion"] if args.companion else [])
    totals: dict[str, dict[str, list[float]]] = {r: collections.defaultdict(list) for r in readers}
    print(f"{len(corpus)} PDFs in {folder}, {args.repeat} fresh runs each\n")
    print(f"{'file':<22}{'pages':>6}  " + "".join(f"{r:>34}" for r in readers))
    print(" " * 30 + "".join(f"{'ms/page':>9}{'MB':>6}{'words':>7}{'£é’“':>12}" for _ in readers))
    for name, entry in corpus.items():
        path = Path(str(entry["path"]))
        pages = page_count(path)
        cells = []
        extra = []
        for rounds in range(args.repeat):
            for reader in readers:
                figures = run_one(reader, path)
                if "crash" in figures or figures["error"]:
                    totals[reader]["errors"].append(1)
                    continue
                totals[reader][f"{name}:cpu"].append(float(str(figures["cpu"])))
                if rounds == 0:
                    totals[reader][f"{name}:rss"].append(float(str(figures["rss_kb"])) / 1024)
                    totals[reader]["rss_import"].append(float(str(figures["rss_import_kb"])) / 1024)
                    totals[reader]["import_cpu"].append(float(str(figures["import_cpu"])))
                    totals[reader][f"{name}:text"] = [0.0]
                    entry[f"text:{reader}"] = str(figures["text"])
        for reader in readers:
            cpu = totals[reader].get(f"{name}:cpu")
            if not cpu:
                cells.append(f"{'error':>34}")
                continue
            per_page = statistics.median(cpu) / pages * 1000
            totals[reader]["ms_per_page"].append(per_page)
            rss = totals[reader][f"{name}:rss"][0]
            fid = fidelity(str(entry["text"]), str(entry[f"text:{reader}"]))
            totals[reader]["recall"].append(float(fid["recall"] or 0))
            special = "/".join(
                f"{float(v or 0):.0%}".replace("100%", "ok")
                for k, v in fid.items()
                if k != "recall"
            )
            cells.append(f"{per_page:9.2f}{rss:6.0f}{float(fid['recall'] or 0):7.1%}{special:>12}")
            check = checks(str(entry["tests"]), str(entry[f"text:{reader}"]))
            if check:
                extra.append(f"{reader}: {check}")
        print(f"{name:<22}{pages:>6}  " + "".join(cells) + ("  " + "; ".join(extra)))
    print()
    for reader in readers:
        t = totals[reader]
        print(
            f"{reader:<10} median {statistics.median(t['ms_per_page']):.2f} ms/page "
            f"(max {max(t['ms_per_page']):.2f}), "
            f"import {statistics.median(t['import_cpu']) * 1000:.0f} ms CPU, "
            f"RSS after import {statistics.median(t['rss_import']):.0f} MB, "
            f"words found median {statistics.median(t['recall']):.1%} "
            f"(min {min(t['recall']):.1%}), "
            f"errors {len(t.get('errors', []))}"
        )
    print("\nhostile PDFs (one fresh run each): CPU s, peak MB, outcome")
    print(f"{'file':<22}" + "".join(f"{r:>34}" for r in readers))
    for name, path in build_hostile(folder, corpus).items():
        cells = []
        for reader in readers:
            figures = run_one(reader, path)
            if "crash" in figures:
                cells.append(f"{'crashed':>34}")
                continue
            outcome = str(figures["error"]) or f"read {len(str(figures['text']))} chars"
            cells.append(
                f"{float(str(figures['cpu'])):8.2f}{float(str(figures['rss_kb'])) / 1024:7.0f}"
                f"{outcome[:19]:>19}"
            )
        print(f"{name:<22}" + "".join(cells))
    if not args.keep:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
