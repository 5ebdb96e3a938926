"""Virtual time for the benchmarks: the fake's per-call latency and the limiter's waits are
counted, not slept, so a job of thousands of calls at 150 ms each is measured in seconds.

Each thread has its own clock, and time follows cause and effect across thread pools: a task
handed to a `ThreadPoolExecutor` starts no earlier than it was handed over (its submitter's
time) nor than its worker finished the one before; whoever takes its result
(`Future.result`, as `pool.map` does) goes on no earlier than it ended. So a flow that reads
in one pool while another thread writes what it read earlier has the writes start after
their reads, and both run side by side on virtual time, as they would on the network. The
job's time is `elapsed()`: the critical path of network latency and pacing waits. Compute
time (on the fake, mostly the fake's own) is not in it.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

_clocks: weakref.WeakSet[VirtualClock] = weakref.WeakSet()


class VirtualClock:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._local = threading.local()
        self.latest = 0.0
        self._start = 0.0
        _install()
        _clocks.add(self)

    def now(self) -> float:
        with self._lock:
            t = getattr(self._local, "t", None)
            if t is None:  # a thread outside any pool task: it starts at the latest time
                t = self._local.t = self.latest
            return float(t)

    def _set(self, t: float) -> None:
        with self._lock:
            self._local.t = t
            self.latest = max(self.latest, t)

    def sleep(self, seconds: float) -> None:
        self._set(self.now() + max(0.0, seconds))

    def _begin(self, handed_over: float) -> None:
        """A pool task starts on this thread: not before it was handed over."""
        with self._lock:
            mine = getattr(self._local, "t", None)
            self._local.t = handed_over if mine is None else max(mine, handed_over)

    def _join(self, ended: float) -> None:
        """This thread took a task's result: it goes on from the task's end, if later."""
        self._set(max(self.now(), ended))

    def elapsed(self) -> float:
        return self.latest - self._start

    @contextmanager
    def job(self) -> Iterator[VirtualClock]:
        """Measure one job: `elapsed()` counts from here, where the caller is brought to the
        latest time (whatever ran before has ended)."""
        self._set(max(self.now(), self.latest))
        self._start = self.latest
        yield self


_installed = False


def _install() -> None:
    """Wrap `ThreadPoolExecutor.submit` and `Future.result` (once per process, when the first
    clock is made) so that every live clock sees the hand-over and the join. While no clock
    is alive (a test process after a benchmark's world is gone) the wrappers only pass on."""
    global _installed
    if _installed:
        return
    _installed = True
    submit, result = ThreadPoolExecutor.submit, Future.result

    def timed_submit(pool: ThreadPoolExecutor, fn: Callable[..., Any], /, *args: Any,
                     **kwargs: Any) -> Future[Any]:
        clocks = list(_clocks)
        if not clocks:
            return submit(pool, fn, *args, **kwargs)
        handed = {clock: clock.now() for clock in clocks}
        ended: dict[VirtualClock, float] = {}

        def task() -> Any:
            for clock, t in handed.items():
                clock._begin(t)
            try:
                return fn(*args, **kwargs)
            finally:
                ended.update({clock: clock.now() for clock in handed})

        future = submit(pool, task)
        future._virtual_ended = ended  # type: ignore[attr-defined]
        return future

    def timed_result(future: Future[Any], timeout: float | None = None) -> Any:
        try:
            return result(future, timeout)
        finally:
            for clock, t in dict(getattr(future, "_virtual_ended", {})).items():
                clock._join(t)

    ThreadPoolExecutor.submit = timed_submit  # type: ignore[method-assign]
    Future.result = timed_result  # type: ignore[method-assign]
