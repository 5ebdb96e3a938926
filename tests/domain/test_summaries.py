"""Issue 21: every figure and state says what is so. Capped means (rekap.batas_capaian), no
mean for a section that has not handed in, an office mean that says what it covers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.backends import LocalEnv
from tests.conftest import small_config_data

LINK = "https://drive.example/bukti.pdf"


def recap(env: LocalEnv) -> dict[str, Any]:
    return json.loads(env.run("recap", "--format", "json", code=None).stdout)


def section(data: dict[str, Any], sid: str) -> dict[str, Any]:
    return next(s for s in data["sections"] if s["section"] == sid)


def rows(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["indicator"]: r for r in data["rows"]}


@pytest.mark.parametrize(("cap", "outlier", "mean", "rating"), [
    (None, 1000, 5050.0, "Sangat Tinggi"),  # no cap: one value lifts the whole section
    (120, 1000, 110.0, "Sangat Tinggi"),
    (100, 1000, 100.0, "Sangat Tinggi"),
    (120, 2, 60.0, "Rendah"),  # under the cap: nothing changes, nothing is marked
])
def test_one_confirmed_outlier_cannot_lift_its_section_or_the_office(tmp_path: Path, cap,
                                                                     outlier, mean, rating):
    data = small_config_data(sections=2, indicators=2)
    data["indicators"][0]["target"] = 80  # B1-01: 80 of 80 = 100 %
    data["indicators"][2]["target"] = 80  # B2-01: 40 of 80 = 50 %
    if cap is not None:
        data["rekap"] = {"batas_capaian": cap}
    else:
        data["rekap"] = {"batas_capaian": None}
    env = LocalEnv(tmp_path, data)
    env.run("distribute")
    env.type_into("bagian-1", {"B1-01": {"realisasi": 80, "bukti": LINK},
                               "B1-02": {"realisasi": outlier, "keterangan": "luar biasa",
                                         "bukti": LINK}}, status="Selesai")
    env.type_into("bagian-2", {"B2-01": {"realisasi": 40, "bukti": LINK}}, status="Selesai")
    env.run("validate", code=None)
    if outlier * 10 > 300:  # B1-02 target 10: implausible until PEP confirms it
        env.run("confirm", "bagian-1", "kewajaran:B1-02", "--note", "dicek dengan bagian")
    out = recap(env)
    b102 = rows(out)["B1-02"]
    assert b102["capaian"] == outlier * 10  # the indicator's own capaian stays as computed
    assert b102["counts"] is True
    limited = cap is not None and outlier * 10 > cap
    assert b102["capped"] is limited
    s1 = section(out, "bagian-1")
    assert (s1["mean_capaian"], s1["rating"]) == (mean, rating)
    assert s1["capped"] == (1 if limited else 0)
    office = out["office"]
    assert office["sections_counted"] == 2 and office["sections_total"] == 2
    assert office["mean_capaian"] == round((min(mean, cap or mean) + 50.0) / 2, 2)

    grid = env.recap_grid("Rekap Indikator")
    head = grid[0]
    row = next(r for r in grid if r[head.index("Kode")] == "B1-02")
    reason = row[head.index("Alasan Tidak Dihitung")] or ""
    assert ("dibatasi" in reason or "batas" in reason) is limited
    assert row[head.index("Capaian (%)")] == outlier * 10


def test_a_section_that_has_not_handed_in_has_no_mean_and_no_predikat(tmp_path: Path):
    env = LocalEnv(tmp_path, small_config_data(sections=3, indicators=2))
    env.run("distribute")
    env.type_into("bagian-1", {"B1-01": {"realisasi": 90, "bukti": LINK}}, status="Selesai")
    env.type_into("bagian-2", {"B2-01": {"realisasi": 95, "bukti": LINK}})  # still filling
    out = recap(env)
    s1, s2, s3 = (section(out, f"bagian-{n}") for n in (1, 2, 3))
    assert s1["mean_capaian"] == 90.0 and s1["rating"] == "Tinggi"
    for s in (s2, s3):
        assert s["mean_capaian"] is None and s["rating"] is None
        assert "belum diserahkan" in s["no_mean_reason"]
    assert out["office"]["sections_counted"] == 1 and out["office"]["sections_total"] == 3
    assert out["office"]["mean_capaian"] == 90.0

    summary = env.recap_grid("Ringkasan")
    top = next(n for n, r in enumerate(summary) if r and r[0] == "Kode Bagian")
    head = summary[top]
    by_id = {r[0]: r for r in summary[top + 1:] if r and r[0]}
    second = by_id["bagian-2"]
    assert second[head.index("Rata-rata Capaian (%)")] == "—"
    assert "belum diserahkan" in second[head.index("Predikat")]
    facts = {r[0]: r[1] for r in summary[:top] if len(r) > 1}
    assert facts["Bagian dalam rata-rata kantor"] == "1 dari 3 bagian"


def test_validate_writes_nothing_into_a_workbook_nobody_touched(tmp_path: Path):
    import os
    import time

    env = LocalEnv(tmp_path, small_config_data(sections=3, indicators=2))
    env.run("distribute")
    paths = {s: Path(env.section_ref(s).id) for s in ("bagian-1", "bagian-2", "bagian-3")}
    old = time.time() - 3600  # distributed an hour ago
    for p in paths.values():
        os.utime(p, (old, old))
    before = {s: (p.read_bytes(), p.stat().st_mtime) for s, p in paths.items()}
    env.type_into("bagian-1", {"B1-01": {"realisasi": 90, "bukti": LINK}}, status="Selesai")
    out = json.loads(env.run("validate", "--format", "json", code=None).stdout)
    assert out["untouched"] == ["bagian-2", "bagian-3"]
    for s in ("bagian-2", "bagian-3"):
        assert (paths[s].read_bytes(), paths[s].stat().st_mtime) == before[s], s
    text = env.run("validate", code=None).output
    assert "Belum diisi" in text and "bagian-2" in text and "Tidak ada temuan" not in text

    # the section that worked got its feedback; a blank one typing later gets it too
    assert env.cell("bagian-1", "Validasi", "F2")
    env.type_into("bagian-2", {"B2-01": {"realisasi": 5}})
    env.run("validate", code=None)
    assert paths["bagian-2"].read_bytes() != before["bagian-2"][0]


def test_an_untouched_sheet_is_never_told_it_has_no_findings():
    from sheets_sync.domain.feedback import NO_ISSUES, NOT_FILLED, validation_rows

    assert validation_rows([], blank=True)[0][5] == NOT_FILLED
    assert "Belum diisi" in NOT_FILLED and validation_rows([])[0][5] == NO_ISSUES


@pytest.mark.parametrize("kind", ["local", "google"])
def test_the_last_change_status_shows_is_always_the_sections_own(tmp_path: Path, kind: str):
    from tests.backends import GoogleEnv

    env = (LocalEnv if kind == "local" else GoogleEnv)(tmp_path, small_config_data(
        sections=2, indicators=2))
    env.run("distribute")
    env.type_into("bagian-1", {"B1-01": {"realisasi": 90}}, at="2026-10-06T11:15")
    env.run("validate", code=None)  # the service writes feedback into bagian-1 afterwards
    rows = {s["section"]: s for s in json.loads(env.run("status", "--format", "json",
                                                        code=None).stdout)["sections"]}
    assert rows["bagian-1"]["last_change"] == "2026-10-06T11:15:00"
    assert rows["bagian-1"]["changed_by"] not in (None, "sheets-sync", "pep@setwan.example")
    # nobody has touched bagian-2: no last change at all, not the service's distribution
    assert (rows["bagian-2"]["last_change"], rows["bagian-2"]["changed_by"]) == (None, None)
    env.run("recap", code=None)
    summary = env.recap_grid("Ringkasan")
    top = next(n for n, r in enumerate(summary) if r and r[0] == "Kode Bagian")
    col = summary[top].index("Perubahan Terakhir")
    changed = {r[0]: r[col] for r in summary[top + 1:] if r and r[0]}
    assert changed["bagian-1"] == "2026-10-06 11:15" and changed["bagian-2"] in ("", None)
