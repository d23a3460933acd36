"""Render an export Document as Markdown, CSV, XLSX, DOCX or HTML.

Every value that came from a note is untrusted text: HTML escapes it, CSV and XLSX neutralise
cells a spreadsheet would run as a formula, and Markdown escapes table pipes.
"""

from __future__ import annotations

import csv
import html
import io
from pathlib import Path

from companion.documents.model import Document, Table

FORMATS = ("md", "csv", "xlsx", "docx", "html")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _md_cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", "<br>")


def _md_table(table: Table) -> list[str]:
    width = len(table.columns)
    lines = [
        f"## {table.title}",
        "",
        "| " + " | ".join(_md_cell(c) for c in table.columns) + " |",
        "|" + "---|" * width,
    ]
    for row in table.rows:
        if row.group:
            cells = [f"**{_md_cell(row.cells[0])}**"] + [""] * (width - 1)
        else:
            cells = [_md_cell(c) for c in row.cells]
            if row.highlight:
                cells[-1] = cells[-1] or "**none yet**"
        lines.append("| " + " | ".join(cells) + " |")
    return [*lines, ""]


def to_markdown(doc: Document) -> str:
    """The document as GitHub-flavoured Markdown tables."""
    lines = [f"# {doc.title}", "", doc.byline, ""]
    lines += [note for n in doc.notes for note in (n, "")]
    if doc.summary:
        lines += _md_table(doc.summary)
    for table in doc.tables:
        lines += _md_table(table)
    return "\n".join(lines)


def safe_cell(text: str) -> str:
    """Keep spreadsheets from running a note's text as a formula."""
    return "'" + text if text.startswith(_FORMULA_START) else text


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
                group = row.cells[0]
                continue
            writer.writerow([safe_cell(v) for v in (table.title, group, *row.cells)])
    return out.getvalue()


def write_xlsx(doc: Document, out: Path) -> None:
    """A workbook: a summary sheet, then a sheet per table with a frozen, bold header."""
    from openpyxl import Workbook  # only exports need it
    from openpyxl.styles import Alignment, Font, PatternFill

    book = Workbook()
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    group_fill = PatternFill("solid", fgColor="DDEBF7")
    missing_fill = PatternFill("solid", fgColor="FCE4D6")
    first = book.active
    sheets = ([doc.summary] if doc.summary else []) + doc.tables
    used: set[str] = set()
    for index, table in enumerate(sheets):
        sheet = first if index == 0 else book.create_sheet()
        name = (f"Unit {table.key}" if table.key.isdigit() else table.title)[:31]
        for bad in "[]:*?/\\":
            name = name.replace(bad, " ")
        while name in used:
            name = name[:28] + f" {index}"
        used.add(name)
        sheet.title = name
        sheet.append(table.columns)
        for cell in sheet[1]:
            cell.font, cell.alignment = bold, wrap
        for row in table.rows:
            sheet.append([safe_cell(c) for c in row.cells])
            current = sheet.max_row
            if row.group:
                sheet.merge_cells(
                    start_row=current,
                    start_column=1,
                    end_row=current,
                    end_column=len(table.columns),
                )
                sheet.cell(current, 1).font = bold
                sheet.cell(current, 1).fill = group_fill
            elif row.highlight:
                sheet.cell(current, len(table.columns)).fill = missing_fill
            for cell in sheet[current]:
                cell.alignment = wrap
        sheet.freeze_panes = "A2"
        for column_index, title in enumerate(table.columns, start=1):
            longest = max(
                [len(line) for line in title.split("\n")]
                + [
                    len(line)
                    for row in table.rows
                    if not row.group and column_index <= len(row.cells)
                    for line in row.cells[column_index - 1].split("\n")
                ]
            )
            letter = sheet.cell(1, column_index).column_letter
            sheet.column_dimensions[letter].width = max(10, min(longest + 2, 70))
    book.properties.title = doc.title
    book.save(str(out))


