"""Google did the work and only the answer was lost (a read timeout after the request was
applied): every call the adapter makes is then safe, either resent harmlessly or looked up
first (docs/design.md §8). Nothing sleeps: the store's sleep is a recorder."""

from __future__ import annotations

from pathlib import Path

import pytest

from sheets_sync.domain.patch import SheetPatch, WorkbookPatch
from sheets_sync.ports import Grant, Role, Tags
from tests.backends import GoogleEnv
from tests.conftest import small_config_data
from tests.fakegoogle import FakeGoogle
from tests.fakegoogle.crash import Killed, fork, kill_at, lost_reply, revive
from tests.google.test_google_support import (
    KASIE,
    PEP,
    PERIOD,
    STAFF,
    distribute_one,
    make_config,
    make_store,
    new_template,
)


@pytest.fixture
def fake() -> FakeGoogle:
    return FakeGoogle(seed=7)


def _protections(fake: FakeGoogle, file_id: str) -> dict[str, int]:
    return {s.title: len(s.protected) for s in fake.spreadsheet(file_id).sheets}


def test_a_lost_share_answer_sends_no_second_email(fake: FakeGoogle) -> None:
    store = make_store(fake)
    ref = store.create("t", Tags(Role.section, PERIOD, "umum"), WorkbookPatch([SheetPatch("A")]))
    lost_reply(fake, "POST", "/permissions")
    result = store.share(ref, [Grant(KASIE, "writer"), Grant(STAFF, "writer")], notify=True)
    assert sorted(g.email for g in result.added) == [KASIE, STAFF]
    assert sorted(n.to for n in fake.notifications) == [KASIE, STAFF]  # one e-mail each
    assert fake.count(op="permissions.list") == 2  # the share's look, then the look-first


def test_a_lost_revoke_answer_is_done(fake: FakeGoogle) -> None:
    store = make_store(fake)
    ref = store.create("t", Tags(Role.section, PERIOD, "umum"), WorkbookPatch([SheetPatch("A")]))
    fake.share(ref.id, "orang.luar@gmail.com", "writer")
    lost_reply(fake, "DELETE", "/permissions/")
    result = store.share(ref, [Grant(KASIE, "writer")], revoke_extra=True)
    assert result.removed == ["orang.luar@gmail.com"]
    assert [p.email_address for p in fake.file(ref.id).permissions
            if p.role != "owner"] == [KASIE]


def test_a_lost_prefill_answer_adds_no_second_protection(fake: FakeGoogle) -> None:
    config = make_config()
    calm = FakeGoogle(seed=7)
    calm_store = make_store(calm)
    expected = _protections(calm, distribute_one(calm_store, config,
                                                 new_template(calm_store, config)).id)
    store = make_store(fake)
    template = new_template(store, config)
    lost_reply(fake, "POST", ":batchUpdate")
    ref = distribute_one(store, config, template)
    assert _protections(fake, ref.id) == expected
    assert sum(expected.values()) >= 2  # Kertas Kerja and the meta sheet are protected


def test_a_lost_create_answer_is_recognised_not_trashed(fake: FakeGoogle) -> None:
    store = make_store(fake)
    lost_reply(fake, "POST", ":batchUpdate")
    patch = WorkbookPatch([SheetPatch("Kertas Kerja", values={(1, 1): "x"}),
                           SheetPatch("Validasi"), SheetPatch("_meta", hidden=True)])
    ref = store.create("Template", Tags(Role.template, PERIOD), patch)
    assert [r.id for r in store.find(PERIOD)] == [ref.id]
    assert [s.title for s in fake.spreadsheet(ref.id).sheets] == ["Kertas Kerja", "Validasi",
                                                                   "_meta"]
    assert not fake.file(ref.id).trashed


