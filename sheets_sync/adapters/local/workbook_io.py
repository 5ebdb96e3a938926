"""Reading and writing one .xlsx workbook, as module-level functions so a process pool can
run them. A workbook that cannot be used this run (damaged, half-saved, open in Excel or
LibreOffice, changing all the time) is not an exception for the batch: the function says why
(`Skipped`), and the store reports it while the other sections carry on.
"""

from __future__ import annotations

import contextlib
import io
import zipfile
from dataclasses import dataclass
from datetime import tzinfo
from pathlib import Path

from sheets_sync.adapters.local import file_problems, files, xlsx
from sheets_sync.domain.os_words import why
from sheets_sync.domain.patch import WorkbookPatch
from sheets_sync.ports import BackendError, Grid

ATTEMPTS = 5  # a section saving again and again meanwhile: start again from its version


@dataclass(frozen=True)
class Skipped:
    """Why a workbook was skipped this run (plain Indonesian, names the file)."""

    reason: str


def _damaged(path: Path, exc: BaseException) -> Skipped:
    """What the file is decides the message (encrypted, .xls, text, mid-sync, damaged), not
    the parser's exception, whose English name says nothing to the user."""
    del exc
    return Skipped(file_problems.unreadable(path))


def _gone(path: Path) -> BackendError:
    return BackendError(f"berkas {path} tidak ada lagi.",
                        hint="Jalankan 'sync distribute' untuk membuatnya kembali.")


def apply_file(path: Path, patch: WorkbookPatch, zone: tzinfo | None = None) -> Skipped | None:
    """Write `patch` into the workbook at `path` (None), or say why it was skipped
    (`zone`: the office's, for the time in a message)."""
    for _attempt in range(ATTEMPTS):
        busy = files.office_lock(path, zone)
        if busy:
            return Skipped(_busy(path, busy))
        read_only = file_problems.read_only(path)
        if read_only:
            return Skipped(read_only)
        try:
            read = files.snapshot(path)
        except FileNotFoundError:
            raise _gone(path) from None
        except PermissionError:
            return Skipped(file_problems.not_permitted(path, zone))
        try:
            data = xlsx.write(read.data, patch)
        except xlsx.Unreadable as exc:  # a half-saved file, or damage
            if files.wait_settled(path):
                continue
            return _damaged(path, exc.cause)
        if same_content(read.data, data):  # nothing changed: no write, no backup pushed out
            return None
        tmp = write_temp(data, path)
        # The save took a while: check again right before replacing (the swap itself also
        # verifies the content, so a section's save is never overwritten).
        busy = files.office_lock(path, zone)
        if busy:
            tmp.unlink(missing_ok=True)
            return Skipped(_busy(path, busy))
        try:
            if files.swap_in(path, tmp, read, files.backup_folder(path)):
                return None
        except PermissionError:
            return Skipped(file_problems.read_only(path)
                           or file_problems.not_permitted(path, zone))
        except OSError as exc:
            raise _unwritable(path, exc) from None
    return Skipped(f"{path.name} terus berubah selama ditulis; tidak ditulis kali ini")


def _busy(path: Path, holder: str) -> str:
    return (f"{path.name} {holder}; tidak ditulis kali ini (bila tidak ada yang membukanya, "
            "misalnya setelah komputer mati mendadak, hapus berkas kunci itu)")


# Rewritten on every save whatever else changed (the save time): not a change of content.
VOLATILE_PARTS = frozenset({"docProps/core.xml"})


def same_content(before: bytes, after: bytes) -> bool:
    """Whether the workbook `after` holds exactly what `before` held, part by part (the save
    time aside): then writing it would only push a useful backup out."""
    try:
        with zipfile.ZipFile(io.BytesIO(before)) as old, \
                zipfile.ZipFile(io.BytesIO(after)) as new:
            names = set(old.namelist())
            if names != set(new.namelist()):
                return False
            return all(old.read(n) == new.read(n) for n in names - VOLATILE_PARTS)
    except (OSError, zipfile.BadZipFile, KeyError, EOFError, ValueError):
        return False


def write_temp(data: bytes, path: Path) -> Path:
    """`data` (a whole .xlsx file) written to a temp file for `path`, in the service's
    hidden folder."""
    tmp: Path | None = None
    try:
        tmp = files.temp_file(path)
        tmp.write_bytes(data)
        return tmp
    except OSError as exc:
        if tmp is not None:
            with contextlib.suppress(OSError):
                tmp.unlink()
        raise _unwritable(path, exc) from None


def _unwritable(path: Path, exc: OSError) -> BackendError:
    what = ("mungkin sedang dibuka di Excel" if isinstance(exc, PermissionError)
            else why(exc))
    return BackendError(
        f"{path} tidak dapat ditulis ({what}).",
        hint="Tutup berkas itu bila sedang dibuka, periksa bahwa folder kerja dapat "
             "ditulis (backend.local.workspace), lalu jalankan perintah lagi.",
    )


def read_file(path: Path, sheets: tuple[str, ...]) -> dict[str, Grid] | Skipped:
    """The named sheets' values (`ALL_SHEETS`: every sheet, to find a renamed worksheet by
    its content)."""
    for attempt in range(2):
        try:
            return xlsx.read(path, sheets)
        except FileNotFoundError:
            raise _gone(path) from None
        except PermissionError:
            return Skipped(file_problems.not_permitted(path))
        except xlsx.Unreadable as exc:
            if attempt == 0 and files.wait_settled(path):
                continue
            return _damaged(path, exc.cause)
    raise AssertionError("unreachable")

