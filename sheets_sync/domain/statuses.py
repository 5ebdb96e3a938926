"""A section's Status cell as typed by hand: recognised regardless of case and spaces, and
feedback for anything that is not a status (nothing is guessed)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from sheets_sync.domain.models import Issue, Labels, Severity
from sheets_sync.domain.patch import a1

if TYPE_CHECKING:
    from sheets_sync.domain.worksheet import SectionSheet


def _norm(value: Any) -> str:
    return re.sub(r"\s+", " ", str(value)).strip().casefold() if value is not None else ""


STATUS_RULE = "status"


def status_issues(sheet: SectionSheet, labels: Labels) -> list[Issue]:
    """Feedback for a Status cell holding something that is not a status (`Sudah selesai`):
    until the section picks one, its sheet does not count as handed in."""
    if not sheet.status_typed:
        return []
    cell = sheet.layout.header_cells.get("status")
    choices = ", ".join(f"'{s}'" for s in labels.section_statuses)
    return [Issue(
        section=sheet.section_id, rule=STATUS_RULE, severity=Severity.error,
        message=(f"Status '{sheet.status_typed}' tidak dikenal, sehingga lembar ini belum "
                 "dihitung sebagai diserahkan."),
        suggestion=f"Pilih salah satu dari daftar: {choices} (bila sudah selesai: "
                   f"'{labels.status_done}').",
        cell=a1(*cell) if cell else None, row=cell[0] if cell else None,
        column=labels.status, sheet=labels.sheet_worksheet)]


def recognise_status(typed: str, labels: Labels) -> str:
    """A status as typed by hand, recognised regardless of case and spaces (`selesai`,
    `SELESAI `, `Sedang  diisi`). Anything else (`Sudah selesai`) is returned as typed and
    is *not* a status: it is not guessed, the section gets feedback saying what to choose."""
    wanted = _norm(typed)
    for status in labels.all_statuses:
        if _norm(status) == wanted:
            return status
    return typed
