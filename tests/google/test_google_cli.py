"""The Google commands' CLI frame: registered, plain, and safe without Google."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

import sheets_sync.cli.google_commands  # noqa: F401  (registers the commands)
from sheets_sync.cli.main import main
from tests.conftest import small_config_data, write_config


def _run(config: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--config", str(config), *args])
    return result.exit_code, result.output


def test_doctor_on_the_local_backend_has_nothing_to_check(tmp_path: Path) -> None:
    code, out = _run(write_config(tmp_path, small_config_data()), "doctor")
    assert code == 0 and "lokal" in out


def test_login_is_not_needed_for_a_service_account(tmp_path: Path) -> None:
    data = small_config_data()
    data["backend"] = {"kind": "google", "google": {"auth": "service_account"}}
    code, out = _run(write_config(tmp_path, data), "auth", "login")
    assert code == 0 and "tidak perlu login" in " ".join(out.split())


def test_doctor_without_credentials_says_what_to_do_and_exits_3(tmp_path: Path) -> None:
    data = small_config_data()
    data["backend"] = {"kind": "google", "google": {"auth": "oauth"}}
    code, out = _run(write_config(tmp_path, data), "doctor")
    assert code == 3
    assert "✗" in out and "sync auth login" in out and "Traceback" not in out


def test_auth_status_without_token_is_a_plain_backend_error(tmp_path: Path) -> None:
    data = small_config_data()
    data["backend"] = {"kind": "google", "google": {"auth": "oauth"}}
    code, out = _run(write_config(tmp_path, data), "auth", "status")
    assert code == 3 and "sync auth login" in out
