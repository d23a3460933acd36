"""The one way into an evidence file: checks what it is before any reader opens it.

``read_evidence_file`` never raises. The checks come first because each stops a cost or a
hang a reader cannot see: a FIFO would block the open for ever, a link could lead out of
the portfolio, a 3 GB "PDF" would be read whole, and a Word document renamed .pdf would be
called damaged when it is only misnamed. Whatever a reader or its library raises becomes a
``ReadProblem``, so one bad file never stops a scan.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import stat
from pathlib import Path

from companion.evidence.formats import (
    DOCUMENT_KINDS,
    FORMAT_NAMES,
    LEGACY_FORMATS,
    SNIFF_BYTES,
    SNIFFED_NAMES,
    format_of_suffix,
    kind_of,
    mismatch,
    sniff,
)
from companion.evidence.limits import DEFAULT_LIMITS, EvidenceReadError, Limits
from companion.evidence.model import ExtractedFile, FileFacts, ReadProblem

_CHUNK = 1024 * 1024

_FORMAT_OF_SNIFFED = {
    "pdf": "pdf",
    "docx": "docx",
    "pptx": "pptx",
    "xlsx": "xlsx",
    "odt": "odt",
    "odp": "odp",
    "ods": "ods",
    "text": "txt",
    **dict.fromkeys(("png", "jpeg", "gif", "webp", "tiff", "heic"), "image"),
}
"""A misnamed file's facts give the format its bytes show, where that is one of ours."""


def read_evidence_file(
    path: Path, limits: Limits = DEFAULT_LIMITS, *, within: Path | None = None
) -> ExtractedFile:
    """The file at ``path`` read into text and facts, or its facts and a ``ReadProblem``.

    ``within`` is the portfolio's folder: a link (or a path through a linked folder) that
    resolves outside it is refused. Without it, links are followed: that is the caller's
    decision. Never raises, never writes, never blocks on a pipe or device.
    """
    fmt = format_of_suffix(path.name)
    facts = _facts(path, fmt or _bare_suffix(path), 0)
    try:
        size = _check(path, within)
        facts = _facts(path, facts.format, size)
        if fmt is None:
            raise EvidenceReadError(
                "file-unsupported", f"companion does not read {_suffix_phrase(path)} files."
            )
        return _read(path, fmt, size, limits)
    except EvidenceReadError as error:
        return ExtractedFile(facts=facts, problem=ReadProblem(error.code, error.message))
    except _Misnamed as error:
        return ExtractedFile(
            facts=_facts(path, error.content_format, facts.size),
            problem=ReadProblem("file-wrong-format", error.message),
        )
    except MemoryError:
        return _damaged(
            facts, f"{path.name} could not be read: it needs more memory than it should."
        )
    except RecursionError:
        return _damaged(facts, f"{path.name} could not be read: it is nested too deeply.")
    except FileNotFoundError:
        return ExtractedFile(facts=facts, problem=_missing(path, within))
    except PermissionError:
        return ExtractedFile(facts=facts, problem=_unreadable(path))
    except Exception as error:
        return _damaged(facts, f"{path.name} is damaged: it could not be read ({_why(error)}).")


def file_sha256(path: Path, limit: int) -> str | None:
    """The SHA-256 (hex) of the file's contents, read in 1 MB chunks, for the cache key;
    ``None`` when it is larger than ``limit`` bytes, not a regular file, or unreadable (the
    caller then keys by size and time instead). Never blocks on a pipe."""
    digest = hashlib.sha256()
    read = 0
    try:
        fd = _open_regular(path)
    except (OSError, EvidenceReadError):
        return None
    with os.fdopen(fd, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            read += len(chunk)
            if read > limit:
                return None
            digest.update(chunk)
    return digest.hexdigest()


class _Misnamed(Exception):
    """A file whose bytes are another format than its name says."""

    def __init__(self, message: str, content_format: str) -> None:
        super().__init__(message)
        self.message = message
        self.content_format = content_format


def _facts(path: Path, fmt: str, size: int) -> FileFacts:
    return FileFacts(format=fmt, kind=kind_of(fmt), size=size)


def _bare_suffix(path: Path) -> str:
    return path.suffix.lower().lstrip(".") or "unknown"


def _suffix_phrase(path: Path) -> str:
    return f"{path.suffix.lower()}" if path.suffix else "extensionless"


def _damaged(facts: FileFacts, message: str) -> ExtractedFile:
    return ExtractedFile(facts=facts, problem=ReadProblem("file-damaged", message))


def _why(error: BaseException) -> str:
    """A library's exception as a short clause for a learner's message."""
    text = " ".join(str(error).split())
    return (text[:100] + ("…" if len(text) > 100 else "")) if text else type(error).__name__


def _missing(path: Path, within: Path | None) -> ReadProblem:
    named = path.name  # never the learner's whole path: messages travel to the tutor
    if within is not None:
        with contextlib.suppress(ValueError):
            named = path.absolute().relative_to(within.absolute()).as_posix()
    return ReadProblem(
        "file-missing",
        f"{path.name} is not there: was it moved or renamed? The card names it as {named}.",
    )


def _unreadable(path: Path) -> ReadProblem:
    return ReadProblem(
        "file-unreadable", f"{path.name} cannot be opened: companion is not allowed to read it."
    )


def _check(path: Path, within: Path | None) -> int:
    """The file's size, once it is known to be a regular file (inside ``within`` if
    given). Raises ``EvidenceReadError`` otherwise; ``lstat`` first, so a link is seen."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        raise
    except NotADirectoryError as error:
        raise FileNotFoundError(str(path)) from error
    except OSError as error:
        if error.errno in (errno.ENOENT, errno.ENOTDIR, errno.ENAMETOOLONG):
            raise FileNotFoundError(str(path)) from error
        raise
    linked = stat.S_ISLNK(info.st_mode)
    if within is not None:
        resolved = Path(os.path.realpath(path))
        if not resolved.is_relative_to(Path(os.path.realpath(within))):
            raise EvidenceReadError(
                "file-not-regular",
                f"{path.name} is a link to a file outside the portfolio; companion does not "
                "follow it.",
            )
    if linked:
        try:
            info = os.stat(path)
        except OSError as error:
            raise EvidenceReadError(
                "file-missing", f"{path.name} is a link to a file that is not there."
            ) from error
    if stat.S_ISDIR(info.st_mode):
        raise EvidenceReadError("file-not-regular", f"{path.name} is a folder, not a file.")
    if not stat.S_ISREG(info.st_mode):
        raise EvidenceReadError(
            "file-not-regular",
            f"{path.name} is not an ordinary file (a pipe, socket or device); it was not opened.",
        )
    return info.st_size


def _open_regular(path: Path) -> int:
    """A read-only descriptor of ``path``, opened without blocking and checked again to be
    a regular file: the file may have been swapped for a FIFO since it was looked at."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise EvidenceReadError(
                "file-not-regular", f"{path.name} is not an ordinary file; it was not read."
            )
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return fd


