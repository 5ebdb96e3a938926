"""Issue 7: figures leadership sees about *who handed in, when, and who typed what*, on both
backends: hand-in time and lateness (finding 2), completeness and timeliness as DHIS2 reports
them, hand-typed statuses (4), who changed what (5), duplicate workbooks (6)."""

from __future__ import annotations

import json
import shutil
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from sheets_sync.domain.meta import parse_meta
from sheets_sync.flows.watch import Watcher
from sheets_sync.ports import Grant, Role, Tags
from tests.backends import PEP, Env, GoogleEnv, LocalEnv
from tests.conftest import small_config_data

HANDED_IN_KEY = "handed_in"  # the meta record (sheets_sync.domain.handin)

# The fill deadline of the small config is Tue 6 Oct 2026 16:00 (WIB); NOW is 7 Oct 10:00.


@pytest.fixture(params=["local", "google"])
def env(request: pytest.FixtureRequest, tmp_path: Path) -> Env:
    kind = LocalEnv if request.param == "local" else GoogleEnv
    return kind(tmp_path, small_config_data())


def status_json(env: Env) -> tuple[dict[str, dict], dict]:
    data = json.loads(env.run("status", "--format", "json").stdout)
    return {d["section"]: d for d in data["sections"]}, data["completeness"]


def recap_json(env: Env) -> dict:
    return json.loads(env.run("recap", "--format", "json").stdout)


def all_values(env: Env, section: str) -> dict[str, dict[str, object]]:
    return {i.code: {"realisasi": i.target, "bukti": "https://drive.example/b.pdf"}
            for i in env.config.indicators_of(section)}


# --------------------------------------------------------------------------- finding 2


def test_a_section_that_hands_in_after_the_deadline_stays_late(env):
    env.run("distribute")
    env.type_into("bagian-1", {"B1-01": {"realisasi": 90}}, status="Selesai",
                  at="2026-10-06T20:00")  # four hours after the deadline
    sections, _ = status_json(env)
    one = sections["bagian-1"]
    assert (one["state"], one["late"], one["on_time"]) == ("Selesai", True, False)
    assert one["handed_in_at"] == "2026-10-06T20:00:00"

    env.run("validate", code=None)  # records the hand-in on the section's meta sheet
    meta = parse_meta(env.grid(env.section_ref("bagian-1"), "_meta"))
    assert meta.extra[HANDED_IN_KEY]["at"] == "2026-10-06T20:00:00"

    # the section goes back to filling, then hands in again: the first hand-in stands
    env.type_into("bagian-1", {}, status="Sedang Diisi", at="2026-10-07T08:00")
    env.run("validate", code=None)
    env.type_into("bagian-1", {}, status="Selesai", at="2026-10-07T09:00")
    env.run("validate", code=None)
    sections, _ = status_json(env)
    assert sections["bagian-1"]["handed_in_at"] == "2026-10-06T20:00:00"
    assert sections["bagian-1"]["late"] is True

    recap = recap_json(env)
    by_section = {s["section"]: s for s in recap["sections"]}
    assert by_section["bagian-1"]["late"] is True
    assert by_section["bagian-1"]["handed_in_at"] == "2026-10-06T20:00:00"
    summary = env.recap_grid("Ringkasan")
    row = next(r for r in summary if r and r[0] == "bagian-1")
    assert row[6] == "Ya" and row[14] == "Tidak"


def test_on_time_is_judged_from_the_hand_in_not_from_when_pep_looks(env):
    env.run("distribute")
    env.type_into("bagian-2", all_values(env, "bagian-2"), status="Selesai",
                  at="2026-10-06T10:00")
    env.run("validate")  # NOW is after the deadline: PEP looks late, the section was not
    env.run("approve", "bagian-2")
    env.run("reopen", "bagian-2", "--reason", "revisi")
    env.type_into("bagian-2", {}, status="Selesai", at="2026-10-07T09:30")
    env.run("recap")
    sections, _ = status_json(env)
    assert sections["bagian-2"]["handed_in_at"] == "2026-10-06T10:00:00"
    assert (sections["bagian-2"]["late"], sections["bagian-2"]["on_time"]) == (False, True)
    assert sections["bagian-3"]["late"] is True and sections["bagian-3"]["handed_in_at"] is None


