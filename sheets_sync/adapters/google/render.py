"""A `WorkbookPatch` rendered as the requests of ONE `spreadsheets.batchUpdate`.

Pure functions over the patch and what the store knows of the spreadsheet (`Book`): no I/O,
so the rendering is tested without any HTTP. Sheets the patch creates get ids chosen here
(addSheet accepts them), so the same batch can write into them: one call, not two.

Semantics follow the local adapter (openpyxl) exactly; see sheets_sync/adapters/local/store.py.
"""

from __future__ import annotations

import copy
import math
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sheets_sync.domain.patch import (
    CellRange,
    Chart,
    Format,
    Formula,
    SheetPatch,
    Validation,
    Value,
    WorkbookPatch,
)

Request = dict[str, Any]

DEFAULT_ROWS = 1000  # a new Google sheet's grid
DEFAULT_COLS = 26


@dataclass
class SheetInfo:
    sheet_id: int
    title: str
    index: int = 0
    rows: int = DEFAULT_ROWS
    cols: int = DEFAULT_COLS
    hidden: bool = False
    protections: list[int] = field(default_factory=list)  # whole-sheet protected ranges
    charts: list[int] = field(default_factory=list)


@dataclass
class Book:
    """What the store knows of one spreadsheet: its sheets, and which protected ranges and
    charts the service may replace. `objects_known` is False when sheet ids are known but
    protections/charts are not (a copy of a file that had some: copies get new ids)."""

    sheets: dict[str, SheetInfo] = field(default_factory=dict)
    objects_known: bool = True

    def clone(self) -> Book:
        return copy.deepcopy(self)

    def copied(self) -> Book:
        """What a Drive copy of this book holds: the same sheet ids; protected-range and
        chart ids are not promised to survive a copy, so they must be read when needed."""
        out = self.clone()
        had_objects = any(s.protections or s.charts for s in out.sheets.values())
        for s in out.sheets.values():
            s.protections, s.charts = [], []
        out.objects_known = self.objects_known and not had_objects
        return out

    @classmethod
    def from_metadata(cls, data: dict[str, Any]) -> Book:
        """From a spreadsheets.get answer with the fields of `METADATA_FIELDS`."""
        book = cls()
        for sheet in data.get("sheets", []):
            props = sheet.get("properties", {})
            grid = props.get("gridProperties", {})
            info = SheetInfo(
                sheet_id=int(props.get("sheetId", 0)), title=str(props.get("title", "")),
                index=int(props.get("index", 0)), rows=int(grid.get("rowCount", DEFAULT_ROWS)),
                cols=int(grid.get("columnCount", DEFAULT_COLS)),
                hidden=bool(props.get("hidden", False)),
            )
            for pr in sheet.get("protectedRanges", []):
                if _whole_sheet(pr.get("range", {})) and "protectedRangeId" in pr:
                    info.protections.append(int(pr["protectedRangeId"]))
            info.charts = [int(c["chartId"]) for c in sheet.get("charts", []) if "chartId" in c]
            book.sheets[info.title] = info
        return book

    def needs_objects(self, patch: WorkbookPatch) -> bool:
        """True when rendering must delete protections or charts the store does not know."""
        if self.objects_known:
            return False
        return any(sp.title in self.sheets and (sp.protection is not None or sp.charts or sp.clear)
                   for sp in patch.sheets)


METADATA_FIELDS = (
    "sheets(properties(sheetId,title,index,hidden,gridProperties(rowCount,columnCount)),"
    "protectedRanges(protectedRangeId,range),charts(chartId))"
)


def _whole_sheet(rng: dict[str, Any]) -> bool:
    # The service protects whole sheets (with unprotected holes); a narrower protected range
    # is the office's own and stays.
    return not any(k in rng for k in ("startRowIndex", "endRowIndex", "startColumnIndex",
                                      "endColumnIndex"))