def _head(path: Path) -> bytes:
    with os.fdopen(_open_regular(path), "rb") as handle:
        return handle.read(SNIFF_BYTES)


def _read(path: Path, fmt: str, size: int, limits: Limits) -> ExtractedFile:
    """The checks on the contents (size, what the bytes are), then the format's reader."""
    name = path.name
    kind = kind_of(fmt)
    if kind in DOCUMENT_KINDS and size > limits.max_document_bytes:
        raise EvidenceReadError(
            "file-too-large",
            f"{name} is {size / 1024**2:,.0f} MB, more than the "
            f"{limits.max_document_bytes / 1024**2:,.0f} MB companion reads.",
        )
    head = _head(path)
    sniffed = sniff(head)
    if mismatch(fmt, sniffed) and sniffed is not None:
        raise _Misnamed(
            f"{name} is not {FORMAT_NAMES.get(fmt, 'what its name says')}: its contents are "
            f"{SNIFFED_NAMES.get(sniffed, sniffed)}.",
            _FORMAT_OF_SNIFFED.get(sniffed, fmt),
        )
    if fmt in LEGACY_FORMATS:
        raise EvidenceReadError(
            "file-unsupported",
            f"{name} is {FORMAT_NAMES[fmt]}, which companion does not read: save it as "
            f"{LEGACY_FORMATS[fmt]} (File > Save As) to include its text.",
        )
    if size == 0 and kind != "text":
        raise EvidenceReadError("file-damaged", f"{name} is empty (0 bytes).")
    return _dispatch(path, fmt, size, limits)


def _dispatch(path: Path, fmt: str, size: int, limits: Limits) -> ExtractedFile:
    """The reader for ``fmt``, imported only when needed (each brings its library)."""
    try:
        if fmt == "pdf":
            from companion.evidence.pdf_reader import read_pdf

            return read_pdf(path, size, limits)
        if fmt == "docx":
            from companion.evidence.docx_reader import read_docx

            return read_docx(path, size, limits)
        if fmt == "pptx":
            from companion.evidence.pptx_reader import read_pptx

            return read_pptx(path, size, limits)
        if fmt == "xlsx":
            from companion.evidence.xlsx_reader import read_xlsx

            return read_xlsx(path, size, limits)
        if fmt in ("odt", "odp", "ods"):
            from companion.evidence.odf_reader import read_odf

            return read_odf(path, size, limits, fmt)
        if fmt in ("audio", "video"):
            from companion.evidence.media_reader import read_media

            return read_media(path, size, limits, fmt)
    except ModuleNotFoundError as error:
        if not (error.name or "").startswith("companion."):
            raise
        raise EvidenceReadError(
            "file-unsupported", f"companion cannot read {FORMAT_NAMES[fmt]} yet."
        ) from error
    if fmt in ("txt", "md"):
        return _read_text(path, fmt, size, limits)
    if fmt == "image":
        return ExtractedFile(facts=FileFacts(format="image", kind="image", size=size))
    raise EvidenceReadError("file-unsupported", f"companion does not read {fmt} files.")


def _read_text(path: Path, fmt: str, size: int, limits: Limits) -> ExtractedFile:
    """A text file's text, lines kept. UTF-8 (with or without a byte order mark), or
    UTF-16 with one; anything else is refused, since guessing a code page would show a
    learner's £ and é as other letters without anyone noticing."""
    with os.fdopen(_open_regular(path), "rb") as handle:
        data = handle.read(limits.max_document_bytes + 1)
    if len(data) > limits.max_document_bytes:
        raise EvidenceReadError(
            "file-too-large",
            f"{path.name} grew past the {limits.max_document_bytes:,} bytes "
            "companion reads while it was read.",
        )
    try:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            text = data.decode("utf-16")
        else:
            text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise EvidenceReadError(
            "file-unreadable",
            f"{path.name} is not UTF-8 text: save it as UTF-8 (Save As, Encoding: UTF-8) "
            "to include it.",
        ) from error
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    notes: tuple[str, ...] = ()
    if len(text) > limits.max_text_chars:
        text = text[: limits.max_text_chars]
        notes = (f"Text cut at {limits.max_text_chars:,} characters.",)
    facts = FileFacts(format=fmt, kind="text", size=len(data))
    return ExtractedFile(facts=facts, text=text, notes=notes)
