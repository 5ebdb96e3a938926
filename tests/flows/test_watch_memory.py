"""The watcher never forgets a change: progress is recorded only after the work it stands
for (reading, feedback, recap) succeeded, and the memory survives a restart (it lives in the
recap's hidden `_watch` sheet), on both backends."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from sheets_sync.flows.watch import Watcher
from sheets_sync.ports import BackendError
from tests.backends import Env, GoogleEnv, LocalEnv
from tests.conftest import small_config_data

NOW = datetime(2026, 10, 5, 10, 0)  # before the fill deadline


@pytest.fixture(params=["local", "google"])
def env(request: pytest.FixtureRequest, tmp_path: Path) -> Env:
    kind = LocalEnv if request.param == "local" else GoogleEnv
    return kind(tmp_path, small_config_data())


class Failing:
    """The store, failing its `n`-th port call from when armed (as Google unavailable after
    the retries, or a file open in Excel, would)."""

    def __init__(self, inner: Any) -> None:
        self.inner, self.left, self.calls = inner, 0, 0
        self.identity = getattr(inner, "identity", None)

    def arm(self, n: int) -> None:
        self.left, self.calls = n, 0

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self.inner, name)

        def call(*args: Any, **kwargs: Any) -> Any:
            self.calls += 1
            if self.left:
                self.left -= 1
                if self.left == 0:
                    raise BackendError(f"Google sibuk (HTTP 503) pada {name}")
            return attr(*args, **kwargs)

        return call


def _settled(env: Env) -> Watcher:
    env.run("distribute")
    watcher = Watcher(env.config, env.store())
    watcher.cycle(NOW)
    watcher.cycle(NOW)  # our own writes settle
    return watcher


def _recap_value(env: Env, code: str) -> Any:
    grid = env.recap_grid("Rekap Indikator")
    col = grid[0].index("Realisasi")
    return next(r[col] for r in grid[1:] if code in r)


def test_a_failure_at_any_step_of_a_cycle_is_seen_again(env: Env) -> None:
    _settled(env)
    env.type_into("bagian-2", {"B2-01": {"realisasi": 11}}, status="Selesai")
    store = Failing(env.store())
    watcher = Watcher(env.config, store)
    watcher.cycle(NOW)
    failed_at = []
    for n in range(1, 12):
        value = 100 + n
        env.type_into("bagian-2", {"B2-01": {"realisasi": value}})
        store.arm(n)
        try:
            watcher.cycle(NOW)
        except BackendError:
            failed_at.append(n)
        else:
            break  # past the cycle's last step
        after = watcher.cycle(NOW)
        assert "bagian-2" in after.changed, n
        assert _recap_value(env, "B2-01") == value, n
    # listing, section read, feedback, recap read, recap write, sharing check
    assert len(failed_at) >= 5, failed_at
    # a new process after all this is right too: nothing it has not seen validated
    assert Watcher(env.config, env.store()).cycle(NOW).changed == []


def test_watch_once_remembers_across_restarts(env: Env) -> None:
    env.run("distribute")
    first = env.run("watch", "--once").output
    assert "pertama kali dibaca: bagian-1, bagian-2, bagian-3; berubah: -" in first
    for _ in range(2):  # the first settles the service's own writes
        assert "tidak ada perubahan" in env.run("watch", "--once").output
    env.type_into("bagian-3", {"B3-01": {"realisasi": 7}})
    out = env.run("watch", "--once").output
    assert "berubah: bagian-3;" in out
    assert _recap_value(env, "B3-01") == 7


def test_a_first_watch_after_a_plain_recap_does_not_call_every_section_changed(env: Env) -> None:
    env.run("distribute")
    env.run("recap")  # no watcher memory in this recap
    out = env.run("watch", "--once").output
    assert "pertama kali dibaca: bagian-1, bagian-2, bagian-3; berubah: -" in out
    env.type_into("bagian-2", {"B2-01": {"realisasi": 5}})
    assert "berubah: bagian-2;" in env.run("watch", "--once").output


def test_a_quiet_restart_costs_two_calls_on_google(tmp_path: Path) -> None:
    env = GoogleEnv(tmp_path, small_config_data())
    _settled(env)
    Watcher(env.config, env.store()).cycle(NOW)  # remembers the settled times
    env.fake.reset_counts()
    result = Watcher(env.config, env.store()).cycle(NOW)
    assert result.changed == [] and not result.recap_written
    assert env.fake.count() == 2  # the listing, and the memory read


def test_the_service_own_status_is_not_a_change_on_the_next_cycle(env: Env) -> None:
    env.run("distribute")
    env.run("watch", "--once")
    env.run("watch", "--once")  # settles the service's own writes of the first cycle
    env.type_into("bagian-1", {"B1-01": {"realisasi": 7}}, status="Selesai")
    assert "berubah: bagian-1;" in env.run("watch", "--once").output  # feedback: a status
    assert "tidak ada perubahan" in env.run("watch", "--once").output  # ours, not theirs


def test_a_damaged_workbook_does_not_stop_the_watcher(tmp_path: Path) -> None:
    env = LocalEnv(tmp_path, small_config_data())
    env.run("distribute")
    env.run("watch", "--once")
    path = Path(env.section_ref("bagian-2").id)
    path.write_bytes(path.read_bytes()[:4000])  # a save cut off halfway
    env.type_into("bagian-1", {"B1-01": {"realisasi": 7}})
    out = env.run("watch", "--once", code=4).output  # 4: a section was skipped
    assert "bagian-2" in out and "rusak" in out and "Traceback" not in out
    assert "berubah: bagian-1;" in out  # the others carry on
    assert "bagian-2" in env.run("watch", "--once", code=4).output  # and it is tried again
