"""Sheets limits and request semantics Google enforces, beyond the schema and semantics.py.

Each rule cites the reference page it comes from (most texts are also in the field
descriptions of the discovery document). Entry points:

- `check_request_rules(kind, body)`: stateless, every batchUpdate request before it runs;
- `check_request_state(ss, kind, body)`: against the spreadsheet as it stands;
- `check_grid_growth(ss, before)`: after a request, values append or copyTo that may have
  grown a grid;
- `check_new_spreadsheet(body)`: spreadsheets.create;
- `check_cell_text(text)`: every value written.

A rule raises SemanticError (wrapped as "Invalid requests[i].<kind>: ...") or, outside a
batchUpdate, the caller turns it into Google's 400 INVALID_ARGUMENT.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import TYPE_CHECKING, Any

from .schema import discovery
from .semantics import SemanticError

if TYPE_CHECKING:
    from .model import Sheet, Spreadsheet

# https://support.google.com/drive/answer/37603 (Files you can store in Google Drive:
# spreadsheets "Up to 10 million cells or 18,278 columns (column ZZZ)"), and Google's own
# answer to a longer cell: "Your input contains more than the maximum of 50000 characters in
# a single cell."
MAX_CELLS = 10_000_000
MAX_COLUMNS = 18_278
MAX_CELL_CHARS = 50_000
CELL_TEXT_MESSAGE = (
    f"Your input contains more than the maximum of {MAX_CELL_CHARS} characters in a single cell."
)
# The reference pages cited below as "(v4: <page>)" are under REF.
REF = "https://developers.google.com/sheets/api/reference/rest/v4/"
_CONDITIONS = REF + "spreadsheets/other#ConditionType"


# ---------------------------------------------------------------- limits
def check_cell_text(value: Any) -> None:
    """A cell holds at most 50,000 characters (values and formulas alike)."""
    if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
        raise SemanticError(CELL_TEXT_MESSAGE)


def grid_cells(ss: Spreadsheet) -> int:
    """Cells of every grid sheet of the workbook (rows x columns, empty or not)."""
    return sum(s.rows * s.cols for s in ss.sheets if s.props.get("sheetType", "GRID") == "GRID")


def check_grid_growth(ss: Spreadsheet, before: int) -> None:
    """A request that grows a grid past 10,000,000 cells in the workbook (every sheet
    counted) or a sheet past 18,278 columns is refused; one that shrinks is not."""
    after = grid_cells(ss)
    if after > MAX_CELLS and after > before:
        raise SemanticError(
            "This action would increase the number of cells in the workbook above the limit "
            f"of {MAX_CELLS} cells."
        )
    for s in ss.sheets:
        if s.cols > MAX_COLUMNS:
            raise SemanticError(
                "This action would increase the number of columns in the sheet above the "
                f"limit of {MAX_COLUMNS} columns."
            )


def check_resize(ss: Spreadsheet, sheet: Sheet, rows: int, cols: int) -> None:
    """`check_grid_growth` for a sheet about to become rows x cols (values.append)."""
    before = grid_cells(ss)
    after = before - sheet.rows * sheet.cols + rows * cols
    if after > MAX_CELLS and after > before:
        raise SemanticError(
            "This action would increase the number of cells in the workbook above the limit "
            f"of {MAX_CELLS} cells."
        )
    if cols > MAX_COLUMNS:
        raise SemanticError(
            "This action would increase the number of columns in the sheet above the "
            f"limit of {MAX_COLUMNS} columns."
        )


def _duplicate_title(title: str) -> SemanticError:
    return SemanticError(f'A sheet with the name "{title}" already exists. Please enter another name.')


def check_new_spreadsheet(body: dict[str, Any]) -> None:
    """spreadsheets.create: sheet titles unique without regard to case, the grids within the
    workbook limit, every cell given within the cell limit
    (https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/create)."""
    seen: set[str] = set()
    total = 0
    for sheet in body.get("sheets") or []:
        props = sheet.get("properties") or {}
        if props.get("title") is not None:  # a title left out is chosen by Google
            title = str(props["title"])
            if title.casefold() in seen:
                raise _duplicate_title(title)
            seen.add(title.casefold())
        grid = props.get("gridProperties") or {}
        if props.get("sheetType", "GRID") == "GRID":
            cols = int(grid.get("columnCount", 26))
            total += int(grid.get("rowCount", 1000)) * cols
            if cols > MAX_COLUMNS:
                raise SemanticError(
                    "This action would increase the number of columns in the sheet above the "
                    f"limit of {MAX_COLUMNS} columns."
                )
        for data in sheet.get("data") or []:
            for row in data.get("rowData") or []:
                for cell in row.get("values") or []:
                    _cell_rules(cell or {}, "data validation")
    if total > MAX_CELLS:
        raise SemanticError(
            "This action would increase the number of cells in the workbook above the limit "
            f"of {MAX_CELLS} cells."
        )


# ---------------------------------------------------------------- state
def check_request_state(ss: Spreadsheet, kind: str, body: dict[str, Any]) -> None:
    """Rules that depend on the spreadsheet: unique titles (without regard to case,
    https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/sheets#SheetProperties
    "title"; Google refuses 'Sheet1' next to 'sheet1'), and a sheetType that "cannot be
    changed once set" (same page, "sheetType")."""
    if kind == "addSheet":
        title = (body.get("properties") or {}).get("title")
        if title is not None and ss.by_title(str(title)) is not None:
            raise _duplicate_title(str(title))
        _grid_props_on_grid((body.get("properties") or {}).get("sheetType", "GRID"),
                            body.get("properties") or {})
    elif kind == "duplicateSheet":
        title = body.get("newSheetName")
        if title is not None and ss.by_title(str(title)) is not None:
            raise _duplicate_title(str(title))
        # DuplicateSheetRequest.newSheetId: "the ID must not conflict with any existing
        # sheet ID" (v4: spreadsheets/request#DuplicateSheetRequest)
        new_id = body.get("newSheetId")
        if new_id is not None and ss.by_id(new_id) is not None:
            raise SemanticError(f"A sheet with the id {new_id} already exists. Please enter "
                                "another id.")
    elif kind == "updateSheetProperties":
        props = body.get("properties") or {}
        mask = {p.strip() for p in str(body.get("fields") or "").split(",")}
        sheet = ss.by_id(props.get("sheetId") or 0)
        if sheet is None:
            return
        if ("title" in mask or "*" in mask) and props.get("title") is not None:
            other = ss.by_title(str(props["title"]))
            if other is not None and other is not sheet:
                raise _duplicate_title(str(props["title"]))
        if "gridProperties" in props or any(m.startswith("gridProperties") for m in mask):
            _grid_props_on_grid(sheet.props.get("sheetType", "GRID"), props)
        new_type = props.get("sheetType") if ("sheetType" in mask or "*" in mask) else None
        if new_type is not None and new_type != sheet.props.get("sheetType", "GRID"):
            raise SemanticError("The sheetType of a sheet cannot be changed once set.")
    elif kind in ("addBanding", "addFilterView", "addNamedRange"):
        _new_ids(ss, kind, body)


