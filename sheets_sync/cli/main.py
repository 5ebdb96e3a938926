"""The `sync` command group: options shared by every command and the mapping of errors a user
can fix to plain messages and exit codes (0 ok, 1 validation errors, 2 usage/config,
3 backend/access, 4 done but some sections skipped). Commands live in the sibling modules;
this file only wires them."""

from __future__ import annotations

import gc
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.markup import escape

from sheets_sync.cli import lang
from sheets_sync.cli.app import App
from sheets_sync.cli.exit_codes import EXIT_BACKEND, EXIT_SKIPPED, EXIT_USAGE
from sheets_sync.domain.errors import ConfigError, UsageProblem
from sheets_sync.flows.guard import SkippedFile
from sheets_sync.ports import BackendError, FilesSkipped

LONG_RUNNING = {"watch"}  # runs for days as a service
WRITES = "sheets_sync_writes"  # set by `writes` on a command's callback

F = TypeVar("F", bound=Callable[..., Any])


def writes(*, strict: bool = False) -> Callable[[F], F]:
    """Declares, right under `@main.command()`, that the command writes: its store holds the
    period's lock from its first call to its end (`watch`: per cycle). `strict`: its one write
    is the point, so a workbook it must skip is an error, not a note (exit 3)."""
    def mark(fn: F) -> F:
        setattr(fn, WRITES, "strict" if strict else "writes")
        return fn
    return mark


def writing_mode(command: click.Command | None) -> str | None:
    """"writes", "strict", or None (a command that only reads), as the command declares."""
    return getattr(getattr(command, "callback", None), WRITES, None)

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
        collecting = gc.isenabled()  # the command may pause the cycle collector (`main`)
        try:
            try:
                result = super().invoke(ctx)
            except SystemExit as exc:  # validate's 1 stays 1; a clean 0 becomes 4
                if _print_skipped(ctx) and exc.code in (0, None):
                    raise SystemExit(EXIT_SKIPPED) from None
                raise
            if _print_skipped(ctx):
                ctx.exit(EXIT_SKIPPED)
            return result
        except ConfigError as exc:
            _fail(ctx, "Konfigurasi bermasalah", exc.message, EXIT_USAGE)
        except UsageProblem as exc:
            _fail(ctx, "Perintah tidak dapat dijalankan", exc.message, EXIT_USAGE)
        except FilesSkipped as exc:  # the one workbook the command needed could not be used
            _fail(ctx, "Berkas tidak dapat dipakai", "; ".join(exc.skipped.values()) + ".",
                  EXIT_SKIPPED)
        except BackendError as exc:
            message = exc.message + (f"\nApa yang perlu dilakukan: {exc.hint}" if exc.hint else "")
            _fail(ctx, "Tidak dapat mengakses penyimpanan", message, EXIT_BACKEND)
        except KeyboardInterrupt:
            _fail(ctx, "Dihentikan", "Perintah dihentikan. Menjalankannya lagi aman: pekerjaan "
                  "dilanjutkan dari keadaan terakhir.", 130)
        finally:
            if collecting:
                gc.enable()  # as it was: a caller in the same process (tests) keeps its own
            app = ctx.obj
            if isinstance(app, App) and app._store is not None:
                app._store.release()  # the period's lock
            store = app._store if isinstance(app, App) and app.stats else None
            if store is not None and store.capabilities.counts_calls:
                counts = store.stats()
                parts = ", ".join(f"{k}: {v}" for k, v in sorted(counts.items()))
                app.err.print(f"Panggilan API: {sum(counts.values())} ({parts})")
        return None


def _print_skipped(ctx: click.Context) -> bool:
    """Tell which sections' workbooks were skipped this run, and why."""
    app = ctx.obj
    if not isinstance(app, App) or app._store is None:
        return False
    skipped = app._store.take_skipped()
    for s in skipped:
        who = f"bagian {s.section}" if s.section else s.name
        app.err.print(f"[yellow]Dilewati[/yellow] {escape(who)}: {escape(s.reason)}.", markup=True,
                      soft_wrap=True)
    if skipped:
        app.err.print(skipped_closing(skipped))
    return bool(skipped)


def skipped_closing(skipped: list[SkippedFile]) -> str:
    """The last line after the skipped files: what to do next, by what befell them (a deleted
    workbook is restored; one open or damaged is closed or repaired)."""
    gone = [s for s in skipped if s.missing]
    if len(gone) == len(skipped):
        return ("Selesai, tetapi ada berkas yang hilang. Pulihkan dengan perintah 'sync "
                "restore' yang disebut di atas, lalu jalankan perintah lagi.")
    if gone:
        return ("Selesai, tetapi ada bagian yang dilewati. Pulihkan berkas yang hilang dengan "
                "perintah 'sync restore' yang disebut di atas; jalankan perintah lagi setelah "
                "berkas lainnya ditutup atau diperbaiki.")
    return ("Selesai, tetapi ada bagian yang dilewati. Jalankan perintah lagi setelah "
            "berkasnya ditutup atau diperbaiki.")


def _fail(ctx: click.Context, title: str, message: str, code: int) -> None:
    app = ctx.obj if isinstance(ctx.obj, App) else App(Path("."))
    # the message is plain text: "sections[keuangan].unit" must not be read as rich markup
    app.err.print(f"[bold red]{title}:[/bold red] {escape(message)}", markup=True,
                  soft_wrap=True)
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
    from sheets_sync.caches import holiday_cache

    holiday_cache.use_cache()  # national holidays from disk, not the package, after once
    if ctx.invoked_subcommand not in LONG_RUNNING:
        # A command builds a few hundred thousand cell values and ends in seconds: Python's
        # cycle collector would walk them again and again (a tenth of a recap's time) for
        # garbage that reference counting frees anyway. The watcher keeps collecting.
        gc.disable()
    sub = ctx.command.get_command(ctx, ctx.invoked_subcommand or "") \
        if isinstance(ctx.command, click.Group) else None
    mode = writing_mode(sub)
    ctx.obj = App(config_path=config_path, stats=stats, writing=mode is not None,
                  strict=mode == "strict")


pass_app = click.make_pass_decorator(App)

# Options several commands share.
FORMAT = click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]),
                      default="table", show_default=True, help="Bentuk keluaran.")
SECTION = click.option("--section", "sections", multiple=True, metavar="ID",
                       help="Hanya bagian ini (boleh diulang).")
