"""The local backend: a folder of .xlsx workbooks (openpyxl). The embedded default.

Layout of the workspace (the folder layout *is* the state: nothing else to get out of sync):

    <workspace>/<period>/template/<name>.xlsx          role template
    <workspace>/<period>/kertas-kerja/<id> - <name>.xlsx  role section (one per section)
    <workspace>/<period>/rekap/<name>.xlsx              role recap

Sections open their own file (e.g. from a shared network folder). Every write loads the file
fresh, changes only the cells in the patch and replaces the file atomically, so a value a
section saved a moment before is kept, and a crash never leaves half a file.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import zipfile
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.styles import Protection as CellProtection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from sheets_sync.adapters.local.values import Unsupported, read_values
from sheets_sync.domain.patch import CellRange, Format, Formula, SheetPatch, WorkbookPatch
from sheets_sync.ports import (
    BackendError,
    FileRef,
    Grant,
    Grid,
    Role,
    ShareResult,
    Tags,
)

ROLE_FOLDERS = {Role.template: "template", Role.section: "kertas-kerja", Role.recap: "rekap"}
SERVICE_NAME = "sheets-sync"  # written as the workbook's "last modified by" on our own saves


# Reading and writing .xlsx is CPU-bound (XML), so many files are spread over processes.
PARALLEL_FROM = 8  # files; below this a pool costs more than it saves


class LocalStore:
    def __init__(self, workspace: Path, processes: int | None = None, *,
                 template: Path | None = None) -> None:
        self.workspace = Path(workspace)
        self.template = template
        self.identity: str | None = SERVICE_NAME
        self.processes = processes if processes is not None else min(4, os.cpu_count() or 1)

    def _pool(self, count: int) -> ProcessPoolExecutor | None:
        if self.processes > 1 and count >= PARALLEL_FROM:
            return ProcessPoolExecutor(max_workers=self.processes)
        return None

    # ------------------------------------------------------------------ finding

    def office_template(self) -> FileRef | None:
        if self.template is None:
            return None
        if not self.template.is_file():
            raise BackendError(f"template kantor {self.template} (backend.local.template) tidak ada.",
                               hint="Periksa jalurnya, atau hapus kunci itu agar template dibuat "
                                    "dari konfigurasi.")
        return FileRef(id=str(self.template), name=self.template.stem,
                       tags=Tags(Role.template, ""), url=str(self.template))

    def find(self, period: str, role: Role | None = None) -> list[FileRef]:
        roles = [role] if role else list(Role)
        refs = []
        for r in roles:
            folder = self.workspace / period / ROLE_FOLDERS[r]
            if not folder.is_dir():
                continue
            for path in sorted(folder.glob("*.xlsx")):
                if path.name.startswith(("~$", ".")):  # Excel lock files, our temp files
                    continue
                refs.append(self._ref(path, Tags(r, period, self._section_of(path, r))))
        return refs

    def changed_since(self, period: str, since: datetime | None) -> list[FileRef]:
        refs = self.find(period)
        if since is None:
            return refs
        return [r for r in refs if r.modified and r.modified > since]

    @staticmethod
    def _section_of(path: Path, role: Role) -> str | None:
        return path.stem.split(" - ", 1)[0] if role is Role.section else None

    def _path(self, name: str, tags: Tags) -> Path:
        folder = self.workspace / tags.period / ROLE_FOLDERS[tags.role]
        safe = "".join(ch for ch in name if ch not in '<>:"/\\|?*').strip()
        stem = f"{tags.section} - {safe}" if tags.role is Role.section else safe
        return folder / f"{stem}.xlsx"

    def _ref(self, path: Path, tags: Tags) -> FileRef:
        stat = path.stat()
        return FileRef(
            id=str(path), name=path.stem, tags=tags,
            modified=datetime.fromtimestamp(stat.st_mtime),
            modified_by=_last_modified_by(path), url=str(path),
        )

    # ------------------------------------------------------------------ creating

    def create(self, name: str, tags: Tags, patch: WorkbookPatch) -> FileRef:
        path = self._path(name, tags)
        wb = Workbook()
        default = wb.active
        _render(wb, patch)
        if default is not None and default.title not in {s.title for s in patch.sheets}:
            wb.remove(default)
        for ws in wb.worksheets:  # offices print these: landscape, one page wide
            ws.page_setup.orientation = "landscape"
            ws.sheet_properties.pageSetUpPr.fitToPage = True
            ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        self._save(wb, path)
        return self._ref(path, tags)

    def copy(self, source: FileRef, name: str, tags: Tags) -> FileRef:
        path = self._path(name, tags)
        try:
            tmp = _temp_beside(path)
            shutil.copyfile(source.id, tmp)
            os.replace(tmp, path)
        except OSError as exc:
            raise BackendError(
                f"{path} tidak dapat dibuat ({exc.strerror or type(exc).__name__}).",
                hint="Periksa bahwa folder kerja (backend.local.workspace) dapat ditulis dan "
                     "bukan sebuah berkas.",
            ) from None
        return self._ref(path, tags)

    def delete(self, ref: FileRef) -> None:
        Path(ref.id).unlink(missing_ok=True)

    # ------------------------------------------------------------------ writing

    def apply(self, ref: FileRef, patch: WorkbookPatch) -> None:
        _apply_file(Path(ref.id), patch)

    def apply_many(self, items: Sequence[tuple[FileRef, WorkbookPatch]]) -> None:
        pool = self._pool(len(items))
        if pool is None:
            for ref, patch in items:
                self.apply(ref, patch)
            return
        with pool:
            list(pool.map(_apply_file, [Path(r.id) for r, _ in items], [p for _, p in items]))

    def _save(self, wb: Any, path: Path) -> None:
        _save(wb, path)

    # ------------------------------------------------------------------ reading

    def read(self, ref: FileRef, sheets: Sequence[str]) -> dict[str, Grid]:
        return _read_file(Path(ref.id), tuple(sheets))

    def read_many(self, refs: Sequence[FileRef],
                  sheets: Sequence[str]) -> dict[str, dict[str, Grid]]:
        pool = self._pool(len(refs))
        if pool is None:
            return {ref.id: self.read(ref, sheets) for ref in refs}
        with pool:
            grids = pool.map(_read_file, [Path(r.id) for r in refs], [tuple(sheets)] * len(refs),
                             chunksize=4)
            return {ref.id: g for ref, g in zip(refs, grids, strict=True)}

    # ------------------------------------------------------------------ sharing

    def share(self, ref: FileRef, grants: Sequence[Grant], *, notify: bool = False,
              message: str = "") -> ShareResult:
        # A folder of files has no accounts: access is whoever can open the folder.
        return ShareResult()


# ---------------------------------------------------------------------- file operations
# Module-level functions, so that a process pool can run them.


def _apply_file(path: Path, patch: WorkbookPatch) -> None:
    for _attempt in range(3):
        before = _mtime(path)
        wb = _load(path)
        _render(wb, patch)
        # Saving takes a while: a section that saves meanwhile must not be overwritten, so
        # the time is checked again right before the atomic replace (and we start again
        # from the section's version).
        if _save(wb, path, check=True, unchanged_since=before):
            return
    raise BackendError(
        f"{path.name} terus berubah selama ditulis.",
        hint="Minta bagian menutup berkas itu sebentar, lalu jalankan perintah lagi.",
    )


def _load(path: Path) -> Any:
    try:
        return load_workbook(path)
    except FileNotFoundError:
        raise BackendError(f"berkas {path} tidak ada lagi.",
                           hint="Jalankan 'sync distribute' untuk membuatnya kembali.") from None
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        raise BackendError(
            f"berkas {path} tidak dapat dibuka sebagai .xlsx ({exc}).",
            hint="Periksa apakah berkas rusak atau disimpan dalam format lain; "
                 "pulihkan dari cadangan atau hapus lalu jalankan 'sync distribute'.",
        ) from None


def _save(wb: Any, path: Path, *, check: bool = False, unchanged_since: int | None = None) -> bool:
    """Write `wb` to `path` atomically (a temp file, then a rename). With `check`, give up
    (False) when the file's time is no longer `unchanged_since`."""
    wb.properties.lastModifiedBy = SERVICE_NAME
    tmp: Path | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = _temp_beside(path)
        wb.save(tmp)
        if check and _mtime(path) != unchanged_since:
            tmp.unlink()
            return False
        os.replace(tmp, path)
        return True
    except OSError as exc:
        if tmp is not None:
            with contextlib.suppress(OSError):
                tmp.unlink()
        what = ("mungkin sedang dibuka di Excel" if isinstance(exc, PermissionError)
                else exc.strerror or type(exc).__name__)
        raise BackendError(
            f"{path} tidak dapat ditulis ({what}).",
            hint="Tutup berkas itu bila sedang dibuka, periksa bahwa folder kerja dapat "
                 "ditulis (backend.local.workspace), lalu jalankan perintah lagi.",
        ) from None


