"""Validation feedback written into a section's own workbook (pure: issues -> patch).

- the `Validasi` sheet is rewritten with the issues in plain Indonesian;
- the offending cells are highlighted and carry a note; earlier highlights and notes on the
  input columns are reset first, so feedback that no longer applies disappears;
- the status becomes `Perlu Konfirmasi` or `Valid`, but only once the section itself said
  `Selesai` (or the service already set one of those): a sheet still being filled keeps its
  status, and an approved one stays approved;
- a fingerprint of what was written is kept on the meta sheet, so the validate flow can skip
  the write (a Google call) when nothing changed, without reading anything more.

No value is ever written into a cell a section types (Realisasi, Keterangan, Bukti Dukung,
Realisasi Anggaran): only formats and notes there.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sheets_sync.domain.glossary import SEVERITY
from sheets_sync.domain.meta import FEEDBACK_KEY
from sheets_sync.domain.models import Config, Issue, Severity
from sheets_sync.domain.patch import CellRange, Format, SheetPatch, Value, WorkbookPatch
from sheets_sync.domain.review import records_patch
from sheets_sync.domain.rules.engine import blocking
from sheets_sync.domain.worksheet import (
    INPUT_COLUMNS,
    INPUT_FILL,
    ISSUE_FILLS,
    VALIDATION_HEADERS,
    SectionSheet,
)
from sheets_sync.domain.worksheet_look import validation_rows_look

SEVERITY_LABELS = SEVERITY  # one word per severity, on screen and in the sheet
_RANK = {Severity.error: 0, Severity.warning: 1, Severity.info: 2}
NOTE_LIMIT = 2000
NO_ISSUES = "Tidak ada temuan: isian sudah sesuai aturan pemeriksaan."
# An untouched sheet has nothing to check: "no findings" would say more than is known.
NOT_FILLED = ("Belum diisi: belum ada Realisasi, Keterangan, Bukti Dukung atau Realisasi "
              "Anggaran yang diketik. Isi lembar Kertas Kerja, lalu ubah Status menjadi Selesai.")
_WIDTHS = (40, 90, 60, 90, 150, 420, 360, 220)


def issue_state(issue: Issue) -> str:
    """The Status column of the Validasi sheet."""
    if issue.confirmed:
        return issue.confirmation or "Dikonfirmasi PEP"
    return {Severity.error: "Perlu diperbaiki", Severity.warning: "Perlu konfirmasi",
            Severity.info: "Untuk diperhatikan"}[issue.severity]


def target_status(config: Config, sheet: SectionSheet, issues: list[Issue]) -> str | None:
    """The status feedback sets, or None when the status is not the service's to change."""
    labels = config.labels
    if sheet.status not in (labels.status_done, labels.status_confirm, labels.status_valid):
        return None
    return labels.status_confirm if blocking(issues) else labels.status_valid


def _ordered(issues: list[Issue]) -> list[Issue]:
    return sorted(issues, key=lambda i: (i.confirmed, _RANK[i.severity], i.row or 0))


def untouched(config: Config, sheet: SectionSheet) -> bool:
    """Nobody has worked on the sheet: status still the distributed one and no input cell
    holds anything."""
    if sheet.status != config.labels.status_empty:
        return False
    return not any(str(r.cells.get(k) if r.cells.get(k) is not None else "").strip()
                   for r in sheet.rows for k in INPUT_COLUMNS)


def validation_rows(issues: list[Issue], *, blank: bool = False) -> list[list[Value]]:
    """The Validasi sheet's rows after the header (`blank`: the sheet is untouched)."""
    if not issues:
        return [["", "", "", "", "", NOT_FILLED if blank else NO_ISSUES, "", ""]]
    return [[n, SEVERITY_LABELS[i.severity], i.cell or "-", i.indicator or "-",
             i.column or "-", i.message, i.suggestion, issue_state(i)]
            for n, i in enumerate(_ordered(issues), start=1)]


def _table_bounds(sheet: SectionSheet) -> tuple[int, int] | None:
    layout = sheet.layout
    if not layout.header_row:
        return None
    rows = [r.row for r in sheet.rows] + [s.row for s in sheet.meta.snapshot]
    return layout.first_row, max([layout.first_row, *rows])


