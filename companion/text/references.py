"""A note's reference list: its entries, and the author-year key of each (Cite Them Right).

An entry is keyed by the names before its first ``(year)`` / ``(no date)`` group and that
group: ``Harris, J. (2015) …`` is Harris 2015; ``Partington, D. (ed.) (2002)`` is Partington
2002, an edited book; ``World Health Organization (WHO) (2020)`` is World Health
Organization 2020, also known as WHO. An entry that is only a link has no key (the
hyperlink rule is about those).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from companion.text.word_rules import section_name, sets_apart
from companion.text.wordcount import PSEUDO_LEVEL, emphasised_text, setext_level, setext_text

REFERENCE_HEADINGS = ("references", "reference list", "list of references", "works cited")
BIBLIOGRAPHY_HEADINGS = ("bibliography",)
"""Sections read as the reference list. A bibliography may hold background reading, so its
entries need not be cited (Cite Them Right); a reference list holds only what is cited."""

_YEAR_GROUP = re.compile(
    r"\((?:(\d{4})([a-z])?|(no date|n\.\s?d\.)(?:[\s-]?([a-z]))?)\)", re.IGNORECASE
)
_UNBRACKETED_YEAR = re.compile(r"^(.{2,120}?),\s*(\d{4})([a-z])?\.\s")
_EDITORS = re.compile(r"\s*\((?:eds?\.?|editors?)\)\s*$", re.IGNORECASE)
_ALIAS = re.compile(r"\s*[(\[]([A-Z][A-Za-z&]{1,11})[)\]]\s*$")
_ET_AL = re.compile(r"[,\s]+[*_]{0,2}et\.?\s*al\b\.?[*_]{0,2}\s*$", re.IGNORECASE)
_LIST_MARK = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
_URL_ONLY = re.compile(
    r"^(?:<\s*(?:https?://|www\.)\S+\s*>|(?:https?://|www\.)\S+|\[[^\]]*\]\([^)\s]+\))\.?$",
    re.IGNORECASE,
)
_PIECES = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+|\s*&\s*")
_GIVEN = re.compile(
    r"^((?:[A-Z][a-z]?\.\s*-?\s*)+|(?:[A-Z][\w'’-]+\.?\s+){0,2}[A-Z][\w'’-]*\.?)"
    r"((?:\s+(?:van|von|der|den|de|del|du|la|le))*)$"
)
"""The given names after a surname and its comma: initials (``J. P.``) or up to three
names (``John P.``), with the particles of a Dutch-style ``Berg, P. van der``."""
_INITIALS_FIRST = re.compile(r"^(?:[A-Z]\.\s*)+(\S.*)$")
_INITIALS_AFTER = re.compile(r"^([A-Z][\w'’-]+)\s+(?:[A-Z]\.?\s*)+$")
"""``Munde J.``, ``Baslum S``: a surname with its initials but no comma between them."""
_GLUED = re.compile(r"^((?:[A-Z]\.\s*)+)([A-Z][\w'’-]{2,})$")
"""``E. Bryman``: initials and the next author's surname where a comma was left out."""
_FULL_NAME = re.compile(r"^(?:[A-Z][\w'’-]*\.?\s+)+([A-Z][\w'’-]+)\.?$")
"""``Naomi A. Gardberg``: a name written given names first, as the later authors of a
Chicago-style list are (``Deephouse, David L., Naomi A. Gardberg, and William Newburry``)."""
_LEGISLATION = re.compile(
    r"^((?:The\s+)?(?:Act\s+of\s+[A-Z][\w'’-]*|[A-Z][\w'’-]*"
    r"(?:\s+(?:[A-Z][\w'’-]*|\([A-Z][\w .'’-]*\)|of|and|for|the|to|on|in|at|with|by|from|&))*?"
    r"\s+(?:Act|Regulations|Order|Rules)))\s+(\d{4})(?=\s*[,.(]|\s+SI\b|\s*$)"
)
"""An Act or statutory instrument as Cite Them Right lists it: its title and year, then the
chapter or SI number (``Children Act 2004, c. 31.``, ``… Regulations 1999, SI 1999/3242``)."""
_TRAILING_YEAR = re.compile(r",\s*(\d{4})([a-z])?\.?\s*$")
_LIST_AND = re.compile(r",\s+and\s+")
_CHICAGO_START = re.compile(r"^[A-Z][\w'’-]+(?:\s[A-Z][\w'’-]+)?,\s")
_HEADING_CANDIDATE = re.compile(r"\n(?=#|[ \t]{0,3}[*_=-])")
"""The start of a line that may be a heading: ``#``, a setext underline, a bold line."""


