"""SOP step 5: the consolidated recap workbook, kept live for leadership.

Read, compute, write: `gather` reads everything the recap is made from (the sections, the
recap's own last write, earlier quarters, earlier periods, duplicate workbooks) in one step;
`compose` turns that into the one patch without touching the store (the recap itself is
`domain.recap_compose`; the flow adds the service's memory); `recap` writes it once.

Google call budget for the recap itself: <= 3 (read its last-seen values for the audit, one
batch write, one sharing check); creating it the first time: <= 3 + sharing. The sections'
first hand-ins ride in that write (domain/handin_records.py): no call per section beyond its read.
With nothing changed since its last write (`recap_state`), a recap reads no section and
writes nothing: the listing, its one read and the sharing check.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sheets_sync.domain.calendar import fill_deadline, sop_schedule
from sheets_sync.domain.handin import same_person
from sheets_sync.domain.models import Config, Issue
from sheets_sync.domain.patch import SheetPatch, WorkbookPatch
from sheets_sync.domain.quarters import QUARTER_CACHE
from sheets_sync.domain.recap import SHEET_AUDIT_VALUES, SHEET_AUDITED, SHEET_INDICATORS, Recap
from sheets_sync.domain.recap_compose import RecapInputs, compose_recap
from sheets_sync.domain.rules.history import History
from sheets_sync.domain.sharing import recap_grants
from sheets_sync.domain.trends import TREND_CACHE, PeriodResult
from sheets_sync.domain.validation import evaluate_all
from sheets_sync.flows.collect import Collected, collect, index_files, read_sections
from sheets_sync.flows.duplicates import DuplicateNote, duplicate_notes
from sheets_sync.flows.guard import skipped_sections
from sheets_sync.flows.memory import (
    SHEET_MEMORY,
    Memory,
    fingerprint,
    memory_sheet,
    read_memory,
    version_of,
)
from sheets_sync.flows.quarters import needs_quarters, quarters_for_recap
from sheets_sync.flows.status import identity_of
from sheets_sync.flows.trends import earlier_for_recap
from sheets_sync.ports import FileRef, Grid, Role, Tags, WorkbookStore


@dataclass
class RecapResult:
    ref: FileRef
    recap: Recap | None  # None: nothing changed and nothing was asked of it (`unchanged`)
    created: bool
    audit_lines: int
    duplicates: list[DuplicateNote] = field(default_factory=list)
    # Nothing it is made from changed since its last write (`recap_state`): nothing written,
    # no backup made, its "diperbarui" time stays; the time of that last write
    unchanged: datetime | None = None


@dataclass
class RecapReads:
    """Everything the recap is made from, read from the store in one gathering step."""

    found: Collected
    issues: list[Issue]
    identity: str | None  # who the service writes as: its own edits are not a section's
    skipped: set[str]  # sections whose workbook this command skipped (or found deleted)
    grids: dict[str, Grid]  # the recap's own sheets as last written; {} before it exists
    quarters: History | None  # earlier quarters of the year; None: the period needs none
    earlier: list[PeriodResult]  # earlier periods' results, for the Tren sheet
    duplicates: list[DuplicateNote]  # a section's second workbook, and what was typed in it
    memory: Memory  # the service's memory (flows/memory.py): renewed in the recap's write
    unfed: set[str]  # sections whose feedback is not in their workbook yet


# the recap's one read: what its audit compares against, its kept records and caches
RECAP_SHEETS = [SHEET_AUDIT_VALUES, SHEET_AUDITED, QUARTER_CACHE, TREND_CACHE, SHEET_MEMORY]


def recap_name(config: Config) -> str:
    return f"Rekapitulasi Data Kinerja {config.period.code}"


def recap(config: Config, store: WorkbookStore, now: datetime, *,
          collected: Collected | None = None, issues: list[Issue] | None = None,
          refresh_quarters: bool = False, memory: Memory | None = None,
          extra_sheets: Sequence[SheetPatch] = (), force: bool = False,
          need_data: bool = True) -> RecapResult:
    """`extra_sheets` ride in the same write. The service's memory (flows/memory.py) is
    read in the recap's one read, or given (the watcher's), and written in its one write
    with every section's result renewed: a later `validate` reads only what changed.

    When nothing the recap is made from changed since its last write (`recap_state`), it is
    not written again (no backup pushed out, its time stays) and, unless `need_data` asks
    for the figures, no section is read: the listing, the recap's one read and its sharing
    check, 3 calls whatever the number of sections.
    `force` writes it all the same."""
    listing = grids = None
    if collected is None and not (force or refresh_quarters or extra_sheets):
        listing = index_files(config, store.find(config.period.code))
        grids = store.read(listing.recap, RECAP_SHEETS) if listing.recap else {}
        last = read_memory(grids.get(SHEET_MEMORY)).recapped
        state = recap_state(config, listing, now)
        if (listing.recap is not None and last is not None and state == last[0]
                and not skipped_sections(store)
                and not _edited_by_hand(listing.recap, identity_of(store))):
            data = None
            if need_data:  # the figures, from the sections read now; nothing written
                data = compose(config, gather(config, store, collected=listing, grids=grids,
                                              now=now), now)[0]
            # its sharing is made sure all the same: a run stopped between the write and
            # the sharing finishes here
            store.share(listing.recap, recap_grants(config), notify=False)
            return RecapResult(listing.recap, data, False, 0, unchanged=last[1])
    reads = gather(config, store, collected=collected or listing, issues=issues,
                   refresh_quarters=refresh_quarters, memory=memory, now=now, grids=grids)
    data, patch, lines = compose(config, reads, now, extra_sheets=extra_sheets)
    ref = reads.found.recap
    if ref is None:
        ref = store.create(recap_name(config), Tags(Role.recap, config.period.code), patch)
    else:
        store.apply(ref, patch)
    store.share(ref, recap_grants(config), notify=False)
    return RecapResult(ref, data, reads.found.recap is None, lines, reads.duplicates)


def _edited_by_hand(ref: FileRef, identity: str | None) -> bool:
    """Someone other than the service saved the recap since its last write (a sheet deleted
    or a cell typed over by hand): written again, whatever else changed."""
    return bool(ref.modified_by) and not same_person(ref.modified_by, identity)


def recap_state(config: Config, found: Collected, now: datetime) -> str | None:
    """What the recap is made from, as the listing alone shows it: every file of the period
    (but the recap) at its version, the config and program that judge them
    (`memory.fingerprint`), and which side of each SOP due time `now` is (a section that has
    not handed in turns late; a step turns "Lewat batas"). Equal states make equal recaps
    but for the time they are written. None where a version is unknown: never equal."""
    files = [*found.refs.values(), *found.unknown,
             *(r for extra in found.duplicates.values() for r in extra),
             *([found.template] if found.template else [])]
    versions = sorted((r.id, version_of(r)) for r in files)
    if any(not v for _, v in versions):
        return None
    dues = [fill_deadline(config), *(step.due for step in sop_schedule(config))]
    text = json.dumps([fingerprint(config), [due is not None and now > due for due in dues],
                       versions])
    return "r:" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


def gather(config: Config, store: WorkbookStore, *, collected: Collected | None = None,
           issues: list[Issue] | None = None, refresh_quarters: bool = False,
           memory: Memory | None = None, now: datetime | None = None,
           grids: dict[str, Grid] | None = None) -> RecapReads:
    """The recap's one gathering step: every read it needs, and nothing written (`grids`:
    the recap's own sheets, when they were read already)."""
    from sheets_sync.flows.validate import unfed_sections

    if collected is None:
        found = collect(config, store)
    else:
        found = collected
        if not found.sheets and found.refs:  # a listing only: the sections are read now
            found.sheets = read_sections(config, store, found.refs.values())
    if issues is None:
        issues = evaluate_all(config, found.sheets)
    ref = found.recap
    # the recap's one read, first: its last values, audited records and kept hand-ins
    if grids is None:
        grids = store.read(ref, RECAP_SHEETS) if ref else {}
    if ref is not None and SHEET_AUDIT_VALUES not in grids:  # made by an older version
        grids = {**grids, **store.read(ref, [SHEET_INDICATORS])}
    # this period's sections skipped so far (deleted ones too: never "not distributed");
    # taken before earlier periods are read, whose files are not this recap's sections
    skipped = skipped_sections(store)
    cached = {} if ref is None or refresh_quarters else grids
    quarters = quarters_for_recap(config, store, cached.get(QUARTER_CACHE)
                                  ) if needs_quarters(config) else None
    earlier = earlier_for_recap(config, store, cached.get(TREND_CACHE))
    return RecapReads(found, issues, identity_of(store), skipped, grids, quarters, earlier,
                      duplicate_notes(config, store, found),
                      memory if memory is not None else read_memory(grids.get(SHEET_MEMORY)),
                      unfed_sections(config, store, found, issues, now))


def compose(config: Config, reads: RecapReads, now: datetime, *,
            extra_sheets: Sequence[SheetPatch] = ()) -> tuple[Recap, WorkbookPatch, int]:
    """The recap, the one patch that writes it, and its number of new audit lines: from what
    `gather` read, without the store (`domain.recap_compose`), with the service's memory
    renewed in the same patch."""
    from sheets_sync.flows.validate import judge

    found = reads.found
    judge(config, reads.memory, found, reads.issues, unfed=reads.unfed)
    data, patch, lines = compose_recap(config, RecapInputs(
        sheets=found.sheets, listed=set(found.refs), issues=reads.issues,
        identity=reads.identity, skipped=reads.skipped, grids=reads.grids,
        new=found.recap is None, quarters=reads.quarters, earlier=reads.earlier), now)
    # what this recap is made from, remembered only when it saw every section whole: one
    # skipped, unreadable or doubled is looked at again next time
    whole = not reads.skipped and set(found.sheets) == set(found.refs) and not found.duplicates
    state = recap_state(config, found, now) if whole else None
    reads.memory.recapped = (state, now) if state else None
    patch.sheets += [*extra_sheets, memory_sheet(reads.memory)]
    return data, patch, lines
