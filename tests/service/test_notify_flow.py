"""`sync remind` end to end on both backends: due reminders go out once each, recorded in the
recap workbook so that a second computer (a fresh process, no local state) never sends them
again; a send that failed is tried again later, one that may have gone out never is."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from sheets_sync.cli import main
from sheets_sync.flows.collect import collect
from sheets_sync.notify.send import Notifier, section_states
from sheets_sync.notify.sentlog import SHEET_LOG
from sheets_sync.ports import Role
from tests.backends import Env, GoogleEnv, LocalEnv
from tests.conftest import small_config_data
from tests.localservers import Hook, Mailbox, free_port, smtp_server, webhook_server

MONDAY = "2026-10-05T09:00"  # the working day before the fill deadline (Tue 6 Oct 16:00)
PASSWORD, TOKEN = "sandi-rahasia-0042", "token-rahasia-7731"


def notify_config(smtp_port: int, hook_port: int) -> dict[str, Any]:
    return {"enabled": True,
            "email": {"host": "127.0.0.1", "port": smtp_port, "security": "none",
                      "sender": "Subbagian PEP <pep@setwan.example>"},
            "webhook": {"url": f"http://127.0.0.1:{hook_port}/kirim"}}


@pytest.fixture
def servers() -> Iterator[tuple[Mailbox, Hook, int, int]]:
    with smtp_server() as (box, smtp_port), webhook_server() as (hook, hook_port):
        yield box, hook, smtp_port, hook_port


@pytest.fixture(params=["local", "google"])
def env(request: pytest.FixtureRequest, tmp_path: Path, servers: Any) -> Env:
    _box, _hook, smtp_port, hook_port = servers
    kind = LocalEnv if request.param == "local" else GoogleEnv
    return kind(tmp_path, small_config_data(notify=notify_config(smtp_port, hook_port)))


def run_at(env: Env, when: str, *args: str, code: int = 0, **extra_env: str) -> Result:
    """A fresh CLI process at `when` (on Google: a fresh store, as a second computer has)."""
    import sheets_sync.adapters as adapters

    real = adapters.open_store
    if isinstance(env, GoogleEnv):
        adapters.open_store = lambda config, base_dir: env.store()
    try:
        result = CliRunner().invoke(main, ["--config", str(env.config_path), *args],
                                    env={"SHEETS_SYNC_NOW": when, "COLUMNS": "200", **extra_env},
                                    catch_exceptions=False)
    finally:
        adapters.open_store = real
    assert result.exit_code == code, result.output
    return result


def test_each_reminder_goes_out_once_even_from_a_second_computer(env, servers):
    box, hook, _, _ = servers
    env.run("distribute")
    preview = json.loads(run_at(env, MONDAY, "remind", "--dry-run", "--format", "json").stdout)
    assert sorted((p["kind"], p["section"], p["channel"], p["state"]) for p in preview) == [
        ("sebelum_batas", f"bagian-{i}", ch, "akan dikirim")
        for i in (1, 2, 3) for ch in ("email", "webhook")]
    assert box.messages == [] and hook.requests == []  # a dry run sends nothing

    out = run_at(env, MONDAY, "remind").output
    assert out.count("dikirim") == 6
    assert sorted(to for _, tos in box.envelopes for to in tos) == [
        "bagian1@setwan.example", "bagian2@setwan.example", "bagian3@setwan.example"]
    assert len(hook.requests) == 3

    # later that day, another computer: nothing new is sent
    assert "Tidak ada pengingat" in run_at(env, "2026-10-05T14:00", "remind").output
    assert len(box.messages) == 3 and len(hook.requests) == 3
    again = json.loads(run_at(env, "2026-10-05T14:00", "remind", "--dry-run", "--format",
                              "json").stdout)
    assert {p["state"] for p in again} == {"sudah dikirim"}
    log = env.recap_grid(SHEET_LOG)
    assert log[0][:3] == ["Kunci", "Saluran", "Keadaan"]
    assert sum(r[2] == "dikirim" for r in log) == 6


def test_nothing_goes_out_at_night(env, servers):
    box, hook, _, _ = servers
    env.run("distribute")
    assert "di luar jam kerja" in run_at(env, "2026-10-05T19:30", "remind").output
    assert box.messages == [] and hook.requests == []


def test_a_preview_at_night_shows_what_goes_out_when_the_office_opens(env, servers):
    box, hook, _, _ = servers
    env.run("distribute")
    shown = run_at(env, "2026-10-05T19:30", "remind", "--dry-run").output
    assert "di luar jam kerja" in shown and "6 Oktober 2026" in shown  # Tuesday, 08:00
    preview = json.loads(run_at(env, "2026-10-05T19:30", "remind", "--dry-run", "--format",
                                "json").stdout)
    assert {p["at"] for p in preview} == {"2026-10-06 08:00"}
    assert sorted({p["section"] for p in preview}) == ["bagian-1", "bagian-2", "bagian-3"]
    assert {p["state"] for p in preview} == {"akan dikirim"}
    assert box.messages == [] and hook.requests == []  # a preview sends nothing


def test_a_failed_send_is_retried_later_and_once(tmp_path, servers):
    box, hook, smtp_port, hook_port = servers
    dead = free_port()
    env = LocalEnv(tmp_path, small_config_data(notify=notify_config(dead, hook_port)))
    env.run("distribute")
    first = run_at(env, MONDAY, "remind", code=3)  # the mail server is down: exit 3
    assert "gagal" in first.output and len(hook.requests) == 3  # the webhook went out
    # ten minutes later: not yet retried (no storm against a server that is down)
    data = env.data
    data["notify"] = notify_config(smtp_port, hook_port)
    env.rewrite(data)
    assert "Tidak ada pengingat" in run_at(env, "2026-10-05T09:10", "remind").output
    assert box.messages == []
    # after a quarter of an hour: the mails go out, the webhook is not sent twice
    run_at(env, "2026-10-05T09:20", "remind")
    assert len(box.messages) == 3 and len(hook.requests) == 3


def test_a_send_interrupted_midway_is_never_repeated(tmp_path, servers):
    env = LocalEnv(tmp_path, small_config_data(notify=notify_config(*servers[2:])))
    env.run("distribute")
    run_at(env, "2026-10-02T10:00", "recap")
    config, store = env.config, env.store()
    found = collect(config, store)
    states = section_states(config, found.sheets, [])

    class Crash:
        name = "email"

        def send(self, reminder: Any) -> str:
            raise RuntimeError("listrik padam")  # the process dies mid-send

    notifier = Notifier(config, {"email": Crash()})
    with pytest.raises(RuntimeError):
        notifier.run(store, lambda: found.recap, datetime(2026, 10, 5, 9), states)
    preview = json.loads(run_at(env, MONDAY, "remind", "--dry-run", "--format", "json").stdout)
    assert {p["state"] for p in preview if p["channel"] == "email"} == {"diklaim"}
    run_at(env, MONDAY, "remind")
    assert servers[0].messages == []  # possibly sent already: not again
    assert len(servers[1].requests) == 3


def test_secrets_never_appear_in_output(tmp_path, servers):
    _box, _hook, smtp_port, hook_port = servers
    data = small_config_data(notify=notify_config(smtp_port, hook_port))
    data["notify"]["webhook"]["url"] = f"http://127.0.0.1:{free_port()}/bot{{token}}/x"  # down
    data["notify"]["email"].update(username="pep@setwan.example", port=free_port())  # down
    env = LocalEnv(tmp_path, data)
    env.run("distribute")
    secrets = {"SHEETS_SYNC_SMTP_PASSWORD": PASSWORD, "SHEETS_SYNC_WEBHOOK_TOKEN": TOKEN}
    result = run_at(env, MONDAY, "remind", code=3, **secrets)
    text = result.output + json.dumps(env.recap_grid(SHEET_LOG))
    assert "gagal" in result.output
    assert PASSWORD not in text and TOKEN not in text


def test_reminders_off_by_default(tmp_path):
    env = LocalEnv(tmp_path, small_config_data())
    env.run("distribute")
    assert "pengiriman pengingat mati" in run_at(env, MONDAY, "remind").output.lower()
    assert env.count(Role.recap) == 0


def test_a_preview_while_sending_is_off_lists_who_would_be_reminded(tmp_path, servers):
    box, hook, smtp_port, hook_port = servers
    settings = {**notify_config(smtp_port, hook_port), "enabled": False}
    env = LocalEnv(tmp_path, small_config_data(notify=settings))
    env.run("distribute")
    shown = run_at(env, MONDAY, "remind", "--dry-run")
    assert "notify.enabled: false" in shown.output and "tidak ada yang dikirim" in shown.output
    preview = json.loads(run_at(env, MONDAY, "remind", "--dry-run", "--format", "json").stdout)
    assert sorted({p["section"] for p in preview}) == ["bagian-1", "bagian-2", "bagian-3"]
    assert {p["channel"] for p in preview} == {"email", "webhook"}
    assert all("pengiriman mati" in p["state"] for p in preview)
    assert all(p["recipients"] for p in preview if p["channel"] == "email")
    assert box.messages == [] and hook.requests == [] and env.count(Role.recap) == 0

    # no channel set up yet: still who, and what is missing
    env.rewrite(small_config_data())
    preview = json.loads(run_at(env, MONDAY, "remind", "--dry-run", "--format", "json").stdout)
    assert preview and {p["channel"] for p in preview} == {"-"}
    assert "notify.email" in preview[0]["detail"]


def test_retries_of_a_failing_channel_are_spaced_out():
    from sheets_sync.notify.sentlog import parse_log

    t0 = datetime(2026, 10, 5, 9)
    rows = [["Kunci", "Saluran", "Keadaan", "Waktu"]]
    for n in range(6):
        rows += [["k", "email", "diklaim", t0.isoformat()], ["k", "email", "gagal", t0.isoformat()]]
        entry = parse_log(rows)[("k", "email")]
        assert entry.failures == n + 1
        wait_minutes = min(15 * 2 ** n, 240)  # 15, 30, 60, 120, 240, 240
        assert entry.blocks(t0.replace(minute=0) + timedelta(minutes=wait_minutes - 1))
        assert not entry.blocks(t0 + timedelta(minutes=wait_minutes))


def test_a_section_without_an_address_gets_no_mail_but_the_webhook(tmp_path, servers):
    box, hook, smtp_port, hook_port = servers
    data = small_config_data(notify=notify_config(smtp_port, hook_port))
    data["sections"][0]["editors"] = []
    env = LocalEnv(tmp_path, data)
    env.run("distribute")
    out = run_at(env, MONDAY, "remind").output
    assert "gagal" not in out
    assert sorted(to for _, tos in box.envelopes for to in tos) == [
        "bagian2@setwan.example", "bagian3@setwan.example"]
    assert sorted(body["bagian"] for _, _, body in hook.requests) == [
        "bagian-1", "bagian-2", "bagian-3"]


def test_watch_sends_due_reminders_under_its_own_period_lock(env, servers):
    """`sync watch` holds the period's lock while it works; the reminders it sends take that
    same lock, never a second one (on Drive the lock is not re-entrant: asking again would
    wait for itself and the reminders would never go out)."""
    box, hook, _, _ = servers
    env.run("distribute")
    out = run_at(env, MONDAY, "watch", "--once").output
    assert "Traceback" not in out and "sedang dikerjakan" not in out
    assert len(box.messages) == 3 and len(hook.requests) == 3
