"""Load a content folder (standard, units, evidence, funding) as the typed model.

A folder loaded before and unchanged since comes from the cache
(``companion.content.cache``); only otherwise is it read and validated
(``companion.content.read_folder``), so a command that needs the qualification, such as
``tag``, does not load the readers at all.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from companion.content.bundled import bundled_content_dir
from companion.content.cache import cached_content, cached_digest, fingerprint
from companion.content.problems import ContentError, Problem

if TYPE_CHECKING:
    from companion.content.digest import CriteriaDigest
    from companion.content.model import Content


def load_content(root: Path | str | None = None) -> Content:
    """Load and validate a content folder; raise ContentError listing every problem.

    ``None`` means the bundled framework. A folder loaded before and unchanged since comes
    from the cache.
    """
    return cached_content(_folder(root), _read)


def load_digest(root: Path | str | None = None) -> CriteriaDigest:
    """What tagging needs of a content folder (``companion.content.digest``): from the
    cache when it is current, so the model is not loaded; raise ContentError as
    ``load_content`` does."""
    return cached_digest(_folder(root), _read)


def content_fingerprint(root: Path | str | None = None) -> str:
    """The ``fingerprint`` the content of ``root`` has when loaded, worked out from its
    files without loading it: what a remembered status is keyed by (a hash of the files,
    so a command that prints one again never loads the model)."""
    return fingerprint(_folder(root))


def _folder(root: Path | str | None) -> Path:
    folder = Path(root) if root is not None else bundled_content_dir()
    if not folder.is_dir():
        raise ContentError([Problem(folder, 0, "content folder not found")])
    if not (folder / "standard.yaml").is_file():
        raise ContentError([Problem(folder / "standard.yaml", 0, "missing standard.yaml")])
    return folder


def _read(folder: Path) -> Content:
    from companion.content.read_folder import read_folder

    return read_folder(folder)


__all__ = [
    "ContentError",
    "Problem",
    "bundled_content_dir",
    "content_fingerprint",
    "load_content",
    "load_digest",
]
