"""The commands end to end, through the real CLI, on both backends (a folder of real .xlsx
files, and Google through gspread against the in-process fake): validate, the review loop
(confirm, approve, reopen), recap and watch.

Sections type the way they really would: in Excel (local), or through the API as their own
account (Google), where protections apply to them.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from sheets_sync.flows.watch import Watcher
from tests.backends import Env, GoogleEnv, LocalEnv, fill_all_valid
from tests.conftest import small_config_data


@pytest.fixture(params=["local", "google"])
def env(request: pytest.FixtureRequest, tmp_path: Path) -> Env:
    kind = LocalEnv if request.param == "local" else GoogleEnv
    return kind(tmp_path, small_config_data())


# --------------------------------------------------------------------------- validate


def test_validate_reports_and_writes_feedback_into_the_section_sheet(env):
    env.run("distribute")
    fill_all_valid(env)
    env.type_into("bagian-2", {"B2-01": {"realisasi": "sembilan puluh"}})
    report = json.loads(env.run("validate", "--format", "json", code=1).stdout)
    assert report["summary"]["errors"] >= 1 and report["summary"]["sections"] == 3
    bad = [i for i in report["issues"] if i["severity"] == "error"]
    assert {(i["section"], i["indicator"], i["cell"]) for i in bad} == {("bagian-2", "B2-01", "G10")}
    # the section sees it in its own sheet, in Indonesian, and its status changed
    rows = env.grid(env.section_ref("bagian-2"), "Validasi")
    assert any("sembilan puluh" in " ".join(str(c) for c in r if c) for r in rows[1:])
    assert env.cell("bagian-2", "Kertas Kerja", "G10") == "sembilan puluh"  # never changed
    assert "sembilan puluh" in env.note("bagian-2", "G10")
    assert env.cell("bagian-2", "Kertas Kerja", "B7") == "Perlu Konfirmasi"
    assert env.cell("bagian-1", "Kertas Kerja", "B7") == "Valid"


def test_validate_twice_writes_nothing_new_and_fixes_clear_feedback(env):
    env.run("distribute")
    fill_all_valid(env)
    env.type_into("bagian-2", {"B2-01": {"realisasi": -3}})
    assert "Umpan balik ditulis ke 3 lembar" in env.run("validate", code=1).output
    assert "Umpan balik ditulis" not in env.run("validate", code=1).output  # nothing new
    env.type_into("bagian-2", {"B2-01": {"realisasi": 100}}, status="Selesai")
    out = env.run("validate").output
    assert "0 kesalahan" in out and "ditulis ke 1 lembar" in out
    assert env.note("bagian-2", "G10") == ""
    assert env.cell("bagian-2", "Kertas Kerja", "B7") == "Valid"


def test_validate_dry_run_writes_nothing(env):
    env.run("distribute")
    env.type_into("bagian-1", {"B1-01": {"realisasi": "x"}}, status="Selesai")
    before = env.section_ref("bagian-1").modified
    env.run("validate", "--dry-run", code=1)
    assert env.section_ref("bagian-1").modified == before
    assert env.cell("bagian-1", "Kertas Kerja", "B7") == "Selesai"


# --------------------------------------------------------------------------- review loop


@pytest.fixture
def reviewed(env):
    env.run("distribute")
    config = env.config
    values = {i.code: {"realisasi": i.target, "bukti": "https://drive.example/b.pdf"}
              for i in config.indicators_of("bagian-1")}
    values["B1-01"]["realisasi"] = 50  # 50 %: needs a Keterangan (a warning)
    env.type_into("bagian-1", values, status="Selesai")
    return env


def test_confirm_approve_reopen(reviewed):
    env = reviewed
    checked = json.loads(env.run("validate", "--format", "json").stdout)
    warning = next(i for i in checked["issues"] if i["section"] == "bagian-1")
    assert warning["severity"] == "warning"
    assert env.can_type("bagian-1", "G10") and not env.can_type("bagian-1", "F10")

    assert "belum dapat disetujui" in env.run("approve", "bagian-1", code=1).output
    out = env.run("confirm", "bagian-1", warning["key"], "--note", "Sudah dicek", "--by", "ani")
    assert "dikonfirmasi" in out.output and "Valid" in out.output
    env.run("validate", "--section", "bagian-1")  # exit 0: nothing blocks any more

    env.run("approve", "bagian-1", "--by", "budi")
    assert env.cell("bagian-1", "Kertas Kerja", "B7") == "Disetujui"
    assert not env.can_type("bagian-1", "G10")  # the inputs are locked now
    assert not env.can_type("bagian-1", "B7")
    assert env.cell("bagian-1", "Kertas Kerja", "G10") == 50  # nothing typed was touched

    out = env.run("reopen", "bagian-1", "--reason", "Revisi", "--format", "json")
    assert json.loads(out.stdout)["status"] == "Sedang Diisi"
    assert env.can_type("bagian-1", "G10") and env.can_type("bagian-1", "B7")
    assert not env.can_type("bagian-1", "F10")

    env.run("recap")
    audit = env.recap_grid("Audit")
    assert sum(any("ani" in str(c) for c in row) for row in audit) >= 1
    assert sum(any("budi" in str(c) for c in row) for row in audit) >= 1


@pytest.mark.parametrize(("args", "code", "text"), [
    (["confirm", "humas", "x:y", "--note", "n"], 2, "tidak ada di konfigurasi"),
    (["confirm", "bagian-1", "x:y", "--note", "n"], 2, "tidak ada pada lembar ini"),
    (["confirm", "bagian-1", "x:y"], 2, "--note"),
    (["reopen", "bagian-2", "--reason", "r"], 0, "masih terbuka"),
    (["approve", "bagian-2"], 2, "Belum Diisi"),
])
def test_review_messages_and_exit_codes(reviewed, args, code, text):
    result = reviewed.run(*args, code=code)
    assert text in result.output and "Traceback" not in result.output


# --------------------------------------------------------------------------- recap


def test_recap_json_and_workbook(env, tmp_path):
    env.run("distribute")
    env.type_into("bagian-1", {"B1-01": {"realisasi": "87,5"}, "B1-04": {"realisasi": 3}},
                  status="Selesai")
    rows = json.loads(env.run("recap", "--format", "json",
                              "--export", str(tmp_path / "laporan.csv")).stdout)["rows"]
    by_code = {r["indicator"]: r for r in rows}
    b1 = {k: by_code["B1-01"][k] for k in ("section", "indicator", "target", "realisasi",
                                           "capaian", "rating", "counts", "not_counted_reason")}
    assert b1 == {"section": "bagian-1", "indicator": "B1-01", "target": 100.0,
                  "realisasi": 87.5, "capaian": 87.5, "rating": "Tinggi",
                  "counts": True, "not_counted_reason": None}  # TW I-IV: test_quarters
    assert by_code["B1-04"]["capaian"] == 170.0  # 'hari' is negative polarity: (2*10-3)/10
    assert by_code["B2-01"]["capaian"] is None
    assert "Tinggi" in (tmp_path / "laporan.csv").read_text(encoding="utf-8-sig")
    summary = env.recap_grid("Ringkasan")
    late = {r[0] for r in summary if len(r) > 6 and r[6] == "Ya"}
    assert late == {"bagian-2", "bagian-3"}  # bagian-1 handed in; the others are late


def test_recap_audit_appends_changes_and_never_rewrites(env):
    env.run("distribute")
    env.run("recap")
    env.type_into("bagian-1", {"B1-01": {"realisasi": 80}})
    env.run("recap")
    env.type_into("bagian-1", {"B1-01": {"realisasi": 85}})
    env.run("recap")
    audit = env.recap_grid("Audit")
    changes = [r for r in audit[1:] if r[2] == "B1-01"]
    assert [(r[5] if r[5] != "" else None, r[6]) for r in changes] == [(None, 80), (80, 85)]
    assert audit[0][0] == "Waktu" and sum(r[0] == "Waktu" for r in audit) == 1


def test_recap_audit_lines_of_one_recap_are_in_time_order(env):
    """A review done at 10:00 and a value change the 11:00 recap notices: the approval's
    line comes first, as it happened first."""
    from datetime import datetime

    from sheets_sync.flows.recap import recap
    from sheets_sync.flows.review import approve

    env.run("distribute")
    env.run("recap")
    env.type_into("bagian-1", {f"B1-0{n}": {"realisasi": 9, "keterangan": "Sesuai rencana",
                                            "bukti": "https://drive.example/bukti.pdf"}
                               for n in range(1, 5)}, status="Selesai")
    env.run("validate")
    config, store = env.config, env.store()
    approve(config, store, "bagian-1", "pep", datetime(2026, 10, 7, 10, 0))
    recap(config, store, datetime(2026, 10, 7, 11, 0))
    times = [r[0] for r in env.recap_grid("Audit")[1:] if r and r[0]]
    assert len(times) > 1 and any("10:00" in t for t in times)
    assert times == sorted(times)


# --------------------------------------------------------------------------- watch


def test_watch_reads_only_what_changed(env):
    env.run("distribute")
    store = Counting(env.store())
    watcher = Watcher(env.config, store)
    now = datetime(2026, 10, 5, 10, 0)
    first = watcher.cycle(now)
    assert first.changed == ["bagian-1", "bagian-2", "bagian-3"] and first.recap_written

    settle = watcher.cycle(now)  # our own writes moved the files: read once more, no change
    assert (settle.changed, settle.recap_written) == ([], False)
    store.calls.clear()
    idle = watcher.cycle(now)
    assert (idle.changed, store.calls) == ([], ["changed_since"])

    env.type_into("bagian-2", {"B2-01": {"realisasi": "abc"}}, status="Selesai")
    store.calls.clear()
    busy = watcher.cycle(now)
    assert busy.changed == ["bagian-2"] and busy.feedback_written == ["bagian-2"]
    # one listing, one section read (not three), its feedback, then the recap: read, write,
    # sharing check
    assert store.calls == ["changed_since", "read", "apply_many", "read", "apply", "share"]
    assert busy.errors == 4  # "abc", and the three rows left empty although "Selesai"


def test_watch_once_from_the_cli(env):
    env.run("distribute")
    out = env.run("watch", "--once").output
    assert "pertama kali dibaca: bagian-1, bagian-2, bagian-3; berubah: -" in out


class Counting:
    """Counts port calls (a read_many of n files counts n reads)."""

    def __init__(self, inner: Any) -> None:
        self.inner, self.calls = inner, []
        self.identity = getattr(inner, "identity", None)

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self.inner, name)

        def counted(*args: Any, **kwargs: Any) -> Any:
            if name == "read_many":
                self.calls.extend(["read"] * len(args[0]))
            else:
                self.calls.append(name)
            return attr(*args, **kwargs)
        return counted if callable(attr) else attr
