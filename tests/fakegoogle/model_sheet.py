"""One sheet of the Sheets data model: its properties and its cells.

Cells are stored sparsely (row -> col -> CellData-like dict with userEnteredValue,
userEnteredFormat, note, dataValidation), so big empty grids cost nothing.
"""

from __future__ import annotations

import copy
from typing import Any

DEFAULT_ROWS = 1000
DEFAULT_COLS = 26

_DEFAULT_FORMAT: dict[str, Any] = {
    "backgroundColor": {"red": 1, "green": 1, "blue": 1},
    "padding": {"top": 2, "right": 3, "bottom": 2, "left": 3},
    "verticalAlignment": "BOTTOM",
    "wrapStrategy": "OVERFLOW_CELL",
    "textFormat": {
        "foregroundColor": {},
        "fontFamily": "arial,sans,sans-serif",
        "fontSize": 10,
        "bold": False,
        "italic": False,
        "strikethrough": False,
        "underline": False,
        "foregroundColorStyle": {"rgbColor": {}},
    },
    "backgroundColorStyle": {"rgbColor": {"red": 1, "green": 1, "blue": 1}},
}
_THEME: dict[str, Any] = {
    "primaryFontFamily": "Arial",
    "themeColors": [
        {"colorType": t, "color": {"rgbColor": c}}
        for t, c in [
            ("TEXT", {}),
            ("BACKGROUND", {"red": 1, "green": 1, "blue": 1}),
            ("ACCENT1", {"red": 0.26, "green": 0.52, "blue": 0.96}),
            ("ACCENT2", {"red": 0.92, "green": 0.26, "blue": 0.21}),
            ("ACCENT3", {"red": 0.98, "green": 0.74, "blue": 0.02}),
            ("ACCENT4", {"red": 0.2, "green": 0.66, "blue": 0.33}),
            ("ACCENT5", {"red": 1, "green": 0.43, "blue": 0.0}),
            ("ACCENT6", {"red": 0.27, "green": 0.74, "blue": 0.78}),
            ("LINK", {"red": 0.07, "green": 0.33, "blue": 0.8}),
        ]
    ],
}


