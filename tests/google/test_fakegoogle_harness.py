"""Tests of tests/fakegoogle as a harness: the request log and injected faults, OAuth and
service-account credentials, no network, threads, writes as another user, and the replay
of recorded Google traffic."""

from __future__ import annotations

import io
from typing import Any

import gspread
import pytest
import requests
from gspread.exceptions import APIError

from tests.fakegoogle import PROTECTED_MESSAGE, FakeGoogle
from tests.google.fakegoogle_helpers import (
    CASSETTES,
    DRIVE_FILES,
    PEP,
    SA,
    SECTION,
    api_error,
    client,
    protected_sheet,
)
from tests.google.offline import no_network  # noqa: F401  (the fixture: no sockets)


@pytest.fixture
def fake() -> FakeGoogle:
    return FakeGoogle(seed=0, default_user=PEP)


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


# ---------------------------------------------------------------- fidelity
@pytest.mark.skipif(not CASSETTES.is_dir(), reason="reference cassettes not present")
def test_replay_of_recorded_google_traffic_has_no_mismatch() -> None:
    from tests.fakegoogle.replay import run

    out = io.StringIO()
    results = run(CASSETTES, out)
    mismatched = [r for r in results if r.status == "mismatched"]
    assert not mismatched, out.getvalue()
    assert sum(r.status == "matched" for r in results) >= 100


def test_write_as_goes_through_the_api(fake: FakeGoogle) -> None:
    sh, _ = protected_sheet(fake)
    fake.reset_counts()
    assert fake.write_as(SECTION, sh.id, "Sheet1!C2", [["7"]]).status_code == 200
    r = fake.write_as(SECTION, sh.id, "Sheet1!B2", [["7"]])
    assert r.status_code == 400 and r.json()["error"]["message"] == PROTECTED_MESSAGE
    assert fake.count(op="values.update", user=SECTION) == 2
    assert fake.file(sh.id).last_modifying_user == SECTION


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
