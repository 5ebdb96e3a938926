"""Watching for completion cheaply: one listing call per cycle, re-reading only what changed.

A cycle lists the period's files with their modification times (Google: 1 call, whatever
the number of sections). Only section workbooks changed since the last cycle, and not last
changed by the service itself (its own feedback writes), are read again; their feedback is
written and the recap refreshed. A cycle where nothing changed costs exactly that one call.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sheets_sync.domain.calendar import fill_deadline
from sheets_sync.domain.models import Config
from sheets_sync.domain.worksheet import SectionSheet
from sheets_sync.flows.collect import Collected, index_files, read_sections
from sheets_sync.flows.recap import recap
from sheets_sync.flows.validate import evaluate_all, write_feedback
from sheets_sync.ports import WorkbookStore


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
        identity = self.store.identity
        changed = []
        for section, ref in found.refs.items():
            first_time = section not in self.sheets
            moved = self.seen.get(ref.id) != ref.modified
            self.seen[ref.id] = ref.modified
            if first_time or (moved and ref.modified_by != identity):
                changed.append(ref)
        for gone in set(self.sheets) - set(found.refs):
            del self.sheets[gone]
        deadline = fill_deadline(self.config)
        passed = deadline is not None and now > deadline
        crossed = self._deadline_passed is not None and passed != self._deadline_passed
        self._deadline_passed = passed
        if not changed and not crossed and not (found.recap is None and self.sheets):
            return CycleResult([], [], False, 0, 0)

        self.sheets.update(read_sections(self.config, self.store, changed))
        issues = evaluate_all(self.config, self.sheets)
        changed_ids = {r.tags.section for r in changed}
        subset = Collected(
            refs={s: r for s, r in found.refs.items() if s in changed_ids},
            sheets={s: self.sheets[s] for s in changed_ids if s in self.sheets},
        )
        written = write_feedback(self.config, self.store, subset,
                                 [i for i in issues if i.section in changed_ids])
        full = Collected(refs=found.refs, sheets=self.sheets, recap=found.recap,
                         template=found.template)
        recap(self.config, self.store, now, collected=full, issues=issues)
        blocking = [i for i in issues if not i.confirmed]
        return CycleResult(
            changed=sorted(s for s in changed_ids if s), feedback_written=written,
            recap_written=True,
            errors=sum(i.severity.value == "error" for i in blocking),
            warnings=sum(i.severity.value == "warning" for i in blocking),
        )


def watch(config: Config, store: WorkbookStore, *, interval: float, once: bool,
          now: Callable[[], datetime], sleep: Callable[[float], None],
          on_cycle: Callable[[CycleResult], None]) -> None:
    watcher = Watcher(config, store)
    while True:
        on_cycle(watcher.cycle(now()))
        if once:
            return
        sleep(interval)