class Sheet:
    def __init__(self, props: dict[str, Any]) -> None:
        self.props = props
        self.cells: dict[int, dict[int, dict[str, Any]]] = {}
        self.merges: list[dict[str, Any]] = []
        self.protected: list[dict[str, Any]] = []
        self.basic_filter: dict[str, Any] | None = None
        self.cond_formats: list[dict[str, Any]] = []
        self.charts: list[dict[str, Any]] = []
        self.row_meta: dict[int, dict[str, Any]] = {}
        self.col_meta: dict[int, dict[str, Any]] = {}
        self.row_groups: list[dict[str, Any]] = []
        self.col_groups: list[dict[str, Any]] = []
        self.filter_views: list[dict[str, Any]] = []
        self.banded: list[dict[str, Any]] = []

    # -- properties
    @property
    def id(self) -> int:
        return int(self.props.get("sheetId", 0))

    @property
    def title(self) -> str:
        return str(self.props.get("title", ""))

    @property
    def rows(self) -> int:
        return int(self.props.get("gridProperties", {}).get("rowCount", 0))

    @property
    def cols(self) -> int:
        return int(self.props.get("gridProperties", {}).get("columnCount", 0))

    def set_size(self, rows: int | None = None, cols: int | None = None) -> None:
        gp = self.props.setdefault("gridProperties", {})
        if rows is not None:
            gp["rowCount"] = rows
            for r in [r for r in self.cells if r >= rows]:
                del self.cells[r]
        if cols is not None:
            gp["columnCount"] = cols
            for row in self.cells.values():
                for c in [c for c in row if c >= cols]:
                    del row[c]

    # -- cells
    def note(self, r: int, c: int) -> str | None:
        return (self.cell(r, c) or {}).get("note")

    def validation(self, r: int, c: int) -> dict[str, Any] | None:
        return (self.cell(r, c) or {}).get("dataValidation")

    def cell_format(self, r: int, c: int) -> dict[str, Any] | None:
        return (self.cell(r, c) or {}).get("userEnteredFormat")

    def cell(self, r: int, c: int) -> dict[str, Any] | None:
        row = self.cells.get(r)
        return row.get(c) if row else None

    def put(self, r: int, c: int, cell: dict[str, Any] | None) -> None:
        if cell:
            self.cells.setdefault(r, {})[c] = cell
        else:
            row = self.cells.get(r)
            if row and c in row:
                del row[c]
                if not row:
                    del self.cells[r]

    def value_extent(self, r0: int, r1: int, c0: int, c1: int) -> tuple[int, int]:
        """(last row + 1, last col + 1) holding a value inside the rectangle (or r0, c0)."""
        mr, mc = r0, c0
        for r, row in self.cells.items():
            if r0 <= r < r1:
                for c, cell in row.items():
                    if c0 <= c < c1 and "userEnteredValue" in cell:
                        mr = max(mr, r + 1)
                        mc = max(mc, c + 1)
        return mr, mc

    def any_extent(self, r0: int, r1: int, c0: int, c1: int) -> tuple[int, int]:
        """Like value_extent, for any stored cell content (format, note, validation)."""
        mr, mc = r0, c0
        for r, row in self.cells.items():
            if r0 <= r < r1:
                for c, cell in row.items():
                    if c0 <= c < c1 and cell:
                        mr = max(mr, r + 1)
                        mc = max(mc, c + 1)
        return mr, mc

    def shift_rows(self, at: int, delta: int) -> None:
        """Insert (delta>0) or delete (delta<0) rows at index `at`."""
        new: dict[int, dict[int, dict[str, Any]]] = {}
        for r, row in self.cells.items():
            if r < at:
                new[r] = row
            elif delta < 0 and r < at - delta:
                continue
            else:
                new[r + delta] = row
        self.cells = new
        self.row_meta = _shift_meta(self.row_meta, at, delta)
        self._shift_ranges("Row", at, delta)

    def shift_cols(self, at: int, delta: int) -> None:
        for r, row in list(self.cells.items()):
            new: dict[int, dict[str, Any]] = {}
            for c, cell in row.items():
                if c < at:
                    new[c] = cell
                elif delta < 0 and c < at - delta:
                    continue
                else:
                    new[c + delta] = cell
            if new:
                self.cells[r] = new
            else:
                del self.cells[r]
        self.col_meta = _shift_meta(self.col_meta, at, delta)
        self._shift_ranges("Column", at, delta)

    def _shift_ranges(self, dim: str, at: int, delta: int) -> None:
        s, e = f"start{dim}Index", f"end{dim}Index"

        def fix(gr: dict[str, Any]) -> bool:
            """Shift one GridRange; False if it vanished."""
            a, b = gr.get(s), gr.get(e)
            if delta > 0:
                if a is not None and a >= at:
                    gr[s] = a + delta
                if b is not None and b > at:
                    gr[e] = b + delta
                return True
            lo, hi = at, at - delta
            if a is not None:
                gr[s] = a if a < lo else max(lo, a + delta) if a >= hi else lo
            if b is not None:
                gr[e] = b if b <= lo else (b + delta if b >= hi else lo)
            return not (gr.get(s) is not None and gr.get(e) is not None and gr[s] >= gr[e])

        self.merges = [m for m in self.merges if fix(m)]
        for p in self.protected:
            if "range" in p:
                fix(p["range"])
            for u in p.get("unprotectedRanges", []):
                fix(u)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"properties": copy.deepcopy(self.props)}
        if self.merges:
            out["merges"] = [grid_json(m) for m in self.merges]
        if self.cond_formats:
            out["conditionalFormats"] = copy.deepcopy(self.cond_formats)
        if self.basic_filter is not None:
            out["basicFilter"] = copy.deepcopy(self.basic_filter)
            out["basicFilter"]["range"] = grid_json(out["basicFilter"].get("range", {}))
        if self.charts:
            out["charts"] = copy.deepcopy(self.charts)
        if self.filter_views:
            out["filterViews"] = copy.deepcopy(self.filter_views)
        if self.banded:
            out["bandedRanges"] = copy.deepcopy(self.banded)
        if self.row_groups:
            out["rowGroups"] = [group_json(g) for g in self.row_groups]
        if self.col_groups:
            out["columnGroups"] = [group_json(g) for g in self.col_groups]
        return out


def _shift_meta(meta: dict[int, dict[str, Any]], at: int, delta: int) -> dict[int, dict[str, Any]]:
    out = {}
    for i, m in meta.items():
        if i < at:
            out[i] = m
        elif delta < 0 and i < at - delta:
            continue
        else:
            out[i + delta] = m
    return out


def grid_json(gr: dict[str, Any]) -> dict[str, Any]:
    """A GridRange as Google prints it: proto3 default sheetId 0 is omitted."""
    out = {k: v for k, v in gr.items() if v is not None}
    if out.get("sheetId") == 0:
        del out["sheetId"]
    return out


def group_json(g: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(g)
    rng = dict(out.get("range", {}))
    if rng.get("sheetId") == 0:
        del rng["sheetId"]
    out["range"] = rng
    return out



def new_sheet_props(sheet_id: int, title: str, index: int) -> dict[str, Any]:
    return {
        "sheetId": sheet_id,
        "title": title,
        "index": index,
        "sheetType": "GRID",
        "gridProperties": {"rowCount": DEFAULT_ROWS, "columnCount": DEFAULT_COLS},
    }
