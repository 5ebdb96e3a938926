"""Watching for completion cheaply: one listing call per cycle, re-reading only what changed.

A cycle lists the period's files with their modification times (Google: 1 call, whatever
the number of sections). Only workbooks whose time moved since the last cycle are read again;
where their content changed, feedback is written and the recap refreshed. A cycle where
nothing changed costs exactly that one call (the cycle after the service's own writes reads
those files once more, to be sure no section typed in between).

Progress is recorded only once the work it stands for is done: a cycle that fails anywhere
(a read, a feedback write, the recap) leaves the watcher's memory as it was, so the next
cycle sees the same changes again. The memory (each file's time and a digest of each
section's content, as last validated) is kept in the recap's hidden `_watch` sheet, written
in the recap's own write: a new process (`sync watch --once` from a scheduler) reads it once
and reports only what really changed since.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sheets_sync.domain.calendar import fill_deadline
from sheets_sync.domain.handin import SERVICE_RECORD_KEYS
from sheets_sync.domain.meta import FEEDBACK_KEY
from sheets_sync.domain.models import Config
from sheets_sync.domain.patch import SheetPatch, WorkbookPatch
from sheets_sync.domain.validation import evaluate_all
from sheets_sync.domain.worksheet import SectionSheet
from sheets_sync.flows.collect import Collected, index_files, read_sections
from sheets_sync.flows.guard import skipped_sections
from sheets_sync.flows.memory import SHEET_MEMORY, Judged, Memory, memory_sheet, read_memory
from sheets_sync.flows.recap import recap
from sheets_sync.flows.validate import write_feedback
from sheets_sync.ports import FileRef, WorkbookStore

SHEET_WATCH = SHEET_MEMORY  # hidden sheet of the recap workbook: the service's memory


@dataclass
class CycleResult:
    changed: list[str]  # sections re-read this cycle whose content is new to the watcher
    feedback_written: list[str]
    recap_written: bool
    errors: int
    warnings: int
    # of `changed`, those the watcher had no memory of (a first cycle, a recap made by
    # plain `sync recap`): read for the first time, not necessarily changed by anybody
    first_read: list[str] = field(default_factory=list)


NOTHING = CycleResult([], [], False, 0, 0)


@dataclass
class Watcher:
    config: Config
    store: WorkbookStore
    seen: dict[str, datetime | None] = field(default_factory=dict)  # file id -> modified
    sheets: dict[str, SectionSheet] = field(default_factory=dict)
    digests: dict[str, str] = field(default_factory=dict)  # section -> content, as validated
    _deadline_passed: bool | None = None
    _loaded: bool = False
    # the sections' last results, as validate and recap keep them (flows/memory.py): kept
    # as they are when only the watcher's memory is written, renewed by each recap
    _judged: dict[str, Judged] = field(default_factory=dict)
    # what the last recap was made from (flows/recap.py): kept as it is by the watcher's own
    # writes, renewed by each recap
    _recapped: tuple[str, datetime] | None = None

    def cycle(self, now: datetime) -> CycleResult:
        found = index_files(self.config, self.store.changed_since(self.config.period.code, None))
        if not self._loaded and found.recap is not None:
            self._load(found.recap)  # a new process: what the last one had done (1 read)
        self._loaded = True
        moved = [ref for section, ref in found.refs.items()
                 if section not in self.digests or self.seen.get(ref.id) != ref.modified]
        deadline = fill_deadline(self.config)
        passed = deadline is not None and now > deadline
        crossed = self._deadline_passed is not None and passed != self._deadline_passed
        recap_missing = found.recap is None and bool(found.refs)
        if not moved and not crossed and not recap_missing:
            self._deadline_passed = passed
            return NOTHING

        # A file whose time moved is read again even when the service wrote it last: a
        # section may have typed between our read and our write. Whether anything really
        # changed is then decided by content, so our own writes settle after one read.
        fresh = read_sections(self.config, self.store, moved)
        changed_ids = {s for s, sheet in fresh.items() if digest(sheet) != self.digests.get(s)}
        seen = {ref.id: (ref.modified if ref in moved else self.seen.get(ref.id))
                for ref in found.refs.values()}
        if not changed_ids and not crossed and not recap_missing:
            # Only the service's own writes moved them: remember the new times (one small
            # write, this once) so a new process does not read them all again.
            self.sheets.update(fresh)
            self.seen = seen
            self._deadline_passed = passed
            if found.recap is not None:
                self.store.apply(found.recap,
                                 WorkbookPatch([self._memory(seen, self.digests, passed)]))
            return NOTHING

        sheets = {**self.sheets, **fresh}
        unread = [ref for s, ref in found.refs.items() if s not in sheets]
        if unread:  # a new process: the recap needs every section
            sheets.update(read_sections(self.config, self.store, unread))
        # a workbook that could not be read (damaged, half-saved) is left out, as in
        # `sync recap`: the store reported it, and the other sections carry on
        sheets = {s: sheets[s] for s in found.refs if s in sheets}
        issues = evaluate_all(self.config, sheets)
        subset = Collected(
            refs={s: r for s, r in found.refs.items() if s in changed_ids},
            sheets={s: sheets[s] for s in changed_ids},
        )
        written = write_feedback(self.config, self.store, subset,
                                 [i for i in issues if i.section in changed_ids], now=now)
        digests = {s: digest(sheet) for s, sheet in sheets.items()}
        # A workbook skipped (open in Excel, damaged) was not written: it is remembered
        # as before, so the next cycle reads and tries it again.
        for section in skipped_sections(self.store) & set(found.refs):
            ref = found.refs[section]
            seen[ref.id] = self.seen.get(ref.id)
            if section in self.digests:
                digests[section] = self.digests[section]
            else:
                digests.pop(section, None)
        full = Collected(refs=found.refs, sheets=sheets, recap=found.recap,
                         template=found.template)
        memory = Memory(seen, digests, passed, dict(self._judged), self._recapped)
        recap(self.config, self.store, now, collected=full, issues=issues, memory=memory)
        self._judged, self._recapped = memory.judged, memory.recapped  # as the recap left them
        # Everything is done: only now is it remembered.
        remembered = self.digests
        self.sheets, self.seen, self.digests = sheets, seen, digests
        self._deadline_passed = passed
        blocking = [i for i in issues if not i.confirmed]
        return CycleResult(
            changed=sorted(changed_ids), feedback_written=written, recap_written=True,
            first_read=sorted(s for s in changed_ids if s not in remembered),
            errors=sum(i.severity.value == "error" for i in blocking),
            warnings=sum(i.severity.value == "warning" for i in blocking),
        )

    def _load(self, ref: FileRef) -> None:
        memory = read_memory(self.store.read(ref, [SHEET_WATCH]).get(SHEET_WATCH))
        self.seen.update(memory.seen)
        self.digests.update(memory.digests)
        self._judged, self._recapped = memory.judged, memory.recapped
        if memory.deadline_passed is not None:
            self._deadline_passed = memory.deadline_passed

    def _memory(self, seen: dict[str, datetime | None], digests: dict[str, str],
                passed: bool) -> SheetPatch:
        return memory_sheet(Memory(seen, digests, passed, self._judged, self._recapped))


def digest(sheet: SectionSheet) -> str:
    text = json.dumps(content(sheet), default=str, sort_keys=True)
    return "h:" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


def content(sheet: SectionSheet) -> tuple[Any, ...]:
    """What a section (or a review from another computer) can change, without the service's
    own feedback record: equal content means nothing to validate again."""
    records = {k: v for k, v in sheet.meta.extra.items()
               if k != FEEDBACK_KEY and k not in SERVICE_RECORD_KEYS}
    return (sheet.status, [(r.row, r.code, r.cells) for r in sheet.rows],
            json.dumps(records, sort_keys=True, default=str))

