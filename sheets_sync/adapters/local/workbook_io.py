"""Reading and writing one .xlsx workbook, as module-level functions so a process pool can
run them. A workbook that cannot be used this run (damaged, half-saved, open in Excel or
LibreOffice, changing all the time) is not an exception for the batch: the function says why
(`Skip`), and the store reports it while the other sections carry on.
"""

from __future__ import annotations

import contextlib
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import tzinfo
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from sheets_sync.adapters.local import files
from sheets_sync.adapters.local.bulk_cells import BulkSheet, render_with_bulk, save_with_bulk
from sheets_sync.adapters.local.cleared_sheets import without_cleared
from sheets_sync.adapters.local.formula_values import saved_results, with_results
from sheets_sync.adapters.local.values import Unsupported, as_seen, read_values
from sheets_sync.adapters.local.xlsx_render import SERVICE_NAME, trim
from sheets_sync.adapters.local.xml_patch import patched
from sheets_sync.domain.patch import WorkbookPatch
from sheets_sync.ports import ALL_SHEETS, BackendError, Grid

ATTEMPTS = 5  # a section saving again and again meanwhile: start again from its version


@dataclass(frozen=True)
class Skip:
    """Why a workbook was left alone this run (plain Indonesian, names the file)."""

    reason: str


def _damaged(path: Path, exc: BaseException) -> Skip:
    return Skip(f"{path.name} rusak atau belum selesai disimpan ({type(exc).__name__}); "
                "bukalah di Excel/LibreOffice dan simpan lagi, atau pulihkan dengan "
                "'sync restore'")


def _gone(path: Path) -> BackendError:
    return BackendError(f"berkas {path} tidak ada lagi.",
                        hint="Jalankan 'sync distribute' untuk membuatnya kembali.")


def apply_file(path: Path, patch: WorkbookPatch, zone: tzinfo | None = None) -> Skip | None:
    """Write `patch` into the workbook at `path` (None), or say why it was left alone
    (`zone`: the office's, for the time in a message)."""
    for _attempt in range(ATTEMPTS):
        busy = files.office_lock(path, zone)
        if busy:
            return Skip(_busy(path, busy))
        try:
            read = files.snapshot(path)
        except FileNotFoundError:
            raise _gone(path) from None
        except PermissionError:
            return Skip(f"{path.name} tidak dapat dibuka (mungkin sedang dipakai)")
        # The package edited in place when the patch and the file allow it (xml_patch.py:
        # a few ms instead of ~0.1 s); else openpyxl loads, renders and saves it all.
        fast = patched(read.data, patch)
        if fast is not None:
            tmp = write_temp(fast, path)
        else:
            try:
                # the sheets the patch clears are not parsed: nothing of them survives
                wb = load_workbook(io.BytesIO(without_cleared(read.data, patch)))
            except Exception as exc:  # any parse failure of a half-saved file is damage
                if files.wait_settled(path):
                    continue
                return _damaged(path, exc)
            bulk = render_with_bulk(wb, patch)  # large cleared sheets' cells as XML
            for sheet in patch.sheets:  # rebuilt from nothing: printed as when created
                if sheet.clear and sheet.title in wb.sheetnames:
                    print_setup(wb[sheet.title])
            tmp = save_temp(wb, path, bulk)
            keep_saved_results(read.data, tmp)  # openpyxl drops the section's formula results
        if same_content(read.data, tmp):  # nothing changed: no write, no backup pushed out
            tmp.unlink(missing_ok=True)
            return None
        # The save took a while: check again right before replacing (the swap itself also
        # verifies the content, so a section's save is never overwritten).
        busy = files.office_lock(path, zone)
        if busy:
            tmp.unlink(missing_ok=True)
            return Skip(_busy(path, busy))
        try:
            if files.swap_in(path, tmp, read, files.backup_folder(path)):
                return None
        except PermissionError:
            return Skip(f"{path.name} sedang dibuka dan tidak dapat diganti; tidak ditulis "
                        "kali ini")
        except OSError as exc:
            raise _unwritable(path, exc) from None
    return Skip(f"{path.name} terus berubah selama ditulis; tidak ditulis kali ini")


# Rewritten on every save whatever else changed (the save time): not a change of content.
VOLATILE_PARTS = frozenset({"docProps/core.xml"})


