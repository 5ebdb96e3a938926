"""Row groups (a sheet's outline) as Sheets API requests.

The patch says each row's outline level; Google stores groups as ranges whose depth follows
from their nesting (https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/request#adddimensiongrouprequest).
A level-L run of rows is one group at depth L. Groups the sheet had are deleted first, so a
rewrite of the tree never leaves an old fold behind.
"""

from __future__ import annotations

from typing import Any

Request = dict[str, Any]


def groups_of(levels: dict[int, int]) -> list[tuple[int, int]]:
    """(startIndex, endIndex) of every group, 0-based half-open, outer groups first."""
    if not levels:
        return []
    top = max(levels.values())
    last = max(levels)
    out: list[tuple[int, int]] = []
    for depth in range(1, top + 1):
        start = None
        for row in range(1, last + 2):
            inside = levels.get(row, 0) >= depth
            if inside and start is None:
                start = row
            elif not inside and start is not None:
                out.append((start - 1, row - 1))
                start = None
    return out


def outline_requests(sheet_id: int, old: list[tuple[int, int]],
                     levels: dict[int, int]) -> list[Request]:
    def rng(start: int, end: int) -> dict[str, Any]:
        return {"sheetId": sheet_id, "dimension": "ROWS", "startIndex": start, "endIndex": end}

    reqs: list[Request] = [{"deleteDimensionGroup": {"range": rng(s, e)}}
                           for s, e in sorted(old, key=lambda g: g[1] - g[0])]
    reqs += [{"addDimensionGroup": {"range": rng(s, e)}} for s, e in groups_of(levels)]
    if levels:  # the fold's +/- beside the unit's own line, above what it folds
        reqs.append({"updateSheetProperties": {
            "properties": {"sheetId": sheet_id, "gridProperties": {"rowGroupControlAfter": False}},
            "fields": "gridProperties.rowGroupControlAfter"}})
    return reqs
