"""Sheets limits and request semantics the fake enforces as Google does
(tests/fakegoogle/rules_sheets.py, oneofs.py, a1.py): one test per rule, each sending the
refused request and a close one Google accepts, through real HTTP on the fake."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from tests.fakegoogle import FakeGoogle

USER = "pep@example.go.id"
SHEETS = "https://sheets.googleapis.com/v4/spreadsheets"


@pytest.fixture
def fake() -> FakeGoogle:
    return FakeGoogle(default_user=USER)


@pytest.fixture
def sid(fake: FakeGoogle) -> str:
    return fake.create_spreadsheet("Kertas Kerja")


def _batch(fake: FakeGoogle, sid: str, *reqs: dict[str, Any]) -> requests.Response:
    return fake.session(USER).post(f"{SHEETS}/{sid}:batchUpdate", json={"requests": list(reqs)})


def _refused(resp: requests.Response, *words: str) -> None:
    assert resp.status_code == 400, resp.text
    body = resp.json()["error"]
    assert body["status"] == "INVALID_ARGUMENT"
    for w in words:
        assert w in body["message"], body["message"]


def _grid(c0: int = 0, c1: int = 1, r0: int = 0, r1: int = 5, sheet: int = 0) -> dict[str, Any]:
    return {"sheetId": sheet, "startRowIndex": r0, "endRowIndex": r1,
            "startColumnIndex": c0, "endColumnIndex": c1}


def _text_cell(text: str) -> dict[str, Any]:
    return {"updateCells": {"start": {"sheetId": 0, "rowIndex": 0, "columnIndex": 0},
                            "rows": [{"values": [{"userEnteredValue": {"stringValue": text}}]}],
                            "fields": "userEnteredValue"}}


# ---------------------------------------------------------------- limits
def test_cell_over_50000_characters_is_refused(fake: FakeGoogle, sid: str) -> None:
    _refused(_batch(fake, sid, _text_cell("x" * 50_001)), "50000 characters")
    session = fake.session(USER)
    for url, kw in [
        (f"{SHEETS}/{sid}/values/A1?valueInputOption=RAW", {"json": {"values": [["y" * 50_001]]}}),
        (f"{SHEETS}/{sid}/values/A1:append?valueInputOption=USER_ENTERED",
         {"json": {"values": [["=" + "1+" * 25_001]]}}),
    ]:
        call = session.put if ":append" not in url else session.post
        _refused(call(url, **kw), "50000 characters")
    assert fake.spreadsheet(sid).sheet(0).cell(0, 0) is None
    assert _batch(fake, sid, _text_cell("x" * 50_000)).status_code == 200


def test_workbook_over_10_million_cells_is_refused(fake: FakeGoogle, sid: str) -> None:
    # 1000 x 26 to start: every request that grows a grid is measured against the workbook
    grow = [
        {"appendDimension": {"sheetId": 0, "dimension": "ROWS", "length": 400_000}},
        {"insertDimension": {"range": {"sheetId": 0, "dimension": "COLUMNS", "startIndex": 1,
                                       "endIndex": 10_001}}},
        {"updateSheetProperties": {"properties": {"sheetId": 0, "gridProperties": {
            "rowCount": 400_000}}, "fields": "gridProperties.rowCount"}},
        {"addSheet": {"properties": {"title": "Besar", "gridProperties": {
            "rowCount": 1_000_000, "columnCount": 10}}}},
    ]
    for req in grow:
        _refused(_batch(fake, sid, req), "above the limit of 10000000 cells")
    assert fake.spreadsheet(sid).sheet(0).rows == 1000  # each batch rolled back
    # two sheets of 5,000,000 are the limit; a duplicate of one is over it
    ok = _batch(fake, sid, {"updateSheetProperties": {"properties": {"sheetId": 0, "gridProperties": {
        "rowCount": 200_000, "columnCount": 25}}, "fields": "gridProperties"}},
        {"addSheet": {"properties": {"sheetId": 7, "title": "Dua", "gridProperties": {
            "rowCount": 200_000, "columnCount": 25}}}})
    assert ok.status_code == 200, ok.text
    _refused(_batch(fake, sid, {"duplicateSheet": {"sourceSheetId": 7}}), "10000000 cells")
    # values.append that would grow the grid past it
    append = fake.session(USER).post(f"{SHEETS}/{sid}/values/Dua!A1:append?valueInputOption=RAW"
                                     "&insertDataOption=INSERT_ROWS", json={"values": [["a"]]})
    _refused(append, "10000000 cells")
    # spreadsheets.create and sheets.copyTo count too
    create = fake.session(USER).post(SHEETS, json={"sheets": [{"properties": {
        "title": "A", "gridProperties": {"rowCount": 1_000_001, "columnCount": 10}}}]})
    _refused(create, "10000000 cells")
    small = fake.create_spreadsheet("Kecil")
    copy = fake.session(USER).post(f"{SHEETS}/{sid}/sheets/7:copyTo",
                                   json={"destinationSpreadsheetId": sid})
    _refused(copy, "10000000 cells")
    into_small = fake.session(USER).post(f"{SHEETS}/{sid}/sheets/7:copyTo",
                                         json={"destinationSpreadsheetId": small})
    assert into_small.status_code == 200, into_small.text


def test_sheet_over_18278_columns_is_refused(fake: FakeGoogle, sid: str) -> None:
    assert _batch(fake, sid, {"updateSheetProperties": {"properties": {"sheetId": 0, "gridProperties": {
        "rowCount": 10}}, "fields": "gridProperties.rowCount"}}).ok  # far from 10,000,000 cells
    _refused(_batch(fake, sid, {"appendDimension": {"sheetId": 0, "dimension": "COLUMNS",
                                                    "length": 18_278 - 26 + 1}}), "18278 columns")
    assert _batch(fake, sid, {"appendDimension": {"sheetId": 0, "dimension": "COLUMNS",
                                                  "length": 18_278 - 26}}).status_code == 200


def test_sheet_titles_are_unique_without_regard_to_case(fake: FakeGoogle, sid: str) -> None:
    fake.session(USER)
    _refused(_batch(fake, sid, {"addSheet": {"properties": {"title": "sheet1"}}}), "already exists")
    assert _batch(fake, sid, {"addSheet": {"properties": {"sheetId": 5, "title": "Dua"}}}).ok
    _refused(_batch(fake, sid, {"duplicateSheet": {"sourceSheetId": 0, "newSheetName": "DUA"}}),
             "already exists")
    _refused(_batch(fake, sid, {"updateSheetProperties": {"properties": {
        "sheetId": 5, "title": "SHEET1"}, "fields": "title"}}), "already exists")
    # renaming a sheet to its own title in another case is fine
    assert _batch(fake, sid, {"updateSheetProperties": {"properties": {
        "sheetId": 5, "title": "DUA"}, "fields": "title"}}).ok
    create = fake.session(USER).post(SHEETS, json={"sheets": [
        {"properties": {"title": "Rekap"}}, {"properties": {"title": "REKAP"}}]})
    _refused(create, "already exists")
    assert fake.session(USER).post(SHEETS, json={"sheets": [
        {"properties": {"title": "Rekap"}}, {"properties": {"title": "Audit"}}]}).ok


def test_batch_update_without_requests_is_refused(fake: FakeGoogle, sid: str) -> None:
    before = fake.file(sid).modified_time
    _refused(_batch(fake, sid), "at least one request")
    no_key = fake.session(USER).post(f"{SHEETS}/{sid}:batchUpdate", json={})
    _refused(no_key, "at least one request")
    assert fake.file(sid).modified_time == before


# ---------------------------------------------------------------- request semantics
@pytest.mark.parametrize(("req", "group", "second"), [
    ({"updateCells": {"start": {"sheetId": 0}, "range": _grid(), "fields": "note",
                      "rows": [{"values": [{"note": "a"}]}]}}, "area", "range"),
    ({"findReplace": {"find": "a", "replacement": "b", "sheetId": 0, "allSheets": True}},
     "scope", "allSheets"),
    ({"repeatCell": {"range": _grid(), "fields": "userEnteredFormat.backgroundColorStyle",
                     "cell": {"userEnteredFormat": {"backgroundColorStyle": {
                         "rgbColor": {"red": 1}, "themeColor": "ACCENT1"}}}}}, "kind", "themeColor"),
    ({"addConditionalFormatRule": {"index": 0, "rule": {"ranges": [_grid()], "booleanRule": {
        "condition": {"type": "NUMBER_GREATER", "values": [{"userEnteredValue": "1"}]},
        "format": {}}, "gradientRule": {"minpoint": {"type": "MIN"}, "maxpoint": {"type": "MAX"}}}}},
     "rule", "gradientRule"),
    ({"addChart": {"chart": {"spec": {"basicChart": {"chartType": "COLUMN"}},
                             "position": {"sheetId": 0, "newSheet": True}}}}, "location", "newSheet"),
])
def test_union_field_given_twice_is_refused(fake: FakeGoogle, sid: str, req: dict[str, Any],
                                            group: str, second: str) -> None:
    _refused(_batch(fake, sid, req), f"oneof field '{group}' is already set", f"Cannot set '{second}'")


def test_union_field_given_once_is_accepted(fake: FakeGoogle, sid: str) -> None:
    assert _batch(fake, sid, {"updateCells": {"range": _grid(), "fields": "note",
                                              "rows": [{"values": [{"note": "a"}]}]}}).ok
    assert _batch(fake, sid, {"findReplace": {"find": "a", "replacement": "b",
                                              "allSheets": True}}).ok


def test_sheet_type_cannot_change_once_set(fake: FakeGoogle, sid: str) -> None:
    _refused(_batch(fake, sid, {"updateSheetProperties": {"properties": {
        "sheetId": 0, "sheetType": "OBJECT"}, "fields": "sheetType"}}), "sheetType")
    assert _batch(fake, sid, {"updateSheetProperties": {"properties": {
        "sheetId": 0, "sheetType": "GRID"}, "fields": "sheetType"}}).ok  # unchanged: fine


def test_inherit_from_before_at_index_0_is_refused(fake: FakeGoogle, sid: str) -> None:
    def insert(start: int) -> requests.Response:
        return _batch(fake, sid, {"insertDimension": {"range": {
            "sheetId": 0, "dimension": "ROWS", "startIndex": start, "endIndex": start + 2},
            "inheritFromBefore": True}})

    _refused(insert(0), "inheritFromBefore")
    assert insert(1).ok


def _condition(ctype: str, *values: dict[str, Any]) -> dict[str, Any]:
    return {"type": ctype, "values": list(values)}


def _validation(cond: dict[str, Any]) -> dict[str, Any]:
    return {"setDataValidation": {"range": _grid(), "rule": {"condition": cond}}}


def _conditional(cond: dict[str, Any], *ranges: dict[str, Any]) -> dict[str, Any]:
    return {"addConditionalFormatRule": {"index": 0, "rule": {
        "ranges": list(ranges) or [_grid()],
        "booleanRule": {"condition": cond, "format": {"textFormat": {"bold": True}}}}}}


def test_condition_types_fit_data_validation_or_conditional_formatting(
        fake: FakeGoogle, sid: str) -> None:
    one = {"userEnteredValue": "a"}
    # conditional formatting and filters only: not data validation
    for ctype, vals in [("TEXT_STARTS_WITH", [one]), ("BLANK", []), ("NOT_BLANK", [])]:
        _refused(_batch(fake, sid, _validation(_condition(ctype, *vals))), ctype)
        assert _batch(fake, sid, _conditional(_condition(ctype, *vals))).ok
    # data validation only: not conditional formatting
    for ctype, vals in [("ONE_OF_LIST", [one]), ("TEXT_IS_EMAIL", []), ("DATE_IS_VALID", []),
                        ("BOOLEAN", []), ("DATE_BETWEEN", [{"userEnteredValue": "1/1/2026"},
                                                           {"userEnteredValue": "2/1/2026"}])]:
        _refused(_batch(fake, sid, _conditional(_condition(ctype, *vals))), ctype)
        assert _batch(fake, sid, _validation(_condition(ctype, *vals))).ok
    # both
    assert _batch(fake, sid, _validation(_condition("NUMBER_GREATER", {"userEnteredValue": "1"}))).ok
    assert _batch(fake, sid, _conditional(_condition("NUMBER_GREATER", {"userEnteredValue": "1"}))).ok


def test_relative_dates_only_in_conditional_formatting_and_only_for_before_after(
        fake: FakeGoogle, sid: str) -> None:
    past_week = {"relativeDate": "PAST_WEEK"}
    _refused(_batch(fake, sid, _validation(_condition("DATE_BEFORE", past_week))),
             "not supported in data validation")
    _refused(_batch(fake, sid, _conditional(_condition("DATE_EQ", past_week))), "relative date")
    assert _batch(fake, sid, _conditional(_condition("DATE_BEFORE", past_week))).ok
    assert _batch(fake, sid, _validation(_condition("DATE_BEFORE", {"userEnteredValue": "1/1/2026"}))).ok


def test_one_of_list_values_are_not_formulas(fake: FakeGoogle, sid: str) -> None:
    _refused(_batch(fake, sid, _validation(_condition("ONE_OF_LIST", {"userEnteredValue": "=A1"}))),
             "Formulas are not supported")
    assert _batch(fake, sid, _validation(_condition("ONE_OF_LIST", {"userEnteredValue": "Ya"}))).ok


def test_conditional_format_ranges_on_one_sheet(fake: FakeGoogle, sid: str) -> None:
    assert _batch(fake, sid, {"addSheet": {"properties": {"sheetId": 3, "title": "Dua"}}}).ok
    cond = _condition("NUMBER_GREATER", {"userEnteredValue": "1"})
    _refused(_batch(fake, sid, _conditional(cond, _grid(), _grid(sheet=3))), "same grid")
    assert _batch(fake, sid, _conditional(cond, _grid(), _grid(2, 3))).ok


def test_banding_needs_row_or_column_properties(fake: FakeGoogle, sid: str) -> None:
    _refused(_batch(fake, sid, {"addBanding": {"bandedRange": {"range": _grid()}}}),
             "row_properties or column_properties")
    assert _batch(fake, sid, {"addBanding": {"bandedRange": {"range": _grid(), "rowProperties": {
        "firstBandColorStyle": {"rgbColor": {"red": 1}}}}}}).ok


def test_protected_range_and_filters_take_one_of_range_or_named_range(
        fake: FakeGoogle, sid: str) -> None:
    assert _batch(fake, sid, {"addNamedRange": {"namedRange": {
        "namedRangeId": "nr1", "name": "Isian", "range": _grid()}}}).ok
    _refused(_batch(fake, sid, {"addProtectedRange": {"protectedRange": {
        "range": _grid(), "namedRangeId": "nr1", "warningOnly": True}}}), "only one of")
    _refused(_batch(fake, sid, {"addFilterView": {"filter": {
        "title": "f", "range": _grid(), "namedRangeId": "nr1"}}}), "only one of")
    assert _batch(fake, sid, {"addProtectedRange": {"protectedRange": {
        "range": _grid(), "warningOnly": True}}}).ok


# ---------------------------------------------------------------- what Google accepts
def test_r1c1_ranges_are_valid_wherever_a1_is(fake: FakeGoogle, sid: str) -> None:
    session = fake.session(USER)
    put = session.put(f"{SHEETS}/{sid}/values/Sheet1!R2C2:R3C3?valueInputOption=RAW",
                      json={"values": [[1, 2], [3, 4]]})
    assert put.ok, put.text
    assert put.json()["updatedRange"] == "Sheet1!B2:C3"
    got = session.get(f"{SHEETS}/{sid}/values/R2C2:R3C3")
    assert got.json()["values"] == [["1", "2"], ["3", "4"]]
    batch = session.get(f"{SHEETS}/{sid}/values:batchGet",
                        params={"ranges": ["Sheet1!R3C3", "B2"]})
    assert [v["values"] for v in batch.json()["valueRanges"]] == [[["4"]], [["1"]]]
    cleared = session.post(f"{SHEETS}/{sid}/values:batchClear", json={"ranges": ["Sheet1!R2C2"]})
    assert cleared.ok
    assert fake.spreadsheet(sid).get_values("B2:C3") == [["", "2"], ["3", "4"]]


def test_grid_properties_only_on_grid_sheets(fake: FakeGoogle, sid: str) -> None:
    _refused(_batch(fake, sid, {"addSheet": {"properties": {"title": "Grafik", "sheetType": "OBJECT",
                                                            "gridProperties": {"rowCount": 5}}}}),
             "Grid properties")
    assert _batch(fake, sid, {"addSheet": {"properties": {"title": "Data", "gridProperties": {
        "rowCount": 5}}}}).ok


def test_duplicate_sheet_id_must_not_conflict(fake: FakeGoogle, sid: str) -> None:
    assert _batch(fake, sid, {"addSheet": {"properties": {"sheetId": 9, "title": "Dua"}}}).ok
    _refused(_batch(fake, sid, {"duplicateSheet": {"sourceSheetId": 0, "newSheetId": 9}}),
             "already exists")
    assert _batch(fake, sid, {"duplicateSheet": {"sourceSheetId": 0, "newSheetId": 10}}).ok


def test_insert_dimension_range_must_be_bounded(fake: FakeGoogle, sid: str) -> None:
    _refused(_batch(fake, sid, {"insertDimension": {"range": {"sheetId": 0, "dimension": "ROWS",
                                                              "startIndex": 2}}}), "bounded")
    assert _batch(fake, sid, {"insertDimension": {"range": {
        "sheetId": 0, "dimension": "ROWS", "startIndex": 2, "endIndex": 3}}}).ok


def test_number_format_needs_its_type_when_written(fake: FakeGoogle, sid: str) -> None:
    def fmt(number: dict[str, Any]) -> dict[str, Any]:
        return {"repeatCell": {"range": _grid(), "fields": "userEnteredFormat.numberFormat",
                               "cell": {"userEnteredFormat": {"numberFormat": number}}}}

    _refused(_batch(fake, sid, fmt({"pattern": "0.00"})), "NumberFormat.type")
    assert _batch(fake, sid, fmt({"type": "NUMBER", "pattern": "0.00"})).ok


def test_ids_of_added_ranges_must_be_new(fake: FakeGoogle, sid: str) -> None:
    band = {"rowProperties": {"firstBandColorStyle": {"rgbColor": {"red": 1}}}}
    assert _batch(fake, sid, {"addBanding": {"bandedRange": {"bandedRangeId": 4, "range": _grid(0, 2),
                                                             **band}}}).ok
    _refused(_batch(fake, sid, {"addBanding": {"bandedRange": {"bandedRangeId": 4, "range": _grid(5, 6),
                                                               **band}}}), "already exists")
    assert _batch(fake, sid, {"addNamedRange": {"namedRange": {"namedRangeId": "n1", "name": "Satu",
                                                               "range": _grid()}}}).ok
    _refused(_batch(fake, sid, {"addNamedRange": {"namedRange": {"namedRangeId": "n1", "name": "Dua",
                                                                 "range": _grid()}}}), "already exists")
    assert _batch(fake, sid, {"addFilterView": {"filter": {"filterViewId": 8, "range": _grid()}}}).ok
    _refused(_batch(fake, sid, {"addFilterView": {"filter": {"filterViewId": 8, "range": _grid()}}}),
             "already exists")


def test_banding_on_a_range_that_has_banding_is_refused(fake: FakeGoogle, sid: str) -> None:
    band = {"rowProperties": {"firstBandColorStyle": {"rgbColor": {"red": 1}}}}
    assert _batch(fake, sid, {"addBanding": {"bandedRange": {"range": _grid(0, 2), **band}}}).ok
    _refused(_batch(fake, sid, {"addBanding": {"bandedRange": {"range": _grid(1, 3), **band}}}),
             "already has alternating colors")
    assert _batch(fake, sid, {"addBanding": {"bandedRange": {"range": _grid(2, 4), **band}}}).ok
