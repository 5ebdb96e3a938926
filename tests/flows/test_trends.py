"""Trends across periods (issue 22, point 3): the Tren sheet puts the earlier periods' results
beside the current one, from their own recaps or the office's history file, kept in the
recap so a refresh reads nothing more; a period without a record is shown as missing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from sheets_sync.domain.trends import MISSING, SHEET_TRENDS
from sheets_sync.ports import Role
from tests.backends import Env, GoogleEnv, LocalEnv
from tests.conftest import small_config_data


@pytest.fixture(params=["local", "google"])
def env(request: pytest.FixtureRequest, tmp_path: Path) -> Env:
    kind = LocalEnv if request.param == "local" else GoogleEnv
    data = small_config_data(sections=2)
    # TW1 2026 and TW3 2025 the office recorded before sheets-sync (realisasi only)
    history = tmp_path / "riwayat.csv"
    history.write_text("periode,kode,realisasi\n2026-TW1,B1-01,50\n2025-TW3,B1-01,80\n"
                       "2025-TW3,B1-02,10\n", encoding="utf-8")
    data["history_file"] = str(history)
    return kind(tmp_path, data)


def in_period(env: Env, period: str) -> None:
    data = env.data
    data["period"] = period
    env.rewrite(data)


def tren(env: Env) -> dict[str, list[object]]:
    """Tren rows by their first two cells: (section, '') for sections, code for indicators."""
    grid = env.recap_grid(SHEET_TRENDS)
    return {str(r[1]) if str(r[1]).startswith("B") else str(r[0]): r for r in grid[2:] if r}


def test_the_tren_sheet_shows_each_period_from_its_record(env: Env) -> None:
    in_period(env, "2026-TW2")
    env.run("distribute")
    env.type_into("bagian-1", {"B1-01": {"realisasi": 70}}, status="Selesai")
    env.run("recap", code=None)

    in_period(env, "2026-TW3")
    env.run("distribute")
    env.type_into("bagian-1", {"B1-01": {"realisasi": 90}}, status="Selesai")
    env.run("recap", code=None)

    grid = env.recap_grid(SHEET_TRENDS)
    header = grid[1]
    periods = header[3:11]
    assert periods == ["Triwulan IV 2024", "Triwulan I 2025", "Triwulan II 2025",
                       "Triwulan III 2025", "Triwulan IV 2025", "Triwulan I 2026",
                       "Triwulan II 2026", "Triwulan III 2026"]
    row = next(r for r in grid if len(r) > 1 and r[1] == "B1-01")
    values = row[3:11]
    # from the file (2025-TW3: 80 of target 100; 2026-TW1: 50), the TW2 recap (70), now (90)
    assert values == [MISSING, MISSING, MISSING, 80, MISSING, 50, 70, 90]
    assert row[11] == pytest.approx(20)  # against the previous period
    assert row[12] == pytest.approx(10)  # against the same quarter last year
    untouched = next(r for r in grid if len(r) > 1 and r[1] == "B2-01")
    assert untouched[3:11] == [MISSING] * 8 and untouched[11:13] == [MISSING, MISSING]


def test_a_refresh_reads_the_kept_record_and_refresh_quarters_rereads(env: Env) -> None:
    in_period(env, "2026-TW2")
    env.run("distribute")
    env.type_into("bagian-1", {"B1-01": {"realisasi": 70}}, status="Selesai")
    env.run("recap", code=None)
    (tw2,) = env.store().find("2026-TW2", Role.recap)

    in_period(env, "2026-TW3")
    env.run("distribute")
    env.run("recap", code=None)
    _remove(env, tw2.id)  # the earlier recap is gone: the kept record still serves
    env.run("recap", code=None)
    row = next(r for r in env.recap_grid(SHEET_TRENDS) if len(r) > 1 and r[1] == "B1-01")
    assert row[9] == 70
    env.run("recap", "--refresh-quarters", code=None)
    row = next(r for r in env.recap_grid(SHEET_TRENDS) if len(r) > 1 and r[1] == "B1-01")
    assert row[9] == MISSING


def _remove(env: Env, file_id: str) -> None:
    if isinstance(env, LocalEnv):
        Path(file_id).unlink()
    else:
        assert isinstance(env, GoogleEnv)
        env.fake.files[file_id].trashed = True  # as a person moving it to the bin


def test_one_line_chart_per_section(tmp_path: Path) -> None:
    env = LocalEnv(tmp_path, small_config_data(sections=3))
    env.run("distribute")
    env.run("recap", code=None)
    (ref,) = env.store().find(env.config.period.code, Role.recap)
    ws = load_workbook(ref.id)[SHEET_TRENDS]
    assert len(ws._charts) == 3
    assert all(type(c).__name__ == "LineChart" for c in ws._charts)


def test_recap_json_is_unchanged_by_trends(tmp_path: Path) -> None:
    env = LocalEnv(tmp_path, small_config_data())
    env.run("distribute")
    data = json.loads(env.run("recap", "--format", "json", code=None).stdout)
    assert set(data) == {"sections", "office", "rows", "completeness"}


def test_a_period_from_the_history_file_is_averaged_as_the_recap_averages(tmp_path: Path) -> None:
    """A section's mean from the history file follows rekap.batas_capaian, as its recap's
    mean would: one over-achievement (300 %) counts as 120, not 300."""
    from sheets_sync.domain.rules.history import History
    from sheets_sync.domain.trends import from_history

    env = LocalEnv(tmp_path, small_config_data(sections=1))
    history = History()
    history.add("2026-TW2", "B1-01", 300)  # target 100: capaian 300 %
    history.add("2026-TW2", "B1-03", 6)  # target 10: capaian 60 %
    result = from_history(env.config, history, "2026-TW2")
    assert result is not None
    assert result.indicators["B1-01"] == 300  # the indicator's own capaian, uncapped
    assert result.sections["bagian-1"] == pytest.approx((120 + 60) / 2)
