"""The `sync` command group: options shared by every command and the mapping of errors a user
can fix to plain messages and exit codes (0 ok, 1 validation errors, 2 usage/config,
3 backend/access). Commands live in the sibling modules; this file only wires them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from sheets_sync.cli import lang
from sheets_sync.cli.app import App
from sheets_sync.errors import EXIT_BACKEND, EXIT_USAGE, BackendError, ConfigError, UsageProblem

lang.install()  # click's own messages ("Usage:", "Missing option") in Indonesian


class _Command(click.Command):
    """A command whose usage line speaks Indonesian too."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "[OPSI]")
        super().__init__(*args, **kwargs)


class _Group(click.Group):
    command_class = _Command
    group_class = type  # subgroups (sync auth ...) are of this class too

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "[OPSI]")
        kwargs.setdefault("subcommand_metavar", "PERINTAH [ARGUMEN]...")
        super().__init__(*args, **kwargs)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ConfigError as exc:
            _fail(ctx, "Konfigurasi bermasalah", exc.message, EXIT_USAGE)
        except UsageProblem as exc:
            _fail(ctx, "Perintah tidak dapat dijalankan", exc.message, EXIT_USAGE)
        except BackendError as exc:
            message = exc.message + (f"\nApa yang perlu dilakukan: {exc.hint}" if exc.hint else "")
            _fail(ctx, "Tidak dapat mengakses penyimpanan", message, EXIT_BACKEND)
        except KeyboardInterrupt:
            _fail(ctx, "Dihentikan", "Perintah dihentikan. Menjalankannya lagi aman: pekerjaan "
                  "dilanjutkan dari keadaan terakhir.", 130)
        finally:
            app = ctx.obj
            if isinstance(app, App) and app.stats and app._store is not None:
                stats = getattr(app._store, "stats", None)
                if callable(stats):
                    counts = stats()
                    parts = ", ".join(f"{k}: {v}" for k, v in sorted(counts.items()))
                    app.err.print(f"Panggilan API: {sum(counts.values())} ({parts})")
        return None


def _fail(ctx: click.Context, title: str, message: str, code: int) -> None:
    app = ctx.obj if isinstance(ctx.obj, App) else App(Path("."))
    app.err.print(f"[bold red]{title}:[/bold red] {message}", markup=True, soft_wrap=True)
    ctx.exit(code)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--config", "config_path", envvar="SHEETS_SYNC_CONFIG", default="config/sync.yaml",
    show_default=True, type=click.Path(path_type=Path),
    help="Berkas konfigurasi (YAML). Juga dari variabel SHEETS_SYNC_CONFIG.",
)
@click.option("--stats", is_flag=True, help="Tampilkan jumlah panggilan API setelah perintah.")
@click.version_option(package_name="sheets-sync")
@click.pass_context
def main(ctx: click.Context, config_path: Path, stats: bool) -> None:
    """sheets-sync: pengumpulan data kinerja per bagian (SOP PEP), di Google Sheets atau di
    folder berkas .xlsx.

    Urutan biasa: distribute -> status -> validate -> recap (atau watch).
    """
    ctx.obj = App(config_path=config_path, stats=stats)


pass_app = click.make_pass_decorator(App)
