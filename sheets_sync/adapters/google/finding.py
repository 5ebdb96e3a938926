"""Finding the service's files on Drive: by their tags (appProperties), and the file a
copy or create made when its answer was lost."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from typing import Any
from urllib.parse import quote

from gspread.exceptions import APIError

from sheets_sync.adapters.google.base import (
    ALL_DRIVES,
    DRIVE_FILES,
    FILE_FIELDS,
    KEY_CREATE,
    KEY_PERIOD,
    KEY_ROLE,
    SHEETS,
    SPREADSHEET_MIME,
    StoreBase,
    _local_naive,
    _quote,
    app_properties,
)
from sheets_sync.ports import BackendError, FileRef, Role, Tags

GONE_MATTERS = (Role.section, Role.recap)  # a template gone is copied again: nothing lost
LOOKS = 3  # listings before a missing file is believed missing (Drive's search lags)
META_SHEET = "_meta"  # the hidden meta sheet (labels.sheet_meta's default) that marks ours


class Finding(StoreBase):
    incomplete = False  # whether the last listing said incompleteSearch

    def office_template(self) -> FileRef | None:
        """The configured `template_id`; the flow copies it once per period (1 call)."""
        if not self.settings.template_id:
            return None
        return FileRef(id=self.settings.template_id, name="template_id",
                       tags=Tags(Role.template, ""),
                       url=f"https://docs.google.com/spreadsheets/d/{self.settings.template_id}")

    def _list(self, q: list[str], corpora: str | None = None, *,
              with_trashed: bool = False) -> Iterator[dict[str, Any]]:
        """Drive files matching all of `q`, not trashed unless `with_trashed` (files.list
        returns trashed files unless asked not to: reference/rest/v3/files/list), in the
        folder if one is set (1 call per 1000 files); raises APIError. `self.incomplete`
        tells whether Drive said the search was incomplete (it may be, with
        corpora=allDrives)."""
        q = q if with_trashed else [*q, "trashed = false"]
        if self.folder_id:
            q.append(f"{_quote(self.folder_id)} in parents")
        params: dict[str, Any] = {
            "q": " and ".join(q), "pageSize": 1000,
            "fields": f"nextPageToken,incompleteSearch,files({FILE_FIELDS})",
            "supportsAllDrives": "true", "includeItemsFromAllDrives": "true",
        }
        if corpora or not self.folder_id:
            params["corpora"] = corpora or "allDrives"  # files in Shared Drives too
        self.incomplete = False
        while True:
            page = self._json("get", DRIVE_FILES, params=params)
            self.incomplete = self.incomplete or bool(page.get("incompleteSearch"))
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
        trashed: list[FileRef] = []
        with self._errors(f"mencari berkas periode {period} di Drive", self.folder_id):
            # The trash in the same listing: a workbook someone deleted is known at no cost
            for data in self._list(q, with_trashed=role is None):
                ref = self._ref(data)
                if ref is not None and ref.tags.period == period:
                    (trashed if data.get("trashed") else refs).append(ref)
            if not refs and self.folder_id and role in (None, Role.section):
                refs = self._adopt(period)
        refs.sort(key=lambda r: (r.tags.role.value, r.tags.section or "", r.name))
        if role is None:
            self._found[period] = refs  # for extra_access, without another listing
            present = {(r.tags.role, r.tags.section) for r in refs}
            self._trashed[period] = [r for r in trashed if r.tags.role in GONE_MATTERS
                                     and (r.tags.role, r.tags.section) not in present]
        return refs

    def missing(self, period: str) -> list[tuple[str | None, str, str]]:
        """Workbooks of `period` in Drive's trash with none in their place (from the last
        listing: no call). Drive keeps the trash 30 days, then deletes it for good
        (support.google.com/drive/answer/2375102): until then one command puts it back."""
        out: list[tuple[str | None, str, str]] = []
        seen: set[tuple[Role, str | None]] = set()
        for ref in sorted(self._trashed.get(period, []),
                          key=lambda r: r.modified or datetime.min, reverse=True):
            if (ref.tags.role, ref.tags.section) in seen:
                continue  # one message per workbook: the newest in the trash
            seen.add((ref.tags.role, ref.tags.section))
            what = "rekap" if ref.tags.role is Role.recap else "kertas kerja"
            name = ref.tags.section or "rekap"
            out.append((ref.tags.section, ref.name,
                        f"{what} '{ref.name}' ada di Sampah (Trash) Google Drive: dihapus, "
                        "tetapi masih bisa dipulihkan selama 30 hari; pulihkan dengan "
                        f"'sync restore {name}' (atau di drive.google.com: Sampah, klik kanan, "
                        "Pulihkan). sheets-sync tidak membuat berkas kosong sebagai gantinya. "
                        "Bila memang sengaja dihapus, hapus permanen dari Sampah lalu jalankan "
                        "'sync distribute'"))
        return out

    def _refuse_if_trashed(self, tags: Tags) -> None:
        """Never a blank workbook where a section's one (or the recap) lies in the trash."""
        if tags.role not in GONE_MATTERS:
            return
        for section, _name, reason in self.missing(tags.period):
            if section == tags.section:
                what, _, todo = reason.partition("; ")
                raise BackendError(what + ".", hint=todo)

    def in_trash(self, period: str, section: str | None) -> FileRef | None:
        """The newest trashed workbook of `section` (None: the recap), as last listed."""
        role = Role.recap if section is None else Role.section
        found = [r for r in self._trashed.get(period, [])
                 if r.tags.role is role and r.tags.section == section]
        return max(found, key=lambda r: r.modified or datetime.min, default=None)

    def recaps(self, periods: Sequence[str]) -> dict[str, FileRef]:
        """One listing for all of `periods` (Drive's query takes `or` in parentheses)."""
        if not periods:
            return {}
        any_period = " or ".join(
            f"appProperties has {{ key='{KEY_PERIOD}' and value={_quote(p)} }}" for p in periods)
        q = [f"appProperties has {{ key='{KEY_ROLE}' and value={_quote(Role.recap.value)} }}",
             f"({any_period})"]
        found: dict[str, FileRef] = {}
        with self._errors("mencari rekap periode sebelumnya di Drive", self.folder_id):
            for data in self._list(q):
                ref = self._ref(data)
                if ref is not None and ref.tags.role is Role.recap and ref.tags.period in periods:
                    found.setdefault(ref.tags.period, ref)
        return found

    def changed_since(self, period: str, since: datetime | None) -> list[FileRef]:
        refs = self.find(period)
        if since is None:
            return refs
        since = _local_naive(since)
        return [r for r in refs if r.modified and r.modified > since]
    def _already_copied(self, name: str, tags: Tags) -> dict[str, Any] | None:
        """The file a lost-answer copy made, if it exists (1 files.list, more while Drive's
        search may still lag)."""
        q = [f"appProperties has {{ key={_quote(k)} and value={_quote(v)} }}"
             for k, v in app_properties(tags).items()]

        def same(data: dict[str, Any]) -> bool:
            ref = self._ref(data)
            return ref is not None and ref.name == name and ref.tags == tags

        return self._look(q, same)

    def _already_created(self, token: str, looks: int = LOOKS) -> dict[str, Any] | None:
        """The file a lost-answer create made, by its one-off marker (`looks=1`: one listing,
        for a half-made file an earlier run left, which Drive's search has long caught up
        with)."""
        q = [f"appProperties has {{ key='{KEY_CREATE}' and value={_quote(token)} }}"]
        return self._look(q, lambda data: True, looks)

    def _look(self, q: list[str], match: Callable[[dict[str, Any]], bool],
              looks: int = LOOKS) -> dict[str, Any] | None:
        """Look before making a file again. Drive's search is not instantly consistent (a
        file made a moment ago may be missing) and may answer `incompleteSearch`: a miss is
        believed only after LOOKS listings, and an incomplete all-drives search is completed
        by a search of My Drive (where the files are when no folder is set)."""
        retry = self.http.retry
        unsure = False
        for attempt in range(looks):
            found = next((d for d in self._list(q) if match(d)), None)
            unsure = self.incomplete
            if found is None and unsure:
                found = next((d for d in self._list(q, corpora="user") if match(d)), None)
            if found is not None:
                return found
            if attempt + 1 < looks:
                retry.sleep(retry.delay(attempt, None))
        if unsure:  # Drive could not search everything: a resend might make a second file
            raise BackendError(
                "Google Drive tidak dapat memastikan apakah berkas itu sudah dibuat "
                "(pencarian tidak lengkap, incompleteSearch); tidak dibuat lagi agar tidak "
                "ada dua berkas.",
                hint="Jalankan perintah yang sama lagi beberapa menit kemudian. Agar pencarian "
                     "selalu lengkap, tulis id folder tujuan di backend.google.folder_id.")
        return None

    def _adopt(self, period: str) -> list[FileRef]:
        """The tag search found nothing, yet the configured folder may hold this period's
        workbooks whose tags this client cannot see (appProperties are private to the OAuth
        client that wrote them: another Cloud project, another computer). Recognise them by
        their meta sheet and tag them again, so they are used, never made a second time."""
        refs: list[FileRef] = []
        for data in list(self._list([f"mimeType = '{SPREADSHEET_MIME}'"])):
            if KEY_PERIOD in (data.get("appProperties") or {}):
                continue  # tagged by us under a visible tag: not for adoption
            meta = self._meta_values(str(data["id"]))
            if meta.get("period") != period or not meta.get("section"):
                continue
            tags = Tags(Role.section, period, meta["section"])
            tagged = self._json("patch", f"{DRIVE_FILES}/{data['id']}",
                                params={**ALL_DRIVES, "fields": FILE_FIELDS},
                                body={"appProperties": app_properties(tags)})
            ref = self._ref(tagged, tags)
            if ref is not None:
                refs.append(ref)
        return refs

    def _meta_values(self, file_id: str) -> dict[str, str]:
        """The key/value head of a workbook's meta sheet ({} when it has none)."""
        rng = quote(f"'{META_SHEET}'!A1:B6", safe="")
        try:
            data = self._json("get", f"{SHEETS}/{file_id}/values/{rng}",
                              params={"valueRenderOption": "UNFORMATTED_VALUE"})
        except APIError:
            return {}  # no meta sheet, or not readable: not one of ours
        return {str(row[0]): str(row[1]) for row in data.get("values", [])
                if len(row) >= 2 and row[0] and row[1] not in (None, "")}
    def file_info(self, file_id: str, fields: str, what: str) -> dict[str, Any]:
        """Drive metadata of one file or folder; errors name `what` (for the doctor)."""
        with self._errors(f"memeriksa {what}", file_id):
            return dict(self._json("get", f"{DRIVE_FILES}/{file_id}",
                                   params={**ALL_DRIVES, "fields": fields}))
