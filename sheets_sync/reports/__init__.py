"""Formal reports from the recap's figures: Pengukuran Kinerja, the quarterly Renja
evaluation (form E.81), the per-section recap and the trend across periods, as PDF, .xlsx or
.csv; any of them limited to one organisation unit (`--unit`, `scope.py`). Export's one
home: the CLI (`sync export`, `sync recap --export`) calls only what is here.

`REPORTS` turns a `Recap` into a `model.Report` (plain data); `render` writes it;
`source.current_recap` reads the figures (read only) for `sync export`, and
`source.earlier_results` the earlier periods for `tren`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from sheets_sync.domain.errors import UsageProblem
from sheets_sync.domain.models import Config
from sheets_sync.domain.recap import Recap
from sheets_sync.domain.trends import PeriodResult
from sheets_sync.reports.build import REPORTS as PER_PERIOD
from sheets_sync.reports.csvfile import CSV_LOCALES
from sheets_sync.reports.model import Report
from sheets_sync.reports.scope import limit, scope_of
from sheets_sync.reports.tren import tren

FORMATS = ("pdf", "xlsx", "csv")
REPORTS = (*PER_PERIOD, "tren")
FILE_NAMES = {"pengukuran": "pengukuran-kinerja", "renja": "evaluasi-renja",
              "rekap": "rekap-bagian", "tren": "tren-capaian"}

__all__ = ["CSV_LOCALES", "FORMATS", "REPORTS", "Report", "build", "default_name", "export",
           "export_format", "render"]


def render(report: Report, fmt: str, path: Path, csv_locale: str = "intl") -> None:
    if fmt == "pdf":
        from sheets_sync.reports.pdf import write_pdf  # reportlab only when a PDF is asked for

        write_pdf(report, path)
    elif fmt == "xlsx":
        from sheets_sync.reports.tabular import write_xlsx

        write_xlsx(report, path)
    elif fmt == "csv":
        from sheets_sync.reports.csvfile import write_csv

        write_csv(report, path, csv_locale)
    else:
        raise ValueError(fmt)


def export_format(path: Path, option: str = "--export") -> str:
    """The format a file name asks for; refused before any work is done."""
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise UsageProblem(f"{option} {path}: pakai nama berkas berakhiran .pdf, .xlsx atau "
                           f".csv (mis. {option} {path.with_suffix('.pdf').name}).")
    return fmt


def build(config: Config, recap: Recap, report: str, today: date, unit: str | None = None,
          earlier: Sequence[PeriodResult] = ()) -> Report:
    """The report `report` from the whole office's `recap`, limited to `unit`'s subtree when
    given (an unknown unit: `UsageProblem`); `earlier`: the earlier periods (tren)."""
    scope = scope_of(config, unit)
    mine = limit(recap, scope)
    if report == "tren":
        return tren(config, mine, today, scope, earlier)
    return PER_PERIOD[report](config, mine, today, scope)


def export(config: Config, recap: Recap, report: str, fmt: str, path: Path, today: date,
           csv_locale: str = "intl", unit: str | None = None,
           earlier: Sequence[PeriodResult] = ()) -> Path:
    """Build the report `report` from `recap` and write it to `path` as `fmt`."""
    render(build(config, recap, report, today, unit, earlier), fmt, path, csv_locale)
    return path


def default_name(config: Config, report: str, fmt: str, unit: str | None = None) -> Path:
    part = f"-{unit}" if unit else ""
    return Path(f"{FILE_NAMES[report]}{part}-{config.period.code}.{fmt}")