def _read_file(path: Path, sheets: tuple[str, ...]) -> dict[str, Grid]:
    # Values only, straight from the XML (values.py): several times faster than openpyxl's
    # read-only cells. openpyxl below for what it does not handle, and for the messages.
    with contextlib.suppress(Unsupported, zipfile.BadZipFile, KeyError, OSError, ValueError,
                             SyntaxError, IndexError):
        return {title: _trim(grid) for title, grid in read_values(path, sheets).items()}
    try:
        # data_only: the values a person sees (a typed formula's result), as Google's
        # UNFORMATTED_VALUE gives them.
        wb = load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError:
        raise BackendError(f"berkas {path} tidak ada lagi.",
                           hint="Jalankan 'sync distribute' untuk membuatnya kembali.") from None
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        raise BackendError(f"berkas {path} tidak dapat dibaca sebagai .xlsx ({exc}).",
                           hint="Periksa apakah berkas rusak; pulihkan dari cadangan.") from None
    try:
        out: dict[str, Grid] = {}
        for title in sheets:
            if title in wb.sheetnames:
                out[title] = _trim([list(r) for r in wb[title].iter_rows(values_only=True)])
        return out
    finally:
        wb.close()


# ---------------------------------------------------------------------- rendering a patch


def _render(wb: Any, patch: WorkbookPatch) -> None:
    for title in patch.delete_sheets:
        if title in wb.sheetnames and len(wb.sheetnames) > 1:
            wb.remove(wb[title])
    for sp in patch.sheets:
        _render_sheet(wb, sp)


