"""Where the workbooks live: the `backend:` part of the config (local folder or Google)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from sheets_sync.settings.strict import Strict


class LocalBackend(Strict):
    workspace: str = "workspace"  # relative to the config file's folder
    template: str | None = None  # the office's own master template (.xlsx); generated if empty


class GoogleSharing(Strict):
    notify: bool = True
    message: str = (
        "Yth. Bapak/Ibu, mohon mengisi kertas kerja data kinerja periode ini "
        "paling lambat sesuai batas waktu pada lembar. Terima kasih. - Subbagian PEP"
    )
    pep_role: Literal["writer", "reader", "commenter"] = "writer"
    leadership_role: Literal["writer", "reader", "commenter"] = "reader"


class GoogleQuota(Strict):
    """Calls per minute for each of Google's per-user quota buckets, paced apart.

    Google's published per-user limits: Sheets 60 read and 60 write requests per minute
    (https://developers.google.com/workspace/sheets/api/limits); Drive counts quota units
    per user per minute, far above what this service sends
    (https://developers.google.com/workspace/drive/api/guides/limits), but sharing has its
    own unpublished limit (`sharingRateLimitExceeded`), so Drive is paced too."""

    sheets_read: int = Field(default=50, ge=1, le=300)
    sheets_write: int = Field(default=50, ge=1, le=300)
    drive: int = Field(default=100, ge=1, le=1000)


class GoogleBackend(Strict):
    auth: Literal["oauth", "service_account", "delegated"] = "oauth"
    credentials: str = "credentials.json"  # client secret (oauth) or service-account key
    token: str = "authorized_user.json"  # where `sync auth login` stores the user token
    subject: str | None = None  # the Workspace user a delegated service account acts as
    folder_id: str | None = None  # Drive folder (or Shared Drive folder) for all files
    template_id: str | None = None  # an existing master template; generated when empty
    # Before the per-bucket quota: one rate for everything. Still read: when it is given and
    # `quota` is not, every bucket is paced at it.
    requests_per_minute: int = Field(default=50, ge=1, le=300)
    quota: GoogleQuota = Field(default_factory=GoogleQuota)
    max_retries: int = Field(default=5, ge=0, le=10)
    timeout_seconds: float = Field(default=60, gt=0)
    workers: int = Field(default=4, ge=1, le=16)
    sharing: GoogleSharing = Field(default_factory=GoogleSharing)
    # the period's lock on Drive (one writer per period) lapses this long after its holder
    # last renewed it (every quarter of it while working): a crashed holder blocks the
    # office a minute at most, as on the local backend
    lock_stale_minutes: float = Field(default=1, gt=0)


class Backend(Strict):
    kind: Literal["local", "google"] = "local"
    # A period lock held from another computer and not renewed for this long is taken over
    # (its computer went away; renewed every quarter of it while working); on the same
    # computer, a lock whose process is gone is taken over at once.
    lock_stale_minutes: float = Field(default=1, gt=0, le=24 * 60)
    local: LocalBackend = Field(default_factory=LocalBackend)
    google: GoogleBackend = Field(default_factory=GoogleBackend)
