"""SOP step 4: check every returned worksheet and tell each section, in its own sheet.

Read, compute, write: `gather` reads the listing, the service's memory and every section
that changed (and any duplicate workbooks), writing nothing; `domain.validation` judges them
and plans the feedback without the store; `send_feedback` writes the feedback that changed,
and the memory is written back in one write into the recap. On a store that paces Sheets
reads and writes in separate quota buckets (Google), the three steps run per batch of
sections instead, the feedback of the sections read so far written while the next ones are
read (`read_and_write`): the same calls, the same report, in about the time of the reads alone.

Google call budget: 1 listing + 1 read per section, plus 1 write per section whose feedback
changed (a re-run with nothing new writes nothing). Where a recap exists, its memory
(flows/memory.py: 1 read) gives each section's last result, reused while the file's version
and the config's fingerprint are unchanged: a re-run with nothing changed costs the listing
and that read; one changed section, one read more and the memory written back (1 write).
Validation never writes a cell a section types: the feedback patch touches only the Validasi
sheet, highlights, notes, the status (from `Selesai` on) and the hidden meta sheet.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sheets_sync.domain import feedback
from sheets_sync.domain.errors import UsageProblem
from sheets_sync.domain.models import Config, Issue, Severity
from sheets_sync.domain.patch import WorkbookPatch
from sheets_sync.domain.validation import (
    Judgement,
    PlannedFeedback,
    by_section,
    evaluate_all,
    judgement,
    plan_feedback,
    section_issues,
)
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


@dataclass
class ValidateReads:
    """Everything a validate run is made from, read in one gathering step."""

    found: Collected  # the period's files; `sheets`: the sections read
    memory: Memory | None  # the service's memory (None: no recap, or not readable)
    reused: dict[str, Judged]  # sections not read: their last result still holds
    to_read: list[FileRef]  # the wanted workbooks not reused
    skipped: set[str] = field(default_factory=set)  # sections skipped while reading
    duplicates: list[DuplicateNote] = field(default_factory=list)


def validate(config: Config, store: WorkbookStore, *, sections: list[str] | None = None,
             dry_run: bool = False, collected: Collected | None = None,
             now: datetime | None = None) -> ValidationReport:
    if sections:
        unknown = set(sections) - {s.id for s in config.sections}
        if unknown:
            raise UsageProblem(f"bagian {', '.join(sorted(unknown))} tidak ada di konfigurasi; "
                               f"yang ada: {', '.join(s.id for s in config.sections)}.")
    if collected is None and not dry_run and paces_by_bucket(store):
        return _streamed(config, store, sections, now)
    # read
    reads = gather(config, store, sections=sections, collected=collected)
    # compute
    found = reads.found
    judged = _judgement(config, reads, evaluate_all(config, found.sheets), sections)
    todo: list[PlannedFeedback] = []
    if not dry_run:
        identity = identity_of(store) if now is not None else None
        todo = plan_feedback(config, found.sheets, by_section(found.sheets, judged.issues),
                             identity, now)
    # write
    report = _report(judged, reads.duplicates)
    if not dry_run:
        report.written = send_feedback(store, found, todo)
        remember(config, store, reads, judged.issues)
    return report


def gather(config: Config, store: WorkbookStore, *, sections: Iterable[str] | None = None,
           collected: Collected | None = None) -> ValidateReads:
    """Every read a validate run needs, nothing written: the listing (1 call), the memory
    (1 call where a recap exists), the sections not reused (1 each), duplicates (1 each).
    With `collected` (already read), nothing more is read but the duplicates."""
    if collected is not None:
        reads = ValidateReads(collected, None, {}, [])
    else:
        reads = gather_index(config, store, sections)
        reads.found.sheets = read_sections(config, store, reads.to_read)
    reads.skipped = skipped_sections(store)
    reads.duplicates = duplicate_notes(config, store, reads.found)
    return reads


def gather_index(config: Config, store: WorkbookStore,
                 sections: Iterable[str] | None) -> ValidateReads:
    """The listing and the memory: which workbooks are to be read (none read yet)."""
    found = index_files(config, store.find(config.period.code))
    memory, reused = recall(config, store, found, sections)
    to_read = [r for r in wanted_refs(found, sections) if r.tags.section not in reused]
    return ValidateReads(found, memory, reused, to_read)


def _streamed(config: Config, store: WorkbookStore, sections: list[str] | None,
              now: datetime | None) -> ValidationReport:
    """`validate` on a store whose reads and writes are paced apart: read, compute and write
    per batch of sections (`read_and_write`), then the duplicates, then the memory."""
    reads = gather_index(config, store, sections)
    issues, sent = read_and_write(config, store, reads.found, reads.to_read, now=now)
    reads.skipped = skipped_sections(store)
    judged = _judgement(config, reads, issues, sections)
    reads.duplicates = duplicate_notes(config, store, reads.found)
    report = _report(judged, reads.duplicates)
    report.written = record_written(store, reads.found, sent)
    remember(config, store, reads, judged.issues)
    return report


def _judgement(config: Config, reads: ValidateReads, issues: list[Issue],
               sections: list[str] | None) -> Judgement:
    return judgement(config, reads.found.sheets, issues, reads.reused,
                     distributed=reads.found.refs, skipped=reads.skipped, wanted=sections)


def _report(judged: Judgement, duplicates: list[DuplicateNote]) -> ValidationReport:
    return ValidationReport(judged.issues, judged.sections, judged.not_distributed,
                            valid=judged.valid, untouched=judged.untouched,
                            duplicates=duplicates)


def remember(config: Config, store: WorkbookStore, reads: ValidateReads,
             issues: list[Issue]) -> None:
    """What was read is remembered, in one write into the recap (a section left alone, its
    feedback not written, is read again next time)."""
    found = reads.found
    if reads.memory is not None and found.recap is not None and found.sheets:
        judge(config, reads.memory, found, issues, unfed=skipped_sections(store))
        store.apply(found.recap, WorkbookPatch([memory_sheet(reads.memory)]))


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
    identity = identity_of(store) if now is not None else None
    return {p.section for p in plan_feedback(config, found.sheets,
                                             by_section(found.sheets, issues), identity, now)}


def read_and_write(config: Config, store: WorkbookStore, found: Collected,
                   refs: list[FileRef], *, now: datetime | None = None
                   ) -> tuple[list[Issue], list[PlannedFeedback]]:
    """Reading `refs`, `evaluate_all` and sending the feedback, overlapped: sections are read
    `STREAM_BATCH` at a time and each batch's feedback is sent by a thread of its own while
    the next batch is read, so Sheets reads and writes spend their separate quotas at once.
    The same calls as one after the other (a section's issues depend on its sheet alone).
    Fills `found.sheets`; returns every issue (in the config's order) and the feedback sent."""
    identity = identity_of(store) if now is not None else None
    issues_of: dict[str, list[Issue]] = {}
    sent: list[PlannedFeedback] = []
    with BackgroundWrites(store) as writes:
        for start in range(0, len(refs), STREAM_BATCH):
            sheets = read_sections(config, store, refs[start:start + STREAM_BATCH])
            found.sheets.update(sheets)
            for section, sheet in sheets.items():
                issues_of[section] = section_issues(config, sheet)
            batch = plan_feedback(config, sheets, issues_of, identity, now)
            writes.send([(found.refs[p.section], p.patch) for p in batch])
            sent += batch
    issues = [i for s in config.sections for i in issues_of.get(s.id, [])]
    return issues, sent


def send_feedback(store: WorkbookStore, found: Collected,
                  todo: list[PlannedFeedback]) -> list[str]:
    """The planned feedback written (one batch); returns the sections written."""
    store.apply_many([(found.refs[p.section], p.patch) for p in todo])
    return record_written(store, found, todo)


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
    """Plan and write each section's feedback where it changed (the watcher's write);
    returns the sections written. With `now`, a first hand-in is recorded as well, and every
    write keeps the section's last editor on record (our own save would otherwise hide who
    typed)."""
    identity = identity_of(store) if now is not None else None
    todo = plan_feedback(config, found.sheets, by_section(found.sheets, issues), identity, now)
    return send_feedback(store, found, todo)
