"""Harvard (Cite Them Right) in-text citations, found in a note's text with their lines.

Recognised (docs/citations.md has the full list and the sources):

- parenthetical: ``(Harris, 2015)``, ``(Harris, 2015, p. 31)``, ``(Critser 2003, p.31)``,
  ``(Kotter, 1996; Lewin, 1951)``, ``(Shah and Patel, 2019)``, ``(Wong, Smith and Adebole,
  2015)``, ``(Wong et al., 2015)``, ``(CIPD, 2023)``, ``(Goleman, 2000a)``, ``(Harris, no
  date)`` and ``n.d.``, ``(Kotter, 1996, 2012)``, ``(Lewin, 1951, cited in Burnes, 2004)``,
  ``(World Health Organization [WHO], 2020)``;
- narrative: ``Harris (2015)``, ``Shah and Patel (2019)``, ``Wong et al. (2015)``,
  ``Goleman's (2000)``, ``Kotter (1996, p. 12)``, ``Lewin (1951, cited in Burnes, 2004)``.

It runs for every note at indexing, so it makes one pass over the ``(`` of the text with
``str`` operations; a regex runs only on the few characters inside a bracket that holds a
year, and the look-back for a narrative citation's names reads a handful of words.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache, partial

from companion import clock
from companion.text.prose import prose
from companion.text.references import section_spans

MAX_BRACKET = 300
"""The longest bracket read as a citation (longer ones are prose in brackets)."""
MAX_NAME_WORDS = 7
"""The most words one author's or organisation's name may have."""


@dataclass(frozen=True, slots=True)
class Source:
    """One cited work as the text names it: the first author, year and letter identify it."""

    authors: tuple[str, ...]
    et_al: bool = False
    year: str | None = None
    suffix: str = ""
    no_date: bool = False
    pages: str | None = None
    alias: str | None = None
    names: str = ""
    """The names as written before the year (``McKinsey & Company``), for matching an
    organisation whose name holds ``and`` or ``&`` as a whole."""
    abbreviated: bool = False
    """The date was written ``n.d.``, which Cite Them Right spells ``no date``."""
    legislation: bool = False
    """An Act or statutory instrument: ``authors`` holds its title (``Children Act``)."""

    def label(self) -> str:
        """``Harris (2015)``, ``Wong et al. (2015b)``, ``Harris (no date)``."""
        if self.legislation:
            return f"{self.authors[0]} {self.year}"
        if len(self.authors) == 1:
            who = self.authors[0] + (" et al." if self.et_al else "")
        else:
            who = ", ".join(self.authors[:-1]) + " and " + self.authors[-1]
        when = "no date" if self.no_date else str(self.year)
        return f"{who} ({when}{(' ' if self.no_date else '') + self.suffix if self.suffix else ''})"


@dataclass(slots=True)
class Citation:
    """An in-text citation: the work cited, where it is and how it was written.

    A secondary citation ("Lewin, 1951, cited in Burnes, 2004") names the work read in
    ``secondary``; that is the one the reference list must hold.
    """

    source: Source
    line: int
    start: int
    end: int
    """The bracket's span in the text (for a narrative citation, only the bracket)."""
    text: str
    narrative: bool = False
    secondary: Source | None = None
    weak: bool = False
    """``(Budget 2024)``: no comma, no page, one word. It is a citation only if a reference
    says so, so it never raises a warning on its own."""
    no_comma: bool = False
    """``(Delaney 2019)``: no comma between the name and the year, where CTR puts one."""

    @property
    def read(self) -> Source:
        """The work the writer read: the secondary source when there is one."""
        return self.secondary or self.source


# --- the words that shape a citation ---------------------------------------------------

