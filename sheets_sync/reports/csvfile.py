"""A report as .csv in one stated convention that other tools read the same.

Default (`intl`): UTF-8 with a BOM (Excel then reads the accents), comma delimiter, dot
decimal, no thousands separators, dates as YYYY-MM-DD. `id`: the same, but semicolon
delimiter and comma decimal: what Excel set to the Indonesian locale opens by double-click.
A number stays a number (`12000`, `87.5`, never the display text `12.000`); text a section
typed stays text (`reports.text.neutralise`).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from sheets_sync.reports.model import Report
from sheets_sync.reports.text import neutralise


@dataclass(frozen=True)
class CsvLocale:
    name: str
    delimiter: str
    decimal: str


CSV_LOCALES = {"intl": CsvLocale("intl", ",", "."), "id": CsvLocale("id", ";", ",")}


def plain_number(value: int | float, decimal: str = ".") -> str:
    """A number as digits any tool parses: no thousands separator, no exponent, no `.0`."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value) if isinstance(value, int) else format(Decimal(repr(value)), "f")
    return text.replace(".", decimal)


def csv_cell(value: object, locale: CsvLocale) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Ya" if value else "Tidak"
    if isinstance(value, (int, float)):
        return plain_number(value, locale.decimal)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(neutralise(str(value)))


def write_csv(report: Report, path: Path, locale: str = "intl") -> None:
    loc = CSV_LOCALES[locale]
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8-sig") as fh:
        writer = csv.writer(fh, delimiter=loc.delimiter)

        def line(*cells: object) -> None:
            writer.writerow([csv_cell(c, loc) for c in cells])

        for text in report.header_lines:
            line(text)
        line("Tanggal", report.made_on)
        writer.writerow([])
        line(*(report.flat_title(i) for i in range(len(report.columns))))
        for row in report.rows:
            line(*row.cells)
        writer.writerow([])
        for label, text in report.summary:
            line(label, text)
        if report.summary:
            writer.writerow([])
        for note in report.notes:
            line(note)
        writer.writerow([])
        for text in report.signature_lines():
            if text:
                line(text)
            else:
                writer.writerow([])
