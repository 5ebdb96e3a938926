"""spreadsheets.batchUpdate request kinds, one function each.

A function raises RequestError(msg); the caller wraps it as Google does:
"Invalid requests[i].<kind>: <msg>" (HTTP 400). The whole batch is rolled back on error.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .errors import PROTECTED_MESSAGE
from .masks import Mask, parse_mask
from .model import Sheet, Spreadsheet, grid_json, new_sheet_props
from .proto import normalize
from .semantics import SemanticError, check_request

if TYPE_CHECKING:
    from .core import DriveFile, FakeGoogle

Rect = tuple[int, int, int, int]


class RequestError(Exception):
    pass


# Request kinds the fake implements. Others answer 400 "not supported by fakegoogle".
HANDLERS: dict[str, Callable[[BatchContext, dict[str, Any]], dict[str, Any]]] = {}


def handler(kind: str) -> Callable[[Callable[..., dict[str, Any]]], Callable[..., dict[str, Any]]]:
    def deco(fn: Callable[..., dict[str, Any]]) -> Callable[..., dict[str, Any]]:
        HANDLERS[kind] = fn
        return fn

    return deco


@dataclass
class BatchContext:
    fake: FakeGoogle
    ss: Spreadsheet
    file: DriveFile
    user: str | None
    exempt: bool

    def sheet(self, sheet_id: int | None) -> Sheet:
        sid = sheet_id or 0
        s = self.ss.by_id(sid)
        if s is None:
            raise RequestError(f"No grid with id: {sid}")
        return s

    def rect(self, gr: dict[str, Any]) -> tuple[Sheet, Rect]:
        sheet = self.sheet(gr.get("sheetId"))
        r0 = gr.get("startRowIndex") or 0
        r1 = gr.get("endRowIndex")
        c0 = gr.get("startColumnIndex") or 0
        c1 = gr.get("endColumnIndex")
        r1 = sheet.rows if r1 is None else r1
        c1 = sheet.cols if c1 is None else c1
        if r0 > r1 or c0 > c1 or r0 < 0 or c0 < 0:
            raise RequestError("Invalid range: the start index must be less than or equal to the end index.")
        if r1 > sheet.rows:
            raise RequestError(
                f"GridCoordinate.rowIndex[{r1 - 1}] is after last row in grid[{sheet.rows - 1}]"
            )
        if c1 > sheet.cols:
            raise RequestError(
                f"GridCoordinate.columnIndex[{c1 - 1}] is after last column in grid[{sheet.cols - 1}]"
            )
        return sheet, (r0, r1, c0, c1)

    def guard(self, sheet: Sheet, rect: Rect) -> None:
        from .sheets import protected_conflict

        if protected_conflict(self.fake, self.ss, sheet, rect, self.user, self.exempt):
            raise RequestError(PROTECTED_MESSAGE)

    def guard_sheet(self, sheet: Sheet) -> None:
        """Sheet-level changes are blocked by a whole-sheet protection you don't edit."""
        from .sheets import can_edit_protected

        if self.exempt:
            return
        for pr in sheet.protected:
            rng = pr.get("range") or {}
            whole = all(
                rng.get(k) is None
                for k in ("startRowIndex", "endRowIndex", "startColumnIndex", "endColumnIndex")
            )
            if (
                whole
                and not pr.get("warningOnly")
                and not can_edit_protected(self.fake, self.user, pr, self.file.owner)
            ):
                raise RequestError(PROTECTED_MESSAGE)


def apply_request(ctx: BatchContext, kind: str, body: dict[str, Any]) -> dict[str, Any]:
    fn = HANDLERS.get(kind)
    if fn is None:
        raise RequestError(f"request kind '{kind}' is not supported by fakegoogle")
    try:
        check_request(kind, body)  # what Google refuses beyond the schema (semantics.py)
    except SemanticError as e:
        raise RequestError(str(e)) from None
    return fn(ctx, body)


# ---------------------------------------------------------------- helpers
def update_by_mask(target: dict[str, Any], source: dict[str, Any], mask: Mask | None) -> None:
    """Copy the masked fields from source to target; masked but absent fields are cleared."""
    if mask is None or "*" in mask:
        target.clear()
        target.update(copy.deepcopy(source))
        return
    for key, sub in mask.items():
        if sub is None:
            if key in source:
                target[key] = copy.deepcopy(source[key])
            else:
                target.pop(key, None)
        else:
            child = target.get(key)
            if not isinstance(child, dict):
                child = {}
            update_by_mask(child, source.get(key) or {}, sub)
            if child:
                target[key] = child
            else:
                target.pop(key, None)


def _mask(fields: str | None) -> Mask:
    if not fields:
        raise RequestError("At least one field must be listed in 'fields'. (Use '*' to indicate all fields.)")
    return parse_mask(fields)


def _cells_in(sheet: Sheet, rect: Rect) -> list[tuple[int, int]]:
    r0, r1, c0, c1 = rect
    return [(r, c) for r, row in sheet.cells.items() if r0 <= r < r1 for c in row if c0 <= c < c1]


def _write_cell_fields(
    ss: Spreadsheet, sheet: Sheet, r: int, c: int, src: dict[str, Any], mask: Mask
) -> None:
    cell = copy.deepcopy(sheet.cell(r, c) or {})
    src = dict(src)
    uev = src.get("userEnteredValue")
    if uev and "formulaValue" in uev and not str(uev["formulaValue"]).startswith("="):
        src["userEnteredValue"] = {"stringValue": uev["formulaValue"]}
    update_by_mask(cell, src, mask)
    for k in ("effectiveValue", "formattedValue", "effectiveFormat"):
        cell.pop(k, None)
    if cell.get("note") == "":
        del cell["note"]
    if "userEnteredFormat" in cell:
        normalize(cell["userEnteredFormat"])
        if not cell["userEnteredFormat"]:
            del cell["userEnteredFormat"]
    sheet.put(r, c, cell)