_YEAR_TOKEN = re.compile(
    r"(?:(?<=[\s,(])|^)"
    r"(?:(\d{4})(?:([a-z])(?![a-z]))?|(no date|n\.\s?d\.)(?:(?:\s|-)([a-z])(?![a-z]))?)"
    r"(?=$|[\s,;:)\].])",
    re.IGNORECASE,
)
_MORE_YEARS = re.compile(
    r"\s*,\s*(?:(\d{4})(?:([a-z])(?![a-z]))?|(no date|n\.\s?d\.)(?:(?:\s|-)([a-z])(?![a-z]))?)"
    r"(?=$|[\s,;:)\].])",
    re.IGNORECASE,
)
_LOCATOR = re.compile(
    r"\s*(?:,\s*|:\s*|\s)?\s*(?:(pp?\.?)\s*(\d+(?:\s*[-–—]\s*\d+)?)|(paras?\.?|paragraphs?)\s*\d+"
    r"|(\d{1,4}(?:\s*[-–—]\s*\d+)?)(?=\s*$))",
    re.IGNORECASE,
)
_SECONDARY = re.compile(r",?\s+(?:cited|quoted)\s+(?:in|by)\s+", re.IGNORECASE)
_ET_AL = re.compile(r"\s*[*_]{0,2}\bet\.?\s*al\b\.?[*_]{0,2}\s*$", re.IGNORECASE)
_ALIAS = re.compile(r"\s*[(\[](?:hereafter\s+)?([A-Z][A-Za-z&]{1,11})[)\]]\s*$")
_SPLIT_NAMES = re.compile(r"\s*,\s*|\s+(?:and|&)\s+")
_INITIALS = re.compile(r"^(?:[A-Z]\.\s*-?)+$")
_PREFIXES = (
    "see also ",
    "see ",
    "e.g., ",
    "e.g. ",
    "eg ",
    "cf. ",
    "cf ",
    "i.e. ",
    "for example, ",
    "for example ",
    "compare ",
    "also ",
    "as ",
)


def _set(words: str) -> frozenset[str]:
    return frozenset(words.split())


PARTICLES = _set("van von der den de del della di da du le la los las dos das ter ten op 't")
_CONNECTORS = _set("for of and the on to upon in into & y")
"""Lower-case words inside an organisation's name (Department for Education)."""
MONTHS = _set(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec spring summer autumn fall winter monday "
    "tuesday wednesday thursday friday saturday sunday"
)
_NOT_NAMES = _set(
    "figure fig table appendix annex section chapter page part phase step stage level version "
    "quarter week day year term item unit module vision"
)
_STOP = _set(
    "however as since according in the this that these those both while whilst whereas "
    "although though following unlike like then also moreover furthermore similarly indeed "
    "thus hence therefore here there when where why how what which who if for but and or so "
    "yet after before by from with without within under over a an my our their his her its we "
    "i it they he she you your see using per of on to at later earlier recently today now "
    "once only even each every all some many most one two three first second third finally "
    "overall unless until because note notes see"
)
"""Capitalised words that start a sentence, never an author's name (narrative look-back)."""
_LEGAL = _set("act acts regulations regulation order bill directive")
POST_NOMINALS = _set("MP MSP MEP QC KC OBE CBE MBE")
"""Letters after a person's name in a sentence (``John Hayes MP``): not part of the name."""


_LATEST: list[float] = [0.0, 0.0]
"""When the latest publication year was last worked out, and that year."""


def _max_year() -> int:
    """Next year: no later year is a publication year (``(Vision 2030)`` is not a citation).
    Asked of the clock at most once a minute: indexing asks it for every note."""
    now = time.monotonic()
    if now - _LATEST[0] > 60 or not _LATEST[1]:
        _LATEST[:] = [now, clock.today().year + 1]
    return int(_LATEST[1])


_DIGIT = re.compile(r"\d")
_YEARISH = re.compile(r"\d{4}|n\.\s?d|no date", re.IGNORECASE)


def _is_name_word(word: str, *, first: bool) -> bool:
    """A word of a name: capitalised (or an all-caps abbreviation), no digits."""
    if not word or _DIGIT.search(word):
        return False
    head = word.lstrip("'’\"*_[")
    if not head:
        return False
    if head[0].isupper():
        return not (first and head.lower().rstrip(".,") in _NOT_NAMES)
    return False


