"""FakeGoogle's request log and fault injection (a base class of core.FakeGoogle)."""

from __future__ import annotations

import random
import threading
from typing import Any

from .core_types import RecordedRequest, _Fault


class LogAndFaults:
    """The log of every request and the faults to inject; FakeGoogle sets these up."""

    lock: threading.RLock
    seed: int
    requests: list[RecordedRequest]
    _fault_queue: list[_Fault]
    _fault_rate: float
    _fault_kinds: tuple[str, ...]
    _fault_rng: random.Random
    _fault_filter: Any

    # ------------------------------------------------------------------ log
    def count(
        self,
        method: str | None = None,
        path_contains: str | None = None,
        op: str | None = None,
        user: str | None = None,
        api: str | None = "google",
    ) -> int:
        """Count recorded requests (oauth token requests excluded unless api='oauth')."""
        n = 0
        for r in self.requests:
            if api == "google" and r.api not in ("sheets", "drive"):
                continue
            if api not in (None, "google") and r.api != api:
                continue
            if method and r.method != method.upper():
                continue
            if path_contains and path_contains not in r.path:
                continue
            if op and r.op != op:
                continue
            if user and r.user != user:
                continue
            n += 1
        return n

    def reset_counts(self) -> None:
        with self.lock:
            self.requests.clear()

    # ------------------------------------------------------------------ faults
    def inject_faults(
        self,
        rate: float = 0.2,
        kinds: tuple[str, ...] | list[str] = ("429", "500", "503", "timeout"),
        seed: int | None = None,
        only: Any = None,
    ) -> None:
        """Fail a random `rate` of Google requests with one of `kinds` (reproducible by
        seed). `only(method, path) -> bool` may restrict which requests can fail.
        rate=0 turns random faults off."""
        with self.lock:
            self._fault_rate = rate
            self._fault_kinds = tuple(str(k) for k in kinds)
            self._fault_rng = random.Random(self.seed if seed is None else seed)
            self._fault_filter = only

    def fail_next(
        self,
        n: int = 1,
        status: int = 429,
        retry_after: float | None = None,
        kind: str | None = None,
    ) -> None:
        """Fail the next `n` Google requests with HTTP `status` (or `kind`: 'timeout',
        'connect_timeout', 'timeout_after_apply')."""
        with self.lock:
            for _ in range(n):
                self._fault_queue.append(_Fault(kind or str(status), retry_after))

    def clear_faults(self) -> None:
        with self.lock:
            self._fault_queue.clear()
            self._fault_rate = 0.0

    def _next_fault(self, method: str, path: str) -> _Fault | None:
        if self._fault_queue:
            return self._fault_queue.pop(0)
        if self._fault_rate > 0 and self._fault_kinds:
            if self._fault_filter is not None and not self._fault_filter(method, path):
                return None
            if self._fault_rng.random() < self._fault_rate:
                kind = self._fault_rng.choice(self._fault_kinds)
                retry = None
                if kind == "429":
                    retry = self._fault_rng.choice([None, 1])
                return _Fault(kind, retry)
        return None
