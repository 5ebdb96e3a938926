"""SOP step 4: check every returned worksheet and tell each section, in its own sheet.

Google call budget: 1 listing + 1 read per section, plus 1 write per section whose feedback
changed (a re-run with nothing new writes nothing). Where a recap exists, its memory
(flows/memory.py: 1 read) gives each section's last result, reused while the file's version
and the config's fingerprint are unchanged: a re-run with nothing changed costs the listing
and that read; one changed section, one read more and the memory written back (1 write).
Validation never writes a cell a section types: the feedback patch touches only the Validasi
sheet, highlights, notes, the status (from `Selesai` on) and the hidden meta sheet.

On a store that paces Sheets reads and writes in separate quota buckets (Google), the
feedback of the sections read so far is written while the next ones are read
(`read_and_write`): the same calls, the same report, in about the time of the reads alone.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sheets_sync.domain import feedback, rules
from sheets_sync.domain.errors import UsageProblem
from sheets_sync.domain.handin import hand_in_updates
from sheets_sync.domain.models import Config, Issue, Severity
from sheets_sync.domain.patch import WorkbookPatch
from sheets_sync.domain.review import with_records
from sheets_sync.domain.statuses import status_issues
from sheets_sync.domain.worksheet import SectionSheet
from sheets_sync.flows.background import BackgroundWrites
from sheets_sync.flows.collect import Collected, index_files, read_sections, wanted_refs
from sheets_sync.flows.duplicates import DuplicateNote, duplicate_notes
from sheets_sync.flows.guard import skipped_sections
from sheets_sync.flows.memory import (
    SHEET_MEMORY,
    Judged,
    Memory,
    fingerprint,
    memory_sheet,
    read_memory,
    reusable,
    version_of,
)
from sheets_sync.flows.status import identity_of
from sheets_sync.ports import BackendError, FileRef, WorkbookStore, paces_by_bucket

# Sections read at a time when reads and writes are paced apart (Google), their feedback
# sent while the next ones are read. Only the last batch's writes are not overlapped by
# reads: 20 take ~0.4 minute at the default 50 writes a minute; and 20 keep the store's
# readers (4 by default) busy.
STREAM_BATCH = 20


@dataclass
class ValidationReport:
    issues: list[Issue]
    sections: list[str]  # the sections validated
    not_distributed: list[str] = field(default_factory=list)
    written: list[str] = field(default_factory=list)  # feedback written into these
    valid: list[str] = field(default_factory=list)  # handed in, nothing open (or approved)
    untouched: list[str] = field(default_factory=list)  # nothing typed yet: "belum diisi"
    duplicates: list[DuplicateNote] = field(default_factory=list)

    def summary(self) -> dict[str, int]:
        blocking = [i for i in self.issues if not i.confirmed]
        return {
            "sections": len(self.sections),
            "valid": len(self.valid),
            "errors": sum(i.severity is Severity.error for i in blocking),
            "warnings": sum(i.severity is Severity.warning for i in blocking),
        }

    @property
    def has_errors(self) -> bool:
        return self.summary()["errors"] > 0


def section_issues(config: Config, sheet: SectionSheet) -> list[Issue]:
    """One section's issues (its sheet alone decides them); earlier periods' values come
    from the sheet's own meta."""
    return [*status_issues(sheet, config.labels), *rules.evaluate(config, sheet)]


def evaluate_all(config: Config, sheets: dict[str, SectionSheet]) -> list[Issue]:
    """Every section's issues, in the config's order of sections."""
    return [i for s in config.sections if s.id in sheets
            for i in section_issues(config, sheets[s.id])]


