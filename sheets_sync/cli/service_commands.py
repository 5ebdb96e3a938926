"""The CLI face of the service: `sync watch` running unattended, and the heartbeat line of
`sync status`. The loop itself lives in sheets_sync.service.runner."""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

import click

from sheets_sync.cli.app import App
from sheets_sync.domain import glossary
from sheets_sync.domain.models import Severity
from sheets_sync.domain.timezones import office_clock
from sheets_sync.flows.watch import CycleResult
from sheets_sync.notify.send import (
    SENT_JOURNAL,
    Notifier,
    Outcome,
    make_senders,
    period_lock,
)
from sheets_sync.ports import BackendError, WorkbookStore
from sheets_sync.service.clock import clock_from_env
from sheets_sync.service.heartbeat import (
    MANUAL,
    SERVICE,
    TIMER,
    describe,
    heartbeat_path,
    read_heartbeat,
)
from sheets_sync.service.runner import Service, setup_logging

LOG_NAME = "sheets-sync-watch.log"


def run_watch(app: App, *, interval: float, once: bool, log_file: Path | None,
              heartbeat: Path | None, every: float | None = None) -> None:
    """`every`: with `once`, how often a scheduler starts it (its heartbeat promises the
    next run then, so `sync status` does not call a timer's watcher stale)."""
    if every is not None and not once:
        raise click.UsageError("--every hanya untuk --once yang dijalankan penjadwal; "
                               "pemantau yang terus berjalan memakai --interval.")
    mode = SERVICE if not once else TIMER if every else MANUAL
    interval = every or interval
    config, store = app.config(), app.store()
    beat_path = heartbeat or heartbeat_path(config, app.base_dir)
    handler = setup_logging(log_file or beat_path.parent / LOG_NAME, config.office.tzinfo)
    clock = clock_from_env(app.now)
    notifier = None
    if config.notify.enabled:
        notifier = Notifier(config, make_senders(config, app.base_dir),
                            lock=period_lock(store, config.period.code),
                            journal=app.base_dir / SENT_JOURNAL)

    def report(now: datetime, c: CycleResult, sent: list[Outcome]) -> None:
        stamp = now.strftime("%d-%m %H:%M:%S")
        if not c.changed and not c.recap_written:
            app.console.print(f"{stamp} tidak ada perubahan")
        else:
            first = set(c.first_read)
            changed = [s for s in c.changed if s not in first]
            seen_first = (f"pertama kali dibaca: {len(first)} bagian; " if len(first) > 5
                          else f"pertama kali dibaca: {', '.join(c.first_read)}; " if first
                          else "")
            app.console.print(
                f"{stamp} {seen_first}berubah: {', '.join(changed) or '-'}; umpan balik ditulis: "
                f"{', '.join(c.feedback_written) or '-'}; rekap diperbarui; "
                f"{c.errors} {glossary.SEVERITY_PLURAL[Severity.error]}, {c.warnings} "
                f"{glossary.SEVERITY_PLURAL[Severity.warning]} terbuka")
        for o in sent:
            app.console.print(f"{stamp} pengingat {o.reminder.kind.value} "
                              f"({o.reminder.section or o.reminder.audience}) lewat {o.channel}: "
                              f"{o.state} {o.detail}".rstrip())

    def failed(now: datetime, message: str, delay: float) -> None:
        app.err.print(f"[yellow]{now:%d-%m %H:%M:%S} putaran gagal:[/yellow] {message} "
                      f"Dicoba lagi dalam {delay:g} detik.")

    service = Service(config, store, clock, interval, beat_path, notifier, mode,
                      on_cycle=report, on_error=failed, on_idle=app.let_go)
    try:
        service.run(once=once)
    finally:
        logging.getLogger("sheets_sync").removeHandler(handler)
        handler.close()
    if not once:
        app.console.print("Pemantau berhenti. Menjalankannya lagi aman.")


def heartbeat_line(app: App) -> tuple[str, bool]:
    path = heartbeat_path(app.config(), app.base_dir)
    return describe(read_heartbeat(path), app.now(), path)


def lock_line(app: App, store: WorkbookStore, period: str) -> None:
    """Who holds the period's lock, since and until when (it lapses then unless renewed)."""
    try:
        holder = store.lock_holder(period)
    except BackendError:
        return  # only a hint: status goes on without it
    if holder is None:
        app.console.print("Kunci periode: bebas (tidak ada perintah lain yang sedang menulis).")
        return
    zone = app.config().office.tzinfo  # the office's clock, whatever this computer's is
    until = (f", berlaku sampai {office_clock(holder.until, zone):%d-%m-%Y %H:%M:%S}"
             if holder.until else "")
    app.console.print(f"Kunci periode: dipegang {holder.who} sejak "
                      f"{office_clock(holder.since, zone):%d-%m-%Y %H:%M}{until} "
                      "(diperpanjang selama bekerja).")
