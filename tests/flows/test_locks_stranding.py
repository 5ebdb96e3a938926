"""Issue 20, item 4: a period lock can never strand an office. A kill while the lock file is
made, a lock whose holder is gone or stopped renewing it, a Drive lock whose release or
second look failed: the office can write again within a minute, and `status` says who holds
the lock, since and until when."""

from __future__ import annotations

import json
import os
import socket
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from sheets_sync.adapters.local import files, period_lock
from sheets_sync.adapters.local.period_lock import PeriodLock
from sheets_sync.ports import LockHolder, PeriodLocked
from tests.backends import LocalEnv
from tests.fakegoogle import FakeGoogle
from tests.google.test_google_lock import T0, _locks, _store
from tests.google.test_google_support import PERIOD


class Killed(BaseException):
    pass


# a distributed local workspace (`env`) and short waits for the period lock, from conftest
pytestmark = pytest.mark.usefixtures("short_lock_wait")


@pytest.fixture
def env(distributed_local: LocalEnv) -> LocalEnv:
    return distributed_local


def lock_path(env: LocalEnv) -> Path:
    return (env.config_path.parent / "workspace" / env.config.period.code / files.SERVICE_DIR
            / period_lock.LOCK_NAME)


def said(result: Any) -> str:
    return " ".join(result.output.split())


@pytest.mark.parametrize("content", [b"", b'{"user": "pep2", "ho'])
def test_an_empty_or_half_written_lock_does_not_block(env, monkeypatch, content):
    monkeypatch.setattr(period_lock, "DEFAULT_WAIT", 3.0)  # longer than a lock takes to write
    lock = lock_path(env)
    lock.write_bytes(content)  # a kill while an older version made it
    started = time.monotonic()
    env.run("recap")
    assert time.monotonic() - started < 10
    assert not lock.exists()


@pytest.mark.parametrize("step", ["open", "link"])
def test_a_kill_while_the_lock_is_made_leaves_no_lock(tmp_path, monkeypatch, step):
    import builtins

    real = {"open": builtins.open, "link": os.link}

    def dies(*args: Any, **kwargs: Any) -> Any:
        if step == "open" and not str(args[0]).endswith(".tmp"):
            return real["open"](*args, **kwargs)
        raise Killed(step)

    monkeypatch.setattr(builtins if step == "open" else os, step, dies)
    with pytest.raises(Killed):
        PeriodLock(tmp_path, PERIOD).acquire()
    monkeypatch.setattr(builtins if step == "open" else os, step, real[step])
    assert not (tmp_path / period_lock.LOCK_NAME).exists()
    lock = PeriodLock(tmp_path, PERIOD, wait=0.2)
    lock.acquire()  # the next run takes it at once
    lock.release()


def other_hosts_lock(path: Path, renewed_ago: float, lasts: float = 60) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"user": "pep2", "host": "PC-PEP-2", "pid": 4242,
                                "since": "2026-10-07T09:00:00+07:00", "expires_after": lasts}))
    stamp = time.time() - renewed_ago
    os.utime(path, (stamp, stamp))


def test_a_lock_from_another_computer_lapses_a_minute_after_its_last_renewal(env):
    lock = lock_path(env)
    other_hosts_lock(lock, renewed_ago=30)
    out = said(env.run("validate", code=3))
    assert "pep2 di PC-PEP-2 (proses 4242)" in out and "berlaku sampai" in out
    status = said(env.run("status"))  # status needs no lock, and says who holds it
    assert "Kunci periode: dipegang pep2 di PC-PEP-2 (proses 4242) sejak 07-10-2026 09:00" \
        in status and "berlaku sampai" in status
    other_hosts_lock(lock, renewed_ago=61)  # its computer went away a minute ago
    env.run("recap")
    assert "Kunci periode: bebas" in said(env.run("status"))


def test_the_holder_renews_its_lock_while_it_works(tmp_path):
    lock = PeriodLock(tmp_path, PERIOD, stale_after=2)  # renewed every second
    lock.acquire()
    try:
        first = lock.path.stat().st_mtime
        os.utime(lock.path, (first - 10, first - 10))
        time.sleep(1.5)
        assert lock.path.stat().st_mtime > first - 5  # touched again
        other = PeriodLock(tmp_path, PERIOD, wait=0.1, stale_after=2)
        other.host = "PC-LAIN"  # seen from another computer: still live
        with pytest.raises(PeriodLocked):
            other.acquire()
    finally:
        lock.release()
    assert not lock.path.exists()


def test_a_dead_process_on_this_computer_is_taken_over_at_once(env):
    lock = lock_path(env)
    lock.parent.mkdir(parents=True, exist_ok=True)
    lock.write_text(json.dumps({"user": "pep", "host": socket.gethostname(),
                                "pid": 2**22 + 777, "since": "2026-10-07T09:00:00",
                                "expires_after": 3600}))
    env.run("recap")


# --------------------------------------------------------------------------- Google


def test_a_failed_release_on_drive_lapses_and_is_taken_over(monkeypatch):
    fake = FakeGoogle(seed=3)
    when = [T0]
    first = _store(fake, None, when)  # type: ignore[arg-type]
    monkeypatch.setattr(first, "_trash", lambda file_id: (_ for _ in ()).throw(OSError("x")))
    with first.lock(PERIOD):
        pass  # the release fails: the command itself does not
    assert len(_locks(fake)) == 1
    second = _store(fake, None, when)  # type: ignore[arg-type]
    holder = second.lock_holder(PERIOD)
    # the office can write again within a minute (issue 20)
    assert holder is not None and holder.until == T0 + timedelta(minutes=1)
    with pytest.raises(PeriodLocked) as caught, second.lock(PERIOD):
        pytest.fail("two writers")
    assert "1 menit setelah perpanjangan terakhir" in caught.value.hint
    when[0] = T0 + timedelta(minutes=1, seconds=1)  # not renewed: lapsed
    assert second.lock_holder(PERIOD) is None
    with second.lock(PERIOD):
        assert len(_locks(fake)) == 1
    assert _locks(fake) == []


def test_a_failed_look_after_creating_the_drive_lock_leaves_no_lock(monkeypatch):
    fake = FakeGoogle(seed=4)
    when = [T0]
    store = _store(fake, None, when)  # type: ignore[arg-type]
    real = store._locks
    looks = {"n": 0}

    def look(period: str) -> list[dict[str, Any]]:
        looks["n"] += 1
        if looks["n"] == 2:  # the look right after creating ours
            raise Killed("look")
        return real(period)

    monkeypatch.setattr(store, "_locks", look)
    with pytest.raises(Killed):
        store._take(PERIOD)
    assert _locks(fake) == []  # ours went with the failure
    with _store(fake, None, when).lock(PERIOD):  # type: ignore[arg-type]
        pass


def test_a_dead_process_on_this_computer_frees_the_drive_lock_at_once():
    fake = FakeGoogle(seed=5)
    when = [T0]
    crashed = _store(fake, None, when)  # type: ignore[arg-type]
    crashed._holder = lambda: LockHolder(  # type: ignore[method-assign]
        who="pep di sini (proses mati)", host=socket.gethostname(), pid=2**22 + 99,
        since=when[0])
    crashed._take(PERIOD)  # then killed -9; the clock stands still: no stale age reached
    with _store(fake, None, when).lock(PERIOD):  # type: ignore[arg-type]
        assert len(_locks(fake)) == 1
