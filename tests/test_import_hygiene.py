"""Only the app shell, its screens and widgets import Textual: the CLI, tutors' scripts and
tests use the rest bare."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "companion"
UI_MODULES = {"app", "review_app"}
"""The two Textual apps (the apprentice's and the tutor's); screens/ and widgets/ are UI too."""
DOMAIN = sorted(
    f"companion.{path.stem}"
    for path in PACKAGE.glob("*.py")
    if path.stem not in UI_MODULES | {"__main__"}
)


def _imports_textual(path: Path) -> bool:
    """True when ``path`` imports Textual anywhere, in a function or at the top."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import) and any(
            alias.name.split(".")[0] == "textual" for alias in node.names
        ):
            return True
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "textual":
            return True
    return False


@pytest.mark.parametrize("module", DOMAIN)
def test_domain_module_does_not_import_textual(module: str) -> None:
    code = f"import sys, {module}; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize("module", DOMAIN)
def test_domain_module_has_no_textual_import_even_deferred(module: str) -> None:
    assert not _imports_textual(PACKAGE / f"{module.removeprefix('companion.')}.py")


def test_the_ui_modules_are_the_app() -> None:
    """The exemption list names only modules that exist and really are Textual code."""
    for name in UI_MODULES:
        assert _imports_textual(PACKAGE / f"{name}.py"), name


def test_cli_status_path_does_not_import_textual() -> None:
    code = "import sys, companion.cli; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
