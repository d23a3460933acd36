"""Queries over the notes' front matter and tags, in a small syntax that ``companion notes
--where`` and the Notes screen's filter share.

A clause is ``KEY OP VALUE`` with no spaces around the operator:

- ``=`` equals, ``!=`` differs (``type=minutes``; ``unit=`` is "no unit");
- ``>=``, ``<=``, ``>``, ``<`` compare numbers as numbers and dates as dates
  (``date>=2026-01-01``, ``words>3000``);
- ``~`` contains, ``!~`` does not (``title~board``), ignoring case.

KEY is any front matter field (``witness.signed`` reaches inside one), or one the app
works out: ``ac`` (an AC the note is tagged to; ``ac~700/`` is any of unit 700), ``tags``
(how many), ``words`` (the counted words), ``flags`` (open flags), ``citations``, ``path``
and ``file``. A field holding a list matches when any item does. Several clauses must all
hold. docs/search.md has examples.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from companion.errors import CompanionError
from companion.text.values import NO_WORDS, YES_WORDS

if TYPE_CHECKING:
    from companion.notes.record import NoteRecord

OPERATORS = ("!=", ">=", "<=", "!~", "=", ">", "<", "~")
_CLAUSE = re.compile(r"^([A-Za-z_][\w.-]*)(!=|>=|<=|!~|=|>|<|~)(.*)$", re.DOTALL)
_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")
_DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")
TRUE = YES_WORDS
FALSE = NO_WORDS


class QueryError(CompanionError):
    """A clause the syntax cannot read: bad input, said in one line."""


def _computed(record: NoteRecord, flags: int) -> dict[str, Callable[[], Any]]:
    return {
        "ac": lambda: [t.ac for t in record.tags],
        "tags": lambda: len(record.tags),
        "words": lambda: record.words,
        "flags": lambda: flags,
        "citations": lambda: record.citations,
        "path": lambda: record.path,
        "file": lambda: record.path.rsplit("/", 1)[-1],
        "title": lambda: record.title,
        "ref": lambda: record.ref,
    }


def _value(record: NoteRecord, key: str, flags: int) -> Any:
    """The value a clause's key names in a note; None when the note has none."""
    computed = _computed(record, flags)
    if key in computed:
        return computed[key]()
    value: Any = record.fields
    for part in key.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _equal(value: Any, wanted: str) -> bool:
    """Equality as a person means it: ignoring case, numbers as numbers, yes/true alike."""
    want = wanted.casefold()
    if isinstance(value, bool):
        return want in TRUE if value else want in FALSE
    text = _text(value)
    if _NUMBER.match(text) and _NUMBER.match(wanted):
        return float(text) == float(wanted)
    if want in TRUE | FALSE and text.casefold() in TRUE | FALSE:
        return (want in TRUE) == (text.casefold() in TRUE)
    return text.casefold() == want


def _compare(value: Any, op: str, wanted: str) -> bool:
    text = _text(value)
    left: Any
    right: Any
    if _NUMBER.match(text) and _NUMBER.match(wanted):
        left, right = float(text), float(wanted)
    elif _DATE.match(text[:10]) and _DATE.match(wanted):
        left, right = text[: len(wanted)], wanted  # 2026-03-12 >= 2026-03 compares the month
    else:
        left, right = text.casefold(), wanted.casefold()
    if op == ">=":
        return bool(left >= right)
    if op == "<=":
        return bool(left <= right)
    if op == ">":
        return bool(left > right)
    return bool(left < right)


def _items(value: Any) -> list[Any]:
    if isinstance(value, list | tuple):
        return [v for item in value for v in _items(item)]
    if isinstance(value, dict):
        return [v for item in value.values() for v in _items(item)]
    return [value]


@dataclass(frozen=True)
class Clause:
    """One ``KEY OP VALUE`` condition on a note."""

    key: str
    op: str
    value: str

    def matches(self, record: NoteRecord, flags: int = 0) -> bool:
        """True when the note meets the condition (``flags``: its open flags)."""
        value = _value(record, self.key, flags)
        empty = value in (None, "", [], {})
        if self.op in ("=", "!="):
            if self.value == "":
                found = empty
            else:
                found = not empty and any(_equal(v, self.value) for v in _items(value))
            return found if self.op == "=" else not found
        if self.op in ("~", "!~"):
            wanted = self.value.casefold()
            found = not empty and any(wanted in _text(v).casefold() for v in _items(value))
            return found if self.op == "~" else not found
        return not empty and any(_compare(v, self.op, self.value) for v in _items(value))

    def __str__(self) -> str:
        return f"{self.key}{self.op}{self.value}"


def parse_clause(text: str) -> Clause:
    """A clause from ``KEY OP VALUE``; QueryError saying what is wrong otherwise."""
    match = _CLAUSE.match(text.strip())
    if match is None:
        raise QueryError(
            f"'{text}' is not a condition: write KEY, an operator ({', '.join(OPERATORS)}) "
            "and a value, e.g. type=minutes or date>=2026-01-01"
        )
    key, op, value = match.group(1).lower(), match.group(2), match.group(3).strip()
    if len(value) > 1 and value[0] == value[-1] and value[0] in "'\"":
        value = value[1:-1]
    if op in (">=", "<=", ">", "<") and not value:
        raise QueryError(f"'{text}' compares with nothing: give a value after {op}")
    return Clause(key, op, value)


def parse_filter(text: str) -> tuple[list[Clause], str]:
    """What the Notes screen's filter holds: clauses (``type=minutes``) and the other words,
    which are matched as before. Quotes keep a value with spaces together
    (``title~"board minutes"``)."""
    clauses: list[Clause] = []
    words: list[str] = []
    for token in re.findall(r'[^\s"\']*(?:"[^"]*"|\'[^\']*\')[^\s"\']*|\S+', text):
        if _CLAUSE.match(token):
            try:
                clauses.append(parse_clause(token))
                continue
            except QueryError:
                pass
        words.append(token)
    return clauses, " ".join(words)


def untagged() -> Clause:
    """``--untagged``: notes tagged to no AC."""
    return Clause("tags", "=", "0")


def tagged(ac: str) -> Clause:
    """``--tagged AC``: notes tagged to that AC."""
    return Clause("ac", "=", ac)
