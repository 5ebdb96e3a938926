"""The Google behaviours a real office meets (tests/fakegoogle/office.py): each off by
default, switched on here, answered in Google's own shape."""

from __future__ import annotations

import pytest
from google.auth.exceptions import RefreshError
from google.auth.transport.requests import Request

from tests.fakegoogle import FakeGoogle

USER = "pep@example.go.id"
GUEST = "tamu.tanpa.akun@yahoo.co.id"
SHEETS = "https://sheets.googleapis.com/v4/spreadsheets"
DRIVE = "https://www.googleapis.com/drive/v3/files"


@pytest.fixture
def fake() -> FakeGoogle:
    return FakeGoogle(default_user=USER)


def _share(fake: FakeGoogle, fid: str, email: str, notify: bool, user: str = USER) -> object:
    return fake.session(user).post(
        f"{DRIVE}/{fid}/permissions",
        params={"sendNotificationEmail": "true" if notify else "false", "emailMessage": "Mohon"},
        json={"type": "user", "role": "writer", "emailAddress": email})


def test_an_address_without_a_google_account(fake: FakeGoogle) -> None:
    sid = fake.create_spreadsheet("Kertas Kerja")
    assert _share(fake, sid, GUEST, notify=False).status_code == 200  # off by default
    fake.file(sid).permissions.pop()
    fake.office.no_google_account(GUEST)
    silent = _share(fake, sid, GUEST, notify=False)
    assert silent.status_code == 400
    assert silent.json()["error"]["errors"][0]["reason"] == "invalidSharingRequest"
    assert GUEST in silent.json()["error"]["message"]
    invited = _share(fake, sid, GUEST, notify=True)
    assert invited.status_code == 200
    assert fake.office.invitations == [(sid, GUEST)]
    assert [(n.to, n.message) for n in fake.notifications] == [(GUEST, "Mohon")]


@pytest.mark.parametrize("api", ["sheets", "drive"])
def test_an_api_not_enabled_answers_with_the_console_link(fake: FakeGoogle, api: str) -> None:
    sid = fake.create_spreadsheet("Kertas Kerja")
    fake.office.disable_api(api, project="987654321")
    url = f"{SHEETS}/{sid}" if api == "sheets" else f"{DRIVE}/{sid}"
    answer = fake.session(USER).get(url)
    assert answer.status_code == 403
    error = answer.json()["error"]
    assert "project 987654321" in error["message"] and error["status"] == "PERMISSION_DENIED"
    reasons = {d.get("reason") for d in error["details"]}
    assert "SERVICE_DISABLED" in reasons
    links = [link["url"] for d in error["details"] for link in d.get("links", [])]
    assert links and links[0].endswith("overview?project=987654321")
    if api == "drive":
        assert error["errors"][0]["reason"] == "accessNotConfigured"
    other = f"{DRIVE}/{sid}" if api == "sheets" else f"{SHEETS}/{sid}"
    assert fake.session(USER).get(other).ok  # only that API is off


def test_a_token_without_the_scope(fake: FakeGoogle) -> None:
    sid = fake.create_spreadsheet("Kertas Kerja")
    fake.office.grant_scopes(fake.token_for(USER), ["https://www.googleapis.com/auth/spreadsheets"])
    s = fake.session(USER)
    assert s.get(f"{SHEETS}/{sid}").ok
    refused = s.get(f"{DRIVE}/{sid}")
    assert refused.status_code == 403
    error = refused.json()["error"]
    assert error["details"][0]["reason"] == "ACCESS_TOKEN_SCOPE_INSUFFICIENT"
    assert error["errors"][0]["reason"] == "insufficientPermissions"


def test_the_sharing_rate_limit(fake: FakeGoogle) -> None:
    sid = fake.create_spreadsheet("Kertas Kerja")
    fake.office.sharing_limit(after=1)
    assert _share(fake, sid, "a@example.go.id", notify=False).status_code == 200
    limited = _share(fake, sid, "b@example.go.id", notify=False)
    assert limited.status_code == 403
    assert limited.json()["error"]["errors"][0]["reason"] == "sharingRateLimitExceeded"


def test_a_revoked_refresh_token_is_invalid_grant(fake: FakeGoogle) -> None:
    creds = fake.credentials(USER)
    creds.refresh(Request(fake.session()))  # works while not revoked
    fake.office.revoke(creds.refresh_token)
    with pytest.raises(RefreshError) as err:
        creds.refresh(Request(fake.session()))
    assert "invalid_grant" in str(err.value)


