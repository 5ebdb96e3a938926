"""The one place where a command's store use is guarded (the CLI opens every store through it):

- a writing command (the command says so itself, where it is declared) holds the period's
  lock from its first store call to its end (two PEP computers, or `watch` beside a manual
  `validate`, never interleave); `watch` lets go between its cycles (`release`);
- a file a batch had to skip (damaged, half-saved, open in Excel or LibreOffice) is
  noted with its section and the work carries on for the others; the CLI reports the notes
  and exits with code 4.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sheets_sync.domain.patch import WorkbookPatch
from sheets_sync.ports import (
    Capabilities,
    FileRef,
    FilesSkipped,
    Grant,
    Grid,
    LockHolder,
    Role,
    ShareResult,
    Tags,
    WorkbookStore,
)


@dataclass(frozen=True)
class SkippedFile:
    section: str | None  # None: not a section's workbook (the recap)
    name: str
    reason: str
    missing: bool = False  # deleted from the folder: restored, not re-run


def skipped_sections(store: WorkbookStore) -> set[str]:
    """Sections whose workbook this command has had to skip so far: what was meant
    for them is not done (a flow must not report it written, nor remember it as seen)."""
    if not isinstance(store, GuardedStore):
        return set()  # unguarded: a skipped write raised FilesSkipped instead
    return {s.section for s in store.skipped if s.section}


def note_skipped(store: WorkbookStore, ref: FileRef, reason: str) -> None:
    """A flow skipped a workbook: the CLI reports it (exit code 4). Without a guard (a
    flow called directly), or for a command whose one workbook it is, that is an error."""
    if isinstance(store, GuardedStore) and not store.strict:
        store.note_skipped(ref, reason)
    else:
        raise FilesSkipped({ref.id: reason})


class GuardedStore:
    def __init__(self, inner: WorkbookStore, period: str, *, writing: bool,
                 strict: bool = False) -> None:
        self.inner = inner
        self.period = period
        self.writing = writing
        self.strict = strict  # a skipped write raises (a command whose one write is the point)
        self.skipped: list[SkippedFile] = []
        self._held: AbstractContextManager[None] | None = None

    # ------------------------------------------------------------------ the lock

    def _enter(self) -> None:
        if self.writing:
            self._take()

    def _take(self) -> None:
        if self._held is not None:
            return
        held = self.inner.lock(self.period)
        held.__enter__()
        self._held = held

    def release(self) -> None:
        """Let go of the period's lock (end of the command, or between watch cycles)."""
        held, self._held = self._held, None
        if held is not None:
            held.__exit__(None, None, None)

    def lock(self, period: str) -> AbstractContextManager[None]:
        """The period's lock for a flow that asks for it (the reminders' send log): this
        command's own lock, taken now if it is not held yet and kept to the end of the
        command (or of the watch cycle). Asking the adapter again would wait for ourselves:
        the Drive lock is not re-entrant."""
        if period != self.period:
            return self.inner.lock(period)
        self._take()
        return nullcontext()

    # ------------------------------------------------------------------ skipped files

    def _note(self, exc: FilesSkipped, refs: Sequence[FileRef]) -> None:
        by_id = {r.id: r for r in refs}
        for file_id, reason in exc.skipped.items():
            ref = by_id.get(file_id)
            entry = SkippedFile(ref.tags.section if ref else None, ref.name if ref else file_id,
                            reason)
            if entry not in self.skipped:
                self.skipped.append(entry)

    def note_skipped(self, ref: FileRef, reason: str) -> None:
        self._note(FilesSkipped({ref.id: reason}), [ref])

    def take_skipped(self) -> list[SkippedFile]:
        out, self.skipped = self.skipped, []
        return out

    # ------------------------------------------------------------------ the port
    # Exactly what `ports.WorkbookStore` declares, and nothing else: an adapter's abilities
    # beyond the port reach a flow only as `capabilities` say (`sync restore` asks the local
    # store itself, through `inner`).

    @property
    def capabilities(self) -> Capabilities:
        return self.inner.capabilities

    def stats(self) -> dict[str, int]:
        return self.inner.stats()

    @property
    def identity(self) -> str | None:
        return self.inner.identity

    def office_template(self) -> FileRef | None:
        return self.inner.office_template()

    def find(self, period: str, role: Role | None = None) -> list[FileRef]:
        self._enter()
        refs = self.inner.find(period, role)
        self._note_missing(period)
        return refs

    def recaps(self, periods: Sequence[str]) -> dict[str, FileRef]:
        self._enter()
        return self.inner.recaps(periods)

    def _note_missing(self, period: str) -> None:
        """A workbook the service made and someone deleted is an event: every command names
        it, with the backup that restores it (exit code 4), until it is back."""
        known = self.inner.capabilities.missing  # local: its backups; Google: Drive's trash
        if self.strict or known is None:
            return
        for section, name, reason in known.missing(period):
            entry = SkippedFile(section, name, reason, missing=True)
            if entry not in self.skipped:
                self.skipped.append(entry)

    def changed_since(self, period: str, since: datetime | None) -> list[FileRef]:
        # The watcher's cheap look (it only lists): no lock, so an idle cycle stays one
        # call; the cycle takes the lock with its first read, before anything is written.
        return self.inner.changed_since(period, since)

    def create(self, name: str, tags: Tags, patch: WorkbookPatch) -> FileRef:
        self._enter()
        return self.inner.create(name, tags, patch)

    def copy(self, source: FileRef, name: str, tags: Tags) -> FileRef:
        self._enter()
        return self.inner.copy(source, name, tags)

    def apply(self, ref: FileRef, patch: WorkbookPatch) -> None:
        self._enter()
        try:
            self.inner.apply(ref, patch)
        except FilesSkipped as exc:
            if self.strict:
                raise
            self._note(exc, [ref])  # e.g. the recap open on a leader's screen: next time

    def apply_many(self, items: Sequence[tuple[FileRef, WorkbookPatch]]) -> None:
        self._enter()
        try:
            self.inner.apply_many(items)
        except FilesSkipped as exc:
            self._note(exc, [r for r, _ in items])

    def read(self, ref: FileRef, sheets: Sequence[str]) -> dict[str, Grid]:
        self._enter()
        return self.inner.read(ref, sheets)

    def read_many(self, refs: Sequence[FileRef],
                  sheets: Sequence[str]) -> dict[str, dict[str, Grid]]:
        self._enter()
        try:
            return self.inner.read_many(refs, sheets)
        except FilesSkipped as exc:
            if self.strict:
                raise
            self._note(exc, refs)
            done: Any = exc.done or {}
            return dict(done)

    def share(self, ref: FileRef, grants: Sequence[Grant], *, notify: bool = False,
              message: str = "", revoke_extra: bool = False) -> ShareResult:
        self._enter()
        return self.inner.share(ref, grants, notify=notify, message=message,
                                revoke_extra=revoke_extra)

    def extra_access(self, period: str, wanted: Callable[[FileRef], Sequence[Grant]]
                     ) -> list[tuple[FileRef, list[str]]]:
        return self.inner.extra_access(period, wanted)  # reads only: no lock

    def delete(self, ref: FileRef) -> None:
        self._enter()
        self.inner.delete(ref)

    def lock_holder(self, period: str) -> LockHolder | None:
        return self.inner.lock_holder(period)  # a look only: nothing taken
