"""The single requests of a batchUpdate, one builder per kind: cell values and notes in
runs, formats, validations, charts, column widths. Pure; `render` assembles them."""

from __future__ import annotations

import math
import re
from typing import Any

from sheets_sync.domain.patch import (
    CHART_HEIGHT_PX,
    CHART_WIDTH_PX,
    CellRange,
    Chart,
    Format,
    Formula,
    Validation,
    Value,
)

Request = dict[str, Any]


# ---------------------------------------------------------------------- values


def cell_value(value: Value) -> dict[str, Any]:
    """A CellData whose userEnteredValue is typed: only `Formula` becomes a formula, so text
    beginning with '=' stays text (RAW semantics). None gives an empty CellData, which under
    a `userEnteredValue` mask empties the cell, as the patch asks."""
    if value is None:
        return {}
    if isinstance(value, Formula):
        return {"userEnteredValue": {"formulaValue": value.text}}
    if isinstance(value, bool):
        return {"userEnteredValue": {"boolValue": value}}
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            return {"userEnteredValue": {"stringValue": str(value)}}
        return {"userEnteredValue": {"numberValue": value}}
    return {"userEnteredValue": {"stringValue": str(value)}}


def _grid(sheet_id: int, rng: CellRange) -> dict[str, int]:
    return {"sheetId": sheet_id, "startRowIndex": rng.top - 1, "endRowIndex": rng.bottom,
            "startColumnIndex": rng.left - 1, "endColumnIndex": rng.right}


def cell_runs(sheet_id: int, cells: dict[tuple[int, int], dict[str, Any]],
              fields: str) -> list[Request]:
    """updateCells requests writing exactly `cells` and nothing else.

    Each row is cut into runs of adjacent columns; runs starting at the same column in
    consecutive rows share one request (a `start` coordinate writes only the cells given, so
    rows of different lengths are safe). The table's columns thus cost a handful of requests
    whatever the number of rows."""
    by_row: dict[int, list[int]] = {}  # one pass over the cells (a scan per row was quadratic)
    for r, c in cells:
        by_row.setdefault(r, []).append(c)
    rows: dict[int, list[tuple[int, list[dict[str, Any]]]]] = {}
    for row in sorted(by_row):
        cols = sorted(by_row[row])
        runs: list[tuple[int, list[dict[str, Any]]]] = []
        for col in cols:
            if runs and runs[-1][0] + len(runs[-1][1]) == col:
                runs[-1][1].append(cells[(row, col)])
            else:
                runs.append((col, [cells[(row, col)]]))
        rows[row] = runs
    groups: list[tuple[int, int, list[list[dict[str, Any]]]]] = []  # (top, left, rows)
    open_by_left: dict[int, int] = {}  # left column -> index in groups
    for row in sorted(rows):
        for left, values in rows[row]:
            g = open_by_left.get(left)
            if g is not None and groups[g][0] + len(groups[g][2]) == row:
                groups[g][2].append(values)
            else:
                open_by_left[left] = len(groups)
                groups.append((row, left, [values]))
    return [
        {"updateCells": {
            "start": {"sheetId": sheet_id, "rowIndex": top - 1, "columnIndex": left - 1},
            "rows": [{"values": values} for values in data],
            "fields": fields,
        }}
        for top, left, data in groups
    ]


# ---------------------------------------------------------------------- formats


def _color(hex_color: str) -> dict[str, float]:
    h = hex_color.lstrip("#")
    r, g, b = (int(h[i:i + 2], 16) / 255 for i in (0, 2, 4))
    return {"red": round(r, 4), "green": round(g, 4), "blue": round(b, 4)}


def _number_format(pattern: str) -> dict[str, str]:
    low = pattern.lower()
    bare = re.sub(r'"[^"]*"|\\.', "", pattern)  # a quoted or escaped "%" is only text
    kind = ("PERCENT" if "%" in bare else
            "DATE" if any(t in low for t in ("yy", "dd", "mmm")) else "NUMBER")
    return {"type": kind, "pattern": pattern}


