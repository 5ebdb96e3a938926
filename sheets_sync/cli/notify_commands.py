"""`sync remind`: the reminders that are due now, sent once each (for cron or the Task
Scheduler where a long-running watcher is not wanted); `--dry-run` only shows them."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import click
from rich.table import Table

from sheets_sync.cli.app import App
from sheets_sync.cli.exit_codes import EXIT_BACKEND
from sheets_sync.cli.main import main, pass_app, writes
from sheets_sync.cli.render import json_text
from sheets_sync.domain.calendar import format_datetime_id
from sheets_sync.domain.models import Config
from sheets_sync.domain.reminders import SectionState, due_reminders, may_send, next_send_time
from sheets_sync.settings.notify import Channel

if TYPE_CHECKING:
    from sheets_sync.notify.send import Outcome

AUDIENCE_ID = {"bagian": "bagian", "pep": "PEP", "pimpinan": "pimpinan"}


@main.command()
@writes()
@click.option("--dry-run", is_flag=True, help="Tunjukkan siapa akan diberi tahu apa; kirim apa pun tidak.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True, help="Bentuk keluaran.")
@pass_app
def remind(app: App, dry_run: bool, fmt: str) -> None:
    """Kirim pengingat yang jatuh tempo sekarang (sekali saja untuk setiap pengingat)."""
    from sheets_sync.domain.validation import evaluate_all
    from sheets_sync.flows.collect import collect
    from sheets_sync.notify.send import (
        SENT_JOURNAL,
        Notifier,
        make_senders,
        period_lock,
        section_states,
    )

    config, store, now = app.config(), app.store(), app.now()
    sending_off = not config.notify.enabled
    if sending_off:
        text = ("Pengiriman pengingat mati (notify.enabled: false): "
                + ("berikut pratinjau siapa yang akan diberi tahu bila dinyalakan; tidak ada "
                   "yang dikirim." if dry_run else "tidak ada yang dikirim. Lihat dulu siapa "
                   "yang akan diberi tahu dengan 'sync remind --dry-run', lalu atur 'notify:' "
                   "(lihat README, 'Pengingat')."))
        if fmt == "json":
            click.echo(text, err=True)
        else:
            app.console.print(text)
        if not dry_run:
            if fmt == "json":
                click.echo("[]")
            return
    if not may_send(config, now):
        at = next_send_time(config, now)
        notice = (f"Sekarang ({format_datetime_id(now)}) di luar jam kerja atau hari libur: "
                  f"pengingat menunggu jam kerja berikutnya ({format_datetime_id(at)}).")
        if fmt == "json":
            click.echo(notice, err=True)  # stdout stays valid JSON
        else:
            app.console.print(notice)
        if not dry_run:
            if fmt == "json":
                click.echo("[]")  # nothing sent
            return
        now = at  # a preview shows what would go then, as the sheets stand now
    found = collect(config, store)
    confirm = config.labels.status_confirm
    asking = {s: sh for s, sh in found.sheets.items() if sh.status == confirm}
    states = section_states(config, found.sheets, evaluate_all(config, asking))
    if found.recap is None and found.refs and not dry_run:
        from sheets_sync.flows.recap import recap

        found.recap = recap(config, store, now, collected=found).ref  # the sent-log lives there
    if sending_off:
        outcomes = preview_when_off(config, now, states, found.recap.url if found.recap else "-")
    else:
        notifier = Notifier(config, make_senders(config, app.base_dir),
                            lock=period_lock(store, config.period.code),
                            journal=app.base_dir / SENT_JOURNAL)
        outcomes = notifier.run(store, lambda: found.recap, now, states, dry_run=dry_run)
    rows = [{"key": o.reminder.key, "kind": o.reminder.kind.value,
             "audience": o.reminder.audience, "section": o.reminder.section,
             "recipients": list(o.reminder.recipients), "channel": o.channel,
             "state": o.state, "detail": o.detail,
             "at": now.isoformat(sep=" ", timespec="minutes")} for o in outcomes]
    if fmt == "json":
        click.echo(json_text(rows))
    elif not outcomes:
        app.console.print("Tidak ada pengingat yang perlu dikirim sekarang.")
    else:
        table = Table(title=("Pengingat yang akan dikirim" if dry_run else "Pengingat")
                      + f" ({format_datetime_id(now)})")
        for col in ("Jenis", "Untuk", "Kepada", "Saluran", "Keadaan", "Keterangan"):
            table.add_column(col, overflow="fold")
        for o in outcomes:
            r = o.reminder
            who = config.section(r.section).name if r.section else AUDIENCE_ID[r.audience]
            table.add_row(r.kind.value, who, ", ".join(r.recipients) or "-", o.channel,
                          o.state, o.detail)
        app.console.print(table)
    if any(o.state == "gagal" for o in outcomes):
        raise SystemExit(EXIT_BACKEND)


OFF = "tidak dikirim: pengiriman mati"


def preview_when_off(config: Config, now: datetime, states: dict[str, SectionState],
                     recap_url: str) -> list[Outcome]:
    """Who would be reminded, and on which channel, if `notify.enabled` were true: the same
    rules (`due_reminders`), so the preview is what turning it on will send."""
    from sheets_sync.notify.send import Outcome

    on = config.model_copy(update={"notify": config.notify.model_copy(update={"enabled": True})})
    out = []
    for r in due_reminders(on, now, states, recap_url, preview=True):
        channels = on.notify.channels_for(r.kind)
        if not channels and r.kind in on.notify.kinds:
            continue  # switched off on purpose in notify.kinds
        if not channels:
            out.append(Outcome(r, "-", OFF, "belum ada saluran: atur notify.email atau "
                                            "notify.webhook"))
        for ch in channels:
            lacking = ch is Channel.email and not r.recipients
            out.append(Outcome(r, ch.value, OFF, "tanpa alamat e-mail" if lacking else ""))
    return out
