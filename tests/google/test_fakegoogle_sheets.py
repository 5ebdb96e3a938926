"""Tests of tests/fakegoogle, Sheets: the real gspread 6.2.1 client against the in-process fake
(values, strictness, protection, batch updates, formulas, A1 ranges)."""

from __future__ import annotations

import pytest
from gspread.exceptions import APIError
from hypothesis import given
from hypothesis import strategies as st

from tests.fakegoogle import PROTECTED_MESSAGE, FakeGoogle
from tests.google.fakegoogle_helpers import (
    PEP,
    SECTION,
    api_error,
    client,
    protected_sheet,
)
from tests.google.offline import no_network  # noqa: F401  (the fixture: no sockets)


@pytest.fixture
def fake() -> FakeGoogle:
    return FakeGoogle(seed=0, default_user=PEP)


# ---------------------------------------------------------------- basics
def test_create_write_read_roundtrip(fake: FakeGoogle) -> None:
    gc = client(fake)
    sh = gc.create("Kertas Kerja Umum")
    ws = sh.sheet1
    ws.update([["Indikator", "Target"], ["IKU 1", "1.234,5"]], "A1", value_input_option="RAW")
    ws.update([["=1+2", "12.5%"]], "A3", value_input_option="USER_ENTERED")
    assert ws.get_all_values() == [["Indikator", "Target"], ["IKU 1", "1.234,5"], ["3", "12.5%"]]
    assert ws.get("A3:B3", value_render_option="UNFORMATTED_VALUE") == [[3, 0.125]]
    assert ws.get("A3", value_render_option="FORMULA") == [["=1+2"]]
    # RAW keeps text starting with '=' as text
    ws.update([["=HYPERLINK(1)"]], "C1", value_input_option="RAW")
    assert ws.acell("C1", value_render_option="FORMULA").value == "=HYPERLINK(1)"
    stored = fake.spreadsheet(sh.id).sheets[0].cell(0, 2)
    assert stored == {"userEnteredValue": {"stringValue": "=HYPERLINK(1)"}}


def test_quoted_sheet_titles_and_open_ranges(fake: FakeGoogle) -> None:
    gc = client(fake)
    sh = gc.create("t")
    ws = sh.add_worksheet("Kertas Kerja", rows=20, cols=5)
    ws.update([["a", "b"], ["c"]], "A1")
    res = sh.values_get("'Kertas Kerja'!A1:B")
    assert res["range"] == "'Kertas Kerja'!A1:B20"
    assert res["values"] == [["a", "b"], ["c"]]
    with pytest.raises(APIError) as exc:
        sh.values_get("'Nope'!A1")
    assert api_error(exc)["message"] == "Unable to parse range: 'Nope'!A1"
    with pytest.raises(APIError) as exc:
        ws.update([["x"]], "A21")
    assert api_error(exc)["code"] == 400
    assert "exceeds grid limits" in api_error(exc)["message"]


def test_add_sheet_duplicate_title_and_missing_grid(fake: FakeGoogle) -> None:
    sh = client(fake).create("t")
    with pytest.raises(APIError) as exc:
        sh.add_worksheet("Sheet1", 10, 10)
    assert api_error(exc)["message"] == (
        'Invalid requests[0].addSheet: A sheet with the name "Sheet1" already exists. '
        "Please enter another name."
    )
    with pytest.raises(APIError) as exc:
        sh.batch_update({"requests": [{"deleteSheet": {"sheetId": 123}}]})
    assert api_error(exc)["message"] == "Invalid requests[0].deleteSheet: No grid with id: 123"


def test_batch_update_is_atomic(fake: FakeGoogle) -> None:
    sh = client(fake).create("t")
    with pytest.raises(APIError):
        sh.batch_update(
            {"requests": [{"addSheet": {"properties": {"title": "X"}}}, {"deleteSheet": {"sheetId": 999}}]}
        )
    assert [s.title for s in fake.spreadsheet(sh.id).sheets] == ["Sheet1"]


# ---------------------------------------------------------------- strictness
def test_unknown_field_is_rejected_like_google(fake: FakeGoogle) -> None:
    sh = client(fake).create("t")
    body = {"requests": [{"updateCells": {"range": {"sheetId": 0}, "fields": "note", "foo": 1}}]}
    with pytest.raises(APIError) as exc:
        sh.batch_update(body)
    err = api_error(exc)
    assert err["code"] == 400
    assert err["status"] == "INVALID_ARGUMENT"
    assert err["message"] == (
        "Invalid JSON payload received. Unknown name \"foo\" at 'requests[0].update_cells': "
        "Cannot find field."
    )


