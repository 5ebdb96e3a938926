"""batchUpdate kinds that move or rewrite ranges: copyPaste, cutPaste, sortRange, findReplace,
deleteRange, trimWhitespace, insertRange.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from .masks import Mask
from .model import Sheet
from .requests_base import BatchContext, Rect, _cells_in, _write_cell_fields, handler


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
