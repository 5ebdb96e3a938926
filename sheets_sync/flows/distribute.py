"""SOP step 2: one worksheet per section, from the master template.

Idempotent by construction:
- files are found by their tags, so a second run (or a second computer) sees what exists;
- a section's workbook is copied, then prefilled (the meta snapshot marks the prefill done),
  then shared; a crash between those steps is completed by the next run;
- an existing, prefilled workbook is never written again by distribute: nothing a section
  typed can be overwritten;
- sharing is reconciled to exactly the accounts in the config;
- a target changed in the config after distribution is reported (`target_changes`); with
  `update_targets` the new target is written into the sheet's locked target cell, its capaian
  formula and the meta snapshot, never into a cell a section types.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime

from sheets_sync.domain import review
from sheets_sync.domain.calendar import fill_deadline, format_datetime_id
from sheets_sync.domain.errors import UsageProblem
from sheets_sync.domain.meta import SNAPSHOT_HEADER, SNAPSHOT_ROW, Meta, SnapshotRow, parse_meta
from sheets_sync.domain.models import Config, Indicator, Polarity, Section
from sheets_sync.domain.numbers import format_number
from sheets_sync.domain.patch import SheetPatch, WorkbookPatch, a1
from sheets_sync.domain.rules import History
from sheets_sync.domain.rules.engine import HISTORY_RECORD
from sheets_sync.domain.sharing import recap_grants, section_grants
from sheets_sync.domain.worksheet import (
    Layout,
    SectionSheet,
    capaian_formula,
    locate,
    parse_section,
    prefill_patch,
    template_patch,
)
from sheets_sync.flows.collect import Collected, index_files
from sheets_sync.flows.guard import skipped_sections
from sheets_sync.flows.history import load_history, needs_history
from sheets_sync.ports import BackendError, FileRef, Grid, Role, Tags, WorkbookStore

Progress = Callable[[str, str], None]  # (section id, what happened)


GONE = "hilang: pulihkan dengan 'sync restore'"  # made before, deleted since: not made blank


@dataclass
class SectionOutcome:
    section: str
    name: str
    action: str  # "dibuat" | "dilengkapi" | "sudah ada" | GONE
    url: str
    shared_with: list[str] = field(default_factory=list)
    unshared: list[str] = field(default_factory=list)
    invited: list[str] = field(default_factory=list)  # no Google account: an invitation went
    extra: list[str] = field(default_factory=list)  # access beyond the config, left in place


@dataclass(frozen=True)
class TargetChange:
    """A target the config changed after the section's workbook went out."""

    section: str
    code: str
    sheet: str  # the target as distributed (the meta snapshot), as shown
    config: str  # the config's target, which capaian is computed with
    cell: str | None  # the sheet's target cell
    updated: bool = False  # written into the workbook by this run


@dataclass
class DistributeReport:
    template: FileRef
    outcomes: list[SectionOutcome]
    duplicates: dict[str, list[FileRef]]
    unknown: list[FileRef]
    target_changes: list[TargetChange] = field(default_factory=list)

    @property
    def created(self) -> int:
        return sum(o.action == "dibuat" for o in self.outcomes)


def template_name(config: Config) -> str:
    return f"Template Kertas Kerja {config.period.code}"


def workbook_name(config: Config, section: Section) -> str:
    return f"Kertas Kerja {config.period.code} - {section.name}"


def add_records(patch: WorkbookPatch, records: SheetPatch) -> None:
    """Merge a meta-records patch into the prefill's own meta sheet patch (one write)."""
    patch.sheet(records.title).values.update(records.values)


def ensure_template(config: Config, store: WorkbookStore, found: Collected) -> tuple[FileRef, Layout]:
    template = found.template
    if template is None:
        # The period's own template: a copy of the office's template when it has one (so a
        # later restyle does not change a period already under way), else generated.
        tags = Tags(Role.template, config.period.code)
        source = store.office_template()
        template = (store.copy(source, template_name(config), tags) if source
                    else store.create(template_name(config), tags, template_patch(config)))
    grid = store.read(template, [config.labels.sheet_worksheet]).get(config.labels.sheet_worksheet)
    layout = locate(grid or [], config.labels)
    if layout.problems:
        raise BackendError(
            f"template '{template.name}' tidak sesuai kontrak lembar kerja: "
            + "; ".join(layout.problems),
            hint="Perbaiki judul kolom pada template (lihat README, Kontrak lembar kerja), "
                 "atau hapus template agar dibuat ulang dari konfigurasi.",
        )
    return template, layout


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