@lru_cache(maxsize=4096)
def _valid_author(name: str, *, italic: bool) -> bool:
    """An author or organisation as a citation names it."""
    if not name or len(name) > 80 or _DIGIT.search(name):
        return False
    if italic:
        return True
    words = name.split()
    if len(words) > MAX_NAME_WORDS:
        return False
    lowered = [w.lower() for w in words]
    if len(words) == 1 and lowered[0].rstrip(".") in MONTHS:
        return False
    if lowered[0].rstrip(".,") in _NOT_NAMES or lowered[0] in MONTHS:
        return False
    index = 0
    while index < len(words) and lowered[index] in PARTICLES:
        index += 1
    if index == len(words) or not _is_name_word(words[index], first=index == 0):
        return False
    for word, low in zip(words[index + 1 :], lowered[index + 1 :], strict=True):
        if not (_is_name_word(word, first=False) or low in _CONNECTORS or low in PARTICLES):
            return False
    return True


_Year = tuple[str | None, str, bool, bool]
"""(year, suffix, no_date, written ``n.d.``) of a year token."""


def _year_parts(match: re.Match[str]) -> _Year:
    """(year, suffix, no_date, abbreviated) of a year token."""
    if match.group(1):
        return match.group(1), (match.group(2) or "").lower(), False, False
    return (
        None,
        (match.group(4) or "").lower(),
        True,
        match.group(3)[:1] in "nN" and "." in match.group(3),
    )


_TITLE_WORD = r"[A-Z][\w'’-]*"
_TITLE_JOIN = r"(?:of|and|for|the|to|on|in|at|with|by|from|&)"
_LEGISLATION_TITLE = re.compile(
    rf"^(?:The\s+)?(?:Act\s+of\s+{_TITLE_WORD}|{_TITLE_WORD}"
    rf"(?:\s+(?:{_TITLE_WORD}|\([A-Z][\w .'’-]*\)|{_TITLE_JOIN}))*?"
    r"\s+(?:Act|Regulations|Order|Rules))$"
)
"""An Act's or statutory instrument's title, as cited with its year and no comma:
``(Health and Social Care Act 2012)``, ``(The Management of … Regulations 1999)``."""
_LEGAL_ENDINGS = ("Act", "Regulations", "Order", "Rules")


def _legislation_title(before: str) -> str | None:
    """The title when the words before a year name an Act or statutory instrument."""
    text = " ".join(before.split()).rstrip(", ")
    if not text.endswith(_LEGAL_ENDINGS) and not text.startswith(("Act of ", "The Act of ")):
        return None
    return text if _LEGISLATION_TITLE.match(text) else None


def _strip_prefix(text: str) -> str:
    if text[:1] not in "sSeEcCiIfFaA":
        return text
    lowered = text.lower()
    changed = True
    while changed:
        changed = False
        for prefix in _PREFIXES:
            if lowered.startswith(prefix):
                text, lowered = text[len(prefix) :].lstrip(), lowered[len(prefix) :].lstrip()
                changed = True
    return text


@dataclass
class _Cite:
    """One part of a bracket before it becomes citations: names, years, page."""

    authors: tuple[str, ...]
    et_al: bool
    alias: str | None
    names: str
    years: list[_Year] = field(default_factory=list)
    pages: str | None = None
    weak: bool = False
    no_comma: bool = False
    legislation: bool = False

    def sources(self) -> list[Source]:
        return [
            Source(
                self.authors,
                self.et_al,
                y,
                s,
                nd,
                self.pages,
                self.alias,
                self.names,
                ab,
                self.legislation,
            )
            for y, s, nd, ab in self.years
        ]


def _names(text: str) -> tuple[tuple[str, ...], bool, str | None, str] | None:
    """Authors, et al., alias and the names as written, from the text before the year."""
    text = text.strip().rstrip(",").strip()
    if not text:
        return None
    alias = None
    if text[-1] in ")]":
        found = _ALIAS.search(text)
        if found:
            alias, text = found.group(1), text[: found.start()].rstrip(" ,")
    et_al = False
    found = _ET_AL.search(text)
    if found:
        et_al, text = True, text[: found.start()].rstrip(" ,")
    italic = len(text) > 2 and text[0] in "*_" and text[-1] == text[0]
    if italic:
        text = text.strip("*_").strip()
    elif "*" in text or "_" in text:
        text = text.replace("*", "").replace("_", "").strip()
    if not text:
        return None
    parts = [text] if italic or et_al else _SPLIT_NAMES.split(text)
    authors = tuple(p.strip() for p in parts if p.strip() and not _INITIALS.match(p.strip()))
    if not authors or not all(_valid_author(a, italic=italic) for a in authors):
        return None
    return authors, et_al, alias, text


