"""The HTTP layer under gspread that the project owns: pacing per quota bucket, one retry policy and
a count of API calls per endpoint kind, for every request the Google backend sends.

gspread's own `BackOffHTTPClient` is not used: in gspread 6.2.1 its bound can never trip, so a
lasting outage would hang a command forever. Sleeping, randomness and the clock are injected,
so tests run instantly and deterministically.
"""

from __future__ import annotations

import random
import re
import threading
import time
from collections import Counter
from collections.abc import Callable, Mapping, MutableMapping
from dataclasses import dataclass, field
from typing import Any

import requests
from google.auth.exceptions import RefreshError, TransportError
from gspread.exceptions import APIError
from gspread.http_client import FileType, HTTPClient, ParamsType
from urllib3.exceptions import MaxRetryError

from sheets_sync.ports import BackendError
from sheets_sync.settings.backend import GoogleBackend

Sleep = Callable[[float], None]
Clock = Callable[[], float]

RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
# 403s that only mean "slow down"; every other 403 (no access, storageQuotaExceeded) is final.
RATE_LIMIT_REASONS = frozenset({"rateLimitExceeded", "userRateLimitExceeded"})


class RateLimiter:
    """A thread-safe token bucket: `per_minute` calls a minute on average, short bursts of at
    most `burst`. Each caller reserves its token under the lock and sleeps outside it, so
    concurrent workers queue fairly and never exceed the rate together."""

    def __init__(self, per_minute: int, *, burst: int | None = None,
                 clock: Clock = time.monotonic, sleep: Sleep = time.sleep) -> None:
        if per_minute < 1:
            raise ValueError("per_minute must be at least 1")
        self.rate = per_minute / 60.0  # tokens per second
        # Small bursts keep any 60-second window close to `per_minute` (Google counts per
        # minute), while a command's first calls still go out at once.
        self.capacity = float(burst if burst is not None else max(1, min(5, per_minute // 10)))
        self._clock = clock
        self._sleep = sleep
        self._tokens = self.capacity
        self._last = clock()
        self._lock = threading.Lock()
        self.waited = 0.0  # total seconds spent waiting, for diagnostics

    def acquire(self, kind: str = "") -> float:
        """Take one token, sleeping as long as needed; returns the seconds waited. (`kind`,
        the endpoint, is for `QuotaLimiter`; one bucket paces every kind alike.)"""
        with self._lock:
            now = self._clock()
            # A clock read behind the last one (a benchmark's per-thread virtual clock) waits
            # from the bucket's time, never refills backwards; a real monotonic clock never is.
            behind = max(0.0, self._last - now)
            self._tokens = min(self.capacity, self._tokens + max(0.0, now - self._last) * self.rate)
            self._last = max(self._last, now)
            self._tokens -= 1.0
            wait = 0.0 if self._tokens >= 0 else behind - self._tokens / self.rate
            self.waited += wait
        if wait > 0:
            self._sleep(wait)
        return wait


# Which per-user quota a request spends. Sheets counts reads (get, values.get/batchGet) and
# writes (every method that changes a spreadsheet: batchUpdate, values update/append/clear,
# create, copyTo) in separate per-minute buckets:
# https://developers.google.com/workspace/sheets/api/limits. Drive has its own:
# https://developers.google.com/workspace/drive/api/guides/limits.
SHEETS_READ_KINDS = frozenset({"sheets.get", "sheets.values.get", "sheets.values.batchGet"})
BUCKETS = ("sheets_read", "sheets_write", "drive")


def quota_bucket(kind: str) -> str:
    """The quota bucket of an endpoint kind (see `endpoint_kind`)."""
    if kind in SHEETS_READ_KINDS:
        return "sheets_read"
    if kind.startswith("sheets."):
        return "sheets_write"  # unknown Sheets calls counted as writes: the safer side
    return "drive"


class QuotaLimiter:
    """One token bucket per quota bucket (Sheets reads, Sheets writes, Drive), so work in one
    bucket never waits for another's budget: a distribute copying on Drive while it prefills
    through Sheets, a recap reading sections while it writes."""

    def __init__(self, rates: Mapping[str, int], *, burst: int | None = None,
                 clock: Clock = time.monotonic, sleep: Sleep = time.sleep) -> None:
        missing = set(BUCKETS) - set(rates)
        if missing:
            raise ValueError(f"no rate for {', '.join(sorted(missing))}")
        self.buckets = {name: RateLimiter(rates[name], burst=burst, clock=clock, sleep=sleep)
                        for name in BUCKETS}

    @classmethod
    def from_settings(cls, settings: GoogleBackend, *, clock: Clock = time.monotonic,
                      sleep: Sleep = time.sleep) -> QuotaLimiter:
        """The limiter `backend.google` asks for: `quota.<bucket>` where given; else the old
        single `requests_per_minute` where that is given (configs written before the
        per-bucket quota keep their pace); else the default of `quota`."""
        quota = settings.quota
        legacy = ("requests_per_minute" in settings.model_fields_set
                  and "quota" not in settings.model_fields_set)
        rates = {name: (settings.requests_per_minute if legacy else getattr(quota, name))
                 for name in BUCKETS}
        return cls(rates, clock=clock, sleep=sleep)

    def acquire(self, kind: str = "") -> float:
        return self.buckets[quota_bucket(kind)].acquire(kind)

    @property
    def waited(self) -> float:
        return sum(b.waited for b in self.buckets.values())


@dataclass
class RetryPolicy:
    """Bounded retries with exponential backoff and full jitter, honouring Retry-After."""

    max_retries: int = 5
    base: float = 1.0  # seconds; the n-th retry waits up to base * 2**n
    cap: float = 64.0
    sleep: Sleep = time.sleep
    rand: Callable[[], float] = field(default_factory=lambda: random.Random().random)

    def delay(self, attempt: int, retry_after: float | None) -> float:
        jitter = self.rand() * min(self.cap, self.base * 2 ** attempt)
        # Google's Retry-After is a floor: waiting less only earns another 429.
        return max(jitter, retry_after) if retry_after is not None else jitter


def error_reason(response: requests.Response) -> str:
    """The first `reason` of a Google error body ("storageQuotaExceeded", ...), or ""."""
    try:
        error = response.json().get("error", {})
    except ValueError:
        return ""
    if not isinstance(error, dict):
        return ""
    for item in error.get("errors") or []:
        if isinstance(item, dict) and item.get("reason"):
            return str(item["reason"])
    for item in error.get("details") or []:
        if isinstance(item, dict) and item.get("reason"):
            return str(item["reason"])
    return ""


def _retry_after(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None  # an HTTP date: rare from Google; the backoff covers it


_SHEETS_RE = re.compile(r"/v4/spreadsheets(?:/(?P<id>[^/:?]+))?(?P<rest>[^?]*)")
_DRIVE_RE = re.compile(r"/drive/v3/(?P<rest>[^?]*)")


def endpoint_kind(method: str, url: str) -> str:
    """A stable name for what a request does, e.g. 'sheets.batchUpdate' or
    'drive.permissions.create', for the `--stats` count."""
    m = method.upper()
    if "sheets.googleapis.com" in url:
        match = _SHEETS_RE.search(url)
        if not match or not match.group("id"):
            return "sheets.create" if m == "POST" else "sheets.other"
        rest = match.group("rest")
        if rest == ":batchUpdate":
            return "sheets.batchUpdate"
        if rest.startswith("/values:"):
            return "sheets.values." + rest[len("/values:"):]
        if rest.startswith("/values/"):
            if rest.endswith(":append"):
                return "sheets.values.append"
            if rest.endswith(":clear"):
                return "sheets.values.clear"
            return {"GET": "sheets.values.get", "PUT": "sheets.values.update"}.get(
                m, "sheets.values.other")
        if rest.startswith("/sheets/"):
            return "sheets.sheets.copyTo"
        return "sheets.get" if m == "GET" else "sheets.other"
    match = _DRIVE_RE.search(url)
    if match:
        parts = [p for p in match.group("rest").split("/") if p]
        if parts[:1] == ["about"]:
            return "drive.about.get"
        if parts[:1] == ["files"]:
            if len(parts) == 1:
                return {"GET": "drive.files.list", "POST": "drive.files.create"}.get(
                    m, "drive.files.other")
            if len(parts) == 2:
                return {"GET": "drive.files.get", "PATCH": "drive.files.update",
                        "DELETE": "drive.files.delete"}.get(m, "drive.files.other")
            if parts[2] == "copy":
                return "drive.files.copy"
            if parts[2] == "permissions":
                if len(parts) == 3:
                    return {"GET": "drive.permissions.list",
                            "POST": "drive.permissions.create"}.get(m, "drive.permissions.other")
                return {"DELETE": "drive.permissions.delete", "PATCH": "drive.permissions.update",
                        "GET": "drive.permissions.get"}.get(m, "drive.permissions.other")
        return "drive.other"
    if "/upload/drive/" in url:
        return "drive.files.create"
    return "other"


# Answers after which Google may have done the work: a server error can come after the
# change was applied. 429 and the rate-limit 403s are refusals, so nothing was done.
MAYBE_APPLIED_STATUSES = frozenset({408, 500, 502, 503, 504})


class MaybeApplied(BackendError):
    """A request that is unsafe to repeat (`idempotent=False`) timed out, lost its connection
    mid-answer or got a server error: it may or may not have been done. Never resent blindly;
    the caller looks for its effect first, or tells the user to run the command again."""

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(
            message,
            hint="Jalankan perintah lagi; perintah melanjutkan dari keadaan terakhir dan "
                 "tidak membuat berkas atau baris dua kali.",
        )
        self.retry_after = retry_after  # Google's Retry-After, for the caller's wait


def _nothing_sent(exc: Exception) -> bool:
    """Whether a transport failure happened before the request reached Google: no connection
    (refused, DNS, connect timeout) or a credentials refresh that failed. A connection reset
    while the answer was awaited ("Connection aborted") may come after Google did the work."""
    if isinstance(exc, requests.ConnectTimeout | TransportError):
        return True
    if isinstance(exc, requests.ConnectionError) and not isinstance(exc, requests.Timeout):
        return bool(exc.args) and isinstance(exc.args[0], MaxRetryError)
    return False


class GoogleHTTP(HTTPClient):
    """gspread's `HTTPClient` with every request passing the shared limiter and retry policy.

    Raises gspread's `APIError` for a final HTTP error (the store turns it into a
    `BackendError` that names the file), `BackendError` when retries are used up or the
    credentials can no longer be refreshed.
    """

    def __init__(self, session: requests.Session, *,
                 limiter: RateLimiter | QuotaLimiter | None = None,
                 retry: RetryPolicy | None = None, timeout: float | None = 60.0) -> None:
        super().__init__(None, session=session)  # type: ignore[arg-type]  # gspread: auth unused with a session
        self.limiter = limiter or QuotaLimiter({"sheets_read": 50, "sheets_write": 50,
                                                "drive": 100})
        self.retry = retry or RetryPolicy()
        self.timeout = timeout
        self.auth_kind: str | None = None  # "oauth" | "service_account" | "delegated", for messages
        self.calls: Counter[str] = Counter()
        self._count_lock = threading.Lock()

    def stats(self) -> dict[str, int]:
        with self._count_lock:
            return dict(self.calls)

    def request(
        self,
        method: str,
        endpoint: str,
        params: ParamsType | None = None,
        data: bytes | None = None,
        json: Mapping[str, Any] | None = None,
        files: FileType = None,
        headers: MutableMapping[str, str] | None = None,
        *,
        idempotent: bool = True,
    ) -> requests.Response:
        """`idempotent=False` (a Drive copy or create, a batch that appends rows): a read
        timeout, a connection lost mid-answer or a 5xx/408 is not retried, because Google may
        have done the work and lost only the answer; `MaybeApplied` lets the caller look
        before trying again. Failures before anything was sent (no connection) and refusals
        (429, rate-limit 403) are retried either way."""
        kind = endpoint_kind(method, endpoint)
        attempt = 0
        while True:
            self.limiter.acquire(kind)
            with self._count_lock:
                self.calls[kind] += 1  # every attempt spends quota, so every attempt counts
            try:
                response = self.session.request(
                    method=method, url=endpoint, json=json, params=params, data=data,
                    files=files, headers=headers, timeout=self.timeout,
                )
            except RefreshError as exc:
                raise refresh_failed(exc, self.auth_kind) from None
            except (requests.Timeout, requests.ConnectionError, TransportError) as exc:
                if not idempotent and not _nothing_sent(exc):
                    raise MaybeApplied(f"Google tidak menjawab ({kind}).") from None
                if attempt >= self.retry.max_retries:
                    raise BackendError(
                        f"Google tidak menjawab setelah {attempt + 1} percobaan ({kind}: "
                        f"{type(exc).__name__}).",
                        hint="Periksa sambungan internet, lalu jalankan perintah lagi; "
                             "pekerjaan dilanjutkan dari keadaan terakhir.",
                    ) from None
                self.retry.sleep(self.retry.delay(attempt, None))
                attempt += 1
                continue
            if response.ok:
                return response
            if not self._retryable(response):
                raise APIError(response)
            if not idempotent and response.status_code in MAYBE_APPLIED_STATUSES:
                raise MaybeApplied(
                    f"Google menjawab galat server (HTTP {response.status_code}, {kind}).",
                    retry_after=_retry_after(response))
            if attempt >= self.retry.max_retries:
                raise BackendError(
                    f"Google terus menolak karena sibuk atau batas kuota per menit (HTTP "
                    f"{response.status_code}, {kind}) setelah {attempt + 1} percobaan.",
                    hint="Tunggu beberapa menit lalu jalankan perintah lagi; bila sering "
                         "terjadi, turunkan backend.google.quota (sheets_read, sheets_write, "
                         "drive) di konfigurasi.",
                )
            self.retry.sleep(self.retry.delay(attempt, _retry_after(response)))
            attempt += 1

    @staticmethod
    def _retryable(response: requests.Response) -> bool:
        if response.status_code in RETRY_STATUSES:
            return True
        return response.status_code == 403 and error_reason(response) in RATE_LIMIT_REASONS


def refresh_failed(exc: RefreshError, kind: str | None = None) -> BackendError:
    """A failed token refresh, said plainly. Only the error's kind is shown, never its text
    (which may quote the request)."""
    text = str(exc)
    if "unauthorized_client" in text:
        return BackendError(
            "Akun layanan belum diberi izin delegasi seluruh domain (unauthorized_client).",
            hint="Minta admin Google Workspace menambahkan client ID akun layanan di Admin "
                 "Console > Security > API controls > Domain-wide delegation, dengan cakupan "
                 "(scopes) spreadsheets dan drive; atau periksa backend.google.subject.",
        )
    if "invalid_grant" in text:
        what = ("Izin akses Google sudah dicabut atau kedaluwarsa (invalid_grant)."
                if kind in (None, "oauth") else
                "Google menolak kunci akun layanan (invalid_grant: kunci dihapus, jam komputer "
                "salah, atau subject tidak dikenal).")
    else:
        what = "Kredensial Google tidak dapat diperbarui (refresh gagal)."
    if kind in ("service_account", "delegated"):
        hint = ("Periksa bahwa kunci akun layanan masih aktif di Google Cloud Console (buat "
                "kunci baru bila perlu) dan jam komputer ini tepat.")
    elif "invalid_grant" in text:
        from sheets_sync.adapters.google.auth import INVALID_GRANT_HINT

        hint = INVALID_GRANT_HINT
    else:
        hint = "Jalankan 'sync auth login' lagi untuk masuk ulang dengan akun PEP."
    return BackendError(what, hint=hint)
