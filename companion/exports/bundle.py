"""The EPA bundle: the portfolio as the learner hands it in at gateway, as one zip they own.

It holds, under ``portfolio/``, the evidence notes tagged to ACs of the portfolio-assessed
units (as written) and the files they point at inside the portfolio; the AC and KSB
Evidence Matrices (DOCX and XLSX); the proposal summary (DOCX); the gateway checklist as it
stands; and MANIFEST.json, listing every file with its size and SHA-256, the learner, when
it was made and by which version. While gateway is blocked it is refused unless it is made
as a draft, which says so in the manifest, in a README and on every document. ``verify``
checks a bundle against its manifest; no path in a bundle may leave it.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import stat
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import Any

from companion import __version__, clock
from companion.assessment.gateway import blocking, gateway_check
from companion.assessment.proposal import read_summary
from companion.assessment.status import Status
from companion.documents.model import Document, long_date
from companion.documents.writers import render
from companion.errors import CompanionError
from companion.exports.matrix import ac_matrix, ac_matrix_document, ksb_matrix, ksb_matrix_document
from companion.exports.proposal import summary_docx
from companion.files import atomic_write, read_regular
from companion.notes.file import NoteReadError

MANIFEST = "MANIFEST.json"
BUNDLE_SCHEMA = "companion.bundle/1"
MAX_BUNDLE_BYTES = 2 * 1024**3
"""The most a bundle may unpack to when verified: far above any portfolio, far below a bomb."""
MAX_ENTRIES = 20_000
MAX_FILE_BYTES = 256 * 1024**2
"""The largest file a bundle takes in: a video is shared with the assessor another way."""
_LINK = re.compile(r"!?\[[^\]\n]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")


class BundleError(CompanionError):
    """A bundle that cannot be made, or one that does not verify."""

    exit_status = 1


@dataclass(frozen=True)
class Verified:
    """What ``verify`` found: the manifest and each file checked."""

    manifest: dict[str, Any]
    files: int
    problems: tuple[str, ...]


def _safe_name(name: str) -> str:
    """``name`` as a path inside the zip, or raise: relative, no '..', no drive or backslash."""
    path = PurePosixPath(name)
    if (
        not name
        or "\\" in name
        or name.startswith("/")
        or path.is_absolute()
        or any(part in ("..", "") for part in path.parts)
        or ":" in path.parts[0]
    ):
        raise BundleError(f"'{name[:80]}' is not a path that stays inside the bundle")
    return str(path)


def _attachments(status: Status, relative: str) -> list[str]:
    """Files a note points at that are inside the portfolio (links, images, ``attachments``)."""
    portfolio = status.portfolio
    record = portfolio.records[relative]
    named: list[str] = [str(a) for a in record.get("attachments") or [] if isinstance(a, str)]
    try:
        body = (portfolio.root / relative).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        body = ""
    named += [m.group(1) for m in _LINK.finditer(body)]
    root = portfolio.root.resolve()
    found: list[str] = []
    for target in named:
        if "://" in target or target.startswith(("#", "mailto:")):
            continue
        candidate = (portfolio.root / relative).parent / target.split("#", 1)[0]
        try:
            resolved = candidate.resolve()
            info = candidate.lstat()
        except (OSError, RuntimeError):
            continue
        if not resolved.is_relative_to(root) or not stat.S_ISREG(info.st_mode):
            continue
        if resolved.suffix.lower() in (".md", ".markdown"):
            continue  # a note is evidence in its own right, or not evidence
        found.append(resolved.relative_to(root).as_posix())
    return found


def evidence_notes(status: Status) -> list[str]:
    """The notes tagged to an AC of a portfolio-assessed unit, readable, in path order."""
    portfolio = status.portfolio
    units = {u.id for u in status.units if portfolio.profile.method(u.id) == "portfolio"}
    return sorted(
        rel
        for rel, record in portfolio.records.items()
        if not record.error
        and any(str(t.get("ac", "")).split("/")[0] in units for t in record.tags)
    )


def _checklist_text(status: Status, draft: bool) -> str:
    items = gateway_check(status)
    lines = [f"Gateway checklist for {status.portfolio.profile.learner or 'the learner'}"]
    lines.append(f"Produced {long_date(clock.now())}" + (" · DRAFT" if draft else ""))
    lines.append("")
    marks = {"pass": "PASS", "fail": "FAIL", "warn": "WARN"}
    for item in items:
        lines += [f"{marks[item.state]}  {item.label}", f"      {item.reason}"]
    blocked = blocking(items)
    lines += ["", "ready for gateway" if not blocked else f"{len(blocked)} item(s) block gateway"]
    return "\n".join(lines) + "\n"


def _documents(status: Status, draft: bool) -> dict[str, bytes]:
    """The matrices (DOCX and XLSX) and, where there is one, the proposal summary."""
    files: dict[str, bytes] = {}
    documents: list[tuple[str, Document]] = [
        ("AC Evidence Matrix", ac_matrix_document(ac_matrix(status)))
    ]
    if status.portfolio.content.has_ksbs:
        documents.append(("KSB Evidence Matrix", ksb_matrix_document(ksb_matrix(status))))
    for name, document in documents:
        document = replace(document, draft=draft)
        for fmt in ("docx", "xlsx"):
            files[f"matrices/{name}.{fmt}"] = render(document, fmt)
    portfolio = status.portfolio
    if portfolio.content.standard.proposal_sections:
        try:
            summary = read_summary(
                portfolio.root,
                portfolio.profile.proposal_summary,
                portfolio.content,
                portfolio.profile.word_count,
            )
        except NoteReadError:
            summary = None
        if summary is not None and summary.exists:
            files["proposal/Proposal summary.docx"] = summary_docx(
                summary, portfolio.profile.learner, draft=draft
            )
    return files


def _read(root: Path, name: str) -> bytes:
    try:
        data = read_regular(root / name, MAX_FILE_BYTES)
    except (OSError, CompanionError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else str(exc)
        raise BundleError(f"{name} cannot be read: {reason or exc}") from None
    if len(data) > MAX_FILE_BYTES:
        raise BundleError(f"{name} is larger than 256 MB; share it with the assessor separately")
    return data


def bundle_files(status: Status, *, draft: bool = False) -> dict[str, bytes]:
    """Every file of the bundle by its path inside it (MANIFEST.json last)."""
    portfolio = status.portfolio
    if portfolio.content.has_gateway and not draft:
        blocked = blocking(gateway_check(status))
        if blocked:
            raise BundleError(
                f"gateway is blocked by {len(blocked)} item(s) ("
                + "; ".join(i.label for i in blocked[:3])
                + "); fix them, or make it as a draft (--draft) to share as it stands"
            )
    files: dict[str, bytes] = {}
    missing: list[str] = []
    for relative in evidence_notes(status):
        card = portfolio.records[relative].file
        named = [relative, *_attachments(status, relative)]
        if card is not None and (card.problem or not card.path):
            missing.append(f"{card.name} (named by {relative}): {card.message}")
        elif card is not None:
            named.append(card.path)
        for name in named:
            key = f"portfolio/{name}"
            if key not in files:
                files[key] = _read(portfolio.root, name)
    if missing and not draft:
        raise BundleError(
            f"{len(missing)} evidence file(s) cannot go in the bundle: "
            + "; ".join(missing[:3])
            + ("; …" if len(missing) > 3 else "")
            + ". Put each file back beside its card, or make a draft (--draft) that lists them"
        )
    files.update(_documents(status, draft))
    if portfolio.content.has_gateway:
        files["gateway-checklist.txt"] = _checklist_text(status, draft).encode("utf-8")
    if draft:
        readme = (
            "DRAFT: this bundle was made while gateway was not ready. It shows the portfolio "
            "as it stands; it is not for submission.\n"
        )
        if missing:
            readme += "\nEvidence files that are not in this bundle:\n" + "".join(
                f"- {m}\n" for m in missing
            )
        files["README.txt"] = readme.encode("utf-8")
    manifest = {
        "schema": BUNDLE_SCHEMA,
        "learner": portfolio.profile.learner,
        "framework": portfolio.content.standard.id,
        "made": clock.now().isoformat(timespec="seconds"),
        "generator": f"companion {__version__}",
        "draft": draft,
        "files": [
            {
                "path": _safe_name(name),
                "size": len(data),
                "sha256": hashlib.sha256(data).hexdigest(),
            }
            for name, data in sorted(files.items())
        ],
    }
    files[MANIFEST] = (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    return files


def _listing(name: str, data: bytes) -> dict[str, Any]:
    return {"path": _safe_name(name), "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}


def write_bundle(status: Status, out: Path, *, draft: bool = False) -> dict[str, bytes]:
    """Write the bundle to ``out`` (atomically; nothing written when it is refused)."""
    files = bundle_files(status, draft=draft)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            info = zipfile.ZipInfo(_safe_name(name), date_time=clock.now().timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    atomic_write(out, buffer.getvalue())
    return files


def _entries(archive: zipfile.ZipFile, label: str) -> tuple[dict[str, zipfile.ZipInfo], list[str]]:
    """The archive's entries by safe name, and the problems with any that are not safe."""
    entries = archive.infolist()
    if len(entries) > MAX_ENTRIES:
        raise BundleError(f"{label} holds more than {MAX_ENTRIES:,} files", 2)
    if sum(e.file_size for e in entries) > MAX_BUNDLE_BYTES:
        raise BundleError(f"{label} would unpack to more than 2 GB", 2)
    names: dict[str, zipfile.ZipInfo] = {}
    problems: list[str] = []
    for entry in entries:
        try:
            names[_safe_name(entry.filename)] = entry
        except BundleError as exc:
            problems.append(exc.message)
        if stat.S_ISLNK(entry.external_attr >> 16):
            problems.append(f"{entry.filename} is a link")
    return names, problems