def write_docx(doc: Document, out: Path) -> None:
    """A Word document with a table per unit, as assessors receive the matrix."""
    from docx import Document as WordDocument  # only exports need it
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    word = WordDocument()
    word.add_heading(doc.title, level=0)
    word.add_paragraph(doc.byline)
    for note in doc.notes:
        word.add_paragraph(note)

    def shade(cell, colour: str) -> None:
        properties = cell._tc.get_or_add_tcPr()
        fill = OxmlElement("w:shd")
        fill.set(qn("w:val"), "clear")
        fill.set(qn("w:color"), "auto")
        fill.set(qn("w:fill"), colour)
        properties.append(fill)

    for table in ([doc.summary] if doc.summary else []) + doc.tables:
        word.add_heading(table.title, level=1)
        grid = word.add_table(rows=1, cols=len(table.columns))
        grid.style = "Table Grid"
        for cell, title in zip(grid.rows[0].cells, table.columns, strict=True):
            cell.text = title
            for run in cell.paragraphs[0].runs:
                run.bold = True
        for row in table.rows:
            cells = grid.add_row().cells
            if row.group:
                merged = cells[0].merge(cells[-1])
                merged.text = row.cells[0]
                merged.paragraphs[0].runs[0].bold = True
                shade(merged, "DDEBF7")
                continue
            for cell, value in zip(cells, row.cells, strict=False):
                cell.text = value
            if row.highlight:
                shade(cells[-1], "FCE4D6")
    word.core_properties.title = doc.title
    word.save(str(out))


_CSS = """
body { font-family: system-ui, sans-serif; margin: 2em; color: #111; }
table { border-collapse: collapse; width: 100%; margin-bottom: 2em; }
th, td { border: 1px solid #999; padding: 0.3em 0.5em; vertical-align: top; text-align: left; }
th { background: #eee; }
tr.group td { background: #ddebf7; font-weight: bold; }
td.missing { background: #fce4d6; }
td { white-space: pre-line; }
@media print { h2 { break-before: page; } table { page-break-inside: auto; } }
"""


def _html_table(table: Table) -> list[str]:
    parts = [f"<h2>{html.escape(table.title)}</h2>", "<table>", "<thead><tr>"]
    parts += [f"<th>{html.escape(c)}</th>" for c in table.columns]
    parts.append("</tr></thead><tbody>")
    for row in table.rows:
        if row.group:
            parts.append(
                f'<tr class="group"><td colspan="{len(table.columns)}">'
                f"{html.escape(row.cells[0])}</td></tr>"
            )
            continue
        cells = []
        for index, value in enumerate(row.cells):
            missing = row.highlight and index == len(row.cells) - 1
            attr = ' class="missing"' if missing else ""
            cells.append(f"<td{attr}>{html.escape(value) or ('none yet' if missing else '')}</td>")
        parts.append("<tr>" + "".join(cells) + "</tr>")
    parts.append("</tbody></table>")
    return parts


def to_html(doc: Document) -> str:
    """A self-contained page: no scripts, no network, prints well; every value escaped."""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'\">",
        f"<title>{html.escape(doc.title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{html.escape(doc.title)}</h1>",
        f"<p>{html.escape(doc.byline)}</p>",
    ]
    parts += [f"<p>{html.escape(n)}</p>" for n in doc.notes]
    if doc.summary:
        parts += _html_table(doc.summary)
    for table in doc.tables:
        parts += _html_table(table)
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def write_document(doc: Document, fmt: str, out: Path) -> None:
    """Write ``doc`` to ``out`` in one of FORMATS."""
    if fmt == "md":
        out.write_text(to_markdown(doc), encoding="utf-8")
    elif fmt == "csv":
        out.write_text(to_csv(doc), encoding="utf-8-sig", newline="")
    elif fmt == "html":
        out.write_text(to_html(doc), encoding="utf-8")
    elif fmt == "xlsx":
        write_xlsx(doc, out)
    elif fmt == "docx":
        write_docx(doc, out)
    else:
        raise ValueError(f"unknown format '{fmt}'; use one of {', '.join(FORMATS)}")