# ---------------------------------------------------------------- sheets
@handler("addSheet")
def add_sheet(ctx: BatchContext, body: dict[str, Any]) -> dict[str, Any]:
    props = body.get("properties", {})
    ss = ctx.ss
    title = props.get("title")
    if title is None:
        n = len(ss.sheets) + 1
        while ss.by_title(f"Sheet{n}"):
            n += 1
        title = f"Sheet{n}"
    if ss.by_title(title):
        raise RequestError(f'A sheet with the name "{title}" already exists. Please enter another name.')
    sheet_id = props.get("sheetId")
    if sheet_id is None:
        sheet_id = ctx.fake.new_int_id()
        while ss.by_id(sheet_id):
            sheet_id = ctx.fake.new_int_id()
    elif ss.by_id(sheet_id):
        raise RequestError(f"A sheet with the id {sheet_id} already exists. Please enter another id.")
    index = props.get("index", len(ss.sheets))
    index = max(0, min(index, len(ss.sheets)))
    new = new_sheet_props(sheet_id, title, index)
    gp = props.get("gridProperties", {})
    new["gridProperties"].update(gp)
    for k, v in props.items():
        if k not in ("gridProperties", "sheetId", "title", "index"):
            new[k] = copy.deepcopy(v)
    normalize(new)
    sheet = Sheet(new)
    ss.sheets.insert(index, sheet)
    ss.reindex()
    return {"addSheet": {"properties": copy.deepcopy(sheet.props)}}


@handler("deleteSheet")
def delete_sheet(ctx: BatchContext, body: dict[str, Any]) -> dict[str, Any]:
    sheet = ctx.sheet(body.get("sheetId"))
    ctx.guard_sheet(sheet)
    if len(ctx.ss.sheets) == 1:
        raise RequestError("You can't remove all the sheets in a document.")
    ctx.ss.sheets.remove(sheet)
    ctx.ss.named_ranges = [n for n in ctx.ss.named_ranges if (n["range"].get("sheetId") or 0) != sheet.id]
    ctx.ss.reindex()
    return {}


@handler("duplicateSheet")
def duplicate_sheet(ctx: BatchContext, body: dict[str, Any]) -> dict[str, Any]:
    src = ctx.sheet(body.get("sourceSheetId"))
    new = copy.deepcopy(src)
    new_id = body.get("newSheetId") or ctx.fake.new_int_id()
    title = body.get("newSheetName") or f"Copy of {src.title}"
    if ctx.ss.by_title(title):
        raise RequestError(f'A sheet with the name "{title}" already exists. Please enter another name.')
    new.props["sheetId"] = new_id
    new.props["title"] = title
    for m in new.merges:
        m["sheetId"] = new_id
    for pr in new.protected:
        pr["protectedRangeId"] = ctx.fake.new_int_id()
        pr.get("range", {})["sheetId"] = new_id
    idx = body.get("insertSheetIndex", len(ctx.ss.sheets))
    ctx.ss.sheets.insert(idx, new)
    ctx.ss.reindex()
    return {"duplicateSheet": {"properties": copy.deepcopy(new.props)}}


@handler("updateSheetProperties")
def update_sheet_properties(ctx: BatchContext, body: dict[str, Any]) -> dict[str, Any]:
    props = body.get("properties", {})
    sheet = ctx.sheet(props.get("sheetId"))
    mask = _mask(body.get("fields"))
    ctx.guard_sheet(sheet)
    new = copy.deepcopy(sheet.props)
    update_by_mask(new, props, mask)
    new["sheetId"] = sheet.id
    new.setdefault("sheetType", "GRID")
    title = new.get("title")
    if title != sheet.title:
        other = ctx.ss.by_title(title or "")
        if not title:
            raise RequestError("The sheet name cannot be empty.")
        if other is not None and other is not sheet:
            raise RequestError(f'A sheet with the name "{title}" already exists. Please enter another name.')
    if new.get("hidden") and not sheet.props.get("hidden"):
        visible = [s for s in ctx.ss.sheets if not s.props.get("hidden") and s is not sheet]
        if not visible:
            raise RequestError("You can't hide all the sheets in a document.")
    if not new.get("hidden"):
        new.pop("hidden", None)
    gp = new.setdefault("gridProperties", {})
    rows = gp.get("rowCount", sheet.rows)
    cols = gp.get("columnCount", sheet.cols)
    if rows < 1 or cols < 1:
        raise RequestError("You can't delete all the rows on the sheet.")
    frozen_r = gp.get("frozenRowCount", 0)
    frozen_c = gp.get("frozenColumnCount", 0)
    if frozen_r and frozen_r >= rows:
        raise RequestError("You can't freeze all visible rows on the sheet.")
    if frozen_c and frozen_c >= cols:
        raise RequestError("You can't freeze all visible columns on the sheet.")
    for k in ("frozenRowCount", "frozenColumnCount"):
        if gp.get(k) == 0:
            del gp[k]
    if gp.get("hideGridlines") is False:
        del gp["hideGridlines"]
    normalize(new)
    old_index = sheet.props.get("index", 0)
    new_index = new.get("index", old_index)
    sheet.props = new
    sheet.set_size(rows, cols)
    if new_index != old_index:
        ctx.ss.sheets.remove(sheet)
        # Google's index semantics: the index counts positions before the move
        pos = new_index if new_index < old_index else new_index - 1
        pos = max(0, min(pos, len(ctx.ss.sheets)))
        ctx.ss.sheets.insert(pos, sheet)
    ctx.ss.reindex()
    return {}


@handler("updateSpreadsheetProperties")
def update_spreadsheet_properties(ctx: BatchContext, body: dict[str, Any]) -> dict[str, Any]:
    mask = _mask(body.get("fields"))
    update_by_mask(ctx.ss.props, body.get("properties", {}), mask)
    return {}


# ---------------------------------------------------------------- cells
@handler("updateCells")
def update_cells(ctx: BatchContext, body: dict[str, Any]) -> dict[str, Any]:
    mask = _mask(body.get("fields"))
    rows = body.get("rows", [])
    if "start" in body:
        st = body["start"]
        sheet = ctx.sheet(st.get("sheetId"))
        r0, c0 = st.get("rowIndex") or 0, st.get("columnIndex") or 0
        height = len(rows)
        width = max((len(r.get("values", [])) for r in rows), default=0)
        rect = (r0, r0 + height, c0, c0 + width)
        if rect[1] > sheet.rows or rect[3] > sheet.cols:
            raise RequestError(
                f"GridCoordinate.rowIndex[{rect[1] - 1}] is after last row in grid[{sheet.rows - 1}]"
                if rect[1] > sheet.rows
                else f"GridCoordinate.columnIndex[{rect[3] - 1}] is after last column in "
                f"grid[{sheet.cols - 1}]"
            )
        fill_all = False
    elif "range" in body:
        sheet, rect = ctx.rect(body["range"])
        fill_all = True
    else:
        raise RequestError("Must specify either start or range.")
    ctx.guard(sheet, rect)
    r0, r1, c0, c1 = rect
    for i, r in enumerate(range(r0, r1)):
        row_vals = rows[i].get("values", []) if i < len(rows) else []
        for j, c in enumerate(range(c0, c1)):
            if j < len(row_vals):
                src = row_vals[j]
            elif fill_all:
                src = {}
            else:
                continue
            _write_cell_fields(ctx.ss, sheet, r, c, src, mask)
    return {}


