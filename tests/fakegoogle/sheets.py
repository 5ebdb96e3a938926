"""Sheets v4 handlers: spreadsheets.create/get/batchUpdate and sheets.copyTo; the values
handlers are in sheets_values.py, ranges and value writes in sheets_ranges.py, access and
protection in sheets_access.py (all re-exported here).

Every handler gets (fake, user, params, body) with params already checked against the
discovery document and body already checked (strict) and cleaned of nulls.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from . import values as V
from .errors import (
    GoogleError,
    bad_request,
    sheets_error,
)
from .masks import apply_mask, mask_wants, parse_mask
from .model import Sheet, Spreadsheet, grid_json
from .requests_impl import BatchContext, RequestError, apply_request
from .rules_sheets import check_grid_growth, check_new_spreadsheet, grid_cells
from .semantics import SemanticError

if TYPE_CHECKING:
    from .core import FakeGoogle

from .sheets_access import (
    WRITE_ROLES,
    Rect,
    can_edit_protected,
    is_exempt,
    open_ss,
    protected_conflict,
    rect_of,
)
from .sheets_ranges import (
    check_protected_rect,
    clamp,
    clear_values,
    range_text,
    read_values,
    resolve,
    set_entered,
    value_range_json,
    write_values,
)
from .sheets_values import (
    find_table,
    values_append,
    values_batch_clear,
    values_batch_get,
    values_batch_update,
    values_clear,
    values_get,
    values_update,
)

# the handlers and helpers other modules reach through `sheets.` (transport's route table)
__all__ = [
    "WRITE_ROLES",
    "Rect",
    "batch_update",
    "can_edit_protected",
    "cell_json",
    "check_protected_rect",
    "clamp",
    "clear_values",
    "copy_to",
    "create",
    "find_table",
    "get",
    "grid_data",
    "is_exempt",
    "open_ss",
    "protected_conflict",
    "range_text",
    "read_values",
    "rect_of",
    "resolve",
    "set_entered",
    "spreadsheet_json",
    "value_range_json",
    "values_append",
    "values_batch_clear",
    "values_batch_get",
    "values_batch_update",
    "values_clear",
    "values_get",
    "values_update",
    "write_values",
]


# ---------------------------------------------------------------- handlers
def create(fake: FakeGoogle, user: str, params: dict[str, Any], body: dict[str, Any]) -> Any:
    u = fake.users.get(user)
    if u is not None and u.service_account:
        # a service account has no Drive of its own to hold the new spreadsheet
        raise sheets_error(403, "The user's Drive storage quota has been exceeded.")
    try:
        check_new_spreadsheet(body)  # titles, grid and cell limits (rules_sheets.py)
    except SemanticError as e:
        raise bad_request(str(e)) from None
    props = body.get("properties", {})
    title = props.get("title", "Untitled spreadsheet")
    sid = fake.create_spreadsheet(title, owner=user)
    ss = fake.spreadsheets[sid]
    for k in ("locale", "timeZone", "autoRecalc"):
        if k in props:
            ss.props[k] = props[k]
    if body.get("sheets"):
        ss.sheets = []
        for i, sh in enumerate(body["sheets"]):
            sp = dict(sh.get("properties", {}))
            sid_ = sp.get("sheetId", 0 if i == 0 else fake.new_int_id())
            from .model import new_sheet_props

            base = new_sheet_props(sid_, sp.get("title", f"Sheet{i + 1}"), i)
            base["gridProperties"].update(sp.get("gridProperties", {}))
            for k, v in sp.items():
                if k != "gridProperties":
                    base[k] = v
            base["index"] = i
            ss.sheets.append(Sheet(base))
    return spreadsheet_json(fake, ss, user, include_grid=False, ranges=None)


def spreadsheet_json(
    fake: FakeGoogle,
    ss: Spreadsheet,
    user: str | None,
    include_grid: bool,
    ranges: list[str] | None,
    mask_text: str | None = None,
) -> dict[str, Any]:
    mask = parse_mask(mask_text) if mask_text else None
    want_data = include_grid or (
        mask is not None
        and "*" not in mask
        and mask_wants(mask, "sheets", "data")
        and "sheets" in mask
        and mask["sheets"] is not None
        and "data" in (mask["sheets"] or {})
    )
    f = fake.files[ss.id]
    role = fake.role_of(user, f) or "reader"
    out: dict[str, Any] = {"spreadsheetId": ss.id, "properties": copy.deepcopy(ss.props)}
    sheets_out = []
    wanted: dict[int, list[Rect]] | None = None
    if ranges:
        wanted = {}
        for text in ranges:
            sheet, rect, _ = resolve(ss, text)
            wanted.setdefault(sheet.id, []).append(clamp(sheet, rect))
    for sheet in ss.sheets:
        if wanted is not None and sheet.id not in wanted:
            continue
        sj = sheet.to_json()
        prs = []
        for pr in sheet.protected:
            pj = copy.deepcopy(pr)
            if "range" in pj:
                pj["range"] = grid_json(pj["range"])
            pj["unprotectedRanges"] = [grid_json(u) for u in pj.get("unprotectedRanges", [])]
            if not pj["unprotectedRanges"]:
                del pj["unprotectedRanges"]
            can = is_exempt(fake, f, role) or can_edit_protected(fake, user, pr, f.owner)
            pj["requestingUserCanEdit"] = can
            if not can:
                pj.pop("editors", None)
            prs.append(pj)
        if prs:
            sj["protectedRanges"] = prs
        if want_data:
            rects = wanted[sheet.id] if wanted is not None else [(0, sheet.rows, 0, sheet.cols)]
            sj["data"] = [grid_data(ss, sheet, rect) for rect in rects]
        sheets_out.append(sj)
    out["sheets"] = sheets_out
    if ss.named_ranges:
        out["namedRanges"] = [{**copy.deepcopy(n), "range": grid_json(n["range"])} for n in ss.named_ranges]
    if ss.developer_metadata:
        out["developerMetadata"] = copy.deepcopy(ss.developer_metadata)
    out["spreadsheetUrl"] = f"https://docs.google.com/spreadsheets/d/{ss.id}/edit"
    if mask is not None:
        out = apply_mask(out, mask)
    return out


def cell_json(ss: Spreadsheet, sheet: Sheet, r: int, c: int) -> dict[str, Any]:
    cell = sheet.cell(r, c)
    if not cell:
        return {}
    out = copy.deepcopy(cell)
    if "userEnteredValue" in cell:
        v = ss.effective(sheet, r, c)
        fmt = (cell.get("userEnteredFormat") or {}).get("numberFormat")
        if v is not None:
            if isinstance(v, bool):
                out["effectiveValue"] = {"boolValue": v}
            elif isinstance(v, str) and v.startswith("#") and type(v).__name__ == "_Err":
                out["effectiveValue"] = {"errorValue": {"type": "ERROR", "message": str(v)}}
            elif isinstance(v, str):
                out["effectiveValue"] = {"stringValue": v}
            else:
                out["effectiveValue"] = {"numberValue": V.number_json(v)}
            out["formattedValue"] = ss.format_value(v, fmt)
    if "userEnteredFormat" in cell:
        out["effectiveFormat"] = copy.deepcopy(cell["userEnteredFormat"])
    return out


def grid_data(ss: Spreadsheet, sheet: Sheet, rect: Rect) -> dict[str, Any]:
    r0, r1, c0, c1 = clamp(sheet, rect)
    er, ec = sheet.any_extent(r0, r1, c0, c1)
    out: dict[str, Any] = {}
    if r0:
        out["startRow"] = r0
    if c0:
        out["startColumn"] = c0
    row_data = []
    for r in range(r0, er):
        vals = [cell_json(ss, sheet, r, c) for c in range(c0, ec)]
        while vals and not vals[-1]:
            vals.pop()
        row_data.append({"values": vals} if vals else {})
    if row_data:
        out["rowData"] = row_data
    out["rowMetadata"] = [{"pixelSize": 21, **sheet.row_meta.get(r, {})} for r in range(r0, r1)]
    out["columnMetadata"] = [{"pixelSize": 100, **sheet.col_meta.get(c, {})} for c in range(c0, c1)]
    return out


def get(fake: FakeGoogle, user: str, sid: str, params: dict[str, Any]) -> Any:
    ss, _f, _ = open_ss(fake, user, sid)
    ranges = params.get("ranges") or None
    return spreadsheet_json(fake, ss, user, bool(params.get("includeGridData")), ranges, params.get("fields"))


def batch_update(fake: FakeGoogle, user: str, sid: str, params: dict[str, Any], body: dict[str, Any]) -> Any:
    ss, f, role = open_ss(fake, user, sid, write=True)
    backup = ss.clone(ss.id)
    ctx = BatchContext(fake, ss, f, user, is_exempt(fake, f, role))
    if not body.get("requests"):
        # BatchUpdateSpreadsheetRequest.requests: "A list of updates to apply to the
        # spreadsheet." Google refuses an empty list (spreadsheets/batchUpdate)
        raise bad_request("Must specify at least one request.")
    replies = []
    try:
        for i, req in enumerate(body.get("requests", [])):
            if not req:
                raise bad_request(f"Invalid requests[{i}]: No request set.")
            kind = next(iter(req))
            try:
                replies.append(apply_request(ctx, kind, req[kind]))
            except RequestError as e:
                raise bad_request(f"Invalid requests[{i}].{kind}: {e}") from None
    except GoogleError:
        fake.spreadsheets[sid] = backup
        raise
    if body.get("requests"):
        fake.touch(f, user)
        if any("updateSpreadsheetProperties" in r for r in body["requests"]):
            f.name = ss.props.get("title", f.name)
    out: dict[str, Any] = {"spreadsheetId": sid, "replies": replies}
    if body.get("includeSpreadsheetInResponse"):
        ranges = body.get("responseRanges") or None
        out["updatedSpreadsheet"] = spreadsheet_json(
            fake, ss, user, bool(body.get("responseIncludeGridData")), ranges
        )
    return out




def copy_to(fake: FakeGoogle, user: str, sid: str, sheet_id: int, body: dict[str, Any]) -> Any:
    ss, _f, _ = open_ss(fake, user, sid)
    sheet = ss.by_id(sheet_id)
    if sheet is None:
        raise bad_request(f"No grid with id: {sheet_id}")
    dest_id = body.get("destinationSpreadsheetId", "")
    dest, df, _ = open_ss(fake, user, dest_id, write=True)
    new = copy.deepcopy(sheet)
    new.props["sheetId"] = fake.new_int_id()
    base = f"Copy of {sheet.title}"
    title, n = base, 2
    while dest.by_title(title):
        title = f"{base} {n}"
        n += 1
    new.props["title"] = title
    new.protected = []
    before = grid_cells(dest)
    dest.sheets.append(new)
    try:
        check_grid_growth(dest, before)  # the copy counts in the destination's limit
    except SemanticError as e:
        dest.sheets.remove(new)
        raise bad_request(str(e)) from None
    dest.reindex()
    fake.touch(df, user)
    return copy.deepcopy(new.props)
