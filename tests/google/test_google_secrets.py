"""No credential, token or key in any output, log or error (issue 9, item 7): every command
runs with credential files holding recognisable secrets, through the real credential loading
and token refresh (against the fake), and everything printed or logged is scanned."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

import sheets_sync.adapters as adapters
import sheets_sync.cli.google_commands  # noqa: F401  (registers the commands)
from sheets_sync.adapters.google import GoogleStore
from sheets_sync.adapters.google.http import RateLimiter
from sheets_sync.cli.main import main
from tests.conftest import small_config_data, write_config
from tests.fakegoogle import FakeGoogle

PEP = "pep@setwan.example"
CLIENT_SECRET = "GOCSPX-RAHASIA-klien-4f9a2c"
SA = "sheets-sync@kinerja-setwan.iam.gserviceaccount.com"

COMMANDS = [("distribute",), ("status",), ("validate",), ("recap",), ("watch", "--once"),
            ("status", "--format", "json"), ("validate", "--format", "csv"), ("doctor",),
            ("auth", "status"), ("distribute", "--revoke-extra")]


def _pem() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode()


def _setup(tmp_path: Path, auth: str, fake: FakeGoogle) -> tuple[Path, list[str]]:
    data = small_config_data()
    if auth == "oauth":
        folder = fake.create_folder("Data Kinerja", owner=PEP)
    else:  # a service account writes into a Shared Drive (it has no storage of its own)
        drive = fake.create_shared_drive("Data Kinerja", {SA: "fileOrganizer", PEP: "organizer"})
        folder = fake.create_folder("2026", owner=PEP, shared_drive=drive)
    data["backend"] = {"kind": "google", "google": {"auth": auth, "folder_id": folder}}
    config = write_config(tmp_path, data)
    if auth == "oauth":
        refresh = fake.refresh_token_for(PEP)
        token = {"client_id": "1234-klien.apps.googleusercontent.com",
                 "client_secret": CLIENT_SECRET, "refresh_token": refresh,
                 "token_uri": "https://oauth2.googleapis.com/token", "account": PEP}
        (config.parent / "authorized_user.json").write_text(json.dumps(token))
        (config.parent / "credentials.json").write_text(json.dumps(
            {"installed": {"client_id": token["client_id"], "client_secret": CLIENT_SECRET}}))
        secrets = [CLIENT_SECRET, refresh]
    else:
        pem = _pem()
        key_id = "9f8e7d6c5b4a39281706f5e4d3c2b1a0aabbccdd"
        (config.parent / "credentials.json").write_text(json.dumps({
            "type": "service_account", "project_id": "kinerja-setwan", "private_key_id": key_id,
            "private_key": pem, "client_email": SA, "client_id": "1122334455",
            "token_uri": "https://oauth2.googleapis.com/token"}))
        body = pem.split("-----")[2].replace("\n", "")
        secrets = [key_id, body[40:80], body[-60:-20]]
    for f in config.parent.glob("*.json"):
        os.chmod(f, 0o600)
    return config, secrets


def _open(fake: FakeGoogle, cfg: Any, base_dir: Path) -> GoogleStore:
    """The real credential loading and refresh, on the fake; no real waiting."""
    store = GoogleStore.from_config(cfg, base_dir, mount=lambda s: fake.mount(s))
    store.http.limiter = RateLimiter(300, burst=10_000)
    store.http.retry.sleep = lambda seconds: None
    return store


@pytest.mark.parametrize("auth", ["oauth", "service_account"])
def test_no_secret_in_any_output_or_log(tmp_path: Path, auth: str,
                                        monkeypatch: pytest.MonkeyPatch,
                                        caplog: pytest.LogCaptureFixture) -> None:
    fake = FakeGoogle(seed=2, default_user=PEP)
    config, secrets = _setup(tmp_path, auth, fake)

    monkeypatch.setattr(adapters, "open_store", lambda cfg, base: _open(fake, cfg, base))
    caplog.set_level(logging.DEBUG)
    printed = []
    runs = [*COMMANDS]
    for args in runs:
        result = CliRunner().invoke(main, ["--config", str(config), *args],
                                    env={"SHEETS_SYNC_NOW": "2026-10-07T10:00"})
        printed.append(result.output + (str(result.exception or "")))
    # and when Google refuses: the error messages too
    fake.fail_next(8, status=500)
    result = CliRunner().invoke(main, ["--config", str(config), "status"])
    printed.append(result.output)
    secrets += list(fake.tokens)  # the access tokens the fake handed out
    everything = "\n".join(printed) + "\n".join(r.getMessage() for r in caplog.records)
    assert "Traceback" not in everything
    leaked = [s for s in secrets if s and s in everything]
    assert leaked == []
    assert "Rekapitulasi" in everything  # the commands really worked against Google
    assert sum(f.app_properties.get("sheets_sync_role") == "section"
               for f in fake.files.values()) == 3


def test_a_credential_file_others_can_read_is_warned_about(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakeGoogle(seed=2, default_user=PEP)
    config, secrets = _setup(tmp_path, "oauth", fake)
    monkeypatch.setattr(adapters, "open_store", lambda cfg, base: _open(fake, cfg, base))
    token = config.parent / "authorized_user.json"
    os.chmod(token, 0o644)
    out = CliRunner().invoke(main, ["--config", str(config), "status"]).output
    flat = "".join(out.split())  # rich wraps long paths anywhere
    assert "authorized_user.json" in flat and "chmod600" in flat
    assert not any(s in out for s in secrets)
    os.chmod(token, 0o600)
    out = CliRunner().invoke(main, ["--config", str(config), "status"]).output
    assert "chmod 600" not in out
