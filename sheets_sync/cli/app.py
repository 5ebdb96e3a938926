"""The CLI's shared state: where the config is, the loaded config, the store, the console."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from rich.console import Console

from sheets_sync.domain.models import Config
from sheets_sync.errors import UsageProblem
from sheets_sync.ports import WorkbookStore


@dataclass
class App:
    config_path: Path
    stats: bool = False
    console: Console = field(default_factory=lambda: Console(highlight=False))
    err: Console = field(default_factory=lambda: Console(stderr=True, highlight=False))
    pinned_now: datetime | None = None  # the demo runs at a fixed point of its SOP clock
    _config: Config | None = None
    _store: WorkbookStore | None = None

    @property
    def base_dir(self) -> Path:
        return self.config_path.resolve().parent

    def config(self) -> Config:
        if self._config is None:
            from sheets_sync.config import load_config

            self._config = load_config(self.config_path)
        return self._config

    def store(self) -> WorkbookStore:
        if self._store is None:
            from sheets_sync.adapters import open_store

            config = self.config()
            if config.backend.kind == "google":
                from sheets_sync.adapters.google.exposure import (
                    exposed_credentials,
                    exposure_warning,
                )

                for path in exposed_credentials(config.backend.google, self.base_dir):
                    self.err.print(f"[yellow]Perhatian:[/yellow] {exposure_warning(path)}")
            self._store = open_store(config, self.base_dir)
        return self._store

    def now(self) -> datetime:
        """The current local time; SHEETS_SYNC_NOW (ISO) pins it, for demos and tests."""
        if self.pinned_now is not None:
            return self.pinned_now
        pinned = os.environ.get("SHEETS_SYNC_NOW")
        if not pinned:
            return datetime.now().replace(microsecond=0)
        try:
            return datetime.fromisoformat(pinned)
        except ValueError:
            raise UsageProblem(f"SHEETS_SYNC_NOW={pinned!r} bukan waktu; tulis seperti "
                               "2026-10-07T10:00, atau hapus variabel itu.") from None
