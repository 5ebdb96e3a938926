"""Tests of tests/fakegoogle: the real gspread 6.2.1 client against the in-process fake."""

from __future__ import annotations

import io
import socket
from pathlib import Path
from typing import Any

import gspread
import pytest
import requests
from gspread.exceptions import APIError
from hypothesis import given
from hypothesis import strategies as st

from tests.fakegoogle import PROTECTED_MESSAGE, FakeGoogle
from tests.fakegoogle.query import QueryError, parse

PEP = "pep@example.go.id"
SECTION = "kasie.umum@example.go.id"
READER = "kepala@example.go.id"
SA = "sync@sheets-sync.iam.gserviceaccount.com"
DRIVE_FILES = "https://www.googleapis.com/drive/v3/files"
# beside the checkout (/work/main), or one level up from a worktree (/work/wt/<name>)
CASSETTES = next((p / "shared/reference/gspread-cassettes" for p in Path(__file__).resolve().parents[3:5]
                  if (p / "shared/reference/gspread-cassettes").is_dir()),
                 Path(__file__).resolve().parents[3] / "shared/reference/gspread-cassettes")


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to open a real socket fails the test."""

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


@pytest.fixture
def fake() -> FakeGoogle:
    return FakeGoogle(seed=0, default_user=PEP)


def client(fake: FakeGoogle, user: str = PEP) -> gspread.Client:
    return gspread.Client(None, session=fake.session(user))


def api_error(exc: pytest.ExceptionInfo[APIError]) -> dict[str, Any]:
    return exc.value.response.json()["error"]


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


# ---------------------------------------------------------------- drive
def test_copy_keeps_sheets_values_protection(fake: FakeGoogle) -> None:
    gc = client(fake)
    template = gc.create("Template")
    ws = template.add_worksheet("Kertas Kerja", 50, 10)
    ws.update([["No", "Target"]], "A1")
    ws.add_protected_range("A1:B1")
    session = fake.session(PEP)
    resp = session.post(
        f"{DRIVE_FILES}/{template.id}/copy",
        params={"supportsAllDrives": "true", "fields": "id,name,appProperties"},
        json={"name": "Kertas Kerja Umum", "appProperties": {"period": "2026-Q1", "section": "umum"}},
    )
    assert resp.status_code == 200, resp.text
    new = resp.json()
    assert new["appProperties"] == {"period": "2026-Q1", "section": "umum"}
    copy = gc.open_by_key(new["id"])
    assert [w.title for w in copy.worksheets()] == ["Sheet1", "Kertas Kerja"]
    assert copy.worksheet("Kertas Kerja").id == ws.id  # sheet ids survive a copy
    assert copy.worksheet("Kertas Kerja").get_all_values() == [["No", "Target"]]
    assert len(copy.list_protected_ranges(ws.id)) == 1


def test_list_by_app_properties_with_paging(fake: FakeGoogle) -> None:
    session = fake.session(PEP)
    for i in range(5):
        r = session.post(
            DRIVE_FILES,
            json={
                "name": f"KK {i}",
                "mimeType": "application/vnd.google-apps.spreadsheet",
                "appProperties": {"period": "2026-Q1" if i % 2 == 0 else "2025-Q4", "section": f"s{i}"},
            },
        )
        assert r.status_code == 200
        fake.advance(60)
    q = "appProperties has { key='period' and value='2026-Q1' } and trashed = false"
    seen: list[str] = []
    token = None
    pages = 0
    while True:
        params = {
            "q": q,
            "pageSize": 2,
            "orderBy": "name",
            "fields": "nextPageToken,files(id,name,appProperties,modifiedTime)",
        }
        if token:
            params["pageToken"] = token
        body = session.get(DRIVE_FILES, params=params).json()
        seen += [f["name"] for f in body["files"]]
        pages += 1
        token = body.get("nextPageToken")
        if not token:
            break
    assert seen == ["KK 0", "KK 2", "KK 4"]
    assert pages == 2
    bad = session.get(DRIVE_FILES, params={"q": "name = 'unterminated"})
    assert bad.status_code == 400
    assert bad.json()["error"]["errors"][0]["location"] == "q"


def test_modified_time_bumps_on_sheets_writes(fake: FakeGoogle) -> None:
    gc = client(fake)
    sh = gc.create("t")
    owner_session = fake.session(PEP)
    sh.share(SECTION, perm_type="user", role="writer", notify=False)
    before = owner_session.get(f"{DRIVE_FILES}/{sh.id}", params={"fields": "modifiedTime"})
    fake.advance(30)
    client(fake, SECTION).open_by_key(sh.id).sheet1.update_acell("A1", "isi")
    after = owner_session.get(
        f"{DRIVE_FILES}/{sh.id}",
        params={"fields": "modifiedTime,lastModifyingUser(emailAddress)"},
    ).json()
    assert after["modifiedTime"] > before.json()["modifiedTime"]
    assert after["modifiedTime"].endswith("Z")
    assert after["lastModifyingUser"]["emailAddress"] == SECTION
    since = before.json()["modifiedTime"]
    listed = owner_session.get(
        DRIVE_FILES, params={"q": f"modifiedTime > '{since}'", "fields": "files(id)"}
    ).json()["files"]
    assert [f["id"] for f in listed] == [sh.id]


def test_permissions_and_notifications(fake: FakeGoogle) -> None:
    gc = client(fake)
    sh = gc.create("t")
    sh.share(SECTION, perm_type="user", role="writer", email_message="Mohon diisi")
    sh.share(READER, perm_type="user", role="reader", notify=False)
    perms = sh.list_permissions()
    assert {(p.get("emailAddress"), p["role"]) for p in perms} == {
        (PEP, "owner"),
        (SECTION, "writer"),
        (READER, "reader"),
    }
    assert [(n.to, n.role, n.message) for n in fake.notifications] == [(SECTION, "writer", "Mohon diisi")]
    # 'anyone' grants are supported (so the project's tests can assert it never makes one)
    sh.share(None, perm_type="anyone", role="reader")
    assert any(p.type == "anyone" for p in fake.file(sh.id).permissions)
    reader_sheet = client(fake, READER).open_by_key(sh.id).sheet1
    with pytest.raises(APIError) as exc:
        reader_sheet.update_acell("A1", "x")
    assert api_error(exc)["code"] == 403
    sh.remove_permissions(READER)
    assert READER not in {p.get("emailAddress") for p in sh.list_permissions()}


def test_invisible_files_answer_404_and_403(fake: FakeGoogle) -> None:
    sh = client(fake).create("private")
    stranger = fake.session("stranger@example.com")
    r = stranger.get(f"{DRIVE_FILES}/{sh.id}")
    assert r.status_code == 404
    assert r.json()["error"]["message"] == f"File not found: {sh.id}."
    r = stranger.get(f"https://sheets.googleapis.com/v4/spreadsheets/{sh.id}")
    assert r.status_code == 403
    assert r.json()["error"]["message"] == "The caller does not have permission"
    r = stranger.get("https://sheets.googleapis.com/v4/spreadsheets/nope")
    assert r.status_code == 404


def test_service_account_needs_a_shared_drive(fake: FakeGoogle) -> None:
    gc = client(fake, SA)
    with pytest.raises(APIError) as exc:
        gc.create("KK")
    err = api_error(exc)
    assert err["code"] == 403
    assert err["errors"][0]["reason"] == "storageQuotaExceeded"
    assert err["message"] == "The user's Drive storage quota has been exceeded."
    drive_id = fake.create_shared_drive("Setwan", {SA: "organizer", PEP: "organizer"})
    folder = fake.create_folder("2026-Q1", owner=SA, shared_drive=drive_id)
    sh = gc.create("KK", folder_id=folder)
    f = fake.file(sh.id)
    assert f.drive_id == drive_id and f.parents == [folder]
    # PEP sees it through the Shared Drive membership
    assert client(fake, PEP).open_by_key(sh.id).title == "KK"


# ---------------------------------------------------------------- protection
def _protected_sheet(fake: FakeGoogle) -> tuple[gspread.Spreadsheet, gspread.Worksheet]:
    gc = client(fake)
    sh = gc.create("KK")
    ws = sh.sheet1
    ws.update([["Indikator", "Target", "Realisasi"], ["IKU 1", 10, ""]], "A1")
    sh.batch_update(
        {
            "requests": [
                {
                    "addProtectedRange": {
                        "protectedRange": {
                            "range": {"sheetId": ws.id},
                            "unprotectedRanges": [
                                {
                                    "sheetId": ws.id,
                                    "startRowIndex": 1,
                                    "endRowIndex": 100,
                                    "startColumnIndex": 2,
                                    "endColumnIndex": 3,
                                }
                            ],
                            "description": "everything but Realisasi",
                            "editors": {"users": [PEP]},
                        }
                    }
                }
            ]
        }
    )
    sh.share(SECTION, perm_type="user", role="writer", notify=False)
    return sh, ws


def test_protected_range_blocks_section_editor(fake: FakeGoogle) -> None:
    sh, _ = _protected_sheet(fake)
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
    sh, _ = _protected_sheet(fake)
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


# ---------------------------------------------------------------- faults, auth, log
def test_fail_next_and_counts(fake: FakeGoogle) -> None:
    gc = client(fake)
    ws = gc.create("t").sheet1
    fake.reset_counts()
    fake.fail_next(1, status=429, retry_after=7)
    with pytest.raises(APIError) as exc:
        ws.update_acell("A1", "x")
    assert exc.value.response.status_code == 429
    assert exc.value.response.headers["Retry-After"] == "7"
    assert api_error(exc)["status"] == "RESOURCE_EXHAUSTED"
    fake.fail_next(1, kind="timeout")
    with pytest.raises(requests.exceptions.ReadTimeout):
        ws.update_acell("A1", "x")
    assert ws.acell("A1").value is None  # neither failed write was applied
    fake.fail_next(1, kind="timeout_after_apply")
    with pytest.raises(requests.exceptions.ReadTimeout):
        ws.update_acell("A1", "applied")
    assert ws.acell("A1").value == "applied"  # applied, but the answer was lost
    assert fake.count(op="values.update") == 3
    assert [r.fault for r in fake.requests if r.op == "values.update"] == [
        "429",
        "timeout",
        "timeout_after_apply",
    ]
    assert fake.count(method="PUT", path_contains="/values/") == 3
    assert fake.count(op="values.get") == 2


def test_random_faults_are_reproducible() -> None:
    def outcomes(seed: int) -> list[int]:
        fake = FakeGoogle(seed=0)
        s = fake.session()
        fake.inject_faults(rate=0.5, kinds=("429", "500", "503"), seed=seed)
        return [s.get(DRIVE_FILES).status_code for _ in range(20)]

    first = outcomes(3)
    assert first == outcomes(3)
    assert {429, 500, 503, 200} >= set(first) and 200 in first and len(set(first)) > 1


def test_oauth_refresh_through_fake_token_endpoint(fake: FakeGoogle) -> None:
    from google.auth.transport.requests import AuthorizedSession, Request

    creds = fake.credentials(SECTION)
    creds.token = None  # force a refresh against https://oauth2.googleapis.com/token
    session = AuthorizedSession(creds, auth_request=Request(session=fake.session()))
    fake.mount(session)
    about = session.get(
        "https://www.googleapis.com/drive/v3/about", params={"fields": "user(emailAddress)"}
    ).json()
    assert about == {"user": {"emailAddress": SECTION}}
    assert fake.count(api="oauth") == 1


def test_other_hosts_are_refused(fake: FakeGoogle) -> None:
    with pytest.raises(requests.exceptions.ConnectionError):
        fake.session().get("https://example.com/")


# ---------------------------------------------------------------- query language
@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("name = 'Kertas Kerja Umum'", {"a"}),
        ("name contains 'Kerja'", {"a", "b"}),
        ("name contains 'erja'", set()),
        ("not name contains 'Kerja'", {"c"}),
        ("name = 'O\\'Brien' or name = \"Kertas Kerja Keu\"", {"b", "c"}),
        ("(name contains 'Kertas' and trashed = false) or starred = true", {"a", "b"}),
        ("appProperties has { key='section' and value='umum' }", {"a"}),
        ("mimeType != 'application/vnd.google-apps.folder' and 'root' in parents", {"a", "b", "c"}),
        ("modifiedTime > '2026-01-05T08:00:30Z'", {"c"}),
    ],
)
def test_query_language(fake: FakeGoogle, q: str, expected: set[str]) -> None:
    ids = {
        "a": fake.create_spreadsheet("Kertas Kerja Umum"),
        "b": fake.create_spreadsheet("Kertas Kerja Keu"),
    }
    fake.advance(60)
    ids["c"] = fake.create_spreadsheet("O'Brien")
    fake.file(ids["a"]).app_properties["section"] = "umum"
    names = {v: k for k, v in ids.items()}
    r = fake.session().get(DRIVE_FILES, params={"q": q, "fields": "files(id)"})
    assert r.status_code == 200, r.text
    assert {names[f["id"]] for f in r.json()["files"]} == expected


@pytest.mark.parametrize("q", ["name =", "name = 'x' and", "foo = 'x'", "(name = 'x'", "'x' in"])
def test_query_language_errors(q: str) -> None:
    with pytest.raises(QueryError):
        parse(q)


# ---------------------------------------------------------------- fidelity
@pytest.mark.skipif(not CASSETTES.is_dir(), reason="reference cassettes not present")
def test_replay_of_recorded_google_traffic_has_no_mismatch() -> None:
    from tests.fakegoogle.replay import run

    out = io.StringIO()
    results = run(CASSETTES, out)
    mismatched = [r for r in results if r.status == "mismatched"]
    assert not mismatched, out.getvalue()
    assert sum(r.status == "matched" for r in results) >= 100


# ---------------------------------------------------------------- more Google habits
def test_indonesian_locale_numbers(fake: FakeGoogle) -> None:
    sid = fake.create_spreadsheet("KK", owner=PEP, locale="id_ID")
    ws = client(fake).open_by_key(sid).sheet1
    ws.update([["1.234,5", "87,5%", "12.5", "Rp 1.500.000"]], "A1", value_input_option="USER_ENTERED")
    assert ws.get("A1:D1") == [["1.234,5", "87,5%", "12.5", "Rp1.500.000"]]
    assert ws.get("A1:D1", value_render_option="UNFORMATTED_VALUE") == [[1234.5, 0.875, "12.5", 1500000]]
    ws.update([[0.5]], "E1")  # a JSON number is a number whatever the locale
    assert ws.acell("E1").value == "0,5"


def test_shared_drive_items_need_supports_all_drives(fake: FakeGoogle) -> None:
    drive_id = fake.create_shared_drive("Setwan", {SA: "organizer"})
    folder = fake.create_folder("2026", owner=SA, shared_drive=drive_id)
    sid = fake.create_spreadsheet("KK", owner=SA, parent=folder)
    s = fake.session(SA)
    assert s.get(f"{DRIVE_FILES}/{sid}").status_code == 404
    assert s.get(f"{DRIVE_FILES}/{sid}", params={"supportsAllDrives": "true"}).status_code == 200
    listed = s.get(DRIVE_FILES, params={"q": "name = 'KK'"}).json()["files"]
    assert listed == []
    listed = s.get(
        DRIVE_FILES,
        params={"q": "name = 'KK'", "supportsAllDrives": "true", "includeItemsFromAllDrives": "true"},
    ).json()["files"]
    assert [f["id"] for f in listed] == [sid]


def test_copy_without_parents_lands_next_to_the_source(fake: FakeGoogle) -> None:
    drive_id = fake.create_shared_drive("Setwan", {SA: "organizer"})
    folder = fake.create_folder("2026", owner=SA, shared_drive=drive_id)
    template = fake.create_spreadsheet("Template", owner=SA, parent=folder)
    r = fake.session(SA).post(
        f"{DRIVE_FILES}/{template}/copy",
        params={"supportsAllDrives": "true", "fields": "id,parents,driveId"},
        json={"name": "KK Umum"},
    )
    assert r.status_code == 200, r.text
    assert r.json()["parents"] == [folder] and r.json()["driveId"] == drive_id


def test_gspread_copy_permissions_fails_as_on_google(fake: FakeGoogle) -> None:
    # gspread issue #1544: copy(copy_permissions=True) re-shares the 'owner' permission
    # without transferOwnership, which Google answers with 403.
    gc = client(fake)
    sh = gc.create("Template")
    with pytest.raises(APIError) as exc:
        gc.copy(sh.id, title="KK", copy_permissions=True, copy_comments=False)
    assert "transferOwnership" in api_error(exc)["message"]


def test_write_as_goes_through_the_api(fake: FakeGoogle) -> None:
    sh, _ = _protected_sheet(fake)
    fake.reset_counts()
    assert fake.write_as(SECTION, sh.id, "Sheet1!C2", [["7"]]).status_code == 200
    r = fake.write_as(SECTION, sh.id, "Sheet1!B2", [["7"]])
    assert r.status_code == 400 and r.json()["error"]["message"] == PROTECTED_MESSAGE
    assert fake.count(op="values.update", user=SECTION) == 2
    assert fake.file(sh.id).last_modifying_user == SECTION


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


def test_drive_rate_limit_is_a_403_with_a_reason(fake: FakeGoogle) -> None:
    s = fake.session()
    fake.fail_next(1, kind="403_rate_limit")
    r = s.get(DRIVE_FILES)
    assert r.status_code == 403
    assert r.json()["error"]["errors"][0]["reason"] == "userRateLimitExceeded"
    fake.fail_next(1, status=503)
    r = s.get("https://sheets.googleapis.com/v4/spreadsheets/x")
    assert r.status_code == 503 and r.json()["error"]["status"] == "UNAVAILABLE"


def test_threads_share_one_fake(fake: FakeGoogle) -> None:
    from concurrent.futures import ThreadPoolExecutor

    sid = fake.create_spreadsheet("KK", owner=PEP)
    ws = client(fake).open_by_key(sid).sheet1

    def write(i: int) -> None:
        ws.update([[f"v{i}"]], f"A{i + 1}")

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(write, range(40)))
    assert [r[0] for r in ws.get_all_values()] == [f"v{i}" for i in range(40)]
    assert fake.count(op="values.update") == 40


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


def test_real_service_account_credentials(fake: FakeGoogle) -> None:
    """google-auth signs a JWT; the fake's token endpoint maps it to the account (or to the
    delegated subject with domain-wide delegation)."""
    rsa = pytest.importorskip("cryptography.hazmat.primitives.asymmetric.rsa")
    from cryptography.hazmat.primitives import serialization
    from google.auth.transport.requests import AuthorizedSession, Request
    from google.oauth2 import service_account

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    info = {
        "type": "service_account",
        "project_id": "p",
        "private_key_id": "k",
        "private_key": pem,
        "client_email": SA,
        "client_id": "1",
        "token_uri": "https://oauth2.googleapis.com/token",
    }
    creds = service_account.Credentials.from_service_account_info(
        info, scopes=["https://www.googleapis.com/auth/drive"]
    )

    def gclient(c: Any) -> gspread.Client:
        session = AuthorizedSession(c, auth_request=Request(session=fake.session()))
        return gspread.Client(None, session=fake.mount(session))

    with pytest.raises(APIError) as exc:
        gclient(creds).create("KK")
    assert api_error(exc)["errors"][0]["reason"] == "storageQuotaExceeded"
    sh = gclient(creds.with_subject(PEP)).create("KK")  # domain-wide delegation
    assert fake.file(sh.id).owner == PEP


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