def _cite(text: str, previous: _Cite | None, max_year: int) -> _Cite | None:
    """One ``;``-separated part of a bracket: ``names, year[, year][, locator]``."""
    text = _strip_prefix(" ".join(text.split()))
    year = _YEAR_TOKEN.search(text)
    if year is None:
        return None
    before = text[: year.start()]
    title = _legislation_title(before) if before.strip() else None
    if title is not None:
        cite = _Cite((title,), False, None, title, legislation=True)
    elif before.strip():
        named = _names(before)
        if named is None:
            return None
        cite = _Cite(*named)
    elif previous is not None:  # (Harris, 2015; 2017): the year of the same author
        cite = _Cite(previous.authors, previous.et_al, previous.alias, previous.names)
    else:
        return None
    cite.years.append(_year_parts(year))
    pos = year.end()
    while (more := _MORE_YEARS.match(text, pos)) is not None:
        cite.years.append(_year_parts(more))
        pos = more.end()
    for y, *_ in cite.years:
        if y is not None and not 1000 <= int(y) <= max_year:
            return None
    locator = _LOCATOR.match(text, pos)
    if locator is not None and (locator.group(2) or locator.group(4)):
        pages = locator.group(2) or locator.group(4)
        cite.pages = re.sub(r"\s*[-–—]\s*", "-", pages)
    cite.no_comma = bool(before.strip()) and "," not in before and not cite.legislation
    cite.weak = (
        not cite.legislation
        and bool(before.strip())
        and "," not in before
        and len(cite.years) == 1
        and not cite.years[0][1]
        and cite.pages is None
        and not cite.et_al
        and len(cite.authors) == 1
        and " " not in cite.authors[0]
        and locator is None
    )
    return cite


def _split_semicolons(inner: str) -> list[str]:
    """The parts of a bracket between ``;`` outside nested brackets."""
    if ";" not in inner:
        return [inner]
    parts, depth, start = [], 0, 0
    for index, char in enumerate(inner):
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif char == ";" and depth <= 0:
            parts.append(inner[start:index])
            start = index + 1
    parts.append(inner[start:])
    return parts


def _secondary(text: str, max_year: int) -> Source | None:
    cite = _cite(text, None, max_year)
    if cite is None:
        return None
    sources = cite.sources()
    return sources[0] if sources else None


@lru_cache(maxsize=8192)
def _parenthetical(
    inner: str, max_year: int
) -> tuple[tuple[Source, Source | None, bool, bool], ...]:
    """Each work a bracket cites: (source, secondary, weak, no comma). Kept per bracket
    text: a portfolio cites the same works in the same words again and again."""
    out: list[tuple[Source, Source | None, bool, bool]] = []
    previous: _Cite | None = None
    for part in _split_semicolons(inner):
        secondary = None
        split = _SECONDARY.search(part) if "cited" in part or "quoted" in part else None
        if split is not None:
            secondary = _secondary(part[split.end() :], max_year)
            part = part[: split.start()]
        cite = _cite(part, previous, max_year)
        if cite is None:
            continue
        previous = cite
        out += [(source, secondary, cite.weak, cite.no_comma) for source in cite.sources()]
    return tuple(out)


# --- narrative citations: the names are the words before "(year" -----------------------


class _WordsBefore:
    """The words before an offset, nearest first, read only as far as they are asked for."""

    __slots__ = ("found", "pos", "start", "text")

    def __init__(self, text: str, end: int, limit: int = 120) -> None:
        self.text, self.pos, self.start = text, end, max(0, end - limit)
        self.found: list[tuple[str, int]] = []

    def get(self, index: int) -> tuple[str, int] | None:
        """The ``index``-th word back and its offset; None past the start (or the limit)."""
        text, start = self.text, self.start
        while len(self.found) <= index:
            pos = self.pos
            while pos > start and text[pos - 1] in " \t\n\r":
                pos -= 1
            stop = pos
            cut = max(text.rfind(" ", start, stop), text.rfind("\n", start, stop))
            pos = cut + 1 if cut >= 0 else start
            if stop <= pos or (cut < 0 and start > 0):
                return None
            self.found.append((text[pos:stop], pos))
            self.pos = pos
        return self.found[index]


def _plain(word: str) -> str:
    return word.strip("*_")