@dataclass(slots=True)
class Reference:
    """One entry of a reference list, keyed by first author, year and letter."""

    authors: tuple[str, ...]
    year: str | None = None
    suffix: str = ""
    no_date: bool = False
    et_al: bool = False
    editors: bool = False
    alias: str | None = None
    url_only: bool = False
    line: int = 0
    text: str = ""
    bibliography: bool = False
    names: str = ""
    """The names part as written (``Nursing and Midwifery Council``)."""
    abbreviated_date: bool = False
    """Written ``(n.d.)``, which Cite Them Right spells ``(no date)``."""

    @property
    def keyed(self) -> bool:
        """True when the entry has a first author and a year (or 'no date') to match on."""
        return bool(self.authors) and (self.year is not None or self.no_date)

    def label(self) -> str:
        """``Harris (2015)``: the entry as its key reads."""
        if not self.keyed:
            return short(self.text)
        who = self.authors[0] + (" et al." if self.et_al or len(self.authors) > 3 else "")
        if 1 < len(self.authors) <= 3:
            who = ", ".join(self.authors[:-1]) + " and " + self.authors[-1]
        when = "no date" if self.no_date else str(self.year)
        suffix = (" " if self.no_date else "") + self.suffix if self.suffix else ""
        return f"{who} ({when}{suffix})"


def short(text: str, limit: int = 70) -> str:
    """One line of at most ``limit`` characters."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _clean(text: str) -> str:
    """An entry without its list mark and the quotes YAML would have removed."""
    text = " ".join(text.split())
    text = _LIST_MARK.sub("", text, count=1)
    if len(text) > 1 and text[0] == text[-1] and text[0] in "'\"":
        text = text[1:-1].replace(text[0] * 2, text[0])
    return text.strip()


def _authors(part: str) -> tuple[tuple[str, ...], bool]:
    """Surnames (or the organisation) from the names part of an entry, and et al."""
    part = part.strip().rstrip(",").strip()
    et_al = False
    found = _ET_AL.search(part)
    if found:
        et_al, part = True, part[: found.start()].strip()
    if "*" in part or "_" in part:
        part = part.replace("*", "").replace("_", "").strip()
    pieces = [p for p in _PIECES.split(part) if p]
    surnames: list[str] = []
    index = 0
    if "," in part:
        pieces = _unglue(pieces)
    while "," in part and index + 1 < len(pieces):
        if ". " in pieces[index]:
            break  # "Naomi A. Gardberg": a name given names first, not a surname
        given = _GIVEN.match(pieces[index + 1])
        if given is None:
            break
        particle = given.group(2).strip()
        surnames.append(f"{particle} {pieces[index]}" if particle else pieces[index])
        index += 2
    rest = [_FULL_NAME.match(p) for p in pieces[index:]]
    if surnames and rest and all(rest):  # Deephouse, David L., Naomi A. Gardberg
        surnames += [m.group(1) for m in rest if m]
        index = len(pieces)
    if surnames and index == len(pieces):
        return tuple(surnames), et_al
    first = _INITIALS_FIRST.match(part)
    if first and "," not in part and " and " not in part:  # J. Harris
        return (first.group(1).strip(),), et_al
    after = _INITIALS_AFTER.match(part)
    if after:  # Munde J.
        return (after.group(1),), et_al
    return ((part,) if part else ()), et_al


def _unglue(pieces: list[str]) -> list[str]:
    """``Bell, E. Bryman, A and Harley, B.``: split ``E. Bryman`` where a comma is missing."""
    out: list[str] = []
    for piece in pieces:
        glued = _GLUED.match(piece) if len(out) % 2 else None
        out += [glued.group(1).strip(), glued.group(2)] if glued else [piece]
    return out


def _legislation(entry: str, bibliography: bool, line: int) -> Reference | None:
    """An Act or statutory instrument, keyed by its title and year (it has no author)."""
    if not (
        "Act" in entry[:200]
        or "Regulations" in entry[:200]
        or "Order" in entry[:200]
        or "Rules" in entry[:200]
    ):
        return None
    found = _LEGISLATION.match(entry)
    if found is None:
        return None
    title = " ".join(found.group(1).split())
    return Reference(
        (title,), found.group(2), line=line, text=entry, bibliography=bibliography, names=title
    )


def _chicago(entry: str) -> tuple[str, tuple[str | None, str, bool]] | None:
    """``Kalyvas, James R., Michael R. Overly, and Matthew A. Karlyn. Big Data… 2019``: the
    names and the year at the end, as the handbook's reading list writes some entries."""
    year = _TRAILING_YEAR.search(entry)
    if year is None or _CHICAGO_START.match(entry) is None:
        return None
    listed = _LIST_AND.search(entry, 0, 150)
    words = entry[listed.end() if listed else entry.find(",") + 1 :].split(" ")
    offset = len(entry) - len(" ".join(words))
    seen = 0
    for word in words:
        offset += len(word) + 1
        if not word:
            continue
        seen += 1
        if word.endswith(".") and not re.fullmatch(r"[A-Z]\.", word) and (seen >= 2 or not listed):
            part = entry[: offset - 1].rstrip(".")
            return part, (year.group(1), (year.group(2) or "").lower(), False)
    return None


