"""Shared helpers for the rule, feedback and review tests (no tests here).

`MemWorkbook` renders `WorkbookPatch`es into memory the way the adapters do (values, fills,
notes, protection), and `MemStore` is a tiny in-memory `WorkbookStore` for the review flows;
`run` evaluates rules on a section's workbook as distributed, filled and handed in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sheets_sync.domain.models import Config, Issue
from sheets_sync.domain.patch import Protection, Value, WorkbookPatch
from sheets_sync.domain.rules import evaluate
from sheets_sync.domain.worksheet import (
    SectionSheet,
    locate,
    parse_section,
    template_patch,
)
from sheets_sync.domain.worksheet_prefill import prefill_patch
from sheets_sync.ports import Capabilities, FileRef, Grant, Role, ShareResult, Tags

NOW = datetime(2026, 10, 5, 9, 30)


@dataclass
class MemSheet:
    values: dict[tuple[int, int], Value] = field(default_factory=dict)
    fills: dict[tuple[int, int], str] = field(default_factory=dict)
    notes: dict[tuple[int, int], str] = field(default_factory=dict)
    protection: Protection | None = None

    def grid(self) -> list[list[Any]]:
        live = {k: v for k, v in self.values.items() if v is not None}
        if not live:
            return []
        rows = max(r for r, _ in live)
        cols = max(c for _, c in live)
        return [[live.get((r, c)) for c in range(1, cols + 1)] for r in range(1, rows + 1)]


@dataclass
class MemWorkbook:
    sheets: dict[str, MemSheet] = field(default_factory=dict)
    writes: list[WorkbookPatch] = field(default_factory=list)

    def apply(self, patch: WorkbookPatch) -> None:
        self.writes.append(patch)
        for sp in patch.sheets:
            sheet = self.sheets.setdefault(sp.title, MemSheet())
            if sp.clear:
                sheet.values.clear()
                sheet.fills.clear()
            for (r, c), v in sp.values.items():
                sheet.values[(r, c)] = v
            for rng, fmt in sp.formats:
                if fmt.fill is None:
                    continue
                for r in range(rng.top, rng.bottom + 1):
                    for c in range(rng.left, rng.right + 1):
                        if fmt.fill:
                            sheet.fills[(r, c)] = fmt.fill
                        else:
                            sheet.fills.pop((r, c), None)
            for rng in sp.clear_notes:
                for key in [k for k in sheet.notes if rng.contains(*k)]:
                    del sheet.notes[key]
            for key, text in sp.notes.items():
                if text:
                    sheet.notes[key] = text
                else:
                    sheet.notes.pop(key, None)
            if sp.protection is not None:
                sheet.protection = sp.protection
            if sp.append_rows:
                start = max((r for r, _ in sheet.values), default=0) + 1
                for n, row in enumerate(sp.append_rows):
                    for c, v in enumerate(row, start=1):
                        sheet.values[(start + n, c)] = v

    def grids(self) -> dict[str, list[list[Any]]]:
        return {title: s.grid() for title, s in self.sheets.items()}


def distributed(config: Config, section_id: str) -> MemWorkbook:
    """A section's workbook as distribute leaves it."""
    wb = MemWorkbook()
    wb.apply(template_patch(config))
    layout = locate(wb.sheets[config.labels.sheet_worksheet].grid(), config.labels)
    wb.apply(prefill_patch(config, config.section(section_id), layout, "10 Oktober 2026", NOW,
                           tuple(config.office.pep_accounts)))
    wb.writes.clear()
    return wb


def parse(config: Config, section_id: str, wb: MemWorkbook) -> SectionSheet:
    sheet = parse_section(section_id, wb.grids(), config.labels)
    sheet.file_name = f"Kertas Kerja {section_id}"
    return sheet


def fill(config: Config, wb: MemWorkbook, row_code: str, **cells: Any) -> None:
    """Type into the row of `code`, by column key (realisasi=..., keterangan=...)."""
    grid = wb.sheets[config.labels.sheet_worksheet].grid()
    layout = locate(grid, config.labels)
    for r in range(layout.first_row, len(grid) + 1):
        if grid[r - 1][layout.columns["code"] - 1] == row_code:
            for key, value in cells.items():
                wb.sheets[config.labels.sheet_worksheet].values[(r, layout.columns[key])] = value
            return
    raise KeyError(row_code)


def set_status(config: Config, wb: MemWorkbook, status: str) -> None:
    layout = locate(wb.sheets[config.labels.sheet_worksheet].grid(), config.labels)
    wb.sheets[config.labels.sheet_worksheet].values[layout.header_cells["status"]] = status


