"""The patch -> batchUpdate rendering, checked on its own (no HTTP)."""

from __future__ import annotations

from sheets_sync.adapters.google.http import endpoint_kind
from sheets_sync.adapters.google.render import Book, SheetInfo, cell_runs, cell_value, render
from sheets_sync.domain.patch import (
    CellRange,
    Chart,
    Format,
    Formula,
    Protection,
    SheetPatch,
    Validation,
    WorkbookPatch,
)


def _book() -> Book:
    return Book({"Kertas Kerja": SheetInfo(7, "Kertas Kerja"), "Sheet9": SheetInfo(9, "Sheet9")})


def _kinds(reqs: list[dict]) -> list[str]:
    return [next(iter(r)) for r in reqs]


def test_values_are_typed_and_text_starting_with_equals_stays_text() -> None:
    assert cell_value("=HYPERLINK(\"http://x\")") == {
        "userEnteredValue": {"stringValue": "=HYPERLINK(\"http://x\")"}}
    assert cell_value(Formula("=A1*2")) == {"userEnteredValue": {"formulaValue": "=A1*2"}}
    assert cell_value(True) == {"userEnteredValue": {"boolValue": True}}
    assert cell_value(3) == {"userEnteredValue": {"numberValue": 3}}
    assert cell_value(2.5) == {"userEnteredValue": {"numberValue": 2.5}}
    assert cell_value(None) == {}  # empties the cell under a userEnteredValue mask


def test_runs_write_only_cells_in_the_patch_and_share_requests_down_columns() -> None:
    cells = {}
    for row in range(10, 90):  # 80 table rows with a gap at column 7 (Realisasi)
        for col in (1, 2, 3, 4, 5, 6, 8):
            cells[(row, col)] = cell_value(f"r{row}c{col}")
    reqs = cell_runs(5, cells, "userEnteredValue")
    assert len(reqs) == 2  # columns 1-6 and column 8, whatever the number of rows
    written = set()
    for r in reqs:
        start = r["updateCells"]["start"]
        assert "range" not in r["updateCells"]  # a range would clear what rows do not cover
        for dr, row in enumerate(r["updateCells"]["rows"]):
            for dc, _ in enumerate(row["values"]):
                written.add((start["rowIndex"] + dr + 1, start["columnIndex"] + dc + 1))
    assert written == set(cells)


def test_render_full_sheet_patch_in_one_batch() -> None:
    sp = SheetPatch("Kertas Kerja", hidden=False, frozen_rows=9)
    sp.values[(1, 1)] = "Judul"
    sp.values[(10, 9)] = Formula("=G10/F10")
    sp.formats.append((CellRange(9, 1, 9, 10), Format(bold=True, fill="#1F4E78", align="center")))
    sp.formats.append((CellRange(10, 7, 20, 7), Format(fill="")))
    sp.notes[(10, 7)] = "cek"
    sp.notes[(11, 7)] = ""
    sp.column_widths = {1: 40, 2: 80, 3: 80, 5: 90}
    sp.validations.append(Validation(CellRange.cell(7, 2), "list", options=("A", "B")))
    sp.validations.append(Validation(CellRange(10, 7, 20, 7), "number", minimum=0))
    sp.protection = Protection(editable=(CellRange(10, 7, 20, 7),), editors=("Kasie@X.go.id",))
    sp.charts.append(Chart("c", CellRange(1, 1, 5, 1), CellRange(1, 2, 5, 2), (2, 12)))
    sp.append_rows.append(["a", 1])
    patch = WorkbookPatch([sp, SheetPatch("Baru", index=1)], delete_sheets=["Sheet9", "Nope"])
    book = _book()
    book.sheets["Kertas Kerja"].protections = [111]
    book.sheets["Kertas Kerja"].charts = [222]
    out = render(patch, book, account="pep@x.go.id")
    kinds = _kinds(out.requests)
    assert kinds[-1] == "deleteSheet"  # after the adds: a book never loses its last sheet
    assert kinds.count("deleteSheet") == 1
    assert {"deleteProtectedRange": {"protectedRangeId": 111}} in out.requests
    assert {"deleteEmbeddedObject": {"objectId": 222}} in out.requests
    prot = next(r for r in out.requests if "addProtectedRange" in r)["addProtectedRange"]
    assert prot["protectedRange"]["editors"]["users"] == ["kasie@x.go.id", "pep@x.go.id"]
    assert prot["protectedRange"]["range"] == {"sheetId": 7}
    fills = [r["repeatCell"] for r in out.requests if "repeatCell" in r]
    assert fills[1]["fields"] == "userEnteredFormat.backgroundColor"
    assert "backgroundColor" not in fills[1]["cell"]["userEnteredFormat"]
    widths = [r for r in out.requests if "updateDimensionProperties" in r]
    assert len(widths) == 3  # 1 | 2-3 | 5
    add = next(r for r in out.requests if "addSheet" in r)["addSheet"]["properties"]
    assert add["title"] == "Baru" and add["index"] == 1 and add["sheetId"] not in (7, 9)
    assert "Baru" in out.book.sheets and "Sheet9" not in out.book.sheets
    assert out.protection_slots == ["Kertas Kerja"] and out.chart_slots == ["Kertas Kerja"]


def test_new_file_renames_the_default_sheet() -> None:
    patch = WorkbookPatch([SheetPatch("A", index=0), SheetPatch("B", hidden=True, index=1)])
    out = render(patch, Book({"": SheetInfo(0, "")}), new_file=True)
    assert out.requests[0] == {"updateSheetProperties": {
        "properties": {"sheetId": 0, "title": "A"}, "fields": "title"}}
    assert set(out.book.sheets) == {"A", "B"}
    assert out.book.sheets["A"].sheet_id == 0


def test_grid_grows_before_writing_beyond_it() -> None:
    sp = SheetPatch("Kertas Kerja")
    sp.values[(1500, 30)] = 1
    out = render(WorkbookPatch([sp]), _book())
    dims = [r["appendDimension"] for r in out.requests if "appendDimension" in r]
    assert {"sheetId": 7, "dimension": "ROWS", "length": 500} in dims
    assert {"sheetId": 7, "dimension": "COLUMNS", "length": 4} in dims


def test_endpoint_kinds() -> None:
    s = "https://sheets.googleapis.com/v4/spreadsheets"
    d = "https://www.googleapis.com/drive/v3"
    assert endpoint_kind("POST", f"{s}/abc:batchUpdate") == "sheets.batchUpdate"
    assert endpoint_kind("GET", f"{s}/abc/values:batchGet?x=1") == "sheets.values.batchGet"
    assert endpoint_kind("GET", f"{s}/abc") == "sheets.get"
    assert endpoint_kind("GET", f"{d}/files") == "drive.files.list"
    assert endpoint_kind("POST", f"{d}/files/abc/copy") == "drive.files.copy"
    assert endpoint_kind("POST", f"{d}/files/abc/permissions") == "drive.permissions.create"
    assert endpoint_kind("DELETE", f"{d}/files/abc/permissions/9") == "drive.permissions.delete"
    assert endpoint_kind("PATCH", f"{d}/files/abc") == "drive.files.update"