def _manifest(archive: zipfile.ZipFile, entry: zipfile.ZipInfo | None, label: str) -> Any:
    if entry is None:
        raise BundleError(f"{label} has no {MANIFEST}: not a companion bundle", 2)
    if entry.file_size > 64 * 1024**2:
        raise BundleError(f"{label}'s {MANIFEST} is too large to be a manifest", 2)
    try:
        manifest = json.loads(archive.read(entry).decode("utf-8"))
    except (ValueError, UnicodeDecodeError, RecursionError, zipfile.BadZipFile) as exc:
        raise BundleError(f"{MANIFEST} cannot be read: {exc}", 2) from None
    if not isinstance(manifest, dict) or manifest.get("schema") != BUNDLE_SCHEMA:
        raise BundleError(f"{MANIFEST} is not a {BUNDLE_SCHEMA} manifest", 2)
    if not isinstance(manifest.get("files"), list):
        raise BundleError(f"{MANIFEST} lists no files", 2)
    return manifest


def _check(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, item: dict[str, Any]) -> str | None:
    """What is wrong with one listed file, or None."""
    name = item["path"]
    try:
        data = archive.read(entry)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        return f"{name} cannot be read from the bundle: {exc}"
    if len(data) != item.get("size"):
        return f"{name} is {len(data)} bytes, the manifest says {item.get('size')}"
    if hashlib.sha256(data).hexdigest() != item.get("sha256"):
        return f"{name} has changed since the bundle was made"
    return None


def verify(path: Path) -> Verified:
    """Check a bundle: every file in its manifest, the same size and SHA-256, nothing else,
    no path leaving it. Raises BundleError (as bad input) for a file that is not a bundle."""
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile, ValueError) as exc:
        raise BundleError(f"{path.name} is not a bundle: {exc}", 2) from None
    with archive:
        names, problems = _entries(archive, path.name)
        manifest = _manifest(archive, names.get(MANIFEST), path.name)
        seen: set[str] = set()
        for item in manifest["files"]:
            if not isinstance(item, dict) or not isinstance(item.get("path"), str):
                problems.append("a manifest entry without a path")
                continue
            seen.add(item["path"])
            try:
                _safe_name(item["path"])
            except BundleError as exc:
                problems.append(f"the manifest lists {exc.message}")
                continue
            entry = names.get(item["path"])
            if entry is None:
                problem: str | None = f"{item['path']} is listed but missing"
            else:
                problem = _check(archive, entry, item)
            if problem:
                problems.append(problem)
        for name in sorted(set(names) - seen - {MANIFEST}):
            problems.append(f"{name} is in the bundle but not in the manifest")
        return Verified(manifest, len(seen), tuple(problems))
