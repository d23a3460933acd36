"""A cache of validated content, so that a start does not parse and check the YAML again.

Reading a content folder's YAML and validating it takes about 60 ms, paid by every start of
the app and every command. The validated ``Content`` is kept in the app's data folder,
pickled, under a key made of every YAML file of the folder (its path and bytes), the code
that reads content, and the Python version. Any change to those, or a cache file
that cannot be read back, means the folder is read and checked again and the cache
rewritten. The cache holds nothing the content folder does not rebuild; it lives in the
app's own folder (created private to the user) and is replaced atomically.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sys
from collections.abc import Callable
from pathlib import Path

from companion.content.model import Content
from companion.errors import CompanionError
from companion.files import atomic_write, data_dir


def cache_path(root: Path) -> Path:
    """Where the cache of the content folder ``root`` is kept."""
    name = hashlib.sha256(str(root.resolve()).encode("utf-8")).hexdigest()[:16]
    return data_dir() / "cache" / f"content-{name}.pickle"


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


def _read(path: Path, key: str, root: Path) -> Content | None:
    try:
        with open(path, "rb") as handle:
            stored_key, content = pickle.load(handle)
    except Exception:  # a damaged cache fails in many ways; it is rebuilt
        return None
    if stored_key != key or not isinstance(content, Content) or content.root != root:
        return None
    return content


def cached_content(root: Path, load: Callable[[Path], Content]) -> Content:
    """The content of ``root``: from the cache when it is current, else ``load(root)``."""
    try:
        key = fingerprint(root)
    except OSError:
        return load(root)  # a file vanished while looking: let the loader report it
    path = cache_path(root)
    content = _read(path, key, root)
    if content is not None:
        return content
    content = load(root)
    object.__setattr__(content, "fingerprint", key)  # frozen: set once, as it is made
    with contextlib.suppress(OSError, pickle.PicklingError, CompanionError):  # only a cache
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        atomic_write(path, pickle.dumps((key, content), protocol=pickle.HIGHEST_PROTOCOL))
        os.chmod(path, 0o600)
    return content
