"""A reference library kept outside the notes: a Zotero export named in ``companion.yaml``.

A learner who keeps references in Zotero (with Better BibTeX) can name its export as
``reference_library: references.bib`` (BibTeX or BibLaTeX, read with bibtexparser 2) or
``references.json`` (CSL-JSON). A citation that the note's own reference list lacks is then
matched against the library before it is reported. The file is the learner's: it is only
read, and anything in it that cannot be read is said in one line and left out.
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
from collections.abc import Iterator
from functools import cached_property
from pathlib import Path
from typing import Any

from companion.files import NotRegularFile, read_regular
from companion.text.citation_match import UNMATCHED, Entries, key
from companion.text.citations import Citation, Source
from companion.text.references import Reference

MAX_LIBRARY_BYTES = 20 * 1024 * 1024
BIBTEX_SUFFIXES = (".bib", ".bibtex")
CSL_SUFFIXES = (".json",)
SHOWN_PROBLEMS = 2
"""How many unreadable entries the one-line message names."""

_YEAR = re.compile(r"\b(\d{4})([a-z]?)\b")


class ReferenceLibrary:
    """The works of a library export, keyed as reference-list entries are.

    Its ``fingerprint`` is known at once (from the file's size and time: what cached flags
    and statuses depend on); the file is read only when its works or problems are first
    asked for, so a status remembered from before costs no parsing.
    """

    def __init__(self, name: str, path: Path | None = None, fingerprint: str = "") -> None:
        self.name = name
        self.path = path
        self.fingerprint = fingerprint
        """Changes whenever the file does: part of the key of every note's cached flags."""
        self._read: tuple[list[Reference], str] | None = None
        if path is None:
            self._read = ([], "")

    def _contents(self) -> tuple[list[Reference], str]:
        if self._read is None:
            assert self.path is not None
            self._read = _read_library(self.path, self.name)
        return self._read

    @property
    def references(self) -> list[Reference]:
        """The works the library holds."""
        return self._contents()[0]

    @property
    def problem(self) -> str:
        """One line on what could not be read ('' when everything was)."""
        return self._contents()[1]

    @cached_property
    def entries(self) -> Entries:
        """The works looked up by first author, built when first asked."""
        return Entries(self.references)

    def holds(self, work: dict[str, Any]) -> bool:
        """True when the library has the work a citation names (as ``source_json`` wrote
        it); a citation that could be either of two works by one author that year is held
        too: the letters are the reference list's business, not the library's."""
        if not self.references:
            return False
        source = source_from_json(work)
        if source is None:
            return False
        return self.entries.find(Citation(source, 0, 0, 0, "")).result != UNMATCHED


def source_from_json(data: dict[str, Any]) -> Source | None:
    """A cited work from the record's plain data; None when the data is not one."""
    authors = data.get("authors")
    if not isinstance(authors, list) or not authors or not all(isinstance(a, str) for a in authors):
        return None
    year = data.get("year")
    return Source(
        tuple(authors),
        bool(data.get("et_al")),
        year if isinstance(year, str) else None,
        str(data.get("suffix") or ""),
        bool(data.get("no_date")),
        None,
        data.get("alias") if isinstance(data.get("alias"), str) else None,
        str(data.get("names") or authors[0]),
    )


def _year(raw: Any) -> tuple[str | None, str, bool]:
    """(year, suffix, no_date) from '2015', '2015-03-01', '2000a', 'n.d.' or nothing."""
    text = str(raw).strip() if raw is not None else ""
    if not text or text.lower() in ("n.d.", "nd", "no date"):
        return None, "", True
    found = _YEAR.search(text)
    if found is None:
        return None, "", True
    return found.group(1), found.group(2), False


def _unbrace(text: str) -> str:
    return " ".join(text.replace("{", "").replace("}", "").split())