_SIMPLE_NAME = re.compile(r"[A-Z][^\W\d_]*(?:['’-][^\W\d_]+)*")


_Named = tuple[tuple[str, ...], bool, str | None, str, int]
"""Names, et al., alias, the names as written and where they start."""


def _one_name_before(text: str, end: int) -> _Named | None:
    """The common case, read with two ``rfind``: one capitalised name (``Kotter``,
    ``Goleman's``) after a word that cannot be part of a name. None when the words there
    need the full reading (et al., several authors, particles, organisations)."""
    floor = max(0, end - 120)
    cut = max(text.rfind(" ", floor, end), text.rfind("\n", floor, end))
    start = cut + 1 if cut >= 0 else floor
    if cut < 0 and floor:
        return None
    word = text[start:end]
    if word.endswith(("'s", "’s")):
        word = word[:-2]
    elif word.endswith(("s'", "s’")):
        word = word[:-1]
    if _SIMPLE_NAME.fullmatch(word) is None:
        return None
    low = word.lower()
    if low in _STOP or low in MONTHS or low in _LEGAL or low in _NOT_NAMES:
        return None
    if cut >= 0:
        previous = cut
        while previous > floor and text[previous - 1] in " \t\n\r":
            previous -= 1
        before = max(text.rfind(" ", floor, previous), text.rfind("\n", floor, previous))
        prior = text[before + 1 : previous]
        if text.count("\n", previous, cut + 1) > 1:
            prior = ""  # a blank line: the name starts a paragraph
        if prior and not (
            prior in ("-", "*", "+")
            or prior[-1] in ".:;!?)|>#"
            or (prior[0].islower() and prior not in PARTICLES and prior not in _CONNECTORS)
            or (prior[-1] == "," and prior[0].isupper() and prior.lower().rstrip(",") in _STOP)
        ):
            return None
    return (word,), False, None, word, start


def _narrative_names(text: str, bracket: int) -> _Named | None:
    """The authors written before a ``(year`` bracket: names, et al., alias, the names as
    written and where they start; None when no name comes right before it.

    Read in stages: where the names end (an alias in brackets before the year), the common
    case of one plain name, the nearest word and an et al., the names word by word back
    from there, and the authors they make."""
    ending = _names_end(text, bracket)
    if ending is None:
        return None
    end, alias = ending
    if alias is None:
        quick = _one_name_before(text, end)
        if quick is not None:
            return quick
    words = _WordsBefore(text, end)
    nearest = words.get(0)
    if nearest is None:
        return None
    word, start = nearest
    word = _without_possessive(_plain(word))
    words.found[0] = (word, start)
    et_al = False
    index = 0
    before = words.get(1) if _plain(word).lower().rstrip(",") in ("al.", "al") else None
    if before is not None and _plain(before[0]).lower() in ("et", "et."):
        et_al, index = True, 2
    read = _read_names(text, words, index, et_al)
    if read.first_start is None:
        return None
    authors = _authors(read.names, et_al)
    if authors is None:
        return None
    written = text[read.first_start : end].strip()
    return (
        authors,
        et_al,
        alias,
        " ".join(written.replace("*", "").replace("_", "").split()),
        read.first_start,
    )


def _names_end(text: str, bracket: int) -> tuple[int, str | None] | None:
    """Where the names before ``bracket`` end, and the alias in brackets between them and
    the year (World Health Organization (WHO) (2020)); None when a bracket there is no
    alias."""
    end = bracket
    while end > 0 and text[end - 1] in " \t\n":
        end -= 1
    if end > 0 and text[end - 1] in ")]":
        opening = text.rfind("(" if text[end - 1] == ")" else "[", max(0, end - 14), end)
        found = _ALIAS.search(text[opening:end]) if opening >= 0 else None
        if found is None:
            return None
        return opening, found.group(1)
    return end, None


def _without_possessive(word: str) -> str:
    """``Kotter's`` as ``Kotter``, ``Jones'`` as ``Jones``."""
    for ending in ("'s", "’s"):
        if word.endswith(ending):
            return word[: -len(ending)]
    if word.endswith(("s'", "s’")):
        return word[:-1]
    return word


