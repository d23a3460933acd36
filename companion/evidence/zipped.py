"""Safe opening of zipped office files (docx, pptx, xlsx, odt, odp, ods).

A zipped document is checked before any library parses it: that it is a zip at all, that
it expands within ``Limits`` (a zip bomb is refused from its directory, without expanding
it) and that no XML part declares a DOCTYPE (entity-expansion bombs and external entities
live there, and real office files never have one). Readers then parse parts only with
``parse_xml``, which never resolves entities or touches the network.

The Markdown pieces every office reader writes (lines, tables, the text cap) live here too,
so the four readers write the same Markdown.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO

from lxml import etree

from companion.evidence.limits import EvidenceReadError, Limits
from companion.evidence.model import FileFacts

ZIP_MAGIC = b"PK\x03\x04"
CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
"""Compound File Binary: old .doc/.ppt/.xls, and Office's password-protected OOXML."""
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")

KIND_WORDS = {
    "docx": "a Word document",
    "pptx": "a PowerPoint presentation",
    "xlsx": "an Excel spreadsheet",
    "odt": "an OpenDocument text document",
    "odp": "an OpenDocument presentation",
    "ods": "an OpenDocument spreadsheet",
}
_SAVE_AS = {
    "docx": "Word",
    "pptx": "PowerPoint",
    "xlsx": "Excel",
    "odt": "LibreOffice Writer",
    "odp": "LibreOffice Impress",
    "ods": "LibreOffice Calc",
}

BIG_PART = 1024 * 1024
"""Parts smaller than this are never judged by their ratio: tiny XML compresses well."""
_PROLOG_BYTES = 64 * 1024
"""An XML part whose root element does not start within this many bytes is refused."""
_XML_PARSER = etree.XMLParser(
    resolve_entities=False,
    no_network=True,
    huge_tree=False,
    load_dtd=False,
    dtd_validation=False,
    remove_comments=True,
    remove_pis=True,
)


def kind_words(fmt: str) -> str:
    """'a Word document' and the like, for messages."""
    return KIND_WORDS.get(fmt, "an office document")


def damaged(path: Path, fmt: str, reason: str) -> EvidenceReadError:
    """The one error a reader raises for whatever a library could not make sense of."""
    reason = " ".join(reason.split())[:120] or "unknown problem"
    return EvidenceReadError(
        "file-damaged", f"{path.name} could not be read as {kind_words(fmt)} ({reason})."
    )


# -- opening ---------------------------------------------------------------------------


@contextmanager
def open_checked(
    path: Path, fmt: str, limits: Limits, *, every_part: bool = True
) -> Iterator[tuple[IO[bytes], zipfile.ZipFile]]:
    """Open ``path`` once, check it as a zipped ``fmt``, and yield the file and its zip.

    The library reads the same open file (rewound) that was checked, so the checked bytes
    are the parsed bytes. With ``every_part``, every XML part's prolog is checked here,
    before a library that parses them all (openpyxl) sees any; a reader that parses only
    the parts it needs, each through ``parse_xml`` (which refuses a DOCTYPE itself), passes
    False and is spared reading the start of every other part.
    """
    try:
        handle = path.open("rb")
    except OSError as error:
        raise EvidenceReadError(
            "file-unreadable", f"{path.name} could not be opened ({error.strerror or error})."
        ) from None
    with handle:
        check_signature(handle, path, fmt)
        handle.seek(0)
        try:
            archive = zipfile.ZipFile(handle)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as error:
            raise damaged(path, fmt, f"the zip is broken or cut short: {error}") from None
        with archive:
            check_archive(archive, path, fmt, limits)
            if every_part:
                check_xml_parts(archive, path, fmt, limits)
            check_kind(archive, path, fmt, limits)
            handle.seek(0)
            yield handle, archive


def check_signature(handle: IO[bytes], path: Path, fmt: str) -> None:
    """Refuse a file that is not a zip, saying what it seems to be instead."""
    head = handle.read(8)
    if head.startswith(ZIP_MAGIC):
        return
    if head.startswith(CFB_MAGIC):
        if _has_encrypted_package(handle):
            raise EvidenceReadError(
                "file-encrypted",
                f"{path.name} is password-protected; save a copy without a password in "
                f"{_SAVE_AS.get(fmt, 'its program')} and add that instead.",
            )
        raise EvidenceReadError(
            "file-wrong-format",
            f"{path.name} is not {kind_words(fmt)} (it is in an older Office format); "
            f"open it in {_SAVE_AS.get(fmt, 'its program')} and save it as .{fmt}.",
        )
    seems = _what_it_seems(head)
    raise EvidenceReadError(
        "file-wrong-format",
        f"{path.name} is not {kind_words(fmt)} ({seems}).",
    )


