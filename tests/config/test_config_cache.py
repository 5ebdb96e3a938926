"""The parsed-config cache: a large config is parsed once, and an edit is always seen."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from sheets_sync.caches import config_cache
from sheets_sync.config import load_config
from sheets_sync.domain.errors import ConfigError
from tests.conftest import small_config_data, write_config


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("SHEETS_SYNC_CACHE", str(folder))
    return folder


def big_config(tmp_path: Path) -> Path:
    path = write_config(tmp_path, small_config_data(sections=10, indicators=30))
    assert path.stat().st_size >= config_cache.WORTH_CACHING
    return path


def test_a_large_config_is_parsed_once_and_loads_the_same(tmp_path: Path, cache: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    path = big_config(tmp_path)
    first = load_config(path)
    assert len(list(cache.glob("config-*.json"))) == 1

    def no_yaml(*_: object, **__: object) -> None:
        raise AssertionError("parsed again")

    monkeypatch.setattr(yaml, "load", no_yaml)
    assert load_config(path) == first


def test_an_edited_config_is_parsed_again(tmp_path: Path, cache: Path) -> None:
    path = big_config(tmp_path)
    assert load_config(path).indicators[0].target == 100
    path.write_text(path.read_text(encoding="utf-8").replace("target: 100", "target: 90", 1),
                    encoding="utf-8")
    assert load_config(path).indicators[0].target == 90


def test_a_damaged_cache_file_only_means_parsing_again(tmp_path: Path, cache: Path) -> None:
    path = big_config(tmp_path)
    expected = load_config(path)
    for file in cache.glob("config-*.json"):
        file.write_text('{"period": ', encoding="utf-8")  # cut off mid-write
    assert load_config(path) == expected


def test_an_unwritable_cache_folder_is_no_error(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("SHEETS_SYNC_CACHE", str(blocker / "cache"))
    path = big_config(tmp_path)
    assert len(load_config(path).indicators) == 300


def test_mistakes_are_still_reported_after_a_good_version_was_cached(tmp_path: Path,
                                                                      cache: Path) -> None:
    path = big_config(tmp_path)
    load_config(path)
    path.write_text(path.read_text(encoding="utf-8") + "period: 2026-TW4\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="ditulis dua kali"):
        load_config(path)
