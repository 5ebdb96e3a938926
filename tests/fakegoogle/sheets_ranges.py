"""A1 ranges resolved against a spreadsheet, and the value reads and writes every values
handler shares (USER_ENTERED / RAW input, render options).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import a1
from . import values as V
from .errors import (
    PROTECTED_MESSAGE,
    bad_request,
)
from .model import Sheet, Spreadsheet

if TYPE_CHECKING:
    from .core import FakeGoogle

from .rules_sheets import CELL_TEXT_MESSAGE, MAX_CELL_CHARS
from .sheets_access import Rect, protected_conflict, rect_of


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
    for line in rows:
        for v in line:
            if isinstance(v, str) and len(v) > MAX_CELL_CHARS:
                raise bad_request(CELL_TEXT_MESSAGE)  # rules_sheets.py
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