def test_granted_scopes_come_back_from_the_token_endpoint(fake: FakeGoogle) -> None:
    from google.oauth2.credentials import Credentials

    base = fake.credentials(USER)
    creds = Credentials(None, refresh_token=base.refresh_token, token_uri=base.token_uri,
                        client_id=base.client_id, client_secret=base.client_secret,
                        scopes=["https://www.googleapis.com/auth/spreadsheets",
                                "https://www.googleapis.com/auth/drive"])
    fake.office.grant_scopes(creds.refresh_token, ["spreadsheets"])
    creds.refresh(Request(fake.session()))
    assert creds.granted_scopes == ["https://www.googleapis.com/auth/spreadsheets"]


def test_permissions_inherited_from_a_my_drive_folder(fake: FakeGoogle) -> None:
    folder = fake.create_folder("Kinerja 2026")
    fake.share(folder, "semua.pegawai@example.go.id", "reader")
    sid = fake.create_spreadsheet("Kertas Kerja", parent=folder)
    url = f"{DRIVE}/{sid}/permissions"
    fields = {"fields": "permissions(emailAddress,role,permissionDetails)"}
    assert len(fake.session(USER).get(url, params=fields).json()["permissions"]) == 1
    fake.office.inherited_permissions = True
    perms = fake.session(USER).get(url, params=fields).json()["permissions"]
    inherited = [p for p in perms if p.get("permissionDetails")]
    assert [p["emailAddress"] for p in inherited] == ["semua.pegawai@example.go.id"]
    assert inherited[0]["permissionDetails"][0] == {
        "permissionType": "file", "role": "reader", "inheritedFrom": folder, "inherited": True}


def test_app_properties_are_private_to_the_oauth_client(fake: FakeGoogle) -> None:
    fake.office.private_app_properties = True
    sid = fake.create_spreadsheet("Kertas Kerja")
    mine = fake.session(USER)
    mine.patch(f"{DRIVE}/{sid}", json={"appProperties": {"periode": "2026-TW3"}})
    other = fake.session(USER)
    other.headers["Authorization"] = "Bearer " + fake.office.token_for_client(
        USER, "another-project.apps.googleusercontent.com")
    q = {"q": "appProperties has { key='periode' and value='2026-TW3' }",
         "fields": "files(id,appProperties)"}
    assert [f["id"] for f in mine.get(DRIVE, params=q).json()["files"]] == [sid]
    assert other.get(DRIVE, params=q).json()["files"] == []
    seen = other.get(f"{DRIVE}/{sid}", params={"fields": "id,appProperties"}).json()
    assert "appProperties" not in seen
    other.patch(f"{DRIVE}/{sid}", json={"appProperties": {"periode": "lain"}})
    assert mine.get(DRIVE, params=q).json()["files"][0]["appProperties"] == {
        "periode": "2026-TW3"}


def test_search_lags_behind_a_new_file(fake: FakeGoogle) -> None:
    fake.office.search_lag = 2
    s = fake.session(USER)
    made = s.post(DRIVE, json={"name": "Baru", "mimeType": "application/vnd.google-apps.folder"})
    q = {"q": "name = 'Baru'"}
    assert s.get(DRIVE, params=q).json()["files"] == []
    assert s.get(DRIVE, params=q).json()["files"] == []
    assert [f["id"] for f in s.get(DRIVE, params=q).json()["files"]] == [made.json()["id"]]
    assert s.get(f"{DRIVE}/{made.json()['id']}").ok  # files.get is not a search: no lag


def test_incomplete_search_with_all_drives(fake: FakeGoogle) -> None:
    drive = fake.create_shared_drive("Kinerja", [USER])
    fake.create_spreadsheet("Di Shared Drive", parent=drive)
    fake.create_spreadsheet("Di My Drive")
    params = {"corpora": "allDrives", "includeItemsFromAllDrives": "true",
              "supportsAllDrives": "true", "fields": "incompleteSearch,files(name)"}
    s = fake.session(USER)
    full = s.get(DRIVE, params=params).json()
    assert full["incompleteSearch"] is False and len(full["files"]) == 2
    fake.office.incomplete_search = True
    partial = s.get(DRIVE, params=params).json()
    assert partial["incompleteSearch"] is True
    assert [f["name"] for f in partial["files"]] == ["Di My Drive"]
    mine = s.get(DRIVE, params={"fields": "incompleteSearch,files(name)"}).json()
    assert mine["incompleteSearch"] is False  # corpora=user is searched in full