def format_request(sheet_id: int, rng: CellRange, fmt: Format) -> Request | None:
    """repeatCell with a mask of exactly the attributes the Format sets (None = leave)."""
    cell: dict[str, Any] = {}
    text: dict[str, Any] = {}
    fields: list[str] = []
    if fmt.bold is not None:
        text["bold"] = fmt.bold
        fields.append("userEnteredFormat.textFormat.bold")
    if fmt.italic is not None:
        text["italic"] = fmt.italic
        fields.append("userEnteredFormat.textFormat.italic")
    if fmt.font_color:
        text["foregroundColor"] = _color(fmt.font_color)
        fields.append("userEnteredFormat.textFormat.foregroundColor")
    if text:
        cell["textFormat"] = text
    if fmt.fill is not None:
        if fmt.fill:
            cell["backgroundColor"] = _color(fmt.fill)
        # fill "" = no fill: the field is in the mask but absent from the cell, so cleared
        fields.append("userEnteredFormat.backgroundColor")
    if fmt.number_format is not None:
        cell["numberFormat"] = _number_format(fmt.number_format)
        fields.append("userEnteredFormat.numberFormat")
    if fmt.wrap is not None:
        cell["wrapStrategy"] = "WRAP" if fmt.wrap else "OVERFLOW_CELL"
        fields.append("userEnteredFormat.wrapStrategy")
    if fmt.align is not None:
        cell["horizontalAlignment"] = fmt.align.upper()
        fields.append("userEnteredFormat.horizontalAlignment")
    if fmt.wrap is not None or fmt.align is not None:
        cell["verticalAlignment"] = "TOP"  # as the local adapter aligns
        fields.append("userEnteredFormat.verticalAlignment")
    if not fields:
        return None
    return {"repeatCell": {"range": _grid(sheet_id, rng), "cell": {"userEnteredFormat": cell},
                           "fields": ",".join(fields)}}


# ---------------------------------------------------------------------- validation, charts


def validation_request(sheet_id: int, v: Validation) -> Request:
    rule: dict[str, Any]
    if v.kind == "list":
        rule = {"condition": {"type": "ONE_OF_LIST",
                              "values": [{"userEnteredValue": o} for o in v.options]},
                "strict": True, "showCustomUi": True}
    elif v.minimum is not None:
        rule = {"condition": {"type": "NUMBER_GREATER_THAN_EQ",
                              "values": [{"userEnteredValue": _num_text(v.minimum)}]},
                "strict": True}
    else:
        # "any number": Sheets has no such condition; a relative ISNUMBER formula is one
        top_left = CellRange.cell(v.range.top, v.range.left).a1
        rule = {"condition": {"type": "CUSTOM_FORMULA",
                              "values": [{"userEnteredValue": f"=ISNUMBER({top_left})"}]},
                "strict": True}
    if v.message:
        rule["inputMessage"] = v.message
    return {"setDataValidation": {"range": _grid(sheet_id, v.range), "rule": rule}}


def _num_text(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else repr(float(x))


def chart_request(sheet_id: int, chart: Chart, chart_id: int | None = None) -> Request:
    # The series' first row is its name (headerCount 1); the categories span the same rows.
    def source(rng: CellRange) -> dict[str, Any]:
        return {"sourceRange": {"sources": [_grid(sheet_id, rng)]}}

    body: dict[str, Any] = {"chartId": chart_id} if chart_id is not None else {}
    series: list[dict[str, Any]] = [{"series": source(chart.series), "targetAxis": "LEFT_AXIS"}]
    if chart.kind == "line":  # a lone period still shows as a point
        series[0]["pointStyle"] = {"shape": "CIRCLE"}
    if chart.target is not None:
        # bars and the target as a line over them: a COMBO chart, each series its own type
        series[0]["type"] = "COLUMN"
        series.append({"series": source(chart.target), "targetAxis": "LEFT_AXIS",
                       "type": "LINE"})
    return {"addChart": {"chart": {
        **body,
        "spec": {
            "title": chart.title,
            "basicChart": {
                "chartType": ("COMBO" if chart.target is not None
                              else "LINE" if chart.kind == "line" else "COLUMN"),
                "legendPosition": "BOTTOM_LEGEND",
                "headerCount": 1,
                "domains": [{"domain": source(chart.categories)}],
                "series": series,
            },
        },
        "position": {"overlayPosition": {
            "anchorCell": {"sheetId": sheet_id, "rowIndex": chart.anchor[0] - 1,
                           "columnIndex": chart.anchor[1] - 1},
            "widthPixels": CHART_WIDTH_PX, "heightPixels": CHART_HEIGHT_PX}},
    }}}


def _widths(sheet_id: int, widths: dict[int, int]) -> list[Request]:
    reqs: list[Request] = []
    run: list[int] = []

    def flush() -> None:
        if run:
            reqs.append({"updateDimensionProperties": {
                "range": {"sheetId": sheet_id, "dimension": "COLUMNS",
                          "startIndex": run[0] - 1, "endIndex": run[-1]},
                "properties": {"pixelSize": int(widths[run[0]])},
                "fields": "pixelSize",
            }})

    for col in sorted(widths):
        if run and col == run[-1] + 1 and widths[col] == widths[run[0]]:
            run.append(col)
        else:
            flush()
            run = [col]
    flush()
    return reqs
