"""Excel workbooks (.xlsx) as Markdown: one ``<!-- sheet NAME -->`` and table per sheet.

openpyxl reads in read-only mode (rows streamed, not the whole sheet in memory) with the
values Excel last calculated rather than formulas, since those are what the learner saw.
Reading stops after ``limits.max_sheet_cells`` cells of the workbook, counting the empty
cells a sparse sheet pads its rows with, so a sheet claiming a million rows costs no more.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl

from companion.evidence.limits import EvidenceReadError, Limits
from companion.evidence.model import ExtractedFile
from companion.evidence.zipped import (
    TextBuilder,
    damaged,
    markdown_table,
    open_checked,
    package_properties,
    sheet_mark,
)

FORMAT = "xlsx"


def read_xlsx(path: Path, size: int, limits: Limits) -> ExtractedFile:
    """Read a workbook's sheets and facts; raise ``EvidenceReadError`` for a file that is
    not one, is encrypted, damaged or would expand past ``limits``."""
    with open_checked(path, FORMAT, limits) as (handle, archive):
        props = package_properties(archive, path, FORMAT, limits)
        try:
            workbook = openpyxl.load_workbook(
                handle, read_only=True, data_only=True, keep_links=False
            )
        except EvidenceReadError:
            raise
        except Exception as error:  # openpyxl, its XML parser and zipfile raise many kinds
            raise damaged(path, FORMAT, _reason(error)) from None
        try:
            builder, sheets, first = _read_workbook(workbook, limits)
        except EvidenceReadError:
            raise
        except Exception as error:
            raise damaged(path, FORMAT, _reason(error)) from None
        finally:
            workbook.close()  # read-only mode keeps the zip open until told
    facts = props.facts(FORMAT, "spreadsheet", size, sheets=sheets)
    return ExtractedFile(
        facts=facts, text=builder.text(), first_page=first, notes=tuple(builder.notes)
    )


def _reason(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__


def _read_workbook(workbook: Any, limits: Limits) -> tuple[TextBuilder, int, str]:
    builder = TextBuilder(limits)
    budget = limits.max_sheet_cells
    first = ""
    names = list(workbook.sheetnames)
    for name in names:
        if builder.full or budget <= 0:
            break
        sheet = workbook[name]
        if not hasattr(sheet, "iter_rows"):
            continue  # a chart sheet: no cells
        sheet.reset_dimensions()  # rows are read as they are, not padded to a claimed size
        rows: list[list[str]] = []
        for values in _rows(sheet):
            budget -= max(1, len(values))
            if budget < 0:
                builder.notes.append(
                    f"Only the first {limits.max_sheet_cells:,} cells were read; "
                    f"the rest of sheet {name} and any sheets after it were left out."
                )
                break
            cells = [_cell_text(value) for value in values]
            while cells and not cells[-1]:
                cells.pop()
            if cells:
                rows.append(cells)
        table = markdown_table(rows)
        builder.add(sheet_mark(name))
        builder.add(table)
        if not first:
            first = table + ("\n" if table else "")
    return builder, len(names), first


def _rows(sheet: Any) -> Iterator[tuple[Any, ...]]:
    yield from sheet.iter_rows(values_only=True)


def _cell_text(value: object) -> str:
    """A cell as the learner would read it: dates as ISO, whole numbers without '.0'."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)
