"""Issue 20: the last windows where a section's workbook could be lost (local backend).

A save killed at any file-system step, a write that changes nothing, backups kept by age."""

from __future__ import annotations

import errno
import json
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from sheets_sync.adapters.local import files, period_lock
from sheets_sync.domain import glossary
from sheets_sync.domain.patch import SheetPatch, WorkbookPatch
from sheets_sync.ports import Role
from tests.backends import LocalEnv
from tests.conftest import small_config_data

# every call that changes something on disk during a save
STEPS: tuple[tuple[Any, str], ...] = (
    (os, "link"), (os, "replace"), (os, "rename"), (os, "unlink"), (os, "chmod"),
    (os, "chown"), (os, "mkdir"), (os, "utime"), (shutil, "copyfile"),
)


class Killed(BaseException):
    """The process dies here: nothing after it runs, no `except Exception` catches it."""


# a distributed local workspace (`env`) and short waits for the period lock, from conftest
pytestmark = pytest.mark.usefixtures("short_lock_wait")


@pytest.fixture
def env(distributed_local: LocalEnv) -> LocalEnv:
    return distributed_local


@contextmanager
def kill_at(step: int, after: bool, within: Path | None = None) -> Iterator[list[str]]:
    """Die at the `step`-th file-system change (before it, or right after it is done);
    `within`: count only changes to paths in that folder."""
    seen: list[str] = []
    real: dict[tuple[Any, str], Callable[..., Any]] = {}

    def wrap(owner: Any, name: str) -> Callable[..., Any]:
        fn = real[(owner, name)] = getattr(owner, name)

        def step_(*args: Any, **kwargs: Any) -> Any:
            if within is not None and not any(str(a).startswith(str(within)) for a in args):
                return fn(*args, **kwargs)
            seen.append(name)
            if len(seen) == step and not after:
                raise Killed(name)
            out = fn(*args, **kwargs)
            if len(seen) == step:
                raise Killed(name)
            return out
        return step_

    try:
        for owner, name in STEPS:
            setattr(owner, name, wrap(owner, name))
        yield seen
    finally:
        for (owner, name), fn in real.items():
            setattr(owner, name, fn)


def patch_g10(value: Any) -> WorkbookPatch:
    return WorkbookPatch([SheetPatch("Validasi", clear=True, values={(1, 1): value})])


@pytest.mark.parametrize("fast", [True, False], ids=["in-place", "openpyxl"])
@pytest.mark.parametrize("links", [True, False], ids=["hard-links", "no-links"])
def test_a_save_killed_at_any_step_leaves_the_old_or_the_new_workbook(env, monkeypatch,
                                                                      fast, links):
    from sheets_sync.adapters.local import xlsx

    if not fast:  # the path that loads and saves the whole workbook
        monkeypatch.setattr(xlsx.SHORTCUTS, "in_place", False)
    if not links:  # a share without hard links
        def no_link(src: Any, dst: Any) -> None:
            raise OSError(errno.EPERM, "no hard links here")
        monkeypatch.setattr(os, "link", no_link)
    env.type_into("bagian-1", {"B1-01": {"realisasi": 77}})
    ref = env.section_ref("bagian-1")
    path = Path(ref.id)
    store = env.store()
    step, kills = 0, 0
    while True:
        step += 1
        old = path.read_bytes()
        killed = False
        for after in (False, True):
            with kill_at(step, after) as seen:
                try:
                    store.apply(ref, patch_g10(f"tulisan {step}{after}"))
                except Killed:
                    killed = True
            wb = load_workbook(path)  # whole and openable, whatever the instant
            assert wb["Kertas Kerja"]["G10"].value == 77  # the section's value, always
            now = wb["Validasi"]["A1"].value
            assert path.read_bytes() == old or now == f"tulisan {step}{after}"
            old = path.read_bytes()
        kills += killed
        if not killed:
            break
        assert step < 60, seen
    assert kills >= 4  # the steps of a save were all tried
    env.run("validate", code=None)  # and the office carries on
    assert load_workbook(path)["Kertas Kerja"]["G10"].value == 77


