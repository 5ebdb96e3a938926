"""Virtual time for the benchmarks: the fake's per-call latency and the limiter's waits are
counted, not slept, so a job of thousands of calls at 150 ms each is measured in seconds.

Each thread has its own clock. A worker thread starts at the time its pool started (the
latest time any thread had reached when the first worker of a pool was spawned); the main
thread only waits for its workers in the flows measured, so its clock is the latest time
any thread reached (a join). The job's time is `elapsed()`: the critical path of network
latency and pacing waits. Compute time (on the fake, mostly the fake's own) is not in it.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager


class VirtualClock:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._local = threading.local()
        self.latest = 0.0
        self._fork = 0.0
        self._workers: set[threading.Thread] = set()
        self._start = 0.0

    def _is_main(self) -> bool:
        return threading.current_thread() is threading.main_thread()

    def now(self) -> float:
        with self._lock:
            if self._is_main():
                return self.latest
            t = getattr(self._local, "t", None)
            if t is None:
                alive = {w for w in self._workers if w.is_alive()}
                if not alive:  # the first worker of a new pool: the pool starts now
                    self._fork = self.latest
                self._workers = alive | {threading.current_thread()}
                t = self._local.t = self._fork
            return t

    def sleep(self, seconds: float) -> None:
        t = self.now() + max(0.0, seconds)
        with self._lock:
            if not self._is_main():
                self._local.t = t
            self.latest = max(self.latest, t)

    def elapsed(self) -> float:
        return self.latest - self._start

    @contextmanager
    def job(self) -> Iterator[VirtualClock]:
        """Measure one job: `elapsed()` counts from here."""
        self._start = self.latest
        yield self