def _what_it_seems(head: bytes) -> str:
    if not head:
        return "it is empty"
    if head.startswith(b"%PDF"):
        return "it is a PDF; rename it to .pdf"
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8")):
        return "it is a picture"
    if head.startswith((b"{\\rtf",)):
        return "it is a Rich Text file; save it as .docx"
    if head.startswith(b"PK"):
        return "it is a damaged or unusual zip"
    return "it is not a zip of XML parts"


def _has_encrypted_package(handle: IO[bytes]) -> bool:
    """Whether a compound file holds Office's ``EncryptedPackage`` stream.

    The stream's name is stored in UTF-16 in the compound file's directory, which may sit
    anywhere, so the file is scanned in chunks (bounded: documents are size-checked first).
    """
    handle.seek(0)
    tail = b""
    while chunk := handle.read(1024 * 1024):
        window = tail + chunk
        if _ENCRYPTED_STREAM in window:
            return True
        tail = window[-len(_ENCRYPTED_STREAM) :]
    return False


def check_archive(archive: zipfile.ZipFile, path: Path, fmt: str, limits: Limits) -> None:
    """Refuse a zip that would expand past the limits, judged from its directory alone.

    Python's zipfile never returns more than an entry's declared size (it stops there and
    checks the CRC), so the declared sizes bound what any library can be made to expand.
    """
    infos = archive.infolist()
    if len(infos) > limits.max_entries:
        raise EvidenceReadError(
            "file-bomb",
            f"{path.name} holds {len(infos):,} parts, more than any real document "
            f"(at most {limits.max_entries:,} are read).",
        )
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise EvidenceReadError(
                "file-encrypted",
                f"{path.name} is password-protected; save a copy without a password in "
                f"{_SAVE_AS.get(fmt, 'its program')} and add that instead.",
            )
        size = info.file_size
        total += size
        stored = max(info.compress_size, 1)
        if size > limits.max_part_bytes or (size > BIG_PART and size / stored > limits.max_ratio):
            raise EvidenceReadError(
                "file-bomb",
                f"{path.name} has a part that would expand to {size:,} bytes "
                f"from {info.compress_size:,} (a zip bomb, or not a real document).",
            )
    if total > limits.max_unzipped_bytes:
        raise EvidenceReadError(
            "file-bomb",
            f"{path.name} would expand to {total:,} bytes, more than the "
            f"{limits.max_unzipped_bytes:,} a document may.",
        )


def _is_xml_name(name: str) -> bool:
    lower = name.lower()
    return lower.endswith((".xml", ".rels", ".vml")) or lower == "mimetype"


def check_xml_parts(archive: zipfile.ZipFile, path: Path, fmt: str, limits: Limits) -> None:
    """Refuse any XML part with a DOCTYPE, before a library parses it.

    Only the prolog (before the root element) can hold a DOCTYPE, so each part's first
    bytes are enough; a part that is not named as XML is checked too if it starts like XML.
    """
    for info in archive.infolist():
        if info.is_dir() or info.file_size == 0:
            continue
        try:
            with archive.open(info) as part:
                head = part.read(min(_PROLOG_BYTES, info.file_size))
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as error:
            raise damaged(path, fmt, f"part {info.filename} is broken: {error}") from None
        except RuntimeError as error:  # zipfile's "encrypted, password required"
            raise damaged(path, fmt, str(error)) from None
        if not _is_xml_name(info.filename) and not _looks_like_xml(head):
            continue
        verdict = prolog_verdict(head, complete=info.file_size <= _PROLOG_BYTES)
        if verdict == "doctype":
            raise EvidenceReadError(
                "file-bomb",
                f"{path.name} has a part ({info.filename}) declaring its own entities, "
                "which real documents never do; it was not read.",
            )
        if verdict == "long":
            raise damaged(path, fmt, f"part {info.filename} is not well-formed XML")


def _looks_like_xml(head: bytes) -> bool:
    stripped = _decode_head(head).lstrip()
    return stripped.startswith("<")