def parse_reference(text: str, line: int = 0, *, bibliography: bool = False) -> Reference:
    """The key of one reference-list entry (``authors`` is empty when it has none)."""
    parsed = _parse(text, bibliography)
    if line == parsed.line:
        return parsed
    return Reference(
        parsed.authors,
        parsed.year,
        parsed.suffix,
        parsed.no_date,
        parsed.et_al,
        parsed.editors,
        parsed.alias,
        parsed.url_only,
        line,
        parsed.text,
        parsed.bibliography,
        parsed.names,
        parsed.abbreviated_date,
    )


@lru_cache(maxsize=8192)
def _parse(text: str, bibliography: bool, line: int = 0) -> Reference:
    """``parse_reference``, kept per entry text: a portfolio lists the same works in many
    notes (the cached entry is copied before its line is set)."""
    entry = _clean(text)
    if _URL_ONLY.match(entry):
        return Reference((), line=line, text=entry, url_only=True, bibliography=bibliography)
    legislation = _legislation(entry, bibliography, line)
    if legislation is not None:
        return legislation
    year = _YEAR_GROUP.search(entry, 0, 400)
    if year is not None and year.start() > 0:
        part = entry[: year.start()]
        if year.group(1):
            when: tuple[str | None, str, bool] = (
                year.group(1),
                (year.group(2) or "").lower(),
                False,
            )
        else:
            when = (None, (year.group(4) or "").lower(), True)
        abbreviated = bool(year.group(3)) and "." in year.group(3)
    else:
        flat = _UNBRACKETED_YEAR.match(entry)
        chicago = _chicago(entry) if flat is None else None
        if flat is not None:
            part, when = flat.group(1), (flat.group(2), flat.group(3) or "", False)
        elif chicago is not None:
            part, when = chicago
        else:
            return Reference((), line=line, text=entry, bibliography=bibliography)
        abbreviated = False
    part = part.strip()
    editors = False
    alias = None
    for _ in range(2):  # "(ed.)" and "(WHO)" may both stand before the year, in either order
        if (found := _EDITORS.search(part)) is not None:
            editors, part = True, part[: found.start()]
        elif (found := _ALIAS.search(part)) is not None:
            alias, part = found.group(1), part[: found.start()]
    authors, et_al = _authors(part)
    return Reference(
        authors,
        when[0],
        when[1],
        when[2],
        et_al,
        editors,
        alias,
        line=line,
        text=entry,
        bibliography=bibliography,
        names=" ".join(part.replace("*", "").replace("_", "").split()).rstrip(","),
        abbreviated_date=abbreviated,
    )


def _heading_kind(title: str) -> str:
    """``references``, ``bibliography`` or '' for a heading's text, numbered or not
    (``5. References``), as the word count reads it."""
    name = section_name(title.strip().strip("#"))
    if name in REFERENCE_HEADINGS:
        return "references"
    if name in BIBLIOGRAPHY_HEADINGS:
        return "bibliography"
    return ""


_SECTION_WORDS = ("referenc", "bibliograph", "works cited")
_SECTION_SPELLINGS = (
    "eferenc",
    "EFERENC",
    "ibliograph",
    "IBLIOGRAPH",
    "orks cited",
    "orks Cited",
    "ORKS CITED",
)


