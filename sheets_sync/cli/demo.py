"""`sync demo`: the whole SOP flow offline, on a fresh workspace, with sample input.

It runs the real commands (distribute -> status -> validate -> recap) on the local backend.
Between distribute and status it plays the sections: it types sample values into their
workbooks the way Excel would save them (under the section's name), a few deliberately
wrong, and one section still unfinished after the deadline, so every kind of feedback shows.
"""

from __future__ import annotations

import os
import random
import tempfile
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import click
from openpyxl import load_workbook

from sheets_sync.cli.app import App
from sheets_sync.cli.scaffold import write_example
from sheets_sync.domain import capaian
from sheets_sync.domain.calendar import fill_deadline
from sheets_sync.domain.models import Config, Indicator, Polarity
from sheets_sync.domain.worksheet import locate
from sheets_sync.ports import Role

LATE_SECTION = "humas"  # still "Sedang Diisi" after the deadline
LATE_HANDED_IN = "fasilitasi-anggaran"  # set "Selesai", but an hour after the deadline
# Deliberate mistakes: (section, indicator code, what the section typed)
MISTAKES = {
    ("tu-kepegawaian", "TU-03"): "dua puluh",  # text where a number belongs
    ("keuangan", "KEU-01"): "1.500",  # ambiguous for a percentage
    ("rumah-tangga", "RT-04"): -2,  # negative
    ("persidangan", "PERSID-03"): None,  # empty although the section says it is done
    ("pep", "PEP-02"): "72,5",  # fine: Indonesian decimal comma
    ("pep", "PEP-03"): "95%",  # fine: typed as a percentage, Excel stores 0,95 formatted 0%
    ("perundangan", "PERUU-02"): "Rp 1.500.000,-",  # implausible: rupiah for a count
}


def run_demo(app: App, workspace: Path | None) -> None:
    folder = Path(workspace) if workspace else Path(tempfile.mkdtemp(prefix="sheets-sync-demo-"))
    config_path = folder / "config" / "sync.yaml"
    if config_path.exists():
        raise click.UsageError(f"{folder} sudah berisi demo; pilih folder kosong.")
    write_example(folder)
    demo = App(config_path=config_path, console=app.console, err=app.err, stats=app.stats)
    config = demo.config()
    deadline = fill_deadline(config)
    assert deadline is not None  # the example config has its disposition time
    demo.pinned_now = deadline - timedelta(days=3)

    from sheets_sync.cli import check_commands, commands

    ctx = click.get_current_context()
    ctx.obj = demo

    def step(title: str, command: click.Command, **kwargs: Any) -> None:
        app.console.rule(f"[bold]{title}")
        try:
            ctx.invoke(command, **kwargs)
        except SystemExit as exc:  # validate exits 1 when it finds errors: expected here
            if exc.code not in (0, 1):
                raise

    step("1. sync distribute: kertas kerja untuk setiap bagian", commands.distribute,
         sections=())
    fill_like_sections(config, demo)
    demo.pinned_now = deadline + timedelta(hours=2)
    step("2. sync status: setelah batas waktu pengisian", check_commands.status, fmt="table")
    step("3. sync validate: pemeriksaan dan umpan balik ke setiap lembar", check_commands.validate,
         fmt="table", sections=(), dry_run=False)
    step("4. sync recap: rekapitulasi untuk pimpinan", commands.recap, fmt="table",
         export=folder / "laporan-kinerja.xlsx")
    app.console.rule("[bold]Selesai")
    workspace_dir = (config_path.parent / config.backend.local.workspace).resolve()
    app.console.print(
        f"Folder demo: {folder}\n"
        f"  konfigurasi : {config_path}\n"
        f"  kertas kerja: {workspace_dir / config.period.code / 'kertas-kerja'}\n"
        f"  rekap       : {workspace_dir / config.period.code / 'rekap'}\n"
        f"  laporan     : {folder / 'laporan-kinerja.xlsx'}\n"
        f"Buka berkas-berkas itu di Excel/LibreOffice. Coba lagi dengan:\n"
        f"  sync --config {config_path} status"
    )


def sample_value(ind: Indicator, rng: random.Random) -> float:
    if ind.polarity is Polarity.range:
        assert ind.target_min is not None and ind.target_max is not None
        return round(rng.uniform(ind.target_min - 5, ind.target_max), 1)
    assert ind.target is not None
    factor = rng.uniform(0.7, 1.08) if ind.polarity is Polarity.positive else rng.uniform(0.8, 1.3)
    value = ind.target * factor
    if ind.unit == "%":
        value = min(value, 100)
    return round(value) if ind.target >= 20 else round(value, 1)


def fill_like_sections(config: Config, app: App) -> None:
    """Type sample input into each section's workbook, as the section would in Excel."""
    store = app.store()
    rng = random.Random(7)
    labels = config.labels
    deadline = fill_deadline(config)
    assert deadline is not None
    for n_file, ref in enumerate(store.find(config.period.code, Role.section)):
        section = config.section(ref.tags.section or "")
        wb = load_workbook(ref.id)
        ws = wb[labels.sheet_worksheet]
        layout = locate([list(r) for r in ws.iter_rows(values_only=True)], labels)
        cols = layout.columns
        indicators = config.indicators_of(section.id)
        late = section.id == LATE_SECTION
        for n, ind in enumerate(indicators):
            if late and n >= len(indicators) // 2:
                break  # the late section has typed only half so far
            row = layout.first_row + n
            value: Any = MISTAKES.get((section.id, ind.code), sample_value(ind, rng))
            cell = ws.cell(row=row, column=cols["realisasi"])
            if isinstance(value, str) and value.endswith("%"):  # as Excel saves a typed 95%
                cell.value, cell.number_format = float(value[:-1]) / 100, "0%"
            else:
                cell.value = value
            ws.cell(row=row, column=cols["bukti"]).value = (
                f"https://drive.example/setwan-jambi/{config.period.code}/{ind.code}.pdf")
            if "budget_real" in cols and ind.budget:
                ws.cell(row=row, column=cols["budget_real"]).value = round(
                    ind.budget * rng.uniform(0.55, 0.8), -3)
            below = capaian.for_indicator(ind, value).value
            # most sections explain a shortfall; a few forget (the validator reminds them)
            if below is not None and below < 100 and rng.random() < 0.8:
                ws.cell(row=row, column=cols["keterangan"]).value = (
                    "Sebagian kegiatan dijadwalkan ulang ke triwulan IV")
        r, c = layout.header_cells["status"]
        ws.cell(row=r, column=c).value = labels.status_filling if late else labels.status_done
        wb.properties.lastModifiedBy = section.head or section.name
        wb.save(ref.id)
        # when the section saved: the day before the deadline, or an hour after it
        saved = (deadline + timedelta(hours=1) if section.id == LATE_HANDED_IN
                 else deadline - timedelta(days=1) + timedelta(minutes=7 * n_file))
        when = _epoch(saved, config)
        os.utime(ref.id, (when, when))


def _epoch(office_time: datetime, config: Config) -> float:
    return office_time.replace(tzinfo=config.office.tzinfo).timestamp()