def test_protection_and_chart_ids_are_unique_as_on_google(fake: FakeGoogle) -> None:
    """The fake refuses a repeated id, as the Sheets reference says Google does."""
    store = make_store(fake)
    ref = store.create("t", Tags(Role.recap, PERIOD), WorkbookPatch([SheetPatch("A")]))
    sid = fake.spreadsheet(ref.id).sheets[0].id
    add = {"addProtectedRange": {"protectedRange": {"protectedRangeId": 77,
                                                    "range": {"sheetId": sid}}}}
    def column(c: int) -> dict:
        return {"sourceRange": {"sources": [{"sheetId": sid, "startRowIndex": 0,
                                             "endRowIndex": 3, "startColumnIndex": c,
                                             "endColumnIndex": c + 1}]}}

    spec = {"title": "c", "basicChart": {"chartType": "BAR", "domains": [{"domain": column(0)}],
                                         "series": [{"series": column(1)}]}}
    chart = {"addChart": {"chart": {"chartId": 78, "spec": spec, "position": {
        "overlayPosition": {"anchorCell": {"sheetId": sid, "rowIndex": 0, "columnIndex": 0}}}}}}
    session = fake.session(PEP)
    url = f"https://sheets.googleapis.com/v4/spreadsheets/{ref.id}:batchUpdate"
    for request in (add, chart):
        first = session.post(url, json={"requests": [request]})
        again = session.post(url, json={"requests": [request]})
        assert first.status_code == 200 and again.status_code == 400
        assert "already exists" in again.json()["error"]["message"]
    sheet = fake.spreadsheet(ref.id).sheets[0]
    assert len(sheet.protected) == 1 and len(sheet.charts) == 1


def test_section_editors_cannot_reshare_their_workbook(fake: FakeGoogle) -> None:
    config = make_config()
    store = make_store(fake)
    ref = distribute_one(store, config, new_template(store, config))
    assert all(not f.writers_can_share for f in fake.files.values() if not f.trashed
               and f.mime_type.endswith("spreadsheet"))
    answer = fake.session(KASIE).post(
        f"https://www.googleapis.com/drive/v3/files/{ref.id}/permissions",
        params={"sendNotificationEmail": "false"},
        json={"type": "user", "role": "writer", "emailAddress": "teman@gmail.com"})
    assert answer.status_code == 403


# ------------------------------------------------------------------ crashes


def test_a_kill_between_create_and_tagging_leaves_no_orphan(fake: FakeGoogle) -> None:
    patch = WorkbookPatch([SheetPatch("Ringkasan", values={(1, 1): "ok"}),
                           SheetPatch("Audit", values={(1, 1): "Waktu"})])
    for n in (2, 3, 4):  # after the create; after the batch; before the tags
        world = fork(fake)
        kill_at(world, n)
        with pytest.raises(Killed):
            make_store(world).create("Rekap", Tags(Role.recap, PERIOD), patch)
        revive(world)
        ref = make_store(world).create("Rekap", Tags(Role.recap, PERIOD), patch)
        live = [f for f in world.files.values() if not f.trashed]
        assert [f.id for f in live] == [ref.id], n  # the half-made one, finished
        assert live[0].app_properties == {"sheets_sync_role": "recap",
                                          "sheets_sync_period": PERIOD}
        assert make_store(world).read(ref, ["Ringkasan", "Audit"]) == {
            "Ringkasan": [["ok"]], "Audit": [["Waktu"]]}


def test_a_kill_between_copy_and_prefill_still_gets_the_status(tmp_path: Path) -> None:
    env = GoogleEnv(tmp_path, small_config_data())
    env.run("template")
    # where the first prefill comes, in a run without a kill
    calm, real = fork(env.fake), env.fake
    env.fake = calm
    env.run("distribute")
    env.fake = real
    n = next(i for i, r in enumerate(calm.requests, start=1)
             if r.op == "spreadsheets.batchUpdate")
    assert calm.requests[n - 2].op == "files.copy"
    kill_at(env.fake, n)  # the copy is made, its prefill never sent
    with pytest.raises(Killed):
        env.run("distribute")
    revive(env.fake)
    env.run("distribute")
    for section in ("bagian-1", "bagian-2", "bagian-3"):
        assert env.cell(section, env.config.labels.sheet_worksheet,
                        _status_a1(env)) == "Belum Diisi", section


def _status_a1(env: GoogleEnv) -> str:
    from gspread.utils import rowcol_to_a1

    from sheets_sync.domain.worksheet import locate

    grid = env.grid(env.section_ref("bagian-2"), env.config.labels.sheet_worksheet)
    return rowcol_to_a1(*locate(grid, env.config.labels).header_cells["status"])
