"""Where every section stands (`sync status`), from what was read: state, rows filled, the
section's own last change and editor, deadline, hand-in, late or not. Pure: the sheets, the
files found and the times come in as arguments (flows/status.py reads them)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sheets_sync.domain import glossary
from sheets_sync.domain.calendar import fill_deadline
from sheets_sync.domain.handin import Timeliness, edit_time, section_editor
from sheets_sync.domain.models import Config
from sheets_sync.domain.worksheet import SectionSheet


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


def section_statuses(config: Config, sheets: dict[str, SectionSheet], found: Collection[str],
                     gone: Collection[str], timeliness: dict[str, Timeliness],
                     identity: str | None) -> list[SectionStatus]:
    """One row per configured section. `found`: the sections with a workbook (read or not);
    `gone`: those whose workbook was deleted; `timeliness`: `handin.timeliness_of`."""
    deadline = fill_deadline(config)
    out = []
    for s in config.sections:
        sheet = sheets.get(s.id)
        state = ((sheet.status or config.labels.status_empty) if sheet
                 else glossary.UNREADABLE if s.id in found
                 else glossary.MISSING if s.id in gone else glossary.NOT_DISTRIBUTED)
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
    return out