def _decode_head(head: bytes) -> str:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head.decode("utf-16", errors="replace")
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    return head.decode("utf-8", errors="replace")


_NAME_START = re.compile(r"<[A-Za-z_:\u00c0-\uffff]")


def prolog_verdict(head: bytes, *, complete: bool) -> str:
    """'ok' when the root element starts before any DOCTYPE; 'doctype' when one is
    declared; 'long' when the head ends (not at the end of the part) before the root."""
    text = _decode_head(head)
    position = 0
    while True:
        while position < len(text) and text[position] in " \t\r\n\ufeff":
            position += 1
        rest = text[position : position + 9]
        if position >= len(text):
            return "ok" if complete else "long"
        if rest.startswith("<?"):
            end = text.find("?>", position)
        elif rest.startswith("<!--"):
            end = text.find("-->", position)
        elif rest.upper().startswith(("<!DOCTYPE", "<!ENTITY")):
            return "doctype"
        elif _NAME_START.match(text, position):
            return "ok"
        else:
            # Not XML after all (a broken part): the parser will say so, safely.
            return "doctype" if "<!DOCTYPE" in text.upper() or "<!ENTITY" in text else "ok"
        if end < 0:
            return "ok" if complete else "long"
        position = end + 2


_CT_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_OFFICE_DOCUMENT = "/officeDocument"
_ODF_MIMETYPES = {
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.presentation": "odp",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
}


def sniff_zipped(archive: zipfile.ZipFile, path: Path, limits: Limits) -> str | None:
    """Which office format a checked zip holds, by its content (docx, pptx, xlsx, odt,
    odp, ods), whatever its name says; None for any other zip."""
    mimetype = read_part(archive, "mimetype", path, "zip", limits)
    if mimetype is not None:
        found = _ODF_MIMETYPES.get(mimetype.decode("ascii", errors="replace").strip())
        if found is not None:
            return found
    main = _package_targets(archive, path, "zip", limits).get(_OFFICE_DOCUMENT)
    types = read_part(archive, "[Content_Types].xml", path, "zip", limits)
    if main is None or types is None:
        return None
    try:
        root = parse_xml(types, path, "zip", "[Content_Types].xml")
    except EvidenceReadError as error:
        if error.code == "file-bomb":
            raise
        return None
    content_type = ""
    for override in root.iter(_CT_NS + "Override"):
        if (override.get("PartName") or "").lstrip("/") == main:
            content_type = override.get("ContentType") or ""
    for marker, found in (
        ("wordprocessingml", "docx"),
        ("presentationml", "pptx"),
        ("spreadsheetml", "xlsx"),
        ("ms-word", "docx"),
        ("ms-powerpoint", "pptx"),
        ("ms-excel", "xlsx"),
    ):
        if marker in content_type:
            return found
    return None


def check_kind(archive: zipfile.ZipFile, path: Path, fmt: str, limits: Limits) -> None:
    """Refuse a zip that holds another kind of document (a .pptx renamed .docx)."""
    found = sniff_zipped(archive, path, limits)
    if found == fmt:
        return
    if found is None:
        seems = "it is a zip, but not of a document's parts"
    else:
        seems = f"it is {kind_words(found)}; rename it to .{found}"
    raise EvidenceReadError("file-wrong-format", f"{path.name} is not {kind_words(fmt)} ({seems}).")


# -- parts -----------------------------------------------------------------------------


def read_part(
    archive: zipfile.ZipFile, name: str, path: Path, fmt: str, limits: Limits
) -> bytes | None:
    """A part's bytes (None when absent), never more than ``limits.max_part_bytes``."""
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    try:
        with archive.open(info) as part:
            data = part.read(limits.max_part_bytes + 1)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError) as error:
        raise damaged(path, fmt, f"part {name} is broken: {error}") from None
    if len(data) > limits.max_part_bytes:
        raise EvidenceReadError(
            "file-bomb", f"{path.name} has a part ({name}) larger than any real document's."
        )
    return data


def parse_xml(data: bytes, path: Path, fmt: str, what: str) -> etree._Element:
    """Parse one part with no entities, no DTD and no network; damage becomes an error."""
    if prolog_verdict(data[:_PROLOG_BYTES], complete=len(data) <= _PROLOG_BYTES) == "doctype":
        raise EvidenceReadError(
            "file-bomb",
            f"{path.name} has a part ({what}) declaring its own entities, which real "
            "documents never do; it was not read.",
        )
    try:
        return etree.fromstring(data, _XML_PARSER)
    except etree.XMLSyntaxError as error:
        raise damaged(path, fmt, f"{what} is not well-formed XML: {error}") from None


