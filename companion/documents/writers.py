"""Render an export Document as Markdown, CSV or HTML, and write any format to a file.

Every value that came from a note is untrusted text: HTML escapes it (and drops characters
XML cannot hold), CSV and XLSX neutralise cells a spreadsheet would run as a formula, and
Markdown escapes every character that would make a note's title a link, an image, raw HTML,
emphasis or a new block, and drops control characters (a terminal that shows the file would
run them). XLSX and DOCX have modules of their own.
"""

from __future__ import annotations

import csv
import html
import io
import re
import sys
from typing import BinaryIO

from companion.documents.model import (
    CellValue,
    Document,
    SignatureRow,
    Table,
    cell_text,
    long_date,
)
from companion.text.xml import xml_safe

FORMATS = ("md", "csv", "xlsx", "docx", "html", "pdf")
TIMELESS_FORMATS = ("md", "csv", "html", "pdf")
"""Formats whose file is the same bytes whenever a document is written on the same day (a
DOCX or XLSX is a zip, whose entries carry the time they were written)."""
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CSV_ENCODING = "utf-8-sig"
"""UTF-8 with a byte-order mark: without the mark Excel on Windows reads a CSV file as the
local code page and shows ``Café`` as ``CafÃ©``; every CSV companion writes or prints has it."""


def csv_bytes(text: str) -> bytes:
    """CSV text as the bytes of a file Excel opens as UTF-8 (with the byte-order mark)."""
    return text.encode(CSV_ENCODING)


def print_csv(text: str, stream: BinaryIO | None = None) -> None:
    """Print CSV to standard output as ``csv_bytes``, whatever the terminal's encoding.

    ``companion otj --csv > log.csv`` is how a CSV file is made, so the printed bytes must be
    the file Excel expects: the mark first, then UTF-8 (a Windows console's code page would
    otherwise mangle it or fail on a character it lacks).
    """
    if stream is None:
        sys.stdout.flush()
        buffer = getattr(sys.stdout, "buffer", None)
        if buffer is None:  # a text-only stdout (redirected in a test or an embedding)
            sys.stdout.write("\ufeff" + text)
            return
        stream = buffer
    stream.write(csv_bytes(text))
    stream.flush()


