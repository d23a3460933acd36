"""The bounds every reader keeps to, whatever the file: stated once, documented in
docs/note-format.md ("What is read from each format")."""

from __future__ import annotations

from dataclasses import dataclass

from companion.errors import CompanionError


@dataclass(frozen=True, slots=True)
class Limits:
    """Bounds on what reading one file may cost."""

    max_document_bytes: int = 200 * 1024 * 1024
    """Documents (docx, pdf, pptx, xlsx, odf, text) larger than this are not read (flagged
    ``file-too-large``); audio and video are read only for their tags, at any size."""
    max_unzipped_bytes: int = 400 * 1024 * 1024
    """The most the parts of a zipped document (docx, pptx, xlsx, odf) may expand to."""
    max_part_bytes: int = 64 * 1024 * 1024
    """The most one XML part may expand to."""
    max_ratio: int = 200
    """The most a part larger than 1 MB may expand per byte stored (a zip bomb expands
    thousands of times; real XML compresses 5-20 times)."""
    max_entries: int = 10_000
    max_pages: int = 2_000
    """PDF pages read for text; the page count is always the file's own."""
    max_text_chars: int = 4_000_000
    """Text kept from one file; the rest is left out, and said so in ``notes``."""
    max_sheet_cells: int = 500_000


DEFAULT_LIMITS = Limits()


class EvidenceReadError(CompanionError):
    """Raised inside a reader; ``read_evidence_file`` turns it into a ``ReadProblem``."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
