"""Sheets v4 handlers: spreadsheets.create/get/batchUpdate and spreadsheets.values.*.

Every handler gets (fake, user, params, body) with params already checked against the
discovery document and body already checked (strict) and cleaned of nulls.
"""

from __future__ import annotations

import copy
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from . import a1
from . import values as V
from .errors import (
    PROTECTED_MESSAGE,
    GoogleError,
    bad_request,
    sheets_error,
    sheets_not_found,
)
from .errors import sheets_permission_denied as denied
from .masks import apply_mask, mask_wants, parse_mask
from .model import Sheet, Spreadsheet, grid_json
from .requests_impl import BatchContext, RequestError, apply_request

if TYPE_CHECKING:
    from .core import DriveFile, FakeGoogle

Rect = tuple[int, int, int, int]  # r0, r1, c0, c1 (half-open)

WRITE_ROLES = {"writer", "fileOrganizer", "organizer", "owner"}


# ---------------------------------------------------------------- access
def open_ss(
    fake: FakeGoogle, user: str | None, sid: str, write: bool = False
) -> tuple[Spreadsheet, DriveFile, str]:
    f = fake.files.get(sid)
    ss = fake.spreadsheets.get(sid)
    if f is None or ss is None:
        raise sheets_not_found()
    role = fake.role_of(user, f)
    if role is None:
        raise denied()
    if write and role not in WRITE_ROLES:
        raise denied()
    return ss, f, role


def is_exempt(fake: FakeGoogle, f: DriveFile, role: str) -> bool:
    """Owners (and Shared Drive managers) are never stopped by protected ranges."""
    return role in ("owner", "organizer")


def can_edit_protected(
    fake: FakeGoogle, user: str | None, pr: dict[str, Any], owner: str | None = None
) -> bool:
    editors = pr.get("editors") or {}
    if user is None:
        return False
    if user in editors.get("users", []):
        return True
    groups = {g for g, members in fake.groups.items() if user in members}
    if groups & set(editors.get("groups", [])):
        return True
    # domainUsersCanEdit: anyone in the spreadsheet owner's domain
    owner_domain = (owner or "").rsplit("@", 1)[-1].lower()
    return bool(
        editors.get("domainUsersCanEdit") and owner and user.rsplit("@", 1)[-1].lower() == owner_domain
    )


def _intersects(a: Rect, b: Rect) -> bool:
    return a[0] < b[1] and b[0] < a[1] and a[2] < b[3] and b[2] < a[3]


def _covers(outer: Rect, inner: Rect) -> bool:
    return outer[0] <= inner[0] and inner[1] <= outer[1] and outer[2] <= inner[2] and (inner[3] <= outer[3])


def rect_of(sheet: Sheet, gr: dict[str, Any]) -> Rect:
    return (
        gr.get("startRowIndex") or 0,
        gr["endRowIndex"] if gr.get("endRowIndex") is not None else sheet.rows,
        gr.get("startColumnIndex") or 0,
        gr["endColumnIndex"] if gr.get("endColumnIndex") is not None else sheet.cols,
    )


def protected_conflict(
    fake: FakeGoogle,
    ss: Spreadsheet,
    sheet: Sheet,
    rect: Rect,
    user: str | None,
    exempt: bool,
    cells: list[tuple[int, int]] | None = None,
) -> bool:
    """Would writing `rect` (or the listed cells) on `sheet` touch a protected cell?"""
    if exempt or rect[0] >= rect[1] or rect[2] >= rect[3]:
        return False
    for pr in sheet.protected:
        if pr.get("warningOnly"):
            continue
        rng = pr.get("range")
        if rng is None and pr.get("namedRangeId"):
            nr = next((n for n in ss.named_ranges if n.get("namedRangeId") == pr["namedRangeId"]), None)
            rng = nr["range"] if nr else None
        if rng is None or (rng.get("sheetId") or 0) != sheet.id:
            continue
        prot = rect_of(sheet, rng)
        if not _intersects(prot, rect):
            continue
        f = fake.files.get(ss.id)
        if can_edit_protected(fake, user, pr, f.owner if f else None):
            continue
        holes = [rect_of(sheet, u) for u in pr.get("unprotectedRanges", [])]
        r0, r1 = max(prot[0], rect[0]), min(prot[1], rect[1])
        c0, c1 = max(prot[2], rect[2]), min(prot[3], rect[3])
        inter = (r0, r1, c0, c1)
        if any(_covers(h, inter) for h in holes):
            continue
        if cells is not None:
            for r, c in cells:
                if (
                    r0 <= r < r1
                    and c0 <= c < c1
                    and not any(h[0] <= r < h[1] and h[2] <= c < h[3] for h in holes)
                ):
                    return True
        elif _uncovered(inter, holes):
            return True
    return False


