"""Which files are evidence, what each is by its name, and what it really is by its bytes.

An apprentice's file is often not what its name says: a PDF "saved" by renaming a .docx, a
web page saved as .doc, a recording renamed .mp4. ``sniff`` reads the first bytes so a
reader is never handed a file it cannot read, and the learner is told what the file is
instead of being told it is damaged.
"""

from __future__ import annotations

import struct
from pathlib import PurePath

_BY_SUFFIX: dict[str, str] = {
    ".docx": "docx",
    ".pdf": "pdf",
    ".pptx": "pptx",
    ".xlsx": "xlsx",
    ".odt": "odt",
    ".odp": "odp",
    ".ods": "ods",
    ".txt": "txt",
    ".doc": "doc",
    ".ppt": "ppt",
    ".xls": "xls",
    **dict.fromkeys((".png", ".jpg", ".jpeg", ".gif", ".webp", ".heic", ".tif", ".tiff"), "image"),
    **dict.fromkeys(
        (".mp3", ".m4a", ".wav", ".ogg", ".oga", ".opus", ".flac", ".aac", ".wma", ".aiff"),
        "audio",
    ),
    **dict.fromkeys((".mp4", ".m4v", ".mov", ".webm", ".mkv", ".avi", ".wmv"), "video"),
}

EVIDENCE_SUFFIXES: frozenset[str] = frozenset(_BY_SUFFIX)
"""The suffixes (lowercase, with the dot) companion lists as evidence files."""

LEGACY_FORMATS: dict[str, str] = {"doc": ".docx", "ppt": ".pptx", "xls": ".xlsx"}
"""Office 97-2003 binary formats, listed so the learner sees them, but not read: the
suffix to save them as instead."""

_KINDS: dict[str, str] = {
    "docx": "document",
    "pdf": "document",
    "odt": "document",
    "doc": "document",
    "pptx": "presentation",
    "odp": "presentation",
    "ppt": "presentation",
    "xlsx": "spreadsheet",
    "ods": "spreadsheet",
    "xls": "spreadsheet",
    "txt": "text",
    "md": "text",
    "image": "image",
    "audio": "audio",
    "video": "video",
}

DOCUMENT_KINDS = frozenset({"document", "presentation", "spreadsheet", "text"})
"""Kinds whose contents are read, and so are bound by ``Limits.max_document_bytes``."""

FORMAT_NAMES: dict[str, str] = {
    "pdf": "a PDF",
    "docx": "a Word document",
    "pptx": "a PowerPoint presentation",
    "xlsx": "an Excel workbook",
    "odt": "an OpenDocument text",
    "odp": "an OpenDocument presentation",
    "ods": "an OpenDocument spreadsheet",
    "txt": "a text file",
    "md": "a Markdown file",
    "doc": "a Word 97-2003 document",
    "ppt": "a PowerPoint 97-2003 presentation",
    "xls": "an Excel 97-2003 workbook",
    "image": "an image",
    "audio": "a recording",
    "video": "a video",
}
"""How a message names a format (``<name> is not a PDF``)."""

SNIFFED_NAMES: dict[str, str] = {
    "pdf": "a PDF",
    "zip": "a zipped file (such as a Word, PowerPoint or Excel file)",
    "docx": "a Word document (zip)",
    "pptx": "a PowerPoint presentation (zip)",
    "xlsx": "an Excel workbook (zip)",
    "odt": "an OpenDocument text (zip)",
    "odp": "an OpenDocument presentation (zip)",
    "ods": "an OpenDocument spreadsheet (zip)",
    "ole": "an Office 97-2003 file (.doc, .ppt or .xls)",
    "rtf": "Rich Text (.rtf)",
    "text": "plain text",
    "png": "a PNG image",
    "jpeg": "a JPEG image",
    "gif": "a GIF image",
    "webp": "a WebP image",
    "tiff": "a TIFF image",
    "heic": "a HEIC image",
    "mp3": "an MP3 recording",
    "aac": "an AAC recording",
    "wav": "a WAV recording",
    "aiff": "an AIFF recording",
    "mp4": "an MP4 or QuickTime recording",
    "ogg": "an Ogg recording",
    "flac": "a FLAC recording",
    "matroska": "a Matroska or WebM video",
    "asf": "a Windows Media recording",
    "avi": "an AVI video",
}
"""How a message names what ``sniff`` found (``its contents are plain text``)."""

_IMAGES = frozenset({"png", "jpeg", "gif", "webp", "tiff", "heic"})
_MEDIA = frozenset({"mp3", "aac", "wav", "aiff", "mp4", "ogg", "flac", "matroska", "asf", "avi"})
_ZIPPED = frozenset({"docx", "pptx", "xlsx", "odt", "odp", "ods"})
_ACCEPTS: dict[str, frozenset[str]] = {
    "pdf": frozenset({"pdf"}),
    **{fmt: frozenset({"zip", fmt}) for fmt in _ZIPPED},
    "doc": frozenset({"ole"}),
    "ppt": frozenset({"ole"}),
    "xls": frozenset({"ole"}),
    "txt": frozenset({"text"}),
    "md": frozenset({"text"}),
    "image": _IMAGES,
    # A recording's container says little of whether it holds sound or pictures (.mp4 of
    # a talk, .ogg and .opus, .webm and .mkv): any recording is taken for any other.
    "audio": _MEDIA,
    "video": _MEDIA,
}

SNIFF_BYTES = 8192
"""How many first bytes ``sniff`` is given: enough for a PDF's late header and the first
few entries of a zip."""


