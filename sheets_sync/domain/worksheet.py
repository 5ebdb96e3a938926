"""The worksheet contract (docs/design.md §7), as pure functions over grids and patches.

- `template_patch`: the master template every section's workbook is copied from.
- `locate`: find the header block and the table in a grid *by header text*, so an office may
  restyle or move things in its template.
- `prefill_patch` (domain/worksheet_prefill.py): what distribute writes into a fresh copy
  for one section.
- `parse_section`: read a section's workbook back into a `SectionSheet`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sheets_sync.domain import worksheet_look as look
from sheets_sync.domain.meta import Meta, parse_meta
from sheets_sync.domain.models import Config, Labels
from sheets_sync.domain.patch import CellRange, Format, SheetPatch, WorkbookPatch, a1
from sheets_sync.domain.statuses import recognise_status

TEMPLATE_VERSION = "1"
TITLE = "KERTAS KERJA PENGUMPULAN DATA KINERJA"

# Column keys in table order; `Labels.col_<key>` is each one's header text.
TABLE_COLUMNS = ("no", "code", "sasaran", "indicator", "unit", "target", "realisasi",
                 "capaian", "keterangan", "bukti")
BUDGET_COLUMNS = ("budget", "budget_real", "budget_capaian")
REQUIRED_COLUMNS = ("code", "indicator", "target", "realisasi")
INPUT_COLUMNS = ("realisasi", "keterangan", "bukti", "budget_real")  # unlocked for sections
HEADER_FIELDS = ("office", "unit", "period", "deadline", "status")

HEADER_FILL = "#1F4E78"
INPUT_FILL = "#FFF9DB"  # pale yellow: "type here"
ISSUE_FILLS = {"error": "#F8CBAD", "warning": "#FFE699", "info": "#DDEBF7"}


def column_label(labels: Labels, key: str) -> str:
    return getattr(labels, f"col_{key}")


def header_label(labels: Labels, key: str) -> str:
    return getattr(labels, key)


def _norm(value: Any) -> str:
    return re.sub(r"\s+", " ", str(value)).strip().casefold() if value is not None else ""


def uses_budget(config: Config) -> bool:
    return any(i.budget is not None for i in config.indicators)


# --------------------------------------------------------------------------- template


def template_patch(config: Config) -> WorkbookPatch:
    """The master template: header block, table header, an empty Validasi sheet, hidden meta."""
    labels = config.labels
    ws = SheetPatch(labels.sheet_worksheet, index=0, frozen_rows=HEADER_ROW)
    ws.values[(1, 1)] = TITLE
    ws.formats.append((CellRange.cell(1, 1), Format(bold=True)))
    for offset, key in enumerate(HEADER_FIELDS):
        ws.values[(3 + offset, 1)] = header_label(labels, key)
        ws.formats.append((CellRange.cell(3 + offset, 1), Format(bold=True)))
    keys = table_keys(config)
    ws.put_row(HEADER_ROW, 1, [column_label(labels, k) for k in keys])
    ws.formats.append((
        CellRange(HEADER_ROW, 1, HEADER_ROW, len(keys)),
        Format(bold=True, fill=HEADER_FILL, font_color="#FFFFFF", wrap=True, align="center"),
    ))
    widths = look.template_widths(labels, keys)
    ws.column_widths = {i + 1: widths[k] for i, k in enumerate(keys)}
    ws.row_heights[HEADER_ROW] = look.header_height([column_label(labels, k) for k in keys],
                                                    [widths[k] for k in keys])

    validation = SheetPatch(labels.sheet_validation, index=1)
    validation.put_row(1, 1, list(VALIDATION_HEADERS))
    validation.formats.append((CellRange(1, 1, 1, len(VALIDATION_HEADERS)), Format(bold=True)))
    look.validation_sheet_print(validation, config)

    meta = SheetPatch(labels.sheet_meta, hidden=True, index=3)
    meta.put_row(1, 1, ["template_version", TEMPLATE_VERSION])
    return WorkbookPatch(sheets=[ws, validation, look.instructions_sheet(config, 2), meta])


HEADER_ROW = 9  # where the generated template puts the table header; found by text on read
VALIDATION_HEADERS = ("No", "Tingkat", "Sel", "Indikator", "Kolom", "Pesan", "Saran Perbaikan",
                      "Status")


def table_keys(config: Config) -> tuple[str, ...]:
    return TABLE_COLUMNS + (BUDGET_COLUMNS if uses_budget(config) else ())


# --------------------------------------------------------------------------- locating by text


@dataclass
class Layout:
    """Where things are in a Kertas Kerja sheet, found by their labels."""

    header_cells: dict[str, tuple[int, int]] = field(default_factory=dict)  # key -> value cell
    header_row: int = 0
    columns: dict[str, int] = field(default_factory=dict)  # column key -> column number
    problems: list[str] = field(default_factory=list)
    taken: set[tuple[int, int]] = field(default_factory=set)  # non-empty cells above the table

    @property
    def first_row(self) -> int:
        return self.header_row + 1

    def col(self, key: str) -> int | None:
        return self.columns.get(key)


def locate(grid: list[list[Any]], labels: Labels) -> Layout:
    layout = Layout()
    wanted_cols = {_norm(column_label(labels, k)): k for k in TABLE_COLUMNS + BUDGET_COLUMNS}
    for r, row in enumerate(grid, start=1):
        found = {wanted_cols[_norm(v)]: c for c, v in enumerate(row, start=1)
                 if _norm(v) in wanted_cols}
        if "code" in found and "realisasi" in found:
            layout.header_row, layout.columns = r, found
            break
    if not layout.header_row:
        layout.problems.append(
            f"baris judul tabel tidak ditemukan (kolom '{labels.col_code}' dan "
            f"'{labels.col_realisasi}')"
        )
    wanted_header = {_norm(header_label(labels, k)): k for k in HEADER_FIELDS}
    stop = layout.header_row - 1 if layout.header_row else len(grid)
    for r, row in enumerate(grid[:stop], start=1):
        for c, v in enumerate(row, start=1):
            if _norm(v):
                layout.taken.add((r, c))
            key = wanted_header.get(_norm(v).rstrip(":").strip())
            if key and key not in layout.header_cells:
                layout.header_cells[key] = (r, c + 1)
    for key in REQUIRED_COLUMNS:
        if layout.header_row and key not in layout.columns:
            layout.problems.append(f"kolom '{column_label(labels, key)}' tidak ditemukan")
    if "status" not in layout.header_cells:
        layout.problems.append(f"sel '{labels.status}' tidak ditemukan di bagian atas lembar")
    return layout


# --------------------------------------------------------------------------- reading back


@dataclass
class EntryRow:
    """One indicator row as the section left it. `cells` holds raw values by column key."""

    row: int
    code: str
    cells: dict[str, Any]

    def cell_ref(self, layout: Layout, key: str) -> str | None:
        col = layout.col(key)
        return a1(self.row, col) if col else None


@dataclass
class SectionSheet:
    """A section's workbook as read back: what the rules and the recap work on."""

    section_id: str
    layout: Layout
    status: str
    rows: list[EntryRow]
    meta: Meta
    header: dict[str, Any] = field(default_factory=dict)
    file_id: str = ""
    file_name: str = ""
    url: str = ""
    modified: datetime | None = None
    modified_by: str | None = None
    feedback_grid: list[list[Any]] | None = None  # the Validasi sheet as read, if it was
    status_typed: str = ""  # a Status cell holding something that is not a status, as typed

    def row_for(self, code: str) -> EntryRow | None:
        for r in self.rows:
            if r.code == code:
                return r
        return None

    @property
    def status_cell(self) -> str | None:
        cell = self.layout.header_cells.get("status")
        return a1(*cell) if cell else None

    def filled(self, codes: set[str] | None = None) -> int:
        """Rows with a Realisasi; with `codes`, only those indicators' rows (the config's:
        a row the config no longer has does not count, as in the recap)."""
        return sum(1 for r in self.rows if is_blank(r.cells.get("realisasi")) is False
                   and (codes is None or r.code in codes))