def _uncovered(rect: Rect, holes: list[Rect]) -> bool:
    """Is some cell of `rect` outside every hole? (exact, via coordinate compression)"""
    r0, r1, c0, c1 = rect
    rows = sorted(
        {r0, r1, *(min(max(h[0], r0), r1) for h in holes), *(min(max(h[1], r0), r1) for h in holes)}
    )
    cols = sorted(
        {c0, c1, *(min(max(h[2], c0), c1) for h in holes), *(min(max(h[3], c0), c1) for h in holes)}
    )
    for ra, rb in pairwise(rows):
        if ra >= rb:
            continue
        for ca, cb in pairwise(cols):
            if ca >= cb:
                continue
            if not any(h[0] <= ra and rb <= h[1] and h[2] <= ca and cb <= h[3] for h in holes):
                return True
    return False


# ---------------------------------------------------------------- ranges
def resolve(ss: Spreadsheet, text: str, for_write: bool = False) -> tuple[Sheet, Rect, bool]:
    """A1 text -> (sheet, bounded rect, whole_sheet_given). 400 when unparsable."""
    err = bad_request(f"Unable to parse range: {text}")
    try:
        title, cells = a1.split_sheet(text)
    except a1.A1Error:
        raise err from None
    if title is None:
        assert cells is not None
        sheet = ss.by_title(cells)
        if sheet is not None:
            return sheet, (0, sheet.rows, 0, sheet.cols), True
        named = _named(ss, cells)
        if named is not None:
            return named
        sheet = ss.sheets[0]
        try:
            r0, r1, c0, c1 = a1.parse_cells(cells)
        except a1.A1Error:
            raise err from None
    else:
        sheet = ss.by_title(title)
        if sheet is None:
            raise err
        if cells is None or cells == "":
            return sheet, (0, sheet.rows, 0, sheet.cols), True
        try:
            r0, r1, c0, c1 = a1.parse_cells(cells)
        except a1.A1Error:
            named = _named(ss, cells)
            if named is None or named[0] is not sheet:
                raise err from None
            return named
    return (
        sheet,
        (
            r0 if r0 is not None else 0,
            r1 if r1 is not None else max(sheet.rows, r0 or 0),
            c0 if c0 is not None else 0,
            c1 if c1 is not None else max(sheet.cols, c0 or 0),
        ),
        False,
    )


def _named(ss: Spreadsheet, name: str) -> tuple[Sheet, Rect, bool] | None:
    for nr in ss.named_ranges:
        if nr.get("name", "").lower() == name.lower():
            sheet = ss.by_id(nr["range"].get("sheetId") or 0)
            if sheet is None:
                return None
            g = nr["range"]
            return sheet, rect_of(sheet, g), False
    return None


def range_text(sheet: Sheet, rect: Rect) -> str:
    r0, r1, c0, c1 = rect
    return a1.format_range(sheet.title, r0, max(r1, r0 + 1), c0, max(c1, c0 + 1))


def clamp(sheet: Sheet, rect: Rect) -> Rect:
    r0, r1, c0, c1 = rect
    return (r0, min(r1, sheet.rows), c0, min(c1, sheet.cols))


# ---------------------------------------------------------------- reads
def read_values(
    ss: Spreadsheet,
    sheet: Sheet,
    rect: Rect,
    major: str = "ROWS",
    render: str = "FORMATTED_VALUE",
    dt_render: str = "SERIAL_NUMBER",
) -> list[list[Any]]:
    r0, r1, c0, c1 = clamp(sheet, rect)
    er, ec = sheet.value_extent(r0, r1, c0, c1)
    grid: list[list[Any]] = []
    for r in range(r0, er):
        row = sheet.cells.get(r)
        line: list[Any] = []
        if row:
            for c in range(c0, ec):
                line.append(ss.render(sheet, r, c, render, dt_render))
        grid.append(line)
    if major == "COLUMNS":
        cols: list[list[Any]] = []
        for ci in range(ec - c0):
            cols.append([line[ci] if ci < len(line) else "" for line in grid])
        grid = cols
    # trim trailing empty cells in each line, then trailing empty lines
    out = []
    for line in grid:
        while line and line[-1] == "":
            line.pop()
        out.append(line)
    while out and not out[-1]:
        out.pop()
    return out


def value_range_json(
    ss: Spreadsheet,
    sheet: Sheet,
    rect: Rect,
    major: str,
    render: str,
    dt_render: str,
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "range": range_text(sheet, clamp(sheet, rect)),
        "majorDimension": major,
    }
    vals = read_values(ss, sheet, rect, major, render, dt_render)
    if vals:
        out["values"] = vals
    return out


# ---------------------------------------------------------------- writes
def _to_cell_value(
    ss: Spreadsheet, v: Any, option: str
) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    if option == "RAW" or not isinstance(v, str):
        return V.raw_value(v), None
    if v == "":
        return None, None
    return V.parse_user_entered(v, ss.locale)


