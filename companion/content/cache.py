"""A cache of validated content, so that a start does not parse and check the YAML again.

Reading a content folder's YAML and validating it takes about 60 ms, paid by every start of
the app and every command. The validated ``Content`` is kept in the app's data folder,
pickled, under a key made of every YAML file of the folder (its path and bytes), the code
that reads content, and the Python version. Any change to those, or a cache file
that cannot be read back, means the folder is read and checked again and the cache
rewritten. The cache holds nothing the content folder does not rebuild; it lives in the
app's own folder (created private to the user) and is replaced atomically.

Beside it, under the same key, is the content's digest (``companion.content.digest``): the
AC ids that tagging needs, in a file small enough to read without loading the model.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from companion.content.digest import CriteriaDigest
from companion.errors import CompanionError
from companion.files import atomic_write, data_dir

if TYPE_CHECKING:
    from companion.content.model import Content


def cache_path(root: Path) -> Path:
    """Where the cache of the content folder ``root`` is kept."""
    return _cache_folder() / f"content-{_name(root)}.pickle"


def digest_path(root: Path) -> Path:
    """Where the digest of the content folder ``root`` is kept."""
    return _cache_folder() / f"digest-{_name(root)}.json"


def _cache_folder() -> Path:
    return data_dir() / "cache"


def _name(root: Path) -> str:
    return hashlib.sha256(str(root.resolve()).encode("utf-8")).hexdigest()[:16]


def fingerprint(root: Path) -> str:
    """What the cached content was built from: a hash of every byte that decides it.

    The files' bytes, not their times: a file rewritten within the clock's granularity with
    the same size would otherwise look unchanged. Hashing them takes well under a millisecond.
    """
    digest = hashlib.sha256(sys.version.encode("utf-8"))
    code = Path(__file__).resolve().parent
    for path in sorted(code.glob("*.py")) + sorted(root.rglob("*.yaml")):
        digest.update(b"\0" + str(path).encode("utf-8", "surrogatepass") + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _keep(path: Path, data: bytes) -> None:
    with contextlib.suppress(OSError, CompanionError):  # only a cache
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        atomic_write(path, data)
        os.chmod(path, 0o600)


def _current(root: Path, key: str) -> Content | None:
    """The cached content of ``root`` when it was built from ``key``; None when missing,
    damaged or stale."""
    import pickle

    from companion.content.model import Content

    try:
        with open(cache_path(root), "rb") as handle:
            stored_key, content = pickle.load(handle)
    except Exception:  # a damaged cache fails in many ways; it is rebuilt
        return None
    if stored_key != key or not isinstance(content, Content) or content.root != root:
        return None
    return content


def _keep_digest(root: Path, key: str, digest: CriteriaDigest) -> None:
    _keep(digest_path(root), json.dumps({"key": key, **digest.to_json()}).encode("utf-8"))


def _current_digest(root: Path, key: str) -> CriteriaDigest | None:
    try:
        data = json.loads(digest_path(root).read_bytes())
        if not isinstance(data, dict) or data.get("key") != key:
            return None
        return CriteriaDigest.from_json(data)
    except (OSError, ValueError, RecursionError):  # missing or damaged: made again
        return None


def _loaded(root: Path, key: str, load: Callable[[Path], Content]) -> Content:
    """``load(root)``, kept in the cache with its digest."""
    import pickle

    content = load(root)
    object.__setattr__(content, "fingerprint", key)  # frozen: set once, as it is made
    with contextlib.suppress(pickle.PicklingError):
        _keep(cache_path(root), pickle.dumps((key, content), protocol=pickle.HIGHEST_PROTOCOL))
    _keep_digest(root, key, content.digest)
    return content


def cached_content(root: Path, load: Callable[[Path], Content]) -> Content:
    """The content of ``root``: from the cache when it is current, else ``load(root)``."""
    try:
        key = fingerprint(root)
    except OSError:
        return load(root)  # a file vanished while looking: let the loader report it
    return _current(root, key) or _loaded(root, key, load)


def cached_digest(root: Path, load: Callable[[Path], Content]) -> CriteriaDigest:
    """The digest of the content of ``root``, without loading the model when the cache
    holds a current one; otherwise from the content (``cached_content``)."""
    try:
        key = fingerprint(root)
    except OSError:
        return load(root).digest
    digest = _current_digest(root, key)
    if digest is not None:
        return digest
    content = _current(root, key)
    if content is None:
        return _loaded(root, key, load).digest
    _keep_digest(root, key, content.digest)
    return content.digest
