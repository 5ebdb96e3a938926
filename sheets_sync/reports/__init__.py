"""Formal reports from the recap's figures: Pengukuran Kinerja, the quarterly Renja
evaluation and the per-section recap, as PDF, .xlsx or .csv.

`build.REPORTS` turns a `Recap` into a `model.Report` (plain data); `render` writes it.
"""

from __future__ import annotations

from pathlib import Path

from sheets_sync.reports.build import REPORTS
from sheets_sync.reports.model import Report

FORMATS = ("pdf", "xlsx", "csv")

__all__ = ["FORMATS", "REPORTS", "Report", "render"]


def render(report: Report, fmt: str, path: Path) -> None:
    if fmt == "pdf":
        from sheets_sync.reports.pdf import write_pdf  # reportlab only when a PDF is asked for

        write_pdf(report, path)
    elif fmt == "xlsx":
        from sheets_sync.reports.tabular import write_xlsx

        write_xlsx(report, path)
    elif fmt == "csv":
        from sheets_sync.reports.tabular import write_csv

        write_csv(report, path)
    else:
        raise ValueError(fmt)
