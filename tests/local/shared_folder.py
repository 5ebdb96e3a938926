"""What the shared-folder tests (test_shared_folder_*.py) share: the period and where a
distributed local workspace keeps its files."""

from __future__ import annotations

from pathlib import Path

from tests.backends import LocalEnv

PERIOD = "2026-TW3"


def workspace(env: LocalEnv) -> Path:
    return env.config_path.parent / "workspace"


def path_of(env: LocalEnv, section: str) -> Path:
    return Path(env.section_ref(section).id)