def test_wrong_types_and_enums_are_rejected(fake: FakeGoogle) -> None:
    sh = client(fake).create("t")
    with pytest.raises(APIError) as exc:
        sh.batch_update({"requests": [{"deleteSheet": {"sheetId": "x"}}]})
    assert api_error(exc)["message"] == (
        "Invalid value at 'requests[0].delete_sheet.sheet_id' (TYPE_INT32), \"x\""
    )
    with pytest.raises(APIError) as exc:
        sh.batch_update(
            {
                "requests": [
                    {
                        "insertDimension": {
                            "range": {"sheetId": 0, "dimension": "ROW", "startIndex": 0, "endIndex": 1}
                        }
                    }
                ]
            }
        )
    assert "insert_dimension.range.dimension" in api_error(exc)["message"]
    with pytest.raises(APIError) as exc:
        sh.batch_update({"requests": [{"addSheet": {}, "deleteSheet": {"sheetId": 0}}]})
    assert "oneof field 'kind' is already set" in api_error(exc)["message"]
    with pytest.raises(APIError) as exc:
        sh.values_update("Sheet1!A1", params={"valueInputOption": "COOKED"}, body={"values": [["x"]]})
    assert api_error(exc)["code"] == 400
    with pytest.raises(APIError) as exc:
        sh.values_update("Sheet1!A1", params={"valueInputOption": "RAW"}, body={"values": "X"})
    assert api_error(exc)["message"] == (
        "Invalid value at 'data.values' (type.googleapis.com/google.protobuf.ListValue), \"X\""
    )


def test_nulls_are_unset_and_bool_params_accepted(fake: FakeGoogle) -> None:
    sh = client(fake).create("t")
    sh.batch_update({"requests": [{"addSheet": {"properties": {"title": "A", "index": None}}}]})
    res = sh.values_append(
        "A!A1", {"valueInputOption": "RAW", "includeValuesInResponse": "true"}, {"values": [["x"]]}
    )
    assert res["updates"]["updatedData"]["values"] == [["x"]]



# ---------------------------------------------------------------- protection
def test_protected_range_blocks_section_editor(fake: FakeGoogle) -> None:
    sh, _ = protected_sheet(fake)
    section_ws = client(fake, SECTION).open_by_key(sh.id).sheet1
    section_ws.update_acell("C2", "9")  # input cell: allowed
    with pytest.raises(APIError) as exc:
        section_ws.update([["hack", "99"]], "A2:B2")
    err = api_error(exc)
    assert (err["code"], err["status"], err["message"]) == (400, "INVALID_ARGUMENT", PROTECTED_MESSAGE)
    with pytest.raises(APIError) as exc:  # a batch touching a protected cell fails whole
        section_ws.batch_update([{"range": "C3", "values": [["1"]]}, {"range": "B2", "values": [["1"]]}])
    with pytest.raises(APIError) as exc:
        section_ws.format("A1", {"textFormat": {"bold": True}})
    assert PROTECTED_MESSAGE in api_error(exc)["message"]
    pr_id = fake.spreadsheet(sh.id).sheets[0].protected[0]["protectedRangeId"]
    with pytest.raises(APIError):
        section_ws.delete_protected_range(pr_id)
    values = client(fake).open_by_key(sh.id).sheet1.get_all_values()
    assert values == [["Indikator", "Target", "Realisasi"], ["IKU 1", "10", "9"]]
    # the owner can always edit
    client(fake).open_by_key(sh.id).sheet1.update_acell("B2", "12")


def test_protected_range_editors_can_edit(fake: FakeGoogle) -> None:
    sh, _ = protected_sheet(fake)
    pr = fake.spreadsheet(sh.id).sheets[0].protected[0]
    sh.batch_update(
        {
            "requests": [
                {
                    "updateProtectedRange": {
                        "protectedRange": {
                            "protectedRangeId": pr["protectedRangeId"],
                            "editors": {"users": [PEP, SECTION]},
                        },
                        "fields": "editors",
                    }
                }
            ]
        }
    )
    client(fake, SECTION).open_by_key(sh.id).sheet1.update_acell("A2", "ok")
    meta = client(fake, SECTION).open_by_key(sh.id).fetch_sheet_metadata()
    assert meta["sheets"][0]["protectedRanges"][0]["requestingUserCanEdit"] is True


def test_indonesian_locale_numbers(fake: FakeGoogle) -> None:
    sid = fake.create_spreadsheet("KK", owner=PEP, locale="id_ID")
    ws = client(fake).open_by_key(sid).sheet1
    ws.update([["1.234,5", "87,5%", "12.5", "Rp 1.500.000"]], "A1", value_input_option="USER_ENTERED")
    assert ws.get("A1:D1") == [["1.234,5", "87,5%", "12.5", "Rp1.500.000"]]
    assert ws.get("A1:D1", value_render_option="UNFORMATTED_VALUE") == [[1234.5, 0.875, "12.5", 1500000]]
    ws.update([[0.5]], "E1")  # a JSON number is a number whatever the locale
    assert ws.acell("E1").value == "0,5"