# The add request kinds whose object may name its id: "It is an error to specify the ID of a
# range that already exists." (v4: spreadsheets/request#AddBandingRequest,
# #AddFilterViewRequest, #AddNamedRangeRequest; addSheet, addProtectedRange and addChart
# are checked by their handlers).
_IDS = {"addBanding": ("bandedRange", "bandedRangeId"),
        "addFilterView": ("filter", "filterViewId"),
        "addNamedRange": ("namedRange", "namedRangeId")}


def _new_ids(ss: Spreadsheet, kind: str, body: dict[str, Any]) -> None:
    key, id_field = _IDS[kind]
    obj = body.get(key) or {}
    new_id = obj.get(id_field)
    if kind == "addNamedRange":
        taken = [n.get("namedRangeId") for n in ss.named_ranges]
    elif kind == "addFilterView":
        taken = [f.get("filterViewId") for s in ss.sheets for f in s.filter_views]
    else:
        taken = [b.get("bandedRangeId") for s in ss.sheets for b in s.banded]
    if new_id is not None and new_id in taken:
        raise SemanticError(f"An object with id {new_id} already exists.")
    if kind == "addBanding":
        # a range takes one set of alternating colors (Sheets: "You can't add alternating
        # colors to a range that already has alternating colors")
        mine = obj.get("range") or {}
        for sheet in ss.sheets:
            for banded in sheet.banded:
                if _overlap(mine, banded.get("range") or {}):
                    raise SemanticError("You can't add alternating colors to a range that "
                                        "already has alternating colors.")


