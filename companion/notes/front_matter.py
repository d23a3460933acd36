"""Parse a note's YAML front matter into plain, bounded data, or say exactly why not.

Notes are the learner's own files, often made by other tools, so the parser meets what YAML
allows but a portfolio never needs: an impossible date (``2026-02-30``) that the date
constructor rejects with a bare ``ValueError``; ``!!binary`` and ``!!set`` values; an alias
that contains itself; "billion laughs" aliases that expand to millions of nodes; nesting
deep enough to exhaust the interpreter's stack. Each becomes a ``FrontMatterError`` with the
line it is on, and the caller flags the note as unreadable; the rest of the portfolio works.
The node graph is checked between composing and constructing, so nothing huge is ever built.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import sys
from typing import Any

import yaml

from companion.errors import CompanionError

MAX_NODES = 50_000
"""Nodes a front matter may expand to, aliases counted each time they are used."""
MAX_DEPTH = 64
"""Levels of nesting a front matter may have."""

_BASE: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml is much faster


class FrontMatterError(CompanionError):
    """Front matter that cannot be used; ``line`` is 1-based within the block (0: unknown)."""

    def __init__(self, message: str, line: int = 0, *, syntax: bool = False) -> None:
        super().__init__(message)
        self.line = line
        self.syntax = syntax
        """True for YAML that does not parse, False for YAML that parses to what notes
        cannot use."""


class _NoteLoader(_BASE):  # type: ignore[misc]
    """The safe loader, refusing values a note never needs instead of crashing on them."""

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except (ValueError, OverflowError):
            raise yaml.constructor.ConstructorError(
                None, None, f"'{node.value}' is not a real date or time", node.start_mark
            ) from None

    def construct_yaml_int(self, node: yaml.ScalarNode) -> Any:
        """A plain decimal number as a number; any other spelling YAML 1.1 reads as an
        integer kept as the learner wrote it: ``ref: 0107`` is not 71 (octal), ``where:
        1:30`` not 90 (base 60), ``0x1F`` not 31."""
        if _DECIMAL.fullmatch(node.value):
            return super().construct_yaml_int(node)
        return str(node.value)

    def construct_unused(self, node: yaml.Node) -> Any:
        raise yaml.constructor.ConstructorError(
            None,
            None,
            f"{node.tag.rsplit(':', 1)[-1]} values are not used in notes",
            node.start_mark,
        )


_DECIMAL = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_NoteLoader.add_constructor("tag:yaml.org,2002:timestamp", _NoteLoader.construct_yaml_timestamp)
_NoteLoader.add_constructor("tag:yaml.org,2002:int", _NoteLoader.construct_yaml_int)
for _tag in ("binary", "set", "omap", "pairs"):
    _NoteLoader.add_constructor(f"tag:yaml.org,2002:{_tag}", _NoteLoader.construct_unused)


class _UniqueKeysLoader(_NoteLoader):
    """The note loader, refusing a key given twice: for files from other people. A note
    (the learner's own, often from other tools) keeps PyYAML's reading, the last value,
    and the lossless writer keeps both lines as they are."""

    def construct_mapping(self, node: yaml.Node, deep: bool = False) -> Any:
        """Refuse a key given twice: YAML says keys are unique, and PyYAML would keep the
        last silently, so ``learner: Mallory`` then ``learner: Alex Morgan`` in a sign-off
        would read as Alex."""
        if isinstance(node, yaml.MappingNode):
            seen: set[object] = set()
            for key_node, _ in node.value:
                if not isinstance(key_node, yaml.ScalarNode) or key_node.tag.endswith(":merge"):
                    continue
                if key_node.value in seen:
                    raise yaml.constructor.ConstructorError(
                        None,
                        None,
                        f"the key '{str(key_node.value)[:40]}' is given twice",
                        key_node.start_mark,
                    )
                seen.add(key_node.value)
        return super().construct_mapping(node, deep)


def _check_size(root: yaml.Node) -> None:
    """Refuse a node graph too deep, or too large once its aliases are expanded."""
    sizes: dict[int, int] = {}
    on_path: set[int] = set()

    def size(node: yaml.Node, depth: int) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in on_path:
            raise FrontMatterError("an alias refers to itself", node.start_mark.line + 1)
        if depth > MAX_DEPTH:
            raise FrontMatterError(
                f"nested more than {MAX_DEPTH} levels deep", node.start_mark.line + 1
            )
        total = 1
        if isinstance(node, yaml.SequenceNode | yaml.MappingNode):
            on_path.add(key)
            children = (
                node.value
                if isinstance(node, yaml.SequenceNode)
                else [n for pair in node.value for n in pair]
            )
            for child in children:
                total += size(child, depth + 1)
                if total > MAX_NODES:
                    raise FrontMatterError(
                        f"expands to more than {MAX_NODES:,} values (aliases repeated "
                        "within aliases?)",
                        node.start_mark.line + 1,
                    )
            on_path.discard(key)
        sizes[key] = total
        return total

    size(root, 0)


def _plainly_small(block: str) -> bool:
    """True when ``block`` cannot hold an alias or nest past ``MAX_DEPTH``: no ``&`` or
    ``*``, and fewer brackets and indentation than the limit. Most notes are, and skip the
    walk of their nodes."""
    if "&" in block or "*" in block:
        return False
    depth = block.count("[") + block.count("{")
    deepest = 0
    for line in block.splitlines():
        stripped = line.lstrip(" -?")
        deepest = max(deepest, len(line) - len(stripped))
    return depth + deepest + 2 < MAX_DEPTH


def load_front_matter(block: str, *, unique_keys: bool = False) -> Any:
    """The front matter block's value, refusing what a note cannot use (see the module),
    and with ``unique_keys`` (a file from someone else) a key given twice."""
    loader = (_UniqueKeysLoader if unique_keys else _NoteLoader)(block)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        if not _plainly_small(block):
            _check_size(node)
        return loader.construct_document(node)
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "a value that cannot be read"
        raise FrontMatterError(problem, mark.line + 1 if mark else 0) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "not valid YAML"
        raise FrontMatterError(problem, mark.line + 1 if mark else 0, syntax=True) from None
    except yaml.reader.ReaderError as exc:  # a character YAML may not hold, by its position
        line = block.count("\n", 0, max(exc.position, 0)) + 1
        character = exc.character
        code = f"U+{character:04X}" if isinstance(character, int) else repr(character)
        raise FrontMatterError(
            f"it holds a control character ({code}), which YAML does not allow", line, syntax=True
        ) from None
    except yaml.YAMLError as exc:
        raise FrontMatterError(" ".join(str(exc).split()), syntax=True) from None
    except RecursionError:
        raise FrontMatterError(f"nested more than {MAX_DEPTH} levels deep") from None
    finally:
        loader.dispose()


SHARED_TEXT = 40
"""Texts up to this long are kept once however many notes hold them (see ``plain``)."""


def plain(value: Any) -> Any:
    """A front matter value as JSON-safe Python: dates as ISO text, keys as text.

    A number that is not finite (``.inf``, ``.nan``) becomes its YAML spelling, so that no
    export or index ever holds a value JSON cannot represent.

    Keys and short texts are interned: every note repeats the same keys and many of the
    same values (types, AC ids, the learner's name), so an index of tens of thousands of
    notes keeps one copy of each instead of one per note.
    """
    if type(value) is str:
        return sys.intern(value) if len(value) <= SHARED_TEXT else value
    if isinstance(value, str | bool | int) or value is None:
        return value
    if isinstance(value, float):
        if math.isfinite(value):
            return value
        return ".nan" if math.isnan(value) else (".inf" if value > 0 else "-.inf")
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {_key(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return str(value)


def _key(key: Any) -> str:
    plain_key = plain(key)
    return plain_key if isinstance(plain_key, str) else str(plain_key)