@handler("repeatCell")
def repeat_cell(ctx: BatchContext, body: dict[str, Any]) -> dict[str, Any]:
    mask = _mask(body.get("fields"))
    sheet, rect = ctx.rect(body.get("range", {}))
    ctx.guard(sheet, rect)
    src = body.get("cell", {})
    r0, r1, c0, c1 = rect
    if (r1 - r0) * (c1 - c0) > 200000:
        raise RequestError("fakegoogle: repeatCell range too large for the fake")
    for r in range(r0, r1):
        for c in range(c0, c1):
            _write_cell_fields(ctx.ss, sheet, r, c, src, mask)
    return {}


@handler("appendCells")
def append_cells(ctx: BatchContext, body: dict[str, Any]) -> dict[str, Any]:
    sheet = ctx.sheet(body.get("sheetId"))
    mask = _mask(body.get("fields"))
    er, _ = sheet.value_extent(0, sheet.rows, 0, sheet.cols)
    rows = body.get("rows", [])
    width = max((len(r.get("values", [])) for r in rows), default=0)
    if er + len(rows) > sheet.rows:
        sheet.set_size(rows=er + len(rows))
    if width > sheet.cols:
        sheet.set_size(cols=width)
    ctx.guard(sheet, (er, er + len(rows), 0, width))
    for i, row in enumerate(rows):
        for j, v in enumerate(row.get("values", [])):
            _write_cell_fields(ctx.ss, sheet, er + i, j, v, mask)
    return {}


@handler("setDataValidation")
def set_data_validation(ctx: BatchContext, body: dict[str, Any]) -> dict[str, Any]:
    sheet, rect = ctx.rect(body.get("range", {}))
    ctx.guard(sheet, rect)
    rule = body.get("rule")
    r0, r1, c0, c1 = rect
    for r in range(r0, r1):
        for c in range(c0, c1):
            _write_cell_fields(
                ctx.ss,
                sheet,
                r,
                c,
                {"dataValidation": rule} if rule else {},
                {"dataValidation": None},
            )
    return {}


@handler("updateBorders")
def update_borders(ctx: BatchContext, body: dict[str, Any]) -> dict[str, Any]:
    sheet, rect = ctx.rect(body.get("range", {}))
    ctx.guard(sheet, rect)
    r0, r1, c0, c1 = rect
    for r in range(r0, r1):
        for c in range(c0, c1):
            cell = copy.deepcopy(sheet.cell(r, c) or {})
            borders = cell.setdefault("userEnteredFormat", {}).setdefault("borders", {})
            sides = {
                "top": body.get("top") if r == r0 else body.get("innerHorizontal"),
                "bottom": body.get("bottom") if r == r1 - 1 else body.get("innerHorizontal"),
                "left": body.get("left") if c == c0 else body.get("innerVertical"),
                "right": body.get("right") if c == c1 - 1 else body.get("innerVertical"),
            }
            for side, style in sides.items():
                if style:
                    borders[side] = normalize(copy.deepcopy(style))
            sheet.put(r, c, cell)
    return {}


@handler("mergeCells")
def merge_cells(ctx: BatchContext, body: dict[str, Any]) -> dict[str, Any]:
    sheet, rect = ctx.rect(body.get("range", {}))
    ctx.guard(sheet, rect)
    mtype = body.get("mergeType", "MERGE_ALL")
    r0, r1, c0, c1 = rect
    if mtype == "MERGE_ROWS":
        pieces = [(r, r + 1, c0, c1) for r in range(r0, r1)]
    elif mtype == "MERGE_COLUMNS":
        pieces = [(r0, r1, c, c + 1) for c in range(c0, c1)]
    else:
        pieces = [rect]
    for m in sheet.merges:
        mr = (m["startRowIndex"], m["endRowIndex"], m["startColumnIndex"], m["endColumnIndex"])
        overlaps = mr[0] < r1 and r0 < mr[1] and mr[2] < c1 and c0 < mr[3]
        inside = r0 <= mr[0] and mr[1] <= r1 and c0 <= mr[2] and mr[3] <= c1
        if overlaps and not inside:
            raise RequestError("You can't merge cells that partially overlap a merge.")
    sheet.merges = [
        m
        for m in sheet.merges
        if not (
            r0 <= m["startRowIndex"]
            and m["endRowIndex"] <= r1
            and c0 <= m["startColumnIndex"]
            and m["endColumnIndex"] <= c1
        )
    ]
    for p in pieces:
        if (p[1] - p[0]) * (p[3] - p[2]) <= 1:
            continue
        # merging keeps only the top-left value of each piece
        for r in range(p[0], p[1]):
            for c in range(p[2], p[3]):
                if (r, c) != (p[0], p[2]):
                    cell = dict(sheet.cell(r, c) or {})
                    cell.pop("userEnteredValue", None)
                    sheet.put(r, c, cell)
        sheet.merges.append(
            {
                "sheetId": sheet.id,
                "startRowIndex": p[0],
                "endRowIndex": p[1],
                "startColumnIndex": p[2],
                "endColumnIndex": p[3],
            }
        )
    return {}


@handler("unmergeCells")
def unmerge_cells(ctx: BatchContext, body: dict[str, Any]) -> dict[str, Any]:
    sheet, (r0, r1, c0, c1) = ctx.rect(body.get("range", {}))
    keep = []
    for m in sheet.merges:
        inside = (
            m["startRowIndex"] < r1
            and r0 < m["endRowIndex"]
            and m["startColumnIndex"] < c1
            and c0 < m["endColumnIndex"]
        )
        if not inside:
            keep.append(m)
        elif not (
            r0 <= m["startRowIndex"]
            and m["endRowIndex"] <= r1
            and c0 <= m["startColumnIndex"]
            and m["endColumnIndex"] <= c1
        ):
            raise RequestError("Cannot unmerge a range that partially overlaps a merge; expand the range.")
    sheet.merges = keep
    return {}