# -- OOXML package properties ----------------------------------------------------------

_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_CORE_REL = "/metadata/core-properties"
_APP_REL = "/extended-properties"
_CP = "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}"
_DC = "{http://purl.org/dc/elements/1.1/}"
_DCTERMS = "{http://purl.org/dc/terms/}"
_EP = "{http://schemas.openxmlformats.org/officeDocument/2006/extended-properties}"


@dataclass(frozen=True, slots=True)
class PackageProperties:
    """What an OOXML package says of itself (docProps/core.xml and app.xml)."""

    created: str = ""
    modified: str = ""
    title: str = ""
    author: str = ""
    pages: int | None = None
    slides: int | None = None
    words: int | None = None
    application: str = ""

    def facts(
        self,
        fmt: str,
        kind: str,
        size: int,
        *,
        pages: int | None = None,
        slides: int | None = None,
        sheets: int | None = None,
    ) -> FileFacts:
        """What the file is: its kind and counts, with the dates, title and author the
        package says of itself (one place for every office reader)."""
        return FileFacts(
            format=fmt,
            kind=kind,
            size=size,
            pages=pages,
            slides=slides,
            sheets=sheets,
            created=self.created,
            modified=self.modified,
            title=self.title,
            author=self.author,
        )

    @property
    def laid_out(self) -> bool:
        """True when the saved page count is Word's own: Word counts pages and words on every
        save, while other programs (LibreOffice, python-docx's template) keep a stale
        ``Pages`` of 1 and no words."""
        return "word" in self.application.lower() and bool(self.words)


def package_properties(
    archive: zipfile.ZipFile, path: Path, fmt: str, limits: Limits
) -> PackageProperties:
    """Read the package's own properties, or none; a library's defaults are never used
    (python-docx invents a title and a 'now' date when the part is missing)."""
    targets = _package_targets(archive, path, fmt, limits)
    created = modified = title = author = ""
    pages: int | None = None
    slides: int | None = None
    words: int | None = None
    application = ""
    core = _optional_part(archive, targets.get(_CORE_REL, "docProps/core.xml"), path, fmt, limits)
    if core is not None:
        created = iso_date(_child_text(core, _DCTERMS + "created"))
        modified = iso_date(_child_text(core, _DCTERMS + "modified"))
        title = _child_text(core, _DC + "title")
        author = _child_text(core, _DC + "creator")
    app = _optional_part(archive, targets.get(_APP_REL, "docProps/app.xml"), path, fmt, limits)
    if app is not None:
        pages = _count(_child_text(app, _EP + "Pages"))
        slides = _count(_child_text(app, _EP + "Slides"))
        words = _count(_child_text(app, _EP + "Words"))
        application = _child_text(app, _EP + "Application")
    return PackageProperties(created, modified, title, author, pages, slides, words, application)


def _package_targets(
    archive: zipfile.ZipFile, path: Path, fmt: str, limits: Limits
) -> dict[str, str]:
    data = read_part(archive, "_rels/.rels", path, fmt, limits)
    if data is None:
        return {}
    try:
        root = parse_xml(data, path, fmt, "_rels/.rels")
    except EvidenceReadError as error:
        if error.code == "file-bomb":
            raise
        return {}
    targets: dict[str, str] = {}
    for rel in root.iter(_REL_NS + "Relationship"):
        kind = rel.get("Type") or ""
        target = (rel.get("Target") or "").lstrip("/")
        for suffix in (_CORE_REL, _APP_REL, _OFFICE_DOCUMENT):
            if kind.endswith(suffix) and target:
                targets.setdefault(suffix, target)
    return targets


def _optional_part(
    archive: zipfile.ZipFile, name: str, path: Path, fmt: str, limits: Limits
) -> etree._Element | None:
    """A metadata part, or None when absent or unreadable: metadata never fails a file."""
    data = read_part(archive, name, path, fmt, limits)
    if data is None:
        return None
    try:
        return parse_xml(data, path, fmt, name)
    except EvidenceReadError as error:
        if error.code == "file-bomb":
            raise
        return None


def _child_text(root: etree._Element, tag: str) -> str:
    for element in root.iter(tag):
        return " ".join("".join(element.itertext()).split())
    return ""