def test_a_write_that_changes_nothing_makes_no_write_and_no_backup(env):
    env.type_into("bagian-1", {"B1-01": {"realisasi": 77}})
    env.run("validate", code=None)
    env.run("recap", code=None)
    path = Path(env.section_ref("bagian-1").id)
    (recap,) = env.store().find(env.config.period.code, Role.recap)
    before = {p: p.read_bytes() for p in (path, Path(recap.id))}
    kept = {p: files.backups_of(p) for p in before}
    for _ in range(3):
        env.run("validate", code=None)
        env.run("recap", code=None)
    for p, data in before.items():
        assert p.read_bytes() == data, p.name  # not even the save time changed
        assert files.backups_of(p) == kept[p], p.name


def test_backups_are_kept_by_day_not_only_the_last_three(tmp_path):
    folder = tmp_path / "cadangan"
    folder.mkdir()
    names = [f"202610{d:02d}-{h:02d}0000-000000-1.xlsx" for d in (1, 2, 3) for h in (8, 9, 10)]
    names += [f"20261004-{h:02d}0000-000000-1.xlsx" for h in range(8, 18)]  # ten idle ones
    for n in names:
        (folder / n).write_bytes(b"x")
    files.prune(folder)
    left = sorted(p.name for p in folder.iterdir())
    assert left == ["20261001-100000-000000-1.xlsx", "20261002-100000-000000-1.xlsx",
                    "20261003-100000-000000-1.xlsx", "20261004-150000-000000-1.xlsx",
                    "20261004-160000-000000-1.xlsx", "20261004-170000-000000-1.xlsx"]


def test_a_deleted_workbook_is_named_never_made_blank_and_restored_as_it_was(env):
    env.type_into("bagian-1", {"B1-01": {"realisasi": 77}}, status="Selesai",
                  at="2026-10-05T09:30")
    env.run("validate", code=None)
    before = {d["section"]: d for d in json.loads(
        env.run("status", "--format", "json").stdout)["sections"]}["bagian-1"]
    path = Path(env.section_ref("bagian-1").id)
    newest = files.backups_of(path)[0]
    path.unlink()  # deleted by hand
    for command in ("status", "validate", "distribute"):
        out = " ".join(env.run(command, code=4).output.split())
        assert "di folder .." not in out and "di folder . " not in out  # the real folder
        assert "bagian bagian-1" in out and "hilang" in out, command
        assert newest.name in out and "sync restore bagian-1" in out, command
        assert "Traceback" not in out
        assert not path.exists(), command  # never a blank one in its place
    rows = {d["section"]: d for d in json.loads(
        env.run("status", "--format", "json", code=4).stdout)["sections"]}
    assert rows["bagian-1"]["state"] == glossary.MISSING
    env.run("recap", code=4)
    assert not path.exists()
    # listing the backups is about that workbook: listed, its notice not repeated, exit 0
    out = env.run("restore", "bagian-1", "--list").output
    assert "Dilewati" not in out and "sync restore bagian-1 --from N" in out
    out = env.run("restore", "bagian-1").output
    assert "dipulihkan" in out and "Dilewati" not in out
    after = {d["section"]: d for d in json.loads(
        env.run("status", "--format", "json").stdout)["sections"]}["bagian-1"]
    assert env.cell("bagian-1", "Kertas Kerja", "G10") == 77
    assert after["handed_in_at"] == before["handed_in_at"] is not None  # its time kept
    assert after["state"] == before["state"]


def test_a_deleted_recap_is_not_made_again_blank(env):
    env.run("recap")
    (ref,) = env.store().find(env.config.period.code, Role.recap)
    env.run("recap")  # a rewrite keeps a backup
    Path(ref.id).unlink()
    out = " ".join(env.run("recap", code=3).output.split())
    assert "hilang" in out and "sync restore rekap" in out and "Traceback" not in out
    env.run("restore", "rekap")
    assert Path(ref.id).exists()
    env.run("recap")