def new_sheet_id(title: str, taken: Iterable[int]) -> int:
    """A stable id derived from the title (stable ids make tests and logs readable)."""
    used = set(taken)
    candidate = zlib.crc32(title.encode("utf-8")) % 2_000_000_000 + 1
    while candidate in used:
        candidate = candidate % 2_000_000_000 + 1
    return candidate


# ---------------------------------------------------------------------- values


def cell_value(value: Value) -> dict[str, Any]:
    """A CellData whose userEnteredValue is typed: only `Formula` becomes a formula, so text
    beginning with '=' stays text (RAW semantics). None gives an empty CellData, which under
    a `userEnteredValue` mask empties the cell, as the patch asks."""
    if value is None:
        return {}
    if isinstance(value, Formula):
        return {"userEnteredValue": {"formulaValue": value.text}}
    if isinstance(value, bool):
        return {"userEnteredValue": {"boolValue": value}}
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            return {"userEnteredValue": {"stringValue": str(value)}}
        return {"userEnteredValue": {"numberValue": value}}
    return {"userEnteredValue": {"stringValue": str(value)}}


def _grid(sheet_id: int, rng: CellRange) -> dict[str, int]:
    return {"sheetId": sheet_id, "startRowIndex": rng.top - 1, "endRowIndex": rng.bottom,
            "startColumnIndex": rng.left - 1, "endColumnIndex": rng.right}


def cell_runs(sheet_id: int, cells: dict[tuple[int, int], dict[str, Any]],
              fields: str) -> list[Request]:
    """updateCells requests writing exactly `cells` and nothing else.

    Each row is cut into runs of adjacent columns; runs starting at the same column in
    consecutive rows share one request (a `start` coordinate writes only the cells given, so
    rows of different lengths are safe). The table's columns thus cost a handful of requests
    whatever the number of rows."""
    by_row: dict[int, list[int]] = {}  # one pass over the cells (a scan per row was quadratic)
    for r, c in cells:
        by_row.setdefault(r, []).append(c)
    rows: dict[int, list[tuple[int, list[dict[str, Any]]]]] = {}
    for row in sorted(by_row):
        cols = sorted(by_row[row])
        runs: list[tuple[int, list[dict[str, Any]]]] = []
        for col in cols:
            if runs and runs[-1][0] + len(runs[-1][1]) == col:
                runs[-1][1].append(cells[(row, col)])
            else:
                runs.append((col, [cells[(row, col)]]))
        rows[row] = runs
    groups: list[tuple[int, int, list[list[dict[str, Any]]]]] = []  # (top, left, rows)
    open_by_left: dict[int, int] = {}  # left column -> index in groups
    for row in sorted(rows):
        for left, values in rows[row]:
            g = open_by_left.get(left)
            if g is not None and groups[g][0] + len(groups[g][2]) == row:
                groups[g][2].append(values)
            else:
                open_by_left[left] = len(groups)
                groups.append((row, left, [values]))
    return [
        {"updateCells": {
            "start": {"sheetId": sheet_id, "rowIndex": top - 1, "columnIndex": left - 1},
            "rows": [{"values": values} for values in data],
            "fields": fields,
        }}
        for top, left, data in groups
    ]


# ---------------------------------------------------------------------- formats


def _color(hex_color: str) -> dict[str, float]:
    h = hex_color.lstrip("#")
    r, g, b = (int(h[i:i + 2], 16) / 255 for i in (0, 2, 4))
    return {"red": round(r, 4), "green": round(g, 4), "blue": round(b, 4)}


def _number_format(pattern: str) -> dict[str, str]:
    low = pattern.lower()
    kind = ("PERCENT" if "%" in pattern else
            "DATE" if any(t in low for t in ("yy", "dd", "mmm")) else "NUMBER")
    return {"type": kind, "pattern": pattern}


