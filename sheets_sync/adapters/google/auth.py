"""Credentials for the three supported set-ups (docs/design.md §8):

- `oauth`: the PEP account itself. `sync auth login` runs Google's installed-app flow with the
  client secret at `credentials` and stores the token at `token` (authorized_user.json, mode
  0600). The only set-up for consumer gmail accounts.
- `service_account`: a key file; the account has no Drive storage, so it writes into a folder
  of a Shared Drive (`folder_id`).
- `delegated`: a service account acting as a Workspace user (`subject`), with domain-wide
  delegation granted by the domain admin.

Scopes: `spreadsheets` + full `drive`. The narrower `drive.file` would only reach files this
app created or opened through a picker, so an office's own template (`template_id`), a folder
made in the browser, and files made on another computer with another client id would all be
invisible. No credential is ever printed or logged: messages name files and accounts only.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import requests
from google.auth.credentials import Credentials
from google.auth.exceptions import GoogleAuthError, RefreshError, TransportError
from google.auth.transport.requests import AuthorizedSession, Request
from google.oauth2 import service_account
from google.oauth2.credentials import Credentials as UserCredentials

from sheets_sync.ports import BackendError
from sheets_sync.settings.backend import GoogleBackend

SCOPES = (
    "https://www.googleapis.com/auth/spreadsheets",
    "https://www.googleapis.com/auth/drive",
)
ACCOUNT_KEY = "account"  # our addition to authorized_user.json: whose token it is (not secret)
ISSUED_KEY = "issued_at"  # our addition: when 'sync auth login' made the token (UTC, ISO)

Mount = Callable[[requests.Session], Any]  # tests mount the in-process fake with this
# Where the CLI's sessions get their transport when no `mount` is passed: None = the real
# network. Tests of the real CLI set it (monkeypatch) to mount the in-process fake.
default_mount: Mount | None = None

INVALID_GRANT_HINT = (
    "Penyebab yang paling sering: aplikasi OAuth di Google Cloud masih berstatus 'Testing', "
    "dan Google mematikan token login aplikasi Testing 7 hari setelah login. Penyebab lain: "
    "akses dicabut di myaccount.google.com > Keamanan > Aplikasi pihak ketiga, atau sandi "
    "akun diganti. Agar tidak terulang, terbitkan aplikasinya di Google Cloud Console > "
    "APIs & Services > OAuth consent screen (Audience): pilih 'Internal' bila akun PEP "
    "akun Google Workspace instansi, atau klik 'Publish app' (In production) untuk akun "
    "gmail biasa. Lalu jalankan 'sync auth login' lagi.")


@dataclass
class Loaded:
    credentials: Credentials
    account: str | None  # the e-mail the service acts as, where known without a call
    kind: str  # "oauth" | "service_account" | "delegated"
    source: Path  # the file the credentials came from
    issued_at: str | None = None  # when 'sync auth login' made the OAuth token, if recorded


def _path(base_dir: Path, name: str) -> Path:
    p = Path(name).expanduser()
    return p if p.is_absolute() else base_dir / p


def _read_json(path: Path, what: str, key: str) -> dict[str, Any]:
    if not path.is_file():
        raise BackendError(
            f"Berkas {what} tidak ditemukan: {path}.",
            hint=_missing_hint(key),
        )
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        raise BackendError(
            f"Berkas {what} {path} bukan JSON yang sah (rusak atau salah berkas).",
            hint=_missing_hint(key),
        ) from None
    if not isinstance(data, dict):
        raise BackendError(f"Berkas {what} {path} tidak berisi objek JSON.",
                           hint=_missing_hint(key))
    return data


def _missing_hint(key: str) -> str:
    if key == "token":
        return "Jalankan 'sync auth login' untuk masuk dengan akun Google PEP."
    return ("Unduh berkas JSON dari Google Cloud Console (APIs & Services > Credentials) dan "
            "simpan di tempat yang ditulis di backend.google.credentials. Untuk OAuth: "
            "'OAuth client ID' jenis 'Desktop app'; untuk akun layanan: 'Service account' > "
            "Keys > Add key > JSON. Contoh bentuknya: credentials.example.json.")


def load_credentials(settings: GoogleBackend, base_dir: Path) -> Loaded:
    """The credentials the config asks for, loaded and shape-checked (no network)."""
    if settings.auth == "oauth":
        token = _path(base_dir, settings.token)
        data = _read_json(token, "token login (authorized_user.json)", "token")
        try:
            creds = UserCredentials.from_authorized_user_info(data, list(SCOPES))
        except (ValueError, KeyError):
            raise BackendError(
                f"Berkas token {token} tidak lengkap (bukan authorized_user.json).",
                hint="Hapus berkas itu, lalu jalankan 'sync auth login' lagi.",
            ) from None
        account = data.get(ACCOUNT_KEY)
        issued = data.get(ISSUED_KEY)
        return Loaded(creds, str(account).lower() if account else None, "oauth", token,
                      str(issued) if issued else None)

    key = _path(base_dir, settings.credentials)
    data = _read_json(key, "kunci akun layanan (service account)", "credentials")
    if data.get("type") != "service_account":
        raise BackendError(
            f"Berkas {key} bukan kunci akun layanan (\"type\": \"service_account\" tidak ada).",
            hint="Untuk akun layanan, unduh kunci JSON-nya (Keys > Add key > JSON). Bila berkas "
                 "ini client secret OAuth, tulis backend.google.auth: oauth di konfigurasi.",
        )
    try:
        sa = service_account.Credentials.from_service_account_info(data, scopes=list(SCOPES))
    except (ValueError, KeyError, TypeError, GoogleAuthError):
        raise BackendError(
            f"Kunci akun layanan di {key} rusak atau tidak lengkap (private_key, client_email, "
            "token_uri).",
            hint="Buat kunci JSON baru untuk akun layanan itu di Google Cloud Console dan "
                 "ganti berkasnya.",
        ) from None
    if settings.auth == "delegated":
        if not settings.subject:
            raise BackendError(
                "backend.google.auth: delegated butuh backend.google.subject.",
                hint="Tulis e-mail pegawai PEP (akun Workspace) yang diwakili akun layanan, "
                     "mis. subject: pep@instansi.go.id.",
            )
        return Loaded(sa.with_subject(settings.subject), settings.subject.lower(),
                      "delegated", key)
    return Loaded(sa, str(sa.service_account_email).lower(), "service_account", key)


def refresh(loaded: Loaded, session: requests.Session, settings: GoogleBackend,
            base_dir: Path) -> None:
    """Get a fresh access token now (so a revoked login fails here, plainly), and keep a
    refreshed OAuth token on disk."""
    try:
        loaded.credentials.refresh(Request(session))
    except RefreshError as exc:
        from sheets_sync.adapters.google.http import refresh_failed

        raise refresh_failed(exc, loaded.kind) from None
    except TransportError:
        raise BackendError(
            "Tidak dapat menghubungi Google untuk memeriksa izin akses.",
            hint="Periksa sambungan internet, lalu coba lagi.",
        ) from None
    if loaded.kind == "oauth":
        save_token(loaded.credentials, _path(base_dir, settings.token), loaded.account,
                   issued_at=loaded.issued_at)


def authorized_session(settings: GoogleBackend, base_dir: Path, *,
                       mount: Mount | None = None) -> tuple[AuthorizedSession, Loaded]:
    """A session that signs every request, and what was loaded (kind, account)."""
    loaded = load_credentials(settings, base_dir)
    mount = mount or default_mount
    plain = requests.Session()
    if mount is not None:
        mount(plain)
    session = AuthorizedSession(loaded.credentials, auth_request=Request(plain))
    if mount is not None:
        mount(session)
    if loaded.kind == "oauth" and not loaded.credentials.valid:
        refresh(loaded, plain, settings, base_dir)
    return session, loaded


def save_token(creds: Credentials, path: Path, account: str | None = None, *,
               issued_at: str | None = None) -> None:
    """authorized_user.json, readable by the owner only (0600), replaced atomically."""
    if not isinstance(creds, UserCredentials):
        return
    data = json.loads(creds.to_json())
    if account:
        data[ACCOUNT_KEY] = account
    if issued_at:
        data[ISSUED_KEY] = issued_at
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".token-", dir=path.parent)
    try:
        os.chmod(tmp, 0o600)  # before any secret is written
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, indent=2)
        os.replace(tmp, path)
        os.chmod(path, 0o600)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


FlowRunner = Callable[[Path, tuple[str, ...]], Credentials]


LOGIN_PROMPT = (
    "Bila peramban (browser) tidak terbuka sendiri, salin alamat di bawah ini ke peramban "
    "di komputer ini juga (setelah login, Google kembali ke komputer ini, bukan ke "
    "komputer atau ponsel lain):\n{url}")


def run_installed_app_flow(secret: Path, scopes: tuple[str, ...]) -> Credentials:
    """Google's installed-app flow: a browser tab asks the PEP account for consent and
    returns to a one-off local port on this computer. The address is always printed."""
    import webbrowser

    from google_auth_oauthlib.flow import InstalledAppFlow

    try:  # the library calls webbrowser.get() first and would crash where none is found
        webbrowser.get()
        has_browser = True
    except webbrowser.Error:
        has_browser = False
    flow = InstalledAppFlow.from_client_secrets_file(str(secret), scopes=list(scopes))
    creds: Credentials = flow.run_local_server(
        port=0, open_browser=has_browser,
        authorization_prompt_message=LOGIN_PROMPT,
        success_message="Login berhasil. Jendela ini boleh ditutup.",
    )
    return creds


def client_secret(settings: GoogleBackend, base_dir: Path) -> Path:
    """The OAuth client secret file at backend.google.credentials, checked (no network),
    so a wrong file is reported before anything says a browser will open."""
    secret = _path(base_dir, settings.credentials)
    data = _read_json(secret, "client secret OAuth", "credentials")
    if "installed" not in data and "web" not in data:
        raise BackendError(
            f"{secret} bukan client secret OAuth (kunci 'installed' tidak ada).",
            hint="Di Google Cloud Console buat 'OAuth client ID' jenis 'Desktop app' dan "
                 "unduh JSON-nya ke tempat itu. Bila berkas ini kunci akun layanan, tulis "
                 "backend.google.auth: service_account.",
        )
    return secret


def login(settings: GoogleBackend, base_dir: Path, *, run_flow: FlowRunner | None = None,
          session: requests.Session | None = None) -> tuple[Path, str | None]:
    """`sync auth login`: run the flow, learn the account's e-mail, save the token (0600).
    Returns where the token went and the account."""
    secret = client_secret(settings, base_dir)
    try:
        creds = (run_flow or run_installed_app_flow)(secret, SCOPES)
    except Warning as exc:
        # oauthlib raises Warning("Scope has changed from ... to ...") when a scope was
        # unticked on Google's consent screen (granular consent).
        raise missing_scopes(getattr(exc, "new_scope", None)) from None
    except (ValueError, GoogleAuthError) as exc:
        raise BackendError(f"Login Google gagal ({type(exc).__name__}).",
                           hint="Ulangi 'sync auth login' dan setujui izin di peramban.") from None
    granted = getattr(creds, "granted_scopes", None)
    if granted is not None and set(SCOPES) - set(granted):
        raise missing_scopes(granted)
    account = None
    authed = AuthorizedSession(creds)
    session = session or (_mounted(default_mount) if default_mount else None)
    if session is not None:
        authed.mount("https://", session.get_adapter("https://"))
        authed.mount("http://", session.get_adapter("http://"))
    try:
        about = authed.get("https://www.googleapis.com/drive/v3/about",
                           params={"fields": "user(emailAddress)"}, timeout=30)
        if about.ok:
            account = (about.json().get("user") or {}).get("emailAddress")
    except (requests.RequestException, GoogleAuthError, ValueError):
        account = None  # not needed to work: the store asks again when it must
    token = _path(base_dir, settings.token)
    issued = datetime.now(UTC).isoformat(timespec="seconds")
    save_token(creds, token, account.lower() if account else None, issued_at=issued)
    return token, account


def _mounted(mount: Mount) -> requests.Session:
    session = requests.Session()
    mount(session)
    return session


SCOPE_PURPOSE = {
    "https://www.googleapis.com/auth/spreadsheets": "Google Sheets: menulis dan membaca "
                                                    "kertas kerja dan rekap",
    "https://www.googleapis.com/auth/drive": "Google Drive: menyalin templat, mencari dan "
                                             "membagikan berkas",
}


def missing_scopes(granted: Any) -> BackendError:
    """A login where a permission was unticked on Google's consent screen."""
    if isinstance(granted, str):
        granted = granted.split()
    have = set(granted or [])
    missing = [s for s in SCOPES if s not in have] or list(SCOPES)
    names = "; ".join(f"{SCOPE_PURPOSE[s]} ({s.rsplit('/', 1)[-1]})" for s in missing)
    return BackendError(
        f"Login tidak lengkap: izin berikut tidak dicentang di layar izin Google: {names}. "
        "Token tidak disimpan.",
        hint="Jalankan 'sync auth login' lagi dan centang SEMUA kotak izin yang ditampilkan "
             "Google (Sheets dan Drive); sheets-sync tidak dapat bekerja tanpa keduanya.")
