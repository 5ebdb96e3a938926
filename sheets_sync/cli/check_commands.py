"""SOP step 4's commands: status (who has handed in, when, who is late; only reads) and
validate (the rules, with feedback written into each section's workbook).

Each parses its options, calls one flow, and renders the result (rich tables on screen,
`--format json` or `csv` for machines).
"""

from __future__ import annotations

from typing import Any

import click
from rich.markup import escape
from rich.table import Table

from sheets_sync.cli.app import App
from sheets_sync.cli.exit_codes import EXIT_ISSUES
from sheets_sync.cli.main import FORMAT, SECTION, main, pass_app, writes
from sheets_sync.cli.render import (
    emit_rows,
    json_text,
    print_completeness,
    warn_duplicates,
    warn_extra_access,
)
from sheets_sync.domain import glossary
from sheets_sync.domain.calendar import format_datetime_id
from sheets_sync.domain.handin import timeliness_json
from sheets_sync.domain.models import Config, Issue, Severity

SEVERITY_ID = {k.value: v for k, v in glossary.SEVERITY.items()}  # as the sheets say
SEVERITY_STYLE = {"error": "red", "warning": "yellow", "info": "cyan"}


@main.command()
@FORMAT
@pass_app
def status(app: App, fmt: str) -> None:
    """Siapa sudah menyerahkan, kapan, dan siapa terlambat (hanya membaca)."""
    from sheets_sync.flows.status import status_report

    config, store = app.config(), app.store()
    report = status_report(config, store, app.now())
    warn_duplicates(app, report.duplicates)
    warn_extra_access(app, config, store)
    rows = report.rows
    if fmt != "table":
        data = [{"section": r.section, "name": r.name, "state": r.state, "filled": r.filled,
                 "total": r.total, "last_change": _iso(r.modified), "changed_by": r.modified_by,
                 "deadline": _iso(r.deadline), "url": r.url,
                 **timeliness_json(report.timeliness[r.section])} for r in rows]
        if fmt == "json":
            click.echo(json_text({"sections": data,
                                  "completeness": report.completeness.as_json()}))
        else:
            emit_rows(app, fmt, data)
        return
    table = Table(title=f"Status pengisian {config.period.label}")
    for col in ("Bagian", "Status", "Terisi", "Perubahan terakhir", "Batas waktu",
                glossary.HANDED_IN_AT, glossary.LATE):
        table.add_column(col)
    for r in rows:
        changed = r.modified.strftime("%d-%m-%Y %H:%M") if r.modified else "-"
        if r.modified and r.modified_by:  # the section's own change, and who made it
            changed += f"\noleh {escape(r.modified_by)}"
        table.add_row(r.name, r.state, f"{r.filled}/{r.total}", changed,
                      format_datetime_id(r.deadline),
                      r.handed_in_at.strftime("%d-%m-%Y %H:%M") if r.handed_in_at else "-",
                      f"[red]{glossary.YES}[/red]" if r.late else glossary.NO)
    app.console.print(table)
    late = [r.name for r in rows if r.late]
    if late:
        app.console.print(f"[red]{glossary.LATE}:[/red] {', '.join(late)}")
    print_completeness(app, report.completeness)
    from sheets_sync.cli.service_commands import heartbeat_line, lock_line

    line, warn = heartbeat_line(app)
    app.console.print(f"[yellow]{line}[/yellow]" if warn else line)
    lock_line(app, store, config.period.code)


# --------------------------------------------------------------------------- validate


@main.command()
@writes()
@FORMAT
@SECTION
@click.option("--dry-run", is_flag=True, help="Periksa saja; jangan tulis umpan balik ke lembar.")
@pass_app
def validate(app: App, fmt: str, sections: tuple[str, ...], dry_run: bool) -> None:
    """Periksa isian semua bagian (SOP langkah 4) dan tulis umpan balik ke lembarnya.

    Kode keluar 1 bila ada kesalahan."""
    from sheets_sync.flows.validate import validate as run

    config, store = app.config(), app.store()
    count = len(sections) or len(config.sections)
    with app.err.status(f"Memeriksa {count} bagian ..."):  # a spinner: the reads run together
        report = run(config, store, sections=list(sections) or None, dry_run=dry_run,
                     now=app.now())
    warn_duplicates(app, report.duplicates)
    warn_extra_access(app, config, store)
    if fmt == "json":
        click.echo(json_text({"summary": report.summary(), "untouched": report.untouched,
                              "issues": [issue_json(i) for i in report.issues]}))
    elif fmt == "csv":
        emit_rows(app, "csv", [issue_json(i) for i in report.issues])
    else:
        _render_issues(app, config.section, report.issues)
        s = report.summary()
        untouched = len(report.untouched)
        checked = (f"{s['sections']} bagian diperiksa" if not untouched else
                   f"{s['sections']} bagian diperiksa ({untouched} di antaranya belum diisi)")
        app.console.print(
            f"{checked}: {s['valid']} valid, {s['errors']} "
            f"{glossary.SEVERITY_PLURAL[Severity.error]}, {s['warnings']} "
            f"{glossary.SEVERITY_PLURAL[Severity.warning]}."
            + (f" Umpan balik ditulis ke {len(report.written)} lembar." if report.written else "")
            + (" (uji coba: tidak ada yang ditulis)" if dry_run else "")
        )
        if report.untouched:
            app.console.print("Belum diisi (lembarnya dibiarkan seperti saat dikirim): "
                              + ", ".join(_name(config, sid) for sid in report.untouched))
        if report.not_distributed:
            app.console.print("Belum didistribusikan: "
                              + ", ".join(_name(config, sid) for sid in report.not_distributed)
                              + " (jalankan 'sync distribute').")
    if report.has_errors:
        raise SystemExit(EXIT_ISSUES)


def _name(config: Config, section: str) -> str:
    """A section as PEP knows it: its name, with the id the commands take."""
    try:
        return f"{config.section(section).name} ({section})"
    except KeyError:  # a workbook of a section no longer in the config
        return section


def issue_json(i: Issue) -> dict[str, Any]:
    return {"section": i.section, "indicator": i.indicator, "cell": i.cell, "rule": i.rule,
            "severity": i.severity.value, "message": i.message, "suggestion": i.suggestion,
            "sheet": i.sheet, "spreadsheet": i.spreadsheet, "row": i.row, "column": i.column,
            "key": i.key, "confirmed": i.confirmed}


def _render_issues(app: App, section_of: Any, issues: list[Issue]) -> None:
    by_section: dict[str, list[Issue]] = {}
    for i in issues:
        by_section.setdefault(i.section, []).append(i)
    order = {Severity.error: 0, Severity.warning: 1, Severity.info: 2}
    for section, items in by_section.items():
        try:
            title = section_of(section).name
        except KeyError:
            title = section
        table = Table(title=title, title_justify="left", show_lines=False)
        for col in ("Tingkat", "Sel", "Indikator", "Pesan", "Saran Perbaikan", "Kunci"):
            table.add_column(col, overflow="fold")
        for i in sorted(items, key=lambda i: (order[i.severity], i.row or 0)):
            sev = i.severity.value
            label = SEVERITY_ID[sev] + (" (dikonfirmasi)" if i.confirmed else "")
            table.add_row(f"[{SEVERITY_STYLE[sev]}]{label}[/]", i.cell or "-",
                          i.indicator or "-", i.message, i.suggestion or "", i.key)
        app.console.print(table)


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None
