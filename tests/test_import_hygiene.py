"""Only companion.ui imports Textual: the CLI, tutors' scripts and tests use the rest bare."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "companion"
# Every module outside companion.ui (where all Textual code lives) is domain or CLI.
DOMAIN = sorted(
    f"companion.{path.stem}" for path in PACKAGE.glob("*.py") if path.stem != "__main__"
)


@pytest.mark.parametrize("module", DOMAIN)
def test_domain_module_does_not_import_textual(module: str) -> None:
    code = f"import sys, {module}; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_cli_status_path_does_not_import_textual() -> None:
    code = "import sys, companion.cli; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
