"""Check an EPA bundle by its contents: every file the manifest lists, with its size and
SHA-256, and nothing else.

Only what is inside counts, not how the zip was made: a bundle unzipped and zipped again by
any tool (folder entries, other dates, modes or compression) verifies while its files are
unchanged. A bundle is someone else's file, so each entry is streamed and hashed piece by
piece (memory stays small whatever its size), a name listed twice is refused (an unzip tool
would extract one copy and a check keyed by name would read the other), and an entry that
is encrypted, compressed in a way Python cannot read, or would expand beyond reason is a
problem named in one line, never a traceback. A FIFO or device is never opened.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from companion.exports.bundle import MANIFEST, READ_SCHEMAS, SUMS, BundleError, safe_name

MAX_MANIFEST_BYTES = 64 * 1024**2
MAX_ENTRIES = 50_000
MAX_TOTAL_BYTES = 64 * 1024**3
"""The most a bundle may expand to: far above any portfolio with its recordings."""
MAX_RATIO = 1_000
"""The most an entry over 1 MB may expand per byte stored (a zip bomb expands millions)."""
CHUNK = 1024 * 1024
_SUPPORTED = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}


@dataclass(frozen=True)
class Verified:
    """What ``verify`` found: the manifest and each file checked."""

    manifest: dict[str, Any]
    files: int
    problems: tuple[str, ...]


def _open(path: Path) -> zipfile.ZipFile:
    """The zip at ``path``, refusing anything but a regular file (a FIFO would block)."""
    try:
        info = os.stat(path)
    except OSError as exc:
        raise BundleError(f"{path.name} cannot be read: {exc.strerror or exc}", 2) from None
    if not stat.S_ISREG(info.st_mode):
        raise BundleError(f"{path.name} is not a file: not a bundle", 2)
    try:
        return zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile, ValueError, EOFError) as exc:
        raise BundleError(f"{path.name} is not a bundle: {exc}", 2) from None


def _entries(archive: zipfile.ZipFile, label: str) -> tuple[dict[str, zipfile.ZipInfo], list[str]]:
    """The archive's files by safe name (folders left out), and what is wrong with any."""
    infos = archive.infolist()
    if len(infos) > MAX_ENTRIES:
        raise BundleError(f"{label} holds more than {MAX_ENTRIES:,} files", 2)
    if sum(i.file_size for i in infos) > MAX_TOTAL_BYTES:
        raise BundleError(f"{label} would unpack to more than 64 GB", 2)
    names: dict[str, zipfile.ZipInfo] = {}
    problems: list[str] = []
    for entry in infos:
        if entry.is_dir():
            continue  # a folder entry, as zip -r adds: nothing to check
        try:
            name = safe_name(_utf8_name(entry))
        except BundleError as exc:
            problems.append(exc.message)
            continue
        if name in names:
            problems.append(f"{name} is in the bundle twice: which copy is the evidence?")
            continue
        if stat.S_ISLNK(entry.external_attr >> 16):
            problems.append(f"{name} is a link")
            continue
        names[name] = entry
    return names, problems


def _utf8_name(entry: zipfile.ZipInfo) -> str:
    """The entry's name as its maker wrote it: a zip tool that stores UTF-8 names without
    saying so (Info-ZIP without a UTF-8 locale) gets them read as code page 437."""
    if entry.flag_bits & 0x800:
        return entry.filename
    try:
        return entry.filename.encode("cp437").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return entry.filename


def _read_small(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, limit: int) -> bytes:
    problem = _unreadable(entry)
    if problem is not None:
        raise BundleError(problem, 2)
    if entry.file_size > limit:
        raise BundleError(f"{entry.filename} is too large to be what it says", 2)
    try:
        with archive.open(entry) as handle:
            return handle.read(limit + 1)[:limit]
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError) as exc:
        raise BundleError(f"{entry.filename} cannot be read: {exc}", 2) from None


def _manifest(archive: zipfile.ZipFile, entry: zipfile.ZipInfo | None, label: str) -> Any:
    if entry is None:
        raise BundleError(f"{label} has no {MANIFEST}: not a companion bundle", 2)
    data = _read_small(archive, entry, MAX_MANIFEST_BYTES)
    try:
        manifest = json.loads(data.decode("utf-8"))
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise BundleError(f"{MANIFEST} cannot be read: {exc}", 2) from None
    if not isinstance(manifest, dict) or manifest.get("schema") not in READ_SCHEMAS:
        raise BundleError(f"{MANIFEST} is not a {READ_SCHEMAS[-1]} manifest", 2)
    if not isinstance(manifest.get("files"), list):
        raise BundleError(f"{MANIFEST} lists no files", 2)
    return manifest


