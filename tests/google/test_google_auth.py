"""The three credential set-ups, loaded from files made inside the test; the fake's oauth2
token endpoint answers refreshes and JWT assertions (no network)."""

from __future__ import annotations

import json
import stat
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from sheets_sync.adapters.google import GoogleStore
from sheets_sync.adapters.google.auth import load_credentials, login
from sheets_sync.adapters.google.doctor import run_doctor
from sheets_sync.domain.models import Config
from sheets_sync.domain.patch import SheetPatch, WorkbookPatch
from sheets_sync.ports import BackendError, Role, Tags
from tests.fakegoogle import FakeGoogle
from tests.google.test_google_support import PEP, PERIOD, SA, make_config

TOKEN_URI = "https://oauth2.googleapis.com/token"


@pytest.fixture(scope="module")
def pem() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode()


def sa_json(pem: str, email: str = SA) -> dict[str, Any]:
    return {
        "type": "service_account", "project_id": "kinerja-setwan",
        "private_key_id": "0123456789abcdef", "private_key": pem, "client_email": email,
        "client_id": "123456789012345678901", "token_uri": TOKEN_URI,
        "auth_uri": "https://accounts.google.com/o/oauth2/auth",
    }


def config_for(fake: FakeGoogle, **google: Any) -> Config:
    config = make_config()
    return config.model_copy(update={"backend": config.backend.model_copy(update={
        "kind": "google", "google": config.backend.google.model_copy(update=google)})})


def user_token(fake: FakeGoogle, tmp_path: Path, refresh_token: str | None = None) -> None:
    data = {"type": "authorized_user", "client_id": "x.apps.googleusercontent.com",
            "client_secret": "not-a-real-secret",
            "refresh_token": refresh_token or fake.refresh_token_for(PEP),
            "token_uri": TOKEN_URI, "account": PEP}
    (tmp_path / "authorized_user.json").write_text(json.dumps(data))


def _works(store: GoogleStore) -> str:
    ref = store.create("t", Tags(Role.recap, PERIOD),
                       WorkbookPatch([SheetPatch("A", values={(1, 1): "ok"})]))
    assert store.read(ref, ["A"]) == {"A": [["ok"]]}
    return ref.id


def test_oauth_token_is_refreshed_and_saved_back_0600(tmp_path: Path) -> None:
    fake = FakeGoogle()
    user_token(fake, tmp_path)
    store = GoogleStore.from_config(config_for(fake, auth="oauth"), tmp_path, mount=fake.mount)
    assert fake.file(_works(store)).owner == PEP
    token = tmp_path / "authorized_user.json"
    assert stat.S_IMODE(token.stat().st_mode) == 0o600
    saved = json.loads(token.read_text())
    assert saved["token"] == fake.token_for(PEP) and saved["account"] == PEP


def test_revoked_oauth_token_says_login_again(tmp_path: Path) -> None:
    fake = FakeGoogle()
    user_token(fake, tmp_path, refresh_token="1//revoked")
    with pytest.raises(BackendError) as err:
        GoogleStore.from_config(config_for(fake, auth="oauth"), tmp_path, mount=fake.mount)
    assert "invalid_grant" in err.value.message and "sync auth login" in err.value.hint
    assert "1//revoked" not in err.value.message + err.value.hint  # never a credential


