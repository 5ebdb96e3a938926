"""`sync doctor` for the Google backend: each check one line, with what to do when it fails.

Kept apart from the CLI so tests run it against the in-process fake (`mount`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import requests

from sheets_sync.adapters.google.auth import Loaded, Mount, load_credentials, refresh
from sheets_sync.adapters.google.errors import QUOTA_OPTIONS
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


def run_doctor(config: Config, base_dir: Path, *, mount: Mount | None = None) -> list[Check]:
    settings = config.backend.google
    checks: list[Check] = []

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

    from google.auth.transport.requests import AuthorizedSession, Request

    session = AuthorizedSession(loaded.credentials, auth_request=Request(plain))
    if mount is not None:
        mount(session)
    store = GoogleStore.from_session(session, settings, account=loaded.account)
    store.http.auth_kind = loaded.kind
    account = loaded.account or store.account() or "akun ini"
    sa = loaded.kind == "service_account"

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