def _marks(sheet: SectionSheet, issues: list[Issue]) -> dict[tuple[int, int], list[Issue]]:
    """Open issues by the table cell they point at."""
    bounds = _table_bounds(sheet)
    marks: dict[tuple[int, int], list[Issue]] = {}
    if bounds is None:
        return marks
    for issue in issues:
        if issue.confirmed or issue.row is None or issue.cell is None:
            continue
        cell = _cell_of(issue)
        if cell is not None and bounds[0] <= cell[0] <= bounds[1]:
            marks.setdefault(cell, []).append(issue)
    return marks


def _cell_of(issue: Issue) -> tuple[int, int] | None:
    """(row, col) of an issue's A1 cell."""
    text = issue.cell or ""
    letters = "".join(ch for ch in text if ch.isalpha())
    digits = text[len(letters):]
    if not letters or not digits.isdigit() or not letters.isupper() or len(letters) > 3:
        return None
    col = 0
    for ch in letters:
        col = col * 26 + (ord(ch) - 64)
    return int(digits), col


def _note(issues: list[Issue]) -> str:
    parts = [f"{SEVERITY_LABELS[i.severity]}: {i.message}"
             + (f"\nSaran: {i.suggestion}" if i.suggestion else "") for i in issues]
    text = "\n\n".join(parts) + "\n(sheets-sync, lihat lembar Validasi)"
    return text if len(text) <= NOTE_LIMIT else text[: NOTE_LIMIT - 1] + "…"


def _plan(config: Config, sheet: SectionSheet, issues: list[Issue]) -> dict[str, Any]:
    """Everything feedback writes, as plain data: the patch and the fingerprint come from it."""
    marks = _marks(sheet, issues)
    input_cols = {sheet.layout.col(k) for k in INPUT_COLUMNS} - {None}
    highlights = {cell: min((i.severity for i in found), key=_RANK.__getitem__).value
                  for cell, found in marks.items()}
    notes = {cell: _note(sorted(found, key=lambda i: _RANK[i.severity]))
             for cell, found in marks.items()}
    return {
        "rows": validation_rows(issues, blank=untouched(config, sheet)),
        "highlights": sorted([[r, c, s] for (r, c), s in highlights.items()]),
        "notes": sorted([[r, c, t] for (r, c), t in notes.items()]),
        "outside": sorted([[r, c] for (r, c) in marks if c not in input_cols]),
        "status": target_status(config, sheet, issues),
    }