def safe_cell(text: str) -> str:
    """Keep spreadsheets from running a note's text as a formula."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def produced_line(doc: Document) -> str:
    """Who the document is for and when it was made, as every page shows it."""
    parts = [doc.learner or "Learner not named"]
    if doc.produced is not None:
        parts.append(f"produced {long_date(doc.produced)}")
    if doc.draft:
        parts.append("DRAFT")
    return " · ".join(parts)


_MD_INLINE = re.compile(r"[\\`*_<>|~]|\](?=[(\[:])|&(?=#?\w+;)")
"""What makes inline Markdown out of plain text (HTML and autolinks, code, emphasis,
strikethrough, table cells, an entity, and the ``](`` that makes ``[text]`` a link or
``![text]`` an image): each is written escaped with a backslash. A ``[`` alone stays as it
is, so an AC's ``[706/1.2]`` reads as typed in the file too."""
_MD_BLOCK = re.compile(r"^(\s*(?:\d+)?)([#>+=.)\[-])")
"""What starts a heading, quote, list, rule or link definition at the start of a line."""


def md_text(text: str) -> str:
    """``text`` as Markdown that renders as exactly that text, on one logical line per line:
    control characters (U+FFFD), HTML, links and emphasis made literal."""
    lines = []
    for line in xml_safe(text).replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = _MD_INLINE.sub(lambda m: "\\" + m[0], line)
        lines.append(_MD_BLOCK.sub(lambda m: f"{m[1]}\\{m[2]}", line, count=1))
    return "\n".join(lines)


def _md_cell(value: CellValue) -> str:
    return md_text(cell_text(value)).replace("\n", "<br>")


def _md_table(table: Table) -> list[str]:
    width = len(table.columns)
    heading = [_md_cell(c) for c in table.columns] if table.heading else [""] * width
    lines = [
        f"## {md_text(table.title)}",
        "",
        "| " + " | ".join(heading) + " |",
        "|" + "---|" * width,
    ]
    for row in table.rows:
        if isinstance(row, SignatureRow):  # an empty line below the text: room to sign
            cells = [_md_cell(c) + "<br><br>" for c in row.cells]
        elif row.group:
            cells = [f"**{_md_cell(row.cells[0])}**"] + [""] * (width - 1)
        else:
            cells = [_md_cell(c) for c in row.cells]
            if row.highlight:
                cells[-1] = cells[-1] or "**none yet**"
            if row.strong and cells[-1]:
                first, _, rest = cells[-1].partition("<br>")
                cells[-1] = f"**{first}**" + (f"<br>{rest}" if rest else "")
        lines.append("| " + " | ".join(cells) + " |")
    return [*lines, ""]


def to_markdown(doc: Document) -> str:
    """The document as GitHub-flavoured Markdown tables."""
    lines = [f"# {md_text(doc.title)}", "", md_text(doc.byline), ""]
    if doc.draft:
        lines += ["**DRAFT: not ready for submission.**", ""]
    lines += [note for n in doc.notes for note in (md_text(n), "")]
    if doc.summary:
        lines += _md_table(doc.summary)
    for table in doc.tables:
        lines += _md_table(table)
    return "\n".join(lines)


def to_csv(doc: Document) -> str:
    """One CSV row per data row, with the table and group it belongs to."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    width = max((len(t.columns) for t in doc.tables), default=0)
    first = doc.tables[0].columns if doc.tables else []
    header = ["section", "group", *[c.split("\n")[0] for c in first]]
    header += [""] * (2 + width - len(header))
    writer.writerow(header)
    for table in doc.tables:
        group = ""
        for row in table.rows:
            if row.group:
                group = cell_text(row.cells[0])
                continue
            cells = (table.title, group, *(cell_text(c) for c in row.cells))
            writer.writerow([safe_cell(v) for v in cells])
    return out.getvalue()


_CSS = """
body { font-family: system-ui, sans-serif; margin: 2em; color: #111; }
table { border-collapse: collapse; width: 100%; margin-bottom: 2em; }
th, td { border: 1px solid #999; padding: 0.3em 0.5em; vertical-align: top; text-align: left; }
th { background: #eee; }
tr.group td { background: #ddebf7; font-weight: bold; }
td.missing { background: #fce4d6; }
td { white-space: pre-line; }
tr.sign td { height: 1.5cm; }
p.draft { font-weight: bold; color: #a00; }
@media print {
  h2 { break-before: page; }
  table { page-break-inside: auto; }
  tr { break-inside: avoid; }
  thead { display: table-header-group; }
}
"""


def _h(value: CellValue) -> str:
    return html.escape(xml_safe(cell_text(value)))


def _html_table(table: Table) -> list[str]:
    parts = [f"<h2>{_h(table.title)}</h2>", "<table>"]
    if table.heading:
        parts += ["<thead><tr>", *[f"<th>{_h(c)}</th>" for c in table.columns], "</tr></thead>"]
    parts.append("<tbody>")
    for row in table.rows:
        if row.group:
            parts.append(
                f'<tr class="group"><td colspan="{len(table.columns)}">{_h(row.cells[0])}</td></tr>'
            )
            continue
        if isinstance(row, SignatureRow):  # tall enough to sign on paper
            signed = "".join(f"<td>{_h(c)}</td>" for c in row.cells)
            parts.append(f'<tr class="sign">{signed}</tr>')
            continue
        cells = []
        for index, value in enumerate(row.cells):
            missing = row.highlight and index == len(row.cells) - 1
            attr = ' class="missing"' if missing else ""
            text = _h(value) or ("none yet" if missing else "")
            if row.strong and index == len(row.cells) - 1 and text:
                first, _, rest = text.partition("\n")
                text = f"<strong>{first}</strong>" + (f"\n{rest}" if rest else "")
            cells.append(f"<td{attr}>{text}</td>")
        parts.append("<tr>" + "".join(cells) + "</tr>")
    parts.append("</tbody></table>")
    return parts


HTML_CSS = _CSS
"""The style of every HTML export, for a page that embeds one (the signing page)."""


def html_content(doc: Document) -> list[str]:
    """The document's heading, notes and tables as HTML, every value escaped: the body of
    ``to_html``, and what a page that embeds the document shows."""
    parts = [f"<h1>{_h(doc.title)}</h1>", f"<p>{_h(doc.byline)}</p>"]
    if doc.draft:
        parts.append('<p class="draft">DRAFT: not ready for submission.</p>')
    parts += [f"<p>{_h(n)}</p>" for n in doc.notes]
    if doc.summary:
        parts += _html_table(doc.summary)
    for table in doc.tables:
        parts += _html_table(table)
    return parts


def to_html(doc: Document) -> str:
    """A self-contained page: no scripts, no network, prints well; every value escaped.

    The content sits in ``<main>`` so a screen reader's "skip to main content" lands on it.
    """
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en-GB"><head><meta charset="utf-8">',
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'\">",
        f"<title>{_h(doc.title)}</title><style>{_CSS}</style></head><body><main>",
        *html_content(doc),
        "</main></body></html>",
    ]
    return "\n".join(parts) + "\n"


def render(doc: Document, fmt: str) -> bytes:
    """``doc`` in one of FORMATS, as the bytes of the file."""
    if fmt == "md":
        return to_markdown(doc).encode("utf-8")
    if fmt == "csv":
        return csv_bytes(to_csv(doc))
    if fmt == "html":
        return to_html(doc).encode("utf-8")
    if fmt == "xlsx":
        from companion.documents.xlsx import xlsx_bytes  # only exports need openpyxl

        return xlsx_bytes(doc)
    if fmt == "docx":
        from companion.documents.docx import docx_bytes  # only exports need python-docx

        return docx_bytes(doc)
    if fmt == "pdf":
        from companion.documents.pdf import pdf_bytes  # only exports need reportlab

        return pdf_bytes(doc)
    raise ValueError(f"unknown format '{fmt}'; use one of {', '.join(FORMATS)}")
