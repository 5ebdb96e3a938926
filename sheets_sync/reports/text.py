"""Cells as text: numbers in Indonesian style, and section text that stays text.

A value a section typed must never run as a formula where a report is opened: text starting
with `=`, `+`, `-`, `@`, a TAB, CR or LF is what Excel and LibreOffice treat as a formula
(OWASP "CSV injection"); in CSV it gets a leading apostrophe (shown by spreadsheet programs,
removed by nothing); in .xlsx it is written as a string cell. Numbers stay numbers.
"""

from __future__ import annotations

from sheets_sync.domain.numbers import format_number
from sheets_sync.reports.model import Cell, Kind

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def risky(value: object) -> bool:
    """Text a spreadsheet program would read as a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def neutralise(value: object) -> object:
    """For CSV: risky text gets a leading apostrophe; anything else is returned as is."""
    return "'" + value if risky(value) else value  # type: ignore[operator]


def display(value: Cell, kind: Kind = "text") -> str:
    """How a cell prints: `1.234,5` for numbers (at most 2 decimals), text as is."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Ya" if value else "Tidak"
    if isinstance(value, (int, float)):
        return format_number(value, 2)
    return str(value)