def write_values(
    fake: FakeGoogle,
    ss: Spreadsheet,
    user: str | None,
    exempt: bool,
    range_a1: str,
    rows: list[list[Any]],
    major: str,
    option: str,
) -> dict[str, Any]:
    """values.update semantics; returns the UpdateValuesResponse (without spreadsheetId)."""
    sheet, rect, whole = resolve(ss, range_a1, for_write=True)
    if major == "COLUMNS":
        width = max((len(x) for x in rows), default=0)
        rows = [[col[i] if i < len(col) else None for col in rows] for i in range(width)]
    r0, r1, c0, c1 = rect
    n_rows = len(rows)
    n_cols = max((len(x) for x in rows), default=0)
    if n_rows == 0 or n_cols == 0:
        return {"updatedRange": range_text(sheet, (r0, r0 + 1, c0, c0 + 1))}
    explicit = ":" in range_a1.rsplit("!", 1)[-1] and not whole
    if explicit:
        if r0 + n_rows > r1:
            raise bad_request(
                f"Requested writing within range [{range_text(sheet, rect)}], but tried "
                f"writing to row [{r0 + n_rows}]"
            )
        if c0 + n_cols > c1:
            raise bad_request(
                f"Requested writing within range [{range_text(sheet, rect)}], but tried "
                f"writing to column [{a1.index_to_col(c0 + n_cols - 1)}]"
            )
    if r0 + n_rows > sheet.rows or c0 + n_cols > sheet.cols:
        target = range_text(sheet, (r0, r0 + n_rows, c0, c0 + n_cols))
        title, _, cells = target.rpartition("!")
        quoted = title if title.startswith("'") else f"'{title}'"
        raise bad_request(
            f"Range ({quoted}!{cells}) exceeds grid limits. Max rows: {sheet.rows}, max columns: {sheet.cols}"
        )
    touched = [(r0 + i, c0 + j) for i, line in enumerate(rows) for j, v in enumerate(line) if v is not None]
    if protected_conflict(fake, ss, sheet, (r0, r0 + n_rows, c0, c0 + n_cols), user, exempt, touched):
        raise bad_request(PROTECTED_MESSAGE)
    cells = 0
    row_set: set[int] = set()
    col_set: set[int] = set()
    for i, line in enumerate(rows):
        for j, v in enumerate(line):
            if v is None:
                continue
            if isinstance(v, dict | list):
                raise bad_request(
                    f"Invalid values[{i}][{j}]: "
                    + ("struct_value" if isinstance(v, dict) else "list_value")
                    + " {}"
                )
            set_entered(ss, sheet, r0 + i, c0 + j, v, option)
            cells += 1
            row_set.add(r0 + i)
            col_set.add(c0 + j)
    return {
        "updatedRange": range_text(sheet, (r0, r0 + n_rows, c0, c0 + n_cols)),
        "updatedRows": len(row_set),
        "updatedColumns": len(col_set),
        "updatedCells": cells,
        "_touched": (sheet.id, row_set, col_set),
    }


def set_entered(ss: Spreadsheet, sheet: Sheet, r: int, c: int, v: Any, option: str) -> None:
    uev, fmt = _to_cell_value(ss, v, option)
    cell = dict(sheet.cell(r, c) or {})
    if uev is None:
        cell.pop("userEnteredValue", None)
    else:
        cell["userEnteredValue"] = uev
    if fmt is not None:
        uef = dict(cell.get("userEnteredFormat") or {})
        old = uef.get("numberFormat")
        if not old or old.get("type") in (None, "NUMBER_FORMAT_TYPE_UNSPECIFIED"):
            uef["numberFormat"] = fmt
        cell["userEnteredFormat"] = uef
    sheet.put(r, c, cell)


def clear_values(sheet: Sheet, rect: Rect) -> None:
    r0, r1, c0, c1 = clamp(sheet, rect)
    for r in [r for r in sheet.cells if r0 <= r < r1]:
        row = sheet.cells[r]
        for c in [c for c in row if c0 <= c < c1]:
            cell = dict(row[c])
            cell.pop("userEnteredValue", None)
            sheet.put(r, c, cell)


def check_protected_rect(
    fake: FakeGoogle, ss: Spreadsheet, sheet: Sheet, rect: Rect, user: str | None, exempt: bool
) -> None:
    r0, r1, c0, c1 = clamp(sheet, rect)
    if protected_conflict(fake, ss, sheet, (r0, r1, c0, c1), user, exempt):
        raise bad_request(PROTECTED_MESSAGE)


# ---------------------------------------------------------------- handlers
def create(fake: FakeGoogle, user: str, params: dict[str, Any], body: dict[str, Any]) -> Any:
    u = fake.users.get(user)
    if u is not None and u.service_account:
        # a service account has no Drive of its own to hold the new spreadsheet
        raise sheets_error(403, "The user's Drive storage quota has been exceeded.")
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
    dest.sheets.append(new)
    dest.reindex()
    fake.touch(df, user)
    return copy.deepcopy(new.props)
