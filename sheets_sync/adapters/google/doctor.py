"""`sync doctor` for the Google backend: each check one line, with what to do when it fails.

Kept apart from the CLI so tests run it against the in-process fake (`mount`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any

import requests
from gspread.exceptions import APIError

from sheets_sync.adapters.google.auth import SCOPES, Loaded, Mount, load_credentials, refresh
from sheets_sync.adapters.google.base import DRIVE_FILES, SHEETS
from sheets_sync.adapters.google.errors import (
    QUOTA_OPTIONS,
    SCOPE_HINT,
    Context,
    reasons,
    translate,
)
from sheets_sync.adapters.google.http import QuotaLimiter
from sheets_sync.adapters.google.store import GoogleStore
from sheets_sync.domain.models import Config
from sheets_sync.ports import BackendError, Role

FOLDER_MIME = "application/vnd.google-apps.folder"


@dataclass
class Check:
    label: str
    ok: bool | None  # None: not applicable / informational
    detail: str = ""
    hint: str = ""


def run_doctor(config: Config, base_dir: Path, *, mount: Mount | None = None,
               today: datetime | None = None) -> list[Check]:
    from sheets_sync.adapters.google import auth

    settings = config.backend.google
    checks: list[Check] = []
    mount = mount or auth.default_mount

    try:
        loaded: Loaded = load_credentials(settings, base_dir)
    except BackendError as exc:
        checks.append(Check("Kredensial dapat dibaca (credentials)", False, exc.message,
                            exc.hint))
        return checks
    who = loaded.account or "akun OAuth"
    checks.append(Check("Kredensial dapat dibaca (credentials)", True,
                        f"{_kind_label(loaded.kind)}: {who} ({loaded.source.name})"))

    plain = requests.Session()
    if mount is not None:
        mount(plain)
    try:
        refresh(loaded, plain, settings, base_dir)
    except BackendError as exc:
        checks.append(Check("Izin akses berlaku (token)", False, exc.message, exc.hint))
        return checks
    checks.append(Check("Izin akses berlaku (token)", True, "token akses diperoleh"))
    checks += token_checks(loaded, today or datetime.now(UTC), config.office.tzinfo)

    from google.auth.transport.requests import AuthorizedSession, Request

    session = AuthorizedSession(loaded.credentials, auth_request=Request(plain))
    if mount is not None:
        mount(session)
    store = GoogleStore.from_session(session, settings, account=loaded.account)
    store.http.auth_kind = loaded.kind
    drive_ok = api_check(checks, "Google Drive API dapat dipakai", store.account)
    if not drive_ok:
        return checks  # every later check needs Drive: one clear line is enough
    account = loaded.account or store.account() or "akun ini"
    sa = loaded.kind == "service_account"
    api_check(checks, "Google Sheets API dapat dipakai",
              lambda: sheets_probe(store, settings.template_id))

    if settings.template_id:
        try:
            info = store.file_info(settings.template_id, "id,name,capabilities(canCopy)",
                                   "templat induk")
            can_copy = (info.get("capabilities") or {}).get("canCopy", True)
            checks.append(Check(
                "Templat induk dapat dibuka (template_id)", bool(can_copy),
                f"'{info.get('name', '')}'" + ("" if can_copy else ": tidak boleh disalin"),
                "" if can_copy else f"Beri {account} akses Editor ke templat itu."))
        except BackendError as exc:
            checks.append(Check("Templat induk dapat dibuka (template_id)", False, exc.message,
                                exc.hint))
    else:
        checks.append(Check("Templat induk (template_id)", None,
                            "tidak diisi: templat dibuat otomatis oleh 'sync distribute'"))

    in_shared_drive = False
    if settings.folder_id:
        try:
            info = store.file_info(settings.folder_id,
                                   "id,name,mimeType,driveId,capabilities(canAddChildren)",
                                   "folder Drive")
            in_shared_drive = bool(info.get("driveId"))
            can_add = bool((info.get("capabilities") or {}).get("canAddChildren"))
            if info.get("mimeType") != FOLDER_MIME:
                checks.append(Check("Folder tujuan dapat ditulisi (folder_id)", False,
                                    f"'{info.get('name', '')}' bukan folder",
                                    "Salin id folder dari alamat folder di Drive "
                                    "(.../folders/<id>)."))
            else:
                checks.append(Check(
                    "Folder tujuan dapat ditulisi (folder_id)", can_add,
                    f"'{info.get('name', '')}'" + (" (Shared Drive)" if in_shared_drive else ""),
                    "" if can_add else f"Bagikan folder itu ke {account} sebagai Editor "
                                       "(Shared Drive: anggota Content manager)."))
        except BackendError as exc:
            checks.append(Check("Folder tujuan dapat ditulisi (folder_id)", False, exc.message,
                                exc.hint))
    else:
        checks.append(Check("Folder tujuan (folder_id)", None,
                            "tidak diisi: berkas dibuat di My Drive akun itu"))

    if sa and not in_shared_drive:
        checks.append(Check(
            "Kuota penyimpanan (storage quota)", False,
            "akun layanan tanpa folder Shared Drive tidak dapat membuat berkas "
            "(storageQuotaExceeded)", QUOTA_OPTIONS))
    else:
        checks.append(Check("Kuota penyimpanan (storage quota)", True,
                            "berkas dibuat di Shared Drive" if in_shared_drive
                            else "berkas memakai kuota Drive akun " + account))

    try:
        recaps = store.find(config.period.code, Role.recap)
        if not recaps:
            checks.append(Check("Rekap dapat ditulisi", None,
                                f"belum ada rekap periode {config.period.code}: dibuat oleh "
                                "'sync recap'"))
        else:
            info = store.file_info(recaps[0].id, "id,name,capabilities(canEdit)", "rekap")
            can_edit = bool((info.get("capabilities") or {}).get("canEdit"))
            checks.append(Check("Rekap dapat ditulisi", can_edit, f"'{recaps[0].name}'",
                                "" if can_edit else f"Beri {account} akses Editor ke rekap itu."))
    except BackendError as exc:
        checks.append(Check("Rekap dapat ditulisi", False, exc.message, exc.hint))

    if settings.folder_id and not in_shared_drive:
        checks.append(inherited_check(store, settings.folder_id, config, account))
    if not (sa and not in_shared_drive):
        checks.append(accounts_check(store, config, account))

    rates = {name: int(b.rate * 60) for name, b in
             QuotaLimiter.from_settings(settings).buckets.items()}
    fast = rates["sheets_read"] > 60 or rates["sheets_write"] > 60
    checks.append(Check("Batas laju (rate limit)", not fast,
                        f"per menit: baca {rates['sheets_read']}, tulis {rates['sheets_write']}, "
                        f"Drive {rates['drive']}",
                        "" if not fast else "Google mengizinkan 60 baca dan 60 tulis per menit "
                                            "per pengguna: tulis quota: {sheets_read: 50, "
                                            "sheets_write: 50}."))
    return checks


def _kind_label(kind: str) -> str:
    return {"oauth": "akun Google PEP (OAuth)", "service_account": "akun layanan",
            "delegated": "akun layanan dengan delegasi"}.get(kind, kind)


# ---------------------------------------------------------------------- set-up snags

def token_checks(loaded: Loaded, today: datetime, zone: tzinfo | None = None) -> list[Check]:
    """The scopes the token carries, and when the OAuth login was made (a Testing app's
    login dies 7 days later)."""
    out: list[Check] = []
    granted = getattr(loaded.credentials, "granted_scopes", None)
    if granted is not None:
        missing = [s.rsplit("/", 1)[-1] for s in SCOPES if s not in set(granted)]
        out.append(Check("Cakupan izin (scopes): spreadsheets, drive", not missing,
                         "lengkap" if not missing else "tidak ada: " + ", ".join(missing),
                         "" if not missing else SCOPE_HINT))
    if loaded.kind != "oauth":
        return out
    if not loaded.issued_at:
        out.append(Check("Login dibuat (token)", None, "tanggal tidak tercatat (login dibuat "
                         "sebelum versi ini): jalankan 'sync auth login' agar tercatat"))
        return out
    try:
        issued = datetime.fromisoformat(loaded.issued_at)
    except ValueError:
        return out
    days = (today - issued).days
    # on the office's clock (office.timezone), not this computer's
    dies = (issued + timedelta(days=7)).astimezone(zone).strftime("%d-%m-%Y %H:%M")
    out.append(Check("Login dibuat (token)", None,
                     f"{issued.astimezone(zone):%d-%m-%Y %H:%M} ({days} hari lalu). Bila aplikasi "
                     f"OAuth masih berstatus Testing, login ini mati {dies}: terbitkan "
                     "aplikasinya (lihat docs/google.md)"))
    return out


def api_check(checks: list[Check], label: str, call: Callable[[], Any]) -> bool:
    """One real call to an API: an API not enabled, or a missing scope, shows here."""
    try:
        call()
    except BackendError as exc:
        checks.append(Check(label, False, exc.message, exc.hint))
        return False
    checks.append(Check(label, True, "panggilan uji berhasil"))
    return True


_PROBE_ID = "sheets-sync-doctor-probe"  # no such spreadsheet: a 404 proves the API answers


def sheets_probe(store: GoogleStore, template_id: str | None) -> None:
    sid = template_id or _PROBE_ID
    try:
        store._json("get", f"{SHEETS}/{sid}", params={"fields": "spreadsheetId"})
    except APIError as exc:
        if sid == _PROBE_ID and exc.response.status_code == 404:
            return
        raise translate(exc, store._ctx("memanggil Google Sheets API", sid)) from None


def _config_accounts(config: Config) -> set[str]:
    emails = {e.lower() for e in config.office.pep_accounts}
    emails |= {e.lower() for e in config.office.leadership_accounts}
    for section in config.sections:
        emails |= {e.lower() for e in section.editors}
    return emails


def inherited_check(store: GoogleStore, folder_id: str, config: Config,
                    account: str) -> Check:
    """Grants on a My Drive folder reach every file inside it: a section given the folder
    sees every other section's workbook. List those the config does not grant."""
    label = "Akses bawaan folder (diwarisi setiap berkas di dalamnya)"
    try:
        perms = store._permissions(f"{DRIVE_FILES}/{folder_id}/permissions")
    except APIError as exc:
        err = translate(exc, store._ctx("membaca akses folder", folder_id))
        return Check(label, False, err.message, err.hint)
    allowed = _config_accounts(config) | {account.lower()}
    extra = []
    for p in perms:
        email = str(p.get("emailAddress", "")).lower()
        if p.get("role") == "owner" or email in allowed:
            continue
        extra.append(email or (f"domain:{p['domain']}" if p.get("domain") else
                               "siapa saja yang punya tautan"))
    if not extra:
        return Check(label, True, "tidak ada akses di luar konfigurasi")
    return Check(label, False, "folder dibagikan ke " + ", ".join(sorted(extra)) +
                 ": mereka dapat membuka SEMUA kertas kerja di folder itu",
                 "Di Drive, klik kanan folder > Bagikan, dan hapus akses itu (setiap bagian "
                 "menerima akses ke berkasnya sendiri dari 'sync distribute'); atau pakai "
                 "folder lain yang tidak dibagikan.")


