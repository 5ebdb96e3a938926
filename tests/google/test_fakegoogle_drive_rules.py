"""Drive rules the fake enforces as Google does (tests/fakegoogle/rules_drive.py, schema.py's
coercions): one test per rule, the refused request beside one Google accepts."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from tests.fakegoogle import FakeGoogle

USER = "pep@example.go.id"
OTHER = "kabag@example.go.id"
DRIVE = "https://www.googleapis.com/drive/v3/files"


@pytest.fixture
def fake() -> FakeGoogle:
    return FakeGoogle(default_user=USER)


def _share(fake: FakeGoogle, fid: str, body: dict[str, Any], **params: str) -> requests.Response:
    return fake.session(USER).post(f"{DRIVE}/{fid}/permissions", params=params, json=body)


def _refused(resp: requests.Response, status: int, reason: str) -> None:
    assert resp.status_code == status, resp.text
    assert resp.json()["error"]["errors"][0]["reason"] == reason, resp.text


def _in(fake: FakeGoogle, days: float) -> str:
    from tests.fakegoogle.core import rfc3339

    return rfc3339(fake.clock.now() + days * 86400)


# ---------------------------------------------------------------- permissions
def test_ownership_change_by_update_needs_transfer_ownership(fake: FakeGoogle) -> None:
    fid = fake.create_spreadsheet("Rekap")
    pid = _share(fake, fid, {"type": "user", "role": "writer", "emailAddress": OTHER}).json()["id"]
    url = f"{DRIVE}/{fid}/permissions/{pid}"
    _refused(fake.session(USER).patch(url, json={"role": "owner"}), 403, "forbidden")
    assert fake.file(fid).owner == USER
    ok = fake.session(USER).patch(url, params={"transferOwnership": "true"}, json={"role": "owner"})
    assert ok.status_code == 200, ok.text
    assert fake.file(fid).owner == OTHER
    roles = {p.email_address: p.role for p in fake.file(fid).permissions}
    assert roles[USER] == "writer"  # the old owner is downgraded to a writer


def test_notification_parameters_only_for_users_and_groups(fake: FakeGoogle) -> None:
    fid = fake.create_spreadsheet("Rekap")
    anyone = {"type": "anyone", "role": "reader"}
    domain = {"type": "domain", "role": "reader", "domain": "example.go.id"}
    _refused(_share(fake, fid, anyone, sendNotificationEmail="true"), 400, "invalidSharingRequest")
    _refused(_share(fake, fid, domain, emailMessage="Silakan"), 400, "invalidSharingRequest")
    assert _share(fake, fid, domain).ok
    assert _share(fake, fid, {"type": "user", "role": "reader", "emailAddress": OTHER},
                  sendNotificationEmail="true", emailMessage="Silakan").ok


def test_ownership_transfer_must_notify(fake: FakeGoogle) -> None:
    fid = fake.create_spreadsheet("Rekap")
    owner = {"type": "user", "role": "owner", "emailAddress": OTHER}
    _refused(_share(fake, fid, owner, transferOwnership="true", sendNotificationEmail="false"),
             400, "forbidden")
    assert fake.file(fid).owner == USER
    assert _share(fake, fid, owner, transferOwnership="true").ok


def test_only_a_user_can_be_owner(fake: FakeGoogle) -> None:
    fid = fake.create_spreadsheet("Rekap")
    group = {"type": "group", "role": "owner", "emailAddress": "tim@example.go.id"}
    _refused(_share(fake, fid, group, transferOwnership="true"), 400, "invalidSharingRequest")
    assert fake.file(fid).owner == USER
    assert _share(fake, fid, {**group, "role": "writer"}).ok


def test_expiration_only_on_user_and_group_permissions_in_the_future(fake: FakeGoogle) -> None:
    fid = fake.create_spreadsheet("Rekap")
    user = {"type": "user", "role": "reader", "emailAddress": OTHER}
    _refused(_share(fake, fid, {"type": "anyone", "role": "reader", "expirationTime": _in(fake, 7)}),
             400, "cannotSetExpirationOnAnyoneOrDomain")
    _refused(_share(fake, fid, {**user, "expirationTime": _in(fake, -1)}), 400,
             "expirationDatesMustBeInTheFuture")
    _refused(_share(fake, fid, {**user, "expirationTime": _in(fake, 400)}), 400,
             "expirationDateTooFarInTheFuture")
    ok = _share(fake, fid, {**user, "expirationTime": _in(fake, 7)}, fields="id,expirationTime")
    assert ok.status_code == 200 and ok.json()["expirationTime"] == _in(fake, 7)
    pid = _share(fake, fid, {"type": "anyone", "role": "reader"}).json()["id"]
    _refused(fake.session(USER).patch(f"{DRIVE}/{fid}/permissions/{pid}",
                                      json={"expirationTime": _in(fake, 7)}),
             400, "cannotSetExpirationOnAnyoneOrDomain")


# ---------------------------------------------------------------- files
def test_a_file_has_one_parent(fake: FakeGoogle) -> None:
    a, b = fake.create_folder("A"), fake.create_folder("B")
    src = fake.create_spreadsheet("Templat", parent=a)
    session = fake.session(USER)
    folder = "application/vnd.google-apps.folder"
    _refused(session.post(DRIVE, json={"name": "x", "mimeType": folder, "parents": [a, b]}),
             403, "cannotAddParent")
    _refused(session.post(f"{DRIVE}/{src}/copy", json={"parents": [a, b]}), 403, "cannotAddParent")
    _refused(session.patch(f"{DRIVE}/{src}", params={"addParents": b}), 403, "cannotAddParent")
    assert fake.file(src).parents == [a]
    moved = session.patch(f"{DRIVE}/{src}", params={"addParents": b, "removeParents": a})
    assert moved.ok and fake.file(src).parents == [b]
    assert session.post(f"{DRIVE}/{src}/copy", json={"parents": [a]}).ok


def test_at_most_30_private_properties_per_application(fake: FakeGoogle) -> None:
    fid = fake.create_spreadsheet("Rekap")
    session = fake.session(USER)
    thirty = {f"k{i}": "v" for i in range(30)}
    assert session.patch(f"{DRIVE}/{fid}", json={"appProperties": thirty}).ok
    _refused(session.patch(f"{DRIVE}/{fid}", json={"appProperties": {"k30": "v"}}), 400,
             "invalidProperty")
    assert len(fake.file(fid).app_properties) == 30
    # removing one (a null value) makes room
    assert session.patch(f"{DRIVE}/{fid}", json={"appProperties": {"k0": None, "k30": "v"}}).ok
    _refused(session.post(DRIVE, json={"name": "x", "properties": {f"p{i}": "v" for i in range(31)}}),
             400, "invalidProperty")
    assert not any(f.name == "x" for f in fake.files.values())  # nothing created


def test_property_key_and_value_at_most_124_bytes(fake: FakeGoogle) -> None:
    fid = fake.create_spreadsheet("Rekap")
    session = fake.session(USER)
    _refused(session.patch(f"{DRIVE}/{fid}", json={"appProperties": {"k" * 10: "é" * 58}}),
             400, "invalidProperty")  # 10 + 116 bytes in UTF-8
    assert session.patch(f"{DRIVE}/{fid}", json={"appProperties": {"k" * 10: "v" * 114}}).ok


# ---------------------------------------------------------------- what Google accepts
def test_page_size_above_the_maximum_is_coerced(fake: FakeGoogle) -> None:
    fid = fake.create_spreadsheet("Rekap")
    session = fake.session(USER)
    listed = session.get(DRIVE, params={"pageSize": "5000", "q": "trashed = false"})
    assert listed.status_code == 200, listed.text
    assert [f["id"] for f in listed.json()["files"]] == [fid]
    perms = session.get(f"{DRIVE}/{fid}/permissions", params={"pageSize": "500"})
    assert perms.status_code == 200, perms.text
    _refused(session.get(DRIVE, params={"pageSize": "-1"}), 400, "invalid")


def test_search_terms_of_the_reference_are_accepted(fake: FakeGoogle) -> None:
    fid = fake.create_spreadsheet("Rekap")
    session = fake.session(USER)

    def ids(q: str) -> list[str]:
        listed = session.get(DRIVE, params={"q": q})
        assert listed.status_code == 200, (q, listed.text)
        return [f["id"] for f in listed.json()["files"]]

    assert ids("visibility = 'limited'") == [fid]
    assert ids("visibility = 'anyoneWithLink'") == []
    assert _share(fake, fid, {"type": "anyone", "role": "reader"}).ok
    assert ids("visibility = 'anyoneWithLink'") == [fid]
    assert ids("viewedByMeTime > '2024-01-01T00:00:00Z'") == []
    assert ids("shortcutDetails.targetId = 'x'") == []
    _refused(session.get(DRIVE, params={"q": "visibility = 'everyone'"}), 400, "invalid")
