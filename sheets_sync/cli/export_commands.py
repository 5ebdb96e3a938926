"""`sync export REPORT --format pdf|xlsx|csv [--output FILE]`: the formal reports."""

from __future__ import annotations

from pathlib import Path

import click

from sheets_sync.cli.app import App
from sheets_sync.cli.main import main, pass_app
from sheets_sync.os_words import why
from sheets_sync.reports import FORMATS, REPORTS


def _choices() -> str:
    names = [f".{f}" for f in FORMATS]
    return f"{', '.join(names[:-1])} atau {names[-1]}"


@main.command("export")
@click.argument("report", type=click.Choice(list(REPORTS)))
@click.option("--format", "fmt", type=click.Choice(list(FORMATS)),
              help="Bentuk berkas (bawaan: dari akhiran --output, atau pdf).")
@click.option("--output", "-o", type=click.Path(path_type=Path),
              help="Berkas tujuan (bawaan: mis. pengukuran-kinerja-2026-TW3.pdf di folder ini).")
@pass_app
def export_command(app: App, report: str, fmt: str | None, output: Path | None) -> None:
    """Laporan resmi: pengukuran (Pengukuran Kinerja), renja (Evaluasi Renja per triwulan)
    atau rekap (ringkasan per bagian), dengan kop, tanggal dan blok tanda tangan."""
    from sheets_sync.flows.export import current_recap, default_name, export

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
    path = output or default_name(config, report, fmt)
    if path.suffix.lower() != f".{fmt}":
        path = path.with_name(path.name + f".{fmt}")
    now = app.now()
    with app.err.status("Membaca data periode ini ..."):
        data = current_recap(config, app.store(), now)
    try:
        export(config, data, report, fmt, path, now)
    except OSError as exc:
        raise click.UsageError(f"{path} tidak dapat ditulis ({why(exc)}); "
                               "tutup berkas itu bila sedang dibuka, atau pilih --output lain.") from None
    app.console.print(f"Laporan disimpan: {path.resolve()}")
