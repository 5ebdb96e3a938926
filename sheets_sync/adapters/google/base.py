"""What every part of the Google store shares: the Drive/Sheets addresses, the service's
tags on Drive (appProperties), error translation and the FileRef built from a Drive file."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, tzinfo
from typing import Any

from gspread.exceptions import APIError

from sheets_sync.adapters.google.errors import Context, translate
from sheets_sync.adapters.google.http import GoogleHTTP
from sheets_sync.adapters.google.render import Book
from sheets_sync.ports import FileRef, Role, Tags
from sheets_sync.settings.backend import GoogleBackend

DRIVE_FILES = "https://www.googleapis.com/drive/v3/files"
DRIVE_ABOUT = "https://www.googleapis.com/drive/v3/about"
SHEETS = "https://sheets.googleapis.com/v4/spreadsheets"
SPREADSHEET_MIME = "application/vnd.google-apps.spreadsheet"

KEY_ROLE = "sheets_sync_role"
KEY_PERIOD = "sheets_sync_period"
KEY_SECTION = "sheets_sync_section"
# A one-off token stamped by `create` on the untagged file, so a create whose answer was lost
# can be found (and not made twice); removed when the file is tagged. Never a role/period
# tag, so `find` does not see a half-made file.
KEY_CREATE = "sheets_sync_create"

PERM_FIELDS = "id,type,role,emailAddress,domain,permissionDetails(inherited)"
# permissions come with the listing (for the owner and writers; not for Shared Drive items),
# so status and validate report access beyond the config without another call
FILE_FIELDS = ("id,name,createdTime,modifiedTime,version,appProperties,webViewLink,trashed,"
               f"lastModifyingUser(emailAddress),permissions({PERM_FIELDS})")
ALL_DRIVES = {"supportsAllDrives": "true"}

def app_properties(tags: Tags) -> dict[str, str]:
    props = {KEY_ROLE: tags.role.value, KEY_PERIOD: tags.period}
    if tags.section:
        props[KEY_SECTION] = tags.section
    return props


def _quote(value: str) -> str:
    """A string literal for Drive's `q` language."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"



def _local_naive(dt: datetime) -> datetime:
    # The local adapter reports naive local times; flows compare both the same way.
    return dt.astimezone().replace(tzinfo=None) if dt.tzinfo else dt


def _parse_time(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return _local_naive(datetime.fromisoformat(text.replace("Z", "+00:00")))
    except ValueError:
        return None

class StoreBase:
    """State and helpers of `GoogleStore`; the concerns (finding, writing, reading, sharing)
    are mixins over it."""

    def __init__(self, http: GoogleHTTP, settings: GoogleBackend | None = None, *,
                 account: str | None = None) -> None:
        self.http = http
        self.settings = settings or GoogleBackend()
        self.folder_id = self.settings.folder_id
        self._account = account.lower() if account else None
        self._books: dict[str, Book] = {}
        self._copied_from: dict[str, str] = {}  # copy id -> source id, until its book is known
        self._listed_permissions: dict[str, list[dict[str, Any]]] = {}  # file id -> as listed
        self._found: dict[str, list[FileRef]] = {}  # period -> its files, as last listed
        self._trashed: dict[str, list[FileRef]] = {}  # period -> ours in the trash, as listed
        self.zone: tzinfo | None = None  # the office's clock, for the times in messages
        self._lock = threading.RLock()

    # ------------------------------------------------------------------ helpers

    def _ctx(self, action: str, file_id: str | None = None, name: str | None = None) -> Context:
        return Context(action=action, file_id=file_id, file_name=name, account=self._account,
                       template_id=self.settings.template_id, folder_id=self.folder_id)

    @contextlib.contextmanager
    def _errors(self, action: str, file_id: str | None = None,
                name: str | None = None) -> Iterator[None]:
        try:
            yield
        except APIError as exc:
            raise translate(exc, self._ctx(action, file_id, name)) from None

    def _json(self, method: str, url: str, *, params: dict[str, Any] | None = None,
              body: dict[str, Any] | None = None) -> Any:
        response = self.http.request(method, url, params=params, json=body)
        return response.json() if response.content else {}

    def account(self) -> str | None:
        """The e-mail the service acts as (asked of Drive once when the credentials do not
        say it, e.g. an OAuth token made elsewhere)."""
        if self._account is None:
            with self._errors("menanyakan akun yang dipakai"):
                about = self._json("get", DRIVE_ABOUT, params={"fields": "user(emailAddress)"})
            email = (about.get("user") or {}).get("emailAddress")
            self._account = email.lower() if email else None
        return self._account

    @property
    def identity(self) -> str | None:
        """Who the service writes as: the watcher ignores changes last made by itself."""
        return self.account()

    def _ref(self, data: dict[str, Any], tags: Tags | None = None) -> FileRef | None:
        props = data.get("appProperties") or {}
        if tags is None:
            try:
                tags = Tags(Role(props[KEY_ROLE]), props[KEY_PERIOD], props.get(KEY_SECTION))
            except (KeyError, ValueError):
                return None  # tagged by something else: not ours to touch
        file_id = str(data["id"])
        if isinstance(data.get("permissions"), list):
            with self._lock:
                self._listed_permissions[file_id] = data["permissions"]
        return FileRef(
            id=file_id, name=str(data.get("name", "")), tags=tags,
            modified=_parse_time(data.get("modifiedTime")),
            modified_by=(data.get("lastModifyingUser") or {}).get("emailAddress"),
            created=_parse_time(data.get("createdTime")),
            version=str(data.get("version") or ""),
            url=data.get("webViewLink") or f"https://docs.google.com/spreadsheets/d/{file_id}/edit",
        )

    def _concurrently(self, fn: Callable[[Any], Any], items: list[Any]) -> list[Any]:
        if len(items) <= 1:
            return [fn(i) for i in items]
        # I/O-bound: threads; the first error (a BackendError) is raised here
        with ThreadPoolExecutor(max_workers=min(self.settings.workers, len(items))) as pool:
            return list(pool.map(fn, items))
