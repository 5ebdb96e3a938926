"""Google commands: `sync auth login`, `sync auth status`, `sync doctor`.

Import this module to register them on `main` (sheets_sync/cli/commands.py does).
Messages are for PEP staff: Indonesian first, English terms in parentheses.
"""

from __future__ import annotations

import click
from rich.markup import escape

from sheets_sync.cli.app import App
from sheets_sync.cli.exit_codes import EXIT_BACKEND
from sheets_sync.cli.main import main, pass_app
from sheets_sync.ports import BackendError


@main.group()
def auth() -> None:
    """Masuk (login) ke Google dan periksa izin akses."""


@auth.command()
@pass_app
def login(app: App) -> None:
    """Login dengan akun Google PEP (OAuth): membuka peramban, lalu menyimpan token."""
    from sheets_sync.adapters.google.auth import client_secret
    from sheets_sync.adapters.google.auth import login as do_login

    config = app.config()
    settings = config.backend.google
    if settings.auth != "oauth":
        app.console.print(
            f"Konfigurasi memakai backend.google.auth: {settings.auth} (akun layanan): tidak "
            "perlu login. Jalankan 'sync doctor' untuk memeriksa kuncinya.")
        return
    client_secret(settings, app.base_dir)  # check the file before promising a browser
    app.console.print("Peramban (browser) akan terbuka: pilih akun Google PEP dan setujui "
                      "izin Google Sheets dan Google Drive.")
    token, account = do_login(settings, app.base_dir)
    who = f" sebagai {account}" if account else ""
    app.console.print(f"[green]✓[/green] Login berhasil{who}. Token disimpan di {token} "
                      "(hanya dapat dibaca pemilik berkas; jangan dibagikan atau di-commit).",
                      markup=True)


@auth.command(name="status")
@pass_app
def auth_status(app: App) -> None:
    """Tampilkan akun yang dipakai dan apakah izinnya masih berlaku."""
    import requests

    from sheets_sync.adapters.google import auth
    from sheets_sync.adapters.google.auth import load_credentials, refresh

    settings = app.config().backend.google
    loaded = load_credentials(settings, app.base_dir)
    session = requests.Session()
    if auth.default_mount is not None:
        auth.default_mount(session)
    refresh(loaded, session, settings, app.base_dir)
    app.console.print(f"[green]✓[/green] {loaded.kind}: {loaded.account or '(akun OAuth)'}; "
                      f"izin berlaku (berkas: {loaded.source})", markup=True)


@main.command()
@pass_app
def doctor(app: App) -> None:
    """Periksa kredensial, templat, folder, rekap dan kuota, satu baris per pemeriksaan."""
    config = app.config()
    if config.backend.kind != "google":
        app.console.print("Backend lokal (folder .xlsx): tidak ada akses Google yang perlu "
                          "diperiksa.")
        return
    from sheets_sync.adapters.google.doctor import run_doctor

    try:
        checks = run_doctor(config, app.base_dir)
    except BackendError as exc:  # an unexpected failure mid-way: still one plain line
        app.console.print(f"[red]✗[/red] {escape(exc.message)}", markup=True)
        if exc.hint:
            app.console.print(f"   Apa yang perlu dilakukan: {exc.hint}")
        click.get_current_context().exit(EXIT_BACKEND)
    failed = False
    for check in checks:
        mark = {True: "[green]✓[/green]", False: "[red]✗[/red]", None: "[dim]-[/dim]"}[check.ok]
        detail = f": {check.detail}" if check.detail else ""
        app.console.print(f"{mark} {check.label}{detail}", markup=True, soft_wrap=True)
        if check.ok is False:
            failed = True
            if check.hint:
                app.console.print(f"   Apa yang perlu dilakukan: {check.hint}", soft_wrap=True)
    if failed:
        click.get_current_context().exit(EXIT_BACKEND)
    app.console.print("Semua pemeriksaan lulus.")
