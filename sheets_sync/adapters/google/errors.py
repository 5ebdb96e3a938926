"""Google's errors, said plainly: what happened, to which file, and what PEP staff can do.

Every message names ids and accounts, never a credential.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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