def _unreadable(entry: zipfile.ZipInfo) -> str | None:
    """Why an entry cannot be checked at all, before reading a byte of it."""
    if entry.flag_bits & 0x1:
        return f"{entry.filename} is encrypted: it cannot be checked"
    if entry.compress_type not in _SUPPORTED:
        return (
            f"{entry.filename} is compressed in a way companion cannot read "
            f"(method {entry.compress_type})"
        )
    if entry.file_size > CHUNK and entry.file_size / max(entry.compress_size, 1) > MAX_RATIO:
        return (
            f"{entry.filename} would expand to {entry.file_size:,} bytes from "
            f"{entry.compress_size:,}: not a real file"
        )
    return None


def _digest(archive: zipfile.ZipFile, entry: zipfile.ZipInfo) -> tuple[int, str] | str:
    """Size and SHA-256 of an entry, streamed; or why it cannot be read."""
    problem = _unreadable(entry)
    if problem is not None:
        return problem
    digest, size = hashlib.sha256(), 0
    try:
        with archive.open(entry) as handle:
            while piece := handle.read(CHUNK):
                digest.update(piece)
                size += len(piece)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError) as exc:
        return f"{entry.filename} cannot be read from the bundle: {exc}"
    return size, digest.hexdigest()


def _check(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, item: dict[str, Any]) -> str | None:
    """What is wrong with one listed file, or None."""
    name = item["path"]
    found = _digest(archive, entry)
    if isinstance(found, str):
        return found
    size, digest = found
    if size != item.get("size"):
        return f"{name} is {size} bytes, the manifest says {item.get('size')}"
    if digest != item.get("sha256"):
        return f"{name} has changed since the bundle was made"
    return None


def _sums(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, listed: dict[str, str]) -> list[str]:
    """Lines of SHA256SUMS that disagree with the files (what ``sha256sum -c`` would say)."""
    try:
        text = _read_small(archive, entry, MAX_MANIFEST_BYTES).decode("utf-8")
    except (BundleError, UnicodeDecodeError):
        return [f"{SUMS} cannot be read"]
    problems = []
    for line in text.splitlines():
        digest, _, name = line.partition("  ")
        if name and listed.get(name) not in (None, digest):
            problems.append(f"{SUMS} gives {name} another checksum than its contents")
    return problems


def verify(path: Path) -> Verified:
    """Check a bundle: every file in its manifest, the same size and SHA-256, nothing else,
    no path leaving it. Raises BundleError (as bad input) for a file that is not a bundle."""
    archive = _open(path)
    with archive:
        try:
            names, problems = _entries(archive, path.name)
            manifest = _manifest(archive, names.get(MANIFEST), path.name)
            seen: set[str] = set()
            hashes: dict[str, str] = {}
            for item in manifest["files"]:
                if not isinstance(item, dict) or not isinstance(item.get("path"), str):
                    problems.append("a manifest entry without a path")
                    continue
                try:
                    safe_name(item["path"])
                except BundleError as exc:
                    problems.append(f"the manifest lists {exc.message}")
                    continue
                if item["path"] in seen:
                    problems.append(f"the manifest lists {item['path']} twice")
                    continue
                seen.add(item["path"])
                entry = names.get(item["path"])
                if entry is None:
                    problem: str | None = f"{item['path']} is listed but missing"
                else:
                    problem = _check(archive, entry, item)
                    if problem is None:
                        hashes[item["path"]] = str(item.get("sha256"))
                if problem:
                    problems.append(problem)
            manifest_digest = _digest(archive, names[MANIFEST])
            if isinstance(manifest_digest, tuple):
                hashes[MANIFEST] = manifest_digest[1]
            if SUMS in names:
                problems += _sums(archive, names[SUMS], hashes)
            for name in sorted(set(names) - seen - {MANIFEST, SUMS}):
                problems.append(f"{name} is in the bundle but not in the manifest")
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            raise BundleError(f"{path.name} is damaged: {exc}", 2) from None
        return Verified(manifest, len(seen), tuple(problems))


__all__ = ["Verified", "verify"]
