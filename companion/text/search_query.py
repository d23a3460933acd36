"""What a person types into a search box, as a full-text query and as a test of one line.

The syntax (docs/search.md):

- ``Schein culture``: notes holding every word;
- ``"psychological safety"``: the words in that order;
- ``cultur*``: any word starting so;
- ``Schein OR Kotter``: either;
- ``-draft``: notes without the word.

Words are compared as SQLite's FTS5 ``unicode61`` tokenizer with ``remove_diacritics 2``
compares them: letters and digits, ignoring case and accents (``muller`` finds ``Müller``),
so the lines shown for a note are the lines the index matched it by.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from companion.errors import CompanionError

_TOKEN = re.compile(r"[^\W_]+")
_PART = re.compile(r'(-?)"([^"]*)"(\*?)|(\S+)')
SNIPPET = 100
"""The longest line shown for a hit (cut around the first match)."""


class SearchError(CompanionError):
    """A query with nothing to search for: bad input, said in one line."""


def fold(text: str) -> str:
    """Text as the index compares it: accents removed, case folded (one char per char when
    the text has no accents, so offsets stay)."""
    if text.isascii():
        return text.casefold()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(fold(text))


@dataclass(frozen=True)
class Term:
    """A word, a prefix or a phrase: the tokens it must match, in order."""

    tokens: tuple[str, ...]
    prefix: bool = False
    exclude: bool = False

    def fts(self) -> str:
        """The term in FTS5's query language, every token quoted."""
        quoted = '"' + " ".join(self.tokens).replace('"', '""') + '"'
        return quoted + ("*" if self.prefix else "")

    def spans(self, tokens: list[tuple[int, int, str]]) -> list[tuple[int, int]]:
        """Where the term matches among a line's tokens (start, end offsets)."""
        out = []
        size = len(self.tokens)
        for index in range(len(tokens) - size + 1):
            window = tokens[index : index + size]
            head = all(window[i][2] == self.tokens[i] for i in range(size - 1))
            last = window[-1][2]
            wanted = self.tokens[-1]
            if head and (last.startswith(wanted) if self.prefix else last == wanted):
                out.append((window[0][0], window[-1][1]))
        return out


@dataclass(frozen=True)
class SearchQuery:
    """A parsed query: groups of terms joined by OR, each group's terms all required."""

    groups: tuple[tuple[Term, ...], ...]
    text: str

    def fts(self) -> str:
        """The query in FTS5's language."""
        parts = []
        for group in self.groups:
            wanted = " ".join(t.fts() for t in group if not t.exclude)
            unwanted = " ".join(f"NOT {t.fts()}" for t in group if t.exclude)
            parts.append(f"({wanted}{' ' + unwanted if unwanted else ''})")
        return " OR ".join(parts)

    @property
    def terms(self) -> list[Term]:
        """Every term that must be found somewhere (not the excluded ones)."""
        return [t for group in self.groups for t in group if not t.exclude]

    def line_spans(self, line: str) -> list[tuple[int, int]]:
        """Where any term matches in ``line``, as offsets in ``fold(line)``."""
        folded = fold(line)
        if not any(t.tokens[0][:3] in folded for t in self.terms):
            return []
        tokens = [(m.start(), m.end(), m.group(0)) for m in _TOKEN.finditer(folded)]
        found = [span for term in self.terms for span in term.spans(tokens)]
        return sorted(found)


def parse_query(text: str) -> SearchQuery:
    """A query from what was typed; SearchError when it holds no word to look for."""
    groups: list[list[Term]] = [[]]
    for match in _PART.finditer(text):
        if match.group(4) == "OR":
            groups.append([])
            continue
        if match.group(4) is not None:
            raw = match.group(4)
            exclude = raw.startswith("-") and len(raw) > 1
            raw = raw[1:] if exclude else raw
            prefix = raw.endswith("*")
            words = _tokens(raw.rstrip("*"))
        else:
            exclude, prefix = match.group(1) == "-", match.group(3) == "*"
            words = _tokens(match.group(2))
        if words:
            groups[-1].append(Term(tuple(words), prefix, exclude))
    kept = tuple(tuple(g) for g in groups if any(not t.exclude for t in g))
    if not kept:
        raise SearchError(
            f"'{text}' has no word to search for (letters or digits; "
            'e.g. Schein, "psychological safety", cultur*)'
        )
    return SearchQuery(kept, " ".join(text.split()))


def snippet(line: str, spans: list[tuple[int, int]], width: int = SNIPPET) -> str:
    """The line, cut to ``width`` around its first match, on one line."""
    lead = len(line) - len(line.lstrip())
    text = line.strip().replace("\t", " ")
    if len(text) <= width:
        return text
    first = spans[0][0] - lead if spans and len(fold(line)) == len(line) else 0
    start = max(0, min(first - width // 3, len(text) - width))
    cut = text[start : start + width].strip()
    return ("…" if start else "") + cut + ("…" if start + width < len(text) else "")
