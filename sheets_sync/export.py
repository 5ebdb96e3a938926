"""`sync recap --export FILE`: the formal report table (Laporan Pengukuran Kinerja) from the
recap just made, by the same code as `sync export pengukuran` (see `sheets_sync.reports`).
The file's suffix chooses the format: .pdf, .xlsx or .csv."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sheets_sync.domain.models import Config
from sheets_sync.domain.recap import Recap
from sheets_sync.errors import ConfigError
from sheets_sync.reports import FORMATS, render
from sheets_sync.reports.build import pengukuran
from sheets_sync.reports.text import neutralise

__all__ = ["export_report", "neutralise"]


def export_report(config: Config, recap: Recap, path: Path, today: date | None = None) -> None:
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise ConfigError(f"--export {path}: pakai nama berkas berakhiran .pdf, .xlsx atau .csv.")
    render(pengukuran(config, recap, today or date.today()), fmt, path)
