"""The signed sign-off of a progress review (and the employer's statement): a small YAML file.

The review pack goes to the meeting with a sign-off file and a signing page beside it; each
person signs on the page by typing their name (``method: typed-name``) or fills in their
name and the date in the file and sets ``signed: true``, and at the last review before
gateway the employer confirms the portfolio is valid and the apprentice's own. The file comes
back to the apprentice, who imports it like tutor feedback: it is someone else's file, so it
is read capped and strictly, never through a link, refused when it is for another learner or
the pack it names is not beside it as signed (its SHA-256), and kept in the portfolio as
companion writes it (``reviews/signoff/<date>.signoff.yaml``), never as the bytes it arrived
with, so a hostile file cannot choose what lands there.

YAML rather than JSON because people fill it in by hand, in any editor, with comments that
say what to do.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import stat
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from companion import clock
from companion.errors import CompanionError
from companion.files import atomic_write, read_regular
from companion.notes.front_matter import FrontMatterError, load_front_matter
from companion.portfolio.layout import REVIEW_FOLDER, SIGNOFF_FOLDER
from companion.portfolio.profile import Profile
from companion.portfolio.programme import ProgrammeError, person
from companion.portfolio.templates import PARTIES
from companion.text.names import line_problem
from companion.text.values import (
    NotADate,
    NotYesNo,
    key_lines,
    near_hint,
    read_date,
    read_yes_no,
)

SIGNOFF_SCHEMA = "companion.signoff/1"
SIGNOFF_SUFFIX = ".signoff.yaml"
MAX_SIGNOFF_BYTES = 64 * 1024
STATEMENT = "The evidence in this portfolio is valid and is the apprentice's own work."
ROLES = dict(PARTIES)
_KEYS = ("schema", "learner", "review_date", "pack", "pack_sha256", "parties", "employer_statement")
_PARTY_KEYS = ("name", "role", "date", "signed", "method")
_STATEMENT_KEYS = ("text", "confirmed", "name", "date")
_SHA = re.compile(r"[0-9a-f]{64}")
TYPED_NAME = "typed-name"
BY_FILE = "file"
METHODS = (TYPED_NAME, BY_FILE)
"""How a person signed: by typing their name on the signing page, or on the file itself."""
MAX_PACK_BYTES = 64 * 1024 * 1024
"""The largest pack import reads to check its SHA-256 (a pack with photos is a few MB)."""


class SignOffError(CompanionError):
    """A sign-off file that cannot be used; the message says why in one line."""


@dataclass(frozen=True)
class Signature:
    """One person's sign-off: who, in what role, when, and whether they signed."""

    name: str = ""
    role: str = ""
    date: dt.date | None = None
    signed: bool = False
    method: str = ""
    """``typed-name`` when signed on the signing page, ``file`` or empty when on the file."""

    @property
    def how(self) -> str:
        """How they signed, in words for the reviews list and the screens."""
        if self.method == TYPED_NAME:
            return "signed in the browser by typing their name"
        return "signed on the sign-off file"


@dataclass(frozen=True)
class Statement:
    """The employer's statement that the evidence is valid and the apprentice's own."""

    confirmed: bool = False
    name: str = ""
    date: dt.date | None = None
    text: str = STATEMENT


@dataclass(frozen=True)
class SignOff:
    """A sign-off file as read and checked."""

    learner: str
    review_date: dt.date | None
    parties: dict[str, Signature] = field(default_factory=dict)
    statement: Statement | None = None
    pack: str = ""
    pack_sha256: str = ""
    path: Path | None = None

    @property
    def signed(self) -> list[str]:
        """The roles that have signed, in the review's order."""
        return [k for k, _ in PARTIES if k in self.parties and self.parties[k].signed]

    @property
    def complete(self) -> bool:
        """True when apprentice, employer and provider have all signed."""
        return len(self.signed) == len(PARTIES)

    @property
    def file_name(self) -> str:
        """The name companion keeps it under: the review's date, or the statement's."""
        if self.review_date is not None:
            return f"{self.review_date.isoformat()}{SIGNOFF_SUFFIX}"
        date = self.statement.date if self.statement else None
        return f"statement-{date.isoformat() if date else 'undated'}{SIGNOFF_SUFFIX}"


