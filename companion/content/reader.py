"""Typed, located access to a content file's YAML that records problems instead of raising.

A content author must see every mistake at once, each with its file and line, so nothing
here raises for bad data: a missing field, a wrong type or a key the format does not have
becomes a ``Problem`` and the reader goes on. Unknown keys are problems too, because a
misspelt key, or an unquoted comma that splits ``{label: a, b}`` into two keys, would
otherwise silently lose text that is a requirement.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from companion.content.located_yaml import LocatedDict, LocatedList
from companion.content.problems import Problem

ANYWHERE = frozenset({"source", "note"})
"""Keys any mapping may carry: where its facts come from, and a remark for other authors."""


_TYPE_NAMES: dict[type, str] = {
    str: "text",
    int: "a whole number",
    float: "a number",
    bool: "true or false",
    list: "a list",
    dict: "a mapping",
    LocatedDict: "a mapping",
    LocatedList: "a list",
    type(None): "empty",
}


def type_name(kind: type) -> str:
    """How a YAML type is named in a message."""
    return _TYPE_NAMES.get(kind, kind.__name__)


def source_text(value: Any) -> str:
    """A ``source:`` value (text, or a mapping such as ``{file, note}``) as one line."""
    if isinstance(value, dict):
        return "; ".join(f"{k}: {v}" for k, v in value.items())
    return "" if value is None else str(value)


class Reader:
    """Reads the mappings of one file, collecting problems against that file."""

    def __init__(self, path: Path, problems: list[Problem]) -> None:
        self.path = path
        self.problems = problems

    def problem(self, line: int, message: str) -> None:
        """Record a problem at ``line`` of this file."""
        self.problems.append(Problem(self.path, line, message))

    def mapping(self, value: Any, line: int, what: str) -> LocatedDict | None:
        """``value`` if it is a mapping, else a problem and ``None``."""
        if isinstance(value, LocatedDict):
            return value
        self.problem(getattr(value, "line", line), f"{what} must be a mapping")
        return None

    def keys(self, data: LocatedDict, what: str, known: Iterable[str]) -> None:
        """Report every key of ``data`` that the format does not give ``what``."""
        allowed = set(known) | ANYWHERE
        for key in data:
            if key in allowed:
                continue
            hint = ""
            if data[key] is None and " " in key.strip():
                hint = (
                    "; an unquoted comma in a {flow} mapping splits the text there: "
                    "put the value in quotes"
                )
            choices = ", ".join(sorted(allowed - ANYWHERE))
            self.problem(
                data.line_of(key), f"unknown key '{key}' in {what} (it takes: {choices}){hint}"
            )

    def get(
        self,
        data: LocatedDict,
        key: str,
        kind: type | tuple[type, ...],
        *,
        required: bool = True,
        default: Any = None,
        what: str = "",
    ) -> Any:
        """``data[key]`` if it is of ``kind``; else a problem and ``default``."""
        label = f"{what}.{key}" if what else key
        if key not in data or data[key] is None:
            if required:
                self.problem(data.line, f"missing required field '{label}'")
            return default
        value = data[key]
        kinds = kind if isinstance(kind, tuple) else (kind,)
        ok = isinstance(value, kinds) and not (isinstance(value, bool) and bool not in kinds)
        if not ok:
            names = " or ".join(type_name(k) for k in kinds)
            self.problem(
                data.line_of(key), f"'{label}' must be {names}, not {type_name(type(value))}"
            )
            return default
        return value

    def text(self, data: LocatedDict, key: str, *, required: bool = True, what: str = "") -> str:
        """A text field (a number is taken as its digits), stripped; '' when absent."""
        value = self.get(data, key, (str, int, float), required=required, default="", what=what)
        return str(value).strip() if value is not None else ""

    def integer(
        self, data: LocatedDict, key: str, *, required: bool = False, what: str = ""
    ) -> int | None:
        """A whole-number field, ``None`` when absent."""
        value: int | None = self.get(data, key, int, required=required, what=what)
        return value

    def str_list(
        self, data: LocatedDict, key: str, *, required: bool = True, what: str = ""
    ) -> tuple[str, ...]:
        """A list of texts; each item that is not text is a problem."""
        value = self.get(data, key, list, required=required, default=[], what=what)
        out: list[str] = []
        for index, item in enumerate(value):
            if isinstance(item, (str, int, float)) and not isinstance(item, bool):
                out.append(str(item).strip())
            else:
                line = value.line_of(index) if isinstance(value, LocatedList) else data.line
                self.problem(line, f"'{what + '.' if what else ''}{key}' items must be text")
        return tuple(out)

    def items(
        self,
        data: LocatedDict,
        key: str,
        *,
        required: bool = True,
        what: str = "",
        known: Iterable[str] | None = None,
    ) -> Iterator[LocatedDict]:
        """The mappings of a list field; with ``known``, each one's keys are checked."""
        value = self.get(data, key, list, required=required, default=[], what=what)
        allowed = tuple(known) if known is not None else None
        for index, item in enumerate(value):
            line = value.line_of(index) if isinstance(value, LocatedList) else data.line
            mapping = self.mapping(item, line, f"each item of '{key}'")
            if mapping is None:
                continue
            if allowed is not None:
                self.keys(mapping, f"an item of '{key}'", allowed)
            yield mapping
