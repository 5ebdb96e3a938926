"""Reading a table out of a sheet grid by its header text (recaps written by another version,
restyled by an office, or with a block above the table still read)."""

from __future__ import annotations

import re
from typing import Any


def norm(header: Any) -> str:
    return re.sub(r"\s+", " ", str(header or "")).strip().casefold()


def rows_below_header(grid: list[list[Any]] | None,
                      *needed: str) -> tuple[dict[str, int], list[list[Any]]]:
    """Columns by normalised header text, and the rows below the first row holding every
    header in `needed`; ({}, []) when no row does."""
    for r, row in enumerate(grid or []):
        cols = {norm(h): c for c, h in enumerate(row) if h not in (None, "")}
        if all(norm(n) in cols for n in needed):
            return cols, (grid or [])[r + 1:]
    return {}, []


def cell(cols: dict[str, int], row: list[Any], header: str) -> Any:
    """The cell of `row` under `header` (None when the column or the cell is absent)."""
    c = cols.get(norm(header))
    return row[c] if c is not None and c < len(row) else None
