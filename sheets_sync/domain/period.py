"""The reporting period: annual, quarterly (TW I-IV) or monthly."""

from __future__ import annotations

import re
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
MONTHS_ID = [
    "Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli",
    "Agustus", "September", "Oktober", "November", "Desember",
]
_PERIOD_RE = re.compile(r"^(\d{4})(?:-(TW[1-4]|\d{2}))?$")


class PeriodKind(StrEnum):
    annual = "tahunan"
    quarterly = "triwulan"
    monthly = "bulanan"


class Period(BaseModel):
    """A reporting period: `2026` (annual), `2026-TW3` (quarter III), `2026-09` (September)."""

    model_config = ConfigDict(frozen=True)

    year: int
    kind: PeriodKind
    number: int = 0  # quarter 1-4 or month 1-12; 0 for annual

    @classmethod
    def parse(cls, text: str) -> Period:
        m = _PERIOD_RE.match(str(text).strip().upper())
        if not m:
            raise ValueError(
                f"periode '{text}' tidak dikenal: tulis 2026 (tahunan), 2026-TW3 (triwulan) "
                "atau 2026-09 (bulanan)"
            )
        year, part = int(m.group(1)), m.group(2)
        if part is None:
            return cls(year=year, kind=PeriodKind.annual)
        if part.startswith("TW"):
            return cls(year=year, kind=PeriodKind.quarterly, number=int(part[2:]))
        month = int(part)
        if not 1 <= month <= 12:
            raise ValueError(f"periode '{text}': bulan harus 01 sampai 12")
        return cls(year=year, kind=PeriodKind.monthly, number=month)

    @property
    def code(self) -> str:
        if self.kind is PeriodKind.annual:
            return f"{self.year}"
        if self.kind is PeriodKind.quarterly:
            return f"{self.year}-TW{self.number}"
        return f"{self.year}-{self.number:02d}"

    @property
    def label(self) -> str:
        """Indonesian label for sheets: 'Triwulan III 2026'."""
        if self.kind is PeriodKind.annual:
            return f"Tahun {self.year}"
        if self.kind is PeriodKind.quarterly:
            return f"Triwulan {_ROMAN[self.number]} {self.year}"
        return f"{MONTHS_ID[self.number - 1]} {self.year}"

    def previous(self) -> Period:
        if self.kind is PeriodKind.annual:
            return Period(year=self.year - 1, kind=self.kind)
        last = 4 if self.kind is PeriodKind.quarterly else 12
        if self.number == 1:
            return Period(year=self.year - 1, kind=self.kind, number=last)
        return Period(year=self.year, kind=self.kind, number=self.number - 1)

    def __str__(self) -> str:
        return self.code
