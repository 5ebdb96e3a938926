"""Which reminders are due now: the SOP's clock in working days and office hours.

Pure: given the config, the time and where each section stands, it names the reminders that
may go out now. Whether one was already sent is the sent-log's business (sheets_sync.notify);
each reminder has a stable `key` for that. Nothing is due outside office hours, on a Sunday or
on a holiday (national, cuti bersama, or the office's own): the next cycle in office hours
sends it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sheets_sync.domain.calendar import WorkingCalendar, format_datetime_id, sop_schedule
from sheets_sync.domain.models import Config
from sheets_sync.settings.notify import ReminderKind

AUDIENCE_SECTION = "bagian"
AUDIENCE_PEP = "pep"
AUDIENCE_LEADERSHIP = "pimpinan"


@dataclass(frozen=True)
class SectionState:
    """What the reminders need to know of one distributed section."""

    section: str
    status: str | None
    url: str
    open_issues: tuple[str, ...] = ()  # "G7 (KEU-01): message", issues not confirmed
    issue_keys: tuple[str, ...] = ()  # stable issue identities, for the reminder's key


@dataclass(frozen=True)
class Reminder:
    key: str  # unique per period: the sent-log records it, so it goes out once
    kind: ReminderKind
    audience: str  # bagian | pep | pimpinan
    recipients: tuple[str, ...]  # e-mail addresses
    section: str | None = None
    link: str = ""
    facts: dict[str, str] = field(default_factory=dict)  # template placeholders
    items: tuple[str, ...] = ()  # a list the message shows (open issues, sections)


def may_send(config: Config, now: datetime) -> bool:
    """Office hours on a working day; never on a Sunday, whatever the overrides say."""
    sop = config.sop
    return (now.weekday() != 6 and WorkingCalendar(sop).is_working_day(now.date())
            and sop.office_opens <= now.time() < sop.office_closes)


def next_send_time(config: Config, now: datetime) -> datetime:
    """The first moment from `now` on when reminders may go: `now` itself in office hours,
    else the next opening of the office on a working day (never a Sunday)."""
    if may_send(config, now):
        return now
    sop, cal = config.sop, WorkingCalendar(config.sop)
    day = now.date()
    if not (now.time() < sop.office_opens and cal.is_working_day(day) and day.weekday() != 6):
        day = cal.next_working_day(day)
    while day.weekday() == 6:
        day = cal.next_working_day(day)
    return datetime.combine(day, sop.office_opens, tzinfo=now.tzinfo)


def previous_working_day(cal: WorkingCalendar, day: date) -> date:
    day -= timedelta(days=1)
    while not cal.is_working_day(day):
        day -= timedelta(days=1)
    return day


def due_reminders(config: Config, now: datetime, sections: dict[str, SectionState],
                  recap_url: str | None, *, preview: bool = False) -> list[Reminder]:
    """Every reminder whose moment has come (sent or not), if `now` is in office hours.
    `preview`: also those no channel is set up for yet (`sync remind --dry-run` before
    sending is turned on)."""
    notify = config.notify
    if not notify.enabled or not may_send(config, now):
        return []
    labels = config.labels
    cal = WorkingCalendar(config.sop)
    opens = config.sop.office_opens
    schedule = sop_schedule(config)
    fill, check = schedule[2].due, schedule[3].due
    handed_in = {labels.status_done, labels.status_confirm, labels.status_valid,
                 labels.status_approved}
    finished = {labels.status_valid, labels.status_approved}
    period = config.period.code
    common = {"instansi": config.office.name, "periode": config.period.label,
              "batas_isi": format_datetime_id(fill), "batas_periksa": format_datetime_id(check)}
    out: list[Reminder] = []

    def add(kind: ReminderKind, audience: str, recipients: list[str], *, section: str | None = None,
            link: str = "", facts: dict[str, str] | None = None, items: tuple[str, ...] = (),
            suffix: str = "") -> None:
        if not notify.channels_for(kind) and not preview:  # switched off in notify.kinds
            return
        key = "|".join([period, kind.value, section or "-"] + ([suffix] if suffix else []))
        out.append(Reminder(key, kind, audience, tuple(recipients), section, link,
                            {**common, **(facts or {})}, items))

    for s in config.sections:
        state = sections.get(s.id)
        if state is None:  # not distributed: no sheet to remind about
            continue
        facts = {"bagian": s.name, "kepala": s.head or s.name, "tautan": state.url}
        if fill is not None and state.status not in handed_in:
            before = datetime.combine(previous_working_day(cal, fill.date()), opens)
            after = datetime.combine(cal.next_working_day(fill.date()), opens)
            if before <= now < fill:
                add(ReminderKind.before_deadline, AUDIENCE_SECTION, s.editors, section=s.id,
                    link=state.url, facts=facts)
            elif now >= after:
                add(ReminderKind.late, AUDIENCE_SECTION, s.editors, section=s.id,
                    link=state.url, facts=facts)
        if state.status == labels.status_confirm and state.open_issues:
            # a new set of open issues is a new reminder; the same set is not sent again
            digest = hashlib.sha256("\n".join(sorted(state.issue_keys)).encode()).hexdigest()[:10]
            add(ReminderKind.confirm, AUDIENCE_SECTION, s.editors, section=s.id,
                link=state.url, facts={**facts, "jumlah": str(len(state.open_issues))},
                items=state.open_issues, suffix=digest)

    names = {s.id: s.name for s in config.sections}
    everyone = [s.id for s in config.sections]
    statuses = {sid: (sections[sid].status if sid in sections else None) for sid in everyone}
    pep = config.office.pep_accounts
    if everyone and all(statuses[sid] in handed_in for sid in everyone):
        add(ReminderKind.all_in, AUDIENCE_PEP, pep, link=recap_url or "",
            facts={"jumlah": str(len(everyone)), "tautan": recap_url or ""})
    open_ones = [names[sid] for sid in everyone if statuses[sid] not in finished]
    if check is not None and open_ones:
        start_day = check.date()
        for _ in range(notify.check_deadline_days):
            start_day = previous_working_day(cal, start_day)
        if datetime.combine(start_day, opens) <= now < check:
            add(ReminderKind.check_deadline, AUDIENCE_PEP, pep, link=recap_url or "",
                facts={"jumlah": str(len(open_ones)), "tautan": recap_url or ""},
                items=tuple(open_ones))
    if everyone and recap_url and not open_ones:
        add(ReminderKind.recap_complete, AUDIENCE_LEADERSHIP, config.office.leadership_accounts,
            link=recap_url, facts={"jumlah": str(len(everyone)), "tautan": recap_url})
    return out