# --- the file companion writes --------------------------------------------------------


def _value(value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    dumped: str = yaml.safe_dump(value, default_flow_style=True, width=4096, allow_unicode=True)
    return dumped.strip().removesuffix("...").strip()


STATEMENT_HEAD = (
    "# At the last review before gateway, the employer confirms the portfolio:",
    "employer_statement:",
)


def party_head(key: str, label: str) -> str:
    """The line that opens one person's fields, with the comment naming who they are."""
    return f"  {key}:   # {label}"


def yaml_value(value: Any) -> str:
    """A value as it follows ``key: `` in the file companion writes."""
    return _value(value)


def render_head(signoff: SignOff) -> list[str]:
    """The comments and the fields before ``parties:``: who and which pack it is for."""
    when = signoff.review_date.isoformat() if signoff.review_date else "(no review date)"
    lines = [
        f"# Sign-off of the progress review of {signoff.learner} on {when}.",
        "# Each person signs on the .sign.html page beside the pack, or fills in their name",
        "# and the date here and sets signed: true. Change nothing else: the apprentice puts",
        "# this file beside the pack and imports it with",
        "#   companion signoff import THIS_FILE PORTFOLIO",
        "# and companion refuses a sign-off for another learner or a changed pack.",
        f"schema: {SIGNOFF_SCHEMA}",
        f"learner: {_value(signoff.learner)}",
        f"review_date: {_value(signoff.review_date)}".rstrip(),
    ]
    if signoff.pack:
        lines.append(f"pack: {_value(signoff.pack)}")
    if signoff.pack_sha256:
        lines.append(f"pack_sha256: {signoff.pack_sha256}")
    lines.append("parties:")
    return lines


def render_signoff(signoff: SignOff, *, statement: bool = True) -> str:
    """The sign-off as YAML with the comments that tell each person what to do."""
    lines = render_head(signoff)
    for key, label in PARTIES:
        party = signoff.parties.get(key, Signature())
        lines += [
            party_head(key, label),
            f"    name: {_value(party.name)}".rstrip(),
            *([f"    role: {_value(party.role)}"] if party.role else []),
            f"    date: {_value(party.date)}".rstrip(),
            f"    signed: {'true' if party.signed else 'false'}",
            *([f"    method: {party.method}"] if party.method else []),
        ]
    if statement:
        given = signoff.statement or Statement()
        lines += [
            *STATEMENT_HEAD,
            f"  text: {_value(given.text)}",
            f"  confirmed: {'true' if given.confirmed else 'false'}",
            f"  name: {_value(given.name)}".rstrip(),
            f"  date: {_value(given.date)}".rstrip(),
        ]
    return "\n".join(lines) + "\n"


# --- reading someone else's file -----------------------------------------------------


def _date(value: Any, what: str) -> dt.date | None:
    try:
        return read_date(value)
    except NotADate as exc:
        raise SignOffError(f"{what} must be a date like 2026-03-02{exc.suffix}") from None


def _mapping(
    value: Any, what: str, known: tuple[str, ...], text: str = "", path: tuple[str, ...] = ()
) -> dict[str, Any]:
    """``value`` as a mapping of only the ``known`` keys; an unknown one is named with its
    line in ``text`` (the mapping is at ``path`` there) and the key it is closest to."""
    if not isinstance(value, dict):
        raise SignOffError(f"{what} must be a set of fields")
    for key in value:
        if key not in known:
            line = key_lines(text, path).get(str(key), 0) if text else 0
            raise SignOffError(
                f"{f'line {line}: ' if line else ''}unknown field '{str(key)[:30]}' in {what}"
                f"{near_hint(key, known)}"
            )
    return value


def _flag(value: Any, what: str) -> bool:
    try:
        return read_yes_no(value)
    except NotYesNo:
        raise SignOffError(f"{what} must be true or false (or yes or no)") from None


def _name(value: Any, what: str) -> str:
    try:
        return person(value, what)
    except ProgrammeError as exc:
        raise SignOffError(exc.message.replace("companion.yaml: ", "")) from None


def _method(value: Any, what: str) -> str:
    if value is None or value == "":
        return ""
    if not isinstance(value, str) or value not in METHODS:
        raise SignOffError(f"{what} must be one of {', '.join(METHODS)}")
    return value


def _signature(key: str, value: Any, review: dt.date | None, today: dt.date) -> Signature:
    what = f"parties.{key}"
    data = _mapping(value if value is not None else {}, what, _PARTY_KEYS)
    signature = Signature(
        name=_name(data.get("name"), f"{what}.name"),
        role=_name(data.get("role"), f"{what}.role"),
        date=_date(data.get("date"), f"{what}.date"),
        signed=_flag(data.get("signed"), f"{what}.signed"),
        method=_method(data.get("method"), f"{what}.method"),
    )
    if signature.signed and (not signature.name or signature.date is None):
        raise SignOffError(f"{what} is signed but without a name and a date")
    if signature.date and signature.date > today:
        raise SignOffError(f"{what} is dated {signature.date.isoformat()}, in the future")
    if signature.date and review and signature.date < review:
        raise SignOffError(
            f"{what} is dated {signature.date.isoformat()}, before the review on "
            f"{review.isoformat()}"
        )
    return signature


def _statement(value: Any, today: dt.date) -> Statement | None:
    if value is None:
        return None
    data = _mapping(value, "employer_statement", _STATEMENT_KEYS)
    text = data.get("text") or STATEMENT
    if not isinstance(text, str) or len(text) > 1000:
        raise SignOffError("employer_statement.text must be text of at most 1,000 characters")
    statement = Statement(
        confirmed=_flag(data.get("confirmed"), "employer_statement.confirmed"),
        name=_name(data.get("name"), "employer_statement.name"),
        date=_date(data.get("date"), "employer_statement.date"),
        text=" ".join(text.split()),
    )
    if statement.confirmed and (not statement.name or statement.date is None):
        raise SignOffError("employer_statement is confirmed but without a name and a date")
    if statement.date and statement.date > today:
        raise SignOffError(
            f"employer_statement is dated {statement.date.isoformat()}, in the future"
        )
    return statement


def _pack_name(value: Any) -> str:
    """The pack's file name: a plain name in the sign-off's folder, never a path."""
    if value is None or value == "":
        return ""
    if not isinstance(value, str) or len(value) > 200 or line_problem(value, 200):
        raise SignOffError("pack must be the pack's file name")
    if "/" in value or "\\" in value or value in (".", "..") or value != value.strip():
        raise SignOffError("pack must be a plain file name, not a path")
    return value


def parse_signoff(raw: bytes, name: str, today: dt.date | None = None) -> SignOff:
    """The sign-off ``raw`` holds, checked field by field; SignOffError naming what is wrong."""
    day = today or clock.today()
    if len(raw) > MAX_SIGNOFF_BYTES:
        raise SignOffError(
            f"{name}: larger than a sign-off can be ({MAX_SIGNOFF_BYTES // 1024} KB)"
        )
    try:
        text = raw.decode("utf-8-sig")
        data = load_front_matter(text, unique_keys=True)
    except UnicodeDecodeError:
        raise SignOffError(f"{name}: not UTF-8 text") from None
    except FrontMatterError as exc:
        where = f" at line {exc.line}" if exc.line else ""
        raise SignOffError(f"{name}: not a sign-off file{where}: {exc.message}") from None
    if not isinstance(data, dict) or data.get("schema") != SIGNOFF_SCHEMA:
        raise SignOffError(f"{name}: not a companion sign-off file (no 'schema: {SIGNOFF_SCHEMA}')")
    try:
        _mapping(data, "the file", _KEYS, text)
        learner = _name(data.get("learner"), "learner")
        if not learner:
            raise SignOffError("learner is missing")
        review = _date(data.get("review_date"), "review_date")
        parties_data = data.get("parties") or {}
        _mapping(parties_data, "parties", tuple(ROLES), text, ("parties",))
        parties = {k: _signature(k, v, review, day) for k, v in parties_data.items()}
        statement = _statement(data.get("employer_statement"), day)
        sha = data.get("pack_sha256") or ""
        if sha and not (isinstance(sha, str) and _SHA.fullmatch(sha)):
            raise SignOffError("pack_sha256 must be the pack's SHA-256 in hex")
        pack = _pack_name(data.get("pack"))
    except SignOffError as exc:
        raise SignOffError(f"{name}: {exc.message}") from None
    signoff = SignOff(learner, review, parties, statement, pack, sha)
    if not signoff.signed and not (statement and statement.confirmed):
        raise SignOffError(f"{name}: nobody has signed it yet")
    return signoff


def _same_person(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def read_signoff_file(path: Path, today: dt.date | None = None) -> SignOff:
    """A sign-off file as the apprentice received it: never through a link, capped."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        raise SignOffError(f"{path}: no such file") from None
    except OSError as exc:
        raise SignOffError(f"{path.name}: cannot be read ({exc.strerror or exc})") from None
    if stat.S_ISLNK(info.st_mode):
        raise SignOffError(f"{path.name} is a symbolic link; give the file itself")
    if not stat.S_ISREG(info.st_mode):
        raise SignOffError(f"{path.name} is not a regular file")
    try:
        raw = read_regular(path, MAX_SIGNOFF_BYTES)
    except (OSError, CompanionError) as exc:
        reason = exc.message if isinstance(exc, CompanionError) else (exc.strerror or str(exc))
        raise SignOffError(f"{path.name}: cannot be read ({reason})") from None
    signoff = parse_signoff(raw, path.name, today)
    return replace(signoff, path=path)


@dataclass(frozen=True)
class ImportResult:
    """Where an imported sign-off was kept, and whether it was new."""

    path: Path
    signoff: SignOff
    outcome: str  # added | replaced | unchanged


def _sha256_of(path: Path) -> str:
    """The SHA-256 of the regular file at ``path``, read capped and never through a link."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise SignOffError(f"the pack {path.name} is not a regular file")
        digest = hashlib.sha256()
        size = 0
        while chunk := os.read(fd, 1024 * 1024):
            size += len(chunk)
            if size > MAX_PACK_BYTES:
                raise SignOffError(
                    f"the pack {path.name} is larger than a pack can be "
                    f"({MAX_PACK_BYTES // (1024 * 1024)} MB)"
                )
            digest.update(chunk)
        return digest.hexdigest()
    finally:
        os.close(fd)


def check_pack(signoff: SignOff, folder: Path, *, no_pack: bool = False) -> None:
    """Refuse a sign-off unless the pack it names sits in ``folder`` exactly as signed.

    The hash is what ties the signatures to what was discussed: without it a sign-off could
    be copied onto any review. A file naming no pack (written by hand before packs carried
    their hash) passes only when the learner asks for it with ``no_pack``.
    """
    name = signoff.path.name if signoff.path else "the sign-off"
    if not signoff.pack or not signoff.pack_sha256:
        if no_pack:
            return
        raise SignOffError(
            f"{name} does not name the pack it signs (pack and pack_sha256); sign the pack "
            "companion wrote, or import it with --no-pack to keep it without that check"
        )
    pack = folder / signoff.pack
    try:
        info = os.lstat(pack)
    except FileNotFoundError:
        raise SignOffError(f"{name}: the pack {signoff.pack} it signs is not beside it") from None
    except OSError as exc:
        raise SignOffError(
            f"{name}: the pack {signoff.pack} cannot be read ({exc.strerror or exc})"
        ) from None
    if stat.S_ISLNK(info.st_mode):
        raise SignOffError(
            f"{name}: the pack {signoff.pack} is a symbolic link; put the pack itself beside it"
        )
    try:
        digest = _sha256_of(pack)
    except SignOffError as exc:
        raise SignOffError(f"{name}: {exc.message}") from None
    except OSError as exc:
        raise SignOffError(
            f"{name}: the pack {signoff.pack} cannot be read ({exc.strerror or exc})"
        ) from None
    if digest != signoff.pack_sha256:
        raise SignOffError(
            f"{name}: the pack {signoff.pack} was changed after it was signed (its SHA-256 differs)"
        )


def import_signoff(
    source: Path,
    portfolio: Path,
    profile: Profile,
    today: dt.date | None = None,
    *,
    no_pack: bool = False,
) -> ImportResult:
    """Check ``source`` and the pack beside it, and keep the sign-off, as companion writes
    it, in ``reviews/signoff/``. ``no_pack`` accepts a file that names no pack."""
    incoming = read_signoff_file(source, today)
    if not profile.learner:
        raise SignOffError("set 'learner' in companion.yaml before importing a sign-off")
    if not _same_person(incoming.learner, profile.learner):
        raise SignOffError(
            f"{source.name} is a sign-off for '{incoming.learner[:80]}', but this portfolio is "
            f"{profile.learner}'s; nothing was imported"
        )
    check_pack(incoming, source.parent, no_pack=no_pack)
    root = portfolio.resolve()
    for folder in (portfolio / REVIEW_FOLDER, portfolio / SIGNOFF_FOLDER):
        if folder.is_symlink() or (folder.exists() and not folder.resolve().is_relative_to(root)):
            raise SignOffError(f"{folder} is a link or points outside the portfolio; refusing")
    target = portfolio / SIGNOFF_FOLDER / incoming.file_name
    data = render_signoff(incoming, statement=incoming.statement is not None).encode("utf-8")
    outcome = "added"
    if target.exists() or target.is_symlink():
        current = read_signoff_file(target, today)
        if target.read_bytes() == data:
            return ImportResult(target, incoming, "unchanged")
        lost = [k for k in current.signed if k not in incoming.signed]
        if lost:
            raise SignOffError(
                f"{target.name} already holds the signature of the {', '.join(lost)}, which "
                f"{source.name} lacks; nothing was imported"
            )
        outcome = "replaced"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(target, data, within=portfolio)
    except CompanionError as exc:
        raise SignOffError(exc.message) from None
    except OSError as exc:
        raise SignOffError(f"cannot write {target}: {exc.strerror or exc}") from None
    return ImportResult(target, replace(incoming, path=target), outcome)


@dataclass(frozen=True)
class PortfolioSignOffs:
    """The sign-offs kept in a portfolio, and any that could not be used."""

    signoffs: tuple[SignOff, ...] = ()
    problems: tuple[str, ...] = ()

    def for_review(self, date: dt.date) -> SignOff | None:
        """The sign-off of the review held on ``date``."""
        return next((s for s in self.signoffs if s.review_date == date), None)

    def statement(self) -> SignOff | None:
        """The latest sign-off holding a confirmed employer's statement."""
        dated = [
            (s.statement.date or dt.date.min, s)
            for s in self.signoffs
            if s.statement is not None and s.statement.confirmed
        ]
        return max(dated, key=lambda pair: pair[0])[1] if dated else None


def portfolio_signoffs(portfolio: Path, profile: Profile) -> PortfolioSignOffs:
    """Every sign-off kept in the portfolio; one for another learner is a problem, not used."""
    folder = portfolio / SIGNOFF_FOLDER
    if not folder.is_dir():
        return PortfolioSignOffs()
    found: list[SignOff] = []
    problems: list[str] = []
    for path in sorted(folder.glob(f"*{SIGNOFF_SUFFIX}")):
        try:
            signoff = read_signoff_file(path, dt.date.max)
        except SignOffError as exc:
            problems.append(exc.message)
            continue
        if profile.learner and not _same_person(signoff.learner, profile.learner):
            problems.append(f"{path.name} is a sign-off for '{signoff.learner[:80]}'; not used")
            continue
        found.append(signoff)
    return PortfolioSignOffs(tuple(found), tuple(problems))
