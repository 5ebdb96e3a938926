"""Google's errors, said plainly: what happened, to which file, and what PEP staff can do.

Every message names ids and accounts, never a credential.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from gspread.exceptions import APIError

from sheets_sync.adapters.google.http import error_reason
from sheets_sync.ports import BackendError

QUOTA_OPTIONS = (
    "Akun layanan (service account) tidak punya ruang penyimpanan Google Drive sendiri, jadi "
    "tidak dapat membuat berkas di My Drive siapa pun. Pilih salah satu:\n"
    "  1. Pakai akun Google PEP sendiri (OAuth): di konfigurasi tulis "
    "backend.google.auth: oauth, lalu jalankan 'sync auth login' (satu-satunya cara untuk "
    "akun gmail biasa).\n"
    "  2. Pakai Shared Drive (Google Workspace): buat folder di Shared Drive, tambahkan e-mail "
    "akun layanan sebagai anggota (Content manager / Pengelola konten), lalu tulis id folder "
    "itu di backend.google.folder_id.\n"
    "  3. Delegasi seluruh domain (domain-wide delegation, khusus Workspace): admin domain "
    "memberi izin akun layanan, lalu tulis backend.google.auth: delegated dan "
    "backend.google.subject: <e-mail pegawai PEP>."
)

_NOT_FOUND_ID_RE = re.compile(r"File not found: ?([A-Za-z0-9_-]+)")
_PROJECT_RE = re.compile(r"project[= ](\d+)")
_API_NAMES = {"sheets.googleapis.com": "Google Sheets API",
              "drive.googleapis.com": "Google Drive API"}
# A 403 that means "this API is not switched on in the Cloud project" (Sheets says it in
# details[].reason, Drive in errors[].reason).
DISABLED_REASONS = frozenset({"SERVICE_DISABLED", "accessNotConfigured"})
SCOPE_REASONS = frozenset({"ACCESS_TOKEN_SCOPE_INSUFFICIENT", "insufficientPermissions"})
SCOPE_HINT = ("Jalankan 'sync auth login' lagi dan, di layar izin Google, centang SEMUA izin "
              "yang diminta (Google Sheets dan Google Drive). Bila izin itu tidak muncul, "
              "tambahkan cakupan (scopes) .../auth/spreadsheets dan .../auth/drive di Google "
              "Cloud Console > OAuth consent screen > Data access.")


@dataclass(frozen=True)
class Context:
    """What the store was doing, so an error can name the right file and config key."""

    action: str  # e.g. "menyalin templat"
    file_id: str | None = None
    file_name: str | None = None
    account: str | None = None  # the account the service acts as
    template_id: str | None = None  # from the config, to name the config key
    folder_id: str | None = None
    extra_ids: tuple[tuple[str, str], ...] = ()  # (id, what it is) for other named ids


def _account(ctx: Context) -> str:
    return ctx.account or "akun yang dipakai sheets-sync"


def _which(ctx: Context, file_id: str | None) -> str:
    """Names a file id the way PEP staff know it: by its config key where it has one."""
    if file_id and file_id == ctx.template_id:
        return f"templat induk (backend.google.template_id: {file_id})"
    if file_id and file_id == ctx.folder_id:
        return f"folder Drive (backend.google.folder_id: {file_id})"
    for known, what in ctx.extra_ids:
        if file_id == known:
            return f"{what} ({file_id})"
    if ctx.file_name and file_id == ctx.file_id:
        return f"berkas '{ctx.file_name}' ({file_id})"
    return f"berkas {file_id}" if file_id else "berkas itu"


def _body(exc: APIError) -> dict[str, Any]:
    try:
        error = exc.response.json().get("error", {}) if exc.response is not None else {}
    except ValueError:
        return {}
    return error if isinstance(error, dict) else {}


def reasons(exc: APIError) -> set[str]:
    """Every `reason` in a Google error body: Drive's errors[] and the details[] ErrorInfo."""
    error = _body(exc)
    found = {str(i.get("reason")) for i in error.get("errors") or []
             if isinstance(i, dict) and i.get("reason")}
    found |= {str(d.get("reason")) for d in error.get("details") or []
              if isinstance(d, dict) and d.get("reason")}
    return found


def api_disabled(exc: APIError, ctx: Context) -> BackendError:
    """403 SERVICE_DISABLED / accessNotConfigured: the API is off in the Cloud project; the
    link to switch it on names the project number Google gave."""
    error = _body(exc)
    service, project, link = "", "", ""
    for d in error.get("details") or []:
        if not isinstance(d, dict):
            continue
        meta = d.get("metadata") or {}
        service = service or str(meta.get("service", ""))
        link = link or str(meta.get("activationUrl", ""))
        project = project or str(meta.get("consumer", "")).removeprefix("projects/")
        for item in d.get("links") or []:
            link = link or str(item.get("url", ""))
    message = str(error.get("message", ""))
    if not project:
        match = _PROJECT_RE.search(message)
        project = match.group(1) if match else ""
    if not service:
        service = "sheets.googleapis.com" if "Sheets" in message else "drive.googleapis.com"
    name = _API_NAMES.get(service, service)
    if not link:
        link = f"https://console.cloud.google.com/apis/library/{service}" + (
            f"?project={project}" if project else "")
    where = f" di proyek Google Cloud nomor {project}" if project else ""
    return BackendError(
        f"{name} belum diaktifkan{where} (HTTP 403, SERVICE_DISABLED) saat {ctx.action}.",
        hint=f"Buka {link} dengan akun pemilik proyek, klik 'Enable' (Aktifkan), tunggu "
             "beberapa menit, lalu jalankan perintah lagi. sheets-sync butuh Google Sheets API "
             "dan Google Drive API; keduanya harus aktif.")


