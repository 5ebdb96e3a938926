"""The .xlsx format: a workbook's values read, a `WorkbookPatch` written into one, a new one
made. Everything outside this package goes through these front-door names; the modules inside
are its own business.

    read(source, sheets)  the values of the named sheets, as a person sees them.
        First straight from the sheet XML (`values`, with cells found by pattern in
        `cell_scan`, else by the XML parser): several times faster than openpyxl's cells.
        Whatever that does not handle, openpyxl reads in read-only mode. A file that cannot
        be read either way raises `Unreadable`.
    write(data, patch)    the workbook `data` with `patch` written in.
        In place when the patch and the package allow it (`xml_patch` with the `xml_*`
        modules: the zip opened and only the parts the patch touches edited as text, a few ms
        instead of ~0.1 s). Else openpyxl loads, renders (`xlsx_render`) and saves it all,
        without parsing the sheets the patch clears (`cleared_sheets`), with the cells of
        large cleared sheets written as XML text (`bulk_cells`), and with the results Excel
        had saved for unchanged formulas put back (`formula_values`), and each sheet's
        printer settings tied to it again (`printer_settings`). A package openpyxl
        cannot load raises `Unreadable`.
    new(patch)            a new workbook holding `patch`, set up to print (landscape, one page
        wide), through openpyxl as the fallback of `write`.

Every fast path says "not with certainty" the same way, `errors.NotHandled`, and the front
door then takes the general one: the result is the same workbook for the user either way
(tests/local/test_local_xml_patch.py, tests/local/test_local_recap_write.py hold them to it).
`SHORTCUTS` turns fast paths off, for benchmarks and tests that compare them with the plain
way. What happens around a file (locks, retries, the checked swap, backups) is not here:
that is `adapters/local/workbook_io.py` and `files.py`.
"""

from __future__ import annotations

import contextlib
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook

from sheets_sync.adapters.local.xlsx import bulk_cells
from sheets_sync.adapters.local.xlsx.cleared_sheets import without_cleared
from sheets_sync.adapters.local.xlsx.errors import NotHandled, Unreadable
from sheets_sync.adapters.local.xlsx.formula_values import saved_results, with_results
from sheets_sync.adapters.local.xlsx.notes import SERVICE_NAME
from sheets_sync.adapters.local.xlsx.printer_settings import (
    kept_printer_settings,
    with_printer_settings,
)
from sheets_sync.adapters.local.xlsx.values import as_seen, read_values
from sheets_sync.adapters.local.xlsx.xlsx_render import trim
from sheets_sync.adapters.local.xlsx.xml_patch import write_in_place
from sheets_sync.domain.patch import WorkbookPatch
from sheets_sync.ports import ALL_SHEETS, Grid

__all__ = ["SERVICE_NAME", "SHORTCUTS", "Shortcuts", "Unreadable", "last_modified_by", "new",
           "read", "write"]


@dataclass
class Shortcuts:
    """The fast paths the front door takes when it can (all on; a benchmark or a test turns
    some off to compare with the plain way)."""

    in_place: bool = True  # write: edit the package in place (xml_patch)
    skip_cleared: bool = True  # write: cleared sheets are not parsed by openpyxl
    bulk_from: int = bulk_cells.BULK_FROM  # write: a cleared sheet this large gets XML cells
    scan: bool = True  # read: cells found by pattern before the XML parser


SHORTCUTS = Shortcuts()

# What the fast read raises for a package it does not read: openpyxl then reads it (and
# says what is wrong with it)
_NOT_READ_FAST = (NotHandled, zipfile.BadZipFile, KeyError, OSError, ValueError, SyntaxError,
                  IndexError)


def read(source: Path | bytes, sheets: tuple[str, ...]) -> dict[str, Grid]:
    """The named sheets' values, trimmed (`ALL_SHEETS`: every sheet, to find a renamed
    worksheet by its content). `Unreadable` for a damaged file; FileNotFoundError and
    PermissionError as they are (gone, or in use: not damage)."""
    try:
        with contextlib.suppress(*_NOT_READ_FAST):
            return {title: trim(grid) for title, grid
                    in read_values(_opened(source), sheets, scan=SHORTCUTS.scan).items()}
        return _read_openpyxl(_opened(source), sheets)
    except (FileNotFoundError, PermissionError):
        raise
    except Exception as exc:  # damage surfaces lazily, while the rows are parsed
        raise Unreadable(exc) from exc


