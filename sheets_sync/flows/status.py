"""Where every section stands: state, rows filled, last change, deadline, hand-in, late or not;
and completeness and timeliness as DHIS2 reports them.

`sync status` only reads: it judges each section from its hand-in record, or, for a hand-in
not recorded yet, from what it sees now (the record itself is written by the commands that
write anyway: validate, approve and the watcher in the section's meta, the recap in its own
workbook, flows/handins.py). The helpers here are shared by those commands.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sheets_sync.domain import glossary
from sheets_sync.domain.calendar import fill_deadline
from sheets_sync.domain.handin import (
    Completeness,
    Timeliness,
    completeness,
    hand_in_time,
    judge,
    last_edit_time,
    last_editor,
    same_person,
    service_records,
)
from sheets_sync.domain.models import Config
from sheets_sync.domain.worksheet import SectionSheet
from sheets_sync.flows.collect import collect
from sheets_sync.flows.duplicates import DuplicateNote, duplicate_notes
from sheets_sync.flows.guard import skipped_sections
from sheets_sync.ports import WorkbookStore

NOT_DISTRIBUTED = glossary.NOT_DISTRIBUTED
UNREADABLE = glossary.UNREADABLE


@dataclass
class SectionStatus:
    section: str
    name: str
    state: str
    filled: int
    total: int
    modified: datetime | None
    modified_by: str | None
    deadline: datetime | None
    late: bool
    url: str
    handed_in_at: datetime | None = None
    on_time: bool | None = None


@dataclass
class StatusReport:
    rows: list[SectionStatus]
    completeness: Completeness
    timeliness: dict[str, Timeliness] = field(default_factory=dict)
    duplicates: list[DuplicateNote] = field(default_factory=list)


def identity_of(store: WorkbookStore) -> str | None:
    """Who the service writes as (the port declares it): its own edits are not a section's."""
    return store.identity


def office_time(config: Config, when: datetime | None) -> datetime | None:
    """A time as the backends report it (naive, this computer's zone) in the office's zone."""
    if when is None:
        return None
    return when.astimezone(config.office.tzinfo).replace(tzinfo=None)


def section_editor(sheet: SectionSheet, identity: str | None) -> str | None:
    """Who last changed the workbook other than the service; None when nobody has."""
    who = last_editor(sheet, identity)
    return None if who and same_person(who, identity) else who


def edit_time(config: Config, sheet: SectionSheet, identity: str | None) -> datetime | None:
    return last_edit_time(sheet, identity, office_time(config, sheet.modified))


def timeliness_of(config: Config, sheets: dict[str, SectionSheet], identity: str | None,
                  now: datetime) -> dict[str, Timeliness]:
    """Every configured section's hand-in, judged against the fill deadline."""
    deadline = fill_deadline(config)
    out = {}
    for s in config.sections:
        sheet = sheets.get(s.id)
        if sheet is None:
            out[s.id] = judge(None, deadline, now, distributed=False)
            continue
        at = hand_in_time(sheet, config.labels, edit_time(config, sheet, identity), now)
        out[s.id] = judge(at, deadline, now)
    return out


def hand_in_updates(config: Config, sheet: SectionSheet, identity: str | None, now: datetime,
                    *, writing: bool) -> dict[str, object]:
    return service_records(sheet, config.labels, identity, edit_time(config, sheet, identity),
                           now, writing=writing)


def status_report(config: Config, store: WorkbookStore, now: datetime) -> StatusReport:
    from sheets_sync.flows.handins import adopt_from_recap  # it builds on this module

    found = collect(config, store)
    adopt_from_recap(config, store, found)  # hand-ins the recap recorded (one read)
    gone = skipped_sections(store) - set(found.refs)  # deleted workbooks, named by the guard
    deadline = fill_deadline(config)
    identity = identity_of(store)
    timeliness = timeliness_of(config, found.sheets, identity, now)
    out = []
    for s in config.sections:
        sheet = found.sheets.get(s.id)
        state = ((sheet.status or config.labels.status_empty) if sheet
                 else UNREADABLE if s.id in found.refs
                 else glossary.MISSING if s.id in gone else NOT_DISTRIBUTED)
        t = timeliness[s.id]
        out.append(SectionStatus(
            section=s.id, name=s.name, state=state,
            filled=sheet.filled({i.code for i in config.indicators_of(s.id)}) if sheet else 0,
            total=len(config.indicators_of(s.id)),
            # the section's own last change, never the service's write (feedback, distribute)
            modified=edit_time(config, sheet, identity) if sheet else None,
            modified_by=section_editor(sheet, identity) if sheet else None, deadline=deadline,
            late=t.late, url=sheet.url if sheet else "",
            handed_in_at=t.handed_in_at, on_time=t.on_time,
        ))
    return StatusReport(out, completeness(timeliness.values()), timeliness,
                        duplicate_notes(config, store, found))


def status(config: Config, store: WorkbookStore, now: datetime) -> list[SectionStatus]:
    return status_report(config, store, now).rows
