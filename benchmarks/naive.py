"""The naive baseline: what a typical office script does with plain gspread.

`open_by_key` per section, `worksheet()` and `get_all_values()` per sheet, one `update` per
row it writes, polling every sheet to watch, `copy` + one `share` per account per section.
It checks with the project's own rules (so both find the same issues): only the Google
calls differ. It keeps no state between runs, so it writes its feedback again on every run.
"""

from __future__ import annotations

from typing import Any

import gspread

from sheets_sync.domain import rules
from sheets_sync.domain.models import Config
from sheets_sync.domain.worksheet import locate, parse_section

KERTAS, VALIDASI, REKAP = "Kertas Kerja", "Validasi", "Rekap Indikator"


class Naive:
    def __init__(self, client: gspread.Client, config: Config) -> None:
        self.gc = client
        self.config = config
        self.ids: dict[str, str] = {}  # section -> spreadsheet id (the script's own list)
        self.last: dict[str, list[list[Any]]] = {}  # what the watch loop saw last
        self.recap_id: str | None = None

    def distribute(self, template_id: str) -> int:
        """Copy the template per section, write its indicators row by row, share it."""
        shares = 0
        for section in self.config.sections:
            book = self.gc.copy(template_id, title=f"Kertas Kerja - {section.name}",
                                copy_comments=False)
            ws = book.worksheet(KERTAS)
            layout = locate(ws.get_all_values(), self.config.labels)
            cols = layout.columns
            for n, ind in enumerate(self.config.indicators_of(section.id)):
                row = layout.first_row + n
                values = {cols["no"]: n + 1, cols["code"]: ind.code, cols["sasaran"]: ind.sasaran,
                          cols["indicator"]: ind.name, cols["unit"]: ind.unit,
                          cols["target"]: ind.target}
                left, right = min(values), max(values)
                ws.update([[values.get(c, "") for c in range(left, right + 1)]],
                          gspread.utils.rowcol_to_a1(row, left))
            for email in [*section.editors, *self.config.office.pep_accounts]:
                if email.lower() == (self.config.office.pep_accounts or [""])[0].lower():
                    continue  # the owner already has access
                book.share(email, perm_type="user", role="writer", notify=False)
                shares += 1
            self.ids[section.id] = book.id
        return shares

    def _read(self, section_id: str) -> tuple[gspread.Spreadsheet, list[list[Any]]]:
        book = self.gc.open_by_key(self.ids[section_id])
        return book, book.worksheet(KERTAS).get_all_values(
            value_render_option=gspread.utils.ValueRenderOption.unformatted)

    def validate(self) -> tuple[int, int]:
        """Read every section, check it, write its feedback (one update per issue row)."""
        rows = found = 0
        for section in self.config.sections:
            book, grid = self._read(section.id)
            feedback = book.worksheet(VALIDASI)
            feedback.get_all_values()  # what was there (the script then writes it all again)
            sheet = parse_section(section.id, {KERTAS: grid}, self.config.labels)
            rows += len(sheet.rows)
            # its workbooks carry no meta sheet, so it skips the structure check that needs one
            issues = [i for i in rules.evaluate(self.config, sheet) if i.rule != "struktur"]
            found += len(issues)
            for n, issue in enumerate(issues, start=2):
                feedback.update([[issue.indicator or "", issue.cell or "", issue.message]],
                                f"A{n}")
        return rows, found

    def watch_cycle(self) -> int:
        """Poll every sheet; returns how many changed since the last poll."""
        changed = 0
        for section in self.config.sections:
            _, grid = self._read(section.id)
            if self.last.get(section.id) != grid:
                changed += 1
            self.last[section.id] = grid
        return changed

    def recap(self, recap_id: str) -> int:
        """Read every section, then write the recap one section's block at a time."""
        ws = self.gc.open_by_key(recap_id).worksheet(REKAP)
        written, top = 0, 2
        for section in self.config.sections:
            _, grid = self._read(section.id)
            sheet = parse_section(section.id, {KERTAS: grid}, self.config.labels)
            block = [[section.id, r.code, r.cells.get("target"), r.cells.get("realisasi")]
                     for r in sheet.rows]
            if block:
                ws.update(block, f"A{top}")
                top += len(block)
                written += len(block)
        return written
