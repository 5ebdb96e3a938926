"""Writes sent by a thread of their own while the flow goes on reading: on a store that paces
reads and writes in separate quota buckets (`ports.paces_by_bucket`), the two then spend
their budgets at the same time instead of one after the other."""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from types import TracebackType

from sheets_sync.domain.patch import WorkbookPatch
from sheets_sync.ports import FileRef, WorkbookStore


class BackgroundWrites:
    """`store.apply_many` of each batch handed over, in the order handed over, by one thread.

    Used as a context manager: leaving it waits for every batch and raises the first batch's
    error. A batch that failed stops the flow at its next `send` (no further reading for
    feedback that would not be written). When the flow itself fails, the batches not started
    yet are dropped and the one being sent is waited for: nothing is cut off halfway."""

    def __init__(self, store: WorkbookStore) -> None:
        self.store = store
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="writes")
        self._sent: list[Future[None]] = []

    def send(self, items: Sequence[tuple[FileRef, WorkbookPatch]]) -> None:
        self.raise_failed()
        if items:
            self._sent.append(self._pool.submit(self.store.apply_many, list(items)))

    def raise_failed(self) -> None:
        """Raise the error of a batch that has failed so far; waits for nothing."""
        for future in self._sent:
            error = future.exception() if future.done() else None
            if error is not None:
                raise error

    def __enter__(self) -> BackgroundWrites:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._pool.shutdown(wait=True, cancel_futures=kind is not None)
        if kind is None:
            for future in self._sent:
                future.result()