def test_append_finds_the_table(fake: FakeGoogle) -> None:
    sh = client(fake).create("t")
    ws = sh.sheet1
    ws.update([["No", "Isu"], ["1", "a"]], "A3")
    res = sh.values_append("Sheet1", {"valueInputOption": "RAW"}, {"values": [["2", "b"]]})
    assert res["tableRange"] == "Sheet1!A3:B4"
    assert res["updates"]["updatedRange"] == "Sheet1!A5:B5"
    res = sh.values_append(
        "Sheet1!A1",
        {"valueInputOption": "RAW", "insertDataOption": "INSERT_ROWS"},
        {"values": [["x"]]},
    )
    assert "tableRange" not in res  # A1 is empty: write there
    assert fake.spreadsheet(sh.id).sheets[0].rows == 1001


def test_formulas_are_evaluated_simply(fake: FakeGoogle) -> None:
    sid = fake.create_spreadsheet("KK", owner=PEP)
    fake.write_as(
        PEP,
        sid,
        "A1",
        [[10, 8, "=B1/A1*100", '=IFERROR(B1/0,"-")', '=IF(A1>5,"ok","no")', "=VLOOKUP(1,A1:B2,2)"]],
    )
    ss = fake.spreadsheet(sid)
    assert ss.get_values("A1:F1") == [["10", "8", "80", "-", "ok"]]  # VLOOKUP: not evaluated
    assert ss.get_values("C1", "UNFORMATTED_VALUE") == [[80]]
    assert ss.get_values("C1", "FORMULA") == [["=B1/A1*100"]]


def test_more_batch_update_kinds(fake: FakeGoogle) -> None:
    sh = client(fake).create("t")
    ws = sh.sheet1
    ws.update([["a"], ["b"], ["c"]], "A1")
    reply = sh.batch_update(
        {
            "requests": [
                {
                    "moveDimension": {
                        "source": {"sheetId": 0, "dimension": "ROWS", "startIndex": 0, "endIndex": 1},
                        "destinationIndex": 3,
                    }
                },
                {
                    "addChart": {
                        "chart": {
                            "spec": {"title": "Capaian", "basicChart": {
                                "chartType": "COLUMN",
                                "domains": [{"domain": {"sourceRange": {"sources": [{
                                    "sheetId": 0, "startRowIndex": 0, "endRowIndex": 3,
                                    "startColumnIndex": 0, "endColumnIndex": 1}]}}}],
                                "series": [{"series": {"sourceRange": {"sources": [{
                                    "sheetId": 0, "startRowIndex": 0, "endRowIndex": 3,
                                    "startColumnIndex": 1, "endColumnIndex": 2}]}}}],
                            }},
                            "position": {
                                "overlayPosition": {
                                    "anchorCell": {"sheetId": 0, "rowIndex": 0, "columnIndex": 3}
                                }
                            },
                        }
                    }
                },
                {
                    "addConditionalFormatRule": {
                        "rule": {
                            "ranges": [{"sheetId": 0}],
                            "booleanRule": {
                                "condition": {"type": "TEXT_EQ", "values": [{"userEnteredValue": "b"}]},
                                "format": {"backgroundColor": {"red": 1}},
                            },
                        },
                        "index": 0,
                    }
                },
                {"findReplace": {"find": "c", "replacement": "C", "allSheets": True}},
            ]
        }
    )
    assert ws.col_values(1) == ["b", "C", "a"]
    assert reply["replies"][1]["addChart"]["chart"]["chartId"] > 0
    assert reply["replies"][3]["findReplace"]["occurrencesChanged"] == 1
    assert len(fake.spreadsheet(sh.id).sheet(0).cond_formats) == 1


@given(
    title=st.text(alphabet="AB _'xyz1", min_size=1, max_size=8).filter(lambda t: t.strip()),
    r0=st.integers(0, 2000),
    c0=st.integers(0, 800),
    h=st.integers(1, 50),
    w=st.integers(1, 30),
)
def test_a1_format_parse_roundtrip(title: str, r0: int, c0: int, h: int, w: int) -> None:
    from tests.fakegoogle import a1

    text = a1.format_range(title, r0, r0 + h, c0, c0 + w)
    sheet, cells = a1.split_sheet(text)
    assert sheet == title
    assert cells is not None
    assert a1.parse_cells(cells) == (r0, r0 + h, c0, c0 + w)
