"""The presentation part of a patch as batchUpdate requests: row heights, merges, links,
filters, conditional formatting by band, the spreadsheet locale, and the "Unduh PDF" export
links that stand in for print settings (the Sheets API has none). Pure; `render` calls it.

References: developers.google.com/sheets/api/reference/rest/v4/spreadsheets/request
(MergeCellsRequest, SetBasicFilterRequest, AddConditionalFormatRuleRequest,
UpdateSpreadsheetPropertiesRequest, UpdateDimensionPropertiesRequest) and
.../v4/spreadsheets/cells#TextFormat (`link`).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from sheets_sync.adapters.google.render_cells import Request, _color, _grid, cell_runs
from sheets_sync.domain.patch import BandRule, CellRange, SheetPatch
from sheets_sync.domain.presentation import PageSetup

# Export sizes Google's PDF export knows; F4 (215 x 330 mm) is its "folio" (8.5 x 13 in).
PDF_SIZE = {"A4": "A4", "F4": "folio"}
CM_PER_INCH = 2.54


def locale_request(locale: str) -> Request:
    return {"updateSpreadsheetProperties": {"properties": {"locale": locale},
                                            "fields": "locale"}}


def row_heights(sheet_id: int, heights: dict[int, int]) -> list[Request]:
    """updateDimensionProperties over runs of adjacent rows of the same height."""
    reqs: list[Request] = []
    rows = sorted(heights)
    start = 0
    while start < len(rows):
        end = start
        while (end + 1 < len(rows) and rows[end + 1] == rows[end] + 1
               and heights[rows[end + 1]] == heights[rows[start]]):
            end += 1
        reqs.append({"updateDimensionProperties": {
            "range": {"sheetId": sheet_id, "dimension": "ROWS",
                      "startIndex": rows[start] - 1, "endIndex": rows[end]},
            "properties": {"pixelSize": int(heights[rows[start]])},
            "fields": "pixelSize",
        }})
        start = end + 1
    return reqs


def merges(sheet_id: int, ranges: list[CellRange]) -> list[Request]:
    return [{"mergeCells": {"range": _grid(sheet_id, r), "mergeType": "MERGE_ALL"}}
            for r in ranges]


def unmerge_all(sheet_id: int) -> Request:
    return {"unmergeCells": {"range": {"sheetId": sheet_id}}}


def links(sheet_id: int, sp: SheetPatch, sheet_ids: dict[str, int], file_id: str | None,
          setups: dict[str, Any]) -> list[Request]:
    """Each link as its short label carrying the address (TextFormat.link); PDF links only
    when the spreadsheet's id is known (it is part of the export address)."""
    cells: dict[tuple[int, int], dict[str, Any]] = {}
    for pos, link in sp.links.items():
        cells[pos] = _linked(link.label, link.url)
    if file_id:
        for pos, pdf in sp.pdf_links.items():
            gid = sheet_ids.get(pdf.sheet)
            if gid is not None:
                cells[pos] = _linked(pdf.label, pdf_url(file_id, gid, setups.get(pdf.sheet)))
    if not cells:
        return []
    return cell_runs(sheet_id, cells, "userEnteredValue,userEnteredFormat.textFormat.link")


def _linked(label: str, url: str) -> dict[str, Any]:
    return {"userEnteredValue": {"stringValue": label},
            "userEnteredFormat": {"textFormat": {"link": {"uri": url}}}}


def pdf_url(file_id: str, gid: int, setup: PageSetup | None) -> str:
    """Google's PDF export of one sheet with the print setup the xlsx carries: landscape,
    one page wide, frozen (header) rows repeated on every page, no gridlines."""
    paper = setup.paper if setup else "A4"
    margin = round((setup.margins_cm if setup else 1.5) / CM_PER_INCH, 2)
    params = {"format": "pdf", "gid": gid, "size": PDF_SIZE.get(paper, "A4"),
              "portrait": "false" if (setup.landscape if setup else True) else "true",
              "fitw": "true", "gridlines": "false", "fzr": "true",
              "top_margin": margin, "bottom_margin": margin, "left_margin": margin,
              "right_margin": margin}
    return f"https://docs.google.com/spreadsheets/d/{file_id}/export?{urlencode(params)}"


def basic_filter(sheet_id: int, rng: CellRange) -> Request:
    return {"setBasicFilter": {"filter": {"range": _grid(sheet_id, rng)}}}


def band_rules(sheet_id: int, rules: list[BandRule], old: int) -> list[Request]:
    """Delete the `old` rules the service set before, then add one rule per band, in order
    (bands do not overlap, so the order only matters for readability)."""
    reqs: list[Request] = [{"deleteConditionalFormatRule": {"sheetId": sheet_id, "index": 0}}
                           for _ in range(old)]
    index = 0
    for rule in rules:
        for band, lower, upper in rule.bounds():
            reqs.append({"addConditionalFormatRule": {"index": index, "rule": {
                "ranges": [_grid(sheet_id, rule.range)],
                "booleanRule": {
                    "condition": {"type": "CUSTOM_FORMULA", "values": [
                        {"userEnteredValue": "=" + rule.condition(lower, upper)}]},
                    "format": {"backgroundColor": _color(band.fill),
                               "textFormat": {"foregroundColor": _color(band.font)}},
                },
            }}})
            index += 1
    return reqs


def rule_count(rules: list[BandRule]) -> int:
    return sum(len(r.bands) for r in rules)


def extent_ranges(sp: SheetPatch) -> list[CellRange]:
    """Ranges the presentation touches, so the grid is grown to hold them first."""
    out = list(sp.merges) + [r.range for r in sp.band_rules]
    out += [CellRange.cell(*pos) for pos in [*sp.links, *sp.pdf_links]]
    out += [CellRange.cell(row, 1) for row in sp.row_heights]
    if sp.filter:
        out.append(sp.filter)
    return out