def is_blank(v: Any) -> bool:
    """An empty cell: nothing, or only spaces."""
    return v is None or (isinstance(v, str) and not v.strip())


def parse_section(section_id: str, grids: dict[str, list[list[Any]]], labels: Labels) -> SectionSheet:
    grid = grids.get(labels.sheet_worksheet)
    meta = parse_meta(grids.get(labels.sheet_meta))
    if grid is None:
        layout = Layout(problems=[f"lembar '{labels.sheet_worksheet}' tidak ditemukan"])
        return SectionSheet(section_id, layout, "", [], meta)
    layout = locate(grid, labels)
    header = {}
    for key, (r, c) in layout.header_cells.items():
        header[key] = _at(grid, r, c)
    typed = str(header.get("status") or "").strip()
    status = recognise_status(typed, labels)
    service_only = {labels.status_confirm, labels.status_valid, labels.status_approved}
    if status in service_only and not meta.vouches_for(status, labels):
        status = labels.status_done  # chosen by the section: it means "I am done"
    rows: list[EntryRow] = []
    if layout.header_row and "code" in layout.columns:
        code_col = layout.columns["code"]
        columns = [(key, c - 1) for key, c in layout.columns.items()]
        last_snapshot_row = max((s.row for s in meta.snapshot), default=0)
        for r in range(layout.first_row, len(grid) + 1):
            line = grid[r - 1]
            code = _at(grid, r, code_col)
            if is_blank(code):
                # a blank code ends the table, unless the snapshot says rows continue (a
                # section deleted a code: the structure rule reports it)
                if last_snapshot_row <= r:
                    break
                continue
            width = len(line)
            cells = {key: line[c] if c < width else None for key, c in columns}
            rows.append(EntryRow(r, str(code).strip(), cells))
    return SectionSheet(section_id, layout, status, rows, meta, header,
                        feedback_grid=grids.get(labels.sheet_validation),
                        status_typed=typed if status == typed and typed not in
                        labels.all_statuses else "")


def _at(grid: list[list[Any]], row: int, col: int) -> Any:
    if row - 1 < len(grid):
        cells = grid[row - 1]
        if col - 1 < len(cells):
            return cells[col - 1]
    return None
