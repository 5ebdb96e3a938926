"""batchUpdate kinds on cells: updateCells, repeatCell, appendCells, setDataValidation,
updateBorders, mergeCells, unmergeCells.
"""

from __future__ import annotations

import copy
from typing import Any

from .proto import normalize
from .requests_base import BatchContext, RequestError, _mask, _write_cell_fields, handler


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
