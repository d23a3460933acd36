"""The evidence files of a portfolio, and the cards that bring them in as evidence.

``evidence_files`` lists every evidence-like file (Word, PDF, PowerPoint, spreadsheets,
images, recordings) with the card naming it, or none; ``add_cards`` writes a card beside
each file, proposing its type from the format and the text, its date from the file's own
metadata, its title and the next free reference, any of which the learner can give
instead. The files themselves are only ever read.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import yaml

from companion import clock
from companion.errors import CompanionError
from companion.evidence.cache import ExtractionCache
from companion.evidence.model import ExtractedFile
from companion.notes.card import card_name_for, locate_file
from companion.notes.card_key import CARD_KEY
from companion.notes.record import NoteRecord
from companion.portfolio.portfolio import Portfolio
from companion.portfolio.templates import next_ref, unknown_type_message
from companion.text.wordcount import count_words

EXPORTS_WRITTEN = "exports_written"
"""State key: per export path, what companion last wrote there (``companion.exports.output``):
those files are the app's exports, not evidence."""
CARD_BODY = (
    "<!-- What this evidence shows and your part in it (optional): companion reads the file "
    "itself for words, citations and search. -->\n"
)


class CardError(CompanionError):
    """A card that cannot be written; the message says why."""


@dataclass(frozen=True)
class EvidenceFile:
    """One evidence file of the portfolio, with what is known of it."""

    path: str
    """Relative to the portfolio, '/'-separated."""
    card: str | None
    """The card naming it, or None while it is not yet in the portfolio's evidence."""
    format: str
    kind: str
    size: int
    pages: int | None = None
    slides: int | None = None
    sheets: int | None = None
    duration: float | None = None
    words: int | None = None
    problem: str = ""
    """Why it could not be read ('' when it was)."""
    ref: str = ""
    title: str = ""

    def to_json(self) -> dict[str, object]:
        """A plain mapping for ``companion files --json``."""
        return {
            "path": self.path,
            "card": self.card,
            "format": self.format,
            "kind": self.kind,
            "size": self.size,
            "pages": self.pages,
            "slides": self.slides,
            "sheets": self.sheets,
            "duration": self.duration,
            "words": self.words,
            "problem": self.problem,
            "ref": self.ref,
            "title": self.title,
        }


def _exports(portfolio: Portfolio) -> set[str]:
    """The files in the portfolio that companion wrote as exports."""
    if portfolio.store is None:
        return set()
    try:
        written = portfolio.store.get_state(EXPORTS_WRITTEN, {})
    except Exception:
        return set()
    root = str(portfolio.root.resolve()) + os.sep
    return {
        Path(p).relative_to(root).as_posix()
        for p in (written if isinstance(written, dict) else {})
        if isinstance(p, str) and p.startswith(root)
    }


def _reader(portfolio: Portfolio) -> ExtractionCache:
    return ExtractionCache(portfolio.extraction_folder)


def evidence_files(portfolio: Portfolio) -> list[EvidenceFile]:
    """Every evidence file in the (scanned) portfolio, by path: those its cards name, as
    their records hold them, and the others read once (and cached) for their facts."""
    cards = {
        record.file.path: record
        for record in portfolio.records.values()
        if record.file is not None and record.file.path
    }
    skipped = _exports(portfolio)
    cache = _reader(portfolio)
    out = []
    for rel in sorted(set(portfolio.evidence_files) | set(cards)):
        record = cards.get(rel)
        if record is not None and record.file is not None:
            card = record.file
            out.append(
                EvidenceFile(
                    rel,
                    record.path,
                    card.format,
                    card.kind,
                    card.size,
                    card.pages,
                    card.slides,
                    card.sheets,
                    card.duration,
                    record.words if card.has_text else None,
                    card.message,
                    record.ref,
                    record.title,
                )
            )
            continue
        if rel in skipped:
            continue
        found = cache.read(portfolio.root / rel, portfolio.root)
        facts = found.facts
        out.append(
            EvidenceFile(
                rel,
                None,
                facts.format,
                facts.kind,
                facts.size,
                facts.pages,
                facts.slides,
                facts.sheets,
                facts.duration,
                count_words(found.text, portfolio.profile.word_count) if found.text else None,
                found.problem.message if found.problem else "",
            )
        )
    return out