def fingerprint(config: Config, sheet: SectionSheet, issues: list[Issue],
                plan: dict[str, Any] | None = None) -> str:
    plan = plan or _plan(config, sheet, issues)
    data = json.dumps([plan["rows"], plan["highlights"], plan["notes"], plan["status"]],
                      ensure_ascii=False, default=str, sort_keys=True)
    return hashlib.sha256(data.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def feedback_changed(config: Config, sheet: SectionSheet, issues: list[Issue],
                     validation_grid: list[list[Any]] | None = None) -> bool:
    """True when `feedback_patch` would write something new: the fingerprint on the meta
    sheet differs, or the status is not what feedback sets. Pass the Validasi sheet's grid
    when it was read anyway (same read call) to also catch a section that erased it."""
    record = sheet.meta.extra.get(FEEDBACK_KEY)
    if not isinstance(record, dict) or record.get("fingerprint") != fingerprint(
            config, sheet, issues):
        return True
    status = target_status(config, sheet, issues)
    if status is not None and sheet.status != status:
        return True
    if validation_grid is not None:
        want = [list(VALIDATION_HEADERS),
                *validation_rows(issues, blank=untouched(config, sheet))]
        return _rows_text(want) != _rows_text(validation_grid)
    return False


def _text(v: Any) -> str:
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return "" if v is None else str(v).strip()


def _rows_text(grid: list[list[Any]]) -> list[list[str]]:
    """A grid as text, padded to the Validasi width and without trailing blank rows (backends
    trim trailing blanks on read)."""
    width = len(VALIDATION_HEADERS)
    rows = [[_text(v) for v in [*row, *[None] * width][:width]] for row in grid]
    while rows and not any(rows[-1]):
        rows.pop()
    return rows


def feedback_patch(config: Config, sheet: SectionSheet, issues: list[Issue]) -> WorkbookPatch:
    """The feedback for one section: Validasi sheet, highlights and notes, status, and the
    fingerprint record on the meta sheet."""
    labels = config.labels
    plan = _plan(config, sheet, issues)

    validation = SheetPatch(labels.sheet_validation, clear=True, frozen_rows=1)
    validation.put_row(1, 1, list(VALIDATION_HEADERS))
    validation.put_table(2, 1, plan["rows"])
    width = len(VALIDATION_HEADERS)
    validation.formats.append((CellRange(1, 1, 1, width),
                               Format(bold=True, fill="#1F4E78", font_color="#FFFFFF")))
    validation.formats.append((CellRange(2, 1, 1 + len(plan["rows"]), width), Format(wrap=True)))
    for n, issue in enumerate(_ordered(issues), start=2):
        if not issue.confirmed:
            validation.formats.append((CellRange.cell(n, 2),
                                       Format(fill=ISSUE_FILLS[issue.severity.value])))
    validation.column_widths = {c: w for c, w in enumerate(_WIDTHS[:width], start=1)}
    validation_rows_look(validation, config, plan["rows"], _WIDTHS[:width])

    ws = SheetPatch(labels.sheet_worksheet)
    bounds = _table_bounds(sheet)
    previous = sheet.meta.extra.get(FEEDBACK_KEY)
    old_outside = previous.get("outside", []) if isinstance(previous, dict) else []
    # The cells earlier feedback marked: only those are taken back, so a section's own note
    # or colour elsewhere stays, on Google too (which offers no "remove only ours").
    old_marked = previous.get("marked") if isinstance(previous, dict) else None
    input_cols = {sheet.layout.col(k) for k in INPUT_COLUMNS} - {None}
    for cell in old_marked if isinstance(old_marked, list) else []:
        if (isinstance(cell, list) and len(cell) == 2
                and all(isinstance(x, int) and 0 < x < 100_000 for x in cell)):
            fill = INPUT_FILL if cell[1] in input_cols else ""
            ws.formats.append((CellRange.cell(cell[0], cell[1]), Format(fill=fill)))
            ws.clear_notes.append(CellRange.cell(cell[0], cell[1]))
    if bounds is not None and isinstance(previous, dict) and not isinstance(old_marked, list):
        # feedback written before the record named its cells: take back the whole columns
        first, last = bounds
        for key in INPUT_COLUMNS:
            col = sheet.layout.col(key)
            if col is not None:
                rng = CellRange(first, col, last, col)
                ws.formats.append((rng, Format(fill=INPUT_FILL)))
                ws.clear_notes.append(rng)
    # Cells outside the input columns that earlier feedback marked (a changed target, say).
    for cell in old_outside if isinstance(old_outside, list) else []:
        if (isinstance(cell, list) and len(cell) == 2
                and all(isinstance(x, int) and 0 < x < 100_000 for x in cell)):
            ws.formats.append((CellRange.cell(cell[0], cell[1]), Format(fill="")))
            ws.clear_notes.append(CellRange.cell(cell[0], cell[1]))
    for r, c, severity in plan["highlights"]:
        ws.formats.append((CellRange.cell(r, c), Format(fill=ISSUE_FILLS[severity])))
    for r, c, text in plan["notes"]:
        ws.notes[(r, c)] = text
    status_cell = sheet.layout.header_cells.get("status")
    if plan["status"] is not None and status_cell is not None:
        ws.values[status_cell] = plan["status"]
        ws.expected[status_cell] = sheet.header.get("status")  # a section's later change wins

    marked = sorted({(r, c) for r, c, _ in plan["highlights"]}
                    | {(r, c) for r, c, _ in plan["notes"]})
    record = {"fingerprint": fingerprint(config, sheet, issues, plan), "outside": plan["outside"],
              "marked": [list(cell) for cell in marked],
              "open": len(blocking(issues)), "issues": len(issues),
              # the status the service set: only that one counts when read back
              "status": plan["status"] or sheet.status}
    meta = records_patch(config, sheet.meta, {FEEDBACK_KEY: record})
    return WorkbookPatch(sheets=[validation, ws, meta])
