"""Shared fixtures: configs written as real YAML files, and a workspace in a temp folder."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml

from sheets_sync.config import load_config
from sheets_sync.domain.models import Config

REPO = Path(__file__).resolve().parents[1]
# The parsed-config cache (sheets_sync/caches/config_cache.py) of a test run stays out of the home
# folder; subprocesses inherit it.
os.environ.setdefault("SHEETS_SYNC_CACHE", tempfile.mkdtemp(prefix="sheets-sync-cache-"))


def small_config_data(sections: int = 3, indicators: int = 4, **extra: Any) -> dict[str, Any]:
    """A config dict with `sections` sections of `indicators` indicators each."""
    units = ["%", "dokumen", "kegiatan", "hari"]
    data: dict[str, Any] = {
        "office": {"name": "Sekretariat DPRD Provinsi Jambi",
                   "pep_accounts": ["pep@setwan.example"],
                   "leadership_accounts": ["sekretaris@setwan.example"]},
        "period": "2026-TW3",
        "opening": {"letter_number": "050/1/SETDA", "letter_date": "2026-10-01",
                    "disposition_at": "2026-10-01T09:00"},
        "backend": {"kind": "local", "local": {"workspace": "workspace"}},
        "sections": [{"id": f"bagian-{s}", "name": f"Subbagian {s}", "head": f"Kasubbag {s}",
                      "editors": [f"bagian{s}@setwan.example"]} for s in range(1, sections + 1)],
        "indicators": [],
    }
    for s in range(1, sections + 1):
        for i in range(1, indicators + 1):
            unit = units[(i - 1) % len(units)]
            ind: dict[str, Any] = {
                "code": f"B{s}-{i:02d}", "section": f"bagian-{s}", "sasaran": "Sasaran uji",
                "name": f"Indikator {i} bagian {s}", "unit": unit, "target": 100 if unit == "%" else 10,
            }
            if unit == "hari":
                ind["polarity"] = "negatif"
            if i == 2:
                ind["budget"] = 1_000_000
            data["indicators"].append(ind)
    data.update(extra)
    return data


def write_config(folder: Path, data: dict[str, Any]) -> Path:
    path = folder / "config" / "sync.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture
def config_path(tmp_path: Path) -> Path:
    return write_config(tmp_path, small_config_data())


@pytest.fixture
def config(config_path: Path) -> Config:
    return load_config(config_path)


@pytest.fixture
def distributed_local(tmp_path: Path) -> Any:
    """The small config's local workspace, distributed (the fault and lock tests start here)."""
    from tests.backends import LocalEnv

    env = LocalEnv(tmp_path, small_config_data())
    env.run("distribute")
    return env


@pytest.fixture
def short_lock_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    """A second writer gives up on the period lock after 0.3 s instead of waiting long."""
    from sheets_sync.adapters.local import period_lock

    monkeypatch.setattr(period_lock, "DEFAULT_WAIT", 0.3)