@dataclass(slots=True)
class _NamesRead:
    """The names read back from a ``(year`` bracket so far: each a list of its words, the
    one being read last; and where the first word read starts."""

    et_al: bool
    names: list[list[str]] = field(default_factory=list)
    current: list[str] = field(default_factory=list)
    first_start: int | None = None
    listed: bool = False  # an "and" seen: "A, B and C" may go on with commas

    def close(self) -> None:
        """The name being read is complete."""
        self.names.append(self.current)
        self.current = []

    def prepend(self, word: str, position: int | None) -> None:
        self.current.insert(0, word)
        if position is not None:
            self.first_start = position


def _read_names(text: str, words: _WordsBefore, index: int, et_al: bool) -> _NamesRead:
    """The names from the ``index``-th word back, read until a word that cannot be part
    of one, a paragraph or a heading before."""
    read = _NamesRead(et_al)
    while (got := words.get(index)) is not None:
        raw, position = got
        if index and _paragraph_between(text, position + len(raw), words.found[index - 1][1]):
            break  # a heading line or a paragraph before this one is never part of a name
        if not _take_word(read, raw, position, partial(words.get, index + 1)):
            break
        index += 1
    if read.current:
        read.close()
    return read


def _take_word(
    read: _NamesRead, raw: str, position: int, ahead: Callable[[], tuple[str, int] | None]
) -> bool:
    """Add the word ``raw`` at ``position`` to the names read; False when the names end
    at it (or, for a word opening a bracket or bold text, just after it). ``ahead`` is the
    word before it."""
    word = _plain(raw)
    lowered = word.lower().rstrip(",")
    boundary = raw[:1] in "[(\"'|#>" or raw.startswith(("**", "__"))
    word = word.lstrip("[(\"'")
    if not word:
        return False
    if read.current and raw.endswith(","):
        # a comma after a word closes the name being read: it goes on only in a list
        if not read.listed:
            return False
        read.close()
    if word.endswith(".") and read.current and lowered not in ("et.", "al."):
        return False  # the previous sentence ended here
    bare = word.rstrip(",")
    if bare.lower() in ("and", "&"):
        if not read.current or read.et_al:
            return False
        read.close()
        read.listed = True
        return True
    return _name_word(read, bare, position, ahead) and not boundary


def _name_word(
    read: _NamesRead, bare: str, position: int, ahead: Callable[[], tuple[str, int] | None]
) -> bool:
    """Add ``bare`` to the name being read if it can be part of it: a capitalised word, a
    particle (van, de) or a connector (of, for) with a name before it."""
    low = bare.lower()
    if _is_name_word(bare, first=False):
        if low in _STOP or low in MONTHS:
            return False
        if read.current and len(read.current) >= MAX_NAME_WORDS:
            return False
        read.prepend(bare, position)
        return True
    if low in PARTICLES and read.current:
        read.prepend(bare, position)
        return True
    if low in _CONNECTORS and read.current and (before := ahead()):
        following = _plain(before[0]).rstrip(",")
        if not (_is_name_word(following, first=False) and following.lower() not in _STOP):
            return False
        read.prepend(bare, None)
        return True
    return False


def _authors(names: list[list[str]], et_al: bool) -> tuple[str, ...] | None:
    """The authors the names read make, first first; None when they are none, initials
    (a reference list's "J. (1969)"), an Act or not a valid author."""
    cleaned = []
    for name in names:
        while name and name[0].lower() in _CONNECTORS:
            name = name[1:]  # connectors may not open a name: "for Education" is "Education"
        while len(name) > 1 and name[-1] in POST_NOMINALS:
            name = name[:-1]  # John Hayes MP (2024)
        if name:
            cleaned.append(" ".join(name))
    if not cleaned:
        return None
    authors = tuple(reversed(cleaned))
    if et_al:
        authors = authors[-1:]
    if any(_INITIALS.match(a) for a in authors):
        return None
    if authors[-1].split()[-1].lower() in _LEGAL:
        return None  # The Care Act (2014): legislation, cited as written, not by author
    if not all(_valid_author(a, italic=False) for a in authors):
        return None
    return authors


def _paragraph_between(text: str, start: int, end: int) -> bool:
    """True when a blank line, or the end of a heading line, lies between two words."""
    breaks = text.count("\n", start, end)
    if not breaks:
        return False
    return breaks > 1 or text[text.rfind("\n", 0, start) + 1 : start].lstrip().startswith("#")