def _entry(
    surnames: list[str], et_al: bool, year: tuple[str | None, str, bool], editors: bool, label: str
) -> Reference | None:
    if not surnames:
        return None
    return Reference(
        tuple(surnames),
        year[0],
        year[1],
        year[2],
        et_al,
        editors,
        text=label,
        names=surnames[0],
    )


@contextlib.contextmanager
def _quiet_bibtexparser() -> Iterator[None]:
    """bibtexparser logs each broken block as a multi-line warning; the problems are said
    once, in one line, by the caller."""
    logger = logging.getLogger("bibtexparser")
    level, propagate = logger.level, logger.propagate
    logger.setLevel(logging.CRITICAL)
    logger.propagate = False
    try:
        yield
    finally:
        logger.setLevel(level)
        logger.propagate = propagate


def read_bibtex(text: str) -> tuple[list[Reference], list[str]]:
    """The entries of a BibTeX / BibLaTeX export, and a note for each block left out."""
    from bibtexparser import middlewares as mw
    from bibtexparser.entrypoint import parse_string
    from bibtexparser.model import DuplicateBlockKeyBlock, MiddlewareErrorBlock

    with _quiet_bibtexparser():
        library = parse_string(
            text,
            append_middleware=[
                # decode LaTeX (M{\"u}ller) but keep {…}, so {World Health Organization}
                # stays one name; both before the names are split
                mw.LatexDecodingMiddleware(keep_braced_groups=True),
                mw.SeparateCoAuthors(),
                mw.SplitNameParts(),
            ],
        )
    references: list[Reference] = []
    for item in library.entries:
        fields = item.fields_dict
        role = "author" if "author" in fields else "editor" if "editor" in fields else ""
        names = fields[role].value if role else []
        if not isinstance(names, list):
            continue
        surnames = [
            _unbrace(" ".join([*part.von, *part.last]))
            for part in names
            if hasattr(part, "last") and part.last != ["others"]
        ]
        et_al = any(getattr(part, "last", None) == ["others"] for part in names)
        raw = fields["year"].value if "year" in fields else None
        if raw is None and "date" in fields:
            raw = fields["date"].value
        title = _unbrace(str(fields["title"].value)) if "title" in fields else ""
        found = _entry(
            [s for s in surnames if s], et_al, _year(raw), role == "editor", _label(item.key, title)
        )
        if found is not None:
            references.append(found)
    problems: list[str] = []
    for block in library.failed_blocks:
        line = getattr(block, "start_line", None)
        where = f"line {line + 1}" if isinstance(line, int) else "an entry"
        if isinstance(block, DuplicateBlockKeyBlock):
            problems.append(f"{where}: the key '{block.key}' is used twice")
        elif isinstance(block, MiddlewareErrorBlock):
            problems.append(f"{where}: {' '.join(str(block.error).split())[:80]}")
        else:
            error = getattr(block, "error", None)
            reason = getattr(error, "abort_reason", None) or str(error or "") or "not BibTeX"
            problems.append(f"{where}: {' '.join(str(reason).split())[:80]}")
    if not library.entries and not problems and text.strip():
        problems.append("it holds no BibTeX entries")
    return references, problems


def _label(citation_key: Any, title: str) -> str:
    label = str(citation_key or "").strip()
    return f"{label}: {title}" if label and title else label or title


def _csl_name(name: Any) -> str:
    if not isinstance(name, dict):
        return ""
    if isinstance(name.get("literal"), str):
        return " ".join(name["literal"].split())
    family = name.get("family")
    if not isinstance(family, str):
        return ""
    particle = name.get("non-dropping-particle")
    return " ".join(f"{particle if isinstance(particle, str) else ''} {family}".split())


def _csl_year(issued: Any) -> tuple[str | None, str, bool]:
    if not isinstance(issued, dict):
        return None, "", True
    parts = issued.get("date-parts")
    if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
        return _year(parts[0][0])
    for name in ("raw", "literal"):
        if isinstance(issued.get(name), str | int):
            return _year(issued[name])
    return None, "", True


