"""Quarters that add up: TW I-IV and the year to date per aggregation type, quarterly vs
annual targets, and a missing quarter said to be missing (never 0). The expected figures are
computed here independently of the code under test."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from statistics import mean

import pytest

from sheets_sync.config import load_config
from sheets_sync.domain.models import Aggregation, Indicator, Period
from sheets_sync.domain.quarters import MISSING, figures, year_to_date, ytd_target
from sheets_sync.domain.rules.history import History
from tests.backends import Env, GoogleEnv, LocalEnv
from tests.conftest import small_config_data, write_config

TW3 = Period.parse("2026-TW3")


def ind(aggregation: str, **kw: object) -> Indicator:
    return Indicator.model_validate({"code": "X-01", "section": "s", "name": "x", "target": 100,
                                     "aggregation": aggregation, **kw})


def hist(values: dict[int, float]) -> History:
    h = History()
    for q, v in values.items():
        h.add(f"2026-TW{q}", "X-01", v)
    return h


@pytest.mark.parametrize(("agg", "expected"), [
    ("sum", 10 + 20 + 30), ("last", 30), ("avg", mean([10, 20, 30])), ("manual", 30)])
def test_year_to_date_per_aggregation(agg, expected):
    f = figures(ind(agg), TW3, 30, None, hist({1: 10, 2: 20}))
    assert f is not None
    assert f.ytd == pytest.approx(expected)
    assert [f.cell(q) for q in (1, 2, 3, 4)] == [10, 20, 30, None]  # TW IV has not happened
    assert f.ytd_capaian == pytest.approx(expected / 100 * 100)


def test_a_missing_quarter_is_missing_never_zero():
    h = hist({1: 10})  # TW II has no data
    by = {agg: figures(ind(agg), TW3, 30, None, h) for agg in ("sum", "last", "avg", "manual")}
    assert by["sum"].ytd is None and "TW II" in by["sum"].note  # not 10 + 0 + 30
    assert by["last"].ytd == 30
    assert by["avg"].ytd == pytest.approx(mean([10, 30]))  # not (10 + 0 + 30) / 3
    assert by["manual"].ytd == 30
    assert by["sum"].cell(2) == MISSING and by["sum"].missing == [2]
    # the current quarter missing: `last` falls back to the latest reported, manual has none
    assert figures(ind("last"), TW3, None, None, hist({1: 10, 2: 20})).ytd == 20
    assert figures(ind("manual"), TW3, None, None, hist({1: 10, 2: 20})).ytd is None


def test_a_value_that_does_not_count_stays_out_of_the_year_to_date():
    f = figures(ind("sum"), TW3, 30, None, hist({1: 10, 2: 20}), counted=False)
    assert f.ytd is None and "tidak dihitung" in f.note
    assert f.cell(3) == 30  # shown, not counted
    g = figures(ind("avg"), TW3, 999, None, hist({1: 10, 2: 20}), counted=False)
    assert g.ytd == pytest.approx(15)


def test_quarterly_targets_or_the_annual_one():
    quarterly = {"target_tw1": 20, "target_tw2": 30, "target_tw3": 25, "target_tw4": 25}
    assert ytd_target(ind("sum", **quarterly), 3) == 20 + 30 + 25
    assert ytd_target(ind("avg", **quarterly), 3) == pytest.approx(mean([20, 30, 25]))
    assert ytd_target(ind("last", **quarterly), 3) == 25
    assert ytd_target(ind("sum"), 3) == 100  # only an annual target: the year's
    f = figures(ind("sum", **quarterly), TW3, 30, None, hist({1: 10, 2: 20}))
    assert f.ytd_capaian == pytest.approx(round(60 / 75 * 100, 2))


def test_config_gives_the_quarter_its_own_target(tmp_path):
    data = small_config_data(sections=1, indicators=1)
    data["indicators"][0].update(target=100, target_tw3=30, aggregation="sum")
    config = load_config(write_config(tmp_path, data))
    (i,) = config.indicators
    assert (i.target, i.yearly_target, i.quarter_target(1)) == (30, 100, 100)
    data["period"] = "2026-TW2"  # no target of its own: the annual one
    (j,) = load_config(write_config(tmp_path, data)).indicators
    assert (j.target, j.yearly_target) == (100, 100)


def test_indicator_file_with_quarter_targets(tmp_path):
    data = small_config_data(sections=1, indicators=0)
    data.pop("indicators")
    data["indicators_file"] = "indikator.csv"
    path = write_config(tmp_path, data)
    (path.parent / "indikator.csv").write_text(
        "kode;bagian;indikator;satuan;target;agregasi;target_tw1;target_tw2;target_tw3;target_tw4\n"
        "A-1;bagian-1;Jumlah kajian;kajian;40;sum;10;10;12,5;7,5\n", encoding="utf-8")
    (i,) = load_config(path).indicators
    assert (i.target, i.yearly_target, i.target_tw3) == (12.5, 40, 12.5)


def test_year_to_date_helper_notes_gaps():
    assert year_to_date(Aggregation.avg, {1: None, 2: 4.0}, 2) == (4.0, "tanpa TW I (tidak ada data)")


# --------------------------------------------------------------------------- through the port


AGGS = ["sum", "last", "avg", "manual"]
TYPED = {  # quarter -> section -> code -> realisasi; bagian-2 hands nothing in for TW II
    1: {"bagian-1": {"B1-01": 10, "B1-02": 3, "B1-03": 5, "B1-04": 4},
        "bagian-2": {"B2-01": 50, "B2-02": 2, "B2-03": 1, "B2-04": 9}},
    2: {"bagian-1": {"B1-01": 20, "B1-02": 4, "B1-03": 7, "B1-04": 6}},
    3: {"bagian-1": {"B1-01": 30, "B1-02": 5, "B1-03": 9, "B1-04": 8},
        "bagian-2": {"B2-01": 70, "B2-02": 6, "B2-03": 3, "B2-04": 12}},
}


def quarter_data() -> dict:
    data = small_config_data(sections=2, indicators=4)
    for n, i in enumerate(data["indicators"]):
        i["aggregation"] = AGGS[n % 4]
        i.pop("polarity", None)
        i["unit"] = "kegiatan"
    return data


def expected_ytd(agg: str, values: dict[int, float | None]) -> float | None:
    present = [v for v in values.values() if v is not None]
    if agg == "sum":
        return None if None in values.values() else sum(present)
    if agg == "last":
        return [v for _, v in sorted(values.items()) if v is not None][-1]
    if agg == "avg":
        return mean(present)
    return values[3]


@pytest.fixture(params=["local", "google"])
def quarters_env(request, tmp_path) -> Env:
    kind = LocalEnv if request.param == "local" else GoogleEnv
    data = quarter_data()
    env = kind(tmp_path, data)
    for q in (1, 2, 3):
        env.rewrite({**data, "period": f"2026-TW{q}"})
        env.run("distribute")
        for section, values in TYPED[q].items():
            env.type_into(section, {c: {"realisasi": v} for c, v in values.items()},
                          status="Selesai")
    return env


def read_csv_table(path: Path, first: str = "No") -> list[dict[str, str]]:
    rows = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))
    start = next(n for n, r in enumerate(rows) if r and r[0] == first)
    header = rows[start]
    out = []
    for r in rows[start + 1:]:
        if not r or not r[0]:
            break
        out.append(dict(zip(header, r, strict=False)))
    return out


def number(text: str) -> float | None:
    """A CSV number as any tool reads it (the export writes plain numbers: 1500, 87.5)."""
    return float(text) if text else None


def tw(roman: str) -> str:
    """The CSV column of a quarter's realisation (kinerja) in the renja form (E.81)."""
    return f"Realisasi {roman} (K)"


