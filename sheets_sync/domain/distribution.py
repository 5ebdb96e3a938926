"""What distribute writes into a section's workbook, without the store: the prefill (with the
records it carries), the targets the config changed since the workbook went out, and whether
a copy's status is still blank. flows/distribute.py reads what these need and writes what
they return."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sheets_sync.domain import review
from sheets_sync.domain.meta import SNAPSHOT_HEADER, SNAPSHOT_ROW, Meta, SnapshotRow
from sheets_sync.domain.models import Config, Indicator, Polarity, Section
from sheets_sync.domain.numbers import format_number
from sheets_sync.domain.patch import SheetPatch, WorkbookPatch, a1
from sheets_sync.domain.rules import History
from sheets_sync.domain.rules.engine import HISTORY_RECORD
from sheets_sync.domain.worksheet import Layout, SectionSheet
from sheets_sync.domain.worksheet_prefill import capaian_formula, prefill_patch


def template_name(config: Config) -> str:
    return f"Template Kertas Kerja {config.period.code}"


def workbook_name(config: Config, section: Section) -> str:
    return f"Kertas Kerja {config.period.code} - {section.name}"


def blank_status(grid: list[list[object]] | None, layout: Layout) -> bool:
    """The Status cell is empty: a copy whose prefill never ran (nothing typed to keep)."""
    cell = layout.header_cells.get("status")
    if not grid or cell is None:
        return False
    r, c = cell
    value = grid[r - 1][c - 1] if r - 1 < len(grid) and c - 1 < len(grid[r - 1]) else None
    return value is None or str(value).strip() == ""


def add_records(patch: WorkbookPatch, records: SheetPatch) -> None:
    """Merge a meta-records patch into the prefill's own meta sheet patch (one write)."""
    patch.sheet(records.title).values.update(records.values)


def section_prefill(config: Config, section: Section, layout: Layout, deadline: str,
                    now: datetime, editors: tuple[str, ...], *, fresh: bool,
                    meta: Meta | None, rebuilt: list[list[object]] | None,
                    history: History | None) -> WorkbookPatch:
    """A section's prefill, with the records it carries: `rebuilt`, a meta sheet deleted from
    a workbook in use as the service kept it (its records merged with `meta`, those written
    since); `history`, earlier periods' values for its indicators (validating then needs no
    reads of earlier periods). `fresh`: the fresh status too (nothing typed can be there)."""
    patch = prefill_patch(config, section, layout, deadline, now, editors, fresh=fresh)
    if rebuilt is not None:  # as it was kept; the records merged below
        sheet = next(p for p in patch.sheets if p.title == config.labels.sheet_meta)
        sheet.values.update({(r, c): v for r, row in enumerate(rebuilt, 1)
                             for c, v in enumerate(row, 1)
                             if v not in (None, "") and c < review.RECORD_KEY_COL})
        if history is None:
            add_records(patch, review.records_patch(config, meta or Meta(), {}))
    if history is not None:
        codes = {i.code for i in config.indicators_of(section.id)}
        # merged with the records already there (a damaged workbook may hold some)
        add_records(patch, review.records_patch(
            config, meta or Meta(), {HISTORY_RECORD: history.subset(codes)}))
    return patch


@dataclass(frozen=True)
class TargetChange:
    """A target the config changed after the section's workbook went out."""

    section: str
    code: str
    sheet: str  # the target as distributed (the meta snapshot), as shown
    config: str  # the config's target, which capaian is computed with
    cell: str | None  # the sheet's target cell
    updated: bool = False  # written into the workbook by this run


def _shown(target: float | None, lo: float | None, hi: float | None, range_: bool) -> str:
    if range_:
        return f"{format_number(lo)} - {format_number(hi)}"
    return format_number(target) or "(kosong)"


def _differs(ind: Indicator, snap: SnapshotRow) -> bool:
    def same(a: float | None, b: float | None) -> bool:
        return (a is None and b is None) or (a is not None and b is not None
                                             and abs(a - b) <= 1e-9 * max(1.0, abs(a)))
    return not (same(ind.target, snap.target) and same(ind.target_min, snap.target_min)
                and same(ind.target_max, snap.target_max))


def target_changes(config: Config, sheet: SectionSheet) -> list[TargetChange]:
    """The section's indicators whose config target differs from the distributed snapshot."""
    snapshot = {s.code: s for s in sheet.meta.snapshot}
    out = []
    for ind in config.indicators_of(sheet.section_id):
        snap = snapshot.get(ind.code)
        if snap is None or not _differs(ind, snap):
            continue
        row, col = sheet.row_for(ind.code), sheet.layout.col("target")
        out.append(TargetChange(
            sheet.section_id, ind.code,
            _shown(snap.target, snap.target_min, snap.target_max,
                   snap.target_min is not None and snap.target_max is not None),
            _shown(ind.target, ind.target_min, ind.target_max, ind.polarity is Polarity.range),
            a1(row.row, col) if row and col else None))
    return out


def target_patch(config: Config, sheet: SectionSheet, meta_grid: list[list[object]] | None,
                 changes: list[TargetChange]) -> WorkbookPatch:
    """The new targets: the locked target cell and its capaian formula in Kertas Kerja, and
    the snapshot row in the meta sheet. No input cell is in it."""
    labels = config.labels
    ws, meta = SheetPatch(labels.sheet_worksheet), SheetPatch(labels.sheet_meta)
    snapshot_rows = {str(r[0]): n for n, r in enumerate(meta_grid or [], start=1)
                     if n >= SNAPSHOT_ROW and r and r[0] not in (None, "")}
    cols = sheet.layout.columns
    target_col = SNAPSHOT_HEADER.index("target") + 1
    for change in changes:
        ind = next(i for i in config.indicators_of(sheet.section_id) if i.code == change.code)
        row = sheet.row_for(change.code)
        if row is not None and "target" in cols:
            ws.values[(row.row, cols["target"])] = (
                ind.target_text if ind.polarity is Polarity.range else ind.target)
            formula = capaian_formula(ind, row.row, cols)
            if formula is not None:
                ws.values[(row.row, cols["capaian"])] = formula
        if change.code in snapshot_rows:
            meta.put_row(snapshot_rows[change.code], target_col,
                         [ind.target, ind.target_min, ind.target_max])
    return WorkbookPatch(sheets=[ws, meta])
