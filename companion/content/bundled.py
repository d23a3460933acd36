"""The frameworks shipped with the package, as folders on disk from any kind of install.

The Level 7 Diploma for Senior Leaders is the package ``companion.bundled`` (the project's
``content/`` folder); the other frameworks are folders under ``companion/frameworks/``.
Every ordinary install (editable, wheel, pipx) has them as real folders, found from the
package's own path. From a zip archive, where there is no folder, they are read through
``importlib.resources`` and copied once into the app's data folder.
"""

from __future__ import annotations

import hashlib
import importlib
from pathlib import Path
from typing import TYPE_CHECKING

from companion import __version__
from companion.files import data_dir

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

DEFAULT_FRAMEWORK = "diploma-8431"
FRAMEWORKS: dict[str, tuple[str, str]] = {
    DEFAULT_FRAMEWORK: ("companion.bundled", ""),
    "ilm-8617": ("companion", "frameworks/ilm-8617"),
    "nos-2008": ("companion", "frameworks/nos-2008"),
}
"""Framework id -> (package, folder inside it) of each bundled framework."""


class UnknownFramework(ValueError):
    """A framework id that is not one of the bundled ones."""


def _as_folder(tree: Traversable, name: str) -> Path:
    """``tree`` as a real folder: itself where it is one, else a copy in the data folder."""
    if isinstance(tree, Path):
        return tree
    key = hashlib.sha256(f"{__version__}:{name}".encode()).hexdigest()[:12]
    target = data_dir() / "bundled" / f"{name}-{key}"
    if not (target / "standard.yaml").is_file():
        _copy(tree, target)
    return target


def _copy(tree: Traversable, target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    for item in tree.iterdir():
        if item.is_dir():
            _copy(item, target / item.name)
        elif item.name.endswith(".yaml"):
            (target / item.name).write_bytes(item.read_bytes())


def framework_dir(framework: str = DEFAULT_FRAMEWORK) -> Path:
    """The folder of a bundled framework; raise UnknownFramework for an unknown id."""
    try:
        package, folder = FRAMEWORKS[framework]
    except KeyError:
        known = ", ".join(FRAMEWORKS)
        raise UnknownFramework(f"no bundled framework '{framework}' (bundled: {known})") from None
    on_disk = _package_folder(package)
    if on_disk is not None:
        return on_disk.joinpath(*filter(None, folder.split("/")))
    from importlib import resources

    tree = resources.files(package)
    for part in filter(None, folder.split("/")):
        tree = tree / part
    return _as_folder(tree, framework)


def _package_folder(package: str) -> Path | None:
    """The package's own folder where it is one on disk, as in every ordinary install.

    The same folder ``importlib.resources`` gives, without loading it (and the zip reader
    it brings) for every command; ``None`` from a zip archive."""
    module = importlib.import_module(package)
    for entry in getattr(module, "__path__", ()):
        folder = Path(entry)
        if folder.is_dir():
            return folder
    return None


def bundled_content_dir() -> Path:
    """The folder of the default framework, the Level 7 Diploma for Senior Leaders."""
    return framework_dir(DEFAULT_FRAMEWORK)
