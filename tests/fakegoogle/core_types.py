"""The records of the fake world: the clock, users, permissions, Shared Drives, Drive files,
recorded requests, notifications, faults.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

SPREADSHEET_MIME = "application/vnd.google-apps.spreadsheet"
FOLDER_MIME = "application/vnd.google-apps.folder"
ROLE_RANK = {
    "reader": 1,
    "commenter": 2,
    "writer": 3,
    "fileOrganizer": 4,
    "organizer": 5,
    "owner": 6,
}
_ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


def rfc3339(ts: float) -> str:
    """Google's timestamp form: 2026-01-05T08:00:00.123Z (milliseconds, Z)."""
    dt = datetime.fromtimestamp(ts, tz=UTC)
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{dt.microsecond // 1000:03d}Z"


def parse_rfc3339(text: str) -> float:
    t = text.strip()
    if t.endswith("Z"):
        t = t[:-1] + "+00:00"
    dt = datetime.fromisoformat(t)
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.timestamp()


class FakeClock:
    """A fake wall clock. Every event ticks it by 1 ms so timestamps strictly increase."""

    def __init__(self, start: str = "2026-01-05T08:00:00.000Z") -> None:
        self._now = parse_rfc3339(start)

    def now(self) -> float:
        return self._now

    def tick(self) -> float:
        self._now = round(self._now + 0.001, 3)
        return self._now

    def advance(self, seconds: float) -> None:
        self._now = round(self._now + seconds, 3)

    def set(self, when: str | float) -> None:
        self._now = parse_rfc3339(when) if isinstance(when, str) else float(when)

    def iso(self) -> str:
        return rfc3339(self._now)


@dataclass
class User:
    email: str
    display_name: str
    service_account: bool = False
    token: str = ""
    # Drive storage quota in bytes; None = unlimited, 0 = none (service accounts).
    groups: set[str] = field(default_factory=set)


@dataclass
class Permission:
    id: str
    type: str  # user | group | domain | anyone
    role: str
    email_address: str | None = None
    domain: str | None = None
    display_name: str | None = None
    allow_file_discovery: bool | None = None
    inherited_from: str | None = None
    expiration_time: str | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": "drive#permission", "id": self.id, "type": self.type}
        if self.email_address:
            out["emailAddress"] = self.email_address
        if self.domain:
            out["domain"] = self.domain
        out["role"] = self.role
        if self.display_name:
            out["displayName"] = self.display_name
        if self.allow_file_discovery is not None:
            out["allowFileDiscovery"] = self.allow_file_discovery
        if self.expiration_time:
            out["expirationTime"] = self.expiration_time
        out["deleted"] = False
        out["pendingOwner"] = False
        return out


@dataclass
class SharedDrive:
    id: str
    name: str
    members: dict[str, str]  # email -> role (organizer, fileOrganizer, writer, commenter, reader)
    created_time: float = 0.0


@dataclass
class DriveFile:
    id: str
    name: str
    mime_type: str
    owner: str | None  # None for files in a Shared Drive (the drive owns them)
    created_time: float
    modified_time: float
    last_modifying_user: str
    parents: list[str] = field(default_factory=list)
    drive_id: str | None = None
    app_properties: dict[str, str] = field(default_factory=dict)
    properties: dict[str, str] = field(default_factory=dict)
    description: str | None = None
    trashed: bool = False
    starred: bool = False
    permissions: list[Permission] = field(default_factory=list)
    version: int = 1
    comments: list[dict[str, Any]] = field(default_factory=list)
    writers_can_share: bool = True  # File.writersCanShare (Drive v3): may writers share it?


@dataclass
class RecordedRequest:
    """One request as the fake saw it (also requests that got an injected fault)."""

    method: str
    url: str
    path: str
    params: dict[str, str]
    json: Any
    user: str | None
    status: int
    api: str  # sheets | drive | oauth | other
    op: str  # e.g. "spreadsheets.get", "values.batchGet", "files.list"
    fault: str | None = None
    params_multi: dict[str, list[str]] = field(default_factory=dict)
    response: Any = None  # the JSON answered (None for 204 / timeouts)


@dataclass
class Notification:
    """A sharing e-mail Google would have sent (permissions.create)."""

    to: str
    sender: str
    file_id: str
    file_name: str
    role: str
    message: str | None


@dataclass
class _Fault:
    kind: str  # "429", "500", "502", "503", "504", "403_rate_limit" (Drive's 403
    # userRateLimitExceeded; Sheets answers 429), "timeout", "connect_timeout",
    # "timeout_after_apply" (the request is applied, then the response is lost)
    retry_after: float | None = None
