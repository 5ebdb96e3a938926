"""`sync restore SECTION`: put a workbook back.

Local backend: from the service's backups. Every time the service rewrites a workbook, the
version it replaces is kept in `<workspace>/<period>/.sheets-sync/cadangan/` (the last three,
and the last of each day), outside the sections' folder. Restoring loses nothing: the current
file is itself kept first.

Google: a workbook deleted by hand lies in Drive's trash for 30 days; restoring takes it out,
as it was. An older version of a workbook that is there is restored in the sheet itself (File >
Version history), which Google keeps.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.table import Table

from sheets_sync.cli.app import App
from sheets_sync.cli.main import main, pass_app, writes
from sheets_sync.domain.errors import UsageProblem

if TYPE_CHECKING:
    from sheets_sync.adapters.google import GoogleStore

RECAP = "rekap"


@main.command()
@writes()
@click.argument("section", metavar="BAGIAN")
@click.option("--list", "listing", is_flag=True, help="Tampilkan cadangan yang ada saja.")
@click.option("--from", "number", type=click.IntRange(min=1), default=1, show_default=True,
              help="Nomor cadangan dari --list (1 = yang terbaru).")
@pass_app
def restore(app: App, section: str, listing: bool, number: int) -> None:
    """Pulihkan kertas kerja BAGIAN (atau 'rekap') dari cadangan.

    Folder bersama: dari cadangan sheets-sync; berkas yang ada sekarang disimpan dulu
    sebagai cadangan, jadi tidak ada yang hilang. Google: dari Sampah (Trash) Google Drive,
    seperti saat dihapus."""
    from sheets_sync.adapters.local import LocalStore

    config = app.config()
    guarded = app.store()
    store = guarded.inner
    if section != RECAP and section not in {s.id for s in config.sections}:
        raise UsageProblem(f"bagian {section} tidak ada di konfigurasi; yang ada: "
                           f"{', '.join(s.id for s in config.sections)} (atau '{RECAP}').")
    guarded.find(config.period.code)  # takes the period's lock before anything is touched
    # the workbook being restored (or its backups listed) is what this command is about: its
    # "missing" notice is not repeated at the end; another missing workbook's still is
    wanted = None if section == RECAP else section
    kept_notes = [s for s in guarded.skipped if not s.missing or s.section != wanted]
    if not isinstance(store, LocalStore):
        from sheets_sync.adapters.google import GoogleStore  # gspread: only when it is used

        if not isinstance(store, GoogleStore):
            raise UsageProblem("penyimpanan ini tidak menyimpan cadangan.")
        _from_trash(app, store, config.period.code, section, listing)
        guarded.skipped = kept_notes
        return
    if listing:
        guarded.skipped = kept_notes
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
    guarded.skipped = [s for s in guarded.skipped if s.name != path.name]  # back: no event
    app.console.print(f"{path.name} dipulihkan dari cadangan {number} "
                      f"({_when(source, config.office.tzinfo)}).")
    if kept is not None:
        app.console.print(f"Berkas sebelumnya disimpan sebagai cadangan: {kept}")


def _from_trash(app: App, store: GoogleStore, period: str, section: str,
                listing: bool) -> None:
    ref = store.in_trash(period, None if section == RECAP else section)
    if ref is None:
        app.console.print(f"Tidak ada berkas {section} di Sampah (Trash) Google Drive. Versi "
                          "lama sebuah lembar dipulihkan di lembar itu sendiri: File > Riwayat "
                          "versi (Version history).")
        return
    if listing:
        app.console.print(f"Di Sampah: {ref.name}. Pulihkan dengan: sync restore {section}")
        return
    store.restore_from_trash(period, None if section == RECAP else section)
    app.console.print(f"{ref.name} dipulihkan dari Sampah, seperti saat dihapus: isian, waktu "
                      f"penyerahan dan riwayatnya tetap. {ref.url}")


def _when(path: Path, zone: tzinfo) -> str:
    """When a backup was made, on the office's clock (WIB/WITA/WIT), whatever zone this
    computer is set to."""
    return f"{datetime.fromtimestamp(path.stat().st_mtime, zone):%d-%m-%Y %H:%M:%S}"
