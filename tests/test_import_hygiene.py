"""The domain layer never imports Textual: the CLI, tutors' scripts and tests use it bare."""

from __future__ import annotations

import subprocess
import sys

import pytest

DOMAIN = [
    "companion.content",
    "companion.content_model",
    "companion.content_commands",
    "companion.located_yaml",
    "companion.note_file",
    "companion.note_writer",
    "companion.note_record",
    "companion.tagging",
    "companion.glossary",
    "companion.profile",
    "companion.portfolio",
    "companion.store",
    "companion.rules",
    "companion.progress",
    "companion.report",
    "companion.wordcount",
    "companion.templates",
    "companion.ac_view",
    "companion.portfolio_commands",
    "companion.demo",
    "companion.recent",
    "companion.gateway",
    "companion.proposal",
    "companion.proposal_export",
    "companion.matrix",
    "companion.exports",
    "companion.export_writers",
    "companion.progress_export",
    "companion.progress_file",
    "companion.untrusted_json",
    "companion.feedback",
    "companion.feedback_import",
    "companion.cohort",
    "companion.results_sheet",
    "companion.review_view",
    "companion.markdown_text",
    "companion.review_commands",
    "companion.cli",
]


@pytest.mark.parametrize("module", DOMAIN)
def test_domain_module_does_not_import_textual(module: str) -> None:
    code = f"import sys, {module}; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_cli_status_path_does_not_import_textual() -> None:
    code = "import sys, companion.cli; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