def same_content(before: bytes, tmp: Path) -> bool:
    """Whether the workbook in `tmp` holds exactly what `before` held, part by part (the save
    time aside): then writing it would only push a useful backup out."""
    try:
        with zipfile.ZipFile(io.BytesIO(before)) as old, zipfile.ZipFile(tmp) as new:
            names = set(old.namelist())
            if names != set(new.namelist()):
                return False
            return all(old.read(n) == new.read(n) for n in names - VOLATILE_PARTS)
    except (OSError, zipfile.BadZipFile, KeyError):
        return False


def _busy(path: Path, holder: str) -> str:
    return (f"{path.name} {holder}; tidak ditulis kali ini (bila tidak ada yang membukanya, "
            "misalnya setelah komputer mati mendadak, hapus berkas kunci itu)")


def print_setup(ws: Any) -> None:
    """How offices print the service's sheets: landscape, one page wide."""
    ws.page_setup.orientation = "landscape"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0


def save_temp(wb: Any, path: Path, bulk: list[BulkSheet] | None = None) -> Path:
    """`wb` saved to a temp file for `path`, in the service's hidden folder, with the cells
    of `bulk` (`render_with_bulk`) in their sheets."""
    wb.properties.lastModifiedBy = SERVICE_NAME
    return _to_temp(path, lambda tmp: save_with_bulk(wb, tmp, bulk or []))


def keep_saved_results(before: bytes, tmp: Path) -> None:
    """Put back into the saved `tmp` the results Excel had saved for unchanged formulas."""
    results = saved_results(before)
    if results:
        tmp.write_bytes(with_results(tmp.read_bytes(), results))


def write_temp(data: bytes, path: Path) -> Path:
    """`data` (a whole .xlsx file) written to a temp file for `path`, as `save_temp`."""
    return _to_temp(path, lambda tmp: tmp.write_bytes(data))


def _to_temp(path: Path, write: Callable[[Path], object]) -> Path:
    tmp: Path | None = None
    try:
        tmp = files.temp_file(path)
        write(tmp)
        return tmp
    except OSError as exc:
        if tmp is not None:
            with contextlib.suppress(OSError):
                tmp.unlink()
        raise _unwritable(path, exc) from None


def _unwritable(path: Path, exc: OSError) -> BackendError:
    what = ("mungkin sedang dibuka di Excel" if isinstance(exc, PermissionError)
            else exc.strerror or type(exc).__name__)
    return BackendError(
        f"{path} tidak dapat ditulis ({what}).",
        hint="Tutup berkas itu bila sedang dibuka, periksa bahwa folder kerja dapat "
             "ditulis (backend.local.workspace), lalu jalankan perintah lagi.",
    )


def read_file(path: Path, sheets: tuple[str, ...]) -> dict[str, Grid] | Skip:
    """The named sheets' values (`ALL_SHEETS`: every sheet, to find a renamed worksheet by
    its content)."""
    for attempt in range(2):
        try:
            return _read(path, sheets)
        except FileNotFoundError:
            raise _gone(path) from None
        except PermissionError:
            return Skip(f"{path.name} tidak dapat dibuka (mungkin sedang dipakai)")
        except Exception as exc:  # damage surfaces lazily, while the rows are parsed
            if attempt == 0 and files.wait_settled(path):
                continue
            return _damaged(path, exc)
    raise AssertionError("unreachable")


def _read(path: Path, sheets: tuple[str, ...]) -> dict[str, Grid]:
    # Values straight from the sheet XML (values.py): several times faster than openpyxl's
    # read-only cells. openpyxl below for what it does not handle, and for the messages.
    with contextlib.suppress(Unsupported, zipfile.BadZipFile, KeyError, OSError, ValueError,
                             SyntaxError, IndexError):
        return {title: trim(grid) for title, grid in read_values(path, sheets).items()}
    # data_only: the values a person sees (a typed formula's result), as Google's
    # UNFORMATTED_VALUE gives them.
    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        wanted = [t for t in wb.sheetnames if t in sheets or ALL_SHEETS in sheets]
        return {t: trim([[_value(c) for c in r] for r in wb[t].iter_rows()]) for t in wanted}
    finally:
        wb.close()


def _value(cell: Any) -> Any:
    return as_seen(cell.value, getattr(cell, "number_format", None))


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
