"""One word for one idea, on screen and in the sheets (Indonesian). The CLI, the feedback in a
section's Validasi sheet and the recap take their shared words from here, so the screen never
says "Error" where the sheet says "Kesalahan"."""

from __future__ import annotations

from sheets_sync.domain.models import Severity

SEVERITY = {Severity.error: "Kesalahan", Severity.warning: "Peringatan", Severity.info: "Info"}
SEVERITY_PLURAL = {Severity.error: "kesalahan", Severity.warning: "peringatan",
                   Severity.info: "info"}
YES, NO = "Ya", "Tidak"
LATE = "Terlambat"
ON_TIME = "Tepat Waktu"
HANDED_IN = "Diserahkan"
HANDED_IN_AT = "Diserahkan Pada"
EXPECTED = "Diharapkan"
HANDED_IN_ON_TIME = "Diserahkan tepat waktu"
COMPLETENESS = "Kelengkapan (%)"
TIMELINESS = "Ketepatan waktu (%)"
NOT_DISTRIBUTED = "Belum didistribusikan"
MISSING = "Hilang (bisa dipulihkan)"  # made by the service, then deleted (backup, trash)
UNREADABLE = "Tidak dapat dibaca"  # damaged, or its worksheet renamed: reported, skipped


def yes_no(value: bool | None) -> str:
    return "" if value is None else (YES if value else NO)
