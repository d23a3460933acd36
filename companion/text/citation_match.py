"""Citations matched to a reference list both ways (Cite Them Right Harvard).

A citation matches an entry when the first author (or organisation, or its abbreviation),
the year (or "no date") and the letter after the year agree; further authors and et al.
only give style hints. A secondary citation ("Lewin, 1951, cited in Burnes, 2004") must
match the work read (Burnes). An entry nobody cites is reported, except under a
Bibliography heading, which may list background reading. The rules and their sources are
in docs/citations.md.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache

from companion.text.citations import Citation, Source
from companion.text.references import Reference

MATCHED = "matched"
UNMATCHED = "unmatched"
AMBIGUOUS = "ambiguous"


@dataclass(frozen=True, slots=True)
class Match:
    """What one citation found: ``matched``, ``unmatched`` or ``ambiguous``.

    ``reference`` is the index of the entry it matched; ``hint`` is ``code: words`` (a style
    point on a match, or why nothing matched), '' when there is nothing to say.
    """

    citation: Citation
    result: str
    reference: int | None = None
    hint: str = ""


@dataclass
class Report:
    """Every citation's match, and the entries no citation names."""

    matches: list[Match] = field(default_factory=list)
    uncited: list[int] = field(default_factory=list)

    @property
    def problems(self) -> int:
        """Citations without a (single) entry, and entries never cited."""
        return sum(1 for m in self.matches if m.result != MATCHED) + len(self.uncited)


@lru_cache(maxsize=4096)
def key(name: str) -> str:
    """A name as compared: NFC, case-folded, one kind of apostrophe and dash, no markdown
    emphasis, no leading 'The', ``&`` as ``and``."""
    text = unicodedata.normalize("NFC", name).replace("’", "'").replace("‘", "'")
    for dash in "‐‑‒–—":
        text = text.replace(dash, "-")
    text = text.replace("*", "").replace("_", "").replace("&", " and ")
    text = " ".join(text.casefold().split()).rstrip(".,")
    if text.startswith("the "):
        text = text[4:]
    return text


@lru_cache(maxsize=4096)
def loose(text: str) -> str:
    """A key with its accents removed (Müller = Muller), the fallback comparison."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


@lru_cache(maxsize=4096)
def initials(name: str) -> str:
    """The initials of a name's capitalised words: World Health Organization is 'who'."""
    words = [w for w in name.split() if w[:1].isupper()]
    return "".join(w[0] for w in words).casefold() if len(words) > 1 else ""


def _source_keys(source: Source, aliases: dict[str, set[str]]) -> set[str]:
    keys = {key(source.authors[0])} if source.authors else set()
    if source.names:
        keys.add(key(source.names))
    if source.alias:
        keys.add(key(source.alias))
    if aliases:
        for found in list(keys):
            keys |= aliases.get(found, set())
    return keys


def _reference_keys(reference: Reference) -> set[str]:
    keys = {key(reference.authors[0])}
    if reference.names:
        keys.add(key(reference.names))
    if reference.alias:
        keys.add(key(reference.alias))
    return keys


