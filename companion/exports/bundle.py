"""The EPA bundle: the portfolio as the learner hands it in at gateway, as one zip they own.

An assessor needs nothing but a PDF reader and an unzip tool to use it:

- ``evidence/``: every piece of evidence tagged to an AC of a portfolio-assessed unit, named
  by its reference (``E006 Away day presentation.pdf``). A note is rendered as a PDF without
  its front matter, with the handbook's header and footer on every page (learner name, date
  produced, evidence reference, page numbers); an evidence file (Word, PDF, slides, a
  recording) is kept byte for byte; a file a piece points at (a link, an embed such as
  ``![[board-deck.pdf]]``, ``attachments:``) goes with it, named after it.
- ``Evidence index.pdf``: each piece's reference, title, type, date, file in the bundle, ACs
  and KSBs; the same index closes the AC Evidence Matrix (DOCX, XLSX and PDF, in
  ``matrices/``), so the matrix's E006 leads to its file.
- the proposal summary, the gateway checklist, ``README.txt`` (what is inside and how to
  check it), ``SHA256SUMS`` (``sha256sum -c SHA256SUMS`` in the unzipped folder) and
  ``MANIFEST.json`` (every file with its size and SHA-256, the learner, when and by what).

Every file a piece points at and cannot be found is named, and the bundle refused, unless it
is made as a draft, which lists them in its README. While gateway is blocked it is refused
unless it is a draft, which says so in the manifest, the README and on every document.
Files are streamed into the zip (zip64 past 4 GB), so memory stays small whatever their
size; ``companion.exports.bundle_verify`` checks a bundle by its contents.
"""

from __future__ import annotations

import hashlib
import json
import re
import stat
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath

from companion import __version__, clock
from companion.assessment.gateway import blocking, gateway_check
from companion.assessment.proposal import read_summary
from companion.assessment.status import Status
from companion.documents.model import Document, Row, Table, long_date
from companion.documents.writers import render
from companion.errors import CompanionError
from companion.exports.matrix import ac_matrix, ac_matrix_document, ksb_matrix, ksb_matrix_document
from companion.exports.proposal import summary_docx, summary_pdf
from companion.files import atomic_output
from companion.notes.file import NoteReadError, read_note_file
from companion.notes.record import NoteRecord
from companion.text.counted import counted

MANIFEST = "MANIFEST.json"
SUMS = "SHA256SUMS"
README = "README.txt"
INDEX = "Evidence index.pdf"
BUNDLE_SCHEMA = "companion.bundle/2"
READ_SCHEMAS = ("companion.bundle/1", BUNDLE_SCHEMA)
"""The manifests ``verify`` reads: bundles made before evidence was named by reference too."""
CHUNK = 1024 * 1024
_LINK = re.compile(r"!?\[[^\]\n]*\]\(<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\)")
_EMBED = re.compile(r"!?\[\[([^\]|#\n]+)(?:#[^\]|\n]*)?(?:\|[^\]\n]*)?\]\]")
_UNSAFE = re.compile(r"[\x00-\x1f\x7f<>:\"/\\|?*]+")


class BundleError(CompanionError):
    """A bundle that cannot be made, or one that does not verify."""

    exit_status = 1


CLI_DRAFT = "make it as a draft (--draft)"
"""How the command line makes a draft; the app names its own control."""


class BundleRefused(BundleError):
    """A final bundle refused while something blocks it: every item that does, so the
    learner sees the whole list at once rather than three at a time."""

    def __init__(self, intro: str, reasons: list[str], advice: str) -> None:
        self.intro = intro
        self.reasons = reasons
        self.advice = advice
        super().__init__(self.said(CLI_DRAFT))

    def said(self, draft: str) -> str:
        """The refusal, naming ``draft`` as the way to share it as it stands."""
        return f"{self.intro}: " + "; ".join(self.reasons) + f". {self.advice.format(draft=draft)}"


Source = Path | Callable[[], bytes]
"""Where an entry's bytes come from: a file streamed as it is, or bytes made when written."""


@dataclass(frozen=True)
class Entry:
    """One file of the bundle."""

    name: str
    source: Source


@dataclass
class Plan:
    """Everything that goes in, and what could not be found."""

    entries: list[Entry] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    index: list[Row] = field(default_factory=list)
    evidence: int = 0


def safe_name(name: str) -> str:
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


_ASCII = str.maketrans({"—": "-", "–": "-", "‘": "'", "’": "'", "“": "'", "”": "'", "…": "..."})


