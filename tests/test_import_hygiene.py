"""Only the UI packages import Textual, and every package folder is packaged.

The layers themselves are an import-linter contract in ``pyproject.toml`` (``lint-imports``
runs in CI); this test checks what the contract cannot: that importing every module outside
the UI, as a script or a tutor's tool would, leaves Textual unloaded.
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "companion"
UI_PACKAGES = ("ui", "screens", "widgets")
"""The Textual code: the two apps, their screens and the widgets those share."""


def _modules() -> list[str]:
    names = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        if (parts[1:2] and parts[1] in UI_PACKAGES) or parts[-1] == "__main__":
            continue
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def test_no_module_outside_the_ui_loads_textual() -> None:
    modules = _modules()
    assert "companion.cli.main" in modules and "companion.content.load" in modules
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'textual')[:3])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_ui_packages_are_textual_code() -> None:
    """The exemption names only folders that exist and really hold Textual code."""
    for name in UI_PACKAGES:
        sources = [p.read_text(encoding="utf-8") for p in (PACKAGE / name).glob("*.py")]
        assert any("from textual" in text for text in sources), name


def test_every_package_folder_is_packaged() -> None:
    """A subpackage missing from pyproject's list would be absent from the wheel."""
    listed = set(
        tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    )
    found = {".".join(init.parent.relative_to(ROOT).parts) for init in PACKAGE.rglob("__init__.py")}
    assert found <= listed
    assert listed - found == {"companion.bundled"}


def _imported_distributions() -> set[str]:
    """The installed distributions whose modules the package's code imports."""
    import ast
    from importlib.metadata import packages_distributions

    providers = packages_distributions()
    found: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top != "companion" and top not in sys.stdlib_module_names:
                    found.update(providers.get(top, [top]))
    return {_normal(name) for name in found}


def _normal(name: str) -> str:
    import re

    return re.sub(r"[-_.]+", "-", re.split(r"[\[<>=!~ ;]", name, maxsplit=1)[0]).lower()


def test_the_dependencies_are_exactly_what_the_code_imports() -> None:
    """A library imported but not declared breaks a fresh install; one declared but never
    imported is installed on every learner's machine for nothing."""
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    assert {_normal(name) for name in declared} == _imported_distributions()
