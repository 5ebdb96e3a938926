"""The local store's worker processes end with the command that started them.

Reading and writing .xlsx is spread over a process pool. If the command is killed (kill -9,
a closed terminal, the Task Scheduler stopping it), its workers must not carry on for
minutes, still reading or writing the sections' files. On Linux each worker asks the kernel
for a signal when its parent dies (`PR_SET_PDEATHSIG`); elsewhere, a worker finds its parent
gone at its next task (the pool's pipe closes) and ends.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from concurrent.futures import ProcessPoolExecutor

PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _die_with(parent: int) -> None:
    """Worker initializer: be killed when `parent` ends (also if it already has)."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # it died before the signal was asked for
        os._exit(1)


def pool(workers: int) -> ProcessPoolExecutor:
    """A pool whose workers die with this process. Use it in a `with` in the thread that made
    it: the signal is tied to that thread, which must outlive the workers."""
    return ProcessPoolExecutor(max_workers=workers, initializer=_die_with,
                               initargs=(os.getpid(),))
