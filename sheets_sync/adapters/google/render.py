"""A `WorkbookPatch` rendered as the requests of ONE `spreadsheets.batchUpdate`.

Pure functions over the patch and what the store knows of the spreadsheet (`Book`): no I/O,
so the rendering is tested without any HTTP. Sheets the patch creates get ids chosen here
(addSheet accepts them), so the same batch can write into them: one call, not two.

Semantics follow the local adapter (openpyxl) exactly; see sheets_sync/adapters/local/store.py.
"""

from __future__ import annotations

import copy
import secrets
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sheets_sync.adapters.google import render_present as present
from sheets_sync.adapters.google.render_cells import (
    Request,
    _grid,
    _widths,
    cell_runs,
    cell_value,
    chart_request,
    format_request,
    validation_request,
)
from sheets_sync.adapters.google.render_outline import groups_of, outline_requests
from sheets_sync.domain.patch import CellRange, SheetPatch, WorkbookPatch

__all__ = ["Book", "Rendered", "SheetInfo", "cell_runs", "cell_value", "render"]

DEFAULT_ROWS = 1000  # a new Google sheet's grid
DEFAULT_COLS = 26


@dataclass
class SheetInfo:
    sheet_id: int
    title: str
    index: int = 0
    rows: int = DEFAULT_ROWS
    cols: int = DEFAULT_COLS
    hidden: bool = False
    protections: list[int] = field(default_factory=list)  # whole-sheet protected ranges
    charts: list[int] = field(default_factory=list)
    row_groups: list[tuple[int, int]] = field(default_factory=list)  # (start, end), 0-based
    cond_rules: int = 0  # conditional-format rules on the sheet (all the service's)


@dataclass
class Book:
    """What the store knows of one spreadsheet: its sheets, and which protected ranges and
    charts the service may replace. `objects_known` is False when sheet ids are known but
    protections/charts are not (a copy of a file that had some: copies get new ids)."""

    sheets: dict[str, SheetInfo] = field(default_factory=dict)
    objects_known: bool = True

    def clone(self) -> Book:
        return copy.deepcopy(self)

    def copied(self) -> Book:
        """What a Drive copy of this book holds: the same sheet ids; protected-range and
        chart ids are not promised to survive a copy, so they must be read when needed."""
        out = self.clone()
        had_objects = any(s.protections or s.charts for s in out.sheets.values())
        for s in out.sheets.values():
            s.protections, s.charts = [], []
        out.objects_known = self.objects_known and not had_objects
        return out

    @classmethod
    def from_metadata(cls, data: dict[str, Any]) -> Book:
        """From a spreadsheets.get answer with the fields of `METADATA_FIELDS`."""
        book = cls()
        for sheet in data.get("sheets", []):
            props = sheet.get("properties", {})
            grid = props.get("gridProperties", {})
            info = SheetInfo(
                sheet_id=int(props.get("sheetId", 0)), title=str(props.get("title", "")),
                index=int(props.get("index", 0)), rows=int(grid.get("rowCount", DEFAULT_ROWS)),
                cols=int(grid.get("columnCount", DEFAULT_COLS)),
                hidden=bool(props.get("hidden", False)),
            )
            for pr in sheet.get("protectedRanges", []):
                if _whole_sheet(pr.get("range", {})) and "protectedRangeId" in pr:
                    info.protections.append(int(pr["protectedRangeId"]))
            info.charts = [int(c["chartId"]) for c in sheet.get("charts", []) if "chartId" in c]
            info.row_groups = [(int(g["range"].get("startIndex", 0)), int(g["range"]["endIndex"]))
                               for g in sheet.get("rowGroups", []) if "range" in g]
            info.cond_rules = len(sheet.get("conditionalFormats", []))
            book.sheets[info.title] = info
        return book

    def needs_objects(self, patch: WorkbookPatch) -> bool:
        """True when rendering must delete protections or charts the store does not know."""
        if self.objects_known:
            return False
        return any(sp.title in self.sheets
                   and (sp.protection is not None or sp.charts or sp.clear or sp.band_rules
                        or sp.row_outline)
                   for sp in patch.sheets)