def format_request(sheet_id: int, rng: CellRange, fmt: Format) -> Request | None:
    """repeatCell with a mask of exactly the attributes the Format sets (None = leave)."""
    cell: dict[str, Any] = {}
    text: dict[str, Any] = {}
    fields: list[str] = []
    if fmt.bold is not None:
        text["bold"] = fmt.bold
        fields.append("userEnteredFormat.textFormat.bold")
    if fmt.italic is not None:
        text["italic"] = fmt.italic
        fields.append("userEnteredFormat.textFormat.italic")
    if fmt.font_color:
        text["foregroundColor"] = _color(fmt.font_color)
        fields.append("userEnteredFormat.textFormat.foregroundColor")
    if text:
        cell["textFormat"] = text
    if fmt.fill is not None:
        if fmt.fill:
            cell["backgroundColor"] = _color(fmt.fill)
        # fill "" = no fill: the field is in the mask but absent from the cell, so cleared
        fields.append("userEnteredFormat.backgroundColor")
    if fmt.number_format is not None:
        cell["numberFormat"] = _number_format(fmt.number_format)
        fields.append("userEnteredFormat.numberFormat")
    if fmt.wrap is not None:
        cell["wrapStrategy"] = "WRAP" if fmt.wrap else "OVERFLOW_CELL"
        fields.append("userEnteredFormat.wrapStrategy")
    if fmt.align is not None:
        cell["horizontalAlignment"] = fmt.align.upper()
        fields.append("userEnteredFormat.horizontalAlignment")
    if fmt.wrap is not None or fmt.align is not None:
        cell["verticalAlignment"] = "TOP"  # as the local adapter aligns
        fields.append("userEnteredFormat.verticalAlignment")
    if not fields:
        return None
    return {"repeatCell": {"range": _grid(sheet_id, rng), "cell": {"userEnteredFormat": cell},
                           "fields": ",".join(fields)}}


# ---------------------------------------------------------------------- validation, charts


def validation_request(sheet_id: int, v: Validation) -> Request:
    rule: dict[str, Any]
    if v.kind == "list":
        rule = {"condition": {"type": "ONE_OF_LIST",
                              "values": [{"userEnteredValue": o} for o in v.options]},
                "strict": True, "showCustomUi": True}
    elif v.minimum is not None:
        rule = {"condition": {"type": "NUMBER_GREATER_THAN_EQ",
                              "values": [{"userEnteredValue": _num_text(v.minimum)}]},
                "strict": True}
    else:
        # "any number": Sheets has no such condition; a relative ISNUMBER formula is one
        top_left = CellRange.cell(v.range.top, v.range.left).a1
        rule = {"condition": {"type": "CUSTOM_FORMULA",
                              "values": [{"userEnteredValue": f"=ISNUMBER({top_left})"}]},
                "strict": True}
    if v.message:
        rule["inputMessage"] = v.message
    return {"setDataValidation": {"range": _grid(sheet_id, v.range), "rule": rule}}