_ANY_NAME = _Cite(("?",), False, None, "?")


@lru_cache(maxsize=8192)
def _narrative_years(
    inner: str, max_year: int
) -> tuple[tuple[_Year, ...], str | None, Source | None] | None:
    """The years, page and secondary source of a ``(year…)`` bracket; None when it is not
    one a narrative citation can have."""
    secondary = None
    split = _SECONDARY.search(inner) if "cited" in inner or "quoted" in inner else None
    if split is not None:
        secondary = _secondary(inner[split.end() :], max_year)
        inner = inner[: split.start()]
    cite = _cite(inner, _ANY_NAME, max_year)
    if cite is None:
        return None
    return tuple(cite.years), cite.pages, secondary


def _narrative(
    text: str, bracket: int, inner: str, max_year: int
) -> tuple[list[tuple[Source, Source | None]], int] | None:
    """The works a ``Names (year…)`` citation names, and where its names start."""
    years = _narrative_years(inner, max_year)
    if years is None:
        return None
    named = _narrative_names(text, bracket)
    if named is None:
        return None
    authors, et_al, alias, written, start = named
    dates, pages, secondary = years
    return [
        (Source(authors, et_al, y, suffix, nd, pages, alias, written, ab), secondary)
        for y, suffix, nd, ab in dates
    ], start


def _close(text: str, opening: int) -> int:
    """The ``)`` closing the bracket at ``opening`` (one level of nesting), or -1."""
    limit = min(len(text), opening + MAX_BRACKET)
    close = text.find(")", opening + 1, limit)
    if close < 0:
        return -1
    nested = text.find("(", opening + 1, close)
    while nested >= 0:
        close = text.find(")", close + 1, limit)
        if close < 0:
            return -1
        nested = text.find("(", nested + 1, close)
    return close


def _starts_with_year(inner: str) -> bool:
    """True for ``(2015…``, ``(no date…`` and ``(n.d.…``: the bracket of a narrative citation."""
    head = inner[:8].lstrip()
    if not head:
        return False
    if head[0].isdigit():
        return head[:4].isdigit()
    return head[0] in "nN" and (head[:7].lower() == "no date" or head[:4].lower() == "n.d.")


def find_citations(
    text: str,
    first_line: int = 1,
    *,
    max_year: int | None = None,
    masked: bool = False,
    sections: list[tuple[int, int, str]] | None = None,
    lowered: str | None = None,
) -> list[Citation]:
    """Every in-text citation in ``text``, in reading order, with its 1-based line.

    ``first_line`` is the line ``text`` starts on in its file. Code, comments, URLs,
    link targets and the reference list are never read (``masked`` says the caller
    blanked the first four already; ``sections`` are the reference list's
    ``section_spans`` and ``lowered`` is ``text.lower()``, when the caller has them).
    """
    if "(" not in text and not has_legislation(text):
        return []
    if not masked:
        text = prose(text)
    spans = section_spans(text, lowered) if sections is None else sections
    skip = [(start, end) for start, end, _ in spans]
    latest = max_year if max_year is not None else _max_year()
    found: list[Citation] = []
    line, counted = first_line, 0
    opening = text.find("(")
    while opening >= 0:
        if skip and opening >= skip[0][0]:  # the reference list holds no citations
            start, end = skip.pop(0)
            if opening < end:
                opening = text.find("(", end)
            continue
        close = _close(text, opening)
        if close < 0:
            opening = text.find("(", opening + 1)
            continue
        inner = text[opening + 1 : close]
        if _YEARISH.search(inner) is not None:
            line += text.count("\n", counted, opening)
            counted = opening
            if _starts_with_year(inner):
                narrative = _narrative(text, opening, inner, latest)
                if narrative is not None:
                    sources, start = narrative
                    names_line = line - text.count("\n", start, opening)
                    label = " ".join(text[start : close + 1].split())
                    for source, secondary in sources:
                        found.append(
                            Citation(source, names_line, opening, close + 1, label, True, secondary)
                        )
            else:
                cited = _parenthetical(inner, latest)
                if cited:
                    written = " ".join(text[opening : close + 1].split())
                    for source, secondary, weak, no_comma in cited:
                        found.append(
                            Citation(
                                source,
                                line,
                                opening,
                                close + 1,
                                written,
                                False,
                                secondary,
                                weak,
                                no_comma,
                            )
                        )
        opening = text.find("(", close + 1)
    if has_legislation(text):
        found = _legislation_in_prose(text, found, spans, first_line, latest)
    return _join_cited_in(text, found)


