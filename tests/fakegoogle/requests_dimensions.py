"""batchUpdate kinds on rows and columns: updateDimensionProperties, autoResizeDimensions,
appendDimension, insertDimension, deleteDimension, moveDimension, dimension groups.
"""

from __future__ import annotations

from typing import Any

from .model import Sheet
from .requests_base import BatchContext, RequestError, _mask, handler, update_by_mask


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
