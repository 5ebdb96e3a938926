"""batchUpdate kinds on sheets: addSheet, deleteSheet, duplicateSheet, updateSheetProperties,
updateSpreadsheetProperties.
"""

from __future__ import annotations

import copy
from typing import Any

from .model import Sheet, new_sheet_props
from .proto import normalize
from .requests_base import BatchContext, RequestError, _mask, handler, update_by_mask


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