def distribute(config: Config, store: WorkbookStore, now: datetime, *,
               sections: list[str] | None = None, workers: int = 1,
               progress: Progress | None = None, update_targets: bool = False,
               revoke_extra: bool = False) -> DistributeReport:
    """`update_targets`: write targets the config changed since into the sheets' locked
    cells; `revoke_extra`: withdraw access beyond the config (on the template and the recap
    too), without it such access is only reported."""
    found = index_files(config, store.find(config.period.code))
    gone = skipped_sections(store) - set(found.refs)  # named by the guard, with their backup
    template, layout = ensure_template(config, store, found)
    deadline = format_datetime_id(fill_deadline(config))
    editors = tuple(config.office.pep_accounts)
    chosen = [s for s in config.sections if not sections or s.id in sections]
    unknown_ids = set(sections or []) - {s.id for s in config.sections}
    if unknown_ids:
        raise UsageProblem(f"bagian {', '.join(sorted(unknown_ids))} tidak ada di konfigurasi; "
                           f"yang ada: {', '.join(s.id for s in config.sections)}.")

    # Workbooks that exist already: one read each tells whether their prefill finished, and
    # which targets they were distributed with.
    labels = config.labels
    existing = {s.id: found.refs[s.id] for s in chosen if s.id in found.refs}
    grids = store.read_many(list(existing.values()), [labels.sheet_worksheet, labels.sheet_meta])
    metas = {sid: parse_meta(grids.get(ref.id, {}).get(labels.sheet_meta))
             for sid, ref in existing.items()}
    prefilled = {sid for sid, meta in metas.items() if meta.distributed}
    out_there = {sid: parse_section(sid, grids.get(existing[sid].id, {}), labels)
                 for sid in prefilled}
    changes = {sid: target_changes(config, sheet) for sid, sheet in out_there.items()}
    # A copy whose prefill never ran (a crash in between) has a blank Status: nothing of the
    # section's is there to keep, so it gets the fresh status like a new copy.
    blank_status = {sid for sid, ref in existing.items() if sid not in prefilled
                    and _blank_status(grids.get(ref.id, {}).get(config.labels.sheet_worksheet),
                                      layout)}

    # A meta sheet deleted from a workbook in use (its status is not blank): rebuilt from the
    # service's own record of it (the local backups), so its distribution time, hand-in
    # and review records come back instead of being reset.
    backups = store.capabilities.backups
    rebuilt: dict[str, Grid] = {}
    for sid, ref in existing.items() if backups is not None else ():
        if sid not in prefilled and sid not in blank_status:
            grid = backups.kept_sheet(ref, labels.sheet_meta,
                                      lambda g: parse_meta(g).distributed)
            if grid:
                kept = parse_meta(grid)
                kept.extra.update(metas[sid].extra)  # records written since then stay
                rebuilt[sid], metas[sid] = grid, kept

    # Earlier periods' values, read once per run and stored in each new workbook's meta:
    # validating then needs no reads of earlier periods.
    history: History | None = None
    if needs_history(config) and not all(s.id in prefilled for s in chosen):
        history = load_history(config, store)

    def one(section: Section) -> SectionOutcome:
        ref = existing.get(section.id)
        action = "sudah ada"
        if ref is None and section.id in gone:  # deleted: restored, never made blank
            return SectionOutcome(section.id, section.name, GONE, "")
        fresh, done = section.id in blank_status, section.id in prefilled
        if ref is None:
            ref = store.copy(template, workbook_name(config, section),
                             Tags(Role.section, config.period.code, section.id))
            action, fresh = "dibuat", True
            if ref.adopted:  # made meanwhile (a listing out of date): what it holds stays
                now_there = store.read(ref, [labels.sheet_worksheet, labels.sheet_meta])
                if parse_meta(now_there.get(labels.sheet_meta)).distributed:
                    action, done = "sudah ada", True
                fresh = _blank_status(now_there.get(labels.sheet_worksheet), layout)
        if action == "dibuat" or not done:
            # A fresh copy is not shared yet (sharing comes last): nothing can have been typed.
            # Completing an older one (a crash, a damaged meta sheet) leaves the status alone.
            when = now
            if not fresh and section.id not in rebuilt and ref.created is not None:
                # a meta sheet lost from a workbook in use, with no backup to take it from
                # (Google): distributed when its copy was made, not now
                when = ref.created.astimezone(config.office.tzinfo).replace(tzinfo=None)
            patch = prefill_patch(config, section, layout, deadline, when, editors,
                                  fresh=fresh)
            if section.id in rebuilt:  # as it was kept; the records merged below
                meta = next(p for p in patch.sheets if p.title == labels.sheet_meta)
                meta.values.update({(r, c): v for r, row in enumerate(rebuilt[section.id], 1)
                                    for c, v in enumerate(row, 1)
                                    if v not in (None, "") and c < review.RECORD_KEY_COL})
                if history is None:
                    add_records(patch, review.records_patch(config, metas[section.id], {}))
            if history is not None:
                codes = {i.code for i in config.indicators_of(section.id)}
                # merged with the records already there (a damaged workbook may hold some)
                add_records(patch, review.records_patch(
                    config, metas.get(section.id, Meta()), {HISTORY_RECORD: history.subset(codes)}))
            store.apply(ref, patch)
            action = action if action == "dibuat" else "dilengkapi"
        elif update_targets and changes.get(section.id):
            store.apply(ref, target_patch(config, out_there[section.id],
                                          grids[ref.id].get(labels.sheet_meta),
                                          changes[section.id]))
            changes[section.id] = [replace(c, updated=True) for c in changes[section.id]]
        shared = store.share(ref, section_grants(config, section),
                             notify=config.backend.google.sharing.notify,
                             message=config.backend.google.sharing.message,
                             revoke_extra=revoke_extra)
        if progress:
            progress(section.id, action)
        return SectionOutcome(section.id, section.name, action, ref.url,
                              [g.email for g in shared.added], shared.removed,
                              invited=list(shared.invited), extra=shared.extra)

    if workers > 1 and len(chosen) > 1:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            outcomes = list(pool.map(one, chosen))
    else:
        outcomes = [one(s) for s in chosen]
    if revoke_extra:
        from sheets_sync.flows.access import wanted

        store.share(template, wanted(config)(template), revoke_extra=True)
        if found.recap is not None:
            store.share(found.recap, recap_grants(config), revoke_extra=True)
    return DistributeReport(template, outcomes, found.duplicates, found.unknown,
                            [c for s in chosen for c in changes.get(s.id, [])])


def _blank_status(grid: list[list[object]] | None, layout: Layout) -> bool:
    cell = layout.header_cells.get("status")
    if not grid or cell is None:
        return False
    r, c = cell
    value = grid[r - 1][c - 1] if r - 1 < len(grid) and c - 1 < len(grid[r - 1]) else None
    return value is None or str(value).strip() == ""
