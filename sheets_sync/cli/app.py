"""The CLI's shared state: where the config is, the loaded config, the store, the console."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from rich.console import Console
from rich.markup import escape

from sheets_sync.domain.errors import UsageProblem
from sheets_sync.domain.models import Config
from sheets_sync.flows.guard import GuardedStore


@dataclass
class App:
    config_path: Path
    stats: bool = False
    console: Console = field(default_factory=lambda: Console(highlight=False))
    err: Console = field(default_factory=lambda: Console(stderr=True, highlight=False))
    pinned_now: datetime | None = None  # the demo runs at a fixed point of its SOP clock
    writing: bool = False  # the command writes: its store holds the period's lock
    strict: bool = False  # its one write is the point: a skipped workbook is an error
    _config: Config | None = None
    _store: GuardedStore | None = None

    @property
    def base_dir(self) -> Path:
        return self.config_path.resolve().parent

    def config(self) -> Config:
        if self._config is None:
            from sheets_sync.config import config_warnings, load_config

            self._config = load_config(self.config_path)
            for warning in config_warnings(self.config_path, self._config):
                self.err.print(f"[yellow]Perhatian:[/yellow] {escape(warning)}", markup=True,
                               soft_wrap=True)
        return self._config

    def store(self) -> GuardedStore:
        """The backend, guarded: the period lock for a writing command, and files left
        alone noted for the report (see flows.guard)."""
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
            self._store = GuardedStore(open_store(config, self.base_dir), config.period.code,
                                       writing=self.writing, strict=self.strict)
        return self._store

    def idle(self, seconds: float) -> None:
        """Between watch cycles: let go of the period's lock while waiting."""
        self.let_go()
        time.sleep(seconds)

    def let_go(self) -> None:
        """Release the period's lock (another computer may work meanwhile) and tell what the
        cycle had to skip: watch never ends, so it says so each cycle."""
        if self._store is not None:
            self._store.release()
            for s in self._store.take_skipped():  # watch never ends: tell each cycle
                who = f"bagian {s.section}" if s.section else s.name
                self.err.print(f"[yellow]Dilewati[/yellow] {escape(who)}: {escape(s.reason)}.", markup=True,
                               soft_wrap=True)

    def now(self) -> datetime:
        """The current local time; SHEETS_SYNC_NOW (ISO) pins it, for demos and tests."""
        if self.pinned_now is not None:
            return self.pinned_now
        pinned = os.environ.get("SHEETS_SYNC_NOW")
        if not pinned:
            # the office's own clock (WIB/WITA/WIT), whatever zone this computer is set to
            zone = self.config().office.tzinfo
            return datetime.now(zone).replace(microsecond=0, tzinfo=None)
        try:
            return datetime.fromisoformat(pinned)
        except ValueError:
            raise UsageProblem(f"SHEETS_SYNC_NOW={pinned!r} bukan waktu; tulis seperti "
                               "2026-10-07T10:00, atau hapus variabel itu.") from None
