"""Where every section stands: state, rows filled, last change, deadline, hand-in, late or not;
and completeness and timeliness as DHIS2 reports them.

Read, compute, write (with nothing to write): `gather` reads the period's workbooks, the
hand-ins the recap recorded and any duplicate workbooks; `domain.section_status` and
`domain.handin` judge them without the store. `sync status` only reads: it judges each
section from its hand-in record, or, for a hand-in not recorded yet, from what it sees now
(the record itself is written by the commands that write anyway: validate, approve and the
watcher in the section's meta, the recap in its own workbook, domain/handin_records.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sheets_sync.domain.handin import Completeness, Timeliness, completeness, timeliness_of
from sheets_sync.domain.models import Config
from sheets_sync.domain.section_status import SectionStatus, section_statuses
from sheets_sync.flows.collect import Collected, collect
from sheets_sync.flows.duplicates import DuplicateNote, duplicate_notes
from sheets_sync.flows.guard import skipped_sections
from sheets_sync.ports import WorkbookStore


@dataclass
class StatusReport:
    rows: list[SectionStatus]
    completeness: Completeness
    timeliness: dict[str, Timeliness] = field(default_factory=dict)
    duplicates: list[DuplicateNote] = field(default_factory=list)


def identity_of(store: WorkbookStore) -> str | None:
    """Who the service writes as (the port declares it): its own edits are not a section's."""
    return store.identity


@dataclass
class StatusReads:
    """Everything `sync status` is made from, read in one gathering step."""

    found: Collected  # the period's files and every section workbook, read
    gone: set[str]  # sections whose workbook was deleted (named by the guard)
    identity: str | None
    duplicates: list[DuplicateNote]


def gather(config: Config, store: WorkbookStore) -> StatusReads:
    """The listing, one read per section workbook, the recap's hand-in records (one read,
    where it has any to give) and the duplicates: every read, nothing written."""
    from sheets_sync.flows.handins import adopt_from_recap  # it builds on this module

    found = collect(config, store)
    adopt_from_recap(config, store, found)  # hand-ins the recap recorded (one read)
    gone = skipped_sections(store) - set(found.refs)  # deleted workbooks, named by the guard
    return StatusReads(found, gone, identity_of(store), duplicate_notes(config, store, found))


def status_report(config: Config, store: WorkbookStore, now: datetime) -> StatusReport:
    reads = gather(config, store)
    found = reads.found
    timeliness = timeliness_of(config, found.sheets, reads.identity, now)
    rows = section_statuses(config, found.sheets, found.refs, reads.gone, timeliness,
                            reads.identity)
    return StatusReport(rows, completeness(timeliness.values()), timeliness, reads.duplicates)


def status(config: Config, store: WorkbookStore, now: datetime) -> list[SectionStatus]:
    return status_report(config, store, now).rows
