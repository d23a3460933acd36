"""Decoding a JSON file someone else made: capped, UTF-8, no NaN, no runaway nesting, no
key given twice.

Exports and feedback files cross between apprentices and tutors; both are decoded here so
they fail the same way, with a message that names the file and what is wrong with it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from companion.files import NotRegularFile, read_regular
from companion.text.terminal import safe_line


def read_capped(path: Path, max_bytes: int, error: type[Exception]) -> bytes:
    """At most ``max_bytes + 1`` bytes of ``path``: enough for the decoder to say "too large"
    without ever holding a huge file in memory, and never blocking on a FIFO."""
    try:
        return read_regular(path, max_bytes)
    except NotRegularFile as exc:
        raise error(f"{safe_line(path.name)}: {exc.message.split(' ', 1)[-1]}") from None
    except OSError as exc:
        raise error(f"{safe_line(path.name)}: cannot be read ({exc.strerror or exc})") from None


_SURROGATE = re.compile("[\ud800-\udfff]")
MAX_DEPTH = 64
"""Levels of nesting a document may have: an export is about eight deep. Deeper (valid JSON
up to about 1,000 levels decodes) would exhaust the stack of the code that walks it."""


class _KeyGivenTwice(ValueError):
    pass


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """An object whose keys are all different: with two equal keys JSON decoders keep the
    last silently, so a learner name given twice would read as whichever came last."""
    data = dict(pairs)
    if len(data) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _KeyGivenTwice(f"the key '{safe_line(key[:40])}' is given twice")
            seen.add(key)
    return data


def _too_deep(value: Any) -> bool:
    """True when ``value`` nests more than MAX_DEPTH levels (walked without recursion)."""
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_DEPTH:
            return True
        if isinstance(item, dict):
            stack.extend((child, depth + 1) for child in item.values())
        elif isinstance(item, list):
            stack.extend((child, depth + 1) for child in item)
    return False


def _clean(value: Any) -> Any:
    """Every string of a decoded document with lone surrogates replaced: JSON escapes can
    spell them, but no file or terminal can hold them."""
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value) if _SURROGATE.search(value) else value
    if isinstance(value, dict):
        return {_clean(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not allowed")


def decode_versioned(
    raw: bytes,
    name: str,
    *,
    schema: str,
    max_bytes: int,
    error: type[Exception],
    what: str,
    older: tuple[str, ...] = (),
) -> dict[str, Any]:
    """The decoded object, or ``error`` saying why ``raw`` is not a ``schema`` document.

    ``schema`` is ``family/version``; ``older`` versions are still read (the caller tells
    them apart by their ``schema``); a document of the same family but another version is
    told to update companion rather than called broken.
    """
    family = schema.rsplit("/", 1)[0] + "/"
    name = safe_line(name)
    if len(raw) > max_bytes:
        raise error(f"{name}: larger than {max_bytes // (1024 * 1024)} MB")
    if b"\x00" in raw[:8192]:
        raise error(f"{name}: a binary file, not {what}")
    try:
        data = json.loads(
            raw.decode("utf-8-sig"),
            parse_constant=_reject_constant,
            object_pairs_hook=_unique_keys,
        )
    except UnicodeDecodeError:
        raise error(f"{name}: not UTF-8 text") from None
    except RecursionError:
        raise error(
            f"{name}: nested more than {MAX_DEPTH} levels deep, too deep to be {what}"
        ) from None
    except _KeyGivenTwice as exc:
        raise error(f"{name}: not {what}: {exc}") from None
    except ValueError as exc:
        raise error(f"{name}: not valid JSON (truncated or edited?): {exc}") from None
    if _too_deep(data):
        raise error(f"{name}: nested more than {MAX_DEPTH} levels deep, too deep to be {what}")
    data = _clean(data)
    if not isinstance(data, dict):
        raise error(f"{name}: not {what} (no '{schema}')")
    found = data.get("schema")
    if found != schema and found not in older:
        if isinstance(found, str) and found.startswith(family):
            raise error(
                f"{name}: a '{found[:40]}' file; this version of companion reads "
                f"'{schema}'. Update companion to open it."
            )
        raise error(f"{name}: not {what} (no '{schema}')")
    return data
