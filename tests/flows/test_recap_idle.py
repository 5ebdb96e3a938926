"""A recap with nothing new (issue 20: idle recaps rewrote it, pushing useful versions out of
`sync restore`; issue 22 point 5: at province scale it re-read every section). When nothing
it is made from changed since its last write, `sync recap` reads no section and writes
nothing: its file, its time and its backups stay. Anything that changes what leadership would
see (a section typing, the config, a due time passing, a file gone) writes it again."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import tests.backends as backends
from sheets_sync.ports import Role
from tests.backends import GoogleEnv, LocalEnv
from tests.conftest import small_config_data
from tests.flows.test_quota_follows_change import section_reads

LOCK = 4  # a writing command takes the period's lock (tests/google/test_google_budgets.py)
LISTING, RECAP_READ, SHARING_CHECK = 1, 1, 1


def handed_in(env: LocalEnv | GoogleEnv) -> None:
    env.run("distribute")
    for n, section in enumerate(env.config.sections):
        env.type_into(section.id, {f"B{n + 1}-01": {"realisasi": 90 + n}}, status="Selesai")
    env.run("recap")


def recap_file(env: LocalEnv) -> tuple[bytes, float, int]:
    """The recap's bytes, modified time and number of backups kept of it."""
    (ref,) = env.store().find(env.config.period.code, Role.recap)
    path = Path(ref.id)
    backups = env.store().backups(env.config.period.code, None)[1]
    return path.read_bytes(), os.stat(path).st_mtime, len(backups)


@pytest.fixture
def local(tmp_path):
    env = LocalEnv(tmp_path, small_config_data(sections=3, indicators=2))
    handed_in(env)
    return env


def test_a_recap_with_nothing_new_writes_nothing_and_says_so(local):
    before = recap_file(local)
    again = local.run("recap")
    assert "Rekap sudah terbaru" in again.output and "sync recap --force" in again.output
    assert recap_file(local) == before  # same bytes, same time, no backup pushed out
    # --force makes it all the same (the clock is pinned here: the same bytes, which the
    # store does not write twice)
    forced = local.run("recap", "--force").output
    assert "Rekap sudah terbaru" not in forced and "Rekap diperbarui" in forced


def test_what_a_section_types_is_written_at_the_next_recap(local):
    local.run("recap")
    local.type_into("bagian-2", {"B2-02": {"realisasi": 77}})
    out = local.run("recap", "--format", "json").output
    rows = {(r["section"], r["indicator"]): r for r in json.loads(out)["rows"]}
    assert rows[("bagian-2", "B2-02")]["realisasi"] == 77
    sheet = local.recap_grid("Rekap Indikator")
    assert any("B2-02" in row and 77 in row for row in sheet)


def test_json_output_with_nothing_new_still_gives_the_figures_but_writes_nothing(local):
    before = recap_file(local)
    out = json.loads(local.run("recap", "--format", "json").output)
    assert len(out["sections"]) == 3 and out["rows"]
    assert recap_file(local) == before


def test_a_due_time_passing_rewrites_it(local, monkeypatch):
    """Nothing typed, but the fill deadline passes: a section that has not handed in turns
    late, so the recap is written again."""
    env = LocalEnv(local.tmp_path / "b", small_config_data(sections=2, indicators=2))
    monkeypatch.setattr(backends, "NOW", "2026-10-05T10:00")  # before the deadline
    env.run("distribute")
    env.run("recap")
    assert "Rekap sudah terbaru" in env.run("recap").output
    monkeypatch.setattr(backends, "NOW", "2026-10-07T10:00")  # after it
    assert "Rekap sudah terbaru" not in env.run("recap").output
    out = json.loads(env.run("recap", "--format", "json").output)
    assert all(s["late"] for s in out["sections"])


def test_a_config_change_rewrites_it(local):
    data = json.loads(json.dumps(local.data))
    data["indicators"][0]["target"] = 50
    local.rewrite(data)
    assert "Rekap sudah terbaru" not in local.run("recap").output


def test_a_workbook_deleted_by_hand_is_never_an_idle_recap(local):
    path = Path(local.section_ref("bagian-3").id)
    path.unlink()
    out = local.run("recap", code=4).output
    assert "Rekap sudah terbaru" not in out and "sync restore bagian-3" in out


def test_on_google_a_recap_with_nothing_new_costs_three_calls_whatever_the_sections(tmp_path):
    env = GoogleEnv(tmp_path, small_config_data(sections=6, indicators=2))
    handed_in(env)
    env.fake.reset_counts()
    assert "Rekap sudah terbaru" in env.run("recap").output
    assert env.fake.count() == LOCK + LISTING + RECAP_READ + SHARING_CHECK
    assert section_reads(env) == {}
    # one section types: the recap reads them all again and writes (its figures are whole)
    env.type_into("bagian-4", {"B4-02": {"realisasi": 12}})
    env.fake.reset_counts()
    assert "Rekap sudah terbaru" not in env.run("recap").output
    assert env.fake.count(op="spreadsheets.batchUpdate") >= 1
    env.fake.reset_counts()
    assert "Rekap sudah terbaru" in env.run("recap").output
    assert env.fake.count() == LOCK + LISTING + RECAP_READ + SHARING_CHECK


def test_a_recap_saved_by_someone_else_is_written_again(local):
    """A person opened the recap in Excel and saved it (a sheet deleted, a cell typed over):
    the next recap writes it whole again, although no section changed."""
    from openpyxl import load_workbook

    (ref,) = local.store().find(local.config.period.code, Role.recap)
    wb = load_workbook(ref.id)
    del wb["Jadwal SOP"]
    wb.properties.lastModifiedBy = "Sekretaris"
    wb.save(ref.id)
    out = local.run("recap").output
    assert "Rekap sudah terbaru" not in out
    assert "Jadwal SOP" in load_workbook(ref.id).sheetnames
    assert "Rekap sudah terbaru" in local.run("recap").output  # and then it is idle again