# ---------------------------------------------------------------- dimensions
def _dim_range(ctx: BatchContext, rng: dict[str, Any]) -> tuple[Sheet, str, int, int]:
    sheet = ctx.sheet(rng.get("sheetId"))
    dim = rng.get("dimension")
    if dim not in ("ROWS", "COLUMNS"):
        raise RequestError("dimension must be ROWS or COLUMNS")
    size = sheet.rows if dim == "ROWS" else sheet.cols
    start = rng.get("startIndex") or 0
    end = rng.get("endIndex")
    end = size if end is None else end
    if start > end:
        raise RequestError("Invalid range: the start index must be less than or equal to the end index.")
    return sheet, dim, start, end


@handler("updateDimensionProperties")
def update_dimension_properties(ctx: BatchContext, body: dict[str, Any]) -> dict[str, Any]:
    mask = _mask(body.get("fields"))
    sheet, dim, start, end = _dim_range(ctx, body.get("range", {}))
    size = sheet.rows if dim == "ROWS" else sheet.cols
    if end > size:
        raise RequestError(
            f"Invalid dimension range: the end index {end} is greater than the sheet size {size}"
        )
    meta = sheet.row_meta if dim == "ROWS" else sheet.col_meta
    src = body.get("properties", {})
    for i in range(start, end):
        m = meta.setdefault(i, {})
        update_by_mask(m, src, mask)
        if m.get("hiddenByUser") is False:
            del m["hiddenByUser"]
        if not m:
            del meta[i]
    return {}


@handler("autoResizeDimensions")
def auto_resize_dimensions(ctx: BatchContext, body: dict[str, Any]) -> dict[str, Any]:
    dims = body.get("dimensions")
    if dims is None:
        raise RequestError("dimensions must be set")
    sheet, dim, start, end = _dim_range(ctx, dims)
    # Fit to content: ~8.49 px per character of the longest formatted value (Arial 10).
    for i in range(start, end):
        if dim == "COLUMNS":
            texts = [
                ctx.ss.format_value(ctx.ss.effective(sheet, r, i), None)
                for r, row in sheet.cells.items()
                if i in row
            ]
            longest = max((len(t) for t in texts), default=0)
            size = round(8.4814 * longest + 6) if longest else 100
            sheet.col_meta.setdefault(i, {})["pixelSize"] = size
        else:
            lines = [
                ctx.ss.format_value(ctx.ss.effective(sheet, i, c), None).count("\n") + 1
                for c in sheet.cells.get(i, {})
            ]
            sheet.row_meta.setdefault(i, {})["pixelSize"] = 21 * max(lines, default=1)
    return {}


@handler("appendDimension")
def append_dimension(ctx: BatchContext, body: dict[str, Any]) -> dict[str, Any]:
    sheet = ctx.sheet(body.get("sheetId"))
    n = body.get("length", 0)
    if n <= 0:
        raise RequestError("length must be positive")
    if body.get("dimension") == "ROWS":
        sheet.set_size(rows=sheet.rows + n)
    else:
        sheet.set_size(cols=sheet.cols + n)
    return {}


@handler("insertDimension")
def insert_dimension(ctx: BatchContext, body: dict[str, Any]) -> dict[str, Any]:
    sheet, dim, start, end = _dim_range(ctx, body.get("range", {}))
    n = end - start
    size = sheet.rows if dim == "ROWS" else sheet.cols
    if start > size:
        raise RequestError(f"Invalid range: the start index {start} is after the last index {size}")
    if n <= 0:
        return {}
    if dim == "ROWS":
        sheet.set_size(rows=sheet.rows + n)
        sheet.shift_rows(start, n)
    else:
        sheet.set_size(cols=sheet.cols + n)
        sheet.shift_cols(start, n)
    return {}


@handler("deleteDimension")
def delete_dimension(ctx: BatchContext, body: dict[str, Any]) -> dict[str, Any]:
    sheet, dim, start, end = _dim_range(ctx, body.get("range", {}))
    n = end - start
    size = sheet.rows if dim == "ROWS" else sheet.cols
    if end > size:
        raise RequestError(
            f"Invalid dimension range: the end index {end} is greater than the sheet size {size}"
        )
    if n >= size:
        what = "rows" if dim == "ROWS" else "columns"
        raise RequestError(f"You can't delete all the {what} on the sheet.")
    rect = (start, end, 0, sheet.cols) if dim == "ROWS" else (0, sheet.rows, start, end)
    ctx.guard(sheet, rect)
    if dim == "ROWS":
        sheet.shift_rows(start, -n)
        sheet.set_size(rows=sheet.rows - n)
    else:
        sheet.shift_cols(start, -n)
        sheet.set_size(cols=sheet.cols - n)
    return {}


def _groups(sheet: Sheet, dim: str) -> list[dict[str, Any]]:
    return sheet.row_groups if dim == "ROWS" else sheet.col_groups


def _recompute_depths(groups: list[dict[str, Any]]) -> None:
    groups.sort(key=lambda g: (g["range"]["startIndex"], -g["range"]["endIndex"]))
    for g in groups:
        depth = 1
        for o in groups:
            if o is g:
                continue
            if (
                o["range"]["startIndex"] <= g["range"]["startIndex"]
                and g["range"]["endIndex"] <= o["range"]["endIndex"]
                and (o["range"]["startIndex"], o["range"]["endIndex"])
                != (g["range"]["startIndex"], g["range"]["endIndex"])
            ):
                depth += 1
        g["depth"] = depth
    groups.sort(key=lambda g: (g["depth"], g["range"]["startIndex"]))


