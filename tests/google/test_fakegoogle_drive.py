"""Tests of tests/fakegoogle, Drive: files, copies, listing and its query language, modified
times, permissions, Shared Drives, rate limits, through the real gspread client and HTTP."""

from __future__ import annotations

import pytest
from gspread.exceptions import APIError

from tests.fakegoogle import FakeGoogle
from tests.fakegoogle.query import QueryError, parse
from tests.google.fakegoogle_helpers import (
    DRIVE_FILES,
    PEP,
    READER,
    SA,
    SECTION,
    api_error,
    client,
)
from tests.google.offline import no_network  # noqa: F401  (the fixture: no sockets)


@pytest.fixture
def fake() -> FakeGoogle:
    return FakeGoogle(seed=0, default_user=PEP)


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


def test_drive_rate_limit_is_a_403_with_a_reason(fake: FakeGoogle) -> None:
    s = fake.session()
    fake.fail_next(1, kind="403_rate_limit")
    r = s.get(DRIVE_FILES)
    assert r.status_code == 403
    assert r.json()["error"]["errors"][0]["reason"] == "userRateLimitExceeded"
    fake.fail_next(1, status=503)
    r = s.get("https://sheets.googleapis.com/v4/spreadsheets/x")
    assert r.status_code == 503 and r.json()["error"]["status"] == "UNAVAILABLE"