def translate(exc: APIError, ctx: Context) -> BackendError:
    """A final Google error as a `BackendError` a person can act on."""
    status = exc.response.status_code if exc.response is not None else exc.code
    reason = error_reason(exc.response) if exc.response is not None else ""
    message = str(exc.error.get("message", "")) if isinstance(exc.error, dict) else ""
    account = _account(ctx)
    if reason == "storageQuotaExceeded":
        return BackendError(
            f"Google menolak membuat berkas saat {ctx.action}: kuota penyimpanan Drive akun "
            f"{account} habis atau tidak ada (storageQuotaExceeded). Tidak dicoba ulang.",
            hint=QUOTA_OPTIONS,
        )
    if status == 401:
        return BackendError(
            f"Google tidak menerima kredensial saat {ctx.action} (HTTP 401).",
            hint="Jalankan 'sync auth login' lagi (akun OAuth), atau periksa berkas kunci "
                 "akun layanan di backend.google.credentials.",
        )
    if status == 404:
        match = _NOT_FOUND_ID_RE.search(message)
        missing = match.group(1) if match else ctx.file_id
        return BackendError(
            f"Saat {ctx.action}: {_which(ctx, missing)} tidak ditemukan, atau belum dibagikan ke "
            f"{account} (HTTP 404).",
            hint=f"Periksa id itu di konfigurasi, lalu bagikan (Share/Bagikan) ke {account} "
                 "sebagai Editor. Bila berkas bagian terhapus, jalankan 'sync distribute' lagi.",
        )
    found = reasons(exc)
    if status == 403 and found & DISABLED_REASONS:
        return api_disabled(exc, ctx)
    if status == 403 and found & SCOPE_REASONS:
        return BackendError(
            f"Izin login Google tidak mencakup semua yang dibutuhkan saat {ctx.action} "
            "(HTTP 403, ACCESS_TOKEN_SCOPE_INSUFFICIENT): satu izin tidak dicentang saat "
            "login.", hint=SCOPE_HINT)
    if status == 403 and "sharingRateLimitExceeded" in found:
        return BackendError(
            f"Google membatasi jumlah berbagi (share) untuk sementara saat {ctx.action} "
            "(HTTP 403, sharingRateLimitExceeded).",
            hint="Tunggu sekitar satu jam, lalu jalankan perintah yang sama lagi: berkas yang "
                 "sudah dibagikan tidak dibagikan dua kali. Batas ini dihitung per akun Google "
                 "per hari; membagikan ke banyak alamat sekaligus cepat menghabiskannya.")
    if status == 400 and "invalidSharingRequest" in found:
        return BackendError(
            f"Google menolak {ctx.action}: alamat itu belum punya akun Google, jadi hanya dapat "
            "diundang dengan e-mail pemberitahuan (invalidSharingRequest).",
            hint="Minta pemilik alamat membuat akun Google dengan alamat itu (accounts.google."
                 "com > Buat akun > Gunakan alamat email saya saat ini), atau tulis alamat "
                 "Google lain di konfigurasi; atau aktifkan backend.google.sharing.notify.")
    if status == 403:
        if reason in {"dailyLimitExceeded", "quotaExceeded"}:
            return BackendError(
                f"Kuota harian Google API habis saat {ctx.action} ({reason}).",
                hint="Coba lagi besok, atau minta kuota lebih besar di Google Cloud Console.",
            )
        return BackendError(
            f"Akun {account} tidak punya izin yang cukup saat {ctx.action} pada "
            f"{_which(ctx, ctx.file_id)} (HTTP 403{', ' + reason if reason else ''}).",
            hint=f"Bagikan (Share/Bagikan) {_which(ctx, ctx.file_id)} ke {account} sebagai "
                 "Editor; untuk Shared Drive, jadikan akun itu anggota (Content manager).",
        )
    if status == 400:
        return BackendError(
            f"Google menolak permintaan saat {ctx.action} (HTTP 400): {message}",
            hint="Bila menyebut alamat e-mail, periksa alamat itu di konfigurasi. Bila tidak, "
                 "laporkan pesan ini ke pengembang sheets-sync.",
        )
    return BackendError(
        f"Google menjawab dengan kesalahan saat {ctx.action} (HTTP {status}): {message}",
        hint="Jalankan perintah lagi sebentar lagi; bila berulang, laporkan ke pengembang.",
    )