def read_csl_json(text: str) -> tuple[list[Reference], list[str]]:
    """The items of a CSL-JSON export (Zotero, Better CSL JSON), and notes on those left out."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return [], [f"it is not JSON (line {exc.lineno}: {exc.msg})"]
    except (ValueError, RecursionError):
        return [], ["it is not JSON"]
    if not isinstance(data, list):
        return [], ["it is not a CSL-JSON list of items"]
    references: list[Reference] = []
    skipped = 0
    for item in data:
        if not isinstance(item, dict):
            skipped += 1
            continue
        role = "author" if item.get("author") else "editor" if item.get("editor") else ""
        names = item.get(role) if role else []
        surnames = [_csl_name(n) for n in names] if isinstance(names, list) else []
        title = str(item["title"]) if isinstance(item.get("title"), str) else ""
        label = _label(item.get("citation-key") or item.get("id"), title)
        found = _entry(
            [s for s in surnames if s],
            False,
            _csl_year(item.get("issued")),
            role == "editor",
            label,
        )
        if found is None:
            skipped += 1
        else:
            references.append(found)
    problems = [f"{skipped} item(s) have no author or editor"] if skipped else []
    return references, problems


def _letters(references: list[Reference]) -> None:
    """Give a/b/… to works of one first author and year, in title order, as a CSL
    processor does (a library does not store the letter; a note writes it)."""
    groups: dict[tuple[str, str | None, bool], list[Reference]] = {}
    for reference in references:
        if not reference.suffix:
            same = (key(reference.authors[0]), reference.year, reference.no_date)
            groups.setdefault(same, []).append(reference)
    for group in groups.values():
        if len(group) > 1:
            for index, reference in enumerate(sorted(group, key=_title)[:26]):
                reference.suffix = "abcdefghijklmnopqrstuvwxyz"[index]


def _title(reference: Reference) -> str:
    return reference.text.split(": ", 1)[-1].casefold()


def load_library(root: Path, name: str) -> ReferenceLibrary:
    """The library ``name`` (a path relative to the portfolio ``root``, or absolute),
    read when its works are first asked for."""
    path = Path(name).expanduser()
    path = path if path.is_absolute() else root / path
    try:
        stat = path.stat()
        fingerprint = f"{path}:{stat.st_mtime_ns}:{stat.st_size}"
    except OSError:
        fingerprint = f"{path}:missing"
    return ReferenceLibrary(name, path, fingerprint)


def _read_library(path: Path, name: str) -> tuple[list[Reference], str]:
    """The works of the file and one line on what could not be read."""
    try:
        if path.stat().st_size > MAX_LIBRARY_BYTES:
            return [], f"{name} is larger than {MAX_LIBRARY_BYTES // 2**20} MB; not read"
        raw = read_regular(path, MAX_LIBRARY_BYTES)  # a FIFO or device is refused, never waited on
    except FileNotFoundError:
        return [], f"the reference library {name} (companion.yaml) does not exist"
    except NotRegularFile:
        return [], f"the reference library {name} is not a file; not read"
    except OSError as exc:
        return [], f"the reference library {name} cannot be read: {exc.strerror or exc}"
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], f"the reference library {name} is not UTF-8 text"
    suffix = path.suffix.lower()
    if suffix in BIBTEX_SUFFIXES:
        references, problems = read_bibtex(text)
    elif suffix in CSL_SUFFIXES:
        references, problems = read_csl_json(text)
    else:
        return [], f"the reference library {name} is neither BibTeX (.bib) nor CSL-JSON (.json)"
    _letters(references)
    if not problems:
        return references, ""
    shown = "; ".join(problems[:SHOWN_PROBLEMS])
    more = len(problems) - SHOWN_PROBLEMS
    left = f"{len(problems)} part(s) could not be read" if references else "nothing could be read"
    also = f"; and {more} more" if more > 0 else ""
    rest = "; the rest is used" if references else ""
    return references, f"the reference library {name}: {left} ({shown}{also}){rest}"