# --- proposing a card ------------------------------------------------------------------

_TYPE_HINTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "minutes",
        re.compile(
            r"(?<!\d )(?<!\d)\bminutes\b(?! (?:late|early|long|later))|\bapologies\b"
            r"|\baction (?:points|log)\b|\battendees\b"
        ),
    ),
    ("witness-testimony", re.compile(r"\bwitness (?:testimony|statement)\b")),
    ("performance-review", re.compile(r"\bperformance review\b|\bappraisal\b|\bone-to-one\b")),
    ("project-plan", re.compile(r"\bproject (?:plan|initiation document)\b|\bgantt\b")),
    ("research-project", re.compile(r"\bresearch (?:project|question|methodology)\b")),
    ("report", re.compile(r"\breport\b")),
)
"""What a document's first page or title says it is, most telling first."""


def propose_type(extracted: ExtractedFile, name: str) -> str:
    """The evidence type a file most likely is: recordings and presentations by their
    format, documents by what their title and first page say; ``other`` when unsure."""
    kind = extracted.facts.kind
    if kind in ("audio", "video"):
        return "recording"
    if kind == "presentation":
        return "presentation"
    head = " ".join(
        (name.replace("-", " ").replace("_", " "), extracted.facts.title, extracted.first_page)
    ).lower()
    for evidence_type, pattern in _TYPE_HINTS:
        if pattern.search(head):
            return evidence_type
    return "other"


def propose_title(extracted: ExtractedFile, name: str) -> str:
    """The file's own title, else its first heading, else its name made readable."""
    if extracted.facts.title.strip():
        return extracted.facts.title.strip()
    for line in extracted.text.splitlines():
        match = re.match(r"^#{1,3}\s+(.+)$", line)
        if match:
            return match.group(1).strip()
    stem = PurePosixPath(name).stem.replace("_", " ").replace("-", " ").strip()
    return stem[:1].upper() + stem[1:] if stem else name


def propose_date(
    extracted: ExtractedFile, path: Path, today: dt.date, start: dt.date | None = None
) -> dt.date:
    """When the file was produced: the date it was last saved as its metadata says (its
    "created" date is often a template's or an older file's, years before), else when it
    was last changed on disk; never after today, and never before the programme started
    (``start``), which would only be a template's date."""
    candidates = []
    for value in (extracted.facts.modified, extracted.facts.created):
        try:
            candidates.append(dt.date.fromisoformat(value[:10]))
        except ValueError:
            continue
    with contextlib.suppress(OSError, ValueError, OverflowError):
        candidates.append(dt.date.fromtimestamp(path.stat().st_mtime))
    for found in candidates:
        if found <= today and (start is None or found >= start):
            return found
    return today


@dataclass(frozen=True)
class CardPlan:
    """The card about to be written for one file."""

    file: str
    card: Path
    title: str
    ref: str
    date: dt.date
    type: str


def _text(value: str) -> str:
    dumped: str = yaml.safe_dump(value, default_flow_style=True, width=4096, allow_unicode=True)
    return dumped.strip().removesuffix("...").strip()


def card_text(plan: CardPlan, learner: str) -> str:
    """A new card's text: its fields, then room for the learner's commentary."""
    return (
        "---\n"
        f"title: {_text(plan.title)}\n"
        f"ref: {_text(plan.ref)}\n"
        f"date: {plan.date.isoformat()}\n"
        f"learner: {_text(learner) if learner else ''}\n"
        f"type: {plan.type}\n"
        f"{CARD_KEY}: {_text(PurePosixPath(plan.file).name)}\n"
        "---\n\n" + CARD_BODY
    )


