"""Shared pieces of the commands' output: completeness and timeliness, duplicate-workbook
warnings, targets changed since distribution, access beyond the config, and the recap's
JSON; rows as JSON or CSV."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import click

from sheets_sync.cli.app import App
from sheets_sync.domain import glossary
from sheets_sync.domain.handin import Completeness
from sheets_sync.domain.numbers import format_number


def print_completeness(app: App, c: Completeness) -> None:
    """Completeness and timeliness, as DHIS2 reports them."""
    def pct(v: float | None) -> str:
        return "-" if v is None else f"{format_number(v)}%"
    app.console.print(
        f"{glossary.EXPECTED}: {c.expected} bagian; {glossary.HANDED_IN.lower()}: {c.handed_in} "
        f"({glossary.COMPLETENESS.removesuffix(' (%)').lower()} {pct(c.completeness_rate)}); "
        f"{glossary.HANDED_IN_ON_TIME.lower()}: {c.on_time} "
        f"({glossary.TIMELINESS.removesuffix(' (%)').lower()} {pct(c.timeliness_rate)}).")


def warn_duplicates(app: App, notes: list[Any]) -> None:
    """Two workbooks for one section: which one is used and why; whether the section typed
    in the other one. On stderr, so JSON output stays clean."""
    for note in notes:
        app.err.print(
            f"[yellow]Perhatian:[/yellow] bagian {note.section} punya {len(note.others) + 1} "
            f"kertas kerja. Yang dipakai: {note.used.url or note.used.name} ({note.why}); "
            "diabaikan: " + ", ".join(o.url or o.name for o in note.others) + ".",
            soft_wrap=True)
        for other in note.others:
            if other.id in note.typed_in:
                app.err.print(
                    f"[yellow]Perhatian:[/yellow] bagian {note.section} mengisi di berkas yang "
                    f"diabaikan ({other.url or other.name}): {note.typed_in[other.id]} isian "
                    "berbeda dari berkas yang dipakai. Pindahkan isian itu ke berkas yang "
                    "dipakai, lalu hapus salinannya.", soft_wrap=True)


def recap_json(recap: Any) -> dict[str, Any]:
    """`{"sections": [...], "rows": [...], "completeness": {...}}` (domain.recap builds it)."""
    return dict(recap.as_json())


def print_target_changes(app: App, changes: list[Any]) -> None:
    for c in changes:
        done = "diperbarui di lembar" if c.updated else "lembar masih memakai target lama"
        app.console.print(f"[yellow]Target berubah:[/yellow] {c.section} {c.code} "
                          f"({c.cell or '-'}): lembar {c.sheet}, konfigurasi {c.config}; {done}.")
    if any(not c.updated for c in changes):
        app.console.print("Capaian dihitung dengan target konfigurasi. Jalankan "
                          "'sync distribute --update-targets' untuk menulis target baru ke lembar.")


def warn_extra_access(app: App, config: Any, store: Any) -> None:
    """Access beyond the config on the service's files: reported, never withdrawn here."""
    from sheets_sync.flows.access import REVOKE_HINT, extra_access_lines

    lines = extra_access_lines(config, store)
    for line in lines:
        app.err.print(f"[yellow]Perhatian:[/yellow] {line}")
    if lines:
        app.err.print(REVOKE_HINT)


def emit_rows(app: App, fmt: str, rows: list[dict[str, Any]]) -> None:
    """Rows on standard output, as JSON (`fmt` "json") or as CSV."""
    click.echo(json_text(rows) if fmt == "json" else csv_text(rows), nl=fmt == "json")


def json_text(data: Any) -> str:
    """`--format json` output: one list item (a row, an issue) per line. Python's indenting
    JSON encoder is pure Python (over a second for a 6,400-row recap); each item here goes
    through the C encoder, and the result is still easy to read and to diff."""
    def one(value: Any) -> str:
        return json.dumps(value, default=str, ensure_ascii=False)

    def block(value: Any, indent: str) -> str:
        inner = indent + "  "
        if isinstance(value, list) and value:
            return "[\n" + ",\n".join(inner + one(v) for v in value) + f"\n{indent}]"
        if isinstance(value, dict) and value:
            return "{\n" + ",\n".join(f"{inner}{one(str(k))}: {block(v, inner)}"
                                       for k, v in value.items()) + f"\n{indent}}}"
        return one(value)

    return block(data, "")



def csv_text(rows: list[dict[str, Any]]) -> str:
    """Rows as CSV, each value as a spreadsheet shows it (`_csv_cell`)."""
    buf = io.StringIO()
    if rows:
        writer = csv.DictWriter(buf, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows({k: _csv_cell(v) for k, v in row.items()} for row in rows)
    return buf.getvalue()


def _csv_cell(value: Any) -> Any:
    """A list joined with "; ", Ya/Tidak for a boolean, not Python's "['TW I', 'TW II']" and
    True."""
    if isinstance(value, bool):
        return glossary.YES if value else glossary.NO
    if isinstance(value, (list, tuple, set)):
        return "; ".join(str(_csv_cell(v)) for v in value)
    if isinstance(value, dict):
        return json_text(value)
    return value
