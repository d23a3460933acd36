"""The parts a Portfolio is made of, each through its own interface."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from companion.portfolio.flags_cache import NOT_KEPT, FlagsCache, KeptFlags
from companion.portfolio.layout import OTJ_FILE, PROFILE_FILE, SIGNOFF_FOLDER
from companion.portfolio.library_file import LibraryFile
from companion.portfolio.portfolio import Portfolio
from companion.portfolio.settings import Settings


@pytest.fixture
def root(tmp_path: Path) -> Path:
    folder = tmp_path / "portfolio"
    (folder / "notes").mkdir(parents=True)
    (folder / PROFILE_FILE).write_text("learner: Sam Lee\nprogramme_start: 2025-01-06\n")
    (folder / "notes" / "a.md").write_text("---\ntitle: A\nref: E001\n---\nOne two three.\n")
    return folder


def _touch_later(path: Path) -> None:
    info = path.stat()
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000_000))


def test_kept_flags_cannot_be_changed_in_place() -> None:
    kept = KeptFlags(1, 2, "key", "[]")
    with pytest.raises(AttributeError):
        kept.key = "other"  # type: ignore[misc]


def test_flags_are_answered_only_for_the_note_as_they_were_kept_for() -> None:
    cache = FlagsCache(None)
    cache.written([("a.md", 10, 20)], [])
    assert cache.get("a.md", 10, 20) == NOT_KEPT  # written without flags
    cache.hold("key", {"a.md": ("held",), "gone.md": ("never kept",)})
    assert cache.get("a.md", 10, 20) == ("key", ("held",))
    assert cache.get("a.md", 11, 20) == NOT_KEPT  # the note changed since
    assert cache.get("gone.md", 10, 20) == NOT_KEPT
    cache.written([], ["a.md"])
    assert cache.get("a.md", 10, 20) == NOT_KEPT and not cache


def test_flags_kept_by_one_run_are_read_by_the_next_until_the_note_changes(root: Path) -> None:
    first = Portfolio(root)
    first.scan()
    first.keep_flags("key", [("notes/a.md", "[]")])
    first.close()
    second = Portfolio(root)
    second.scan()
    assert second.cached_flags("notes/a.md") == ("key", "[]")
    assert second.cached_flags("notes/missing.md") == NOT_KEPT
    note = root / "notes" / "a.md"
    note.write_text(note.read_text() + "More.\n")
    second.scan()
    assert second.cached_flags("notes/a.md") == NOT_KEPT
    second.close()


def test_settings_tell_a_changed_profile_from_changed_word_count_rules(root: Path) -> None:
    settings = Settings(root)
    assert not settings.reload().changed
    profile = root / PROFILE_FILE
    profile.write_text("learner: Sam Lee-Jones\nprogramme_start: 2025-01-06\n")
    reloaded = settings.reload()
    assert reloaded.changed and not reloaded.recount
    assert settings.profile.learner == "Sam Lee-Jones"
    profile.write_text(profile.read_text() + "word_count:\n  leave_out: [quotes]\n")
    _touch_later(profile)
    assert settings.reload().recount


def test_settings_keep_the_profile_read_before_when_the_file_breaks(root: Path) -> None:
    settings = Settings(root)
    (root / PROFILE_FILE).write_text("learner: [unclosed\n")
    reloaded = settings.reload()
    assert not reloaded.changed
    assert reloaded.warnings and "keeping the settings read before" in reloaded.warnings[0]
    assert settings.profile.learner == "Sam Lee"


def test_settings_notice_a_changed_otj_log_or_signoff_once(root: Path) -> None:
    settings = Settings(root)
    assert not settings.logs_changed()
    (root / OTJ_FILE).write_text("otj: []\n")
    assert settings.logs_changed()
    assert not settings.logs_changed()
    (root / SIGNOFF_FOLDER).mkdir(parents=True)
    (root / SIGNOFF_FOLDER / "2026-01-05.yaml").write_text("{}\n")
    assert settings.logs_changed()


def test_the_library_is_read_again_only_when_its_file_changes(root: Path) -> None:
    bib = root / "refs.bib"
    bib.write_text("@book{kotter1996, author = {Kotter, John}, year = {1996}, title = {Leading}}\n")
    library = LibraryFile(root)
    assert library.current("") is None
    first = library.current("refs.bib")
    assert first is not None and library.current("refs.bib") is first
    bib.write_text(bib.read_text() + "@book{schein2010, author = {Schein, E}, year = {2010}}\n")
    _touch_later(bib)
    again = library.current("refs.bib")
    assert again is not first and again is not None and len(again.references) == 2
