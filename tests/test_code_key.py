"""What the app remembers is keyed by all the code that worked it out, read from its files."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from companion import code_key
from companion.code_key import (
    FLAGS_CODE,
    PACKAGE,
    RECORD_CODE,
    REPORT_CODE,
    STATUS_CODE,
    source_key,
)

PLUMBING = {"__init__.py", "clock.py", "errors.py", "files.py", "code_key.py"}
"""Modules every part loads that decide nothing a key stands for (the release is hashed)."""


def _loaded_by(module: str) -> set[str]:
    """The package's files loaded by importing ``module`` in a fresh interpreter."""
    code = (
        f"import sys, {module}\n"
        "for name, m in sorted(sys.modules.items()):\n"
        "    if name.startswith('companion') and getattr(m, '__file__', None):\n"
        "        print(m.__file__)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return {Path(line).resolve().relative_to(PACKAGE).as_posix() for line in out.stdout.split()}


def _covered(path: str, names: tuple[str, ...]) -> bool:
    return (
        path in PLUMBING
        or path.endswith("/__init__.py")
        or any(path.startswith(name) if name.endswith("/") else path == name for name in names)
    )


def test_the_record_key_covers_every_module_the_note_reader_loads() -> None:
    loaded = _loaded_by("companion.notes.record")
    assert "text/citation_match.py" in loaded
    assert sorted(p for p in loaded if not _covered(p, RECORD_CODE)) == []


def test_the_flags_and_status_keys_cover_the_rules_and_the_progress_engine() -> None:
    for path in _loaded_by("companion.assessment.rules"):
        assert _covered(path, FLAGS_CODE) or path.startswith(("content/", "portfolio/")), path
    status = _loaded_by("companion.assessment.status")
    for path in status:
        if path.startswith("assessment/") or path.startswith("review/"):
            assert _covered(path, STATUS_CODE), path
    assert set(RECORD_CODE) <= set(STATUS_CODE)


def test_the_report_key_covers_what_check_notes_and_the_matrix_are_made_by() -> None:
    loaded = set()
    for module in ("companion.cli.portfolio", "companion.cli.notes", "companion.cli.export"):
        loaded |= _loaded_by(module)
    # and what they load when a report is made again
    loaded |= _loaded_by("companion.views.note_list") | _loaded_by("companion.exports.run")
    assert {"views/note_list.py", "exports/matrix.py", "documents/writers.py"} <= loaded
    left = [p for p in loaded if not p.startswith(("content/", "portfolio/"))]
    assert sorted(p for p in left if not _covered(p, REPORT_CODE)) == []
    assert set(STATUS_CODE) <= set(REPORT_CODE)


def test_a_changed_module_changes_its_key_and_not_others(tmp_path, monkeypatch) -> None:
    for name in ("notes", "text", "content", "assessment", "portfolio", "review"):
        (tmp_path / name).mkdir()
    for path in ("notes/record.py", "text/tokens.py", "content/ids.py", "content/model.py"):
        (tmp_path / path).write_text("# reader\n")
    (tmp_path / "assessment" / "rules.py").write_text("# rules\n")
    monkeypatch.setattr(code_key, "PACKAGE", tmp_path)
    source_key.cache_clear()
    before = source_key(RECORD_CODE), source_key(FLAGS_CODE)
    (tmp_path / "assessment" / "rules.py").write_text("# rules, changed\n")
    source_key.cache_clear()
    assert source_key(RECORD_CODE) == before[0]
    assert source_key(FLAGS_CODE) != before[1]
    (tmp_path / "text" / "new_reader.py").write_text("# a module added to a folder\n")
    source_key.cache_clear()
    assert source_key(RECORD_CODE) != before[0]
    source_key.cache_clear()
