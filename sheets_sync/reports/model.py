"""A formal report as plain data: what every renderer (pdf, xlsx, csv) lays out. Pure.

A report is an office header, one table (columns, and rows that are either data or a
heading row such as a sasaran), notes, an optional bar chart and the signature block. Numbers
stay numbers here; each renderer formats them (Indonesian style: `1.234,5`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from sheets_sync.domain.models import MONTHS_ID, Signatory

Cell = str | int | float | None
Kind = Literal["text", "number", "percent", "money"]


@dataclass(frozen=True)
class Column:
    title: str
    width: float  # relative width (the renderers scale it to the page)
    kind: Kind = "text"
    key: str = ""  # a stable name for machines and tests (e.g. "capaian")


@dataclass
class Row:
    cells: list[Cell]
    heading: bool = False  # a group heading (sasaran): its text spans the row


@dataclass(frozen=True)
class BarChart:
    title: str
    labels: list[str]
    values: list[float | None]  # None: no value (drawn as no bar)
    unit: str = "%"


@dataclass
class Report:
    key: str  # pengukuran | renja | rekap
    title: str  # e.g. "LAPORAN PENGUKURAN KINERJA"
    office: str
    period_label: str  # e.g. "Triwulan III 2026"
    letter: str  # the Surat Sekda reference line, "" when none
    made_on: date
    columns: list[Column]
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    chart: BarChart | None = None
    signatory: Signatory = field(default_factory=Signatory)
    wide: bool = False  # many columns: printed on F4 (folio) landscape, the office's long paper
    abbreviations: dict[str, str] = field(default_factory=dict)  # PDF: long cell text -> short

    def column(self, key: str) -> int:
        """Index of the column with this key."""
        return next(i for i, c in enumerate(self.columns) if c.key == key)

    @property
    def header_lines(self) -> list[str]:
        lines = [self.title, self.office.upper(), f"PERIODE {self.period_label.upper()}"]
        return lines + ([self.letter] if self.letter else [])

    @property
    def date_text(self) -> str:
        return date_id(self.made_on)

    def signature_lines(self) -> list[str]:
        """place, date / position / (space) / name / NIP, as printed."""
        s = self.signatory
        return [f"{s.place}, {self.date_text}" if s.place else self.date_text,
                s.position, "", "", "", s.name, f"NIP. {s.nip}" if s.nip else "NIP."]


def date_id(value: date) -> str:
    return f"{value.day} {MONTHS_ID[value.month - 1]} {value.year}"