def test_completeness_and_timeliness_as_dhis2_reports_them(env):
    env.run("distribute")
    env.type_into("bagian-1", {"B1-01": {"realisasi": 1}}, status="Selesai",
                  at="2026-10-06T09:00")
    env.type_into("bagian-2", {"B2-01": {"realisasi": 1}}, status="Selesai",
                  at="2026-10-06T18:00")
    sections, overall = status_json(env)
    assert overall == {"expected": 3, "handed_in": 2, "on_time": 1,
                       "completeness_pct": 66.7, "timeliness_pct": 33.3}
    assert [(s["expected"], s["handed_in"], s["handed_in_on_time"])
            for s in sections.values()] == [(1, 1, 1), (1, 1, 0), (1, 0, 0)]
    assert recap_json(env)["completeness"] == overall
    facts = {r[0]: r[1] for r in env.recap_grid("Ringkasan") if len(r) > 1}
    assert (facts["Diharapkan"], facts["Diserahkan"], facts["Diserahkan tepat waktu"]) == (
        3, 2, 1)
    assert facts["Kelengkapan (%)"] == 66.7 and facts["Ketepatan waktu (%)"] == 33.3
    out = env.run("status").output
    assert "Diharapkan: 3 bagian; diserahkan: 2 (kelengkapan 66,7%)" in " ".join(out.split())


def test_the_watcher_records_the_hand_in_and_settles(env):
    env.run("distribute")
    store = env.store()
    watcher = Watcher(env.config, store)
    now = datetime(2026, 10, 6, 11, 0)
    watcher.cycle(now)
    watcher.cycle(now)
    env.type_into("bagian-3", all_values(env, "bagian-3"), status="Selesai",
                  at="2026-10-06T10:30")
    busy = watcher.cycle(now)
    assert busy.changed == ["bagian-3"]
    meta = parse_meta(env.grid(env.section_ref("bagian-3"), "_meta"))
    assert meta.extra[HANDED_IN_KEY]["at"] == "2026-10-06T10:30:00"
    watcher.cycle(now)  # re-reads what its own write moved (the status it set), once
    # its own records are not a change of the section: then nothing is reported
    assert watcher.cycle(now).changed == [] and watcher.cycle(now).changed == []


# --------------------------------------------------------------------------- finding 4


@pytest.mark.parametrize("typed", ["selesai", "SELESAI ", " Selesai", "Selesai  "])
def test_a_hand_typed_status_is_recognised(env, typed):
    env.run("distribute")
    env.type_into("bagian-1", all_values(env, "bagian-1"), status=typed,
                  at="2026-10-06T09:00")
    sections, _ = status_json(env)
    assert sections["bagian-1"]["state"] == "Selesai"
    assert sections["bagian-1"]["handed_in"] == 1
    env.run("validate")
    assert env.cell("bagian-1", "Kertas Kerja", "B7") == "Valid"


@pytest.mark.parametrize("typed", ["Sudah selesai", "done", "Selesai."])
def test_anything_else_in_the_status_cell_gets_feedback(env, typed):
    env.run("distribute")
    env.type_into("bagian-1", all_values(env, "bagian-1"), status=typed)
    sections, _ = status_json(env)
    assert sections["bagian-1"]["handed_in"] == 0  # not guessed
    report = json.loads(env.run("validate", "--format", "json", code=1).stdout)
    (issue,) = [i for i in report["issues"] if i["rule"] == "status"]
    assert issue["cell"] == "B7" and typed.strip() in issue["message"]
    assert "'Selesai'" in issue["suggestion"]
    sheet = env.grid(env.section_ref("bagian-1"), "Validasi")
    assert any(typed.strip() in str(cell) for row in sheet for cell in row)
    assert env.cell("bagian-1", "Kertas Kerja", "B7") == typed  # as typed, never rewritten


# --------------------------------------------------------------------------- finding 5


def test_audit_names_who_changed_a_value_even_after_validate_wrote(env):
    env.run("distribute")
    env.run("recap")
    env.type_into("bagian-1", {"B1-01": {"realisasi": 80}}, who="Budi Santoso")
    env.run("validate", code=None)  # the documented order: validate, then recap
    env.run("recap")
    audit = env.recap_grid("Audit")
    (line,) = [r for r in audit[1:] if r[2] == "B1-01"]
    who = "Budi Santoso" if env.name == "local" else env.editor("bagian-1")
    assert line[7] == who
    assert line[7] not in ("sheets-sync", PEP)