METADATA_FIELDS = (
    "sheets(properties(sheetId,title,index,hidden,gridProperties(rowCount,columnCount)),"
    "protectedRanges(protectedRangeId,range),charts(chartId),conditionalFormats(ranges(sheetId)),"
    "rowGroups(range))"
)


def _whole_sheet(rng: dict[str, Any]) -> bool:
    # The service protects whole sheets (with unprotected holes); a narrower protected range
    # is the office's own and stays.
    return not any(k in rng for k in ("startRowIndex", "endRowIndex", "startColumnIndex",
                                      "endColumnIndex"))


def new_sheet_id(title: str, taken: Iterable[int]) -> int:
    """A stable id derived from the title (stable ids make tests and logs readable)."""
    used = set(taken)
    candidate = zlib.crc32(title.encode("utf-8")) % 2_000_000_000 + 1
    while candidate in used:
        candidate = candidate % 2_000_000_000 + 1
    return candidate


def new_object_id(taken: Iterable[int]) -> int:
    """An id for a protected range or chart this batch adds, chosen before it is sent (the
    Sheets API accepts it): the same id is sent again after a lost answer, so Google refuses
    the repeat ("It is an error to specify the ID of a range that already exists") instead
    of adding the object twice, and finding the id in the file proves the batch was applied.
    Random, so an id of an object the store does not know (a copy's) is never chosen twice."""
    used = set(taken)
    while True:
        candidate = secrets.randbelow(2_000_000_000) + 1
        if candidate not in used:
            return candidate


# ---------------------------------------------------------------------- the whole patch


def _extent(sp: SheetPatch) -> tuple[int, int]:
    """The last row and column the patch touches (so the grid can be grown first)."""
    rows, cols = [0], [0]
    for r, c in [*sp.values, *sp.notes]:
        rows.append(r)
        cols.append(c)
    ranges = [rng for rng, _ in sp.formats] + [v.range for v in sp.validations]
    ranges += list(sp.clear_notes)
    if sp.protection:
        ranges += list(sp.protection.editable)
    for ch in sp.charts:
        ranges += [ch.categories, ch.series, CellRange.cell(*ch.anchor)]
    ranges += present.extent_ranges(sp)
    for rng in ranges:
        rows.append(rng.bottom)
        cols.append(rng.right)
    cols += [max(sp.column_widths, default=0), *(len(r) for r in sp.append_rows)]
    return max(rows), max(cols)


@dataclass
class Rendered:
    requests: list[Request]
    book: Book  # the book as it will be once the batch succeeded (ids of new objects aside)
    protection_slots: list[str]  # sheet title per addProtectedRange, in request order
    chart_slots: list[str]  # sheet title per addChart, in request order
    # ids of the sheets, protected ranges and charts the batch adds, and of those it deletes:
    # after a lost answer, finding them (gone) tells that the batch was applied (batches are
    # all-or-nothing)
    added: list[int] = field(default_factory=list)
    deleted: list[int] = field(default_factory=list)


