"""A recap of recaps (issue 22, point 4): `sync consolidate` reads each office's recap once,
read-only, and writes the province's recap per OPD and per unit; a source that cannot be read
is named and the others still count."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from sheets_sync.domain.consolidate import SHEET_OPD, SHEET_OPD_UNITS
from sheets_sync.ports import Role
from tests.backends import GoogleEnv, LocalEnv
from tests.conftest import small_config_data
from tests.flows.test_units import tree_data


def office(tmp_path: Path, name: str, filled: dict[str, dict[str, dict[str, Any]]],
           units: bool = False) -> LocalEnv:
    data = tree_data() if units else small_config_data(sections=2)
    data["office"]["name"] = name
    env = LocalEnv(tmp_path / name, data)
    env.run("distribute")
    for section, values in filled.items():
        env.type_into(section, values, status="Selesai")
    env.run("recap", code=None)
    return env


def province(tmp_path: Path, sources: list[dict[str, str]]) -> LocalEnv:
    data = small_config_data(sections=0, consolidate={"sources": sources})
    data["office"]["name"] = "Bappeda Provinsi Jambi"
    return LocalEnv(tmp_path / "provinsi", data)


def test_offices_roll_up_and_a_missing_one_is_named(tmp_path: Path) -> None:
    a = office(tmp_path, "Dinas A", {"bagian-1": {"B1-01": {"realisasi": 100},
                                                  "B1-02": {"realisasi": 5}}})
    b = office(tmp_path, "Dinas B", {"bagian-2": {"B2-01": {"realisasi": 80}}}, units=True)
    prov = province(tmp_path, [
        {"name": "Dinas A", "workspace": str(a.config_path.parent / "workspace")},
        {"name": "Dinas B", "workspace": str(b.config_path.parent / "workspace")},
        {"name": "Dinas C", "workspace": str(tmp_path / "tidak-ada")},
    ])
    before = {p: p.stat().st_mtime_ns for p in (tmp_path / "Dinas A").rglob("*.xlsx")}
    result = prov.run("consolidate", "--format", "json", code=4)
    sources = {s["name"]: s for s in json.loads(result.stdout)["sources"]}

    assert sources["Dinas A"]["handed_in"] == 1 and sources["Dinas A"]["sections"] == 2
    assert sources["Dinas A"]["mean_capaian"] == pytest.approx(75)  # 100 % and 5/10
    # every office with the figure its own recap shows
    for name, env in (("Dinas A", a), ("Dinas B", b)):
        own = json.loads(env.run("recap", "--format", "json", code=None).stdout)["office"]
        assert sources[name]["mean_capaian"] == own["mean_capaian"], name
    assert sources["Dinas B"]["sections"] == 4 and sources["Dinas B"]["counted"] == 1
    assert sources["Dinas C"]["problem"] and "tidak ada" in sources["Dinas C"]["problem"]
    assert "Dinas C" in result.stderr
    # read-only: the sources' files are untouched
    assert before == {p: p.stat().st_mtime_ns for p in (tmp_path / "Dinas A").rglob("*.xlsx")}

    (ref,) = prov.store().find(prov.config.period.code, Role.consolidated)
    wb = load_workbook(ref.id)
    rows = {r[0]: r for r in wb[SHEET_OPD].iter_rows(values_only=True) if r[0]}
    assert rows["Dinas A"][8] == pytest.approx(75)
    assert rows["Dinas C"][1].startswith("folder kerja")
    total = next(v for k, v in rows.items() if str(k).startswith("Provinsi"))
    assert "2 dari 3 OPD" in total[0]
    assert total[2] == 6  # sections of the two offices read
    # the units of an office with a tree, folded under its line
    # the chart of the offices' means carries the 100 % line, on a page of its own
    ws = wb[SHEET_OPD]
    (chart,) = ws._charts
    assert len(chart.series) + sum(len(c.series) for c in chart._charts[1:]) == 2
    assert ws.row_breaks.brk, "the chart starts a printed page"
    unit_rows = [r for r in wb[SHEET_OPD_UNITS].iter_rows(values_only=True)]
    names = [str(r[1]).strip() for r in unit_rows if r[1]]
    assert "Bagian Umum" in names


def test_a_second_run_updates_the_same_file(tmp_path: Path) -> None:
    a = office(tmp_path, "Dinas A", {})
    prov = province(tmp_path, [{"name": "Dinas A",
                                "workspace": str(a.config_path.parent / "workspace")}])
    prov.run("consolidate")
    prov.run("consolidate")
    assert len(prov.store().find(prov.config.period.code, Role.consolidated)) == 1


def test_google_sources_are_read_by_their_link(tmp_path: Path) -> None:
    src = GoogleEnv(tmp_path / "opd", small_config_data(sections=2))
    src.run("distribute")
    src.type_into("bagian-1", {"B1-01": {"realisasi": 90}}, status="Selesai")
    src.run("recap", code=None)
    (recap,) = src.store().find(src.config.period.code, Role.recap)
    data = small_config_data(sections=0, consolidate={"sources": [
        {"name": "Dinas Google", "recap": f"https://docs.google.com/spreadsheets/d/{recap.id}/edit"},
    ]})
    prov = GoogleEnv.__new__(GoogleEnv)
    prov.fake = src.fake  # the same Google: the province's account reads the OPD's recap
    Path(tmp_path / "prov").mkdir()
    GoogleEnv.__init__(prov, tmp_path / "prov", data)
    out = json.loads(prov.run("consolidate", "--format", "json").stdout)
    (source,) = out["sources"]
    assert source["problem"] is None and source["mean_capaian"] == pytest.approx(90)