def format_of_suffix(name: str) -> str | None:
    """The format a file's name says it is (``report.PDF`` -> ``pdf``), ``None`` for a name
    that is not an evidence file's (``.md`` is a note's, and reads as ``md``)."""
    suffix = PurePath(name).suffix.lower()
    if suffix == ".md":
        return "md"
    return _BY_SUFFIX.get(suffix)


def kind_of(fmt: str) -> str:
    """document, presentation, spreadsheet, text, image, audio or video; ``other`` for a
    format companion does not know (its facts still need a kind)."""
    return _KINDS.get(fmt, "other")


def mismatch(fmt: str, sniffed: str | None) -> bool:
    """Whether a file named as ``fmt`` is plainly something else. Unrecognised bytes
    (``None``) are not a mismatch: the reader then says what is wrong with them."""
    if sniffed is None or fmt not in _ACCEPTS:
        return False
    return sniffed not in _ACCEPTS[fmt]


def sniff(head: bytes) -> str | None:
    """The format the first bytes of a file show, by their signatures; ``None`` if unknown.

    The names are those of ``SNIFFED_NAMES``. A zip is named by its first entries when
    they show it (``word/`` is Word's, a ``mimetype`` entry OpenDocument's), else ``zip``.
    """
    if not head:
        return None
    found = _by_signature(head)
    if found is not None:
        return found
    if head.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return "text"  # a byte order mark, before the MP3 frame sync it resembles
    if _mpeg_frame(head):
        return "aac" if head[1] & 0xF6 == 0xF0 else "mp3"
    if b"%PDF-" in head[:1024]:
        return "pdf"  # a PDF may have a little junk before its header
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if _looks_like_text(head):
        return "text"
    return None


def _by_signature(head: bytes) -> str | None:
    """Formats with a fixed signature at a fixed place."""
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _zipped(head)
    if head.startswith(b"%PDF-"):
        return "pdf"
    simple = {
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1": "ole",
        b"\x89PNG\r\n\x1a\n": "png",
        b"\xff\xd8\xff": "jpeg",
        b"GIF87a": "gif",
        b"GIF89a": "gif",
        b"II*\x00": "tiff",
        b"MM\x00*": "tiff",
        b"OggS": "ogg",
        b"fLaC": "flac",
        b"\x1a\x45\xdf\xa3": "matroska",
        b"\x30\x26\xb2\x75\x8e\x66\xcf\x11": "asf",
        b"ID3": "mp3",
    }
    for signature, fmt in simple.items():
        if head.startswith(signature):
            return fmt
    if head[:4] == b"RIFF":
        return {b"WEBP": "webp", b"WAVE": "wav", b"AVI ": "avi"}.get(head[8:12])
    if head[:4] == b"FORM" and head[8:12] in (b"AIFF", b"AIFC"):
        return "aiff"
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        return "heic" if brand in (b"heic", b"heix", b"mif1", b"msf1", b"hevc") else "mp4"
    return None


def _mpeg_frame(head: bytes) -> bool:
    """An MPEG audio frame header at the start (an MP3 without ID3 tags, or AAC ADTS):
    the 11-bit sync, then a layer, bit rate and sample rate that are not reserved."""
    if len(head) < 4 or head[0] != 0xFF or head[1] & 0xE0 != 0xE0:
        return False
    if head[1] & 0xF6 == 0xF0:
        return True  # ADTS: MPEG-4 audio, layer bits 00
    layer = (head[1] >> 1) & 0x3
    bitrate = head[2] >> 4
    rate = (head[2] >> 2) & 0x3
    return layer != 0 and bitrate != 0xF and rate != 0x3


def _looks_like_text(head: bytes) -> bool:
    """UTF-8 with no NUL and few control characters (a cut last character is allowed)."""
    if b"\x00" in head:
        return False
    for cut in range(4):
        try:
            text = head[: len(head) - cut].decode("utf-8")
        except UnicodeDecodeError:
            continue
        controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f")
        return controls * 100 <= len(text)
    return False


_ODF_MIMETYPES = {
    b"application/vnd.oasis.opendocument.text": "odt",
    b"application/vnd.oasis.opendocument.presentation": "odp",
    b"application/vnd.oasis.opendocument.spreadsheet": "ods",
}
_OOXML_FOLDERS = {"word/": "docx", "ppt/": "pptx", "xl/": "xlsx"}


def _zipped(head: bytes) -> str:
    """Which zipped document the first local entries show, walking their headers within
    ``head`` (never past it); ``zip`` when they do not say."""
    offset = 0
    for _ in range(64):
        if head[offset : offset + 4] != b"PK\x03\x04" or offset + 30 > len(head):
            break
        flags, method = struct.unpack_from("<HH", head, offset + 6)
        (stored,) = struct.unpack_from("<I", head, offset + 18)
        name_len, extra_len = struct.unpack_from("<HH", head, offset + 26)
        name_at = offset + 30
        name = head[name_at : name_at + name_len].decode("utf-8", "replace")
        data_at = name_at + name_len + extra_len
        if name == "mimetype" and method == 0:
            found = _ODF_MIMETYPES.get(head[data_at : data_at + stored].strip())
            if found:
                return found
        for folder, fmt in _OOXML_FOLDERS.items():
            if name.startswith(folder):
                return fmt
        if flags & 0x8 and stored == 0:
            break  # the size follows the data: the next entry cannot be found from here
        offset = data_at + stored
    return "zip"