@handler("addDimensionGroup")
def add_dimension_group(ctx: BatchContext, body: dict[str, Any]) -> dict[str, Any]:
    sheet, dim, start, end = _dim_range(ctx, body.get("range", {}))
    groups = _groups(sheet, dim)
    for g in groups:
        if (g["range"]["startIndex"], g["range"]["endIndex"]) == (start, end):
            raise RequestError("The group already exists.")
    groups.append(
        {
            "range": {"sheetId": sheet.id, "dimension": dim, "startIndex": start, "endIndex": end},
            "depth": 1,
        }
    )
    _recompute_depths(groups)
    gp = sheet.props.setdefault("gridProperties", {})
    gp["rowGroupControlAfter" if dim == "ROWS" else "columnGroupControlAfter"] = True
    return {"addDimensionGroup": _groups_reply(groups)}


def _groups_reply(groups: list[dict[str, Any]]) -> dict[str, Any]:
    from .model import group_json

    return {"dimensionGroups": [group_json(g) for g in groups]} if groups else {}


@handler("deleteDimensionGroup")
def delete_dimension_group(ctx: BatchContext, body: dict[str, Any]) -> dict[str, Any]:
    sheet, dim, start, end = _dim_range(ctx, body.get("range", {}))
    groups = _groups(sheet, dim)
    match = [g for g in groups if (g["range"]["startIndex"], g["range"]["endIndex"]) == (start, end)]
    if not match:
        raise RequestError("No group exists for the given range.")
    groups.remove(match[0])
    _recompute_depths(groups)
    return {"deleteDimensionGroup": _groups_reply(groups)}


# ---------------------------------------------------------------- protection
def _pr_range_ok(ctx: BatchContext, pr: dict[str, Any]) -> None:
    if "range" in pr:
        ctx.rect(pr["range"])
    for u in pr.get("unprotectedRanges", []):
        ctx.rect(u)


@handler("addProtectedRange")
def add_protected_range(ctx: BatchContext, body: dict[str, Any]) -> dict[str, Any]:
    pr = copy.deepcopy(body.get("protectedRange", {}))
    if "range" not in pr and "namedRangeId" not in pr:
        raise RequestError("A protected range must have a range or a named range.")
    _pr_range_ok(ctx, pr)
    sheet = ctx.sheet((pr.get("range") or {}).get("sheetId"))
    pid = pr.get("protectedRangeId") or ctx.fake.new_int_id()
    # AddProtectedRangeRequest (Sheets v4 reference, and the discovery document): "It is an
    # error to specify the ID of a range that already exists." The whole batch fails.
    if any(p.get("protectedRangeId") == pid for s in ctx.ss.sheets for p in s.protected):
        raise RequestError(f"A protected range with id {pid} already exists.")
    pr["protectedRangeId"] = pid
    pr.pop("requestingUserCanEdit", None)
    editors = pr.get("editors") or {}
    users: list[str] = []
    owner = ctx.file.owner
    for u in [owner, ctx.user, *editors.get("users", [])]:
        if u and u not in users:
            users.append(u)
    stored_editors: dict[str, Any] = {"users": users}
    if editors.get("groups"):
        stored_editors["groups"] = list(editors["groups"])
    if editors.get("domainUsersCanEdit"):
        stored_editors["domainUsersCanEdit"] = True
    pr["editors"] = stored_editors
    if not pr.get("warningOnly"):
        pr.pop("warningOnly", None)
    if pr.get("description") is None:
        pr.pop("description", None)
    if "range" in pr:
        pr["range"]["sheetId"] = sheet.id
    sheet.protected.append(pr)
    reply = copy.deepcopy(pr)
    if "range" in reply:
        reply["range"] = grid_json(reply["range"])
    reply["unprotectedRanges"] = [grid_json(u) for u in reply.get("unprotectedRanges", [])]
    if not reply["unprotectedRanges"]:
        del reply["unprotectedRanges"]
    reply["requestingUserCanEdit"] = True
    # Google echoes the editors as sent (before adding owner/requester)
    reply["editors"] = {k: v for k, v in editors.items() if v}
    order = [
        "protectedRangeId",
        "range",
        "namedRangeId",
        "description",
        "warningOnly",
        "requestingUserCanEdit",
        "unprotectedRanges",
        "editors",
    ]
    reply = {k: reply[k] for k in order if k in reply}
    return {"addProtectedRange": {"protectedRange": reply}}


def _find_pr(ctx: BatchContext, pid: int | None) -> tuple[Sheet, dict[str, Any]]:
    for s in ctx.ss.sheets:
        for pr in s.protected:
            if pr.get("protectedRangeId") == pid:
                return s, pr
    raise RequestError(f"No protected range with id: {pid}")


def _guard_pr_owner(ctx: BatchContext, pr: dict[str, Any]) -> None:
    from .sheets import can_edit_protected

    if not ctx.exempt and not can_edit_protected(ctx.fake, ctx.user, pr, ctx.file.owner):
        raise RequestError(PROTECTED_MESSAGE)


@handler("updateProtectedRange")
def update_protected_range(ctx: BatchContext, body: dict[str, Any]) -> dict[str, Any]:
    src = body.get("protectedRange", {})
    sheet, pr = _find_pr(ctx, src.get("protectedRangeId"))
    _guard_pr_owner(ctx, pr)
    mask = _mask(body.get("fields"))
    update_by_mask(pr, src, mask)
    _pr_range_ok(ctx, pr)
    new_sheet = ctx.sheet((pr.get("range") or {}).get("sheetId", sheet.id))
    if new_sheet is not sheet:
        sheet.protected.remove(pr)
        new_sheet.protected.append(pr)
    if pr.get("editors") is not None and not pr.get("warningOnly"):
        users = pr["editors"].setdefault("users", [])
        if ctx.file.owner and ctx.file.owner not in users:
            users.insert(0, ctx.file.owner)
    return {}


@handler("deleteProtectedRange")
def delete_protected_range(ctx: BatchContext, body: dict[str, Any]) -> dict[str, Any]:
    sheet, pr = _find_pr(ctx, body.get("protectedRangeId"))
    _guard_pr_owner(ctx, pr)
    sheet.protected.remove(pr)
    return {}