def file_label(text: str, limit: int = 80) -> str:
    """A title as a file name every system and unzip tool reads the same: plain letters
    (an é as e, a dash as -; a tool that does not know a zip's names are UTF-8 would show
    them garbled), no separators, no control characters."""
    plain = unicodedata.normalize("NFKD", text.translate(_ASCII))
    plain = plain.encode("ascii", "ignore").decode("ascii")
    cleaned = " ".join(_UNSAFE.sub(" ", plain).split()).strip(" .")
    return cleaned[:limit].rstrip(" .") or "untitled"


def evidence_notes(status: Status) -> list[str]:
    """The notes tagged to an AC of a portfolio-assessed unit, readable, in path order."""
    portfolio = status.portfolio
    units = {u.id for u in status.units if portfolio.profile.method(u.id) == "portfolio"}
    return sorted(
        rel
        for rel, record in portfolio.records.items()
        if not record.error and any(t.ac.split("/")[0] in units for t in record.tags)
    )


def pointed_at(status: Status, relative: str) -> tuple[list[str], list[str]]:
    """Files a note points at: those found inside the portfolio (paths in it), and those
    that cannot be (as written). Links to the web, to other notes and to places in the
    note are not files; a link that leaves the portfolio is never followed."""
    portfolio = status.portfolio
    record = portfolio.records[relative]
    named: list[str] = [str(a) for a in record.get("attachments") or [] if isinstance(a, str)]
    try:
        body = read_note_file(portfolio.root / relative).body
    except (NoteReadError, OSError):
        body = ""
    named += [m.group(1) for m in _LINK.finditer(body)]
    embeds = [m.group(1).strip() for m in _EMBED.finditer(body)]
    root = portfolio.root.resolve()
    found: list[str] = []
    missing: list[str] = []
    for target, embed in [(t, False) for t in named] + [(e, True) for e in embeds]:
        if "://" in target or target.startswith(("#", "mailto:")) or not target:
            continue
        target = target.split("#", 1)[0]
        if target.lower().endswith((".md", ".markdown")) or (embed and "." not in target):
            continue  # a note is evidence in its own right, or not evidence
        if embed:  # Obsidian finds an embed by its name anywhere in the vault
            candidates = [(root / relative).parent / target, root / target]
            candidates += [root / p for p in portfolio.evidence_files if p.endswith("/" + target)]
        else:
            candidates = [(root / relative).parent / target]
        place = _inside(candidates, root)
        if place.startswith("!"):
            missing.append(f"{target}: {place[1:]}")
        elif place not in found:
            found.append(place)
    return found, missing


def _inside(candidates: list[Path], root: Path) -> str:
    """The first candidate that is a regular file inside ``root`` (links resolved), as a
    path in the portfolio; or ``!`` and why none can go in the bundle."""
    why = "not found"
    for candidate in candidates:
        try:
            resolved = candidate.resolve()
            info = candidate.lstat()
        except (OSError, RuntimeError):
            continue
        if not resolved.is_relative_to(root) or stat.S_ISLNK(info.st_mode):
            why = "outside the portfolio (or a link to outside it): copy it in to hand it in"
        elif stat.S_ISREG(info.st_mode):
            return resolved.relative_to(root).as_posix()
        else:
            why = "not a file"
    return "!" + why


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


def _piece_name(record: NoteRecord) -> str:
    """How a piece of evidence is named in the bundle: its reference, then its title."""
    ref = file_label(record.ref, 20) if record.ref else "(no ref)"
    return f"{ref} {file_label(record.title)}"


def _ksbs(status: Status, record: NoteRecord) -> str:
    content = status.portfolio.content
    found: list[str] = []
    for tag in record.tags:
        criterion = content.criterion(tag.ac)
        for ksb in criterion.ksbs if criterion is not None else ():
            if ksb not in found:
                found.append(ksb)
    return ", ".join(found)


def _unique(name: str, taken: set[str]) -> str:
    """``name``, or ``name (2)`` and so on when another entry has it already."""
    stem, dot, suffix = name.rpartition(".")
    base, ext = (stem, f".{suffix}") if dot else (name, "")
    candidate, number = name, 2
    while candidate.lower() in taken:
        candidate, number = f"{base} ({number}){ext}", number + 1
    taken.add(candidate.lower())
    return candidate


