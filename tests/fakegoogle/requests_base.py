"""The batchUpdate machinery every request kind module uses: the handler registry, the
batch context (sheets, ranges, protection guards), errors and field-mask helpers.

A handler raises RequestError(msg); the caller wraps it as Google does:
"Invalid requests[i].<kind>: <msg>" (HTTP 400). The whole batch is rolled back on error.
A module anywhere under tests/fakegoogle registers a kind with ``@handler(kind)``; every
``requests_*.py`` module is imported by requests_impl.py.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .errors import PROTECTED_MESSAGE
from .masks import Mask, parse_mask
from .model import Sheet, Spreadsheet
from .proto import normalize
from .rules_sheets import check_grid_growth, check_request_rules, check_request_state, grid_cells
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
        from .sheets_access import protected_conflict

        if protected_conflict(self.fake, self.ss, sheet, rect, self.user, self.exempt):
            raise RequestError(PROTECTED_MESSAGE)

    def guard_sheet(self, sheet: Sheet) -> None:
        """Sheet-level changes are blocked by a whole-sheet protection you don't edit."""
        from .sheets_access import can_edit_protected

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
        check_request_rules(kind, body)  # limits and semantics (rules_sheets.py)
        check_request_state(ctx.ss, kind, body)
        before = grid_cells(ctx.ss)
        reply = fn(ctx, body)
        check_grid_growth(ctx.ss, before)  # the batch is rolled back by the caller
    except SemanticError as e:
        raise RequestError(str(e)) from None
    return reply


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