# ---------------------------------------------------------------- named ranges
@handler("addNamedRange")
def add_named_range(ctx: BatchContext, body: dict[str, Any]) -> dict[str, Any]:
    nr = copy.deepcopy(body.get("namedRange", {}))
    name = nr.get("name", "")
    if not re.fullmatch(r"[A-Za-z_\\][A-Za-z0-9_.]*", name) or re.fullmatch(r"[A-Za-z]{1,3}\d+", name):
        raise RequestError(f"Invalid name: {name}")
    if any(n["name"].lower() == name.lower() for n in ctx.ss.named_ranges):
        raise RequestError(f"Named range with name '{name}' already exists.")
    sheet, _ = ctx.rect(nr.get("range", {}))
    nr["range"]["sheetId"] = sheet.id
    nr["namedRangeId"] = nr.get("namedRangeId") or _named_id(ctx)
    ctx.ss.named_ranges.append(nr)
    reply = {**copy.deepcopy(nr), "range": grid_json(nr["range"])}
    reply = {k: reply[k] for k in ("namedRangeId", "name", "range") if k in reply}
    return {"addNamedRange": {"namedRange": reply}}


def _named_id(ctx: BatchContext) -> str:
    chars = "abcdefghijklmnopqrstuvwxyz0123456789"
    return "".join(ctx.fake.rng.choice(chars) for _ in range(12))


def _find_named(ctx: BatchContext, nid: str | None) -> dict[str, Any]:
    for n in ctx.ss.named_ranges:
        if n.get("namedRangeId") == nid:
            return n
    raise RequestError(f"No named range with id {nid}")


@handler("updateNamedRange")
def update_named_range(ctx: BatchContext, body: dict[str, Any]) -> dict[str, Any]:
    src = body.get("namedRange", {})
    nr = _find_named(ctx, src.get("namedRangeId"))
    update_by_mask(nr, src, _mask(body.get("fields")))
    if "range" in nr:
        sheet, _ = ctx.rect(nr["range"])
        nr["range"]["sheetId"] = sheet.id
    return {}


@handler("deleteNamedRange")
def delete_named_range(ctx: BatchContext, body: dict[str, Any]) -> dict[str, Any]:
    nr = _find_named(ctx, body.get("namedRangeId"))
    ctx.ss.named_ranges.remove(nr)
    return {}


# ---------------------------------------------------------------- filters, formats, charts
@handler("setBasicFilter")
def set_basic_filter(ctx: BatchContext, body: dict[str, Any]) -> dict[str, Any]:
    flt = copy.deepcopy(body.get("filter", {}))
    sheet, (r0, r1, c0, c1) = ctx.rect(flt.get("range", {}))
    flt["range"] = {
        "sheetId": sheet.id,
        "startRowIndex": r0,
        "endRowIndex": r1,
        "startColumnIndex": c0,
        "endColumnIndex": c1,
    }
    sheet.basic_filter = flt
    return {}


@handler("clearBasicFilter")
def clear_basic_filter(ctx: BatchContext, body: dict[str, Any]) -> dict[str, Any]:
    sheet = ctx.sheet(body.get("sheetId"))
    sheet.basic_filter = None
    return {}


@handler("addFilterView")
def add_filter_view(ctx: BatchContext, body: dict[str, Any]) -> dict[str, Any]:
    fv = copy.deepcopy(body.get("filter", {}))
    sheet, _ = ctx.rect(fv.get("range", {}))
    fv["filterViewId"] = fv.get("filterViewId") or ctx.fake.new_int_id()
    sheet.filter_views.append(fv)
    return {"addFilterView": {"filter": copy.deepcopy(fv)}}


@handler("addConditionalFormatRule")
def add_conditional_format_rule(ctx: BatchContext, body: dict[str, Any]) -> dict[str, Any]:
    rule = copy.deepcopy(body.get("rule", {}))
    ranges = rule.get("ranges", [])
    if not ranges:
        raise RequestError("At least one range must be specified.")
    sheet, _ = ctx.rect(ranges[0])
    idx = body.get("index", 0)
    sheet.cond_formats.insert(min(idx, len(sheet.cond_formats)), rule)
    return {}


@handler("deleteConditionalFormatRule")
def delete_conditional_format_rule(ctx: BatchContext, body: dict[str, Any]) -> dict[str, Any]:
    sheet = ctx.sheet(body.get("sheetId"))
    idx = body.get("index", 0)
    if not 0 <= idx < len(sheet.cond_formats):
        raise RequestError(f"No conditional format on sheet {sheet.id} at index {idx}")
    rule = sheet.cond_formats.pop(idx)
    return {"deleteConditionalFormatRule": {"rule": rule}}


@handler("addChart")
def add_chart(ctx: BatchContext, body: dict[str, Any]) -> dict[str, Any]:
    chart = copy.deepcopy(body.get("chart", {}))
    anchor = (chart.get("position") or {}).get("overlayPosition", {}).get("anchorCell", {})
    sheet_id = anchor.get("sheetId")
    if (chart.get("position") or {}).get("newSheet"):
        res = add_sheet(ctx, {"properties": {"sheetType": "OBJECT"}})
        sheet_id = res["addSheet"]["properties"]["sheetId"]
    sheet = ctx.sheet(sheet_id if sheet_id is not None else (chart.get("position") or {}).get("sheetId"))
    chart["chartId"] = chart.get("chartId") or ctx.fake.new_int_id()
    # AddChartRequest (Sheets v4 reference): "It is an error to specify the ID of an embedded
    # object that already exists."
    if any(c.get("chartId") == chart["chartId"] for s in ctx.ss.sheets for c in s.charts):
        raise RequestError(f"An object with id {chart['chartId']} already exists.")
    sheet.charts.append(chart)
    return {"addChart": {"chart": copy.deepcopy(chart)}}


@handler("deleteEmbeddedObject")
def delete_embedded_object(ctx: BatchContext, body: dict[str, Any]) -> dict[str, Any]:
    oid = body.get("objectId")
    for s in ctx.ss.sheets:
        for ch in s.charts:
            if ch.get("chartId") == oid:
                s.charts.remove(ch)
                return {}
    raise RequestError(f"No object with id: {oid}")


@handler("addBanding")
def add_banding(ctx: BatchContext, body: dict[str, Any]) -> dict[str, Any]:
    br = copy.deepcopy(body.get("bandedRange", {}))
    sheet, _ = ctx.rect(br.get("range", {}))
    br["bandedRangeId"] = br.get("bandedRangeId") or ctx.fake.new_int_id()
    sheet.banded.append(br)
    return {"addBanding": {"bandedRange": copy.deepcopy(br)}}