# --------------------------------------------------------------------------- finding 6


def make_copy(env: Env, section: str) -> str:
    """A second workbook for the section, as a person makes one ("... - Copy"); returns
    where it is."""
    ref = env.section_ref(section)
    if isinstance(env, LocalEnv):
        path = Path(ref.id)
        copy = path.with_name(f"{path.stem} - Copy.xlsx")
        shutil.copy2(path, copy)  # as Explorer copies: the same modified time
        return str(copy)
    store = env.store()
    made = store.copy(ref, f"{ref.name} - Copy", Tags(Role.section, env.config.period.code,
                                                      section))
    store.share(made, [Grant(env.editor(section), "writer")])
    return made.url


def type_into_copy(env: Env, where: str) -> None:
    if isinstance(env, LocalEnv):
        wb = load_workbook(where)
        wb["Kertas Kerja"]["G10"] = 55  # Realisasi of B1-01
        wb.save(where)
        return
    assert isinstance(env, GoogleEnv)
    file_id = where.split("/d/")[1].split("/")[0]
    answer = env.fake.write_as(env.editor("bagian-1"), file_id, "'Kertas Kerja'!G10", [[55]],
                               value_input_option="RAW")
    assert answer.status_code == 200


def test_every_command_warns_about_a_second_workbook(env):
    env.run("distribute")
    original = env.section_ref("bagian-1")
    copy = make_copy(env, "bagian-1")
    for command in (["status"], ["validate"], ["recap"], ["watch", "--once"]):
        out = " ".join(env.run(*command, code=None).output.split())
        assert "bagian bagian-1 punya 2 kertas kerja" in out, command
        assert f"Yang dipakai: {original.url}" in out and copy in out
        assert ("dibuat paling awal" if env.name == "google" else "berkas asli") in out
        assert "mengisi di berkas yang diabaikan" not in out
    type_into_copy(env, copy)
    for command in (["status"], ["validate"], ["recap"]):
        out = " ".join(env.run(*command, code=None).output.split())
        assert f"mengisi di berkas yang diabaikan ({copy}): 1 isian berbeda" in out, command
    # JSON on stdout stays clean
    json.loads(env.run("status", "--format", "json").stdout)


def test_a_workbook_that_cannot_be_written_does_not_stop_the_recap(env, monkeypatch):
    from sheets_sync.ports import BackendError

    env.run("distribute")
    for section in ("bagian-1", "bagian-2"):
        env.type_into(section, {}, status="Selesai", at="2026-10-06T09:00")
    blocked = env.section_ref("bagian-1").id
    real_store = env.store

    def store():
        inner = real_store()

        class Blocking:
            def __getattr__(self, name):
                return getattr(inner, name)

            def apply(self, ref, patch):
                if ref.id == blocked:
                    raise BackendError("berkas sedang dibuka di Excel")
                return inner.apply(ref, patch)

            def apply_many(self, items):
                for ref, patch in items:
                    self.apply(ref, patch)
        return Blocking()

    if isinstance(env, LocalEnv):
        import sheets_sync.adapters as adapters
        monkeypatch.setattr(adapters, "open_store", lambda config, base_dir: store())
    else:
        monkeypatch.setattr(env, "store", store)
    recap = recap_json(env)
    assert {s["section"]: s["handed_in"] for s in recap["sections"]} == {
        "bagian-1": 1, "bagian-2": 1, "bagian-3": 0}
    monkeypatch.undo()
    # the recap writes no section workbook: it keeps the first hand-ins in its own write
    # (no call per section), and a later run finds them there
    for section in ("bagian-1", "bagian-2"):
        assert HANDED_IN_KEY not in parse_meta(env.grid(env.section_ref(section), "_meta")).extra
    env.type_into("bagian-1", {}, status="Selesai", at="2026-10-07T09:00")  # typed again
    sections, _ = status_json(env)
    assert sections["bagian-1"]["handed_in_at"] == "2026-10-06T09:00:00"
    assert recap_json(env)["sections"][0]["handed_in_at"] == "2026-10-06T09:00:00"
