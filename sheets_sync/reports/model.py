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
from sheets_sync.domain.presentation import BandStyle

Cell = str | int | float | None
Kind = Literal["text", "number", "percent", "money"]


@dataclass(frozen=True)
class Column:
    title: str
    width: float  # relative width (the renderers scale it to the page)
    kind: Kind = "text"
    key: str = ""  # a stable name for machines and tests (e.g. "capaian")
    group: str = ""  # a heading over several columns (form E.81: "Realisasi TW I" over K, Rp)
    banded: bool = False  # coloured by the row's predikat (the config's band colours)


@dataclass
class Row:
    cells: list[Cell]
    heading: bool = False  # a group heading (sasaran): its text spans the row
    strong: bool = False  # a total over the rows below it (a unit's figures): bold
    rating: str = ""  # the row's predikat: colours its `banded` cells


@dataclass(frozen=True)
class BarChart:
    title: str
    labels: list[str]
    values: list[float | None]  # None: no value (drawn as no bar)
    unit: str = "%"


@dataclass(frozen=True)
class LineChart:
    """One value per period (the office's or a unit's mean capaian in the Tren report)."""

    title: str
    labels: list[str]  # the periods, oldest first
    values: list[float | None]  # None: no record of that period (a gap in the line)
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
    line_chart: LineChart | None = None
    unit: str = ""  # the organisation unit the report is limited to (--unit), "" the office
    signatory: Signatory = field(default_factory=Signatory)
    paper: Literal["A4", "F4"] = "A4"  # config `reports.paper`; always landscape
    # labelled blocks under the table, part of the form (E.81: rata-rata capaian, faktor
    # pendorong, faktor penghambat, tindak lanjut): (label, text), text may be long
    summary: list[tuple[str, Cell]] = field(default_factory=list)
    bands: list[BandStyle] = field(default_factory=list)  # the config's bands, best first
    abbreviations: dict[str, str] = field(default_factory=dict)  # PDF: long cell text -> short
    # The form numbers its columns in a row under the header, "(1)", "(2)", ... (E.81, as
    # the forms of Permendagri 86/2017 do), so an evaluator can refer to a column by number
    numbered: bool = False

    def column_numbers(self) -> list[str]:
        return [f"({n})" for n in range(1, len(self.columns) + 1)]

    @property
    def grouped(self) -> bool:
        """The table has a two-row header (group titles above the column titles)."""
        return any(c.group for c in self.columns)

    def header_spans(self) -> list[tuple[str, int, int]]:
        """(title, first, last) column index of each run of columns under one group title;
        a column without a group is its own run, titled by its own title."""
        spans: list[tuple[str, int, int]] = []
        for i, c in enumerate(self.columns):
            if c.group and spans and spans[-1][0] == c.group and self.columns[i - 1].group:
                spans[-1] = (c.group, spans[-1][1], i)
            else:
                spans.append((c.group or c.title, i, i))
        return spans

    def flat_title(self, i: int) -> str:
        """A column's title on one line (CSV): `Realisasi TW I (K)`."""
        c = self.columns[i]
        return f"{c.group} ({c.title})" if c.group else c.title

    def band(self, label: str) -> BandStyle | None:
        """The colours of the predikat `label`, None for no predikat."""
        return next((b for b in self.bands if b.label == label), None) if label else None

    def column(self, key: str) -> int:
        """Index of the column with this key."""
        return next(i for i, c in enumerate(self.columns) if c.key == key)

    @property
    def header_lines(self) -> list[str]:
        lines = [self.title, self.office.upper(), *([self.unit.upper()] if self.unit else []),
                 f"PERIODE {self.period_label.upper()}"]
        return lines + ([self.letter] if self.letter else [])

    @property
    def footer(self) -> str:
        """The report named at the foot of every page: title, unit, period."""
        return " — ".join(p for p in (self.title, self.unit, self.period_label) if p)

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
