"""Making and writing files: copy and create (never twice, even when an answer is lost),
one batchUpdate per patch, and the trash."""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable, Sequence
from typing import Any

from gspread.exceptions import APIError

from sheets_sync.adapters.google.base import (
    ALL_DRIVES,
    DRIVE_FILES,
    FILE_FIELDS,
    KEY_CREATE,
    SHEETS,
    SPREADSHEET_MIME,
    app_properties,
)
from sheets_sync.adapters.google.errors import translate
from sheets_sync.adapters.google.finding import Finding
from sheets_sync.adapters.google.http import MaybeApplied
from sheets_sync.adapters.google.render import METADATA_FIELDS, Book, SheetInfo, render
from sheets_sync.domain.patch import WorkbookPatch
from sheets_sync.ports import BackendError, FileRef, Tags

OBJECT_IDS = "sheets(properties(sheetId),protectedRanges(protectedRangeId),charts(chartId))"


def create_marker(name: str, tags: Tags) -> str:
    """The one-off marker of a file `create` makes (a Drive property value: <= 124 bytes)."""
    text = "|".join([tags.role.value, tags.period, tags.section or "", name])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


class Writing(Finding):
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

    def copy(self, source: FileRef, name: str, tags: Tags) -> FileRef:
        self._refuse_if_trashed(tags)
        # Sections' editors may not re-share their workbook: sharing follows the config only.
        body: dict[str, Any] = {"name": name, "appProperties": app_properties(tags),
                                "writersCanShare": False}
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
        self._refuse_if_trashed(tags)
        # The marker is derived from what is made, not random: a run after a crash between
        # files.create and the tagging finds the half-made file (untagged, so `find` never
        # saw it) and finishes it, instead of leaving it behind and making another.
        token = create_marker(name, tags)
        body: dict[str, Any] = {"name": name, "mimeType": SPREADSHEET_MIME,
                                "appProperties": {KEY_CREATE: token}, "writersCanShare": False}
        if self.folder_id:
            body["parents"] = [self.folder_id]
        what = f"membuat '{name}'"
        with self._errors(what, self.folder_id):
            data = self._already_created(token, looks=1)  # 1 files.list
            half_made = data is not None
            if data is None:
                data = self._make_once(DRIVE_FILES, {**ALL_DRIVES, "fields": "id"}, body,
                                       lambda: self._already_created(token), what)
        file_id = str(data["id"])
        # A spreadsheet made through Drive holds one default sheet, id 0 (its title depends
        # on the account's language): render() renames it to the patch's first sheet.
        default = Book({"": SheetInfo(0, "")})
        try:
            with self._errors(f"mengisi '{name}'", file_id, name):
                book = self._fetch_book(file_id, name) if half_made else default
                # A batch is all-or-nothing: a half-made file holds all of it or none.
                if not (half_made and all(sp.title in book.sheets for sp in patch.sheets)):
                    self._write(file_id, name, patch, book, new_file=True)
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

    def restore_from_trash(self, period: str, section: str | None) -> FileRef | None:
        """Take the newest trashed workbook of `section` (None: the recap) out of Drive's
        trash, as it was: its values, hand-in time, history and sharing untouched (1 call).
        None when the last listing found none there."""
        ref = self.in_trash(period, section)
        if ref is None:
            return None
        with self._errors(f"memulihkan '{ref.name}' dari Sampah", ref.id, ref.name):
            self._json("patch", f"{DRIVE_FILES}/{ref.id}",
                       params={**ALL_DRIVES, "fields": "id"}, body={"trashed": False})
        with self._lock:
            self._trashed[period] = [r for r in self._trashed[period] if r.id != ref.id]
        return ref

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
    def _write(self, file_id: str, name: str, patch: WorkbookPatch, book: Book, *,
               new_file: bool = False) -> None:
        """Render and send ONE batchUpdate; raises APIError for the caller to judge.

        A batch that only sets values, formats and notes sets absolute state: resent freely.
        A batch that adds or deletes sheets, protections or charts is not (a repeat would be
        refused, or would add them twice): after a lost answer the file is looked at first,
        and the ids chosen for what it adds (gone: what it deletes) tell whether it was
        applied (a batch is all-or-nothing). Appended rows (the recap's Audit) ride in a batch
        that re-adds a chart; without such a marker they are not resent at all."""
        account = self.account() if any(sp.protection for sp in patch.sheets) else None
        rendered = render(patch, book, account=account, new_file=new_file, file_id=file_id)
        if not rendered.requests:
            return
        appends = any("appendCells" in r for r in rendered.requests)
        provable = bool(rendered.added or rendered.deleted)
        retry = self.http.retry
        for attempt in range(retry.max_retries + 1):
            try:
                self.http.request("post", f"{SHEETS}/{file_id}:batchUpdate",
                                  json={"requests": rendered.requests},
                                  idempotent=not (appends or provable))
                break
            except MaybeApplied as exc:
                if not provable:
                    raise BackendError(
                        f"Google tidak menjawab dengan pasti saat menulis ke '{name}' "
                        f"({exc.message}): tulisan itu, termasuk baris Audit yang ditambahkan, "
                        "mungkin sudah tersimpan, mungkin juga belum. Tidak dikirim ulang agar "
                        "baris tidak tercatat dua kali.",
                        hint="Jalankan perintah lagi: isinya dihitung ulang dari keadaan berkas "
                             "saat ini, jadi tidak ada yang tercatat dua kali.") from None
                retry.sleep(retry.delay(attempt, exc.retry_after))
                if self._batch_applied(file_id, rendered.added, rendered.deleted):
                    break
        else:
            raise BackendError(
                f"Google tidak menjawab dengan pasti saat menulis ke '{name}'.",
                hint="Periksa sambungan internet, lalu jalankan perintah lagi; yang sudah "
                     "tertulis tidak ditulis dua kali.")
        with self._lock:
            self._books[file_id] = rendered.book

    def _batch_applied(self, file_id: str, added: list[int], deleted: list[int]) -> bool:
        """Whether a batch whose answer was lost was applied: what it adds is there (or, for a
        batch that only deletes, what it deletes is gone). 1 spreadsheets.get."""
        data = self._json("get", f"{SHEETS}/{file_id}", params={"fields": OBJECT_IDS})
        ids: set[int] = set()
        for sheet in data.get("sheets", []):
            ids.add(int(sheet.get("properties", {}).get("sheetId", 0)))
            ids.update(int(p["protectedRangeId"]) for p in sheet.get("protectedRanges", [])
                       if "protectedRangeId" in p)
            ids.update(int(c["chartId"]) for c in sheet.get("charts", []) if "chartId" in c)
        if added:
            return all(i in ids for i in added)
        return not any(i in ids for i in deleted)
