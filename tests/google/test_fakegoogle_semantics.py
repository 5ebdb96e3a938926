"""The fake refuses what Google refuses (tests/fakegoogle/semantics.py): each rule, once
broken and once kept, through real HTTP on the fake."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from tests.fakegoogle import FakeGoogle

USER = "pep@example.go.id"
SHEETS = "https://sheets.googleapis.com/v4/spreadsheets"
DRIVE = "https://www.googleapis.com/drive/v3/files"


@pytest.fixture
def fake() -> FakeGoogle:
    return FakeGoogle(default_user=USER)


def _batch(fake: FakeGoogle, sid: str, *reqs: dict[str, Any]) -> requests.Response:
    return fake.session(USER).post(f"{SHEETS}/{sid}:batchUpdate", json={"requests": list(reqs)})


def _src(c0: int, c1: int, r0: int = 0, r1: int = 5) -> dict[str, Any]:
    return {"sheetId": 0, "startRowIndex": r0, "endRowIndex": r1,
            "startColumnIndex": c0, "endColumnIndex": c1}


def _chart(spec: dict[str, Any]) -> dict[str, Any]:
    return {"addChart": {"chart": {"spec": spec, "position": {"overlayPosition": {
        "anchorCell": {"sheetId": 0, "rowIndex": 0, "columnIndex": 5}}}}}}


def _basic(domains: list[dict[str, Any]], series: list[dict[str, Any]]) -> dict[str, Any]:
    return {"basicChart": {
        "chartType": "COLUMN",
        "domains": [{"domain": {"sourceRange": {"sources": [d]}}} for d in domains],
        "series": [{"series": {"sourceRange": {"sources": [s]}}} for s in series]}}


GOOD_CHART = _basic([_src(0, 1)], [_src(1, 2)])


@pytest.mark.parametrize(("spec", "words"), [
    ({"title": "kosong"}, "chart type"),
    (_basic([_src(0, 1), _src(2, 3)], [_src(1, 2)]), "single domain"),
    (_basic([_src(0, 1)], [_src(1, 3)]), "one row or one column"),
    (_basic([_src(0, 1)], []), "at least one series"),
])
def test_chart_specs_google_refuses(fake: FakeGoogle, spec: dict[str, Any], words: str) -> None:
    sid = fake.create_spreadsheet("Rekap")
    bad = _batch(fake, sid, _chart(spec))
    assert bad.status_code == 400
    assert "Invalid requests[0].addChart" in bad.text and words in bad.text
    assert fake.spreadsheet(sid).sheet(0).charts == []  # nothing applied
    assert _batch(fake, sid, _chart(GOOD_CHART)).status_code == 200


@pytest.mark.parametrize(("ctype", "values", "ok"), [
    ("NUMBER_BETWEEN", ["1"], False), ("NUMBER_BETWEEN", ["1", "9"], True),
    ("NUMBER_GREATER_THAN_EQ", [], False), ("NUMBER_GREATER_THAN_EQ", ["0"], True),
    ("ONE_OF_LIST", [], False), ("ONE_OF_LIST", ["a", "b", "c"], True),
    ("TEXT_IS_EMAIL", ["x"], False), ("DATE_IS_VALID", [], True),
    ("BOOLEAN", ["a", "b", "c"], False),
])
def test_data_validation_takes_the_number_of_values_its_type_takes(
        fake: FakeGoogle, ctype: str, values: list[str], ok: bool) -> None:
    sid = fake.create_spreadsheet("Kertas Kerja")
    rule = {"condition": {"type": ctype, "values": [{"userEnteredValue": v} for v in values]},
            "strict": True}
    direct = _batch(fake, sid, {"setDataValidation": {"range": _src(0, 1), "rule": rule}})
    in_cells = _batch(fake, sid, {"repeatCell": {"range": _src(2, 3), "cell": {
        "dataValidation": rule}, "fields": "dataValidation"}})
    assert (direct.status_code, in_cells.status_code) == ((200, 200) if ok else (400, 400))


def _protect(pr: dict[str, Any]) -> dict[str, Any]:
    return {"addProtectedRange": {"protectedRange": pr}}


def test_unprotected_ranges_only_on_a_whole_sheet_protection(fake: FakeGoogle) -> None:
    sid = fake.create_spreadsheet("Kertas Kerja")
    hole = [_src(1, 2, 1, 3)]
    bad = _batch(fake, sid, _protect({"range": _src(0, 4), "unprotectedRanges": hole}))
    assert bad.status_code == 400 and "only supported on protected sheets" in bad.text
    whole = _batch(fake, sid, _protect({"range": {"sheetId": 0}, "unprotectedRanges": hole}))
    assert whole.status_code == 200


def test_no_editors_with_warning_only_and_editors_are_addresses(fake: FakeGoogle) -> None:
    sid = fake.create_spreadsheet("Kertas Kerja")
    warn = _batch(fake, sid, _protect({"range": _src(0, 1), "warningOnly": True,
                                       "editors": {"users": [USER]}}))
    assert warn.status_code == 400 and "warning_only" in warn.text
    name = _batch(fake, sid, _protect({"range": _src(0, 1), "editors": {"users": ["Pak Budi"]}}))
    assert name.status_code == 400 and "not an e-mail address" in name.text
    assert _batch(fake, sid, _protect({"range": _src(0, 1), "warningOnly": True})).ok
    assert _batch(fake, sid, _protect({"range": _src(0, 1), "editors": {"users": [USER]}})).ok


def test_sheet_ids_are_non_negative(fake: FakeGoogle) -> None:
    sid = fake.create_spreadsheet("Kertas Kerja")
    bad = _batch(fake, sid, {"addSheet": {"properties": {"sheetId": -5, "title": "X"}}})
    assert bad.status_code == 400 and "non-negative" in bad.text
    assert _batch(fake, sid, {"addSheet": {"properties": {"sheetId": 5, "title": "X"}}}).ok


def test_field_masks_in_requests_name_real_fields(fake: FakeGoogle) -> None:
    sid = fake.create_spreadsheet("Kertas Kerja")
    bad = _batch(fake, sid, {"repeatCell": {"range": _src(0, 1), "cell": {},
                                            "fields": "userEnteredFormat.boldness"}})
    assert bad.status_code == 400 and "userEnteredFormat.boldness" in bad.text
    props = _batch(fake, sid, {"updateSheetProperties": {"properties": {"sheetId": 0},
                                                         "fields": "gridProperties.rowz"}})
    assert props.status_code == 400
    assert _batch(fake, sid, {"repeatCell": {"range": _src(0, 1), "cell": {},
                                             "fields": "userEnteredFormat.textFormat.bold"}}).ok
    assert _batch(fake, sid, {"updateSheetProperties": {"properties": {"sheetId": 0},
                                                        "fields": "gridProperties.rowCount"}}).ok


def test_fields_query_parameter_names_real_fields(fake: FakeGoogle) -> None:
    sid = fake.create_spreadsheet("Kertas Kerja")
    s = fake.session(USER)
    bad = s.get(f"{SHEETS}/{sid}", params={"fields": "sheets(properties(sheetId,titel))"})
    assert bad.status_code == 400 and "sheets.properties.titel" in bad.text
    assert s.get(f"{SHEETS}/{sid}", params={"fields": "sheets(properties(sheetId,title))"}).ok
    drive_bad = s.get(f"{DRIVE}/{sid}", params={"fields": "id,nama"})
    assert drive_bad.status_code == 400
    assert drive_bad.json()["error"]["errors"][0]["reason"] == "invalidParameter"
    assert s.get(f"{DRIVE}", params={"fields": "nextPageToken,files(id,appProperties)"}).ok
    assert s.get(f"{DRIVE}", params={"fields": "files(id,nama)"}).status_code == 400


def test_permissions_need_an_address_and_a_role_that_fits(fake: FakeGoogle) -> None:
    sid = fake.create_spreadsheet("Kertas Kerja")
    s = fake.session(USER)
    url = f"{DRIVE}/{sid}/permissions"
    no_at = s.post(url, params={"sendNotificationEmail": "false"},
                   json={"type": "user", "role": "writer", "emailAddress": "kasie umum"})
    assert no_at.status_code == 400 and "emailAddress" in no_at.text
    organizer = s.post(url, params={"sendNotificationEmail": "false"},
                       json={"type": "user", "role": "fileOrganizer",
                             "emailAddress": "kasie@example.go.id"})
    assert organizer.status_code == 400  # a My Drive file has no organizers
    drive = fake.create_shared_drive("Kinerja", [USER])
    folder = fake.create_folder("2026", shared_drive=drive)
    in_drive = fake.create_spreadsheet("Kertas Kerja 2", parent=folder)
    owner = s.post(f"{DRIVE}/{in_drive}/permissions",
                   params={"supportsAllDrives": "true", "transferOwnership": "true"},
                   json={"type": "user", "role": "owner", "emailAddress": "kasie@example.go.id"})
    assert owner.status_code == 403
    ok = s.post(url, params={"sendNotificationEmail": "false"},
                json={"type": "user", "role": "writer", "emailAddress": "kasie@example.go.id"})
    assert ok.status_code == 200
