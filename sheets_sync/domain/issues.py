"""A finding of validation: which rule, how severe, and the cell a person should look at."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict


class Severity(StrEnum):
    error = "error"
    warning = "warning"
    info = "info"


class Issue(BaseModel):
    """One finding of validation, pointing at the cell a person should look at."""

    model_config = ConfigDict(frozen=True)

    section: str
    rule: str
    severity: Severity
    message: str
    indicator: str | None = None
    cell: str | None = None  # A1, e.g. "G7"
    row: int | None = None
    column: str | None = None  # the column's header label
    sheet: str | None = None
    spreadsheet: str | None = None
    suggestion: str = ""
    confirmed: bool = False
    confirmation: str = ""

    @property
    def key(self) -> str:
        """Stable identity across runs, for confirmations: rule + indicator (or cell)."""
        return f"{self.rule}:{self.indicator or self.cell or '-'}"
