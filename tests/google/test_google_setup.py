"""First contact with a real Google account: each set-up snag, run through the real CLI
(click's CliRunner, OAuth credentials refreshed at the fake's token endpoint), prints the
right advice in Indonesian, exits 3 and shows no traceback."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

import sheets_sync.cli.google_commands  # noqa: F401  (registers the commands)
from sheets_sync.adapters.google import auth
from sheets_sync.adapters.google.http import RateLimiter
from sheets_sync.cli.main import main
from tests.conftest import small_config_data, write_config
from tests.fakegoogle import FakeGoogle

PEP = "pep@setwan.example"
GUEST = "bagian2@setwan.example"  # a section address with no Google account
CLIENT = "kantor.apps.googleusercontent.com"


class Office:
    """A config folder whose Google backend is the in-process fake, as `sync` sees it."""

    def __init__(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, **google: Any) -> None:
        self.fake = FakeGoogle(seed=5, default_user=PEP)
        self.root = tmp_path
        self.refresh_token = self.fake.refresh_token_for(PEP)
        self.data = small_config_data(sections=2, indicators=2)
        self.data["backend"] = {"kind": "google", "google": {"auth": "oauth", **google}}
        self.write()
        self.tmp = self.config.parent
        self.token({"issued_at": "2026-01-01T08:00:00+00:00"})
        monkeypatch.setattr(auth, "default_mount", self.fake.mount)
        monkeypatch.setattr(RateLimiter, "acquire", lambda self, *kind: 0.0)  # no real waiting

    def write(self) -> None:
        self.config = write_config(self.root, self.data)

    def token(self, extra: dict[str, Any] | None = None) -> None:
        data = {"type": "authorized_user", "client_id": CLIENT, "client_secret": "x",
                "refresh_token": self.refresh_token,
                "token_uri": "https://oauth2.googleapis.com/token", "account": PEP,
                **(extra or {})}
        (self.tmp / "authorized_user.json").write_text(json.dumps(data))

    def run(self, *args: str) -> Result:
        result = CliRunner().invoke(main, ["--config", str(self.config), *args])
        assert "Traceback" not in result.output, result.output
        assert not isinstance(result.exception, Exception) or isinstance(
            result.exception, SystemExit), repr(result.exception)
        return result


def _text(result: Result) -> str:
    return " ".join(result.output.split())


@pytest.fixture
def office(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Office:
    return Office(tmp_path, monkeypatch)


# ---------------------------------------------------------------------- 403s told apart

@pytest.mark.parametrize("api", ["sheets", "drive"])
def test_an_api_not_enabled_says_enable_it_with_the_console_link(
        office: Office, api: str) -> None:
    office.fake.office.disable_api(api, project="424242424242")
    result = office.run("distribute")
    out = _text(result)
    assert result.exit_code == 3
    name = "Google Sheets API" if api == "sheets" else "Google Drive API"
    assert f"{name} belum diaktifkan" in out and "424242424242" in out
    service = "sheets.googleapis.com" if api == "sheets" else "drive.googleapis.com"
    assert f"apis/api/{service}/overview?project=424242424242" in out
    assert "sebagai Editor" not in out  # not the old "share the file" advice


def test_a_token_without_a_scope_says_sign_in_again(office: Office) -> None:
    office.fake.office.grant_scopes(office.refresh_token, ["spreadsheets"])
    result = office.run("distribute")
    out = _text(result)
    assert result.exit_code == 3
    assert "ACCESS_TOKEN_SCOPE_INSUFFICIENT" in out and "sync auth login" in out
    assert "centang" in out and "sebagai Editor" not in out


def test_the_sharing_limit_says_wait(office: Office) -> None:
    office.fake.office.sharing_limit(after=0)
    result = office.run("distribute")
    out = _text(result)
    assert result.exit_code == 3
    assert "sharingRateLimitExceeded" in out and "Tunggu" in out
    assert "sebagai Editor" not in out


def test_a_file_not_shared_still_says_share_it(office: Office) -> None:
    office.data["backend"]["google"]["template_id"] = office.fake.create_spreadsheet(
        "Templat kantor", owner="kepala@setwan.example")
    office.write()
    result = office.run("distribute")
    assert result.exit_code == 3
    assert "template_id" in _text(result) and "Bagikan" in _text(result)


# ---------------------------------------------------------------------- accounts

def test_an_address_without_a_google_account_is_invited_and_named(office: Office) -> None:
    office.data["backend"]["google"]["sharing"] = {"notify": False}
    office.write()
    office.fake.office.no_google_account(GUEST)
    result = office.run("distribute")
    assert result.exit_code == 0, result.output
    assert GUEST in result.output and "undangan" in result.output
    assert [n.to for n in office.fake.notifications] == [GUEST]  # only the invitation
    assert office.fake.notifications[0].message  # with the configured message
    books = [f for f in office.fake.files.values()
             if any(p.email_address == GUEST for p in f.permissions)]
    assert len(books) == 1


def test_doctor_lists_addresses_without_a_google_account_before_distribute(
        office: Office) -> None:
    office.fake.office.no_google_account(GUEST)
    result = office.run("doctor")
    out = _text(result)
    assert result.exit_code == 3
    assert f"belum punya akun Google: {GUEST}" in out
    assert office.fake.notifications == []  # nobody was e-mailed
    left = [f for f in office.fake.files.values() if "doctor" in f.name]
    assert left == []  # the probe folder is gone


# ---------------------------------------------------------------------- doctor

def test_doctor_calls_each_api_and_shows_scopes_and_the_login_date(office: Office) -> None:
    result = office.run("doctor")
    out = _text(result)
    assert result.exit_code == 0, result.output
    assert "Google Drive API dapat dipakai" in out and "Google Sheets API dapat dipakai" in out
    assert office.fake.count(api="sheets") >= 1 and office.fake.count(api="drive") >= 1
    assert "Cakupan izin (scopes): spreadsheets, drive: lengkap" in out
    assert "01-01-2026" in out and "Testing" in out


def test_doctor_names_a_missing_scope(office: Office) -> None:
    office.fake.office.grant_scopes(office.refresh_token, ["drive"])
    result = office.run("doctor")
    out = _text(result)
    assert result.exit_code == 3
    assert "tidak ada: spreadsheets" in out and "sync auth login" in out


def test_doctor_with_the_sheets_api_off(office: Office) -> None:
    office.fake.office.disable_api("sheets", project="777")
    result = office.run("doctor")
    out = _text(result)
    assert result.exit_code == 3
    assert "Google Drive API dapat dipakai: panggilan uji berhasil" in out
    assert "Google Sheets API belum diaktifkan" in out and "project=777" in out


def test_doctor_lists_folder_access_beyond_the_config(office: Office) -> None:
    folder = office.fake.create_folder("Kinerja 2026", owner=PEP)
    office.fake.share(folder, "semua.staf@setwan.example", "reader")
    office.fake.share(folder, "bagian1@setwan.example", "writer")  # in the config: fine
    office.data["backend"]["google"]["folder_id"] = folder
    office.write()
    result = office.run("doctor")
    out = _text(result)
    assert result.exit_code == 3
    assert "semua.staf@setwan.example" in out and "SEMUA kertas kerja" in out
    assert "bagian1@setwan.example" not in out.split("Akses bawaan folder")[1].split("\n")[0]


# ---------------------------------------------------------------------- login

def test_a_login_that_expired_explains_testing_apps_and_publishing(office: Office) -> None:
    office.fake.office.revoke(office.refresh_token)
    result = office.run("status")
    out = _text(result)
    assert result.exit_code == 3
    assert "invalid_grant" in out and "Testing" in out and "7 hari" in out
    assert "Internal" in out and "In production" in out and "sync auth login" in out


def test_auth_login_with_a_scope_unticked(office: Office, monkeypatch: pytest.MonkeyPatch
                                          ) -> None:
    (office.tmp / "credentials.json").write_text(json.dumps({"installed": {
        "client_id": CLIENT, "client_secret": "x"}}))

    def unticked(secret: Path, scopes: tuple[str, ...]) -> Any:
        w = Warning('Scope has changed from "a b" to "a".')
        w.new_scope = ["https://www.googleapis.com/auth/spreadsheets"]  # type: ignore[attr-defined]
        raise w

    monkeypatch.setattr(auth, "run_installed_app_flow", unticked)
    before = (office.tmp / "authorized_user.json").read_text()
    result = office.run("auth", "login")
    out = _text(result)
    assert result.exit_code == 3
    assert "tidak dicentang" in out and "Google Drive" in out and "sync auth login" in out
    assert (office.tmp / "authorized_user.json").read_text() == before  # nothing saved


def test_auth_login_records_when_it_was_made(office: Office, monkeypatch: pytest.MonkeyPatch
                                             ) -> None:
    (office.tmp / "credentials.json").write_text(json.dumps({"installed": {
        "client_id": CLIENT, "client_secret": "x"}}))
    monkeypatch.setattr(auth, "run_installed_app_flow",
                        lambda secret, scopes: office.fake.credentials(PEP))
    result = office.run("auth", "login")
    assert result.exit_code == 0, result.output
    saved = json.loads((office.tmp / "authorized_user.json").read_text())
    assert saved["account"] == PEP
    issued = datetime.fromisoformat(saved["issued_at"])
    assert abs((datetime.now(UTC) - issued).total_seconds()) < 120


def test_a_long_watch_explains_an_expired_login_once_and_keeps_going(
        office: Office, monkeypatch: pytest.MonkeyPatch) -> None:
    from sheets_sync.service.clock import SystemClock

    token = office.fake.token_for(PEP)
    office.token({"token": token, "issued_at": "2026-01-01T08:00:00+00:00"})
    sleeps: list[float] = []

    def sleep(_clock: SystemClock, seconds: float, _stop: object) -> None:
        sleeps.append(seconds)
        if len(sleeps) == 1:  # the 7th day: the access token ends, the refresh is refused
            office.fake.tokens.pop(token)
            office.fake.office.revoke(office.refresh_token)
        if len(sleeps) == 4:
            raise KeyboardInterrupt

    monkeypatch.setattr(SystemClock, "sleep", sleep)
    result = CliRunner().invoke(main, ["--config", str(office.config), "watch",
                                       "--interval", "5"])
    out = " ".join(result.output.split())
    assert "Traceback" not in out and result.exit_code == 130
    assert out.count("invalid_grant") == 3  # every failed cycle is reported...
    assert out.count("7 hari") == 1  # ...the explanation once
    assert len(sleeps) == 4  # and it kept going
