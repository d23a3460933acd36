"""One entry point for every export, shared by the CLI and the app's Export screen."""

from __future__ import annotations

import re
from pathlib import Path

from companion.assessment.status import Status
from companion.documents.writers import FORMATS, render
from companion.errors import CompanionError
from companion.exports.matrix import ac_matrix, ac_matrix_document, ksb_matrix, ksb_matrix_document
from companion.exports.output import ExportError, check_output, remember_output
from companion.exports.progress import write_progress
from companion.files import atomic_write
from companion.portfolio.portfolio import Portfolio

KINDS = {
    "matrix": "AC Evidence Matrix",
    "ksb-matrix": "KSB Evidence Matrix",
    "progress": "Progress export for your tutor (JSON and HTML)",
    "bundle": "EPA bundle for gateway (zip)",
}


def default_output(portfolio: Portfolio, kind: str, fmt: str) -> Path:
    """Beside the portfolio, never in it: ``<portfolio>-exports/<learner>-<kind>.<fmt>``."""
    slug = re.sub(r"[^a-z0-9]+", "-", (portfolio.profile.learner or "learner").lower()).strip("-")
    folder = portfolio.root.parent / f"{portfolio.root.name}-exports"
    suffix = {"progress": "json", "bundle": "zip"}.get(kind, fmt)
    return folder / f"{slug or 'learner'}-{kind}.{suffix}"


def run_export(
    status: Status,
    kind: str,
    out: Path,
    fmt: str = "md",
    *,
    with_notes: bool = False,
    html: bool = True,
    pdf: bool = False,
    all_units: bool = False,
    draft: bool = False,
) -> list[Path]:
    """Write one export; return the files written."""
    if kind not in KINDS:
        raise ExportError(f"unknown export '{kind}'")
    if kind == "bundle":
        return [_bundle(status, out, draft)]
    if kind != "progress" and fmt not in FORMATS:
        raise ExportError(f"format must be one of {', '.join(FORMATS)}")
    check_output(out, status.portfolio)
    if kind == "progress" and html:
        check_output(out.with_suffix(".html"), status.portfolio)
    if kind == "progress" and pdf:
        check_output(out.with_suffix(".pdf"), status.portfolio)
    written = _write(
        status, kind, out, fmt, with_notes=with_notes, html=html, pdf=pdf, all_units=all_units
    )
    for path in written:
        remember_output(path, status.portfolio)
    return written


def _write(
    status: Status,
    kind: str,
    out: Path,
    fmt: str,
    *,
    with_notes: bool,
    html: bool,
    pdf: bool,
    all_units: bool,
) -> list[Path]:
    try:
        if kind == "progress":
            return write_progress(status, out, with_notes=with_notes, html=html, pdf=pdf)
        atomic_write(out, matrix_bytes(status, kind, fmt, all_units=all_units))
    except OSError as exc:
        raise ExportError(f"{out} could not be written: {exc.strerror or exc}") from None
    return [out]


def matrix_bytes(status: Status, kind: str, fmt: str, *, all_units: bool = False) -> bytes:
    """The AC (``matrix``) or KSB (``ksb-matrix``) Evidence Matrix as a file in ``fmt``."""
    if kind == "ksb-matrix":
        if not status.portfolio.content.has_ksbs:
            raise ExportError(
                f"{status.portfolio.content.standard.title} has no KSBs to make a matrix of"
            )
        return render(ksb_matrix_document(ksb_matrix(status)), fmt)
    include = True if all_units else None
    return render(ac_matrix_document(ac_matrix(status, include_assignment_units=include)), fmt)


def _bundle(status: Status, out: Path, draft: bool) -> Path:
    """The EPA bundle, refused (as ``companion export bundle`` refuses it) while blocked."""
    from companion.exports.bundle import BundleRefused, write_bundle

    if out.suffix.lower() != ".zip":
        raise ExportError(f"the bundle is a zip: name a .zip file, not {out.name}")
    check_output(out, status.portfolio)
    try:
        write_bundle(status, out, draft=draft)
    except OSError as exc:
        raise ExportError(f"{out} could not be written: {exc.strerror or exc}") from None
    except BundleRefused:
        raise  # the caller says how it makes a draft
    except CompanionError as exc:
        raise ExportError(exc.message, exc.exit_status) from None
    remember_output(out, status.portfolio)
    return out
