"""Issue 20, item 5: every command that writes holds the period's lock while it writes, as the
command itself declares (`remind` included); the reminders' sent-log settles claims a killed
or failed run left, so each due reminder goes out exactly once."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner

from sheets_sync.adapters.local import LocalStore, files, period_lock
from sheets_sync.cli import main
from sheets_sync.cli.main import writing_mode
from tests.backends import LocalEnv
from tests.conftest import small_config_data
from tests.localservers import free_port, smtp_server, webhook_server
from tests.service.test_notify_flow import MONDAY, notify_config, run_at

# Every command of the CLI, and a run of it: (arguments, does it write). A new command must be
# added here, so nobody forgets to say whether it writes.
COMMANDS: dict[str, tuple[tuple[str, ...] | None, bool]] = {
    "init": (None, False),  # writes a config file, not a period
    "template": (("template",), True),
    "distribute": (("distribute",), True),
    "status": (("status",), False),
    "validate": (("validate",), True),
    "recap": (("recap",), True),
    "remind": (("remind",), True),  # before watch, which sends the same reminders
    "watch": (("watch", "--once"), True),
    "demo": (None, False),  # a demo workspace of its own
    "export": (("export", "rekap", "--output", "EXPORT"), False),
    "auth login": (None, False),
    "auth status": (None, False),
    "doctor": (None, False),
    "restore": (("restore", "bagian-1"), True),
    "confirm": (("confirm", "bagian-1", "B1-01", "--note", "benar"), True),
    "approve": (("approve", "bagian-1", "--note", "lengkap"), True),
    "reopen": (("reopen", "bagian-1", "--reason", "perlu diperbaiki"),
               True),
    "consolidate": (("consolidate",), True),  # its own file: the province's recap
}


def leaves(group: click.Group, prefix: str = "") -> Iterator[tuple[str, click.Command]]:
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            yield from leaves(command, f"{prefix}{name} ")
        else:
            yield f"{prefix}{name}", command


def test_every_command_says_whether_it_writes():
    found = dict(leaves(main))
    assert set(found) == set(COMMANDS), "a command to classify in COMMANDS"
    for name, command in found.items():
        assert (writing_mode(command) is not None) == COMMANDS[name][1], name


WRITES = ("create", "copy", "apply", "apply_many", "delete", "restore")


def test_every_writing_command_writes_only_under_the_lock(tmp_path, monkeypatch):
    env = LocalEnv(tmp_path, small_config_data(notify=notify_config(free_port(), free_port())))
    lock = (env.config_path.parent / "workspace" / env.config.period.code / files.SERVICE_DIR
            / period_lock.LOCK_NAME)
    seen: list[tuple[str, bool]] = []
    for method in WRITES:
        real = getattr(LocalStore, method)

        def spy(self: LocalStore, *args: Any, _real: Any = real, _m: str = method,
                **kwargs: Any) -> Any:
            seen.append((_m, lock.exists()))
            return _real(self, *args, **kwargs)
        monkeypatch.setattr(LocalStore, method, spy)
    wrote: dict[str, int] = {}
    for name, (args, writing) in COMMANDS.items():
        if args is None:
            continue
        args = tuple(str(tmp_path / "rekap.xlsx") if a == "EXPORT" else a for a in args)
        seen.clear()
        result = CliRunner().invoke(
            main, ["--config", str(env.config_path), *args],
            env={"SHEETS_SYNC_NOW": MONDAY, "COLUMNS": "200"}, catch_exceptions=False)
        assert "Traceback" not in result.output, (name, result.output)
        unlocked = [m for m, held in seen if not held]
        assert not unlocked, (name, unlocked)
        if not writing:
            assert not seen, (name, seen)
        wrote[name] = len(seen)
    for name in ("template", "distribute", "recap", "remind"):
        assert wrote[name], name  # these did write, and under the lock


# --------------------------------------------------------------------------- the sent-log


@pytest.fixture
def servers() -> Iterator[tuple[Any, Any, int, int]]:
    with smtp_server() as (box, smtp_port), webhook_server() as (hook, hook_port):
        yield box, hook, smtp_port, hook_port


def test_a_run_killed_after_claiming_sends_on_the_next_run(tmp_path, servers, monkeypatch):
    from sheets_sync.notify import send

    box, hook, smtp_port, hook_port = servers
    env = LocalEnv(tmp_path, small_config_data(notify=notify_config(smtp_port, hook_port)))
    env.run("distribute")
    real = send.journal_note

    class Killed(BaseException):
        pass

    def killed(*args: Any, **kwargs: Any) -> None:
        raise Killed  # after the claims were written, before anything was sent

    monkeypatch.setattr(send, "journal_note", killed)
    with pytest.raises(Killed):
        run_at(env, MONDAY, "remind")
    monkeypatch.setattr(send, "journal_note", real)
    assert box.messages == [] and hook.requests == []
    run_at(env, MONDAY, "remind")
    assert len(box.messages) == 3 and len(hook.requests) == 3  # sent, once
    run_at(env, MONDAY, "remind")
    assert len(box.messages) == 3 and len(hook.requests) == 3


def test_sent_but_not_recorded_is_recorded_and_never_sent_again(tmp_path, servers,
                                                                monkeypatch):
    from sheets_sync.notify import sentlog

    box, hook, smtp_port, hook_port = servers
    env = LocalEnv(tmp_path, small_config_data(notify=notify_config(smtp_port, hook_port)))
    env.run("distribute")
    real_patch = sentlog.log_patch
    from sheets_sync.notify import send

    def fails_for_outcomes(entries: list[Any], *, with_header: bool) -> Any:
        if entries and entries[0].state != sentlog.CLAIMED:
            from sheets_sync.ports import BackendError
            raise BackendError("rekap tidak dapat ditulis")  # the outcome append fails
        return real_patch(entries, with_header=with_header)

    monkeypatch.setattr(send, "log_patch", fails_for_outcomes)
    run_at(env, MONDAY, "remind", code=3)
    assert len(box.messages) == 3 and len(hook.requests) == 3
    monkeypatch.setattr(send, "log_patch", real_patch)
    out = run_at(env, MONDAY, "remind", "--format", "json").stdout
    assert json.loads(out) == []  # nothing to send: they went already
    assert len(box.messages) == 3 and len(hook.requests) == 3
    states = {(r[0], r[1]): r[2] for r in env.recap_grid(sentlog.SHEET_LOG)[1:]}
    assert set(states.values()) == {sentlog.SENT}  # settled, none left "diklaim"


def test_journal_is_beside_the_config(tmp_path: Path) -> None:
    from sheets_sync.notify.send import SENT_JOURNAL

    assert not SENT_JOURNAL.is_absolute() and SENT_JOURNAL.parts[0] == files.SERVICE_DIR
