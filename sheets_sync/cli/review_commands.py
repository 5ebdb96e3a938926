"""The confirmation loop of SOP step 4: `sync confirm`, `sync approve`, `sync reopen`.

Plain messages; exit codes per the README table: 0 done (or nothing to do), 1 the section
still has open issues (approve refused), 2 a usage mistake (unknown section or issue, missing
note, a step that does not fit the state), 3 backend or access error, 4 its workbook unusable.
"""

from __future__ import annotations

import getpass
import json

import click
from rich.markup import escape

from sheets_sync.cli.app import App
from sheets_sync.cli.exit_codes import EXIT_ISSUES, EXIT_USAGE
from sheets_sync.cli.main import main, pass_app, writes
from sheets_sync.domain.review import ReviewError
from sheets_sync.flows.review import ReviewResult


def _default_user() -> str:
    try:
        return getpass.getuser() or "PEP"
    except (KeyError, OSError):  # no login name (some containers, services)
        return "PEP"


BY = click.option("--by", "who", default=_default_user, show_default="nama pengguna komputer",
                  help="Siapa yang melakukan (dicatat pada lembar).")
FORMAT = click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
                      show_default=True, help="Bentuk keluaran.")


def _done(app: App, fmt: str, result: ReviewResult) -> None:
    if fmt == "json":
        click.echo(json.dumps({
            "section": result.section, "action": result.action, "changed": result.changed,
            "status": result.status, "message": result.message,
            "issue": result.issue.key if result.issue else None,
            "open_issues": [i.key for i in result.open_issues],
        }, ensure_ascii=False, indent=2))
        return
    app.console.print(result.message)
    if result.action == "confirm" and result.changed:
        if result.open_issues:
            app.console.print(f"Masih terbuka pada bagian ini: "
                              f"{', '.join(i.key for i in result.open_issues)}.")
        elif result.status:
            app.console.print(f"Status bagian sekarang: {result.status}.")


def _refused(app: App, exc: ReviewError, code: int = EXIT_USAGE) -> None:
    app.err.print(f"[bold red]Tidak dapat dilakukan:[/bold red] {escape(exc.message)}", markup=True,
                  soft_wrap=True)
    raise SystemExit(code)


@main.command()
@writes(strict=True)
@click.argument("section", metavar="BAGIAN")
@click.argument("issue", metavar="TEMUAN")
@click.option("--note", required=True, help="Hasil konfirmasi dengan bagian (wajib).")
@BY
@FORMAT
@pass_app
def confirm(app: App, section: str, issue: str, note: str, who: str, fmt: str) -> None:
    """Catat bahwa PEP sudah mengonfirmasi sebuah peringatan dengan bagian.

    TEMUAN adalah kode temuan dari 'sync validate' (mis. keterangan-capaian:U1) atau selnya
    (mis. I10). Peringatan yang dikonfirmasi tidak lagi menghalangi status Valid; bila nilai
    selnya diubah kemudian, konfirmasi gugur dan temuan muncul lagi.
    """
    from sheets_sync.flows.review import confirm as run

    config, store = app.config(), app.store()
    try:
        result = run(config, store, section, issue, note, who, app.now())
    except ReviewError as exc:
        _refused(app, exc)
        return
    _done(app, fmt, result)


@main.command()
@writes(strict=True)
@click.argument("section", metavar="BAGIAN")
@click.option("--note", default="", help="Catatan persetujuan (opsional).")
@BY
@FORMAT
@pass_app
def approve(app: App, section: str, note: str, who: str, fmt: str) -> None:
    """Setujui data sebuah bagian dan kunci lembar kerjanya.

    Hanya bila tidak ada kesalahan dan semua peringatan sudah dikonfirmasi; kode keluar 1 bila
    masih ada temuan terbuka.
    """
    from sheets_sync.flows.review import approve as run

    config, store = app.config(), app.store()
    try:
        result = run(config, store, section, who, app.now(), note=note)
    except ReviewError as exc:
        _refused(app, exc, EXIT_ISSUES if exc.open_issues else EXIT_USAGE)
        return
    _done(app, fmt, result)


@main.command()
@writes(strict=True)
@click.argument("section", metavar="BAGIAN")
@click.option("--reason", required=True, help="Alasan membuka kembali (wajib).")
@BY
@FORMAT
@pass_app
def reopen(app: App, section: str, reason: str, who: str, fmt: str) -> None:
    """Buka kembali lembar kerja sebuah bagian agar dapat diisi lagi (status Sedang Diisi)."""
    from sheets_sync.flows.review import reopen as run

    try:
        result = run(app.config(), app.store(), section, reason, who, app.now())
    except ReviewError as exc:
        _refused(app, exc)
        return
    _done(app, fmt, result)
