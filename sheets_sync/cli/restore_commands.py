"""`sync restore SECTION`: put a workbook back from the service's backups (local backend).

Every time the service rewrites a workbook, the version it replaces is kept in
`<workspace>/<period>/.sheets-sync/cadangan/` (the last three per workbook), outside the
sections' folder. Restoring loses nothing: the current file is itself kept first.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from pathlib import Path

import click
from rich.table import Table

from sheets_sync.cli.app import App
from sheets_sync.cli.main import main, pass_app
from sheets_sync.domain.errors import UsageProblem

RECAP = "rekap"


@main.command()
@click.argument("section", metavar="BAGIAN")
@click.option("--list", "listing", is_flag=True, help="Tampilkan cadangan yang ada saja.")
@click.option("--from", "number", type=click.IntRange(min=1), default=1, show_default=True,
              help="Nomor cadangan dari --list (1 = yang terbaru).")
@pass_app
def restore(app: App, section: str, listing: bool, number: int) -> None:
    """Pulihkan kertas kerja BAGIAN (atau 'rekap') dari cadangan.

    Berkas yang ada sekarang disimpan dulu sebagai cadangan, jadi tidak ada yang hilang."""
    from sheets_sync.adapters.local import LocalStore

    config = app.config()
    guarded = app.store()
    store = guarded.inner
    if not isinstance(store, LocalStore):
        raise UsageProblem("pada Google Sheets, pulihkan lewat File > Riwayat versi "
                           "(Version history) di lembar itu sendiri.")
    if section != RECAP and section not in {s.id for s in config.sections}:
        raise UsageProblem(f"bagian {section} tidak ada di konfigurasi; yang ada: "
                           f"{', '.join(s.id for s in config.sections)} (atau '{RECAP}').")
    guarded.find(config.period.code)  # takes the period's lock before anything is touched
    path, backups = store.backups(config.period.code, None if section == RECAP else section)
    if not backups:
        app.console.print(f"Belum ada cadangan untuk {section}: cadangan dibuat setiap kali "
                          "sheets-sync menulis ulang berkasnya.")
        return
    if listing:
        table = Table(title=f"Cadangan {path.name}")
        for col in ("No", "Waktu", "Ukuran"):
            table.add_column(col)
        for n, b in enumerate(backups, start=1):
            stat = b.stat()
            table.add_row(str(n), _when(b, config.office.tzinfo),
                          f"{stat.st_size / 1024:.0f} KB")
        app.console.print(table)
        app.console.print(f"Pulihkan dengan: sync restore {section} --from N")
        return
    if number > len(backups):
        raise UsageProblem(f"cadangan nomor {number} tidak ada; ada {len(backups)} "
                           f"(lihat 'sync restore {section} --list').")
    source = backups[number - 1]
    kept = store.restore(path, source)
    app.console.print(f"{path.name} dipulihkan dari cadangan {number} "
                      f"({_when(source, config.office.tzinfo)}).")
    if kept is not None:
        app.console.print(f"Berkas sebelumnya disimpan sebagai cadangan: {kept}")


def _when(path: Path, zone: tzinfo) -> str:
    """When a backup was made, on the office's clock (WIB/WITA/WIT), whatever zone this
    computer is set to."""
    return f"{datetime.fromtimestamp(path.stat().st_mtime, zone):%d-%m-%Y %H:%M:%S}"
