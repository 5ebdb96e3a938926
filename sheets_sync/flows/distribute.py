"""SOP step 2: one worksheet per section, from the master template.

Read, compute, write: `gather` reads the period's files, the template, the workbooks that
exist already (one read for all), the kept meta sheets of damaged ones and earlier periods'
values (once per run), the one write before it being the period's template when it is not
there yet (everything after reads from it); `domain.distribution` makes each section's
prefill and target patch without the store; then each section is written in turn: copied,
prefilled, shared. A copy found made meanwhile (a listing out of date) is read once more.

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

from sheets_sync.domain.calendar import fill_deadline, format_datetime_id
from sheets_sync.domain.distribution import (
    TargetChange,
    blank_status,
    section_prefill,
    target_changes,
    target_patch,
    template_name,
    workbook_name,
)
from sheets_sync.domain.errors import UsageProblem
from sheets_sync.domain.meta import Meta, parse_meta
from sheets_sync.domain.models import Config, Section
from sheets_sync.domain.rules import History
from sheets_sync.domain.sharing import recap_grants, section_grants
from sheets_sync.domain.worksheet import Layout, SectionSheet, locate, parse_section, template_patch
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


@dataclass
class DistributeReads:
    """Everything distribute is made from, read in one gathering step."""

    found: Collected  # the period's files (none read)
    gone: set[str]  # sections whose workbook was deleted: restored, never made blank
    template: FileRef
    layout: Layout  # the template's, which every copy has
    chosen: list[Section]  # the sections to distribute
    existing: dict[str, FileRef]  # those of `chosen` with a workbook already
    grids: dict[str, dict[str, Grid]]  # by file id: their Kertas Kerja and meta sheets
    metas: dict[str, Meta]  # by section: their meta, rebuilt from a backup where it was lost
    prefilled: set[str]  # their prefill finished
    blank_status: set[str]  # a copy whose prefill never ran: nothing of the section's in it
    rebuilt: dict[str, Grid]  # a meta sheet deleted from a workbook in use, as kept
    history: History | None  # earlier periods' values for the new workbooks' meta


def gather(config: Config, store: WorkbookStore, sections: list[str] | None) -> DistributeReads:
    """The listing, the template (made first when missing), one read of the workbooks that
    exist, their kept meta sheets where one was deleted, and earlier periods' values."""
    found = index_files(config, store.find(config.period.code))
    gone = skipped_sections(store) - set(found.refs)  # named by the guard, with their backup
    template, layout = ensure_template(config, store, found)
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
    # A copy whose prefill never ran (a crash in between) has a blank Status: nothing of the
    # section's is there to keep, so it gets the fresh status like a new copy.
    blank = {sid for sid, ref in existing.items() if sid not in prefilled
             and blank_status(grids.get(ref.id, {}).get(labels.sheet_worksheet), layout)}

    # A meta sheet deleted from a workbook in use (its status is not blank): rebuilt from the
    # service's own record of it (the local backups), so its distribution time, hand-in
    # and review records come back instead of being reset.
    backups = store.capabilities.backups
    rebuilt: dict[str, Grid] = {}
    for sid, ref in existing.items() if backups is not None else ():
        if sid not in prefilled and sid not in blank:
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
    return DistributeReads(found, gone, template, layout, chosen, existing, grids, metas,
                           prefilled, blank, rebuilt, history)


def distribute(config: Config, store: WorkbookStore, now: datetime, *,
               sections: list[str] | None = None, workers: int = 1,
               progress: Progress | None = None, update_targets: bool = False,
               revoke_extra: bool = False) -> DistributeReport:
    """`update_targets`: write targets the config changed since into the sheets' locked
    cells; `revoke_extra`: withdraw access beyond the config (on the template and the recap
    too), without it such access is only reported."""
    # read
    reads = gather(config, store, sections)
    # compute: the targets changed since each prefilled workbook went out
    labels = config.labels
    out_there: dict[str, SectionSheet] = {
        sid: parse_section(sid, reads.grids.get(reads.existing[sid].id, {}), labels)
        for sid in reads.prefilled}
    changes = {sid: target_changes(config, sheet) for sid, sheet in out_there.items()}
    deadline = format_datetime_id(fill_deadline(config))
    editors = tuple(config.office.pep_accounts)

    # write: each section copied, prefilled (its patch made by domain.distribution), shared
    def one(section: Section) -> SectionOutcome:
        ref = reads.existing.get(section.id)
        action = "sudah ada"
        if ref is None and section.id in reads.gone:  # deleted: restored, never made blank
            return SectionOutcome(section.id, section.name, GONE, "")
        fresh, done = section.id in reads.blank_status, section.id in reads.prefilled
        if ref is None:
            ref = store.copy(reads.template, workbook_name(config, section),
                             Tags(Role.section, config.period.code, section.id))
            action, fresh = "dibuat", True
            if ref.adopted:  # made meanwhile (a listing out of date): what it holds stays
                now_there = store.read(ref, [labels.sheet_worksheet, labels.sheet_meta])
                if parse_meta(now_there.get(labels.sheet_meta)).distributed:
                    action, done = "sudah ada", True
                fresh = blank_status(now_there.get(labels.sheet_worksheet), reads.layout)
        if action == "dibuat" or not done:
            # A fresh copy is not shared yet (sharing comes last): nothing can have been typed.
            # Completing an older one (a crash, a damaged meta sheet) leaves the status alone.
            when = now
            if not fresh and section.id not in reads.rebuilt and ref.created is not None:
                # a meta sheet lost from a workbook in use, with no backup to take it from
                # (Google): distributed when its copy was made, not now
                when = ref.created.astimezone(config.office.tzinfo).replace(tzinfo=None)
            store.apply(ref, section_prefill(
                config, section, reads.layout, deadline, when, editors, fresh=fresh,
                meta=reads.metas.get(section.id), rebuilt=reads.rebuilt.get(section.id),
                history=reads.history))
            action = action if action == "dibuat" else "dilengkapi"
        elif update_targets and changes.get(section.id):
            store.apply(ref, target_patch(config, out_there[section.id],
                                          reads.grids[ref.id].get(labels.sheet_meta),
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

    chosen = reads.chosen
    if workers > 1 and len(chosen) > 1:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            outcomes = list(pool.map(one, chosen))
    else:
        outcomes = [one(s) for s in chosen]
    found = reads.found
    if revoke_extra:
        from sheets_sync.flows.access import wanted

        store.share(reads.template, wanted(config)(reads.template), revoke_extra=True)
        if found.recap is not None:
            store.share(found.recap, recap_grants(config), revoke_extra=True)
    return DistributeReport(reads.template, outcomes, found.duplicates, found.unknown,
                            [c for s in chosen for c in changes.get(s.id, [])])
