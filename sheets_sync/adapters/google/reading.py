"""Reading values: one spreadsheets.get per file. For a known file it asks for the named
sheets' cells only (`ranges` and a narrow `fields` mask); for a file this process has not seen,
for the book's metadata too (values and sheet ids at once). Cells come with their number
format's type, so a number in a percent-formatted cell (Sheets stores `87,5%` as 0.875) is read
as the percentage it shows, `PercentValue(87.5)`, and one in a money format is marked as
`CurrencyValue`: values.batchGet cannot say that."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from gspread.exceptions import APIError

from sheets_sync.adapters.google.base import SHEETS, StoreBase
from sheets_sync.adapters.google.errors import translate
from sheets_sync.adapters.google.render import METADATA_FIELDS, Book
from sheets_sync.domain.numbers import CurrencyValue, PercentValue
from sheets_sync.ports import FileRef, Grid


def _sheet_range(title: str) -> str:
    return "'" + title.replace("'", "''") + "'"


def _grid(values: list[list[Any]]) -> Grid:
    """Google gives "" for an empty cell inside a row; the port (and the local adapter) give
    None. Trailing blanks are trimmed as the port promises."""
    out: Grid = []
    for row in values:
        cells = [None if v == "" else v for v in row]
        while cells and cells[-1] is None:
            cells.pop()
        out.append(cells)
    while out and not out[-1]:
        out.pop()
    return out


# Each cell's value as UNFORMATTED_VALUE + FORMATTED_STRING dates would give it, and its
# number format's type (PERCENT, DATE, ...).
_CELL_FIELDS = ("data(startRow,startColumn,rowData(values(effectiveValue,formattedValue,"
                "effectiveFormat(numberFormat(type)))))")
# What a first read of a file asks for: the book (see render.METADATA_FIELDS) plus the cells.
READ_FIELDS = METADATA_FIELDS[:-1] + "," + _CELL_FIELDS + ")"
# What a read of a known file asks for: the named sheets' titles and cells, nothing else.
VALUES_FIELDS = "sheets(properties(title)," + _CELL_FIELDS + ")"
_DATE_TYPES = frozenset({"DATE", "TIME", "DATE_TIME"})


def _cell(cell: dict[str, Any]) -> Any:
    """A CellData as values.batchGet with UNFORMATTED_VALUE and FORMATTED_STRING dates
    answers it: numbers, booleans and text as they are; dates and errors as shown; and a
    number in a percent-formatted cell as the percentage shown (0.875 -> 87.5)."""
    value = cell.get("effectiveValue")
    if not value:
        return None
    kind = ((cell.get("effectiveFormat") or {}).get("numberFormat") or {}).get("type")
    if "errorValue" in value or ("numberValue" in value and kind in _DATE_TYPES):
        return cell.get("formattedValue")
    if "numberValue" in value and kind == "PERCENT":
        return PercentValue.from_fraction(float(value["numberValue"]))
    if "numberValue" in value and kind == "CURRENCY":
        return CurrencyValue(value["numberValue"])
    for key in ("numberValue", "stringValue", "boolValue"):
        if key in value:
            return value[key]
    return cell.get("formattedValue")


def _grid_from_cells(data: list[dict[str, Any]]) -> Grid:
    if not data:
        return []
    block = data[0]
    lead_rows, lead_cols = int(block.get("startRow", 0)), int(block.get("startColumn", 0))
    rows: list[list[Any]] = [[] for _ in range(lead_rows)]
    for row in block.get("rowData", []):
        rows.append([None] * lead_cols + [_cell(c) for c in row.get("values", [])])
    return _grid(rows)

class Reading(StoreBase):
    def read(self, ref: FileRef, sheets: Sequence[str]) -> dict[str, Grid]:
        wanted = list(dict.fromkeys(sheets))
        with self._lock:
            book = self._books.get(ref.id)
        action = f"membaca '{ref.name}'"
        if book is None:
            # Not known yet: one spreadsheets.get returns the values AND the sheet ids and
            # protections, so a following apply needs no call of its own, and a missing
            # sheet cannot fail the read.
            with self._errors(action, ref.id, ref.name):
                return self._read_grid_data(ref, wanted)
        try:
            # Known titles: ask only for sheets that exist (a missing one fails the batch).
            return self._batch_get(ref, [t for t in wanted if t in book.sheets])
        except APIError as exc:
            if exc.response.status_code != 400 or "Unable to parse range" not in str(exc):
                raise translate(exc, self._ctx(action, ref.id, ref.name)) from None
        # A sheet was renamed or removed since: read afresh, once.
        with self._errors(action, ref.id, ref.name):
            return self._read_grid_data(ref, wanted)

    def _read_grid_data(self, ref: FileRef, wanted: list[str]) -> dict[str, Grid]:
        data = self._json("get", f"{SHEETS}/{ref.id}",
                          params={"includeGridData": "true", "fields": READ_FIELDS})
        book = Book.from_metadata(data)
        with self._lock:
            self._books[ref.id] = book
            self._copied_from.pop(ref.id, None)
        found: dict[str, Grid] = {}
        for sheet in data.get("sheets", []):
            title = str(sheet.get("properties", {}).get("title", ""))
            if title in wanted:
                found[title] = _grid_from_cells(sheet.get("data") or [])
        return {t: found[t] for t in wanted if t in found}

    def _batch_get(self, ref: FileRef, titles: list[str]) -> dict[str, Grid]:
        if not titles:
            return {}
        # spreadsheets.get, not values.batchGet: the cells' number formats come along. The
        # field mask alone selects the grid data (includeGridData is ignored when a mask is
        # set), `ranges` limits it to the named sheets; see
        # https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/get
        data = self._json("get", f"{SHEETS}/{ref.id}",
                          params={"ranges": [_sheet_range(t) for t in titles],
                                  "fields": VALUES_FIELDS})
        found = {str(sheet.get("properties", {}).get("title", "")):
                 _grid_from_cells(sheet.get("data") or []) for sheet in data.get("sheets", [])}
        return {t: found.get(t, []) for t in titles}

    def read_many(self, refs: Sequence[FileRef],
                  sheets: Sequence[str]) -> dict[str, dict[str, Grid]]:
        results = self._concurrently(lambda r: self.read(r, sheets), list(refs))
        return {r.id: res for r, res in zip(refs, results, strict=True)}
