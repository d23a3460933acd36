"""Render an export Document as Markdown, CSV or HTML, and write any format to a file.

Every value that came from a note is untrusted text: HTML escapes it (and drops characters
XML cannot hold), CSV and XLSX neutralise cells a spreadsheet would run as a formula, and
Markdown escapes table pipes. XLSX and DOCX have modules of their own.
"""

from __future__ import annotations

import csv
import html
import io
from pathlib import Path

from companion.documents.model import CellValue, Document, Table, cell_text, long_date
from companion.files import atomic_write
from companion.text.xml import xml_safe

FORMATS = ("md", "csv", "xlsx", "docx", "html")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


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


def _md_cell(value: CellValue) -> str:
    text = cell_text(value)
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", "<br>")


def _md_table(table: Table) -> list[str]:
    width = len(table.columns)
    heading = [_md_cell(c) for c in table.columns] if table.heading else [""] * width
    lines = [f"## {table.title}", "", "| " + " | ".join(heading) + " |", "|" + "---|" * width]
    for row in table.rows:
        if row.group:
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
    lines = [f"# {doc.title}", "", doc.byline, ""]
    if doc.draft:
        lines += ["**DRAFT: not ready for submission.**", ""]
    lines += [note for n in doc.notes for note in (n, "")]
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


def to_html(doc: Document) -> str:
    """A self-contained page: no scripts, no network, prints well; every value escaped."""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en-GB"><head><meta charset="utf-8">',
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'\">",
        f"<title>{_h(doc.title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{_h(doc.title)}</h1>",
        f"<p>{_h(doc.byline)}</p>",
    ]
    if doc.draft:
        parts.append('<p class="draft">DRAFT: not ready for submission.</p>')
    parts += [f"<p>{_h(n)}</p>" for n in doc.notes]
    if doc.summary:
        parts += _html_table(doc.summary)
    for table in doc.tables:
        parts += _html_table(table)
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def render(doc: Document, fmt: str) -> bytes:
    """``doc`` in one of FORMATS, as the bytes of the file."""
    if fmt == "md":
        return to_markdown(doc).encode("utf-8")
    if fmt == "csv":
        return to_csv(doc).encode("utf-8-sig")
    if fmt == "html":
        return to_html(doc).encode("utf-8")
    if fmt == "xlsx":
        from companion.documents.xlsx import xlsx_bytes  # only exports need openpyxl

        return xlsx_bytes(doc)
    if fmt == "docx":
        from companion.documents.docx import docx_bytes  # only exports need python-docx

        return docx_bytes(doc)
    raise ValueError(f"unknown format '{fmt}'; use one of {', '.join(FORMATS)}")


def write_document(doc: Document, fmt: str, out: Path, *, within: Path | None = None) -> None:
    """Write ``doc`` to ``out`` in one of FORMATS, atomically (never through a link)."""
    atomic_write(out, render(doc, fmt), within=within)
