"""Formal reports from the recap's figures: Pengukuran Kinerja, the quarterly Renja
evaluation (form E.81) and the per-section recap, as PDF, .xlsx or .csv. Export's one home:
the CLI (`sync export`, `sync recap --export`) calls only what is here.

`build.REPORTS` turns a `Recap` into a `model.Report` (plain data); `render` writes it;
`source.current_recap` reads the figures (read only) for `sync export`.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sheets_sync.domain.errors import UsageProblem
from sheets_sync.domain.models import Config
from sheets_sync.domain.recap import Recap
from sheets_sync.reports.build import REPORTS
from sheets_sync.reports.csvfile import CSV_LOCALES
from sheets_sync.reports.model import Report

FORMATS = ("pdf", "xlsx", "csv")
FILE_NAMES = {"pengukuran": "pengukuran-kinerja", "renja": "evaluasi-renja",
              "rekap": "rekap-bagian"}

__all__ = ["CSV_LOCALES", "FORMATS", "REPORTS", "Report", "default_name", "export",
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


def export(config: Config, recap: Recap, report: str, fmt: str, path: Path, today: date,
           csv_locale: str = "intl") -> Path:
    """Build the report `report` from `recap` and write it to `path` as `fmt`."""
    render(REPORTS[report](config, recap, today), fmt, path, csv_locale)
    return path


def default_name(config: Config, report: str, fmt: str) -> Path:
    return Path(f"{FILE_NAMES[report]}-{config.period.code}.{fmt}")