def validate(config: Config, store: WorkbookStore, *, sections: list[str] | None = None,
             dry_run: bool = False, collected: Collected | None = None,
             now: datetime | None = None) -> ValidationReport:
    if sections:
        unknown = set(sections) - {s.id for s in config.sections}
        if unknown:
            raise UsageProblem(f"bagian {', '.join(sorted(unknown))} tidak ada di konfigurasi; "
                               f"yang ada: {', '.join(s.id for s in config.sections)}.")
    sent: list[PlannedFeedback] | None = None  # feedback already sent while reading
    memory: Memory | None = None
    reused: dict[str, Judged] = {}  # sections not read: their last result still holds
    if collected is not None:
        found = collected
        issues = evaluate_all(config, found.sheets)
    else:
        found = index_files(config, store.find(config.period.code))
        memory, reused = recall(config, store, found, sections)
        refs = [r for r in wanted_refs(found, sections) if r.tags.section not in reused]
        if not dry_run and paces_by_bucket(store):
            issues, sent = read_and_write(config, store, found, refs, now=now)
        else:
            found.sheets = read_sections(config, store, refs)
            issues = evaluate_all(config, found.sheets)
    if reused:
        issues = _merged(config, issues, reused)
    report = ValidationReport(
        issues=issues, sections=sorted({*found.sheets, *reused}),
        valid=sorted([*valid_sections(config, found.sheets, issues),
                      *(s for s, j in reused.items() if j.valid)]),
        untouched=sorted([*(s for s, sheet in found.sheets.items()
                            if feedback.untouched(config, sheet)),
                          *(s for s, j in reused.items() if j.untouched)]),
        not_distributed=[s.id for s in config.sections  # a deleted one is named as such
                         if s.id not in found.refs and s.id not in skipped_sections(store)
                         and (not sections or s.id in sections)],
    )
    report.duplicates = duplicate_notes(config, store, found)
    if sent is not None:
        report.written = record_written(store, found, sent)
    elif not dry_run:
        report.written = write_feedback(config, store, found, issues, now=now)
    if memory is not None and found.recap is not None and found.sheets and not dry_run:
        # what was read is remembered, in one write into the recap (a section left alone,
        # its feedback not written, is read again next time)
        judge(config, memory, found, issues, unfed=skipped_sections(store))
        store.apply(found.recap, WorkbookPatch([memory_sheet(memory)]))
    return report


def _merged(config: Config, issues: list[Issue], reused: dict[str, Judged]) -> list[Issue]:
    """The issues of the sections read and of those reused, in the config's order."""
    by_section: dict[str, list[Issue]] = {}
    for issue in issues:
        by_section.setdefault(issue.section, []).append(issue)
    return [i for s in config.sections
            for i in (reused[s.id].issues if s.id in reused else by_section.get(s.id, []))]


def recall(config: Config, store: WorkbookStore, found: Collected,
           sections: Iterable[str] | None) -> tuple[Memory | None, dict[str, Judged]]:
    """The service's memory, read from the recap (1 call; none without a recap), and the
    wanted sections whose last result still holds. A memory that cannot be read is as none:
    every section is read."""
    if found.recap is None:
        return None, {}
    try:
        grid = store.read(found.recap, [SHEET_MEMORY]).get(SHEET_MEMORY)
    except BackendError:
        return None, {}
    memory = read_memory(grid)
    fp = fingerprint(config)
    reused = {}
    for ref in wanted_refs(found, sections):
        section = ref.tags.section or ""
        if section in found.duplicates:
            continue  # compared with its twin: read
        judged = reusable(memory, ref, fp)
        if judged is not None:
            reused[section] = judged
    return memory, reused


def judge(config: Config, memory: Memory, found: Collected, issues: list[Issue], *,
          unfed: Iterable[str] = ()) -> None:
    """The result of every section read (`found.sheets`) kept in `memory`, at the version
    the listing gave before the read; `unfed`: sections whose feedback is not in their
    workbook (not written, or left alone), so that validate reads them again."""
    fp = fingerprint(config)
    unfed = set(unfed)
    by_section: dict[str, list[Issue]] = {s: [] for s in found.sheets}
    for issue in issues:
        if issue.section in by_section:
            by_section[issue.section].append(issue)
    for section, sheet in found.sheets.items():
        ref: FileRef | None = found.refs.get(section)
        if ref is None or not version_of(ref):
            memory.judged.pop(section, None)
            continue
        mine = by_section[section]
        target = feedback.target_status(config, sheet, mine)
        valid = target == config.labels.status_valid or (
            target is None and sheet.status == config.labels.status_approved)
        memory.judged[section] = Judged(
            version_of(ref), fp, mine, valid, feedback.untouched(config, sheet),
            fed=section not in unfed)
    known = {s.id for s in config.sections}
    memory.judged = {s: j for s, j in memory.judged.items() if s in known}


def unfed_sections(config: Config, store: WorkbookStore, found: Collected,
                   issues: list[Issue], now: datetime | None) -> set[str]:
    """The sections whose feedback `validate` would write now (not in their workbook)."""
    by_section: dict[str, list[Issue]] = {s: [] for s in found.sheets}
    for issue in issues:
        if issue.section in by_section:
            by_section[issue.section].append(issue)
    identity = identity_of(store) if now is not None else None
    return {p.section for p in plan_feedback(config, found.sheets, by_section, identity, now)}


