"""The core commands: init, template, distribute, recap, watch, demo (status and validate:
check_commands.py).

Each parses its options, calls one flow, and renders the result (rich tables on screen,
`--format json` for machines). Nothing here decides anything the flows could.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from sheets_sync.cli.app import App
from sheets_sync.cli.duration import Duration
from sheets_sync.cli.export_commands import CSV_LOCALE
from sheets_sync.cli.main import FORMAT, SECTION, main, pass_app, writes
from sheets_sync.cli.render import (
    emit_rows,
    json_text,
    print_completeness,
    print_target_changes,
    recap_json,
    warn_duplicates,
)
from sheets_sync.domain import glossary
from sheets_sync.domain.calendar import format_datetime_id
from sheets_sync.domain.models import Severity
from sheets_sync.domain.numbers import format_number


def workers_for(app: App) -> int:
    config = app.config()
    return config.backend.google.workers if config.backend.kind == "google" else 1


@contextmanager
def progress_bar(app: App, label: str, total: int) -> Iterator[Any]:
    """A progress bar on long work (many sections); silent for a handful or in JSON mode."""
    if total < 5 or not app.console.is_terminal:
        yield lambda *_: None
        return
    with Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(),
                  console=app.err, transient=True) as bar:
        task = bar.add_task(label, total=total)
        yield lambda *_: bar.advance(task)


# --------------------------------------------------------------------------- init, template


@main.command()
@click.argument("folder", type=click.Path(path_type=Path), default=".")
@click.option("--force", is_flag=True, help="Timpa berkas konfigurasi yang sudah ada.")
@pass_app
def init(app: App, folder: Path, force: bool) -> None:
    """Buat konfigurasi contoh (backend lokal) di FOLDER/config."""
    from sheets_sync.cli.scaffold import init_time, write_example

    written = write_example(folder, force=force, now=init_time())
    for path in written:
        app.console.print(f"ditulis: {path}")
    cfg = folder / "config" / "sync.yaml"
    app.console.print(
        f"\nLangkah berikut: sesuaikan {cfg} (bagian, akun, indikator), lalu\n"
        f"  sync --config {cfg} distribute"
    )


@main.command()
@writes()
@pass_app
def template(app: App) -> None:
    """Buat (atau tunjukkan) template induk kertas kerja periode ini."""
    from sheets_sync.domain.worksheet import column_label
    from sheets_sync.flows.collect import index_files
    from sheets_sync.flows.distribute import ensure_template

    config, store = app.config(), app.store()
    ref, layout = ensure_template(config, store, index_files(config, store.find(config.period.code)))
    app.console.print(f"Template: {ref.name}\n  {ref.url}")
    app.console.print(f"  tabel mulai baris {layout.first_row}; kolom: "
                      + ", ".join(column_label(config.labels, k) for k in layout.columns))


# --------------------------------------------------------------------------- distribute


@main.command()
@writes()
@SECTION
@click.option("--update-targets", is_flag=True,
              help="Tulis target baru dari konfigurasi ke lembar yang sudah dikirim "
                   "(sel isian bagian tidak disentuh).")
@click.option("--revoke-extra", is_flag=True,
              help="Cabut akses di luar konfigurasi (akun lain, domain, siapa saja dengan "
                   "tautan) pada berkas layanan; tanpa opsi ini hanya dilaporkan.")
@pass_app
def distribute(app: App, sections: tuple[str, ...], update_targets: bool,
               revoke_extra: bool) -> None:
    """Kirim kertas kerja ke setiap bagian (SOP langkah 2). Aman dijalankan ulang."""
    from sheets_sync.flows.distribute import distribute as run

    config, store = app.config(), app.store()
    chosen = len(sections) or len(config.sections)
    with progress_bar(app, "Mendistribusikan", chosen) as tick:
        report = run(config, store, app.now(), sections=list(sections) or None,
                     workers=workers_for(app), progress=tick, update_targets=update_targets,
                     revoke_extra=revoke_extra)
    sharing = any(o.shared_with or o.unshared for o in report.outcomes)
    table = Table(title=f"Distribusi kertas kerja {config.period.label}")
    columns = ["Bagian", "Tindakan", "Berkas"] + (["Dibagikan ke", "Akses dicabut"] if sharing else [])
    for col in columns:
        table.add_column(col, overflow="fold")
    for o in report.outcomes:
        cells = [o.name, o.action, _where(o.url)]
        if sharing:
            cells += [", ".join(o.shared_with) or "-", ", ".join(o.unshared) or "-"]
        table.add_row(*cells)
    app.console.print(table)
    # the folder of the workbooks (a missing one has no path: the next that has one)
    paths = [o.url for o in report.outcomes if o.url and not o.url.startswith("http")]
    folder = f" di folder {Path(paths[0]).parent}" if paths else ""
    app.console.print(f"{report.created} kertas kerja baru{folder}.")
    for section, extra in report.duplicates.items():
        app.err.print(f"[yellow]Perhatian:[/yellow] bagian {section} punya {len(extra) + 1} "
                      "kertas kerja. Yang tertua dipakai; periksa dan hapus yang lain secara "
                      "manual: " + ", ".join(r.url for r in extra))
    for o in report.outcomes:
        for email in o.invited:
            app.err.print(f"[yellow]Perhatian:[/yellow] {email} ({o.name}) belum punya akun "
                          "Google: dikirimi undangan lewat e-mail. Pemiliknya perlu membuat "
                          "akun Google dengan alamat itu sebelum dapat mengisi.", soft_wrap=True)
    for ref in report.unknown:
        app.err.print(f"[yellow]Perhatian:[/yellow] {ref.url} milik bagian "
                      f"'{ref.tags.section}' yang tidak ada lagi di konfigurasi (dibiarkan).")
    for o in report.outcomes:
        if o.extra:
            app.err.print(f"[yellow]Perhatian:[/yellow] akses di luar konfigurasi pada "
                          f"kertas kerja {o.name}: {', '.join(o.extra)}. Cabut dengan "
                          "'sync distribute --revoke-extra' bila tidak disengaja.")

    print_target_changes(app, report.target_changes)


# --------------------------------------------------------------------------- recap, export


@main.command()
@writes()
@FORMAT
@click.option("--export", "export", type=click.Path(path_type=Path),
              help="Juga simpan laporan Pengukuran Kinerja ke berkas .pdf, .xlsx atau .csv.")
@click.option("--refresh-quarters", is_flag=True,
              help="Baca ulang data triwulan sebelumnya (setelah ada koreksi di sana).")
@click.option("--force", is_flag=True,
              help="Tulis ulang rekap walau tidak ada yang berubah sejak rekap terakhir.")
@CSV_LOCALE
@pass_app
def recap(app: App, fmt: str, export: Path | None, refresh_quarters: bool, force: bool,
          csv_locale: str) -> None:
    """Perbarui rekapitulasi data kinerja (SOP langkah 5)."""
    from sheets_sync.flows.recap import recap as run

    config = app.config()
    if export:
        from sheets_sync.reports import export as export_report
        from sheets_sync.reports import export_format

        export_format(export)  # a wrong file name is refused before the recap is written
    result = run(config, app.store(), app.now(), refresh_quarters=refresh_quarters,
                 force=force, need_data=bool(export) or fmt != "table")
    warn_duplicates(app, result.duplicates)
    if result.recap is None:  # nothing changed: nothing read, nothing written
        app.console.print(f"Rekap sudah terbaru: tidak ada yang berubah sejak diperbarui "
                          f"{format_datetime_id(result.unchanged)}, jadi tidak ditulis ulang. "
                          f"{result.ref.url}\nKeadaan tiap bagian: 'sync status'. "
                          "Tulis ulang juga: 'sync recap --force'.")
        return
    if export:
        export_report(config, result.recap, "pengukuran", export_format(export), export,
                      app.now().date(), csv_locale)
    if fmt == "json":  # {"sections": [...], "rows": [...], "completeness": {...}}
        click.echo(json_text(recap_json(result.recap)))
    elif fmt == "csv":
        emit_rows(app, fmt, [r.as_json() for r in result.recap.rows])
    else:
        table = Table(title=f"Rekapitulasi {config.period.label}")
        for col in ("Bagian", "Status", "Terisi", "Rata-rata capaian", "Predikat",
                    glossary.SEVERITY[Severity.error], glossary.HANDED_IN_AT, glossary.LATE):
            table.add_column(col)
        for s in result.recap.summaries:
            at = s.timeliness.handed_in_at if s.timeliness else None
            table.add_row(s.name, s.status, f"{s.filled}/{s.total}",
                          "—" if s.mean_capaian is None else f"{format_number(s.mean_capaian)}%",
                          s.rating or f"— {s.no_mean_reason}".strip(), str(s.errors),
                          at.strftime("%d-%m-%Y %H:%M") if at else "-",
                          f"[red]{glossary.YES}[/red]" if s.late else glossary.NO)
        app.console.print(table)
        o = result.recap.office
        if o.get("mean_capaian") is not None:  # the office's, and what it covers
            app.console.print(f"Rata-rata capaian kantor: {format_number(o['mean_capaian'])}% "
                              f"({o['rating']}), mencakup {o['sections_counted']} dari "
                              f"{o['sections_total']} bagian.")
        print_completeness(app, result.recap.completeness)
        app.console.print(("Rekap dibuat: " if result.created else "Rekap diperbarui: ")
                          + result.ref.url
                          + (f" ({result.audit_lines} perubahan dicatat di Audit)"
                             if result.audit_lines else ""))
    if export:
        app.err.print(f"Laporan resmi disimpan: {export}")


# --------------------------------------------------------------------------- watch


@main.command()
@writes()
@click.option("--interval", type=click.FloatRange(min=5), default=60, show_default=True,
              help="Detik di antara pemeriksaan.")
@click.option("--once", is_flag=True, help="Satu putaran saja, lalu berhenti.")
@click.option("--every", type=Duration(), default=None, metavar="LAMA",
              help="Dengan --once dari penjadwal (systemd timer, Task Scheduler, cron): "
                   "seberapa sering penjadwal menjalankannya, mis. 5m, 1h, 300 (detik). "
                   "'sync status' baru memperingatkan setelah dua kali tidak berjalan.")
@click.option("--log-file", type=click.Path(path_type=Path),
              help="Berkas log (bergilir); bawaan: sheets-sync-watch.log di samping detak.")
@click.option("--heartbeat", type=click.Path(path_type=Path),
              help="Berkas detak yang dibaca 'sync status' (bawaan: di folder kerja).")
@pass_app
def watch(app: App, interval: float, once: bool, every: float | None, log_file: Path | None,
          heartbeat: Path | None) -> None:
    """Pantau perubahan terus-menerus: periksa yang berubah, perbarui rekap, kirim pengingat.
    Ctrl+C (atau SIGTERM) berhenti dengan rapi di antara putaran."""
    from sheets_sync.cli.service_commands import run_watch
    from sheets_sync.flows.collect import index_files
    from sheets_sync.flows.duplicates import duplicate_notes

    config, store = app.config(), app.store()
    # once at the start: the watcher's cycles stay one listing call each
    warn_duplicates(app, duplicate_notes(config, store,
                                         index_files(config, store.find(config.period.code))))
    if once and every is None and click.get_current_context().get_parameter_source(
            "interval") is not click.core.ParameterSource.DEFAULT:
        every = interval  # `--once --interval 300` from cron, as written before --every
    run_watch(app, interval=interval, once=once, every=every, log_file=log_file,
              heartbeat=heartbeat)


# --------------------------------------------------------------------------- demo


@main.command()
@click.option("--workspace", type=click.Path(path_type=Path),
              help="Folder kerja demo (bawaan: folder sementara baru).")
@pass_app
def demo(app: App, workspace: Path | None) -> None:
    """Jalankan seluruh alur secara luring dengan data contoh: distribute -> status ->
    validate -> recap."""
    from sheets_sync.cli.demo import run_demo

    run_demo(app, workspace)


# --------------------------------------------------------------------------- helpers


def _where(url: str) -> str:
    """A web link as is; a local path as its file name (the folder is printed once)."""
    return url if url.startswith("http") else Path(url).name



# The other command modules register their commands on import.
from sheets_sync.cli import check_commands as _check  # noqa: E402,F401
from sheets_sync.cli import consolidate_commands as _consolidate  # noqa: E402,F401
from sheets_sync.cli import export_commands as _export  # noqa: E402,F401
from sheets_sync.cli import google_commands as _google  # noqa: E402,F401
from sheets_sync.cli import notify_commands as _notify  # noqa: E402,F401
from sheets_sync.cli import restore_commands as _restore  # noqa: E402,F401
from sheets_sync.cli import review_commands as _review  # noqa: E402,F401
