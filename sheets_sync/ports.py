"""The workbook-store port: the few operations the flows need from a backend.

Two adapters implement it: `adapters.local` (a folder of .xlsx files, the embedded default)
and `adapters.google` (Google Sheets + Drive through gspread). Flows import only this module
and the domain, never an adapter, so every flow runs unchanged on both.

Each method's docstring states its call cost on Google, because the call budgets of
docs/design.md §6 are met here, not in the flows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol

from sheets_sync.domain.patch import WorkbookPatch
from sheets_sync.domain.sharing import Grant  # who gets which role: the domain's policy

Grid = list[list[Any]]  # a sheet's values from A1, rows of cells, trailing blanks trimmed
# Asked of `read` as a sheet name: every sheet of the workbook, where the backend can list
# them in the same read (local); elsewhere simply absent. Used to find a renamed worksheet.
ALL_SHEETS = "*"


class Role(StrEnum):
    template = "template"
    section = "section"
    recap = "recap"
    consolidated = "consolidated"  # a recap of other offices' recaps (sync consolidate)


@dataclass(frozen=True)
class Tags:
    """What the service stamps on every file it creates, so files can be found without any
    local state (Drive appProperties on Google; the workspace index on local)."""

    role: Role
    period: str
    section: str | None = None


@dataclass(frozen=True)
class FileRef:
    id: str
    name: str
    tags: Tags
    modified: datetime | None = None
    modified_by: str | None = None  # e-mail of the last editor, where the backend knows it
    created: datetime | None = None  # the oldest of two workbooks for one section is kept
    url: str = ""  # where a person opens it: a web link or a file path
    adopted: bool = False  # `copy` found one there already (made meanwhile) and kept it
    # The file's version as the listing reports it, changing whenever its content does
    # (Google: Drive's `version`; local: the file's mtime and size); "" where unknown.
    # A section's last result is reused only while this is unchanged (flows/memory.py).
    version: str = ""


@dataclass
class ShareResult:
    added: list[Grant] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)  # e-mails whose access was withdrawn
    invited: list[str] = field(default_factory=list)  # no Google account: sent an invitation
    # access beyond the config found and left in place (withdrawn only with revoke_extra)
    extra: list[str] = field(default_factory=list)


class BackendError(Exception):
    """A backend failed in a way the user must act on (access, quota, missing file).

    `message` says, in plain words, what happened and what to do. The CLI prints it and exits
    with code 3; it never shows a traceback for these.
    """

    def __init__(self, message: str, *, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __reduce__(self) -> tuple[Any, ...]:
        # keep the hint when raised in a worker process of the local backend
        return (_backend_error, (self.message, self.hint))


def _backend_error(message: str, hint: str) -> BackendError:
    return BackendError(message, hint=hint)


class FilesSkipped(BackendError):
    """A batch (`read_many`, `apply_many`) or a write skipped some files and did the rest:
    a damaged or half-saved workbook, one open in Excel or LibreOffice. `skipped` maps each
    file id to why, in plain words; `done` is the batch's result for the others. The CLI
    reports them by section and exits with code 4."""

    def __init__(self, skipped: dict[str, str], done: Any = None) -> None:
        super().__init__("; ".join(skipped.values()),
                         hint="Berkas itu dilewati kali ini; bagian lain tetap dikerjakan.")
        self.skipped = skipped
        self.done = done

    def __reduce__(self) -> tuple[Any, ...]:
        return (FilesSkipped, (self.skipped, self.done))


class ReportsMissing(Protocol):
    """A store that can tell a workbook the service made and someone removed from a workbook
    never made (local: by the backups it kept; Google: by the copy in Drive's trash). A
    missing workbook is then an event with a way back, never "not distributed", and never
    replaced by a blank one. Offered through `Capabilities.missing`."""

    def missing(self, period: str) -> list[tuple[str | None, str, str]]:
        """Workbooks the service made for `period` that are gone: (section, None for the
        recap; file name; what happened and what to do). No call: from the last listing."""
        ...


class KeptBackups(ReportsMissing, Protocol):
    """A store that keeps its own copy of every workbook before it rewrites one (local: the
    backups in `<period>/.sheets-sync/cadangan/`): a deleted workbook can be put back, and a
    deleted meta sheet is rebuilt rather than reset. Offered through `Capabilities.backups`."""

    def kept_sheet(self, ref: FileRef, sheet: str,
                   accept: Callable[[Grid], bool]) -> Grid | None:
        """`sheet` as the service last kept it: from the newest backup of the workbook where
        `accept` finds it whole; None when no backup has it. No call."""
        ...


@dataclass(frozen=True)
class Capabilities:
    """What a backend offers beyond the port's operations, declared by the store (a flow asks
    this, never probes the store for attributes: tests/architecture/test_capabilities.py
    fails when one does)."""

    # Calls are paced per quota bucket (Google: Sheets reads, Sheets writes and Drive calls
    # each have a per-minute budget of their own), so a flow that reads many workbooks and
    # writes into them finishes sooner by writing while it still reads. Not so for the local
    # store, whose batches of files go to a process pool best whole.
    paces_by_bucket: bool = False
    # `stats()` counts the API calls made so far, per kind (`sync --stats`).
    counts_calls: bool = False
    # The store's own backups of its workbooks (local), or None (Google keeps a version
    # history of its own, which the service does not read).
    backups: KeptBackups | None = None
    # Workbooks the service made and someone removed, named (local: its backups; Google:
    # Drive's trash, from the listing every command makes anyway), or None.
    missing: ReportsMissing | None = None


@dataclass(frozen=True)
class LockHolder:
    """Who holds a period's lock: shown to the second process, and used to judge staleness."""

    who: str  # e.g. "pep1 di PC-PEP (proses 4242)"
    host: str
    pid: int
    since: datetime
    until: datetime | None = None  # when it lapses unless its holder renews it


