"""SOP step 4: check every returned worksheet and tell each section, in its own sheet.

Google call budget: 1 listing + 1 read per section, plus 1 write per section whose feedback
changed (a re-run with nothing new writes nothing). Validation never writes a cell a section
types: the feedback patch touches only the Validasi sheet, highlights, notes, the status
(from `Selesai` on) and the hidden meta sheet.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sheets_sync.domain import feedback, rules
from sheets_sync.domain.models import Config, Issue, Severity
from sheets_sync.domain.review import with_records
from sheets_sync.domain.statuses import status_issues
from sheets_sync.domain.worksheet import SectionSheet
from sheets_sync.errors import UsageProblem
from sheets_sync.flows.collect import Collected, collect
from sheets_sync.flows.duplicates import DuplicateNote, duplicate_notes
from sheets_sync.flows.guard import left_alone
from sheets_sync.flows.status import hand_in_updates, identity_of
from sheets_sync.ports import WorkbookStore


@dataclass
class ValidationReport:
    issues: list[Issue]
    sections: list[str]  # the sections validated
    not_distributed: list[str] = field(default_factory=list)
    written: list[str] = field(default_factory=list)  # feedback written into these
    valid: list[str] = field(default_factory=list)  # handed in, nothing open (or approved)
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


def evaluate_all(config: Config, sheets: dict[str, SectionSheet]) -> list[Issue]:
    """Every section's issues; earlier periods' values come from each sheet's own meta."""
    out: list[Issue] = []
    for section in config.sections:
        if section.id in sheets:
            out.extend(status_issues(sheets[section.id], config.labels))
            out.extend(rules.evaluate(config, sheets[section.id]))
    return out


def validate(config: Config, store: WorkbookStore, *, sections: list[str] | None = None,
             dry_run: bool = False, collected: Collected | None = None,
             now: datetime | None = None) -> ValidationReport:
    if sections:
        unknown = set(sections) - {s.id for s in config.sections}
        if unknown:
            raise UsageProblem(f"bagian {', '.join(sorted(unknown))} tidak ada di konfigurasi; "
                               f"yang ada: {', '.join(s.id for s in config.sections)}.")
    found = collected or collect(config, store, sections)
    issues = evaluate_all(config, found.sheets)
    report = ValidationReport(
        issues=issues, sections=sorted(found.sheets),
        valid=valid_sections(config, found.sheets, issues),
        not_distributed=[s.id for s in config.sections
                         if s.id not in found.refs and (not sections or s.id in sections)],
    )
    report.duplicates = duplicate_notes(config, store, found)
    if not dry_run:
        report.written = write_feedback(config, store, found, issues, now=now)
    return report


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


def write_feedback(config: Config, store: WorkbookStore, found: Collected,
                   issues: list[Issue], *, now: datetime | None = None) -> list[str]:
    """Write each section's feedback where it changed; returns the sections written. With
    `now`, a first hand-in is recorded as well, and every write keeps the section's last
    editor on record (our own save would otherwise hide who typed)."""
    by_section: dict[str, list[Issue]] = {s: [] for s in found.sheets}
    for issue in issues:
        by_section.setdefault(issue.section, []).append(issue)
    identity = identity_of(store) if now is not None else None

    todo = []
    for section, sheet in found.sheets.items():
        changed = feedback.feedback_changed(config, sheet, by_section[section],
                                            sheet.feedback_grid)
        updates = (hand_in_updates(config, sheet, identity, now, writing=changed)
                   if now is not None else {})
        if changed or updates:
            todo.append((section, updates, feedback.feedback_patch(
                config, with_records(sheet, updates), by_section[section])))
    store.apply_many([(found.refs[s], patch) for s, _, patch in todo])
    skipped = left_alone(store)  # open in Excel, damaged: not written this run
    done = [(s, updates) for s, updates, _ in todo if s not in skipped]
    for section, updates in done:
        found.sheets[section].meta.extra.update(updates)  # as the sheet now reads
    return [s for s, _ in done]