def _num_text(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else repr(float(x))


def chart_request(sheet_id: int, chart: Chart) -> Request:
    # The series' first row is its name (headerCount 1); the categories span the same rows.
    def source(rng: CellRange) -> dict[str, Any]:
        return {"sourceRange": {"sources": [_grid(sheet_id, rng)]}}

    return {"addChart": {"chart": {
        "spec": {
            "title": chart.title,
            "basicChart": {
                "chartType": "COLUMN",
                "legendPosition": "BOTTOM_LEGEND",
                "headerCount": 1,
                "domains": [{"domain": source(chart.categories)}],
                "series": [{"series": source(chart.series), "targetAxis": "LEFT_AXIS"}],
            },
        },
        "position": {"overlayPosition": {"anchorCell": {
            "sheetId": sheet_id, "rowIndex": chart.anchor[0] - 1,
            "columnIndex": chart.anchor[1] - 1}}},
    }}}


# ---------------------------------------------------------------------- the whole patch


def _extent(sp: SheetPatch) -> tuple[int, int]:
    """The last row and column the patch touches (so the grid can be grown first)."""
    rows, cols = [0], [0]
    for r, c in [*sp.values, *sp.notes]:
        rows.append(r)
        cols.append(c)
    ranges = [rng for rng, _ in sp.formats] + [v.range for v in sp.validations]
    ranges += list(sp.clear_notes)
    if sp.protection:
        ranges += list(sp.protection.editable)
    for ch in sp.charts:
        ranges += [ch.categories, ch.series, CellRange.cell(*ch.anchor)]
    for rng in ranges:
        rows.append(rng.bottom)
        cols.append(rng.right)
    cols += [max(sp.column_widths, default=0), *(len(r) for r in sp.append_rows)]
    return max(rows), max(cols)


@dataclass
class Rendered:
    requests: list[Request]
    book: Book  # the book as it will be once the batch succeeded (ids of new objects aside)
    protection_slots: list[str]  # sheet title per addProtectedRange, in request order
    chart_slots: list[str]  # sheet title per addChart, in request order


def render(patch: WorkbookPatch, book: Book, *, account: str | None = None,
           new_file: bool = False) -> Rendered:
    """The batchUpdate requests for `patch` on a spreadsheet described by `book`.

    `new_file`: the spreadsheet was just created and holds only Google's default sheet
    (id 0); it is renamed to the patch's first sheet instead of being deleted (a delete
    needs another sheet first, and the default title varies by locale)."""
    book = book.clone()
    reqs: list[Request] = []
    late: list[Request] = []  # sheet deletions, after the adds (a book can't lose its last sheet)
    prot_slots: list[str] = []
    chart_slots: list[str] = []

    recreate = {t for t in patch.delete_sheets if any(sp.title == t for sp in patch.sheets)}
    for title in patch.delete_sheets:
        if title in book.sheets and title not in recreate and len(book.sheets) > 1:
            late.append({"deleteSheet": {"sheetId": book.sheets[title].sheet_id}})
            del book.sheets[title]

    if new_file and patch.sheets:
        default = next(iter(book.sheets.values()))
        first = patch.sheets[0]
        del book.sheets[default.title]
        default.title = first.title
        book.sheets[first.title] = default
        reqs.append({"updateSheetProperties": {
            "properties": {"sheetId": default.sheet_id, "title": first.title},
            "fields": "title"}})

    for sp in patch.sheets:
        info = book.sheets.get(sp.title)
        need_rows, need_cols = _extent(sp)
        if info is None:
            sid = new_sheet_id(sp.title, (s.sheet_id for s in book.sheets.values()))
            info = SheetInfo(sid, sp.title, rows=max(DEFAULT_ROWS, need_rows),
                             cols=max(DEFAULT_COLS, need_cols), hidden=bool(sp.hidden))
            props: dict[str, Any] = {
                "sheetId": sid, "title": sp.title,
                "gridProperties": {"rowCount": info.rows, "columnCount": info.cols},
            }
            if sp.index is not None:
                props["index"] = sp.index
            if sp.hidden:
                props["hidden"] = True
            if sp.frozen_rows:
                props["gridProperties"]["frozenRowCount"] = sp.frozen_rows
            reqs.append({"addSheet": {"properties": props}})
            book.sheets[sp.title] = info
            created = True
        else:
            created = False
            if sp.clear or sp.title in recreate:
                reqs.extend(_clear(info))
            if need_rows > info.rows:
                reqs.append({"appendDimension": {"sheetId": info.sheet_id, "dimension": "ROWS",
                                                 "length": need_rows - info.rows}})
                info.rows = need_rows
            if need_cols > info.cols:
                reqs.append({"appendDimension": {"sheetId": info.sheet_id,
                                                 "dimension": "COLUMNS",
                                                 "length": need_cols - info.cols}})
                info.cols = need_cols
        sid = info.sheet_id
        renamed_default = new_file and sp is patch.sheets[0]
        if not created or renamed_default:
            props, fields = {"sheetId": sid}, []
            if renamed_default and sp.index is not None:
                props["index"] = sp.index
                fields.append("index")
            if sp.hidden is not None:
                props["hidden"] = sp.hidden
                fields.append("hidden")
                info.hidden = sp.hidden
            if sp.frozen_rows is not None:
                props["gridProperties"] = {"frozenRowCount": sp.frozen_rows}
                fields.append("gridProperties.frozenRowCount")
            if fields:
                reqs.append({"updateSheetProperties": {"properties": props,
                                                       "fields": ",".join(fields)}})

        if sp.values:
            cells = {pos: cell_value(v) for pos, v in sp.values.items()}
            reqs.extend(cell_runs(sid, cells, "userEnteredValue"))
        for rng, fmt in sp.formats:
            req = format_request(sid, rng, fmt)
            if req:
                reqs.append(req)
        for rng in sp.clear_notes:
            reqs.append({"updateCells": {"range": _grid(sid, rng), "fields": "note"}})
        if sp.notes:
            notes = {pos: ({"note": text} if text else {}) for pos, text in sp.notes.items()}
            reqs.extend(cell_runs(sid, notes, "note"))
        reqs.extend(_widths(sid, sp.column_widths))
        for v in sp.validations:
            reqs.append(validation_request(sid, v))
        if sp.protection is not None:
            for pid in info.protections:
                reqs.append({"deleteProtectedRange": {"protectedRangeId": pid}})
            info.protections = []
            users = sorted({e.lower() for e in sp.protection.editors}
                           | ({account.lower()} if account else set()))
            protected: dict[str, Any] = {
                "range": {"sheetId": sid},
                "unprotectedRanges": [_grid(sid, r) for r in sp.protection.editable],
                "warningOnly": False,
                "editors": {"users": users},
            }
            if sp.protection.description:
                protected["description"] = sp.protection.description
            reqs.append({"addProtectedRange": {"protectedRange": protected}})
            prot_slots.append(sp.title)
        if sp.append_rows:
            reqs.append({"appendCells": {
                "sheetId": sid,
                "rows": [{"values": [cell_value(v) for v in row]} for row in sp.append_rows],
                "fields": "userEnteredValue",
            }})
        if sp.charts:
            for cid in info.charts:
                reqs.append({"deleteEmbeddedObject": {"objectId": cid}})
            info.charts = []
            for ch in sp.charts:
                reqs.append(chart_request(sid, ch))
                chart_slots.append(sp.title)
    return Rendered(reqs + late, book, prot_slots, chart_slots)


def _clear(info: SheetInfo) -> list[Request]:
    """Wipe what the local adapter's sheet re-creation wipes: values, formats, notes,
    validations, the service's protections and the charts."""
    reqs: list[Request] = [{"updateCells": {
        "range": {"sheetId": info.sheet_id},
        "fields": "userEnteredValue,userEnteredFormat,note,dataValidation",
    }}]
    reqs += [{"deleteProtectedRange": {"protectedRangeId": p}} for p in info.protections]
    reqs += [{"deleteEmbeddedObject": {"objectId": c}} for c in info.charts]
    info.protections, info.charts = [], []
    return reqs


def _widths(sheet_id: int, widths: dict[int, int]) -> list[Request]:
    reqs: list[Request] = []
    run: list[int] = []

    def flush() -> None:
        if run:
            reqs.append({"updateDimensionProperties": {
                "range": {"sheetId": sheet_id, "dimension": "COLUMNS",
                          "startIndex": run[0] - 1, "endIndex": run[-1]},
                "properties": {"pixelSize": int(widths[run[0]])},
                "fields": "pixelSize",
            }})

    for col in sorted(widths):
        if run and col == run[-1] + 1 and widths[col] == widths[run[0]]:
            run.append(col)
        else:
            flush()
            run = [col]
    flush()
    return reqs