class Entries:
    """The usable entries looked up by key, by accent-free key and by initials, built
    once per list (a note's, or a whole reference library) so each citation costs a few
    dictionary look-ups."""

    def __init__(self, references: Sequence[Reference]) -> None:
        self.references = references
        self.usable = [i for i, r in enumerate(references) if r.keyed and not r.url_only]
        self.by_key: dict[str, list[int]] = {}
        self.by_loose: dict[str, list[int]] = {}
        self.by_initials: dict[str, list[int]] = {}
        for index in self.usable:
            reference = references[index]
            for found in _reference_keys(reference):
                self.by_key.setdefault(found, []).append(index)
                self.by_loose.setdefault(loose(found), []).append(index)
            short = initials(reference.names or reference.authors[0])
            if short:
                self.by_initials.setdefault(short, []).append(index)

    def find(self, citation: Citation) -> Match:
        """What one citation finds among these entries (a library's, say)."""
        return _match_one(citation, self, {})[0]

    @staticmethod
    def _look(table: dict[str, list[int]], keys: set[str]) -> list[int]:
        found: set[int] = set()
        for k in keys:
            found.update(table.get(k, ()))
        return sorted(found)

    def named(self, keys: set[str]) -> list[int]:
        """Entries whose first author (or organisation, or abbreviation) is one of ``keys``."""
        return self._look(self.by_key, keys)

    def candidates(self, work: Source, aliases: dict[str, set[str]]) -> tuple[list[int], str]:
        """Entries whose first author agrees, and a hint when only a looser comparison
        (accents, or initials) found them."""
        keys = _source_keys(work, aliases)
        found = self.named(keys)
        if found:
            return found, ""
        found = self._look(self.by_loose, {loose(k) for k in keys})
        if found:
            return found, f"spelling: the reference writes {self.references[found[0]].authors[0]}"
        found = self._look(self.by_initials, keys)
        if found:
            ref = self.references[found[0]]
            return found, (
                f"abbreviation-guessed: {work.authors[0]} = initials of "
                f"{ref.names or ref.authors[0]}"
            )
        ours = initials(work.names or work.authors[0]) if work.authors else ""
        found = self.named({ours}) if ours else []
        if found:
            return found, (
                f"abbreviation-guessed: {self.references[found[0]].authors[0]} = initials of "
                f"{work.names or work.authors[0]}"
            )
        surname = _surname(work)
        found = self.named({key(surname)}) if surname else []
        if found:
            return found, "style: CTR names a person by surname alone"
        return [], ""


def _surname(work: Source) -> str:
    """``John Hayes`` as a sentence may name a person: the last word, when every word is a
    capitalised given name or surname (never an organisation's joining word)."""
    if not work.authors or work.legislation or work.alias:
        return ""
    words = work.authors[0].split()
    if not 2 <= len(words) <= 3 or not all(w[:1].isupper() and w.isalpha() for w in words):
        return ""
    return words[-1]


def _when(source: Source | Reference) -> str:
    if source.no_date:
        return "no date" + (f" {source.suffix}" if source.suffix else "")
    return f"{source.year}{source.suffix}"


def _same_date(source: Source, reference: Reference) -> bool:
    return source.no_date == reference.no_date and source.year == reference.year


def _style_hint(citation: Citation, work: Source, reference: Reference) -> str:
    """A style point on a match (the match itself stands)."""
    authors = len(reference.authors)
    if work.et_al and not reference.et_al and authors == 1:
        return "author-count: et al. but the reference has one author"
    if work.et_al and not reference.et_al and authors == 3:
        return "style: CTR names all three authors of a three-author work"
    if not work.et_al and len(work.authors) > 1 and (authors >= 4 or reference.et_al):
        return "style: CTR uses et al. for four or more authors"
    if work.no_date and work.abbreviated:
        return "style: CTR writes 'no date', not 'n.d.'"
    if work.no_date and reference.abbreviated_date:
        return "style: the reference writes '(n.d.)', CTR writes '(no date)'"
    return ""


COMMA_HINT = "style: CTR puts a comma between the name and the year"
"""Said once per note: a note that leaves the comma out usually does so throughout."""


def _by_authors(work: Source, found: list[int], references: Sequence[Reference]) -> int:
    """Of entries with the same first author, year and letter, the one whose authors the
    citation names: Murphy (2001) is the single-author work, Murphy and Smith (2001) the
    joint one, Murphy et al. (2001) the one with three or more authors."""
    if len(found) == 1:
        return found[0]
    named = [key(a) for a in work.authors]
    for index in found:
        reference = references[index]
        count = len(reference.authors)
        if work.et_al:
            fits = reference.et_al or count >= 3
        elif len(named) == 1:
            fits = count == 1 and not reference.et_al
        else:
            fits = [key(a) for a in reference.authors] == named
        if fits:
            return index
    return found[0]