def _file_of(portfolio: Portfolio, given: Path) -> str:
    """The portfolio path of a file named on the command line (from here, or from the
    portfolio's folder), refusing anything that is not an evidence file inside it."""
    for candidate in (given, portfolio.root / given):
        if candidate.exists() or candidate.is_symlink():
            _, relative = locate_file(
                portfolio.root / "x", str(candidate.absolute()), portfolio.root
            )
            if not relative:
                raise CardError(f"{given} is not inside the portfolio {portfolio.root}")
            if relative not in portfolio.evidence_files:
                if candidate.suffix.lower() in (".md", ".markdown"):
                    raise CardError(f"{given} is a note: it is read as evidence already")
                raise CardError(
                    f"{given} is not an evidence file companion reads (Word, PDF, PowerPoint, "
                    "Excel, OpenDocument, text, images, audio or video)"
                )
            return relative
    raise CardError(f"{given} does not exist")


def plan_cards(
    portfolio: Portfolio,
    files: list[Path],
    *,
    every: bool = False,
    evidence_type: str | None = None,
    ref: str | None = None,
    date: dt.date | None = None,
    title: str | None = None,
    today: dt.date | None = None,
    skipped: list[str] | None = None,
) -> list[CardPlan]:
    """The cards to write for ``files`` (or, with ``every``, each file without a card: one
    that cannot be brought in, a link out of the portfolio say, is left out and said in
    ``skipped`` rather than stopping the others)."""
    today = today or clock.today()
    carded = {r.file.path for r in portfolio.records.values() if r.file is not None}
    if every:
        wanted = [f.path for f in evidence_files(portfolio) if f.card is None]
    else:
        wanted = [_file_of(portfolio, f) for f in files]
    if len(wanted) > 1 and (ref or title):
        raise CardError("--ref and --title name one file's card: give one file with them")
    if evidence_type is not None:
        known = portfolio.content.evidence_type(evidence_type)
        if known is None:
            raise CardError(unknown_type_message(portfolio.content, evidence_type))
        if not known.allowed:
            raise CardError(f"{known.label} is not accepted as evidence: {known.reason}")
    refs = {r.ref for r in portfolio.records.values() if r.ref}
    if ref and ref in refs:
        raise CardError(f"{ref} is already the reference of another piece of evidence")
    plans: list[CardPlan] = []
    cache = _reader(portfolio)
    taken = list(portfolio.records.values())
    for rel in dict.fromkeys(wanted):
        if rel in carded:
            holder = next(
                r.path for r in portfolio.records.values() if r.file and r.file.path == rel
            )
            raise CardError(f"{rel} already has a card: {holder}")
        path = portfolio.root / rel
        card = path.with_name(card_name_for(path.name))
        if card.exists() or card.is_symlink():
            raise CardError(f"{card.relative_to(portfolio.root).as_posix()} already exists")
        extracted = cache.read(path, portfolio.root)
        if extracted.problem is not None and extracted.problem.code in (
            "file-missing",
            "file-not-regular",
        ):
            if every and skipped is not None:
                skipped.append(extracted.problem.message)
                continue
            raise CardError(extracted.problem.message)
        next_free = ref or _next(taken, plans)
        plans.append(
            CardPlan(
                rel,
                card,
                title or propose_title(extracted, path.name),
                next_free,
                date or propose_date(extracted, path, today, portfolio.profile.programme_start),
                evidence_type or propose_type(extracted, path.name),
            )
        )
    return plans


def _next(taken: list[NoteRecord], plans: list[CardPlan]) -> str:
    """The next free reference, counting those given to the cards planned so far."""
    return next_ref([*taken, *(NoteRecord(p.card.name, fields={"ref": p.ref}) for p in plans)])


def write_cards(portfolio: Portfolio, plans: list[CardPlan]) -> list[Path]:
    """Write each planned card as a new file (never over one), and return their paths."""
    written = []
    for plan in plans:
        try:
            with open(plan.card, "x", encoding="utf-8", newline="\n") as handle:
                handle.write(card_text(plan, portfolio.profile.learner))
        except FileExistsError:
            raise CardError(f"{plan.card} already exists") from None
        except OSError as exc:
            raise CardError(f"{plan.card} cannot be written: {exc.strerror or exc}") from None
        written.append(plan.card)
    return written


__all__ = [
    "CardError",
    "CardPlan",
    "EvidenceFile",
    "card_text",
    "evidence_files",
    "plan_cards",
    "propose_date",
    "propose_title",
    "propose_type",
    "write_cards",
]
