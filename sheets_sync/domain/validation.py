"""A validate run's judgement, without the store: each section's issues, which sections are
valid, untouched or not distributed, and the feedback to write into each workbook whose
feedback changed. flows/validate.py reads what this needs and writes what it returns."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from sheets_sync.domain import feedback, rules
from sheets_sync.domain.handin import hand_in_updates
from sheets_sync.domain.models import Config, Issue, Severity
from sheets_sync.domain.patch import WorkbookPatch
from sheets_sync.domain.review import with_records
from sheets_sync.domain.statuses import status_issues
from sheets_sync.domain.worksheet import SectionSheet


class Earlier(Protocol):
    """A section's last result, reused instead of reading its unchanged workbook (the
    service's memory keeps it: flows/memory.Judged)."""

    @property
    def issues(self) -> list[Issue]: ...
    @property
    def valid(self) -> bool: ...
    @property
    def untouched(self) -> bool: ...


def section_issues(config: Config, sheet: SectionSheet) -> list[Issue]:
    """One section's issues (its sheet alone decides them); earlier periods' values come
    from the sheet's own meta."""
    return [*status_issues(sheet, config.labels), *rules.evaluate(config, sheet)]


def evaluate_all(config: Config, sheets: dict[str, SectionSheet]) -> list[Issue]:
    """Every section's issues, in the config's order of sections."""
    return [i for s in config.sections if s.id in sheets
            for i in section_issues(config, sheets[s.id])]


def by_section(sections: Iterable[str], issues: Iterable[Issue]) -> dict[str, list[Issue]]:
    """The issues of each of `sections` (every one of them a key), in the order given."""
    out: dict[str, list[Issue]] = {s: [] for s in sections}
    for issue in issues:
        out.setdefault(issue.section, []).append(issue)
    return out


def merged(config: Config, issues: list[Issue], reused: Mapping[str, Earlier]) -> list[Issue]:
    """The issues of the sections read and of those reused, in the config's order."""
    mine = by_section((), issues)
    return [i for s in config.sections
            for i in (reused[s.id].issues if s.id in reused else mine.get(s.id, []))]


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
class Judgement:
    """What a validate run found, for its report."""

    issues: list[Issue]  # of the sections read and of those reused, in the config's order
    sections: list[str]  # the sections validated
    valid: list[str]  # handed in, nothing open (or approved)
    untouched: list[str]  # nothing typed yet: "belum diisi"
    not_distributed: list[str]


def judgement(config: Config, sheets: dict[str, SectionSheet], issues: list[Issue],
              reused: Mapping[str, Earlier], *, distributed: Collection[str],
              skipped: Collection[str], wanted: Collection[str] | None) -> Judgement:
    """`issues`: of `sheets` (the sections read); `reused`: the sections not read, whose
    last result still holds; `distributed`: the sections with a workbook; `skipped`: those
    whose workbook the command left alone (a deleted one is named as such, not as "not
    distributed"); `wanted`: the sections asked for (None or empty: all)."""
    if reused:
        issues = merged(config, issues, reused)
    return Judgement(
        issues=issues, sections=sorted({*sheets, *reused}),
        valid=sorted([*valid_sections(config, sheets, issues),
                      *(s for s, j in reused.items() if j.valid)]),
        untouched=sorted([*(s for s, sheet in sheets.items()
                            if feedback.untouched(config, sheet)),
                          *(s for s, j in reused.items() if j.untouched)]),
        not_distributed=[s.id for s in config.sections
                         if s.id not in distributed and s.id not in skipped
                         and (not wanted or s.id in wanted)],
    )


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
