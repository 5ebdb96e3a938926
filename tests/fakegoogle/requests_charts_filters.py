"""batchUpdate kinds on filters, conditional formats, charts and banding."""

from __future__ import annotations

import copy
from typing import Any

from .requests_base import BatchContext, RequestError, handler
from .requests_sheets import add_sheet


@handler("setBasicFilter")
def set_basic_filter(ctx: BatchContext, body: dict[str, Any]) -> dict[str, Any]:
    flt = copy.deepcopy(body.get("filter", {}))
    sheet, (r0, r1, c0, c1) = ctx.rect(flt.get("range", {}))
    flt["range"] = {
        "sheetId": sheet.id,
        "startRowIndex": r0,
        "endRowIndex": r1,
        "startColumnIndex": c0,
        "endColumnIndex": c1,
    }
    sheet.basic_filter = flt
    return {}


@handler("clearBasicFilter")
def clear_basic_filter(ctx: BatchContext, body: dict[str, Any]) -> dict[str, Any]:
    sheet = ctx.sheet(body.get("sheetId"))
    sheet.basic_filter = None
    return {}


@handler("addFilterView")
def add_filter_view(ctx: BatchContext, body: dict[str, Any]) -> dict[str, Any]:
    fv = copy.deepcopy(body.get("filter", {}))
    sheet, _ = ctx.rect(fv.get("range", {}))
    fv["filterViewId"] = fv.get("filterViewId") or ctx.fake.new_int_id()
    sheet.filter_views.append(fv)
    return {"addFilterView": {"filter": copy.deepcopy(fv)}}


@handler("addConditionalFormatRule")
def add_conditional_format_rule(ctx: BatchContext, body: dict[str, Any]) -> dict[str, Any]:
    rule = copy.deepcopy(body.get("rule", {}))
    ranges = rule.get("ranges", [])
    if not ranges:
        raise RequestError("At least one range must be specified.")
    sheet, _ = ctx.rect(ranges[0])
    idx = body.get("index", 0)
    sheet.cond_formats.insert(min(idx, len(sheet.cond_formats)), rule)
    return {}


@handler("deleteConditionalFormatRule")
def delete_conditional_format_rule(ctx: BatchContext, body: dict[str, Any]) -> dict[str, Any]:
    sheet = ctx.sheet(body.get("sheetId"))
    idx = body.get("index", 0)
    if not 0 <= idx < len(sheet.cond_formats):
        raise RequestError(f"No conditional format on sheet {sheet.id} at index {idx}")
    rule = sheet.cond_formats.pop(idx)
    return {"deleteConditionalFormatRule": {"rule": rule}}


@handler("addChart")
def add_chart(ctx: BatchContext, body: dict[str, Any]) -> dict[str, Any]:
    chart = copy.deepcopy(body.get("chart", {}))
    anchor = (chart.get("position") or {}).get("overlayPosition", {}).get("anchorCell", {})
    sheet_id = anchor.get("sheetId")
    if (chart.get("position") or {}).get("newSheet"):
        res = add_sheet(ctx, {"properties": {"sheetType": "OBJECT"}})
        sheet_id = res["addSheet"]["properties"]["sheetId"]
    sheet = ctx.sheet(sheet_id if sheet_id is not None else (chart.get("position") or {}).get("sheetId"))
    chart["chartId"] = chart.get("chartId") or ctx.fake.new_int_id()
    # AddChartRequest (Sheets v4 reference): "It is an error to specify the ID of an embedded
    # object that already exists."
    if any(c.get("chartId") == chart["chartId"] for s in ctx.ss.sheets for c in s.charts):
        raise RequestError(f"An object with id {chart['chartId']} already exists.")
    sheet.charts.append(chart)
    return {"addChart": {"chart": copy.deepcopy(chart)}}


@handler("deleteEmbeddedObject")
def delete_embedded_object(ctx: BatchContext, body: dict[str, Any]) -> dict[str, Any]:
    oid = body.get("objectId")
    for s in ctx.ss.sheets:
        for ch in s.charts:
            if ch.get("chartId") == oid:
                s.charts.remove(ch)
                return {}
    raise RequestError(f"No object with id: {oid}")


@handler("addBanding")
def add_banding(ctx: BatchContext, body: dict[str, Any]) -> dict[str, Any]:
    br = copy.deepcopy(body.get("bandedRange", {}))
    sheet, _ = ctx.rect(br.get("range", {}))
    br["bandedRangeId"] = br.get("bandedRangeId") or ctx.fake.new_int_id()
    sheet.banded.append(br)
    return {"addBanding": {"bandedRange": copy.deepcopy(br)}}


# ---------------------------------------------------------------- data moves


@handler("updateChartSpec")
def update_chart_spec(ctx: BatchContext, body: dict[str, Any]) -> dict[str, Any]:
    cid = body.get("chartId")
    for s in ctx.ss.sheets:
        for ch in s.charts:
            if ch.get("chartId") == cid:
                ch["spec"] = copy.deepcopy(body.get("spec", {}))
                return {}
    raise RequestError(f"No chart with id: {cid}")


@handler("updateConditionalFormatRule")
def update_conditional_format_rule(ctx: BatchContext, body: dict[str, Any]) -> dict[str, Any]:
    sheet = ctx.sheet(body.get("sheetId"))
    idx = body.get("index", 0)
    if not 0 <= idx < len(sheet.cond_formats):
        raise RequestError(f"No conditional format on sheet {sheet.id} at index {idx}")
    old = sheet.cond_formats[idx]
    if "rule" in body:
        sheet.cond_formats[idx] = copy.deepcopy(body["rule"])
        return {"updateConditionalFormatRule": {"newRule": copy.deepcopy(body["rule"]), "oldRule": old}}
    new_idx = body.get("newIndex", idx)
    rule = sheet.cond_formats.pop(idx)
    sheet.cond_formats.insert(new_idx, rule)
    return {"updateConditionalFormatRule": {"newRule": rule, "newIndex": new_idx, "oldIndex": idx}}