def _count(text: str) -> int | None:
    text = text.strip()
    if not text.isdigit():
        return None
    value = int(text)
    return value if value < 10_000_000 else None


_DATE = re.compile(r"\s*(\d{4}-\d{2}-\d{2})")


def iso_date(text: str | None) -> str:
    """The YYYY-MM-DD a timestamp starts with, or '' when it is not a real date."""
    match = _DATE.match(text or "")
    if match is None:
        return ""
    try:
        return date.fromisoformat(match.group(1)).isoformat()
    except ValueError:
        return ""


# -- Markdown --------------------------------------------------------------------------

_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u3000\v\f\r\n]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_line(text: str) -> str:
    """One line of text: whitespace collapsed, control characters dropped, and anything
    that would read as a place mark or a heading escaped, so a file cannot forge them."""
    text = _SPACES.sub(" ", _CONTROL.sub("", text.replace("\v", " "))).strip()
    text = text.replace("<!--", "<\\!--")
    if text.startswith("#"):
        text = "\\" + text
    return text


def table_cell(text: str) -> str:
    """A table cell: one line, with its pipes escaped."""
    return clean_line(text).replace("|", "\\|")


def markdown_table(rows: Iterable[list[str]]) -> str:
    """Rows of cell texts as a Markdown table, the first row as its head; rows are padded
    to the widest. Empty rows are left out; '' when nothing is left."""
    kept = [row for row in rows if any(cell.strip() for cell in row)]
    if not kept:
        return ""
    width = max(len(row) for row in kept)
    lines: list[str] = []
    for number, row in enumerate(kept):
        cells = [table_cell(cell) for cell in row] + [""] * (width - len(row))
        lines.append("| " + " | ".join(cells) + " |")
        if number == 0:
            lines.append("|" + " --- |" * width)
    return "\n".join(lines)


def mark(place: str) -> str:
    """A place mark line, e.g. ``<!-- page 3 -->``."""
    return f"<!-- {place} -->"


def sheet_mark(name: str) -> str:
    """``<!-- sheet NAME -->`` with a name that cannot close the comment early."""
    return mark("sheet " + clean_line(name).replace("--", "\u2010\u2010"))


class TextBuilder:
    """Blocks of Markdown kept under ``limits.max_text_chars``; once full, the rest is
    dropped and ``notes`` says so, so a huge file costs no more than the cap."""

    def __init__(self, limits: Limits, what: str = "text") -> None:
        self._limit = limits.max_text_chars
        self._what = what
        self._blocks: list[str] = []
        self._used = 0
        self.full = False
        self.notes: list[str] = []

    def add(self, block: str) -> None:
        """Add a block (a paragraph, heading, table or mark); blank blocks are ignored."""
        if self.full or not block.strip():
            return
        cost = len(block) + 2
        if self._used + cost > self._limit:
            self.full = True
            self.notes.append(
                f"Only the first {self._limit:,} characters of {self._what} were read; "
                "the rest was left out."
            )
            return
        self._blocks.append(block)
        self._used += cost

    @property
    def blocks(self) -> list[str]:
        """The blocks so far."""
        return self._blocks

    def text(self) -> str:
        """The Markdown: blocks separated by blank lines, ending with a newline."""
        return "\n\n".join(self._blocks) + ("\n" if self._blocks else "")


def first_lines(blocks: list[str], count: int = 40) -> str:
    """The text up to the first ``<!-- page`` mark, or else its first ``count`` lines."""
    kept: list[str] = []
    lines = 0
    for block in blocks:
        if block.startswith("<!-- page "):
            return "\n\n".join(kept) + ("\n" if kept else "")
        kept.append(block)
        lines += block.count("\n") + 1
        if lines >= count:
            break
    text = "\n\n".join(kept)
    head = text.split("\n")
    if len([line for line in head if line.strip()]) > count:
        nonblank = 0
        for index, line in enumerate(head):
            nonblank += bool(line.strip())
            if nonblank == count:
                text = "\n".join(head[: index + 1])
                break
    return text + ("\n" if text else "")


def unique(texts: Iterable[str]) -> tuple[str, ...]:
    """Each non-empty text once, in first-seen order."""
    seen: dict[str, None] = {}
    for text in texts:
        text = text.strip()
        if text:
            seen.setdefault(text, None)
    return tuple(seen)
