"""Sheets v4 spreadsheets.values.* handlers: get, batchGet, update, batchUpdate, clear,
batchClear, append.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import a1
from .errors import (
    GoogleError,
    bad_request,
)
from .model import Sheet, Spreadsheet

if TYPE_CHECKING:
    from .core import FakeGoogle

from .rules_sheets import check_cell_text, check_resize
from .semantics import SemanticError
from .sheets_access import Rect, is_exempt, open_ss
from .sheets_ranges import (
    check_protected_rect,
    clamp,
    clear_values,
    range_text,
    resolve,
    value_range_json,
    write_values,
)


def _render_opts(params: dict[str, Any]) -> tuple[str, str, str]:
    return (
        params.get("majorDimension") or "ROWS",
        params.get("valueRenderOption") or "FORMATTED_VALUE",
        params.get("dateTimeRenderOption") or "SERIAL_NUMBER",
    )


def values_get(fake: FakeGoogle, user: str, sid: str, rng: str, params: dict[str, Any]) -> Any:
    ss, _f, _ = open_ss(fake, user, sid)
    sheet, rect, _ = resolve(ss, rng)
    major, render, dt = _render_opts(params)
    if major == "DIMENSION_UNSPECIFIED":
        major = "ROWS"
    return value_range_json(ss, sheet, rect, major, render, dt)


def values_batch_get(fake: FakeGoogle, user: str, sid: str, params: dict[str, Any]) -> Any:
    ss, _f, _ = open_ss(fake, user, sid)
    major, render, dt = _render_opts(params)
    out = []
    for rng in params.get("ranges") or []:
        sheet, rect, _ = resolve(ss, rng)
        out.append(value_range_json(ss, sheet, rect, major, render, dt))
    res: dict[str, Any] = {"spreadsheetId": sid}
    if out:
        res["valueRanges"] = out
    return res


def _option(params_or_body: dict[str, Any]) -> str:
    opt = params_or_body.get("valueInputOption")
    if not opt or opt == "INPUT_VALUE_OPTION_UNSPECIFIED":
        raise bad_request("Invalid valueInputOption: INPUT_VALUE_OPTION_UNSPECIFIED")
    return str(opt)


def _with_values(
    ss: Spreadsheet, res: dict[str, Any], params: dict[str, Any], prefix: str = "response"
) -> None:
    if params.get("includeValuesInResponse"):
        sheet, rect, _ = resolve(ss, res["updatedRange"])
        res["updatedData"] = value_range_json(
            ss,
            sheet,
            rect,
            "ROWS",
            params.get(f"{prefix}ValueRenderOption") or "FORMATTED_VALUE",
            params.get(f"{prefix}DateTimeRenderOption") or "SERIAL_NUMBER",
        )


def values_update(
    fake: FakeGoogle, user: str, sid: str, rng: str, params: dict[str, Any], body: dict[str, Any]
) -> Any:
    ss, f, role = open_ss(fake, user, sid, write=True)
    option = _option(params)
    if body.get("range"):
        _check_same_range(ss, rng, body["range"])
    res = write_values(
        fake,
        ss,
        user,
        is_exempt(fake, f, role),
        rng,
        body.get("values", []),
        body.get("majorDimension") or "ROWS",
        option,
    )
    fake.touch(f, user)
    res.pop("_touched", None)
    out = {"spreadsheetId": sid, **res}
    _with_values(ss, out, params)
    return out


def _check_same_range(ss: Spreadsheet, url_range: str, body_range: str) -> None:
    a = resolve(ss, url_range)
    b = resolve(ss, body_range)
    if (a[0].id, a[1]) != (b[0].id, b[1]):
        raise bad_request(
            f"Requested writing within range [{body_range}], but tried writing within range [{url_range}]"
        )


def values_batch_update(
    fake: FakeGoogle, user: str, sid: str, params: dict[str, Any], body: dict[str, Any]
) -> Any:
    ss, f, role = open_ss(fake, user, sid, write=True)
    option = _option(body)
    backup = ss.clone(ss.id)
    responses = []
    touched: dict[int, tuple[set[int], set[int]]] = {}
    try:
        for vr in body.get("data", []):
            res = write_values(
                fake,
                ss,
                user,
                is_exempt(fake, f, role),
                vr.get("range", ""),
                vr.get("values", []),
                vr.get("majorDimension") or "ROWS",
                option,
            )
            if "_touched" in res:
                sh_id, rs, cs = res.pop("_touched")
                acc = touched.setdefault(sh_id, (set(), set()))
                acc[0].update(rs)
                acc[1].update(cs)
            out = {"spreadsheetId": sid, **res}
            _with_values(ss, out, body)
            responses.append(out)
    except GoogleError:
        fake.spreadsheets[sid] = backup
        raise
    written = [r for r in responses if "updatedCells" in r]
    result: dict[str, Any] = {"spreadsheetId": sid}
    if written:
        # "rows/columns where at least one cell was updated", counted per sheet
        result["totalUpdatedRows"] = sum(len(rs) for rs, _ in touched.values())
        result["totalUpdatedColumns"] = sum(len(cs) for _, cs in touched.values())
        result["totalUpdatedCells"] = sum(r["updatedCells"] for r in written)
        result["totalUpdatedSheets"] = len([t for t in touched.values() if t[0]])
    if responses:
        result["responses"] = responses
    if body.get("data"):
        fake.touch(f, user)
    return result


def values_clear(fake: FakeGoogle, user: str, sid: str, rng: str) -> Any:
    ss, f, role = open_ss(fake, user, sid, write=True)
    sheet, rect, _ = resolve(ss, rng)
    rect = clamp(sheet, rect)
    check_protected_rect(fake, ss, sheet, rect, user, is_exempt(fake, f, role))
    clear_values(sheet, rect)
    fake.touch(f, user)
    return {"spreadsheetId": sid, "clearedRange": range_text(sheet, rect)}


def values_batch_clear(fake: FakeGoogle, user: str, sid: str, body: dict[str, Any]) -> Any:
    ss, f, role = open_ss(fake, user, sid, write=True)
    cleared = []
    todo = []
    for rng in body.get("ranges", []):
        sheet, rect, _ = resolve(ss, rng)
        rect = clamp(sheet, rect)
        check_protected_rect(fake, ss, sheet, rect, user, is_exempt(fake, f, role))
        todo.append((sheet, rect))
    for sheet, rect in todo:
        clear_values(sheet, rect)
        cleared.append(range_text(sheet, rect))
    fake.touch(f, user)
    out: dict[str, Any] = {"spreadsheetId": sid}
    if cleared:
        out["clearedRanges"] = cleared
    return out


def values_append(
    fake: FakeGoogle, user: str, sid: str, rng: str, params: dict[str, Any], body: dict[str, Any]
) -> Any:
    ss, f, role = open_ss(fake, user, sid, write=True)
    option = _option(params)
    sheet, rect, _whole = resolve(ss, rng)
    rows = body.get("values", [])
    if (body.get("majorDimension") or "ROWS") == "COLUMNS":
        width = max((len(x) for x in rows), default=0)
        rows = [[col[i] if i < len(col) else None for col in rows] for i in range(width)]
    r0, _r1, c0, _c1 = clamp(sheet, rect)
    table = find_table(sheet, clamp(sheet, rect))
    n_rows = len(rows)
    n_cols = max((len(x) for x in rows), default=0)
    at_row = table[1] if table else r0
    at_col = table[2] if table else c0
    insert = params.get("insertDataOption") == "INSERT_ROWS"
    new_rows = sheet.rows + n_rows if insert else max(sheet.rows, at_row + n_rows)
    try:  # the append grows the grid: within the workbook's limits first (rules_sheets.py)
        for line in rows:
            for v in line:
                check_cell_text(v)
        check_resize(ss, sheet, new_rows, max(sheet.cols, at_col + n_cols))
    except SemanticError as e:
        raise bad_request(str(e)) from None
    if insert and n_rows:
        if at_row < sheet.rows:
            sheet.shift_rows(at_row, n_rows)
        sheet.set_size(rows=sheet.rows + n_rows)
    elif at_row + n_rows > sheet.rows:
        sheet.set_size(rows=at_row + n_rows)
    if at_col + n_cols > sheet.cols:
        sheet.set_size(cols=at_col + n_cols)
    target = a1.format_range(sheet.title, at_row, at_row + max(n_rows, 1), at_col, at_col + max(n_cols, 1))
    res = write_values(fake, ss, user, is_exempt(fake, f, role), target, rows, "ROWS", option)
    res.pop("_touched", None)
    fake.touch(f, user)
    out: dict[str, Any] = {"spreadsheetId": sid}
    if table:
        out["tableRange"] = range_text(sheet, table)
    updates = {"spreadsheetId": sid, **res}
    _with_values(ss, updates, params)
    out["updates"] = updates
    return out


def find_table(sheet: Sheet, rect: Rect) -> Rect | None:
    """values.append's "table", as Sheets finds it: take the last filled cell inside the
    range (bottom-most, then right-most) and grow its 4-connected region of filled cells
    (the region may extend beyond the range); the table is that region's bounding box."""
    r0, r1, c0, c1 = rect
    seeds = [
        (r, c)
        for r, row in sheet.cells.items()
        if r0 <= r < r1
        for c, cell in row.items()
        if c0 <= c < c1 and "userEnteredValue" in cell
    ]
    if not seeds:
        return None

    def filled(r: int, c: int) -> bool:
        cell = sheet.cell(r, c)
        return bool(cell) and "userEnteredValue" in cell  # type: ignore[operator]

    start = max(seeds)
    region = {start}
    stack = [start]
    while stack:
        r, c = stack.pop()
        for nb in ((r - 1, c), (r + 1, c), (r, c - 1), (r, c + 1)):
            if nb[0] >= 0 and nb[1] >= 0 and nb not in region and filled(*nb):
                region.add(nb)
                stack.append(nb)
    rows_ = [r for r, _ in region]
    cols_ = [c for _, c in region]
    return (min(rows_), max(rows_) + 1, min(cols_), max(cols_) + 1)
