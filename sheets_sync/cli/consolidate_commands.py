"""`sync consolidate`: the province's recap of the offices' recaps (config `consolidate:`)."""

from __future__ import annotations

import click
from rich.markup import escape
from rich.table import Table

from sheets_sync.cli.app import App
from sheets_sync.cli.exit_codes import EXIT_SKIPPED
from sheets_sync.cli.main import main, pass_app, writes
from sheets_sync.cli.render import json_text
from sheets_sync.domain.errors import UsageProblem
from sheets_sync.domain.numbers import format_number


@main.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True, help="Bentuk keluaran.")
@writes()
@pass_app
def consolidate(app: App, fmt: str) -> None:
    """Rekap gabungan: baca rekap setiap kantor (OPD) di 'consolidate.sources', lalu tulis
    satu rekap per OPD dan per unit, dengan tautan ke rekap masing-masing."""
    from sheets_sync.adapters.sources import SourceUnreadable, read_source
    from sheets_sync.domain.consolidate import consolidate_json
    from sheets_sync.domain.sharing import recap_grants
    from sheets_sync.flows.consolidate import consolidate as run

    config = app.config()
    if not config.consolidate.sources:
        raise UsageProblem(f"{app.config_path}: 'consolidate.sources' kosong; tulis rekap kantor "
                           "yang digabung (lihat README, 'Rekap gabungan').")
    store = app.store()
    result = run(config, store,
                 lambda source, sheets: read_source(config, app.base_dir, store, source, sheets),
                 SourceUnreadable)
    store.share(result.ref, recap_grants(config), notify=False)
    if fmt == "json":
        click.echo(json_text(consolidate_json(config, result.sources)))
    else:
        table = Table(title=f"Rekap gabungan {config.period.label}")
        for col in ("OPD", "Bagian", "Menyerahkan", "Terisi", "Rata-rata capaian", "Keadaan"):
            table.add_column(col)
        for s in result.sources:
            table.add_row(s.name, str(s.sections), f"{s.handed_in}/{s.sections}",
                          f"{s.filled}/{s.total}",
                          "-" if s.mean is None else f"{format_number(s.mean)}%",
                          f"[red]{s.problem}[/red]" if s.problem else "terbaca")
        app.console.print(table)
        app.console.print(("Rekap gabungan dibuat: " if result.created
                           else "Rekap gabungan diperbarui: ") + result.ref.url)
    for s in result.unreadable:
        app.err.print(f"[yellow]Tidak terbaca[/yellow] {escape(s.name)}: {escape(s.problem)}.", markup=True,
                      soft_wrap=True)
    if result.unreadable:
        raise SystemExit(EXIT_SKIPPED)