def _overlap(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Two GridRanges share a cell (a missing bound is unbounded)."""
    if (a.get("sheetId") or 0) != (b.get("sheetId") or 0):
        return False
    big = 1 << 62
    for lo, hi in (("startRowIndex", "endRowIndex"), ("startColumnIndex", "endColumnIndex")):
        if max(a.get(lo) or 0, b.get(lo) or 0) >= min(a.get(hi, big), b.get(hi, big)):
            return False
    return True


def _grid_props_on_grid(sheet_type: str, props: dict[str, Any]) -> None:
    """SheetProperties.gridProperties: "When writing it is an error to set any grid
    properties on non-grid sheets." (v4: spreadsheets/sheets#SheetProperties)."""
    if sheet_type != "GRID" and props.get("gridProperties"):
        raise SemanticError(f"Grid properties cannot be set on a {sheet_type} sheet.")


# ---------------------------------------------------------------- stateless
def check_request_rules(kind: str, body: dict[str, Any]) -> None:
    """The rules of one request that need nothing but the request."""
    for cell in _cells_of(kind, body):
        _cell_rules(cell, "data validation")
    if kind == "setDataValidation" and body.get("rule"):
        _condition_use((body["rule"] or {}).get("condition"), "data validation")
    if kind in ("addConditionalFormatRule", "updateConditionalFormatRule"):
        _conditional_format(body.get("rule") or {})
    if kind == "setBasicFilter":
        _filter((body.get("filter") or {}), ("range", "tableId"))
    if kind in ("addFilterView", "updateFilterView"):
        _filter((body.get("filter") or {}), ("range", "namedRangeId", "tableId"))
    if kind in ("addProtectedRange", "updateProtectedRange"):
        _only_one((body.get("protectedRange") or {}), ("range", "namedRangeId", "tableId"),
                  "ProtectedRange")
    if kind == "addBanding":
        banded = body.get("bandedRange") or {}
        # BandedRange.rowProperties: "At least one of row_properties or column_properties
        # must be specified." (v4: spreadsheets/sheets#BandedRange)
        if not banded.get("rowProperties") and not banded.get("columnProperties"):
            raise SemanticError("At least one of row_properties or column_properties must be "
                                "specified.")
    if kind == "insertDimension":
        # InsertDimensionRequest.range: "Both the start and end indexes must be bounded."
        rng = body.get("range") or {}
        if rng.get("startIndex") is None or rng.get("endIndex") is None:
            raise SemanticError("Both the start and end indexes of the range to insert must be "
                                "bounded.")
    # InsertDimensionRequest.inheritFromBefore: "True to inherit from the dimensions before
    # (in which case the start index must be greater than 0)" (v4: spreadsheets/request)
    at_start = not (body.get("range") or {}).get("startIndex")
    if kind == "insertDimension" and body.get("inheritFromBefore") and at_start:
        raise SemanticError("Cannot inherit properties from before the first row or "
                                "column: inheritFromBefore needs a start index greater than 0.")


def _cells_of(kind: str, body: dict[str, Any]) -> Iterator[dict[str, Any]]:
    if kind == "repeatCell":
        yield body.get("cell") or {}
    elif kind in ("updateCells", "appendCells"):
        for row in body.get("rows") or []:
            for cell in row.get("values") or []:
                yield cell or {}


def _cell_rules(cell: dict[str, Any], use: str) -> None:
    value = cell.get("userEnteredValue") or {}  # what is written; effectiveValue is output
    check_cell_text(value.get("stringValue"))
    check_cell_text(value.get("formulaValue"))
    # NumberFormat.type: "When writing, this field must be set." (v4: spreadsheets/cells#NumberFormat)
    number = (cell.get("userEnteredFormat") or {}).get("numberFormat")
    if number and not number.get("type"):
        raise SemanticError("NumberFormat.type must be set when writing a number format.")
    dv = cell.get("dataValidation")
    if dv:
        _condition_use(dv.get("condition"), use)


def _only_one(obj: dict[str, Any], fields: tuple[str, ...], what: str) -> None:
    """"When writing, only one of range or named_range_id or table_id may be set."
    (v4: spreadsheets/sheets#ProtectedRange, #FilterView, #BasicFilter)."""
    given = [f for f in fields if obj.get(f) is not None]
    if len(given) > 1:
        raise SemanticError(f"{what}: only one of {', '.join(fields)} may be set; got "
                            f"{' and '.join(given)}.")


def _filter(flt: dict[str, Any], fields: tuple[str, ...]) -> None:
    _only_one(flt, fields, "Filter")
    for spec in flt.get("filterSpecs") or []:
        _condition_use((spec.get("filterCriteria") or {}).get("condition"), "filters",
                       required=False)
    for crit in (flt.get("criteria") or {}).values():
        _condition_use((crit or {}).get("condition"), "filters", required=False)


def _conditional_format(rule: dict[str, Any]) -> None:
    """ConditionalFormatRule.ranges: "All the ranges must be on the same grid."
    (v4: spreadsheets/sheets#ConditionalFormatRule)."""
    sheets = {(r or {}).get("sheetId") or 0 for r in rule.get("ranges") or []}
    if len(sheets) > 1:
        raise SemanticError("All the ranges of a conditional format rule must be on the same "
                            "grid.")
    if rule.get("booleanRule"):
        _condition_use(rule["booleanRule"].get("condition"), "conditional formatting")


@cache
def _supported_uses() -> dict[str, str]:
    """ConditionType -> the "Supported by ..." sentence of its reference entry (the same
    text is the enum description in the discovery document)."""
    prop = discovery("sheets.v4")["schemas"]["BooleanCondition"]["properties"]["type"]
    out = {}
    for name, text in zip(prop["enum"], prop["enumDescriptions"], strict=True):
        start = text.find("Supported by")
        out[name] = text[start:].split(".")[0] if start >= 0 else ""
    return out


# ConditionValue.relativeDate: "Valid only if the type is DATE_BEFORE, DATE_AFTER,
# DATE_ON_OR_BEFORE or DATE_ON_OR_AFTER. Relative dates are not supported in data
# validation." (v4: spreadsheets/other#ConditionValue)
_RELATIVE_DATE_TYPES = ("DATE_BEFORE", "DATE_AFTER", "DATE_ON_OR_BEFORE", "DATE_ON_OR_AFTER")


def _condition_use(cond: dict[str, Any] | None, use: str, required: bool = True) -> None:
    """A BooleanCondition used for data validation, conditional formatting or filters: its
    type must be supported there (the reference's "Supported by ..." per ConditionType,
    see _CONDITIONS), and relative dates only where the reference allows them."""
    if not cond:
        return  # a missing condition is semantics.py's rule, where one is required
    ctype = cond.get("type") or "CONDITION_TYPE_UNSPECIFIED"
    supported = _supported_uses().get(ctype, "")
    if supported and use not in supported:
        raise SemanticError(f"Invalid condition type {ctype} for {use}: {supported}.")
    for value in cond.get("values") or []:
        if (value or {}).get("relativeDate") is None:
            continue
        if use == "data validation":
            raise SemanticError("Relative dates are not supported in data validation.")
        if ctype not in _RELATIVE_DATE_TYPES:
            raise SemanticError(f"A relative date is valid only with {', '.join(_RELATIVE_DATE_TYPES)}"
                                f"; not with {ctype}.")
    if ctype == "ONE_OF_LIST":
        # ONE_OF_LIST: "Formulas are not supported in the values." (ConditionType)
        for value in cond.get("values") or []:
            if str((value or {}).get("userEnteredValue", "")).startswith("="):
                raise SemanticError("Formulas are not supported in the values of a ONE_OF_LIST "
                                    "condition.")