def accounts_check(store: GoogleStore, config: Config, account: str) -> Check:
    """Addresses in the config without a Google account, found before 'distribute': a
    throw-away folder is shared with each (no e-mail sent), then deleted."""
    label = "Alamat di konfigurasi punya akun Google"
    emails = sorted(_config_accounts(config) - {account.lower()})
    if not emails:
        return Check(label, None, "tidak ada alamat untuk diperiksa")
    body: dict[str, Any] = {"name": "sheets-sync doctor (boleh dihapus)", "mimeType": FOLDER_MIME}
    if store.folder_id:
        body["parents"] = [store.folder_id]
    try:
        probe = store._json("post", DRIVE_FILES, params={"supportsAllDrives": "true",
                                                         "fields": "id"}, body=body)
    except APIError as exc:
        err = translate(exc, store._ctx("membuat folder uji", store.folder_id))
        return Check(label, False, err.message, err.hint)
    without: list[str] = []
    try:
        for email in emails:
            try:
                store._json("post", f"{DRIVE_FILES}/{probe['id']}/permissions",
                            params={"supportsAllDrives": "true", "fields": "id",
                                    "sendNotificationEmail": "false"},
                            body={"type": "user", "role": "reader", "emailAddress": email})
            except APIError as exc:
                if "invalidSharingRequest" not in reasons(exc):
                    err = translate(exc, Context(f"memeriksa alamat {email}"))
                    return Check(label, False, err.message, err.hint)
                without.append(email)
    finally:
        # a leftover empty folder is harmless; its name says what it is
        with contextlib.suppress(APIError, BackendError):
            store.http.request("delete", f"{DRIVE_FILES}/{probe['id']}",
                               params={"supportsAllDrives": "true"})
    if not without:
        return Check(label, True, f"{len(emails)} alamat diperiksa")
    return Check(label, False, "belum punya akun Google: " + ", ".join(without),
                 "Saat 'sync distribute' alamat ini diundang lewat e-mail (dengan pesan dari "
                 "backend.google.sharing.message), dan pemiliknya harus membuat akun Google "
                 "dengan alamat itu sebelum dapat mengisi. Lebih mudah: tulis alamat Google "
                 "(gmail atau akun Workspace instansi) mereka di konfigurasi.")
