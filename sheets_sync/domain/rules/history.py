"""Earlier periods' values per indicator, for the cumulative and outlier rules.

Filled by the validate flow from what it already has: earlier periods' recap workbooks (their
"Rekap Indikator" sheet, via `History.from_grid`) and/or a CSV the office keeps (via
`History.from_records` over `csv.DictReader` rows). Pure: no I/O here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from sheets_sync.domain.numbers import parse_number

HistoryColumn = Literal["realisasi", "budget_real"]

# Header texts (normalised) accepted for each field, in recap sheets and CSV files.
_ALIASES: dict[str, tuple[str, ...]] = {
    "period": ("periode", "period"),
    "code": ("kode", "code", "kode indikator"),
    "realisasi": ("realisasi",),
    "budget_real": ("realisasi anggaran (rp)", "realisasi anggaran", "realisasi_anggaran",
                    "budget_real"),
}


def _norm(v: Any) -> str:
    return re.sub(r"\s+", " ", str(v)).strip().casefold() if v is not None else ""


def _field(header: Any) -> str | None:
    h = _norm(header)
    for key, names in _ALIASES.items():
        if h in names:
            return key
    return None


@dataclass
class History:
    """period code (e.g. `2026-TW2`) -> indicator code -> value, per column."""

    realisasi: dict[str, dict[str, float]] = field(default_factory=dict)
    budget_real: dict[str, dict[str, float]] = field(default_factory=dict)

    def column(self, key: HistoryColumn) -> dict[str, dict[str, float]]:
        return self.realisasi if key == "realisasi" else self.budget_real

    def add(self, period: str, code: str, value: Any, column: HistoryColumn = "realisasi") -> None:
        """Record a value; blanks and text that is not a clear number are ignored."""
        parsed = parse_number(value)
        if parsed.value is not None and period and code:
            self.column(column).setdefault(str(period).strip().upper(), {})[str(code).strip()] = (
                parsed.value
            )

    def value(self, period: str, code: str, column: HistoryColumn = "realisasi") -> float | None:
        return self.column(column).get(period, {}).get(code)

    def series(self, code: str, column: HistoryColumn = "realisasi") -> dict[str, float]:
        """period -> value for one indicator."""
        return {p: vals[code] for p, vals in self.column(column).items() if code in vals}

    def merge(self, other: History) -> History:
        for key in ("realisasi", "budget_real"):
            mine = self.column(key)  # type: ignore[arg-type]
            for period, values in other.column(key).items():  # type: ignore[arg-type]
                mine.setdefault(period, {}).update(values)
        return self

    def subset(self, codes: set[str]) -> dict[str, dict[str, dict[str, float]]]:
        """The values of `codes` only, as plain data (what distribute stores in a section's
        meta sheet); `coerce` reads it back."""
        return {key: {p: {c: v for c, v in vals.items() if c in codes}
                      for p, vals in self.column(key).items()}  # type: ignore[arg-type]
                for key in ("realisasi", "budget_real")}

    @classmethod
    def coerce(cls, value: History | Mapping[str, Any] | None) -> History:
        """A plain `{period: {code: realisasi}}` mapping is accepted too, and the
        `{"realisasi": {...}, "budget_real": {...}}` form of `subset`."""
        if value is None:
            return cls()
        if isinstance(value, History):
            return value
        out = cls()
        if value and set(value) <= {"realisasi", "budget_real"}:
            for key, periods in value.items():
                for period, values in periods.items():
                    for code, v in values.items():
                        out.add(period, code, v, key)
            return out
        for period, values in value.items():
            for code, v in values.items():
                out.add(period, code, v)
        return out

    @classmethod
    def from_records(cls, rows: Iterable[Mapping[str, Any]], period: str = "") -> History:
        """Rows keyed by header text (`periode`/`period`, `kode`/`code`, `realisasi`,
        `realisasi_anggaran`); `period` is used where a row has none."""
        out = cls()
        for row in rows:
            fields = {f: v for k, v in row.items() if (f := _field(k))}
            p = str(fields.get("period") or period)
            code = fields.get("code")
            if code is None:
                continue
            out.add(p, str(code), fields.get("realisasi"), "realisasi")
            out.add(p, str(code), fields.get("budget_real"), "budget_real")
        return out

    @classmethod
    def from_grid(cls, grid: list[list[Any]], period: str = "") -> History:
        """A sheet such as the recap's "Rekap Indikator": the first row holding a code and a
        realisasi header is the header row; columns are found by their text."""
        for r, row in enumerate(grid):
            fields = {c: f for c, h in enumerate(row) if (f := _field(h))}
            if {"code", "realisasi"} <= set(fields.values()):
                records = [
                    {fields[c]: v for c, v in enumerate(data) if c in fields}
                    for data in grid[r + 1:]
                ]
                return cls.from_records(records, period)
        return cls()