def test_missing_and_malformed_files(tmp_path: Path, pem: str) -> None:
    fake = FakeGoogle()
    with pytest.raises(BackendError, match="tidak ditemukan") as err:
        load_credentials(config_for(fake, auth="oauth").backend.google, tmp_path)
    assert "sync auth login" in err.value.hint
    with pytest.raises(BackendError, match="tidak ditemukan"):
        load_credentials(config_for(fake, auth="service_account").backend.google, tmp_path)
    (tmp_path / "credentials.json").write_text("{not json")
    with pytest.raises(BackendError, match="bukan JSON"):
        load_credentials(config_for(fake, auth="service_account").backend.google, tmp_path)
    broken = sa_json("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")
    (tmp_path / "credentials.json").write_text(json.dumps(broken))
    with pytest.raises(BackendError, match="rusak") as err:
        load_credentials(config_for(fake, auth="service_account").backend.google, tmp_path)
    assert "AAAA" not in err.value.message
    (tmp_path / "credentials.json").write_text(json.dumps({"installed": {}}))
    with pytest.raises(BackendError, match="bukan kunci akun layanan"):
        load_credentials(config_for(fake, auth="service_account").backend.google, tmp_path)
    (tmp_path / "authorized_user.json").write_text(json.dumps({"type": "authorized_user"}))
    with pytest.raises(BackendError, match="tidak lengkap"):
        load_credentials(config_for(fake, auth="oauth").backend.google, tmp_path)


def test_service_account_in_a_shared_drive(tmp_path: Path, pem: str) -> None:
    fake = FakeGoogle()
    drive = fake.create_shared_drive("Kinerja", {SA: "fileOrganizer", PEP: "organizer"})
    folder = fake.create_folder("2026", shared_drive=drive, owner=PEP)
    (tmp_path / "sa.json").write_text(json.dumps(sa_json(pem)))
    config = config_for(fake, auth="service_account", credentials="sa.json", folder_id=folder)
    store = GoogleStore.from_config(config, tmp_path, mount=fake.mount)
    file_id = _works(store)
    assert fake.file(file_id).drive_id == drive
    assert {r.user for r in fake.requests if r.api != "oauth"} == {SA}


def test_service_account_without_shared_drive_explains_quota(tmp_path: Path, pem: str) -> None:
    fake = FakeGoogle()
    (tmp_path / "credentials.json").write_text(json.dumps(sa_json(pem)))
    store = GoogleStore.from_config(config_for(fake, auth="service_account"), tmp_path,
                                    mount=fake.mount)
    with pytest.raises(BackendError) as err:
        _works(store)
    assert "storageQuotaExceeded" in err.value.message and "delegated" in err.value.hint


def test_delegated_service_account_acts_as_the_subject(tmp_path: Path, pem: str) -> None:
    fake = FakeGoogle()
    (tmp_path / "credentials.json").write_text(json.dumps(sa_json(pem)))
    config = config_for(fake, auth="delegated", subject=PEP)
    store = GoogleStore.from_config(config, tmp_path, mount=fake.mount)
    assert fake.file(_works(store)).owner == PEP
    with pytest.raises(BackendError, match="subject"):
        load_credentials(config_for(fake, auth="delegated").backend.google, tmp_path)


def test_no_access_to_the_template_names_its_id(tmp_path: Path, pem: str) -> None:
    fake = FakeGoogle()
    template = fake.create_spreadsheet("Templat milik orang lain", owner="lain@example.com")
    user_token(fake, tmp_path)
    config = config_for(fake, auth="oauth", template_id=template)
    store = GoogleStore.from_config(config, tmp_path, mount=fake.mount)
    ref = store.find(PERIOD)  # nothing yet
    assert ref == []
    from sheets_sync.ports import FileRef

    with pytest.raises(BackendError) as err:
        store.copy(FileRef(template, "Templat", Tags(Role.template, PERIOD)), "x",
                   Tags(Role.section, PERIOD, "umum"))
    assert f"template_id: {template}" in err.value.message and PEP in err.value.hint


def test_login_saves_the_token_0600_with_the_account(tmp_path: Path) -> None:
    fake = FakeGoogle()
    (tmp_path / "credentials.json").write_text(json.dumps({"installed": {
        "client_id": "x.apps.googleusercontent.com", "client_secret": "s",
        "auth_uri": "https://accounts.google.com/o/oauth2/auth", "token_uri": TOKEN_URI,
        "redirect_uris": ["http://localhost"]}}))
    seen: list[tuple[str, ...]] = []

    def run_flow(secret: Path, scopes: tuple[str, ...]) -> Any:
        seen.append(scopes)
        return fake.credentials(PEP)

    settings = config_for(fake, auth="oauth").backend.google
    token, account = login(settings, tmp_path, run_flow=run_flow, session=fake.session())
    assert account == PEP and token == tmp_path / "authorized_user.json"
    assert stat.S_IMODE(token.stat().st_mode) == 0o600
    assert "https://www.googleapis.com/auth/drive" in seen[0]
    assert load_credentials(settings, tmp_path).account == PEP