def test_renja_for_tw3_shows_tw1_to_tw3_and_the_year_to_date(quarters_env, tmp_path):
    env = quarters_env
    out = tmp_path / "renja.csv"
    env.run("export", "renja", "--format", "csv", "--output", str(out))
    rows = {r["Kode"]: r for r in read_csv_table(out) if r["Kode"]}
    config = env.config
    assert len(rows) == len(config.indicators)
    for i in config.indicators:
        values = {q: TYPED[q].get(i.section, {}).get(i.code) for q in (1, 2, 3)}
        row = rows[i.code]
        for q, roman in ((1, "TW I"), (2, "TW II"), (3, "TW III")):
            cell = row[tw(roman)]
            if values[q] is None:
                assert cell == MISSING, (i.code, q)
            else:
                assert number(cell) == values[q], (i.code, q)
        assert row[tw("TW IV")] == ""  # not happened yet: empty, not 0
        want = expected_ytd(i.aggregation.value, values)
        got = number(row[tw("s.d. TW III")])
        assert got == (None if want is None else pytest.approx(want, abs=0.01)), i.code
    # the recap's JSON says the same
    data = json.loads(env.run("recap", "--format", "json").stdout)
    for r in (data["rows"] if isinstance(data, dict) else data):
        assert r["ytd"] == number(rows[r["indicator"]][tw("s.d. TW III")])
        section = "bagian-1" if r["indicator"].startswith("B1") else "bagian-2"
        gaps = [f"TW {'I' * q}" for q in (1, 2) if r["indicator"] not in TYPED[q].get(section, {})]
        assert r["tw_tidak_ada_data"] == gaps and r["tw4"] is None