_LEGAL_IN_TEXT = ("Act ", "Regulations ", "Order ", "Rules ")


def has_legislation(text: str) -> bool:
    """True when ``text`` may name an Act or SI in a sentence (a cheap test before reading)."""
    return any(word in text for word in _LEGAL_IN_TEXT)


_LEGAL_YEAR = re.compile(r"\b(Act|Regulations|Order|Rules) (\d{4})\b(?![/\d-])")
_TITLE_BEFORE = re.compile(
    rf"(?<![\w'’-])(?:{_TITLE_WORD}|\([A-Z][^()\n]{{0,40}}\))"
    rf"(?:[ \t]+(?:{_TITLE_WORD}|\([A-Z][^()\n]{{0,40}}\)|{_TITLE_JOIN}))*[ \t]+$"
)


def _legislation_in_prose(
    text: str,
    found: list[Citation],
    sections: list[tuple[int, int, str]],
    first_line: int,
    max_year: int,
) -> list[Citation]:
    """``the Children Act 2004 states…``: CTR cites an Act or SI by its title and year in
    the sentence, with no bracket. Read as weak citations: they count when the reference
    list holds the Act, and a title that only looks like one never raises a warning."""
    taken = [(c.start, c.end) for c in found] + [(s, e) for s, e, _ in sections]
    added: list[Citation] = []
    for match in _LEGAL_YEAR.finditer(text):
        start, year = match.start(), match.group(2)
        if not 1000 <= int(year) <= max_year or any(s <= start < e for s, e in taken):
            continue
        window = max(0, start - 160)
        before = _TITLE_BEFORE.search(text, window, start)
        if before is None:
            continue
        words = text[before.start() : start].split()
        offset = before.start()
        while words and (
            words[0].lower() in _STOP or words[0].lower() in _CONNECTORS or words[0].endswith("ing")
        ):
            offset = text.index(words[0], offset) + len(words[0])
            words.pop(0)
        if not words:
            continue
        offset = text.index(words[0], offset)
        title = " ".join([*words, match.group(1)])
        source = Source((title,), year=year, names=title, legislation=True)
        line = first_line + text.count("\n", 0, offset)
        added.append(
            Citation(source, line, offset, match.end(), f"{title} {year}", True, weak=True)
        )
    if not added:
        return found
    return sorted(found + added, key=lambda c: c.start)


_CITED_IN_BETWEEN = re.compile(r"^\s+(?:cited|quoted)\s+(?:in|by)\s+", re.IGNORECASE)


def _join_cited_in(text: str, found: list[Citation]) -> list[Citation]:
    """``Owens et al. (2011) cited in McLaughlin et al. (2014)`` is one secondary citation."""
    if len(found) < 2 or ("cited" not in text and "quoted" not in text):
        return found
    out: list[Citation] = []
    index = 0
    while index < len(found):
        cite = found[index]
        if index + 1 < len(found) and cite.narrative and cite.secondary is None:
            after = found[index + 1]
            gap = text[cite.end : after.start]
            names_at = gap.rfind(after.text.split(" (")[0].split()[0]) if after.text else -1
            if after.narrative and names_at >= 0 and _CITED_IN_BETWEEN.match(gap[:names_at]):
                out.append(
                    Citation(
                        cite.source,
                        cite.line,
                        cite.start,
                        cite.end,
                        f"{cite.text}{gap[:names_at]}{after.text}".replace("\n", " "),
                        True,
                        after.source,
                    )
                )
                index += 2
                continue
        out.append(cite)
        index += 1
    return out


def spans(citations: list[Citation]) -> list[tuple[int, int]]:
    """The brackets the citations occupy, each once, in order (for word counts)."""
    seen: list[tuple[int, int]] = []
    for cite in citations:
        span = (cite.start, cite.end)
        if not seen or seen[-1] != span:
            seen.append(span)
    return seen
