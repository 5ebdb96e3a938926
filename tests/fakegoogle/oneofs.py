"""The oneof (union) fields of Sheets v4 messages: at most one member of each may be set.

The discovery document lists union members as plain properties; the reference pages say
"Union field <name> can be only one of the following" for each
(https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/request,
.../spreadsheets/charts, .../spreadsheets/cells, .../spreadsheets/other,
.../spreadsheets/sheets, .../spreadsheets.developerMetadata, .../DataFilter). Google refuses
a body setting two members at parse time: 400 "Invalid value at 'requests[0].update_cells'
(oneof), oneof field 'area' is already set. Cannot set 'range'". schema.py applies the table
to every Sheets body; members the discovery document does not know are ignored.
"""

from __future__ import annotations

from functools import cache

ONEOFS: dict[str, dict[str, tuple[str, ...]]] = {
    # requests (spreadsheets/request)
    "UpdateCellsRequest": {"area": ("start", "range")},
    "AppendCellsRequest": {"area": ("sheetId", "tableId")},
    "FindReplaceRequest": {"scope": ("range", "sheetId", "allSheets")},
    "PasteDataRequest": {"kind": ("delimiter", "html")},
    "AutoResizeDimensionsRequest": {"dimension_range": ("dimensions", "dataSourceSheetDimensions")},
    "RefreshDataSourceRequest": {"target": ("references", "dataSourceId", "isAll")},
    "UpdateConditionalFormatRuleRequest": {"instruction": ("rule", "newIndex")},
    # cells and values (spreadsheets/cells, spreadsheets/other)
    "ExtendedValue": {
        "value": ("numberValue", "stringValue", "boolValue", "formulaValue", "errorValue")
    },
    "ConditionValue": {"value": ("relativeDate", "userEnteredValue")},
    "ColorStyle": {"kind": ("rgbColor", "themeColor")},
    "TextRotation": {"type": ("angle", "vertical")},
    # sheets (spreadsheets/sheets)
    "ConditionalFormatRule": {"rule": ("booleanRule", "gradientRule")},
    "SortSpec": {"reference": ("dimensionIndex", "dataSourceColumnReference")},
    "FilterSpec": {"reference": ("columnIndex", "dataSourceColumnReference")},
    # charts (spreadsheets/charts)
    "EmbeddedObjectPosition": {"location": ("sheetId", "overlayPosition", "newSheet")},
    "ChartSpec": {
        "chart": ("basicChart", "pieChart", "bubbleChart", "candlestickChart", "orgChart",
                  "histogramChart", "waterfallChart", "treemapChart", "scorecardChart")
    },
    "ChartData": {"type": ("sourceRange", "columnReference")},
    "ChartGroupRule": {"rule": ("dateTimeRule", "histogramRule")},
    # pivot tables (spreadsheets/pivot)
    "PivotTable": {"source_data": ("source", "dataSourceId")},
    "PivotGroup": {"source": ("sourceColumnOffset", "dataSourceColumnReference")},
    "PivotValue": {"value": ("sourceColumnOffset", "formula", "dataSourceColumnReference")},
    "PivotGroupRule": {"rule": ("manualRule", "histogramRule", "dateTimeRule")},
    "PivotFilterSpec": {"source": ("columnOffsetIndex", "dataSourceColumnReference")},
    # developer metadata and data filters
    "DeveloperMetadataLocation": {"location": ("spreadsheet", "sheetId", "dimensionRange")},
    "DataFilter": {"filter": ("developerMetadataLookup", "a1Range", "gridRange")},
    # data sources
    "DataSourceSpec": {"spec": ("bigQuery", "looker")},
    "BigQueryDataSourceSpec": {"spec": ("querySpec", "tableSpec")},
}


@cache
def oneofs_of(ref: str) -> dict[str, tuple[str, ...]]:
    """The union groups of one schema, limited to members the discovery document has."""
    from .schema import discovery

    props = discovery("sheets.v4")["schemas"].get(ref, {}).get("properties", {})
    out: dict[str, tuple[str, ...]] = {}
    for group, members in ONEOFS.get(ref, {}).items():
        known = tuple(m for m in members if m in props)
        if len(known) > 1:
            out[group] = known
    return out
