"""Backends behind the workbook-store port. `open_store` picks one from the config."""

from __future__ import annotations

from pathlib import Path

from sheets_sync.domain.models import Config
from sheets_sync.ports import WorkbookStore


def open_store(config: Config, base_dir: Path) -> WorkbookStore:
    """The store the config asks for; `base_dir` is the config file's folder, against which
    relative paths in the config are resolved."""
    if config.backend.kind == "google":
        from sheets_sync.adapters.google import GoogleStore  # gspread only loaded when used

        return GoogleStore.from_config(config, base_dir)
    from sheets_sync.adapters.local import LocalStore

    local = config.backend.local
    template = (base_dir / local.template).resolve() if local.template else None
    return LocalStore((base_dir / local.workspace).resolve(), template=template,
                      lock_stale_minutes=config.backend.lock_stale_minutes,
                      zone=config.office.tzinfo)
