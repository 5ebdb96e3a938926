"""`sync recap --export FILE`: the formal report table (Laporan Pengukuran Kinerja) from the
recap just made, by the same code as `sync export pengukuran` (see `sheets_sync.reports`).
The file's suffix chooses the format: .pdf, .xlsx or .csv."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sheets_sync.domain.errors import UsageProblem
from sheets_sync.domain.models import Config
from sheets_sync.domain.recap import Recap
from sheets_sync.reports import FORMATS, render
from sheets_sync.reports.build import pengukuran
from sheets_sync.reports.text import neutralise

__all__ = ["export_format", "export_report", "neutralise"]


def export_format(path: Path) -> str:
    """The format a file name asks for; refused before any work is done."""
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise UsageProblem(f"--export {path}: pakai nama berkas berakhiran .pdf, .xlsx atau "
                           ".csv (mis. --export laporan.pdf).")
    return fmt


def export_report(config: Config, recap: Recap, path: Path, today: date | None = None) -> None:
    fmt = export_format(path)
    render(pengukuran(config, recap, today or date.today()), fmt, path)
