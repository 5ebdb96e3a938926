"""Finding the service's files on Drive: by their tags (appProperties), and the file a
copy or create made when its answer was lost."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sheets_sync.adapters.google.base import (
    ALL_DRIVES,
    DRIVE_FILES,
    FILE_FIELDS,
    KEY_CREATE,
    KEY_PERIOD,
    KEY_ROLE,
    StoreBase,
    _local_naive,
    _quote,
    app_properties,
)
from sheets_sync.ports import FileRef, Role, Tags


class Finding(StoreBase):
    def office_template(self) -> FileRef | None:
        """The configured `template_id`; the flow copies it once per period (1 call)."""
        if not self.settings.template_id:
            return None
        return FileRef(id=self.settings.template_id, name="template_id",
                       tags=Tags(Role.template, ""),
                       url=f"https://docs.google.com/spreadsheets/d/{self.settings.template_id}")

    def _list(self, q: list[str]) -> Iterator[dict[str, Any]]:
        """Drive files matching all of `q`, not trashed, in the folder if one is set (1 call
        per 1000 files); raises APIError."""
        q = [*q, "trashed = false"]
        if self.folder_id:
            q.append(f"{_quote(self.folder_id)} in parents")
        params: dict[str, Any] = {
            "q": " and ".join(q), "pageSize": 1000, "fields": f"nextPageToken,files({FILE_FIELDS})",
            "supportsAllDrives": "true", "includeItemsFromAllDrives": "true",
        }
        if not self.folder_id:
            params["corpora"] = "allDrives"  # files in Shared Drives too
        while True:
            page = self._json("get", DRIVE_FILES, params=params)
            yield from page.get("files", [])
            token = page.get("nextPageToken")
            if not token:
                return
            params["pageToken"] = token

    def find(self, period: str, role: Role | None = None) -> list[FileRef]:
        q = [f"appProperties has {{ key='{KEY_PERIOD}' and value={_quote(period)} }}"]
        if role is not None:
            q.append(f"appProperties has {{ key='{KEY_ROLE}' and value={_quote(role.value)} }}")
        refs: list[FileRef] = []
        with self._errors(f"mencari berkas periode {period} di Drive", self.folder_id):
            for data in self._list(q):
                ref = self._ref(data)
                if ref is not None and ref.tags.period == period:
                    refs.append(ref)
        refs.sort(key=lambda r: (r.tags.role.value, r.tags.section or "", r.name))
        if role is None:
            self._found[period] = refs  # for extra_access, without another listing
        return refs

    def changed_since(self, period: str, since: datetime | None) -> list[FileRef]:
        refs = self.find(period)
        if since is None:
            return refs
        since = _local_naive(since)
        return [r for r in refs if r.modified and r.modified > since]
    def _already_copied(self, name: str, tags: Tags) -> dict[str, Any] | None:
        """The file a lost-answer copy made, if it exists (1 files.list)."""
        q = [f"appProperties has {{ key={_quote(k)} and value={_quote(v)} }}"
             for k, v in app_properties(tags).items()]
        for data in self._list(q):
            ref = self._ref(data)
            if ref is not None and ref.name == name and ref.tags == tags:
                return data
        return None

    def _already_created(self, token: str) -> dict[str, Any] | None:
        """The file a lost-answer create made, by its one-off marker (1 files.list)."""
        q = [f"appProperties has {{ key='{KEY_CREATE}' and value={_quote(token)} }}"]
        return next(iter(self._list(q)), None)
    def file_info(self, file_id: str, fields: str, what: str) -> dict[str, Any]:
        """Drive metadata of one file or folder; errors name `what` (for the doctor)."""
        with self._errors(f"memeriksa {what}", file_id):
            return dict(self._json("get", f"{DRIVE_FILES}/{file_id}",
                                   params={**ALL_DRIVES, "fields": fields}))
