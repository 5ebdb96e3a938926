"""Where every section stands: state, rows filled, last change, deadline, late or not."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sheets_sync.domain.calendar import fill_deadline
from sheets_sync.domain.models import Config
from sheets_sync.domain.recap import is_late
from sheets_sync.flows.collect import collect
from sheets_sync.ports import WorkbookStore

NOT_DISTRIBUTED = "Belum didistribusikan"
UNREADABLE = "Tidak dapat dibaca"  # damaged, or its worksheet renamed: reported, skipped


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


def status(config: Config, store: WorkbookStore, now: datetime) -> list[SectionStatus]:
    found = collect(config, store)
    deadline = fill_deadline(config)
    out = []
    for s in config.sections:
        sheet = found.sheets.get(s.id)
        state = ((sheet.status or config.labels.status_empty) if sheet
                 else UNREADABLE if s.id in found.refs else NOT_DISTRIBUTED)
        total = len(config.indicators_of(s.id))
        out.append(SectionStatus(
            section=s.id, name=s.name, state=state,
            filled=sheet.filled() if sheet else 0, total=total,
            modified=sheet.modified if sheet else None,
            modified_by=sheet.modified_by if sheet else None, deadline=deadline,
            late=is_late(config, state, deadline, now), url=sheet.url if sheet else "",
        ))
    return out