# ---------------------------------------------------------------- data moves
def _snapshot(sheet: Sheet, rect: Rect) -> dict[tuple[int, int], dict[str, Any]]:
    r0, r1, c0, c1 = rect
    return {
        (r - r0, c - c0): copy.deepcopy(cell)
        for r, row in sheet.cells.items()
        if r0 <= r < r1
        for c, cell in row.items()
        if c0 <= c < c1
    }


def _paste_fields(paste_type: str) -> Mask | None:
    return {
        "PASTE_NORMAL": None,
        "PASTE_VALUES": {"userEnteredValue": None},
        "PASTE_FORMAT": {"userEnteredFormat": None},
        "PASTE_NO_BORDERS": None,
        "PASTE_FORMULA": {"userEnteredValue": None},
        "PASTE_DATA_VALIDATION": {"dataValidation": None},
        "PASTE_CONDITIONAL_FORMATTING": {},
    }.get(paste_type)


@handler("copyPaste")
def copy_paste(ctx: BatchContext, body: dict[str, Any]) -> dict[str, Any]:
    src_sheet, src = ctx.rect(body.get("source", {}))
    dst_sheet, dst = ctx.rect(body.get("destination", {}))
    snap = _snapshot(src_sheet, src)
    h, w = src[1] - src[0], src[3] - src[2]
    if body.get("pasteOrientation") == "TRANSPOSE":
        snap = {(c, r): v for (r, c), v in snap.items()}
        h, w = w, h
    # the destination is tiled with the source when larger, else gets one copy
    dh = max(h, ((dst[1] - dst[0]) // h) * h) if h else 0
    dw = max(w, ((dst[3] - dst[2]) // w) * w) if w else 0
    target = (dst[0], min(dst[0] + dh, dst_sheet.rows), dst[2], min(dst[2] + dw, dst_sheet.cols))
    ctx.guard(dst_sheet, target)
    mask = _paste_fields(body.get("pasteType", "PASTE_NORMAL"))
    for r in range(target[0], target[1]):
        for c in range(target[2], target[3]):
            src_cell = snap.get(((r - target[0]) % h, (c - target[2]) % w), {})
            if mask is None:
                dst_sheet.put(r, c, copy.deepcopy(src_cell))
            else:
                _write_cell_fields(ctx.ss, dst_sheet, r, c, src_cell, mask)
    return {}


@handler("cutPaste")
def cut_paste(ctx: BatchContext, body: dict[str, Any]) -> dict[str, Any]:
    src_sheet, src = ctx.rect(body.get("source", {}))
    dst = body.get("destination", {})
    dst_sheet = ctx.sheet(dst.get("sheetId"))
    r0, c0 = dst.get("rowIndex") or 0, dst.get("columnIndex") or 0
    snap = _snapshot(src_sheet, src)
    h, w = src[1] - src[0], src[3] - src[2]
    ctx.guard(src_sheet, src)
    ctx.guard(dst_sheet, (r0, r0 + h, c0, c0 + w))
    for r, c in _cells_in(src_sheet, src):
        src_sheet.put(r, c, None)
    mask = _paste_fields(body.get("pasteType", "PASTE_NORMAL"))
    for i in range(h):
        for j in range(w):
            if r0 + i >= dst_sheet.rows or c0 + j >= dst_sheet.cols:
                continue
            cell = snap.get((i, j), {})
            if mask is None:
                dst_sheet.put(r0 + i, c0 + j, cell)
            else:
                _write_cell_fields(ctx.ss, dst_sheet, r0 + i, c0 + j, cell, mask)
    return {}


@handler("sortRange")
def sort_range(ctx: BatchContext, body: dict[str, Any]) -> dict[str, Any]:
    sheet, rect = ctx.rect(body.get("range", {}))
    ctx.guard(sheet, rect)
    r0, r1, c0, c1 = rect
    er, _ = sheet.any_extent(r0, r1, c0, c1)
    rows = [{c: copy.deepcopy(sheet.cell(r, c)) for c in range(c0, c1)} for r in range(r0, er)]
    specs = body.get("sortSpecs", [])

    def key_for(row: dict[int, Any], spec: dict[str, Any]) -> tuple[int, Any]:
        idx = spec.get("dimensionIndex", 0)
        cell = row.get(idx) or {}
        uev = cell.get("userEnteredValue") or {}
        if "numberValue" in uev:
            return (0, uev["numberValue"])
        if "boolValue" in uev:
            return (2, uev["boolValue"])
        if "stringValue" in uev:
            return (1, uev["stringValue"].lower())
        if "formulaValue" in uev:
            return (1, uev["formulaValue"].lower())
        return (3, 0)

    for spec in reversed(specs):
        desc = spec.get("sortOrder") == "DESCENDING"
        filled = [r for r in rows if key_for(r, spec)[0] != 3]
        empty = [r for r in rows if key_for(r, spec)[0] == 3]
        filled.sort(key=lambda row, s=spec: key_for(row, s), reverse=desc)
        rows = filled + empty  # blanks always last, as in Sheets
    for i, row in enumerate(rows):
        for c, cell in row.items():
            sheet.put(r0 + i, c, cell)
    return {}


@handler("findReplace")
def find_replace(ctx: BatchContext, body: dict[str, Any]) -> dict[str, Any]:
    find = body.get("find", "")
    repl = body.get("replacement", "")
    if "range" in body:
        targets = [ctx.rect(body["range"])]
    elif "sheetId" in body:
        s = ctx.sheet(body["sheetId"])
        targets = [(s, (0, s.rows, 0, s.cols))]
    else:
        targets = [(s, (0, s.rows, 0, s.cols)) for s in ctx.ss.sheets]
    flags = 0 if body.get("matchCase") else re.IGNORECASE
    pattern = re.compile(find if body.get("searchByRegex") else re.escape(find), flags)
    counts = {
        "valuesChanged": 0,
        "formulasChanged": 0,
        "rowsChanged": 0,
        "sheetsChanged": 0,
        "occurrencesChanged": 0,
    }
    for sheet, rect in targets:
        changed_rows: set[int] = set()
        for r, c in _cells_in(sheet, rect):
            cell = sheet.cell(r, c) or {}
            uev = cell.get("userEnteredValue") or {}
            key = "formulaValue" if "formulaValue" in uev else "stringValue"
            if key == "formulaValue" and not body.get("includeFormulas"):
                continue
            text = uev.get(key)
            if text is None:
                continue
            if body.get("matchEntireCell"):
                n = 1 if pattern.fullmatch(text) else 0
                new = repl if n else text
            else:
                new, n = pattern.subn(repl, text)
            if n:
                ctx.guard(sheet, (r, r + 1, c, c + 1))
                cell = copy.deepcopy(cell)
                cell["userEnteredValue"] = {key: new}
                sheet.put(r, c, cell)
                counts["occurrencesChanged"] += n
                counts["valuesChanged"] += 1
                if key == "formulaValue":
                    counts["formulasChanged"] += 1
                changed_rows.add(r)
        if changed_rows:
            counts["sheetsChanged"] += 1
            counts["rowsChanged"] += len(changed_rows)
    return {"findReplace": {k: v for k, v in counts.items() if v}}


@handler("deleteRange")
def delete_range(ctx: BatchContext, body: dict[str, Any]) -> dict[str, Any]:
    sheet, rect = ctx.rect(body.get("range", {}))
    ctx.guard(sheet, rect)
    r0, r1, c0, c1 = rect
    rows_dim = body.get("shiftDimension") == "ROWS"
    snap_all = {(r, c): cell for r, row in sheet.cells.items() for c, cell in row.items()}
    for (r, c), _ in snap_all.items():
        if (rows_dim and c0 <= c < c1 and r >= r0) or (not rows_dim and r0 <= r < r1 and c >= c0):
            sheet.put(r, c, None)
    for (r, c), cell in snap_all.items():
        if rows_dim and c0 <= c < c1 and r >= r1:
            sheet.put(r - (r1 - r0), c, cell)
        elif not rows_dim and r0 <= r < r1 and c >= c1:
            sheet.put(r, c - (c1 - c0), cell)
    return {}


@handler("trimWhitespace")
def trim_whitespace(ctx: BatchContext, body: dict[str, Any]) -> dict[str, Any]:
    sheet, rect = ctx.rect(body.get("range", {}))
    n = 0
    for r, c in _cells_in(sheet, rect):
        cell = sheet.cell(r, c) or {}
        s = (cell.get("userEnteredValue") or {}).get("stringValue")
        if s is not None and " ".join(s.split()) != s:
            ctx.guard(sheet, (r, r + 1, c, c + 1))
            cell = copy.deepcopy(cell)
            cell["userEnteredValue"] = {"stringValue": " ".join(s.split())}
            sheet.put(r, c, cell)
            n += 1
    return {"trimWhitespace": {"cellsChangedCount": n} if n else {}}


@handler("updateChartSpec")
def update_chart_spec(ctx: BatchContext, body: dict[str, Any]) -> dict[str, Any]:
    cid = body.get("chartId")
    for s in ctx.ss.sheets:
        for ch in s.charts:
            if ch.get("chartId") == cid:
                ch["spec"] = copy.deepcopy(body.get("spec", {}))
                return {}
    raise RequestError(f"No chart with id: {cid}")


@handler("updateConditionalFormatRule")
def update_conditional_format_rule(ctx: BatchContext, body: dict[str, Any]) -> dict[str, Any]:
    sheet = ctx.sheet(body.get("sheetId"))
    idx = body.get("index", 0)
    if not 0 <= idx < len(sheet.cond_formats):
        raise RequestError(f"No conditional format on sheet {sheet.id} at index {idx}")
    old = sheet.cond_formats[idx]
    if "rule" in body:
        sheet.cond_formats[idx] = copy.deepcopy(body["rule"])
        return {"updateConditionalFormatRule": {"newRule": copy.deepcopy(body["rule"]), "oldRule": old}}
    new_idx = body.get("newIndex", idx)
    rule = sheet.cond_formats.pop(idx)
    sheet.cond_formats.insert(new_idx, rule)
    return {"updateConditionalFormatRule": {"newRule": rule, "newIndex": new_idx, "oldIndex": idx}}


@handler("moveDimension")
def move_dimension(ctx: BatchContext, body: dict[str, Any]) -> dict[str, Any]:
    sheet, dim, start, end = _dim_range(ctx, body.get("source", {}))
    dest = body.get("destinationIndex", 0)
    size = sheet.rows if dim == "ROWS" else sheet.cols
    if dest > size or start < dest < end:
        raise RequestError("Invalid destinationIndex")
    rect = (0, sheet.rows, 0, sheet.cols)
    ctx.guard(sheet, rect)
    order = list(range(size))
    moved = order[start:end]
    rest = order[:start] + order[end:]
    at = dest if dest <= start else dest - (end - start)
    new_order = rest[:at] + moved + rest[at:]
    where = {old: new for new, old in enumerate(new_order)}
    if dim == "ROWS":
        sheet.cells = {where[r]: row for r, row in sheet.cells.items()}
        sheet.row_meta = {where[r]: m for r, m in sheet.row_meta.items()}
    else:
        sheet.cells = {r: {where[c]: cell for c, cell in row.items()} for r, row in sheet.cells.items()}
        sheet.col_meta = {where[c]: m for c, m in sheet.col_meta.items()}
    return {}


@handler("insertRange")
def insert_range(ctx: BatchContext, body: dict[str, Any]) -> dict[str, Any]:
    sheet, (r0, r1, c0, c1) = ctx.rect(body.get("range", {}))
    ctx.guard(sheet, (r0, sheet.rows, c0, sheet.cols))
    rows_dim = body.get("shiftDimension") == "ROWS"
    n = (r1 - r0) if rows_dim else (c1 - c0)
    snap = {(r, c): cell for r, row in sheet.cells.items() for c, cell in row.items()}
    if rows_dim:
        sheet.set_size(rows=sheet.rows + n)
    else:
        sheet.set_size(cols=sheet.cols + n)
    for (r, c), _ in snap.items():
        if (rows_dim and c0 <= c < c1 and r >= r0) or (not rows_dim and r0 <= r < r1 and c >= c0):
            sheet.put(r, c, None)
    for (r, c), cell in snap.items():
        if rows_dim and c0 <= c < c1 and r >= r0:
            sheet.put(r + n, c, cell)
        elif not rows_dim and r0 <= r < r1 and c >= c0:
            sheet.put(r, c + n, cell)
    return {}