def read_and_write(config: Config, store: WorkbookStore, found: Collected,
                   refs: list[FileRef], *, now: datetime | None = None
                   ) -> tuple[list[Issue], list[PlannedFeedback]]:
    """Reading `refs`, `evaluate_all` and sending the feedback, overlapped: sections are read
    `STREAM_BATCH` at a time and each batch's feedback is sent by a thread of its own while
    the next batch is read, so Sheets reads and writes spend their separate quotas at once.
    The same calls as one after the other (a section's issues depend on its sheet alone).
    Fills `found.sheets`; returns every issue (in the config's order) and the feedback sent."""
    identity = identity_of(store) if now is not None else None
    by_section: dict[str, list[Issue]] = {}
    sent: list[PlannedFeedback] = []
    with BackgroundWrites(store) as writes:
        for start in range(0, len(refs), STREAM_BATCH):
            sheets = read_sections(config, store, refs[start:start + STREAM_BATCH])
            found.sheets.update(sheets)
            for section, sheet in sheets.items():
                by_section[section] = section_issues(config, sheet)
            batch = plan_feedback(config, sheets, by_section, identity, now)
            writes.send([(found.refs[p.section], p.patch) for p in batch])
            sent += batch
    issues = [i for s in config.sections for i in by_section.get(s.id, [])]
    return issues, sent


def valid_sections(config: Config, sheets: dict[str, SectionSheet],
                   issues: list[Issue]) -> list[str]:
    """Sections whose sheet is (or now becomes) Valid, or was approved."""
    labels = config.labels
    out = []
    for section, sheet in sorted(sheets.items()):
        mine = [i for i in issues if i.section == section]
        target = feedback.target_status(config, sheet, mine)
        if target == labels.status_valid or (target is None
                                             and sheet.status == labels.status_approved):
            out.append(section)
    return out


@dataclass
class PlannedFeedback:
    section: str
    updates: dict[str, object]  # the hand-in records written with it
    patch: WorkbookPatch
    status: str | None = None  # the status it sets (None: the section's own stays)


def plan_feedback(config: Config, sheets: dict[str, SectionSheet],
                  by_section: dict[str, list[Issue]], identity: str | None,
                  now: datetime | None) -> list[PlannedFeedback]:
    """The feedback of each of `sheets` whose feedback changed (or, with `now`, whose first
    hand-in is to be recorded), in the order of `sheets`."""
    out = []
    for section, sheet in sheets.items():
        mine = by_section.get(section, [])
        if leave_untouched(config, sheet, mine):
            continue
        changed = feedback.feedback_changed(config, sheet, mine, sheet.feedback_grid)
        updates = (hand_in_updates(config, sheet, identity, now, writing=changed)
                   if now is not None else {})
        if changed or updates:
            out.append(PlannedFeedback(section, updates, feedback.feedback_patch(
                config, with_records(sheet, updates), mine),
                feedback.target_status(config, sheet, mine)))
    return out


def leave_untouched(config: Config, sheet: SectionSheet, issues: list[Issue]) -> bool:
    """A workbook nobody has worked on is not written (its bytes and modified time stay, so
    its "last change" stays the section's): nothing typed, no finding above info, and no
    earlier feedback of ours to take back."""
    return (feedback.untouched(config, sheet)
            and all(i.severity is Severity.info for i in issues)
            and not isinstance(sheet.meta.extra.get(feedback.FEEDBACK_KEY), dict))


def record_written(store: WorkbookStore, found: Collected,
                   sent: list[PlannedFeedback]) -> list[str]:
    """The sections whose feedback was written (not skipped: open in Excel, damaged),
    their records and status kept as the sheets now read (the watcher then does not take
    the service's own status for a section's change)."""
    skipped = skipped_sections(store)
    done = [p for p in sent if p.section not in skipped]
    for p in done:
        sheet = found.sheets[p.section]
        sheet.meta.extra.update(p.updates)
        if p.status is not None:
            sheet.status = p.status
    return [p.section for p in done]


def write_feedback(config: Config, store: WorkbookStore, found: Collected,
                   issues: list[Issue], *, now: datetime | None = None) -> list[str]:
    """Write each section's feedback where it changed; returns the sections written. With
    `now`, a first hand-in is recorded as well, and every write keeps the section's last
    editor on record (our own save would otherwise hide who typed)."""
    by_section: dict[str, list[Issue]] = {s: [] for s in found.sheets}
    for issue in issues:
        by_section.setdefault(issue.section, []).append(issue)
    identity = identity_of(store) if now is not None else None
    todo = plan_feedback(config, found.sheets, by_section, identity, now)
    store.apply_many([(found.refs[p.section], p.patch) for p in todo])
    return record_written(store, found, todo)