def test_recap_shows_the_quarters_and_keeps_what_it_read(quarters_env):
    env = quarters_env
    env.run("recap")
    grid = env.recap_grid("Rekap Indikator")
    header = grid[0]
    for title in ("TW I", "TW II", "TW III", "TW IV", "Realisasi s.d. TW"):
        assert title in header
    rows = {r[header.index("Kode")]: r for r in grid[1:]}
    assert rows["B2-01"][header.index("TW II")] == MISSING
    assert rows["B2-01"][header.index("Realisasi s.d. TW")] in ("", None)  # a sum with a gap
    assert rows["B1-01"][header.index("Realisasi s.d. TW")] == 60
    # an earlier quarter corrected later: the recap keeps what it read; export reads afresh
    env.rewrite({**quarter_data(), "period": "2026-TW1"})
    env.type_into("bagian-1", {"B1-01": {"realisasi": 11}})
    env.rewrite({**quarter_data(), "period": "2026-TW3"})
    env.run("recap")
    rows = {r[header.index("Kode")]: r for r in env.recap_grid("Rekap Indikator")[1:]}
    assert rows["B1-01"][header.index("Realisasi s.d. TW")] == 60
    env.run("recap", "--refresh-quarters")
    rows = {r[header.index("Kode")]: r for r in env.recap_grid("Rekap Indikator")[1:]}
    assert rows["B1-01"][header.index("Realisasi s.d. TW")] == 61


def test_history_file_fills_a_quarter_without_workbooks(tmp_path):
    data = quarter_data()
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "riwayat.csv").write_text(
        "periode;kode;realisasi\n2026-TW1;B1-01;15\n2026-TW2;B1-01;25\n2026-TW2;B2-01;1.500\n",
        encoding="utf-8")
    data["history_file"] = "riwayat.csv"
    env = LocalEnv(tmp_path, data)
    env.run("distribute")
    env.type_into("bagian-1", {"B1-01": {"realisasi": 35}}, status="Selesai")
    out = tmp_path / "renja.csv"
    env.run("export", "renja", "--format", "csv", "--output", str(out))
    rows = {r["Kode"]: r for r in read_csv_table(out) if r["Kode"]}
    assert (rows["B1-01"][tw("TW I")], rows["B1-01"][tw("TW II")]) == ("15", "25")
    assert number(rows["B1-01"][tw("s.d. TW III")]) == 15 + 25 + 35
    assert rows["B2-01"][tw("TW II")] == "1500"  # read as 1.500 (Indonesian), written plain
    assert rows["B2-01"][tw("TW I")] == MISSING


def test_year_to_date_predikat_and_mean_come_from_the_domain(config):
    from sheets_sync.domain.capaian import NOT_COMPUTABLE, rate
    from sheets_sync.domain.quarters import QuarterFigures, mean_ytd_capaian, ytd_rating

    good = QuarterFigures(current=3, ytd_capaian=95.0)
    low = QuarterFigures(current=3, ytd_capaian=40.0)
    none = QuarterFigures(current=3)
    assert ytd_rating(good, config.rating) == rate(95.0, config.rating) != ytd_rating(
        low, config.rating)
    assert ytd_rating(none, config.rating) == ytd_rating(None, config.rating) == NOT_COMPUTABLE
    assert mean_ytd_capaian([good, low, none, None]) == 67.5  # only those that have one
    assert mean_ytd_capaian([none]) is None
