"""Watching for completion cheaply: one listing call per cycle, re-reading only what changed.

A cycle lists the period's files with their modification times (Google: 1 call, whatever
the number of sections). Only workbooks whose time moved since the last cycle are read again;
where their content changed, feedback is written and the recap refreshed. A cycle where
nothing changed costs exactly that one call (the cycle after the service's own writes reads
those files once more, to be sure no section typed in between).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sheets_sync.domain.calendar import fill_deadline
from sheets_sync.domain.handin import SERVICE_RECORD_KEYS
from sheets_sync.domain.models import Config
from sheets_sync.domain.worksheet import FEEDBACK_KEY, SectionSheet
from sheets_sync.flows.collect import Collected, index_files, read_sections
from sheets_sync.flows.recap import recap
from sheets_sync.flows.validate import evaluate_all, write_feedback
from sheets_sync.ports import BackendError, WorkbookStore


@dataclass
class CycleResult:
    changed: list[str]  # sections re-read this cycle
    feedback_written: list[str]
    recap_written: bool
    errors: int
    warnings: int


@dataclass
class Watcher:
    config: Config
    store: WorkbookStore
    seen: dict[str, datetime | None] = field(default_factory=dict)  # file id -> modified
    sheets: dict[str, SectionSheet] = field(default_factory=dict)
    _deadline_passed: bool | None = None

    def cycle(self, now: datetime) -> CycleResult:
        found = index_files(self.config, self.store.changed_since(self.config.period.code, None))
        moved = [ref for section, ref in found.refs.items()
                 if section not in self.sheets or self.seen.get(ref.id) != ref.modified]
        for ref in found.refs.values():
            self.seen[ref.id] = ref.modified
        for gone in set(self.sheets) - set(found.refs):
            del self.sheets[gone]
        deadline = fill_deadline(self.config)
        passed = deadline is not None and now > deadline
        crossed = self._deadline_passed is not None and passed != self._deadline_passed
        self._deadline_passed = passed
        recap_missing = found.recap is None and bool(found.refs)
        if not moved and not crossed and not recap_missing:
            return CycleResult([], [], False, 0, 0)

        # A file whose time moved is read again even when the service wrote it last: a
        # section may have typed between our read and our write. Whether anything really
        # changed is then decided by content, so our own writes settle after one read.
        fresh = read_sections(self.config, self.store, moved)
        changed_ids = {s for s, sheet in fresh.items()
                       if s not in self.sheets or content(sheet) != content(self.sheets[s])}
        self.sheets.update(fresh)
        if not changed_ids and not crossed and not recap_missing:
            return CycleResult([], [], False, 0, 0)

        issues = evaluate_all(self.config, self.sheets)
        subset = Collected(
            refs={s: r for s, r in found.refs.items() if s in changed_ids},
            sheets={s: self.sheets[s] for s in changed_ids},
        )
        written = write_feedback(self.config, self.store, subset,
                                 [i for i in issues if i.section in changed_ids], now=now)
        full = Collected(refs=found.refs, sheets=self.sheets, recap=found.recap,
                         template=found.template)
        recap(self.config, self.store, now, collected=full, issues=issues)
        blocking = [i for i in issues if not i.confirmed]
        return CycleResult(
            changed=sorted(changed_ids), feedback_written=written, recap_written=True,
            errors=sum(i.severity.value == "error" for i in blocking),
            warnings=sum(i.severity.value == "warning" for i in blocking),
        )


def content(sheet: SectionSheet) -> tuple[Any, ...]:
    """What a section (or a review from another computer) can change, without the service's
    own feedback record: equal content means nothing to validate again."""
    records = {k: v for k, v in sheet.meta.extra.items()
               if k != FEEDBACK_KEY and k not in SERVICE_RECORD_KEYS}
    return (sheet.status, [(r.row, r.code, r.cells) for r in sheet.rows],
            json.dumps(records, sort_keys=True, default=str))


def watch(config: Config, store: WorkbookStore, *, interval: float, once: bool,
          now: Callable[[], datetime], sleep: Callable[[float], None],
          on_cycle: Callable[[CycleResult], None],
          on_error: Callable[[BackendError], None]) -> None:
    """Cycle until stopped. A failed cycle (a file open in Excel, Google unavailable after
    the retries) is reported and the next cycle tries again; with `once` it is raised."""
    watcher = Watcher(config, store)
    while True:
        try:
            on_cycle(watcher.cycle(now()))
        except BackendError as exc:
            if once:
                raise
            on_error(exc)
        if once:
            return
        sleep(interval)
