"""`GoogleStore`: the workbook-store port on Google Sheets v4 + Drive v3, through gspread's
lower-level `HTTPClient` calls (one request each, no hidden metadata fetches).

Call costs (each one request unless a retry is needed):
- find / changed_since: 1 Drive files.list (per 1000 files)
- copy: 1 Drive files.copy; create: files.create + batchUpdate + files.update (tags last, so a
  half-made file is never found). Copy and create are never resent blindly: when the answer
  is lost (timeout, 5xx) the file is first looked for (+1 files.list), by its tags (copy) or
  by a one-off marker set at creation (create)
- a batchUpdate that appends rows (appendCells) is not resent after an unknown outcome
  either: the user is told to run the command again
- apply: 1 batchUpdate; +1 spreadsheets.get when the file was neither read, written, created
  nor copied by this process (a copy inherits its template's sheet ids)
- read: 1 call per file: values.batchGet, or, for a file this process does not know yet,
  spreadsheets.get with grid data (values + sheet ids at once, so the next apply is 1 call);
  +1 when a sheet was renamed or removed since the last look
- share: 1 permissions.list + 1 per account added, changed or removed
"""

from __future__ import annotations

import contextlib
import secrets
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import requests
from gspread.exceptions import APIError

from sheets_sync.adapters.google.errors import Context, translate
from sheets_sync.adapters.google.http import (
    GoogleHTTP,
    MaybeApplied,
    QuotaLimiter,
    RateLimiter,
    RetryPolicy,
    Sleep,
)
from sheets_sync.adapters.google.render import METADATA_FIELDS, Book, SheetInfo, render
from sheets_sync.domain.models import GoogleBackend
from sheets_sync.domain.patch import WorkbookPatch
from sheets_sync.ports import BackendError, FileRef, Grant, Grid, Role, ShareResult, Tags

if TYPE_CHECKING:
    from sheets_sync.adapters.google.auth import Mount
    from sheets_sync.domain.models import Config

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

FILE_FIELDS = ("id,name,createdTime,modifiedTime,appProperties,webViewLink,"
               "lastModifyingUser(emailAddress)")
ALL_DRIVES = {"supportsAllDrives": "true"}
ROLE_RANK = {"reader": 1, "commenter": 2, "writer": 3}


def app_properties(tags: Tags) -> dict[str, str]:
    props = {KEY_ROLE: tags.role.value, KEY_PERIOD: tags.period}
    if tags.section:
        props[KEY_SECTION] = tags.section
    return props