def render(patch: WorkbookPatch, book: Book, *, account: str | None = None,
           new_file: bool = False, file_id: str | None = None) -> Rendered:
    """The batchUpdate requests for `patch` on a spreadsheet described by `book`.

    `file_id`: the spreadsheet's id, for the PDF export links of a patch that has some.

    `new_file`: the spreadsheet was just created and holds only Google's default sheet
    (id 0); it is renamed to the patch's first sheet instead of being deleted (a delete
    needs another sheet first, and the default title varies by locale)."""
    book = book.clone()
    reqs: list[Request] = []
    late: list[Request] = []  # sheet deletions, after the adds (a book can't lose its last sheet)
    prot_slots: list[str] = []
    chart_slots: list[str] = []

    recreate = {t for t in patch.delete_sheets if any(sp.title == t for sp in patch.sheets)}
    for title in patch.delete_sheets:
        if title in book.sheets and title not in recreate and len(book.sheets) > 1:
            late.append({"deleteSheet": {"sheetId": book.sheets[title].sheet_id}})
            del book.sheets[title]

    if new_file and patch.sheets:
        default = next(iter(book.sheets.values()))
        first = patch.sheets[0]
        del book.sheets[default.title]
        default.title = first.title
        book.sheets[first.title] = default
        reqs.append({"updateSheetProperties": {
            "properties": {"sheetId": default.sheet_id, "title": first.title},
            "fields": "title"}})

    if patch.locale:
        reqs.append(present.locale_request(patch.locale))
    setups = {sp.title: sp.page_setup for sp in patch.sheets}
    ids = _planned_ids(patch, book)
    for sp in patch.sheets:
        info = book.sheets.get(sp.title)
        need_rows, need_cols = _extent(sp)
        if info is None:
            sid = new_sheet_id(sp.title, (s.sheet_id for s in book.sheets.values()))
            info = SheetInfo(sid, sp.title, rows=max(DEFAULT_ROWS, need_rows),
                             cols=max(DEFAULT_COLS, need_cols), hidden=bool(sp.hidden))
            props: dict[str, Any] = {
                "sheetId": sid, "title": sp.title,
                "gridProperties": {"rowCount": info.rows, "columnCount": info.cols},
            }
            if sp.index is not None:
                props["index"] = sp.index
            if sp.hidden:
                props["hidden"] = True
            if sp.frozen_rows:
                props["gridProperties"]["frozenRowCount"] = sp.frozen_rows
            if sp.frozen_cols:
                props["gridProperties"]["frozenColumnCount"] = sp.frozen_cols
            reqs.append({"addSheet": {"properties": props}})
            book.sheets[sp.title] = info
            created = True
        else:
            created = False
            if sp.clear or sp.title in recreate:
                reqs.extend(_clear(info))
                if sp.merges:
                    reqs.append(present.unmerge_all(info.sheet_id))
            if need_rows > info.rows:
                reqs.append({"appendDimension": {"sheetId": info.sheet_id, "dimension": "ROWS",
                                                 "length": need_rows - info.rows}})
                info.rows = need_rows
            if need_cols > info.cols:
                reqs.append({"appendDimension": {"sheetId": info.sheet_id,
                                                 "dimension": "COLUMNS",
                                                 "length": need_cols - info.cols}})
                info.cols = need_cols
        sid = info.sheet_id
        renamed_default = new_file and sp is patch.sheets[0]
        if not created or renamed_default:
            props, fields = {"sheetId": sid}, []
            if renamed_default and sp.index is not None:
                props["index"] = sp.index
                fields.append("index")
            if sp.hidden is not None and sp.hidden != info.hidden:  # only a change
                props["hidden"] = sp.hidden
                fields.append("hidden")
                info.hidden = sp.hidden
            grid: dict[str, int] = {}
            if sp.frozen_rows is not None:
                grid["frozenRowCount"] = sp.frozen_rows
                fields.append("gridProperties.frozenRowCount")
            if sp.frozen_cols is not None:
                grid["frozenColumnCount"] = sp.frozen_cols
                fields.append("gridProperties.frozenColumnCount")
            if grid:
                props["gridProperties"] = grid
            if fields:
                reqs.append({"updateSheetProperties": {"properties": props,
                                                       "fields": ",".join(fields)}})

        if sp.values:
            cells = {pos: cell_value(v) for pos, v in sp.values.items()}
            reqs.extend(cell_runs(sid, cells, "userEnteredValue"))
        for rng, fmt in sp.formats:
            req = format_request(sid, rng, fmt)
            if req:
                reqs.append(req)
        for rng in sp.clear_notes:
            reqs.append({"updateCells": {"range": _grid(sid, rng), "fields": "note"}})
        if sp.notes:
            notes = {pos: ({"note": text} if text else {}) for pos, text in sp.notes.items()}
            reqs.extend(cell_runs(sid, notes, "note"))
        reqs.extend(_widths(sid, sp.column_widths))
        reqs.extend(present.row_heights(sid, sp.row_heights))
        reqs.extend(present.merges(sid, sp.merges))
        reqs.extend(present.links(sid, sp, ids, file_id, setups))
        if sp.filter is not None:
            reqs.append(present.basic_filter(sid, sp.filter))
        if sp.band_rules or (sp.clear and info.cond_rules):
            reqs.extend(present.band_rules(sid, sp.band_rules, info.cond_rules))
            info.cond_rules = present.rule_count(sp.band_rules)
        for v in sp.validations:
            reqs.append(validation_request(sid, v))
        if sp.protection is not None:
            for pid in info.protections:
                reqs.append({"deleteProtectedRange": {"protectedRangeId": pid}})
            info.protections = []
            users = sorted({e.lower() for e in sp.protection.editors}
                           | ({account.lower()} if account else set()))
            protected: dict[str, Any] = {
                "range": {"sheetId": sid},
                "unprotectedRanges": [_grid(sid, r) for r in sp.protection.editable],
                "warningOnly": False,
                "editors": {"users": users},
            }
            if sp.protection.description:
                protected["description"] = sp.protection.description
            pid = new_object_id(_taken(book))
            protected = {"protectedRangeId": pid, **protected}
            info.protections.append(pid)
            reqs.append({"addProtectedRange": {"protectedRange": protected}})
            prot_slots.append(sp.title)
        if sp.append_rows:
            reqs.append({"appendCells": {
                "sheetId": sid,
                "rows": [{"values": [cell_value(v) for v in row]} for row in sp.append_rows],
                "fields": "userEnteredValue",
            }})
        if sp.charts:
            for cid in info.charts:
                reqs.append({"deleteEmbeddedObject": {"objectId": cid}})
            info.charts = []
            for ch in sp.charts:
                cid = new_object_id(_taken(book))
                info.charts.append(cid)
                reqs.append(chart_request(sid, ch, cid))
                chart_slots.append(sp.title)
        if sp.row_outline or (sp.clear and info.row_groups):
            reqs.extend(outline_requests(sid, info.row_groups, sp.row_outline))
            info.row_groups = groups_of(sp.row_outline)
    added: list[int] = []
    deleted: list[int] = []
    for req in reqs + late:
        if "addSheet" in req:
            added.append(int(req["addSheet"]["properties"]["sheetId"]))
        elif "addProtectedRange" in req:
            added.append(int(req["addProtectedRange"]["protectedRange"]["protectedRangeId"]))
        elif "addChart" in req:
            added.append(int(req["addChart"]["chart"]["chartId"]))
        elif "deleteSheet" in req:
            deleted.append(int(req["deleteSheet"]["sheetId"]))
        elif "deleteProtectedRange" in req:
            deleted.append(int(req["deleteProtectedRange"]["protectedRangeId"]))
        elif "deleteEmbeddedObject" in req:
            deleted.append(int(req["deleteEmbeddedObject"]["objectId"]))
    return Rendered(reqs + late, book, prot_slots, chart_slots, added, deleted)


def _planned_ids(patch: WorkbookPatch, book: Book) -> dict[str, int]:
    """Sheet ids by title as they will be after the batch (new sheets' ids chosen as the
    loop below chooses them), for links that point at another sheet of the same batch."""
    ids = {t: s.sheet_id for t, s in book.sheets.items()}
    for sp in patch.sheets:
        if sp.title not in ids:
            ids[sp.title] = new_sheet_id(sp.title, ids.values())
    return ids


def _taken(book: Book) -> list[int]:
    return [i for s in book.sheets.values() for i in (s.sheet_id, *s.protections, *s.charts)]


def _clear(info: SheetInfo) -> list[Request]:
    """Wipe what the local adapter's sheet re-creation wipes: values, formats, notes,
    validations, the service's protections and the charts."""
    reqs: list[Request] = [{"updateCells": {
        "range": {"sheetId": info.sheet_id},
        "fields": "userEnteredValue,userEnteredFormat,note,dataValidation",
    }}]
    reqs += [{"deleteProtectedRange": {"protectedRangeId": p}} for p in info.protections]
    reqs += [{"deleteEmbeddedObject": {"objectId": c}} for c in info.charts]
    info.protections, info.charts = [], []
    return reqs
