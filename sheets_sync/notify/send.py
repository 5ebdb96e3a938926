"""Sending the reminders that are due, each once, over the port and the channels.

Called by `sync remind` and by the watcher service each cycle. It costs nothing on the
backend while no reminder is due or all due ones are known to be sent (the notifier keeps
what it read of the sent-log); otherwise one read of the sent-log and two appends (claim,
outcome) in the recap workbook.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Protocol

from sheets_sync.domain.models import Config, Issue
from sheets_sync.domain.reminders import Reminder, SectionState, due_reminders
from sheets_sync.domain.worksheet import SectionSheet
from sheets_sync.notify.channels import EmailChannel, SendError, WebhookChannel
from sheets_sync.notify.sentlog import (
    CLAIMED,
    FAILED,
    SENT,
    SHEET_LOG,
    LogEntry,
    log_patch,
    parse_log,
)
from sheets_sync.ports import FileRef, WorkbookStore
from sheets_sync.settings.notify import Channel

log = logging.getLogger("sheets_sync.notify")

# what `sync remind` reports per reminder and channel
WILL_SEND, ALREADY_SENT, IN_FLIGHT, RETRY_LATER = "akan dikirim", "sudah dikirim", "diklaim", \
    "gagal, dicoba lagi nanti"


class Sender(Protocol):
    name: str

    def send(self, reminder: Reminder) -> str: ...


@dataclass(frozen=True)
class Outcome:
    reminder: Reminder
    channel: str
    state: str  # dikirim | gagal | akan dikirim | sudah dikirim | diklaim ...
    detail: str = ""


def section_states(config: Config, sheets: dict[str, SectionSheet],
                   issues: list[Issue]) -> dict[str, SectionState]:
    open_by: dict[str, list[Issue]] = {}
    for i in issues:
        if not i.confirmed:
            open_by.setdefault(i.section, []).append(i)
    out = {}
    for sid, sheet in sheets.items():
        mine = open_by.get(sid, [])
        lines = tuple(f"{i.cell or '-'}" + (f" ({i.indicator})" if i.indicator else "")
                      + f": {i.message}" for i in mine)
        out[sid] = SectionState(sid, sheet.status, sheet.url, lines, tuple(i.key for i in mine))
    return out


def make_senders(config: Config, base_dir: Path) -> dict[str, Sender]:
    n = config.notify
    out: dict[str, Sender] = {}
    if n.email is not None:
        out[Channel.email.value] = EmailChannel(n.email, base_dir)
    if n.webhook is not None:
        out[Channel.webhook.value] = WebhookChannel(n.webhook, base_dir, n.contacts)
    return out


@dataclass
class Notifier:
    """Sends due reminders; remembers the sent-log between cycles of a long-running watcher."""

    config: Config
    senders: dict[str, Sender]
    known: dict[tuple[str, str], LogEntry] = field(default_factory=dict)
    lock: Callable[[], AbstractContextManager[object]] = nullcontext

    def pairs(self, due: list[Reminder]) -> list[tuple[Reminder, str]]:
        # an e-mail needs an address; a webhook may still reach a fixed chat (fields)
        return [(r, ch.value) for r in due for ch in self.config.notify.channels_for(r.kind)
                if ch.value in self.senders and (r.recipients or ch is not Channel.email)]

    def _read(self, store: WorkbookStore, recap: FileRef) -> bool:
        """Refresh the sent-log; returns whether the sheet exists yet."""
        grid = store.read(recap, [SHEET_LOG]).get(SHEET_LOG)
        self.known = parse_log(grid)
        return bool(grid)

    def run(self, store: WorkbookStore, find_recap: Callable[[], FileRef | None],
            now: datetime, states: dict[str, SectionState], *,
            dry_run: bool = False) -> list[Outcome]:
        # the keys do not depend on the link: a first pass decides whether to look further
        probe = self.pairs(due_reminders(self.config, now, states, "-"))
        if not probe or (not dry_run and all(self._blocked(r, ch, now) for r, ch in probe)):
            return []  # nothing due, or the cache says all of it went out: no call at all
        recap = find_recap()
        if recap is None and dry_run:  # no recap yet, so no sent-log: all of it would go
            return [Outcome(r, ch, WILL_SEND) for r, ch in probe]
        if recap is None:  # nowhere to record: nothing is sent (the recap comes first)
            return [Outcome(r, ch, "menunggu rekap", "rekap belum dibuat") for r, ch in probe]
        wanted = self.pairs(due_reminders(self.config, now, states, recap.url))
        if dry_run:
            self._read(store, recap)
            return [self._preview(r, ch, now) for r, ch in wanted]
        with self.lock():
            has_sheet = self._read(store, recap)  # under the lock: what another computer did
            todo = [(r, ch) for r, ch in wanted if not self._blocked(r, ch, now)]
            if not todo:
                return []
            claims = [LogEntry(r.key, ch, CLAIMED, now) for r, ch in todo]
            store.apply(recap, log_patch(claims, with_header=not has_sheet))
            self._remember(claims)
            results, outcomes = [], []
            for r, ch in todo:
                try:
                    to = self.senders[ch].send(r)
                    entry = LogEntry(r.key, ch, SENT, now, to)
                    log.info("pengingat %s terkirim lewat %s ke %s", r.key, ch, to)
                except SendError as exc:
                    before = self.known.get((r.key, ch))
                    entry = LogEntry(r.key, ch, FAILED, now, "", exc.message,
                                     (before.failures if before else 0) + 1)
                    log.warning("pengingat %s lewat %s gagal: %s", r.key, ch, exc.message)
                results.append(entry)
                outcomes.append(Outcome(r, ch, entry.state, entry.recipients or entry.detail))
            store.apply(recap, log_patch(results, with_header=False))
            self._remember(results)
        return outcomes

    def _blocked(self, r: Reminder, ch: str, now: datetime) -> bool:
        entry = self.known.get((r.key, ch))
        return entry is not None and entry.blocks(now)

    def _remember(self, entries: list[LogEntry]) -> None:
        for e in entries:
            self.known[(e.key, e.channel)] = e

    def _preview(self, r: Reminder, ch: str, now: datetime) -> Outcome:
        entry = self.known.get((r.key, ch))
        if entry is None:
            return Outcome(r, ch, WILL_SEND)
        when = entry.at.isoformat(sep=" ", timespec="minutes") if entry.at else ""
        if entry.state == SENT:
            return Outcome(r, ch, ALREADY_SENT, when)
        if entry.state == CLAIMED:
            return Outcome(r, ch, IN_FLIGHT, f"sejak {when}; tidak dikirim ulang otomatis")
        return Outcome(r, ch, RETRY_LATER if entry.blocks(now) else WILL_SEND, entry.detail)


def period_lock(store: WorkbookStore, period: str) -> Callable[[], AbstractContextManager[object]]:
    """The port's period lock (two computers must not both send)."""

    @contextmanager
    def held() -> Iterator[None]:
        with store.lock(period):
            yield

    return held
