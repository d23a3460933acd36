"""Validated content is cached, and read again whenever anything it was built from changes."""

from __future__ import annotations

import json
import os
import pickle
from pathlib import Path

import pytest
from known import present

from companion.content import cache
from companion.content import read_folder as content_module
from companion.content.cache import cache_path, digest_path
from companion.content.digest import CriteriaDigest, CriterionTerms
from companion.content.load import load_content, load_digest
from companion.content.problems import ContentError


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The folders the loader really read (not served from the cache)."""
    seen: list[Path] = []
    real = content_module.read_folder

    def counting(root: Path):
        seen.append(root)
        return real(root)

    monkeypatch.setattr(content_module, "read_folder", counting)
    return seen


def test_a_folder_read_once_comes_from_the_cache(nos_copy: Path, loads: list[Path]) -> None:
    first = load_content(nos_copy)
    second = load_content(nos_copy)
    assert loads == [nos_copy]
    assert second == first
    assert [c.id for c in second.criteria] == ["A1/1.1", "A1/1.2", "A2/1.1", "B5/1.1"]
    assert present(second.criterion("A1/1.1")).requirements[0].min == 2
    assert (cache_path(nos_copy).stat().st_mode & 0o777) == 0o600


def test_an_edited_file_is_read_again_even_with_the_same_size_and_time(
    nos_copy: Path, loads: list[Path]
) -> None:
    unit = nos_copy / "units" / "A1.yaml"
    load_content(nos_copy)
    before = unit.stat()
    text = unit.read_text(encoding="utf-8")
    assert "min: 2" in text
    unit.write_text(text.replace("min: 2", "min: 3", 1), encoding="utf-8")
    os.utime(unit, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert unit.stat().st_size == before.st_size
    assert present(load_content(nos_copy).criterion("A1/1.1")).requirements[0].min == 3
    assert len(loads) == 2


def test_a_new_content_file_is_read_again(nos_copy: Path, loads: list[Path]) -> None:
    load_content(nos_copy)
    (nos_copy / "evidence.yaml").write_text("types: []\n", encoding="utf-8")
    load_content(nos_copy)
    assert len(loads) == 2


@pytest.mark.parametrize(
    "damage",
    [b"", b"\x80\x05garbage", pickle.dumps({"not": "content"}), pickle.dumps(("key", 42))],
)
def test_a_damaged_cache_is_rebuilt(nos_copy: Path, loads: list[Path], damage: bytes) -> None:
    load_content(nos_copy)
    cache_path(nos_copy).write_bytes(damage)
    assert load_content(nos_copy).standard.id == "NOS-ML"
    assert len(loads) == 2
    load_content(nos_copy)
    assert len(loads) == 2  # rewritten, and used again


def test_content_with_problems_is_never_cached(nos_copy: Path, loads: list[Path]) -> None:
    unit = nos_copy / "units" / "A1.yaml"
    unit.write_text(unit.read_text(encoding="utf-8").replace("min: 2", "min: 0", 1))
    for _ in range(2):
        with pytest.raises(ContentError):
            load_content(nos_copy)
    assert len(loads) == 2
    assert not cache_path(nos_copy).exists()


def test_content_loads_when_the_cache_cannot_be_written(
    nos_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the data folder should be")
    monkeypatch.setenv("COMPANION_DATA_DIR", str(blocked))
    assert load_content(nos_copy).standard.id == "NOS-ML"


def test_the_digest_is_kept_beside_the_content_and_read_without_it(
    nos_copy: Path, loads: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    content = load_content(nos_copy)
    assert json.loads(digest_path(nos_copy).read_bytes())["units"] == [
        [u.id, u.code] for u in content.units
    ]
    assert (digest_path(nos_copy).stat().st_mode & 0o777) == 0o600
    monkeypatch.setattr(cache, "_current", _never)  # the model is not read back at all
    digest = load_digest(nos_copy)
    assert digest == CriteriaDigest.of(content)
    assert [c.id for c in digest.criteria] == ["A1/1.1", "A1/1.2", "A2/1.1", "B5/1.1"]
    assert digest.criterion("A1/1.1") == CriterionTerms(
        "A1/1.1",
        tuple(r.id for r in present(content.criterion("A1/1.1")).requirements),
        tuple(c.id for c in present(content.criterion("A1/1.1")).checklist),
    )
    assert loads == [nos_copy]


def _never(*args: object) -> None:
    raise AssertionError("the content was read back")


@pytest.mark.parametrize(
    "damage",
    [
        b"",
        b"{not json",
        b"[1, 2]",
        b'{"key": "stale", "units": [], "criteria": []}',
        b'{"units": [["A1", "A1"]], "criteria": [["A1/1.1", "reqs", []]]}',
        b'{"units": [["A1", 7]], "criteria": []}',
        b'{"units": 3, "criteria": []}',
        b"\xff\xfe garbage",
    ],
)
def test_a_damaged_or_stale_digest_is_made_again_from_the_content(
    nos_copy: Path, loads: list[Path], damage: bytes
) -> None:
    content = load_content(nos_copy)
    path = digest_path(nos_copy)
    if b'"units"' in damage and b"stale" not in damage:
        # a current key, so that only the shape is wrong
        key = json.loads(path.read_bytes())["key"]
        damage = damage.replace(b"{", b'{"key": "' + key.encode() + b'", ', 1)
    path.write_bytes(damage)
    assert load_digest(nos_copy) == content.digest
    assert json.loads(path.read_bytes())["units"] == [[u.id, u.code] for u in content.units]
    assert loads == [nos_copy]  # made from the cached model, not from the YAML


def test_a_digest_is_made_when_the_content_was_cached_without_one(
    nos_copy: Path, loads: list[Path]
) -> None:
    content = load_content(nos_copy)
    digest_path(nos_copy).unlink()
    assert load_digest(nos_copy) == content.digest
    assert digest_path(nos_copy).is_file()
    assert loads == [nos_copy]


def test_an_edited_folder_gives_a_new_digest(nos_copy: Path, loads: list[Path]) -> None:
    load_digest(nos_copy)
    unit = nos_copy / "units" / "A1.yaml"
    unit.write_text(unit.read_text(encoding="utf-8").replace("A1/1.2", "A1/1.3"))
    ids = [c.id for c in load_digest(nos_copy).criteria]
    assert "A1/1.2" not in ids and len(loads) == 2


def test_a_digest_of_content_with_problems_raises_as_loading_does(
    nos_copy: Path, loads: list[Path]
) -> None:
    unit = nos_copy / "units" / "A1.yaml"
    unit.write_text(unit.read_text(encoding="utf-8").replace("min: 2", "min: 0", 1))
    with pytest.raises(ContentError):
        load_digest(nos_copy)
    assert not digest_path(nos_copy).exists()