def plan_bundle(status: Status, draft: bool) -> Plan:
    """What goes in the bundle, named as the assessor sees it."""
    from companion.exports.note_pdf import note_pdf

    portfolio = status.portfolio
    plan = Plan()
    taken: set[str] = set()
    for relative in sorted(evidence_notes(status), key=lambda rel: _by_ref(portfolio.records[rel])):
        record = portfolio.records[relative]
        base = _piece_name(record)
        names: list[str] = []
        card = record.file
        note = portfolio.root / relative
        if card is not None:
            if card.problem or not card.path:
                plan.missing.append(f"{card.name} (the file of {relative}): {card.message}")
            else:
                suffix = PurePosixPath(card.path).suffix
                name = _unique(f"evidence/{base}{suffix}", taken)
                plan.entries.append(Entry(name, portfolio.root / card.path))
                names.append(name)
            if record.get("recording") or _has_words(note):  # a transcript, a commentary
                name = _unique(f"evidence/{base} (card).pdf", taken)
                plan.entries.append(Entry(name, _note_maker(status, record, draft, note_pdf)))
                names.append(name)
        else:
            name = _unique(f"evidence/{base}.pdf", taken)
            plan.entries.append(Entry(name, _note_maker(status, record, draft, note_pdf)))
            names.append(name)
        found, missing = pointed_at(status, relative)
        plan.missing += [f"{target} (named in {relative})" for target in missing]
        for target in found:
            name = _unique(f"evidence/{base} - {file_label(PurePosixPath(target).name)}", taken)
            plan.entries.append(Entry(name, portfolio.root / target))
            names.append(name)
        plan.evidence += 1
        plan.index.append(
            Row(
                [
                    record.ref,
                    record.title,
                    str(record.get("type") or ""),
                    str(record.get("date") or ""),
                    "\n".join(n.removeprefix("evidence/") for n in names),
                    ", ".join(t.ac for t in record.tags),
                    _ksbs(status, record),
                ]
            )
        )
    return plan


def _by_ref(record: NoteRecord) -> tuple[bool, str, int, str]:
    """Evidence in the order of its references (E2 before E10), unreferenced last."""
    match = re.fullmatch(r"(\D*)(\d+)", record.ref)
    if match is None:
        return (not record.ref, record.ref.casefold(), 0, record.path)
    return (False, match.group(1).casefold(), int(match.group(2)), record.path)


def _has_words(note: Path) -> bool:
    """True when a card holds more than its front matter and the template's comment."""
    try:
        body = read_note_file(note).body
    except (NoteReadError, OSError):
        return False
    text = re.sub(r"<!--.*?-->", "", body, flags=re.DOTALL)
    return len(text.split()) >= 5


def _note_maker(
    status: Status, record: NoteRecord, draft: bool, note_pdf: Callable[..., bytes]
) -> Callable[[], bytes]:
    return lambda: note_pdf(status, record, draft=draft)


def index_table(plan: Plan) -> Table:
    """The evidence index: what each reference is and where it is in the bundle."""
    return Table(
        "Evidence index",
        ["Ref", "Title", "Type", "Date", "File in the bundle", "ACs", "KSBs"],
        plan.index,
        key="Evidence index",
        widths=(8, 24, 10, 10, 26, 12, 10),
    )


def _documents(status: Status, plan: Plan, draft: bool) -> list[Entry]:
    """The index, the matrices (DOCX, XLSX and PDF) and the proposal summary."""
    portfolio = status.portfolio
    learner = portfolio.profile.learner
    index = Document(
        "Evidence index",
        f"{learner} — the evidence in this bundle, by reference",
        [index_table(plan)],
        learner=learner,
        produced=clock.now(),
        draft=draft,
    )
    entries = [Entry(INDEX, lambda: render(index, "pdf"))]
    matrix = ac_matrix_document(ac_matrix(status))
    documents: list[tuple[str, Document]] = [
        ("AC Evidence Matrix", replace(matrix, tables=[*matrix.tables, index_table(plan)]))
    ]
    if portfolio.content.has_ksbs:
        documents.append(("KSB Evidence Matrix", ksb_matrix_document(ksb_matrix(status))))
    for name, document in documents:
        document = replace(document, draft=draft)
        for fmt in ("docx", "xlsx", "pdf"):
            entries.append(Entry(f"matrices/{name}.{fmt}", _renderer(document, fmt)))
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
            made = summary
            entries.append(
                Entry(
                    "proposal/Proposal summary.docx",
                    lambda: summary_docx(made, learner, draft=draft),
                )
            )
            entries.append(
                Entry(
                    "proposal/Proposal summary.pdf",
                    lambda: summary_pdf(made, learner, draft=draft),
                )
            )
    return entries


def _renderer(document: Document, fmt: str) -> Callable[[], bytes]:
    return lambda: render(document, fmt)


