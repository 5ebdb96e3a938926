"""Issue 20 point 2 on Google: a workbook someone moved to Drive's trash is an event, not a
state. Every command names it with the way back (exit code 4); `distribute` and `recap` never
make a blank one in its place; `sync restore SECTION` takes it out of the trash as it was,
values and hand-in time included. Found in the listing every command makes anyway (files.list
returns trashed files unless asked not to: reference/rest/v3/files/list), so no call more."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from sheets_sync.ports import Role
from tests.backends import PEP, GoogleEnv
from tests.conftest import small_config_data

DRIVE = "https://www.googleapis.com/drive/v3/files"


def trash(env: GoogleEnv, file_id: str) -> None:
    """As a person in the office does it, in Drive's web page."""
    reply = env.fake.session(PEP).patch(f"{DRIVE}/{file_id}", json={"trashed": True})
    assert reply.status_code == 200, reply.text


@pytest.fixture
def env(tmp_path) -> GoogleEnv:
    env = GoogleEnv(tmp_path, small_config_data(sections=3, indicators=2))
    env.run("distribute")
    for n, section in enumerate(env.config.sections):
        env.type_into(section.id, {f"B{n + 1}-01": {"realisasi": 80 + n, "keterangan": "cuaca"},
                                   f"B{n + 1}-02": {"realisasi": 100}}, status="Selesai")
    env.run("recap")
    return env


def handed_in_at(env: GoogleEnv, section: str) -> str:
    out = json.loads(env.run("status", "--format", "json", code=None).output)
    rows = out["sections"] if isinstance(out, dict) else out
    (row,) = [r for r in rows if r.get("section") == section]
    return str(row.get("handed_in_at"))


def test_a_trashed_workbook_is_named_by_every_command_with_the_way_back(env):
    kept_time = handed_in_at(env, "bagian-2")
    assert kept_time != "None"
    trash(env, env.section_ref("bagian-2").id)
    for command in ("status", "validate", "recap"):
        out = env.run(command, code=4).output
        assert "bagian-2" in out and "Sampah" in out and "sync restore bagian-2" in out, command
    rows = json.loads(env.run("status", "--format", "json", code=4).stdout)["sections"]
    (row,) = [r for r in rows if r["section"] == "bagian-2"]
    assert row["state"] == "Hilang (bisa dipulihkan)"  # never "not distributed"
    # distribute makes no blank workbook in its place
    out = env.run("distribute", code=4).output
    assert "sync restore bagian-2" in out
    assert env.count(Role.section) == 2
    # restore: out of the trash, as it was
    out = env.run("restore", "bagian-2").output
    assert "dipulihkan dari Sampah" in out
    env.run("status")  # nothing missing any more: exit 0
    assert handed_in_at(env, "bagian-2") == kept_time
    rows = json.loads(env.run("recap", "--format", "json", "--force").output)["rows"]
    assert any(r["section"] == "bagian-2" and r["realisasi"] == 81 for r in rows)


def test_a_trashed_recap_is_not_replaced_by_a_blank_one(env):
    (recap,) = env.store().find(env.config.period.code, Role.recap)
    trash(env, recap.id)
    out = env.run("recap", "--force", code=None)
    assert out.exit_code != 0 and "sync restore rekap" in out.output
    assert env.count(Role.recap) == 0
    env.run("restore", "rekap")
    assert env.count(Role.recap) == 1
    assert "Sampah" not in env.run("recap", "--force").output


def test_a_trashed_second_copy_beside_the_workbook_is_no_event(env):
    """Someone trashed a stray copy while the section's workbook is in place: nothing missing."""
    ref = env.section_ref("bagian-1")
    store = env.store()
    copy = store.copy(ref, ref.name + " (salinan)", ref.tags)
    trash(env, copy.id)
    out = env.run("status").output
    assert "Sampah" not in out


def test_restore_with_nothing_in_the_trash_says_where_versions_are(env):
    out = env.run("restore", "bagian-3").output
    assert "Tidak ada berkas bagian-3 di Sampah" in out and "Riwayat versi" in out


def test_a_meta_sheet_deleted_by_hand_is_rebuilt_not_reset(env):
    """Only PEP can delete the protected `_meta` sheet on Google. Distribute rebuilds it: the
    section's Status and values stay, the distribution time is the copy's, not now."""
    import gspread

    ref = env.section_ref("bagian-1")
    book = gspread.Client(None, session=env.fake.session(PEP)).open_by_key(ref.id)  # type: ignore[arg-type]
    book.del_worksheet(book.worksheet("_meta"))
    env.run("distribute")
    meta = {row[0]: row[1] for row in env.grid(ref, "_meta") if len(row) > 1}
    created = env.fake.file(ref.id).created_time
    assert meta["distributed_at"].startswith(datetime.fromtimestamp(
        created, env.config.office.tzinfo).strftime("%Y-%m-%dT%H:%M"))
    out = json.loads(env.run("status", "--format", "json").output)
    (row,) = [r for r in out["sections"] if r["section"] == "bagian-1"]
    assert row["state"] == "Selesai" and row["filled"] == row["total"]