def _quote(value: str) -> str:
    """A string literal for Drive's `q` language."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _sheet_range(title: str) -> str:
    return "'" + title.replace("'", "''") + "'"


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


def _grid(values: list[list[Any]]) -> Grid:
    """Google gives "" for an empty cell inside a row; the port (and the local adapter) give
    None. Trailing blanks are trimmed as the port promises."""
    out: Grid = []
    for row in values:
        cells = [None if v == "" else v for v in row]
        while cells and cells[-1] is None:
            cells.pop()
        out.append(cells)
    while out and not out[-1]:
        out.pop()
    return out


# What a first read of a file asks for: the book (see render.METADATA_FIELDS) plus each
# cell's value as UNFORMATTED_VALUE + FORMATTED_STRING dates would give it.
READ_FIELDS = METADATA_FIELDS[:-1] + (
    ",data(startRow,startColumn,rowData(values(effectiveValue,formattedValue,"
    "effectiveFormat(numberFormat(type))))))"
)
_DATE_TYPES = frozenset({"DATE", "TIME", "DATE_TIME"})


def _cell(cell: dict[str, Any]) -> Any:
    """A CellData as values.batchGet with UNFORMATTED_VALUE and FORMATTED_STRING dates
    answers it: numbers, booleans and text as they are; dates and errors as shown."""
    value = cell.get("effectiveValue")
    if not value:
        return None
    kind = ((cell.get("effectiveFormat") or {}).get("numberFormat") or {}).get("type")
    if "errorValue" in value or ("numberValue" in value and kind in _DATE_TYPES):
        return cell.get("formattedValue")
    for key in ("numberValue", "stringValue", "boolValue"):
        if key in value:
            return value[key]
    return cell.get("formattedValue")


def _grid_from_cells(data: list[dict[str, Any]]) -> Grid:
    if not data:
        return []
    block = data[0]
    lead_rows, lead_cols = int(block.get("startRow", 0)), int(block.get("startColumn", 0))
    rows: list[list[Any]] = [[] for _ in range(lead_rows)]
    for row in block.get("rowData", []):
        rows.append([None] * lead_cols + [_cell(c) for c in row.get("values", [])])
    return _grid(rows)


class GoogleStore:
    """The Google backend.

    Tests and tools build it on any `requests.Session` (e.g. the in-process fake's) with
    `GoogleStore.from_session(session, settings, account=...)`; the CLI uses `from_config`.
    """

    def __init__(self, http: GoogleHTTP, settings: GoogleBackend | None = None, *,
                 account: str | None = None) -> None:
        self.http = http
        self.settings = settings or GoogleBackend()
        self.folder_id = self.settings.folder_id
        self._account = account.lower() if account else None
        self._books: dict[str, Book] = {}
        self._copied_from: dict[str, str] = {}  # copy id -> source id, until its book is known
        self._lock = threading.RLock()

    # ------------------------------------------------------------------ construction

    @classmethod
    def from_session(cls, session: requests.Session, settings: GoogleBackend | None = None, *,
                     account: str | None = None, sleep: Sleep | None = None,
                     rand: Callable[[], float] | None = None,
                     limiter: RateLimiter | QuotaLimiter | None = None) -> GoogleStore:
        """A store on `session` (already authorised), with the limiter and retry policy of
        `settings`. For tests: `sleep` (the retry backoff's and, unless `limiter` is given,
        the limiter's), `rand` (() -> float in [0, 1), the jitter) and `limiter`."""
        settings = settings or GoogleBackend()
        if limiter is None:
            limiter = (QuotaLimiter.from_settings(settings, sleep=sleep) if sleep
                       else QuotaLimiter.from_settings(settings))
        retry = RetryPolicy(max_retries=settings.max_retries)
        if sleep is not None:
            retry.sleep = sleep
        if rand is not None:
            retry.rand = rand
        http = GoogleHTTP(session, limiter=limiter, retry=retry,
                          timeout=settings.timeout_seconds)
        return cls(http, settings, account=account)

    @classmethod
    def from_config(cls, config: Config, base_dir: Path, *,
                    mount: Mount | None = None) -> GoogleStore:
        """The store for `config`: credentials loaded (and checked) as the config says.
        `mount(session)` puts a transport adapter on the sessions (the tests' fake)."""
        from sheets_sync.adapters.google.auth import authorized_session

        settings = config.backend.google
        session, loaded = authorized_session(settings, base_dir, mount=mount)
        store = cls.from_session(session, settings, account=loaded.account)
        store.http.auth_kind = loaded.kind
        return store

    def stats(self) -> dict[str, int]:
        """API calls so far, per endpoint kind (for `--stats`)."""
        return self.http.stats()

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
        return FileRef(
            id=file_id, name=str(data.get("name", "")), tags=tags,
            modified=_parse_time(data.get("modifiedTime")),
            modified_by=(data.get("lastModifyingUser") or {}).get("emailAddress"),
            created=_parse_time(data.get("createdTime")),
            url=data.get("webViewLink") or f"https://docs.google.com/spreadsheets/d/{file_id}/edit",
        )

    # ------------------------------------------------------------------ finding

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
        return sorted(refs, key=lambda r: (r.tags.role.value, r.tags.section or "", r.name))

    def changed_since(self, period: str, since: datetime | None) -> list[FileRef]:
        refs = self.find(period)
        if since is None:
            return refs
        since = _local_naive(since)
        return [r for r in refs if r.modified and r.modified > since]

    # ------------------------------------------------------------------ creating

    def _make_once(self, url: str, params: dict[str, Any], body: dict[str, Any],
                   look: Callable[[], dict[str, Any] | None], what: str) -> dict[str, Any]:
        """POST a request that makes a file (copy, create) so that it is never made twice:
        when its outcome is unknown (answer lost, 5xx) wait, then `look` for the file; send
        again only if it is not there. Raises APIError for a final refusal."""
        retry = self.http.retry
        for attempt in range(retry.max_retries + 1):
            try:
                return dict(self.http.request("post", url, params=params, json=body,
                                              idempotent=False).json())
            except MaybeApplied as exc:
                # Wait first: Google may still be working on it, and its search lags a little.
                retry.sleep(retry.delay(attempt, exc.retry_after))
                made = look()
                if made is not None:
                    return made
        raise BackendError(
            f"Google tidak menjawab dengan pasti saat {what}.",
            hint="Periksa sambungan internet, lalu jalankan perintah lagi; berkas yang sudah "
                 "jadi tidak dibuat dua kali.")

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

    def copy(self, source: FileRef, name: str, tags: Tags) -> FileRef:
        body: dict[str, Any] = {"name": name, "appProperties": app_properties(tags)}
        if self.folder_id:
            body["parents"] = [self.folder_id]
        url = f"{DRIVE_FILES}/{source.id}/copy"
        params = {**ALL_DRIVES, "fields": FILE_FIELDS}
        what = f"menyalin '{source.name}' menjadi '{name}'"
        with self._errors(what, source.id, source.name):
            # The copy may exist although its answer was lost: a blind resend could make a
            # second worksheet for the same section.
            data = self._make_once(url, params, body, lambda: self._already_copied(name, tags),
                                   what)
        ref = self._ref(data, tags)
        assert ref is not None
        with self._lock:
            source_book = self._books.get(source.id)
            if source_book is not None:
                self._books[ref.id] = source_book.copied()
            else:
                self._copied_from[ref.id] = source.id  # read the source once, when needed
        return ref

    def create(self, name: str, tags: Tags, patch: WorkbookPatch) -> FileRef:
        token = secrets.token_hex(12)
        body: dict[str, Any] = {"name": name, "mimeType": SPREADSHEET_MIME,
                                "appProperties": {KEY_CREATE: token}}
        if self.folder_id:
            body["parents"] = [self.folder_id]
        what = f"membuat '{name}'"
        with self._errors(what, self.folder_id):
            data = self._make_once(DRIVE_FILES, {**ALL_DRIVES, "fields": "id"}, body,
                                   lambda: self._already_created(token), what)
        file_id = str(data["id"])
        # A spreadsheet made through Drive holds one default sheet, id 0 (its title depends
        # on the account's language): render() renames it to the patch's first sheet.
        default = Book({"": SheetInfo(0, "")})
        try:
            with self._errors(f"mengisi '{name}'", file_id, name):
                self._write(file_id, name, patch, default, new_file=True)
            # Tagged only once complete, so a crash in between leaves nothing `find` returns.
            with self._errors(f"menandai '{name}'", file_id, name):
                data = self._json("patch", f"{DRIVE_FILES}/{file_id}",
                                  params={**ALL_DRIVES, "fields": FILE_FIELDS},
                                  body={"appProperties": {**app_properties(tags),
                                                          KEY_CREATE: None}})
        except Exception:
            with contextlib.suppress(Exception):
                self._trash(file_id)
            raise
        ref = self._ref(data, tags)
        assert ref is not None
        return ref

    def delete(self, ref: FileRef) -> None:
        # To the trash, not gone: a mistaken delete can be undone from Drive for 30 days.
        with self._errors(f"menghapus '{ref.name}'", ref.id, ref.name):
            self._trash(ref.id)
        with self._lock:
            self._books.pop(ref.id, None)

    def _trash(self, file_id: str) -> None:
        self._json("patch", f"{DRIVE_FILES}/{file_id}", params={**ALL_DRIVES, "fields": "id"},
                   body={"trashed": True})

    # ------------------------------------------------------------------ writing

    def _fetch_book(self, file_id: str, name: str | None = None) -> Book:
        with self._errors("membaca susunan lembar", file_id, name):
            data = self._json("get", f"{SHEETS}/{file_id}", params={"fields": METADATA_FIELDS})
        book = Book.from_metadata(data)
        with self._lock:
            self._books[file_id] = book
            self._copied_from.pop(file_id, None)
        return book

    def _book(self, file_id: str, name: str | None = None) -> tuple[Book, bool]:
        """The file's book and whether it came from the cache (and so may be stale)."""
        with self._lock:
            book = self._books.get(file_id)
            source = self._copied_from.get(file_id)
        if book is not None:
            return book, True
        if source is not None:
            source_book, _ = self._book(source)
            book = source_book.copied()
            with self._lock:
                self._books[file_id] = book
                self._copied_from.pop(file_id, None)
            return book, True
        return self._fetch_book(file_id, name), False

    def apply(self, ref: FileRef, patch: WorkbookPatch) -> None:
        book, cached = self._book(ref.id, ref.name)
        if book.needs_objects(patch):
            book, cached = self._fetch_book(ref.id, ref.name), False
        try:
            self._write(ref.id, ref.name, patch, book)
        except APIError as exc:
            # A batch is all-or-nothing, so after a 400 nothing was written: if our picture
            # of the file was old (a sheet renamed or removed by hand), read it and try once.
            if not cached or exc.response.status_code != 400:
                raise translate(exc, self._ctx(f"menulis ke '{ref.name}'", ref.id,
                                               ref.name)) from None
            book = self._fetch_book(ref.id, ref.name)
            with self._errors(f"menulis ke '{ref.name}'", ref.id, ref.name):
                self._write(ref.id, ref.name, patch, book)

    def apply_many(self, items: Sequence[tuple[FileRef, WorkbookPatch]]) -> None:
        """`apply` for many workbooks, a few at a time; every call passes the one limiter."""
        self._concurrently(lambda item: self.apply(*item), list(items))

    def _concurrently(self, fn: Callable[[Any], Any], items: list[Any]) -> list[Any]:
        if len(items) <= 1:
            return [fn(i) for i in items]
        # I/O-bound: threads; the first error (a BackendError) is raised here
        with ThreadPoolExecutor(max_workers=min(self.settings.workers, len(items))) as pool:
            return list(pool.map(fn, items))

    def _write(self, file_id: str, name: str, patch: WorkbookPatch, book: Book, *,
               new_file: bool = False) -> None:
        """Render and send ONE batchUpdate; raises APIError for the caller to judge."""
        account = self.account() if any(sp.protection for sp in patch.sheets) else None
        rendered = render(patch, book, account=account, new_file=new_file)
        if not rendered.requests:
            return
        # Appended rows (the recap's Audit) are not absolute state: a resend after an unknown
        # outcome could append them twice. Every other request sets absolute state.
        appends = any("appendCells" in r for r in rendered.requests)
        try:
            answer = self.http.request("post", f"{SHEETS}/{file_id}:batchUpdate",
                                       json={"requests": rendered.requests},
                                       idempotent=not appends).json()
        except MaybeApplied as exc:
            raise BackendError(
                f"Google tidak menjawab dengan pasti saat menulis ke '{name}' ({exc.message}): "
                "tulisan itu, termasuk baris Audit yang ditambahkan, mungkin sudah tersimpan, "
                "mungkin juga belum. Tidak dikirim ulang agar baris tidak tercatat dua kali.",
                hint="Jalankan perintah lagi: isinya dihitung ulang dari keadaan berkas saat "
                     "ini, jadi tidak ada yang tercatat dua kali.") from None
        replies = answer.get("replies", []) if isinstance(answer, dict) else []
        prot_ids = [r["addProtectedRange"]["protectedRange"].get("protectedRangeId")
                    for r in replies if "addProtectedRange" in r]
        chart_ids = [r["addChart"]["chart"].get("chartId") for r in replies if "addChart" in r]
        new_book = rendered.book
        for title, pid in zip(rendered.protection_slots, prot_ids, strict=False):
            if pid is not None:
                new_book.sheets[title].protections.append(int(pid))
        for title, cid in zip(rendered.chart_slots, chart_ids, strict=False):
            if cid is not None:
                new_book.sheets[title].charts.append(int(cid))
        if len(prot_ids) < len(rendered.protection_slots) or len(chart_ids) < len(
                rendered.chart_slots):
            new_book.objects_known = False  # an id we could not learn: read it when needed
        with self._lock:
            self._books[file_id] = new_book

    # ------------------------------------------------------------------ reading

    def read(self, ref: FileRef, sheets: Sequence[str]) -> dict[str, Grid]:
        wanted = list(dict.fromkeys(sheets))
        with self._lock:
            book = self._books.get(ref.id)
        action = f"membaca '{ref.name}'"
        if book is None:
            # Not known yet: one spreadsheets.get returns the values AND the sheet ids and
            # protections, so a following apply needs no call of its own, and a missing
            # sheet cannot fail the read.
            with self._errors(action, ref.id, ref.name):
                return self._read_grid_data(ref, wanted)
        try:
            # Known titles: ask only for sheets that exist (a missing one fails the batch).
            return self._batch_get(ref, [t for t in wanted if t in book.sheets])
        except APIError as exc:
            if exc.response.status_code != 400 or "Unable to parse range" not in str(exc):
                raise translate(exc, self._ctx(action, ref.id, ref.name)) from None
        # A sheet was renamed or removed since: read afresh, once.
        with self._errors(action, ref.id, ref.name):
            return self._read_grid_data(ref, wanted)

    def _read_grid_data(self, ref: FileRef, wanted: list[str]) -> dict[str, Grid]:
        data = self._json("get", f"{SHEETS}/{ref.id}",
                          params={"includeGridData": "true", "fields": READ_FIELDS})
        book = Book.from_metadata(data)
        with self._lock:
            self._books[ref.id] = book
            self._copied_from.pop(ref.id, None)
        found: dict[str, Grid] = {}
        for sheet in data.get("sheets", []):
            title = str(sheet.get("properties", {}).get("title", ""))
            if title in wanted:
                found[title] = _grid_from_cells(sheet.get("data") or [])
        return {t: found[t] for t in wanted if t in found}

    def _batch_get(self, ref: FileRef, titles: list[str]) -> dict[str, Grid]:
        if not titles:
            return {}
        answer = self.http.values_batch_get(
            ref.id, [_sheet_range(t) for t in titles],
            params={"valueRenderOption": "UNFORMATTED_VALUE",
                    "dateTimeRenderOption": "FORMATTED_STRING", "majorDimension": "ROWS"},
        )
        ranges = answer.get("valueRanges", [])
        return {t: _grid(vr.get("values", [])) for t, vr in zip(titles, ranges, strict=False)}

    def read_many(self, refs: Sequence[FileRef],
                  sheets: Sequence[str]) -> dict[str, dict[str, Grid]]:
        results = self._concurrently(lambda r: self.read(r, sheets), list(refs))
        return {r.id: res for r, res in zip(refs, results, strict=True)}

    # ------------------------------------------------------------------ sharing

    def share(self, ref: FileRef, grants: Sequence[Grant], *, notify: bool = False,
              message: str = "") -> ShareResult:
        wanted: dict[str, str] = {}
        for g in grants:
            email, role = g.email.strip().lower(), g.role
            if role not in ROLE_RANK:
                raise ValueError(f"unknown role {role!r}")  # a programming error, not a user's
            if ROLE_RANK[role] > ROLE_RANK.get(wanted.get(email, ""), 0):
                wanted[email] = role
        me = self.account()
        result = ShareResult()
        base = f"{DRIVE_FILES}/{ref.id}/permissions"
        action = f"mengatur akses '{ref.name}'"
        with self._errors(action, ref.id, ref.name):
            existing = self._permissions(base)
        have: dict[str, str] = {}
        for perm in existing:
            kind, role = perm.get("type"), perm.get("role", "")
            email = str(perm.get("emailAddress", "")).lower()
            inherited = any(d.get("inherited") for d in perm.get("permissionDetails") or [])
            if role == "owner" or inherited or (email and email == me):
                # the owner, a Shared Drive member, the service's own account: never removed
                have[email] = "owner" if role == "owner" else role
                continue
            if kind in ("user", "group") and email in wanted:
                if perm.get("role") == wanted[email]:
                    have[email] = role
                    continue
                with self._errors(action, ref.id, ref.name):
                    self._json("patch", f"{base}/{perm['id']}",
                               params={**ALL_DRIVES, "fields": "id"},
                               body={"role": wanted[email]})
                have[email] = wanted[email]
                result.added.append(Grant(email, wanted[email]))
                continue
            # Anything not granted goes, "anyone with the link" and whole domains included.
            with self._errors(action, ref.id, ref.name):
                self.http.request("delete", f"{base}/{perm['id']}", params=ALL_DRIVES)
            result.removed.append(email or (perm.get("domain") and f"domain:{perm['domain']}")
                                  or str(kind))
        for email, role in wanted.items():
            if email in have or email == me:
                continue
            params: dict[str, Any] = {**ALL_DRIVES, "fields": "id",
                                      "sendNotificationEmail": "true" if notify else "false"}
            if notify and message:
                params["emailMessage"] = message
            with self._errors(f"{action} untuk {email}", ref.id, ref.name):
                self._json("post", base, params=params,
                           body={"type": "user", "role": role, "emailAddress": email})
            result.added.append(Grant(email, role))
        return result

    def _permissions(self, base: str) -> list[dict[str, Any]]:
        params: dict[str, Any] = {
            **ALL_DRIVES, "pageSize": 100,
            "fields": "nextPageToken,permissions(id,type,role,emailAddress,domain,"
                      "permissionDetails(inherited))",
        }
        out: list[dict[str, Any]] = []
        while True:
            page = self._json("get", base, params=params)
            out.extend(page.get("permissions", []))
            if not page.get("nextPageToken"):
                return out
            params["pageToken"] = page["nextPageToken"]

    # ------------------------------------------------------------------ for `sync doctor`

    def file_info(self, file_id: str, fields: str, what: str) -> dict[str, Any]:
        """Drive metadata of one file or folder; errors name `what` (for the doctor)."""
        with self._errors(f"memeriksa {what}", file_id):
            return dict(self._json("get", f"{DRIVE_FILES}/{file_id}",
                                   params={**ALL_DRIVES, "fields": fields}))
