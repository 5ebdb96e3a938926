"""Issue 20, item 6: a killed command leaves no worker process behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

CHILD = """
import os, sys, time
from pathlib import Path
from sheets_sync.adapters.local import LocalStore

store = LocalStore(Path(sys.argv[1]), processes=2)
pool = store._pool(100)  # the pool a batch of many workbooks gets
assert pool is not None
with pool:
    pids = {pool.submit(os.getpid).result() for _ in range(20)}
    print(" ".join(map(str, sorted(pids))), flush=True)
    list(pool.map(time.sleep, [60, 60]))  # busy, as when reading big workbooks
"""


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie is dead: it only waits to be reaped by its (gone) parent
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        return state != "Z"
    except OSError:
        return True


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the parent-death signal")
def test_workers_end_within_seconds_when_the_command_is_killed(tmp_path):
    parent = subprocess.Popen([sys.executable, "-c", CHILD, str(tmp_path)],
                              stdout=subprocess.PIPE, text=True)
    workers: list[int] = []
    try:
        assert parent.stdout is not None
        workers = [int(p) for p in parent.stdout.readline().split()]
        assert workers and all(alive(p) for p in workers)
        time.sleep(0.3)  # they are in their long task now
        parent.send_signal(signal.SIGKILL)
        parent.wait(5)
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and any(alive(p) for p in workers):
            time.sleep(0.1)
        assert not [p for p in workers if alive(p)]
    finally:
        if parent.poll() is None:
            parent.kill()
        for pid in workers:  # a failed run must not leave them either
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