def _render_sheet(wb: Any, sp: SheetPatch) -> None:
    if sp.title in wb.sheetnames:
        ws = wb[sp.title]
        if sp.clear:
            index = wb.index(ws)
            was_hidden = ws.sheet_state
            wb.remove(ws)
            ws = wb.create_sheet(sp.title, index)
            ws.sheet_state = was_hidden
    else:
        ws = wb.create_sheet(sp.title, sp.index)

    for (row, col), value in sp.values.items():
        cell = ws.cell(row=row, column=col)
        if (row, col) in sp.expected and not _same(cell.value, sp.expected[(row, col)]):
            continue  # changed since the flow read it: the section's value stays
        _put(cell, value)
    for rng, fmt in sp.formats:
        _format(ws, rng, fmt)
    for rng in sp.clear_notes:
        for row in ws.iter_rows(min_row=rng.top, max_row=rng.bottom, min_col=rng.left,
                                max_col=rng.right):
            for cell in row:
                cell.comment = None
    for (row, col), text in sp.notes.items():
        ws.cell(row=row, column=col).comment = Comment(text, SERVICE_NAME) if text else None
    if sp.hidden is not None:
        ws.sheet_state = "hidden" if sp.hidden else "visible"
    if sp.frozen_rows is not None:
        ws.freeze_panes = f"A{sp.frozen_rows + 1}" if sp.frozen_rows else None
    for col, pixels in sp.column_widths.items():
        ws.column_dimensions[get_column_letter(col)].width = round(pixels / 7, 1)
    for v in sp.validations:
        sqref = v.range.a1
        ws.data_validations.dataValidation = [
            dv for dv in ws.data_validations.dataValidation if str(dv.sqref) != sqref
        ]
        if v.kind == "list":
            dv = DataValidation(type="list", formula1='"' + ",".join(v.options) + '"',
                                allow_blank=True, showDropDown=False)
        else:
            dv = DataValidation(type="decimal", operator="greaterThanOrEqual",
                                formula1=str(v.minimum if v.minimum is not None else -1e308),
                                allow_blank=True)
        dv.error, dv.errorTitle, dv.showErrorMessage = v.message, "Isian tidak sesuai", True
        dv.add(sqref)
        ws.add_data_validation(dv)
    if sp.protection is not None:
        # Lock everything in use, then unlock the editable ranges: a re-apply (approve,
        # reopen) must be able to take back what an earlier one opened.
        locked = CellProtection(locked=True)
        for row in ws.iter_rows(min_row=1, max_row=max(ws.max_row, 1),
                                max_col=max(ws.max_column, 1)):
            for cell in row:
                if not cell.protection.locked:
                    cell.protection = locked
        for rng in sp.protection.editable:
            for r in range(rng.top, rng.bottom + 1):
                for c in range(rng.left, rng.right + 1):
                    ws.cell(row=r, column=c).protection = CellProtection(locked=False)
        ws.protection.sheet = True
        ws.protection.formatColumns = False  # sections may widen columns to read
    for values in sp.append_rows:
        row = ws.max_row + 1 if ws.max_row > 1 or ws.cell(1, 1).value is not None else 1
        for col, value in enumerate(values, start=1):
            _put(ws.cell(row=row, column=col), value)
    if sp.charts:
        ws._charts = []  # replace, as on Google
        for spec in sp.charts:
            chart = BarChart()
            chart.title = spec.title
            chart.add_data(Reference(ws, min_col=spec.series.left, min_row=spec.series.top,
                                     max_row=spec.series.bottom), titles_from_data=True)
            chart.set_categories(Reference(ws, min_col=spec.categories.left,
                                           min_row=spec.categories.top + 1,
                                           max_row=spec.categories.bottom))
            chart.width, chart.height = 24, 11
            ws.add_chart(chart, f"{get_column_letter(spec.anchor[1])}{spec.anchor[0]}")


