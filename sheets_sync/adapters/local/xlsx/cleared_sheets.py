"""Loading a workbook for a patch without parsing the sheets that the patch clears.

A sheet the patch clears is removed and made anew at the same position with the same
visibility (`xlsx_render`): nothing else of it survives the write. Parsing it first was most
of the cost of updating the recap (its "Rekap Indikator" holds ~170,000 cells at 80 sections
x 80 indicators). So before openpyxl reads the package, such a sheet's XML is replaced by an
empty worksheet and its own relationships (drawings, notes, tables) are left out; its entry in
workbook.xml (name, position, visibility) stays as it is. Anything unexpected in the package:
it is read whole, as before.
"""

from __future__ import annotations

import io
import posixpath
import zipfile

from sheets_sync.adapters.local.xlsx.values import UNREADABLE, sheet_parts
from sheets_sync.domain.patch import WorkbookPatch

EMPTY_SHEET = (b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
               b"<sheetData/></worksheet>")
WORKSHEET_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"


def cleared_titles(patch: WorkbookPatch) -> set[str]:
    """Sheets whose old content the patch discards: the first patch of that title clears."""
    first: dict[str, bool] = {}
    for sp in patch.sheets:
        first.setdefault(sp.title, sp.clear)
    return {title for title, clear in first.items() if clear}


def without_cleared(data: bytes, patch: WorkbookPatch) -> bytes:
    """The package `data` with the sheets `patch` clears emptied (the same bytes when there
    are none, or when the package is not as expected: openpyxl then reads it whole and says
    what is wrong with it)."""
    titles = cleared_titles(patch)
    if not titles:
        return data
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            parts = _sheet_parts(zf, titles)
            return _repacked(zf, parts) if parts else data
    except UNREADABLE:
        return data


def _sheet_parts(zf: zipfile.ZipFile, titles: set[str]) -> set[str]:
    """The worksheet parts (not chart sheets) of the sheets named `titles`."""
    names = set(zf.namelist())
    return {part for title, (part, kind) in sheet_parts(zf).items()
            if title in titles and kind == WORKSHEET_REL and part in names}


def _rels_of(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{name}.rels")


def _repacked(zf: zipfile.ZipFile, parts: set[str]) -> bytes:
    # Stored, not compressed: this copy only lives until openpyxl has read it.
    dropped = {_rels_of(p) for p in parts}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as dst:
        for info in zf.infolist():
            if info.filename in dropped:
                continue
            data = EMPTY_SHEET if info.filename in parts else zf.read(info)
            dst.writestr(info.filename, data)
    return out.getvalue()
