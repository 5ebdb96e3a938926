"""When each section handed in, who last edited it, and completeness and timeliness as DHIS2
reports them. Pure: times come in as arguments, in the office's local time (naive).

Two service records on the section's meta sheet (`Meta.extra`, see `domain.review`):

- `handed_in` -> {at, seen, status}: the first time the service saw the sheet handed in
  (`Selesai`, or a status the service set from it). `at` is when the section saved it: the
  time of the section's last edit when first seen, or the time it was seen if that is
  earlier. Written once and never overwritten: not when the section goes back to `Sedang
  Diisi`, not by `sync reopen` (a reopening for a revision is recorded in the Audit; the
  section's hand-in stays the first one, and on time / late is judged from it).
- `editor` -> {by, at}: the last person (not the service) who changed the workbook, kept so
  that the service's own save, which makes *it* the file's last modifier, does not hide who
  typed the values (the recap's Audit "Diubah Oleh").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sheets_sync.domain.calendar import fill_deadline
from sheets_sync.domain.models import Config, Labels
from sheets_sync.domain.worksheet import SectionSheet

HANDED_IN_KEY = "handed_in"
EDITOR_KEY = "editor"


def submitted_statuses(labels: Labels) -> set[str]:
    """Statuses that mean the section handed in."""
    return {labels.status_done, labels.status_confirm, labels.status_valid,
            labels.status_approved}


def _stamp(when: datetime) -> str:
    return when.isoformat(timespec="seconds")


def _time(value: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value)).replace(tzinfo=None)
    except (TypeError, ValueError):
        return None


def recorded_hand_in(sheet: SectionSheet) -> datetime | None:
    record = sheet.meta.extra.get(HANDED_IN_KEY)
    return _time(record.get("at")) if isinstance(record, dict) else None


def same_person(a: str | None, b: str | None) -> bool:
    return bool(a) and bool(b) and str(a).strip().casefold() == str(b).strip().casefold()


def last_editor(sheet: SectionSheet, identity: str | None) -> str | None:
    """Who last changed the workbook other than the service: the file's last modifier, or,
    when that is the service itself, the editor it recorded before its own save."""
    if sheet.modified_by and not same_person(sheet.modified_by, identity):
        return sheet.modified_by
    record = sheet.meta.extra.get(EDITOR_KEY)
    if isinstance(record, dict) and record.get("by"):
        return str(record["by"])
    return sheet.modified_by


def last_edit_time(sheet: SectionSheet, identity: str | None,
                   modified: datetime | None) -> datetime | None:
    """When the section last changed its workbook (office time): the file's modified time
    when a person saved it last, else the time recorded with the editor before our save;
    None when only the service has written it (distributed, nobody has touched it since)."""
    if sheet.modified_by and same_person(sheet.modified_by, identity):
        record = sheet.meta.extra.get(EDITOR_KEY)
        if isinstance(record, dict) and (at := _time(record.get("at"))) is not None:
            return at
        return None
    return modified


def hand_in_time(sheet: SectionSheet, labels: Labels, edited: datetime | None,
                 now: datetime) -> datetime | None:
    """The recorded hand-in, or, for a sheet handed in but not yet recorded, what would be
    recorded now; None when it has not handed in."""
    recorded = recorded_hand_in(sheet)
    if recorded is not None:
        return recorded
    if sheet.status not in submitted_statuses(labels):
        return None
    return min(edited, now) if edited is not None else now


def service_records(sheet: SectionSheet, labels: Labels, identity: str | None,
                    edited: datetime | None, now: datetime, *,
                    writing: bool) -> dict[str, Any]:
    """The records to add to the sheet's meta: a first hand-in (always worth a write), and,
    when the service writes anyway (`writing`) or records a hand-in, the last editor."""
    updates: dict[str, Any] = {}
    if recorded_hand_in(sheet) is None and sheet.status in submitted_statuses(labels):
        at = hand_in_time(sheet, labels, edited, now)
        assert at is not None
        updates[HANDED_IN_KEY] = {"at": _stamp(at), "seen": _stamp(now),
                                  "status": sheet.status}
    if (writing or updates) and sheet.modified_by and not same_person(sheet.modified_by,
                                                                      identity):
        record = {"by": sheet.modified_by, "at": _stamp(edited) if edited else None}
        if sheet.meta.extra.get(EDITOR_KEY) != record:
            updates[EDITOR_KEY] = record
    return updates


SERVICE_RECORD_KEYS = (HANDED_IN_KEY, EDITOR_KEY)


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
    """The section's own last change in the office's time (never the service's write)."""
    return last_edit_time(sheet, identity, office_time(config, sheet.modified))


def hand_in_updates(config: Config, sheet: SectionSheet, identity: str | None, now: datetime,
                    *, writing: bool) -> dict[str, object]:
    """`service_records` for a sheet as read, its edit time taken in the office's zone."""
    return service_records(sheet, config.labels, identity, edit_time(config, sheet, identity),
                           now, writing=writing)


@dataclass(frozen=True)
class Timeliness:
    """One section's hand-in as DHIS2 counts it: expected 1, handed in 0/1, on time 0/1."""

    handed_in_at: datetime | None
    on_time: bool | None  # None: not handed in
    late: bool  # handed in after the deadline, or not in and the deadline has passed
    distributed: bool = True

    @property
    def handed_in(self) -> bool:
        return self.handed_in_at is not None


def judge(handed_in_at: datetime | None, deadline: datetime | None, now: datetime,
          distributed: bool = True) -> Timeliness:
    if handed_in_at is not None:
        on_time = deadline is None or handed_in_at <= deadline
        return Timeliness(handed_in_at, on_time, not on_time, distributed)
    return Timeliness(None, None, deadline is not None and now > deadline, distributed)


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


@dataclass(frozen=True)
class Completeness:
    expected: int
    handed_in: int
    on_time: int

    @staticmethod
    def _rate(part: int, whole: int) -> float | None:
        return round(part / whole * 100, 1) if whole else None

    @property
    def completeness_rate(self) -> float | None:
        """Handed in as % of expected (DHIS2 'reporting rate')."""
        return self._rate(self.handed_in, self.expected)

    @property
    def timeliness_rate(self) -> float | None:
        """Handed in on time as % of expected (DHIS2 'reporting rate on time')."""
        return self._rate(self.on_time, self.expected)

    def as_json(self) -> dict[str, Any]:
        return {"expected": self.expected, "handed_in": self.handed_in,
                "on_time": self.on_time, "completeness_pct": self.completeness_rate,
                "timeliness_pct": self.timeliness_rate}


def completeness(items: Iterable[Timeliness]) -> Completeness:
    """Every configured section is expected, distributed or not."""
    items = list(items)
    return Completeness(expected=len(items), handed_in=sum(t.handed_in for t in items),
                        on_time=sum(bool(t.on_time) for t in items))


def timeliness_json(t: Timeliness) -> dict[str, Any]:
    """The fields every section dict of the JSON outputs carries (status and recap)."""
    return {"handed_in_at": _stamp(t.handed_in_at) if t.handed_in_at else None,
            "on_time": t.on_time, "late": t.late,
            "expected": 1, "handed_in": int(t.handed_in), "handed_in_on_time": int(bool(t.on_time))}