def _same(a: Any, b: Any) -> bool:
    return ("" if a is None else str(a).strip()) == ("" if b is None else str(b).strip())


def _put(cell: Any, value: Any) -> None:
    if isinstance(value, Formula):
        cell.value = value.text
        return
    cell.value = value
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # text that looks like a formula stays text, as RAW on Google


def _format(ws: Worksheet, rng: CellRange, fmt: Format) -> None:
    for r in range(rng.top, rng.bottom + 1):
        for c in range(rng.left, rng.right + 1):
            cell = ws.cell(row=r, column=c)
            if fmt.bold is not None or fmt.italic is not None or fmt.font_color is not None:
                old = cell.font
                cell.font = Font(
                    name=old.name, size=old.sz, underline=old.u, strike=old.strike,
                    bold=old.b if fmt.bold is None else fmt.bold,
                    italic=old.i if fmt.italic is None else fmt.italic,
                    color=_argb(fmt.font_color) if fmt.font_color else old.color,
                )
            if fmt.fill is not None:
                cell.fill = (PatternFill(fill_type="solid", fgColor=_argb(fmt.fill))
                             if fmt.fill else PatternFill(fill_type=None))
            if fmt.number_format is not None:
                cell.number_format = fmt.number_format
            if fmt.wrap is not None or fmt.align is not None:
                cell.alignment = Alignment(
                    wrap_text=cell.alignment.wrap_text if fmt.wrap is None else fmt.wrap,
                    horizontal=cell.alignment.horizontal if fmt.align is None else fmt.align,
                    vertical="top",
                )


def _argb(color: str) -> str:
    return "FF" + color.lstrip("#").upper()


def _trim(grid: Grid) -> Grid:
    """Drop trailing empty cells and rows, as Google's values API does."""
    out: Grid = []
    for row in grid:
        end = len(row)
        while end and row[end - 1] in (None, ""):
            end -= 1
        out.append(row[:end])
    while out and not out[-1]:
        out.pop()
    return out


def _temp_beside(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=".tmp-", suffix=".xlsx", dir=path.parent)
    os.close(fd)
    return Path(name)


def _mtime(path: Path) -> int | None:
    try:
        return path.stat().st_mtime_ns
    except FileNotFoundError:
        return None


def _last_modified_by(path: Path) -> str | None:
    """`cp:lastModifiedBy` from docProps/core.xml, without loading the workbook."""
    try:
        with zipfile.ZipFile(path) as z:
            xml = z.read("docProps/core.xml").decode("utf-8", "replace")
    except (OSError, KeyError, zipfile.BadZipFile):
        return None
    start = xml.find("lastModifiedBy>")
    if start < 0:
        return None
    end = xml.find("<", start)
    return xml[start + len("lastModifiedBy>"):end] or None