class PeriodLocked(BackendError):
    """Another sync process is working on the same period (one writer per period)."""

    def __init__(self, message: str, holder: LockHolder, *, hint: str = "") -> None:
        super().__init__(message, hint=hint)
        self.holder = holder

    def __reduce__(self) -> tuple[Any, ...]:
        return (PeriodLocked, (self.message, self.holder), {"hint": self.hint})


class WorkbookStore(Protocol):
    """What a flow may ask of a backend."""

    @property
    def capabilities(self) -> Capabilities:
        """What this backend offers beyond the operations below. No call."""
        ...

    def stats(self) -> dict[str, int]:
        """API calls so far, per kind, where `capabilities.counts_calls`; else empty."""
        ...

    @property
    def identity(self) -> str | None:
        """Who the service writes as (compared with `FileRef.modified_by`: the watcher does
        not count the service's own writes as a section's change)."""
        ...

    def office_template(self) -> FileRef | None:
        """The office's own master template named in the config (restyled as it likes;
        columns are found by their header text), or None to generate one. No call."""
        ...

    def find(self, period: str, role: Role | None = None) -> list[FileRef]:
        """All files the service tagged for `period` (and `role`). Google: 1 call."""
        ...

    def recaps(self, periods: Sequence[str]) -> dict[str, FileRef]:
        """The recaps of these (earlier) periods that exist, by period: what each period
        ended with (the Tren sheet). Google: 1 call, whatever the number of periods."""
        ...

    def changed_since(self, period: str, since: datetime | None) -> list[FileRef]:
        """The period's files with their modification time; filtered to those changed after
        `since` when given. Google: 1 call, whatever the number of sections (watch budget)."""
        ...

    def create(self, name: str, tags: Tags, patch: WorkbookPatch) -> FileRef:
        """A new workbook holding `patch` (the template, the recap); one left half-made by a
        crash is finished, not made again. Google: <= 4 calls."""
        ...

    def copy(self, source: FileRef, name: str, tags: Tags) -> FileRef:
        """A tagged copy of `source` (a section's worksheet from the template). Google: 1."""
        ...

    def apply(self, ref: FileRef, patch: WorkbookPatch) -> None:
        """Write a patch into an existing workbook. Google: 1 call (2 if sheets must be
        created first)."""
        ...

    def apply_many(self, items: Sequence[tuple[FileRef, WorkbookPatch]]) -> None:
        """`apply` for many workbooks, concurrently where the backend allows (feedback to
        every section). Google: 1 call per workbook."""
        ...

    def read(self, ref: FileRef, sheets: Sequence[str]) -> dict[str, Grid]:
        """Unformatted values of the named sheets (a missing sheet is simply absent from the
        result). Google: 1 call."""
        ...

    def read_many(self, refs: Sequence[FileRef],
                  sheets: Sequence[str]) -> dict[str, dict[str, Grid]]:
        """`read` for many files, keyed by file id; done concurrently where the backend
        allows. A file that cannot be read does not stop the others: `FilesSkipped` carries
        the rest (local). Google: 1 call per file."""
        ...

    def share(self, ref: FileRef, grants: Sequence[Grant], *, notify: bool = False,
              message: str = "", revoke_extra: bool = False) -> ShareResult:
        """Give `grants` (plus the owner): add what is missing. Access beyond them (an
        outside account, a domain, "anyone with the link") is reported in `extra`, and
        withdrawn only with `revoke_extra`. Never shares with "anyone".
        Google: 1 + (accounts added or removed) calls."""
        ...

    def extra_access(self, period: str, wanted: Callable[[FileRef], Sequence[Grant]]
                     ) -> list[tuple[FileRef, list[str]]]:
        """The period's files with access beyond what `wanted(file)` grants (an outside
        account, a domain, "anyone with the link"), named; files without any are left out.
        Local: none (a folder's access is the file system's). Google: 1 call."""
        ...

    def delete(self, ref: FileRef) -> None:
        ...

    def lock(self, period: str) -> AbstractContextManager[None]:
        """Hold the period's lock while a command writes (one writer per period: two PEP
        computers, or `watch` beside a manual `validate`). Waits briefly, then raises
        `PeriodLocked` naming the holder; a stale lock is taken over. Local: a lock file in
        the workspace; Google: a small file the service keeps on Drive."""
        ...

    def lock_holder(self, period: str) -> LockHolder | None:
        """Who holds the period's lock now, since and until when; None when it is free (or
        stale). Only a look: it takes nothing. Local: no call; Google: 1 call."""
        ...


def paces_by_bucket(store: WorkbookStore) -> bool:
    """Whether `store` paces its calls per quota bucket (see `Capabilities`)."""
    return store.capabilities.paces_by_bucket
