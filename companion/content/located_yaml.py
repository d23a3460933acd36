"""YAML loading that remembers where each value came from.

Content errors must name the file and the line, so the loader keeps the line of every
mapping and of every key in it, and reports duplicate keys instead of silently keeping the
last one.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml


class LocatedDict(dict[str, Any]):
    """A mapping that knows the (1-based) line it starts on and the line of each key."""

    line: int = 0
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        """Line of ``key`` if present, else the line of the mapping itself."""
        return self.key_lines.get(key, self.line)


class LocatedList(list[Any]):
    """A sequence that knows its (1-based) line and the line of each item."""

    line: int = 0
    item_lines: list[int]

    def line_of(self, index: int) -> int:
        """Line of item ``index``, else the line of the sequence."""
        if 0 <= index < len(self.item_lines):
            return self.item_lines[index]
        return self.line


@dataclass(frozen=True)
class YamlProblem:
    """A problem found while reading a YAML file."""

    path: Path
    line: int
    message: str


_BASE = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's parser keeps marks too


class _LocatingLoader(_BASE):  # type: ignore[valid-type, misc]
    """Safe loader that builds LocatedDict/LocatedList and records duplicate keys."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicates: list[tuple[int, str]] = []

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> LocatedDict:
        self.flatten_mapping(node)
        result = LocatedDict()
        result.line = node.start_mark.line + 1
        result.key_lines = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, str):
                key = str(key)
            if key in result:
                self.duplicates.append((key_node.start_mark.line + 1, key))
            result[key] = self.construct_object(value_node, deep=True)
            result.key_lines[key] = key_node.start_mark.line + 1
        return result

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> Any:
        """A date; one that is not real (2025-02-30) is a problem on its line, not a crash."""
        try:
            return super().construct_yaml_timestamp(node)
        except (ValueError, OverflowError):
            raise yaml.constructor.ConstructorError(
                None, None, f"'{node.value}' is not a real date", node.start_mark
            ) from None

    def construct_sequence(self, node: yaml.SequenceNode, deep: bool = False) -> LocatedList:
        result = LocatedList(self.construct_object(child, deep=True) for child in node.value)
        result.line = node.start_mark.line + 1
        result.item_lines = [child.start_mark.line + 1 for child in node.value]
        return result


_LocatingLoader.add_constructor(
    "tag:yaml.org,2002:map",
    lambda loader, node: loader.construct_mapping(node, deep=True),
)
_LocatingLoader.add_constructor(
    "tag:yaml.org,2002:timestamp", _LocatingLoader.construct_yaml_timestamp
)
_LocatingLoader.add_constructor(
    "tag:yaml.org,2002:seq",
    lambda loader, node: loader.construct_sequence(node, deep=True),
)


def load_located(path: Path) -> tuple[Any, list[YamlProblem]]:
    """Read ``path`` as YAML with line information.

    Returns the data (``None`` when unreadable) and the problems found; never raises for
    bad input, so callers can report every file's problems in one pass.
    """
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [YamlProblem(path, 0, f"cannot read file: {exc.strerror or exc}")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, [YamlProblem(path, 0, f"not UTF-8 text (byte {exc.start})")]
    loader = _LocatingLoader(text)
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        return None, [YamlProblem(path, line, f"invalid YAML: {exc.problem or exc.context}")]
    except yaml.YAMLError as exc:
        return None, [YamlProblem(path, 0, f"invalid YAML: {exc}")]
    finally:
        loader.dispose()
    problems = [
        YamlProblem(path, line, f"duplicate key '{key}'") for line, key in loader.duplicates
    ]
    return data, problems