def make_config(**overrides: Any) -> Config:
    data: dict[str, Any] = {
        "period": "2026-TW3",
        "office": {"name": "Sekretariat DPRD Provinsi Jambi",
                   "pep_accounts": ["pep@jambiprov.go.id"]},
        "sections": [
            {"id": "umum", "name": "Subbagian Umum", "editors": ["umum@jambiprov.go.id"]},
            {"id": "keuangan", "name": "Subbagian Keuangan"},
        ],
        "indicators": [
            {"code": "U1", "section": "umum", "name": "Jumlah dokumen perencanaan",
             "unit": "dokumen", "target": 10, "aggregation": "last"},
            {"code": "U2", "section": "umum", "name": "Persentase layanan tepat waktu",
             "unit": "%", "target": 90},
            {"code": "U3", "section": "umum", "name": "Rata-rata waktu tindak lanjut",
             "unit": "hari", "target": 5, "polarity": "negatif"},
            {"code": "U4", "section": "umum", "name": "Indeks kepuasan", "unit": "indeks",
             "polarity": "rentang", "target_min": 80, "target_max": 90},
            {"code": "U5", "section": "umum", "name": "Kegiatan tanpa target", "unit": "kegiatan",
             "target": 0},
            {"code": "K1", "section": "keuangan", "name": "Realisasi anggaran",
             "unit": "%", "target": 95, "budget": 1_000_000},
        ],
    }
    data.update(overrides)
    return Config.model_validate(data)


class MemStore:
    """An in-memory WorkbookStore: enough of the port for the review flows."""

    capabilities = Capabilities()
    identity: str | None = None

    def __init__(self) -> None:
        self.books: dict[str, MemWorkbook] = {}
        self.refs: dict[str, FileRef] = {}
        self.calls: list[str] = []

    def add(self, ref: FileRef, wb: MemWorkbook) -> None:
        self.books[ref.id] = wb
        self.refs[ref.id] = ref

    def find(self, period: str, role: Role | None = None) -> list[FileRef]:
        self.calls.append("find")
        return [r for r in self.refs.values()
                if r.tags.period == period and (role is None or r.tags.role is role)]

    def changed_since(self, period: str, since: datetime | None) -> list[FileRef]:
        return self.find(period)

    def recaps(self, periods: Sequence[str]) -> dict[str, FileRef]:
        self.calls.append("recaps")
        return {r.tags.period: r for r in self.refs.values()
                if r.tags.role is Role.recap and r.tags.period in periods}

    def create(self, name: str, tags: Tags, patch: WorkbookPatch) -> FileRef:
        ref = FileRef(f"f{len(self.refs) + 1}", name, tags)
        wb = MemWorkbook()
        wb.apply(patch)
        self.add(ref, wb)
        return ref

    def copy(self, source: FileRef, name: str, tags: Tags) -> FileRef:
        raise NotImplementedError

    def apply(self, ref: FileRef, patch: WorkbookPatch) -> None:
        self.calls.append("apply")
        self.books[ref.id].apply(patch)

    def read(self, ref: FileRef, sheets: Sequence[str]) -> dict[str, list[list[Any]]]:
        self.calls.append("read")
        grids = self.books[ref.id].grids()
        return {s: grids[s] for s in sheets if s in grids}

    def read_many(self, refs: Sequence[FileRef],
                  sheets: Sequence[str]) -> dict[str, dict[str, list[list[Any]]]]:
        return {r.id: self.read(r, sheets) for r in refs}

    def share(self, ref: FileRef, grants: Sequence[Grant], *, notify: bool = False,
              message: str = "") -> ShareResult:
        return ShareResult()

    def delete(self, ref: FileRef) -> None:
        self.books.pop(ref.id, None)
        self.refs.pop(ref.id, None)


def store_with(config: Config, *section_ids: str) -> MemStore:
    store = MemStore()
    for sid in section_ids:
        ref = FileRef(f"id-{sid}", f"Kertas Kerja {sid} {config.period.code}",
                      Tags(Role.section, config.period.code, sid))
        store.add(ref, distributed(config, sid))
    return store


def run(rules: list[dict[str, Any]] | None, fills: dict[str, dict[str, Any]],
        status: str = "Selesai", history: Any = None, section: str = "umum",
        config: Config | None = None, **overrides: Any) -> list[Issue]:
    """The issues the rules find in a section's workbook distributed, filled and handed in."""
    config = config or make_config(rules=rules, **overrides)
    wb = distributed(config, section)
    for code, cells in fills.items():
        fill(config, wb, code, **cells)
    set_status(config, wb, status)
    return evaluate(config, parse(config, section, wb), history)


def only(issues: list[Issue], rule: str) -> list[Issue]:
    return [i for i in issues if i.rule == rule]