def _opened(source: Path | bytes) -> Any:
    return io.BytesIO(source) if isinstance(source, bytes) else source


def _read_openpyxl(source: Any, sheets: tuple[str, ...]) -> dict[str, Grid]:
    # data_only: the values a person sees (a typed formula's result), as Google's
    # UNFORMATTED_VALUE gives them.
    wb = load_workbook(source, read_only=True, data_only=True)
    try:
        wanted = [t for t in wb.sheetnames if t in sheets or ALL_SHEETS in sheets]
        return {t: trim([[_value(c) for c in r] for r in wb[t].iter_rows()]) for t in wanted}
    finally:
        wb.close()


def _value(cell: Any) -> Any:
    return as_seen(cell.value, getattr(cell, "number_format", None))


def write(data: bytes, patch: WorkbookPatch) -> bytes:
    """The workbook `data` (a whole .xlsx file) with `patch` written in. `Unreadable` when
    the package cannot be loaded (damaged or half-saved)."""
    if SHORTCUTS.in_place:
        with contextlib.suppress(NotHandled):
            return write_in_place(data, patch)
    try:
        # the sheets the patch clears are not parsed: nothing of them survives
        wb = load_workbook(io.BytesIO(without_cleared(data, patch) if SHORTCUTS.skip_cleared
                                      else data))
    except Exception as exc:  # any parse failure of a half-saved file is damage
        raise Unreadable(exc) from exc
    bulk = bulk_cells.render_with_bulk(wb, patch, SHORTCUTS.bulk_from)
    for sheet in patch.sheets:  # rebuilt from nothing: printed as when created
        if sheet.clear and sheet.page_setup is None and sheet.title in wb.sheetnames:
            _print_setup(wb[sheet.title])
    saved = _saved(wb, bulk)
    # openpyxl drops the results of the section's formulas: the ones Excel saved go back;
    # and the sheets' printer settings, which go back too
    results = saved_results(data)
    saved = with_results(saved, results) if results else saved
    printers = kept_printer_settings(data)
    return with_printer_settings(saved, printers) if printers else saved


def new(patch: WorkbookPatch) -> bytes:
    """A new workbook (a whole .xlsx file) holding `patch`, set up to print."""
    wb = Workbook()
    default = wb.active
    bulk = bulk_cells.render_with_bulk(wb, patch, SHORTCUTS.bulk_from)
    if default is not None and default.title not in {s.title for s in patch.sheets}:
        wb.remove(default)
    for ws in wb.worksheets:
        if ws.title not in {s.title for s in patch.sheets if s.page_setup is not None}:
            _print_setup(ws)  # else the patch's own print setup (xlsx_present)
    return _saved(wb, bulk)


def _print_setup(ws: Any) -> None:
    """How offices print the service's sheets: landscape, one page wide."""
    ws.page_setup.orientation = "landscape"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0


def _saved(wb: Any, bulk: list[bulk_cells.BulkSheet]) -> bytes:
    """`wb` saved, with the cells of `bulk` (`render_with_bulk`) in their sheets."""
    wb.properties.lastModifiedBy = SERVICE_NAME
    out = io.BytesIO()
    bulk_cells.save_with_bulk(wb, out, bulk)
    return out.getvalue()


def last_modified_by(path: Path) -> str | None:
    """`cp:lastModifiedBy` from docProps/core.xml, without loading the workbook."""
    try:
        with zipfile.ZipFile(path) as z:
            xml = z.read("docProps/core.xml").decode("utf-8", "replace")
    except (OSError, KeyError, zipfile.BadZipFile, EOFError, ValueError):
        return None
    start = xml.find("lastModifiedBy>")
    if start < 0:
        return None
    end = xml.find("<", start)
    return xml[start + len("lastModifiedBy>"):end] or None