def _readme(status: Status, plan: Plan, draft: bool) -> str:
    learner = status.portfolio.profile.learner or "the learner"
    lines = []
    if draft:
        lines += [
            "DRAFT: this bundle was made while gateway was not ready. It shows the portfolio "
            "as it stands; it is not for submission.",
            "",
        ]
    lines += [
        f"EPA portfolio of {learner}",
        f"Made {long_date(clock.now())} by companion {__version__}.",
        "",
        "What is inside",
        "  Evidence index.pdf   every piece of evidence: its reference, title, type, date,",
        "                       file in this bundle, and the ACs and KSBs it evidences",
        "  evidence/            each piece, named by its reference: notes as PDFs with the",
        "                       learner's name, the date produced and the reference on every",
        "                       page; Word, PDF, slide and recording files as they were handed in",
        "  matrices/            the AC and KSB Evidence Matrices (Word, Excel and PDF)",
        "  proposal/            the Strategic Business Proposal summary",
        "  gateway-checklist.txt  the gateway readiness checklist",
        "",
        "How to check it",
        "  Unzip it, then in the unzipped folder run:  sha256sum -c SHA256SUMS",
        "  (on macOS: shasum -a 256 -c SHA256SUMS). Every file should say OK.",
        "  MANIFEST.json lists the same files with their sizes, for companion's own check:",
        "  companion export bundle --verify <this zip>",
    ]
    if plan.missing:
        lines += ["", "Evidence files that are not in this bundle (they could not be found):"]
        lines += [f"  - {m}" for m in plan.missing]
    return "\n".join(lines) + "\n"


def _chunks(source: Source) -> Iterator[bytes]:
    if isinstance(source, Path):
        with open(source, "rb") as handle:
            while piece := handle.read(CHUNK):
                yield piece
    else:
        yield source()


def _put(archive: zipfile.ZipFile, name: str, source: Source) -> dict[str, object]:
    """Stream one entry into the zip, hashing it on the way: its manifest line."""
    info = zipfile.ZipInfo(safe_name(name), date_time=clock.now().timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    digest, size = hashlib.sha256(), 0
    with archive.open(info, "w", force_zip64=True) as entry:
        for piece in _chunks(source):
            digest.update(piece)
            size += len(piece)
            entry.write(piece)
    return {"path": info.filename, "size": size, "sha256": digest.hexdigest()}


@dataclass(frozen=True)
class Written:
    """What a bundle holds: its file names in order, and how many pieces of evidence."""

    names: list[str]
    evidence: int


def write_bundle(status: Status, out: Path, *, draft: bool = False) -> Written:
    """Write the bundle to ``out`` (atomically; nothing written when it is refused)."""
    portfolio = status.portfolio
    if portfolio.content.has_gateway and not draft:
        blocked = blocking(gateway_check(status))
        if blocked:
            raise BundleRefused(
                f"gateway is blocked by {counted(len(blocked), 'item')}",
                [i.label for i in blocked],
                "Fix them, or {draft} to share it as it stands",
            )
    plan = plan_bundle(status, draft)
    if plan.missing and not draft:
        raise BundleRefused(
            f"{counted(len(plan.missing), 'file')} the evidence names cannot be found",
            list(plan.missing),
            "Put each one back, or {draft}: it lists them",
        )
    entries = [*plan.entries, *_documents(status, plan, draft)]
    if portfolio.content.has_gateway:
        checklist = _checklist_text(status, draft).encode("utf-8")
        entries.append(Entry("gateway-checklist.txt", lambda: checklist))
    readme = _readme(status, plan, draft).encode("utf-8")
    entries.insert(0, Entry(README, lambda: readme))
    listed: list[dict[str, object]] = []
    with atomic_output(out) as handle, zipfile.ZipFile(handle, "w") as archive:
        for entry in entries:
            listed.append(_put(archive, entry.name, entry.source))
        manifest = {
            "schema": BUNDLE_SCHEMA,
            "learner": portfolio.profile.learner,
            "framework": portfolio.content.standard.id,
            "made": clock.now().isoformat(timespec="seconds"),
            "generator": f"companion {__version__}",
            "draft": draft,
            "evidence": plan.evidence,
            "missing": plan.missing,
            "files": sorted(listed, key=lambda item: str(item["path"])),
        }
        data = (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
        listed.append(_put(archive, MANIFEST, lambda: data))
        sums = "".join(f"{item['sha256']}  {item['path']}\n" for item in listed)
        listed.append(_put(archive, SUMS, lambda: sums.encode("utf-8")))
    return Written([str(item["path"]) for item in listed], plan.evidence)


__all__ = [
    "BUNDLE_SCHEMA",
    "MANIFEST",
    "BundleError",
    "Written",
    "evidence_notes",
    "plan_bundle",
    "pointed_at",
    "safe_name",
    "write_bundle",
]