def _match_one(
    citation: Citation, entries: Entries, aliases: dict[str, set[str]]
) -> tuple[Match, list[int]]:
    """The match of one citation, and the entries it made use of (cited or considered)."""
    work = citation.read
    references = entries.references
    found, hint = entries.candidates(work, aliases)
    if not found:
        return Match(citation, UNMATCHED, None, _why_unmatched(citation, entries)), []
    dated = [i for i in found if _same_date(work, references[i])]
    if not dated:
        years = sorted({_when(references[i]) for i in found})
        who = references[found[0]].authors[0]
        noun = "a reference" if len(years) == 1 else "references"
        return (
            Match(
                citation,
                UNMATCHED,
                None,
                f"year-differs: {who} has {noun} for {' and '.join(years)}",
            ),
            [],
        )
    exact = [i for i in dated if references[i].suffix == work.suffix]
    if exact:
        index = _by_authors(work, exact, references)
        return Match(
            citation, MATCHED, index, hint or _style_hint(citation, work, references[index])
        ), [index]
    if not work.suffix and len(dated) > 1:
        dates = " and ".join(_when(references[i]) for i in dated)
        who = references[dated[0]].authors[0]
        return Match(citation, AMBIGUOUS, None, f"suffix-missing: {who} has {dates}"), dated
    if len(dated) == 1:
        index = dated[0]
        said = (
            "the reference has no letter"
            if not references[index].suffix
            else f"the reference is {_when(references[index])}"
        )
        return Match(citation, MATCHED, index, f"suffix-mismatch: {said}"), [index]
    dates = " and ".join(_when(references[i]) for i in dated)
    who = references[dated[0]].authors[0]
    return Match(citation, UNMATCHED, None, f"suffix-differs: {who} has {dates}"), []


def _why_unmatched(citation: Citation, entries: Entries) -> str:
    references = entries.references
    if citation.secondary is not None:
        primary = citation.source
        named = entries.named(_source_keys(primary, {}))
        if any(_same_date(primary, references[i]) for i in named):
            return (
                f"secondary: reference {citation.secondary.label()}, the source you read; "
                f"CTR does not list {primary.label()}"
            )
    if any(r.url_only for r in references):
        return "url-only reference: give author, year and title"
    return ""


def _has_aliases(citations: Sequence[Citation], references: Sequence[Reference]) -> bool:
    return any(c.source.alias or (c.secondary and c.secondary.alias) for c in citations) or any(
        r.alias for r in references
    )


def _aliases(citations: Sequence[Citation], references: Sequence[Reference]) -> dict[str, set[str]]:
    """Names and the abbreviations the note introduces for them, both ways."""
    pairs: dict[str, set[str]] = {}
    works = [c.source for c in citations] + [c.secondary for c in citations if c.secondary]
    for work in works:
        if work.alias and work.authors:
            full, short = key(work.names or work.authors[0]), key(work.alias)
            pairs.setdefault(full, set()).add(short)
            pairs.setdefault(short, set()).add(full)
    for reference in references:
        if reference.alias and reference.authors:
            full, short = key(reference.names or reference.authors[0]), key(reference.alias)
            pairs.setdefault(full, set()).add(short)
            pairs.setdefault(short, set()).add(full)
    return pairs


def match(citations: Sequence[Citation], references: Sequence[Reference]) -> Report:
    """Each citation against the entries, and the entries no citation names.

    A weak citation (``(Budget 2024)``) that matches nothing is left out: without a
    reference it is as likely prose as a citation.
    """
    entries = Entries(references)
    aliases = _aliases(citations, references) if _has_aliases(citations, references) else {}
    report = Report()
    used: set[int] = set()
    comma_noted = False
    for citation in citations:
        found, touched = _match_one(citation, entries, aliases)
        if citation.weak and found.result != MATCHED:
            continue
        if citation.no_comma and found.result == MATCHED and not found.hint and not comma_noted:
            found, comma_noted = replace(found, hint=COMMA_HINT), True
        report.matches.append(found)
        used.update(touched)
        if citation.secondary is not None:  # the primary, if listed too, is named in the text
            primary = citation.source
            named = entries.named(_source_keys(primary, aliases))
            used.update(i for i in named if _same_date(primary, references[i]))
    report.uncited = [i for i in entries.usable if i not in used and not references[i].bibliography]
    return report