def test_doctor_all_good_for_a_service_account_in_a_shared_drive(tmp_path: Path,
                                                                  pem: str) -> None:
    fake = FakeGoogle()
    drive = fake.create_shared_drive("Kinerja", {SA: "fileOrganizer", PEP: "organizer"})
    folder = fake.create_folder("2026", shared_drive=drive, owner=PEP)
    template = fake.create_spreadsheet("Templat", owner=PEP)
    fake.share(template, SA, "writer")
    (tmp_path / "credentials.json").write_text(json.dumps(sa_json(pem)))
    config = config_for(fake, auth="service_account", folder_id=folder, template_id=template)
    checks = run_doctor(config, tmp_path, mount=fake.mount)
    assert [c.ok for c in checks if c.ok is False] == [], checks
    assert any("Shared Drive" in c.detail for c in checks)


def test_doctor_points_at_what_to_fix(tmp_path: Path, pem: str) -> None:
    fake = FakeGoogle()
    (tmp_path / "credentials.json").write_text(json.dumps(sa_json(pem)))
    folder = fake.create_folder("Punya PEP", owner=PEP)  # not shared with the service account
    config = config_for(fake, auth="service_account", folder_id=folder, template_id="1nope")
    checks = {c.label: c for c in run_doctor(config, tmp_path, mount=fake.mount)}
    failed = {label for label, c in checks.items() if c.ok is False}
    assert any("template_id" in label for label in failed)
    assert any("folder_id" in label for label in failed)
    assert any("storage quota" in label for label in failed)
    template_check = next(c for label, c in checks.items() if "template_id" in label)
    assert "1nope" in template_check.detail and SA in template_check.hint


def test_auth_login_checks_credentials_json_before_promising_a_browser(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pem: str) -> None:
    from tests.google.test_google_setup import Office, _text

    office = Office(tmp_path, monkeypatch)
    (office.tmp / "credentials.json").write_text(json.dumps(sa_json(pem)))  # not OAuth
    result = office.run("auth", "login")
    out = _text(result)
    assert result.exit_code == 3
    assert "bukan client secret OAuth" in out and "Desktop app" in out
    assert "Peramban" not in out and "akan terbuka" not in out


def test_login_without_a_browser_prints_the_address_to_copy(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """A computer where Python finds no browser: the address is printed (not a crash), with
    what to do with it. The local server then waits; stop it there (no network)."""
    import webbrowser

    from google_auth_oauthlib import flow as oauth_flow

    from sheets_sync.adapters.google.auth import run_installed_app_flow

    def no_browser(*_a: Any, **_k: Any) -> Any:
        raise webbrowser.Error("could not locate runnable browser")

    class Waiting(Exception):
        pass

    def stop(_self: Any) -> None:
        raise Waiting

    monkeypatch.setattr(webbrowser, "get", no_browser)
    monkeypatch.setattr(oauth_flow._ExclusiveWSGIServer, "handle_request", stop)
    secret = tmp_path / "credentials.json"
    secret.write_text(json.dumps({"installed": {
        "client_id": "x.apps.googleusercontent.com", "client_secret": "s",
        "auth_uri": "https://accounts.google.com/o/oauth2/auth", "token_uri": TOKEN_URI,
        "redirect_uris": ["http://localhost"]}}))
    with pytest.raises(Waiting):
        run_installed_app_flow(secret, ("https://www.googleapis.com/auth/drive",))
    out = " ".join(capsys.readouterr().out.split())
    assert "salin alamat" in out and "komputer ini" in out
    assert "https://accounts.google.com/o/oauth2/auth?" in out
    assert "redirect_uri=http%3A%2F%2Flocalhost" in out
