"""The local backend: a folder of .xlsx workbooks (openpyxl). The embedded default.

Layout of the workspace (the folder layout *is* the state: nothing else to get out of sync):

    <workspace>/<period>/template/<name>.xlsx             role template
    <workspace>/<period>/kertas-kerja/<id> - <name>.xlsx  role section (one per section)
    <workspace>/<period>/rekap/<name>.xlsx                role recap
    <workspace>/<period>/.sheets-sync/                    the service's own: period lock,
                                                          temp files, backups (cadangan/)

Sections open their own file (e.g. from a shared network folder). Every write loads the file
fresh, changes only the cells in the patch and swaps the file in only if nobody saved it
meanwhile (see `files`); a file open in Excel or LibreOffice, or damaged, is skipped this
run and reported, and the others carry on.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from datetime import datetime, tzinfo
from pathlib import Path

from sheets_sync.adapters.local import files, workers, xlsx
from sheets_sync.adapters.local.period_lock import PeriodLock
from sheets_sync.adapters.local.workbook_io import Skipped, apply_file, read_file, write_temp
from sheets_sync.domain.os_words import why
from sheets_sync.domain.patch import WorkbookPatch
from sheets_sync.ports import (
    BackendError,
    Capabilities,
    FileRef,
    FilesSkipped,
    Grant,
    Grid,
    LockHolder,
    Role,
    ShareResult,
    Tags,
)

ROLE_FOLDERS = {Role.template: "template", Role.section: "kertas-kerja", Role.recap: "rekap",
                Role.consolidated: "rekap-gabungan"}


# Reading and writing .xlsx is CPU-bound (XML), so many files are spread over processes.
PARALLEL_FROM = 8  # files; below this a pool costs more than it saves


class LocalStore:
    @property
    def capabilities(self) -> Capabilities:
        # whole batches go to a process pool; no API calls to count; its own backups kept
        return Capabilities(backups=self, missing=self)

    def stats(self) -> dict[str, int]:
        return {}  # no API calls: `capabilities.counts_calls` is false

    def __init__(self, workspace: Path, processes: int | None = None, *,
                 template: Path | None = None, lock_wait: float | None = None,
                 lock_stale_minutes: float = 1, zone: tzinfo | None = None) -> None:
        self.workspace = Path(workspace)
        self.template = template
        self.identity: str | None = xlsx.SERVICE_NAME
        self.processes = processes if processes is not None else min(4, os.cpu_count() or 1)
        self.lock_wait = lock_wait
        self.lock_stale_minutes = lock_stale_minutes
        self.zone = zone  # the office's clock, for the times in messages
        self._held: dict[str, int] = {}  # period -> depth: a command may nest its flows

    def _pool(self, count: int) -> ProcessPoolExecutor | None:
        if self.processes > 1 and count >= PARALLEL_FROM:
            return workers.pool(self.processes)  # its workers die with this process
        return None

    # ------------------------------------------------------------------ finding

    def office_template(self) -> FileRef | None:
        if self.template is None:
            return None
        if not self.template.is_file():
            raise BackendError(f"template kantor {self.template} (backend.local.template) tidak ada.",
                               hint="Periksa jalurnya, atau hapus kunci itu agar template dibuat "
                                    "dari konfigurasi.")
        return FileRef(id=str(self.template), name=self.template.stem,
                       tags=Tags(Role.template, ""), url=str(self.template))

    def find(self, period: str, role: Role | None = None) -> list[FileRef]:
        roles = [role] if role else list(Role)
        refs = []
        for r in roles:
            folder = self.workspace / period / ROLE_FOLDERS[r]
            if not folder.is_dir():
                continue
            for path in sorted(folder.glob("*.xlsx")):
                if path.name.startswith(("~$", ".")):  # Excel lock files, older temp files
                    continue
                if _empty(path):  # a create killed half-way: nothing in it, made again
                    continue
                refs.append(self._ref(path, Tags(r, period, self._section_of(path, r))))
        return refs

    def recaps(self, periods: Sequence[str]) -> dict[str, FileRef]:
        return {p: refs[0] for p in periods if (refs := self.find(p, Role.recap))}

    def changed_since(self, period: str, since: datetime | None) -> list[FileRef]:
        refs = self.find(period)
        if since is None:
            return refs
        return [r for r in refs if r.modified and r.modified > since]

    @staticmethod
    def _section_of(path: Path, role: Role) -> str | None:
        return path.stem.split(" - ", 1)[0] if role is Role.section else None

    def _path(self, name: str, tags: Tags) -> Path:
        folder = self.workspace / tags.period / ROLE_FOLDERS[tags.role]
        safe = "".join(ch for ch in name if ch not in '<>:"/\\|?*').strip()
        stem = f"{tags.section} - {safe}" if tags.role is Role.section else safe
        return folder / f"{stem}.xlsx"

    def _ref(self, path: Path, tags: Tags) -> FileRef:
        stat = path.stat()
        return FileRef(
            id=str(path), name=path.stem, tags=tags,
            modified=datetime.fromtimestamp(stat.st_mtime),
            modified_by=xlsx.last_modified_by(path), url=str(path),
            version=f"{stat.st_mtime_ns}:{stat.st_size}",
        )

    # ------------------------------------------------------------------ creating

    def create(self, name: str, tags: Tags, patch: WorkbookPatch) -> FileRef:
        """A new workbook; one already at that path (another computer made it) is adopted,
        never replaced."""
        path = self._path(name, tags)
        self._create_from(write_temp(xlsx.new(patch), path), path)
        return self._ref(path, tags)

    def copy(self, source: FileRef, name: str, tags: Tags) -> FileRef:
        """A copy of `source`; an existing file at the target is adopted, never replaced
        (a racing distribute, or a file list out of date by now)."""
        path = self._path(name, tags)
        try:
            tmp = files.temp_file(path)
            shutil.copyfile(source.id, tmp)
        except OSError as exc:
            raise self._uncreatable(path, exc) from None
        made = self._create_from(tmp, path)
        return replace(self._ref(path, tags), adopted=not made)

    def _create_from(self, tmp: Path, path: Path) -> bool:
        gone = self._gone(path)
        if gone is not None:  # never a blank workbook where a section's one was
            tmp.unlink(missing_ok=True)
            raise BackendError(gone[0] + ".", hint=gone[1])
        try:
            made = files.create_exclusive(path, tmp)
        except OSError as exc:
            raise self._uncreatable(path, exc) from None
        if made:  # the first version kept too: a workbook deleted later is known, restorable
            with contextlib.suppress(OSError):
                folder = files.backup_folder(path)
                folder.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, folder / files.backup_name())
        return made

    @staticmethod
    def _uncreatable(path: Path, exc: OSError) -> BackendError:
        return BackendError(
            f"{path} tidak dapat dibuat ({why(exc)}).",
            hint="Periksa bahwa folder kerja (backend.local.workspace) dapat ditulis dan "
                 "bukan sebuah berkas.",
        )

    def delete(self, ref: FileRef) -> None:
        Path(ref.id).unlink(missing_ok=True)

    # ------------------------------------------------------------------ writing

    def apply(self, ref: FileRef, patch: WorkbookPatch) -> None:
        """Raises `FilesSkipped` when the workbook was skipped (open, damaged)."""
        skip = apply_file(Path(ref.id), patch, self.zone)
        if skip is not None:
            raise FilesSkipped({ref.id: skip.reason})

    def apply_many(self, items: Sequence[tuple[FileRef, WorkbookPatch]]) -> None:
        pool = self._pool(len(items))
        if pool is None:
            results = [apply_file(Path(r.id), p, self.zone) for r, p in items]
        else:
            with pool:
                results = list(pool.map(apply_file, [Path(r.id) for r, _ in items],
                                        [p for _, p in items], [self.zone] * len(items)))
        skipped = {ref.id: res.reason for (ref, _), res in zip(items, results, strict=True)
                   if isinstance(res, Skipped)}
        if skipped:
            raise FilesSkipped(skipped)

    # ------------------------------------------------------------------ reading

    def read(self, ref: FileRef, sheets: Sequence[str]) -> dict[str, Grid]:
        got = read_file(Path(ref.id), tuple(sheets))
        if isinstance(got, Skipped):
            raise BackendError(got.reason + ".")
        return got

    def read_many(self, refs: Sequence[FileRef],
                  sheets: Sequence[str]) -> dict[str, dict[str, Grid]]:
        pool = self._pool(len(refs))
        if pool is None:
            got = [read_file(Path(r.id), tuple(sheets)) for r in refs]
        else:
            with pool:
                got = list(pool.map(read_file, [Path(r.id) for r in refs],
                                    [tuple(sheets)] * len(refs), chunksize=4))
        done = {r.id: g for r, g in zip(refs, got, strict=True) if not isinstance(g, Skipped)}
        skipped = {r.id: g.reason for r, g in zip(refs, got, strict=True) if isinstance(g, Skipped)}
        if skipped:
            raise FilesSkipped(skipped, done)
        return done

    # ------------------------------------------------------------------ backups

    def backups(self, period: str, section: str | None) -> tuple[Path, list[Path]]:
        """Where a section's workbook (None: the recap) lives, and its backups, newest first.
        Found from the backups too, so a deleted workbook can be restored."""
        role = Role.section if section else Role.recap
        folder = self.workspace / period / ROLE_FOLDERS[role]
        prefix = f"{section} - " if section else ""
        current = [r for r in self.find(period, role) if r.tags.section == section]
        if current:
            path = Path(current[0].id)
        else:
            kept = files.backup_root(self.workspace / period) / ROLE_FOLDERS[role]
            stems = sorted(d.name for d in kept.glob("*") if d.name.startswith(prefix))
            if not stems:
                return folder / "", []
            path = folder / f"{stems[0]}.xlsx"
        return path, files.backups_of(path)

    def kept_sheet(self, ref: FileRef, sheet: str,
                   accept: Callable[[Grid], bool]) -> Grid | None:
        """`sheet` as the service last kept it: from the newest backup of the workbook where
        `accept` finds it whole (a deleted meta sheet is rebuilt from it, not reset)."""
        for backup in files.backups_of(Path(ref.id)):
            got = read_file(backup, (sheet,))
            if not isinstance(got, Skipped) and got.get(sheet) and accept(got[sheet]):
                return got[sheet]
        return None

    def missing(self, period: str) -> list[tuple[str | None, str, str]]:
        """Workbooks the service made that are gone from the folder (deleted by hand, or by
        an older version's killed save): (section, None for the recap; file name; what
        happened and what to do). Known by their backups, which are never pruned then."""
        out: list[tuple[str | None, str, str]] = []
        root = files.backup_root(self.workspace / period)
        for role in (Role.section, Role.recap):
            kept = root / ROLE_FOLDERS[role]
            if not kept.is_dir():
                continue
            present = {r.tags.section for r in self.find(period, role)}
            for folder in sorted(kept.iterdir()):
                path = self.workspace / period / ROLE_FOLDERS[role] / f"{folder.name}.xlsx"
                section = self._section_of(path, role)
                if section in present:
                    continue
                gone = self._gone(path)
                if gone is not None:
                    present.add(section)  # one message per workbook
                    out.append((section, path.name, f"{gone[0]}; {gone[1]}"))
        return out

    def _gone(self, path: Path) -> tuple[str, str] | None:
        """What to say when the workbook at `path` was made by the service and is gone."""
        if path.exists():
            return None
        kept = files.backups_of(path)
        if not kept:
            return None
        role = path.parent.name
        what = "rekap" if role == ROLE_FOLDERS[Role.recap] else "kertas kerja"
        section = self._section_of(path, Role.section) if what != "rekap" else "rekap"
        when = datetime.fromtimestamp(kept[0].stat().st_mtime, self.zone)
        return (f"{what} {path.name} hilang dari folder {path.parent} (pernah dibuat, kini "
                f"tidak ada); cadangan terbarunya {kept[0].name} ({when:%d-%m-%Y %H:%M})",
                f"pulihkan dengan 'sync restore {section}' (lihat semua cadangan dengan "
                f"'sync restore {section} --list'); sheets-sync tidak membuat berkas kosong "
                "sebagai gantinya. Bila memang sengaja dihapus untuk selamanya, hapus juga "
                f"folder cadangannya {files.backup_folder(path)}")

    def restore(self, path: Path, backup: Path) -> Path | None:
        """Put `backup` back at `path`; the current file is kept among the backups first.
        Returns where the current file was kept."""
        busy = files.office_lock(path, self.zone)
        if busy:  # their next save would undo the restore; exit 4, as any unusable workbook
            raise FilesSkipped({str(path): f"{path.name} {busy}; minta yang membukanya "
                                           "menutup berkas itu, lalu coba lagi"})
        try:
            return files.restore(path, backup)
        except OSError as exc:
            raise BackendError(f"{path.name} tidak dapat dipulihkan ({why(exc)}).",
                               hint="Tutup berkas itu bila sedang dibuka, lalu coba lagi.") from None

    # ------------------------------------------------------------------ the period lock

    @contextlib.contextmanager
    def lock(self, period: str) -> Iterator[None]:
        """The period's lock file in `<period>/.sheets-sync/`; on taking it, the temp files a
        killed command left are removed (no other writer can be using them)."""
        if self._held.get(period):
            self._held[period] += 1
            try:
                yield
            finally:
                self._held[period] -= 1
            return
        lock = PeriodLock(files.service_dir(self.workspace, period), period,
                          wait=self.lock_wait, stale_after=self.lock_stale_minutes * 60,
                          zone=self.zone)
        with lock.held():
            self._held[period] = 1
            try:
                files.clean_leftovers(self.workspace / period)
                yield
            finally:
                self._held.pop(period, None)

    def lock_holder(self, period: str) -> LockHolder | None:
        """Who holds the period's lock now, since and until when (None: free)."""
        lock = PeriodLock(files.service_dir(self.workspace, period), period,
                          stale_after=self.lock_stale_minutes * 60, zone=self.zone)
        return lock.peek() if lock.path.exists() else None

    # ------------------------------------------------------------------ sharing

    def extra_access(self, period: str, wanted: Callable[[FileRef], Sequence[Grant]]
                     ) -> list[tuple[FileRef, list[str]]]:
        return []  # access to a shared folder is the file system's, not the service's

    def share(self, ref: FileRef, grants: Sequence[Grant], *, notify: bool = False,
              message: str = "", revoke_extra: bool = False) -> ShareResult:
        # A folder of files has no accounts: access is whoever can open the folder.
        return ShareResult()


def _empty(path: Path) -> bool:
    try:
        return path.stat().st_size == 0
    except FileNotFoundError:
        return True
