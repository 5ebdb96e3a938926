"""`sync export REPORT --format pdf|xlsx|csv [--output FILE] [--csv-locale intl|id]
[--unit ID]`: the formal reports (made in `sheets_sync.reports`)."""

from __future__ import annotations

from pathlib import Path

import click

from sheets_sync.cli.app import App
from sheets_sync.cli.main import main, pass_app
from sheets_sync.domain.os_words import why
from sheets_sync.reports import CSV_LOCALES, FORMATS, REPORTS

CSV_LOCALE = click.option(
    "--csv-locale", "csv_locale", type=click.Choice(list(CSV_LOCALES)), default="intl",
    show_default=True,
    help="CSV: intl = koma pemisah kolom, titik desimal (dibaca semua program); id = titik "
         "koma pemisah kolom, koma desimal (Excel berbahasa Indonesia).")


def _choices() -> str:
    names = [f".{f}" for f in FORMATS]
    return f"{', '.join(names[:-1])} atau {names[-1]}"


@main.command("export")
@click.argument("report", type=click.Choice(list(REPORTS)))
@click.option("--format", "fmt", type=click.Choice(list(FORMATS)),
              help="Bentuk berkas (bawaan: dari akhiran --output, atau pdf).")
@click.option("--output", "-o", type=click.Path(path_type=Path),
              help="Berkas tujuan (bawaan: mis. pengukuran-kinerja-2026-TW3.pdf di folder ini).")
@CSV_LOCALE
@click.option("--unit", "unit", metavar="ID",
              help="Batasi laporan pada satu unit (dan semua bagian di bawahnya); "
                   "ditandatangani kepala unit itu. Id unit dari 'units' di konfigurasi.")
@pass_app
def export_command(app: App, report: str, fmt: str | None, output: Path | None,
                   csv_locale: str, unit: str | None) -> None:
    """Laporan resmi: pengukuran (Pengukuran Kinerja), renja (Evaluasi Renja per triwulan),
    rekap (ringkasan per bagian) atau tren (capaian beberapa periode terakhir), dengan kop,
    tanggal dan blok tanda tangan."""
    from sheets_sync.reports import default_name, export
    from sheets_sync.reports.scope import scope_of
    from sheets_sync.reports.source import current_recap, earlier_results

    suffix = output.suffix.lower().lstrip(".") if output else ""
    if suffix and suffix not in FORMATS:  # as `recap --export`: never laporan.docx.pdf
        raise click.UsageError(
            f"--output {output}: akhiran .{suffix} tidak dapat dibuat; pakai nama berkas "
            f"berakhiran {_choices()}, mis. {output.with_suffix('.pdf')}.")
    if fmt and suffix in FORMATS and suffix != fmt:
        raise click.UsageError(f"--output {output} berakhiran .{suffix}, tetapi --format {fmt}: "
                               "samakan keduanya.")
    fmt = fmt or (suffix if suffix in FORMATS else "pdf")
    config = app.config()
    scope_of(config, unit)  # an unknown unit is refused (exit 2) before anything is read
    path = output or default_name(config, report, fmt, unit)
    if path.suffix.lower() != f".{fmt}":
        path = path.with_name(path.name + f".{fmt}")
    now = app.now()
    with app.err.status("Membaca data periode ini ..."):
        store = app.store()
        data = current_recap(config, store, now)
        earlier = earlier_results(config, store) if report == "tren" else []
    try:
        export(config, data, report, fmt, path, now.date(), csv_locale, unit, earlier)
    except OSError as exc:
        raise click.UsageError(f"{path} tidak dapat ditulis ({why(exc)}); "
                               "tutup berkas itu bila sedang dibuka, atau pilih --output lain.") from None
    app.console.print(f"Laporan disimpan: {path.resolve()}")