def test_a_deleted_meta_sheet_is_rebuilt_from_the_services_record(env):
    env.type_into("bagian-1", {"B1-01": {"realisasi": 77}}, status="Selesai",
                  at="2026-10-05T09:30")
    env.run("validate", code=None)  # records the hand-in, writes feedback
    path = Path(env.section_ref("bagian-1").id)
    labels = env.config.labels
    before = load_workbook(path)[labels.sheet_meta]
    kept = {c.coordinate: c.value for row in before.iter_rows() for c in row
            if c.value not in (None, "")}
    assert "distributed_at" in kept.values()
    status_before = json.loads(env.run("status", "--format", "json").stdout)["sections"][0]
    wb = load_workbook(path)
    del wb[labels.sheet_meta]  # LibreOffice lets a section delete it
    wb.save(path)
    env.run("distribute")
    after = load_workbook(path)[labels.sheet_meta]
    assert {c.coordinate: c.value for row in after.iter_rows() for c in row
            if c.value not in (None, "")} == kept  # as it was, not reset
    assert after.sheet_state != "visible"
    status_after = json.loads(env.run("status", "--format", "json").stdout)["sections"][0]
    assert status_after["handed_in_at"] == status_before["handed_in_at"] is not None
    assert load_workbook(path)["Kertas Kerja"]["G10"].value == 77


def test_a_distribute_from_a_stale_listing_keeps_a_handed_in_status(env, monkeypatch):
    from sheets_sync.adapters.local import LocalStore
    from sheets_sync.flows.distribute import distribute

    env.type_into("bagian-1", {"B1-01": {"realisasi": 77}}, status="Selesai")
    store = env.store()
    real = LocalStore.find

    def stale(self: LocalStore, period: str, role: Any = None) -> list[Any]:
        return [r for r in real(self, period, role) if r.tags.section != "bagian-1"]

    monkeypatch.setattr(LocalStore, "find", stale)  # listed before bagian-1 was made
    report = distribute(env.config, store, datetime(2026, 10, 7, 10))
    monkeypatch.setattr(LocalStore, "find", real)
    assert {o.section: o.action for o in report.outcomes}["bagian-1"] == "sudah ada"
    assert env.cell("bagian-1", "Kertas Kerja", "B7") == "Selesai"
    assert env.cell("bagian-1", "Kertas Kerja", "G10") == 77


def test_a_restore_killed_at_any_step_leaves_a_whole_workbook(env):
    env.type_into("bagian-1", {"B1-01": {"realisasi": 77}})
    env.run("validate", code=None)
    env.type_into("bagian-1", {"B1-01": {"realisasi": 88}})
    store = env.store()
    path = Path(env.section_ref("bagian-1").id)
    backup = next(b for b in files.backups_of(path)
                  if load_workbook(b)["Kertas Kerja"]["G10"].value == 77)
    step = 0
    while True:
        step += 1
        killed = False
        for after in (False, True):
            with kill_at(step, after):
                try:
                    store.restore(path, backup)
                except Killed:
                    killed = True
            assert load_workbook(path)["Kertas Kerja"]["G10"].value in (77, 88)  # whole
        if not killed:
            break
        assert step < 40
    assert load_workbook(path)["Kertas Kerja"]["G10"].value == 77
    assert any(load_workbook(b)["Kertas Kerja"]["G10"].value == 88
               for b in files.backups_of(path))  # the version replaced is kept


@pytest.mark.parametrize("links", [True, False], ids=["hard-links", "no-links"])
def test_a_distribute_killed_at_any_step_is_finished_by_the_next(tmp_path, monkeypatch, links):
    if not links:
        def no_link(src: Any, dst: Any) -> None:
            raise OSError(errno.EPERM, "no hard links here")
        monkeypatch.setattr(os, "link", no_link)
    monkeypatch.setattr(files, "UNFINISHED_AGE", -1.0)  # the next run comes at once here
    step, kills = 0, 0
    while True:
        step += 1
        killed = False
        for after in (False, True):
            env = LocalEnv(tmp_path / f"run-{step}-{after}", small_config_data(sections=1))
            with kill_at(step, after, within=env.config_path.parent / "workspace"):
                try:
                    env.run("distribute", code=None)
                except Killed:
                    killed = True
                    kills += 1
            period = env.config_path.parent / "workspace" / "2026-TW3"
            lock = period / files.SERVICE_DIR / period_lock.LOCK_NAME
            if lock.exists():  # its process is dead now, as after a real kill
                held = json.loads(lock.read_text())
                lock.write_text(json.dumps({**held, "pid": 2**22 + 4321}))
            for path in (period / "kertas-kerja").glob("*.xlsx"):
                assert path.stat().st_size == 0 or load_workbook(path)  # never cut off
            env.run("distribute")  # the next run finishes it
            assert env.cell("bagian-1", "Kertas Kerja", "B10") == "B1-01"
        if not killed:
            break
        assert step < 80
    assert kills >= 5