def _headings(text: str, line_start: int) -> list[tuple[int, int, int, str]]:
    """(start, end, level, title) of each heading from the line at ``line_start`` on, read
    as the word count reads them: ``#`` lines, setext headings (from their text line to
    the end of their underline) and bold lines naming a section set apart."""
    headings: list[tuple[int, int, int, str]] = []
    starts = [line_start] if line_start == 0 else []
    starts += [m.end() for m in _HEADING_CANDIDATE.finditer(text, max(line_start - 1, 0))]
    for start in starts:
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        first = text[start] if start < end else ""
        if first == "#":
            hashes = 0
            while start + hashes < end and text[start + hashes] == "#":
                hashes += 1
            if 0 < hashes <= 6 and start + hashes < end and text[start + hashes] in " \t":
                title = text[start + hashes : end].strip().rstrip("#").strip()
                headings.append((start, end, hashes, title))
            continue
        line = text[start:end].rstrip("\r")
        level = setext_level(line) if start >= 2 else 0
        if level:
            above_start = text.rfind("\n", 0, start - 1) + 1
            before_start = text.rfind("\n", 0, above_start - 1) + 1 if above_start else 0
            above = setext_text(
                text[above_start : start - 1], text[before_start : max(above_start - 1, 0)]
            )
            if above is not None:
                headings.append((above_start, end, level, above))
            continue
        emphasised = emphasised_text(line)
        if emphasised is not None and sets_apart(emphasised):
            headings.append((start, end, PSEUDO_LEVEL, emphasised))
    return headings


def section_spans(text: str, lowered: str | None = None) -> list[tuple[int, int, str]]:
    """(start, end, kind) offsets of each References or Bibliography section of ``text``:
    from the end of its heading to the next heading of the same or a higher level.

    Only headings from the first line that could name such a section are looked at
    (``lowered`` is ``text.lower()`` when the caller has it).
    """
    if lowered is not None:
        found = [lowered.find(w) for w in _SECTION_WORDS]
    else:  # the spellings a heading has, without lowering the whole text
        found = [text.find(w) for w in _SECTION_SPELLINGS]
    first = min((p for p in found if p >= 0), default=-1)
    if first < 0:
        return []
    headings = _headings(text, text.rfind("\n", 0, first) + 1)
    spans: list[tuple[int, int, str]] = []
    nearest = [len(text)] * (PSEUDO_LEVEL + 1)  # the next heading of each level, read backwards
    for start, end, level, title in reversed(headings):
        kind = _heading_kind(title)
        if kind:
            spans.append((end, min(nearest[1 : level + 1]), kind))
        nearest[level] = start
    spans.reverse()
    return spans


def _starts_entry(line: str) -> bool:
    return bool(_LIST_MARK.match(line))


def section_entries(
    lines: list[str], start: int, end: int, first_line: int, *, bibliography: bool
) -> list[Reference]:
    """The entries of one section: each list item, or each paragraph; within a paragraph a
    line holding a year group starts a new entry once the one before has its year."""
    entries: list[Reference] = []
    current: list[str] = []
    current_line = 0
    dated = False  # the entry being read has its year

    def flush() -> None:
        nonlocal dated
        if current:
            entries.append(
                parse_reference(" ".join(current), current_line, bibliography=bibliography)
            )
            current.clear()
        dated = False

    fence = False
    for index in range(start, end):
        line = lines[index].rstrip("\r\n")
        stripped = line.strip()
        if stripped.startswith(("```", "~~~")):
            fence = not fence
            flush()
            continue
        if fence or not stripped or stripped.startswith("<!--"):
            flush()
            continue
        if stripped.startswith("#") or (stripped[0] in "=-" and setext_level(line)):
            flush()
            continue
        if stripped[0] in "*_" and "(" not in stripped and emphasised_text(stripped):
            flush()  # a group's own heading, "**Books**": no entry
            continue
        has_year = "(" in stripped and _YEAR_GROUP.search(stripped) is not None
        if _starts_entry(line) or (current and has_year and dated):
            flush()
        if not current:
            current_line = first_line + index
        current.append(stripped)
        dated = dated or has_year
    flush()
    return entries


def reference_list(
    body: str, first_line: int = 1, sections: list[tuple[int, int, str]] | None = None
) -> list[Reference]:
    """Every entry under a References or Bibliography heading of ``body`` (``sections``:
    its ``section_spans``, when the caller has them)."""
    entries: list[Reference] = []
    for start, end, kind in section_spans(body) if sections is None else sections:
        lines = body[start:end].split("\n")
        line = first_line + body.count("\n", 0, start)
        entries += section_entries(lines, 0, len(lines), line, bibliography=kind == "bibliography")
    return entries
