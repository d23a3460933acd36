"""Shared fixtures: hermetic data locations and copies of content to break on purpose."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from cli_support import RunCli
from hypothesis import settings

FIXTURES = Path(__file__).parent / "fixtures"

# Property tests check what is true, not how fast: the suite runs in parallel, so one
# example's time says more about the other workers than about the code (bench/ measures).
settings.register_profile("companion", deadline=None)
settings.load_profile("companion")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Slow tests first: started last, they would run on alone at the end while the other
    workers sit idle. The order is otherwise kept (the sort is stable), and is the same in
    every worker, as xdist requires."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


@pytest.fixture(autouse=True)
def _hermetic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never touch the real user's data or config folders."""
    monkeypatch.setenv("COMPANION_DATA_DIR", str(tmp_path / "_data"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "_xdg_data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "_xdg_config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "_xdg_state"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "_xdg_cache"))


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """A writable copy of the bundled example portfolio, as ``companion --example`` makes."""
    from companion.portfolio.example import copy_example

    return copy_example(tmp_path / "example")


@pytest.fixture
def nos_copy(tmp_path: Path) -> Path:
    """A writable copy of the small second framework used in tests."""
    target = tmp_path / "nos"
    shutil.copytree(FIXTURES / "nos", target)
    return target


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]) -> RunCli:
    """Run ``companion`` in this process as a user would from a shell, and return its exit
    code with what it printed (each call reads only what that call printed)."""
    from companion.cli.main import main  # loaded by the tests that run it, not by every test

    def run(*argv: str) -> tuple[int, str, str]:
        code = main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    return run
