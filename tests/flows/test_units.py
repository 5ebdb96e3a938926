"""Organisation units (issue 22, points 1-2): the tree in the config, figures rolled up to
every unit on both backends, the Rekap Unit sheet folded by unit, and clear config mistakes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from sheets_sync.config import config_warnings, load_config
from sheets_sync.domain.errors import ConfigError
from sheets_sync.domain.units import SHEET_UNITS
from sheets_sync.ports import Role
from tests.backends import Env, GoogleEnv, LocalEnv
from tests.conftest import small_config_data, write_config

# bagian-1, bagian-2 under "umum"; bagian-3 under "sidang"; both under the root; a deeper
# unit "arsip" under "umum" holding bagian-4.
UNITS = [
    {"id": "setwan", "name": "Sekretariat DPRD", "head": "Sekretaris DPRD"},
    {"id": "umum", "name": "Bagian Umum", "head": "Kabag Umum", "parent": "setwan"},
    {"id": "arsip", "name": "Subbagian Arsip", "head": "Kasubbag Arsip", "parent": "umum"},
    {"id": "sidang", "name": "Bagian Persidangan", "head": "Kabag Sidang", "parent": "setwan"},
]
UNIT_OF = {"bagian-1": "umum", "bagian-2": "umum", "bagian-3": "sidang", "bagian-4": "arsip"}


def tree_data(**extra: Any) -> dict[str, Any]:
    data = small_config_data(sections=4, **extra)
    data["units"] = [dict(u) for u in UNITS]
    for s in data["sections"]:
        s["unit"] = UNIT_OF[s["id"]]
    return data


@pytest.fixture(params=["local", "google"])
def env(request: pytest.FixtureRequest, tmp_path: Path) -> Env:
    kind = LocalEnv if request.param == "local" else GoogleEnv
    return kind(tmp_path, tree_data())


def units_of(env: Env) -> dict[str, dict[str, Any]]:
    data = json.loads(env.run("recap", "--format", "json", code=None).stdout)
    units = {u["id"]: u for u in data["units"]}
    # the top unit is the office: the same mean as the office's
    assert units["setwan"]["mean_capaian"] == data["office"]["mean_capaian"]
    return units


def test_a_parent_counts_what_lies_below_it(env: Env) -> None:
    env.run("distribute")
    env.type_into("bagian-1", {"B1-01": {"realisasi": 100}, "B1-02": {"realisasi": 5}},
                  status="Selesai")
    env.type_into("bagian-4", {"B4-01": {"realisasi": 50}}, status="Selesai")
    units = units_of(env)

    assert [units[u]["parent"] for u in ("setwan", "umum", "arsip", "sidang")] == [
        None, "setwan", "umum", "setwan"]
    # sections below: umum holds bagian-1, bagian-2 and (through arsip) bagian-4
    assert (units["umum"]["sections"], units["arsip"]["sections"],
            units["sidang"]["sections"], units["setwan"]["sections"]) == (3, 1, 1, 4)
    assert units["umum"]["handed_in"] == 2 and units["sidang"]["handed_in"] == 0
    assert units["setwan"]["handed_in"] == units["umum"]["handed_in"] + units["sidang"]["handed_in"]
    assert units["umum"]["filled"] == 3 and units["setwan"]["filled"] == 3
    # the office's rule: the mean of the means of the sections below that have one
    # (bagian-1: 100 % and 5/10 = 50 %, so 75; bagian-4: 50), never lifted by bagian-2,
    # which has not handed in
    assert units["umum"]["mean_capaian"] == pytest.approx((75 + 50) / 2)
    assert units["umum"]["sections_counted"] == 2
    assert units["arsip"]["mean_capaian"] == pytest.approx(50)
    assert units["sidang"]["mean_capaian"] is None and units["sidang"]["rating"] is None
    assert sum(units["umum"]["bands"].values()) == units["umum"]["counted"] == 3


def test_rekap_unit_sheet_folds_the_tree(env: Env) -> None:
    env.run("distribute")
    env.type_into("bagian-3", {"B3-01": {"realisasi": 95}}, status="Selesai")
    env.run("recap", code=None)
    grid = env.recap_grid(SHEET_UNITS)
    names = [str(r[0]).strip() for r in grid[1:]]
    # each unit, then its sections and sub-units below it, in the config's order
    assert names == ["Sekretariat DPRD", "Bagian Umum", "Subbagian 1", "Subbagian 2",
                     "Subbagian Arsip", "Subbagian 4", "Bagian Persidangan", "Subbagian 3"]
    levels = _outline_levels(env)
    assert levels == {3: 1, 4: 2, 5: 2, 6: 2, 7: 3, 8: 1, 9: 2}


def _outline_levels(env: Env) -> dict[int, int]:
    """Row -> outline level of the Rekap Unit sheet as the backend stores it."""
    (ref,) = env.store().find(env.config.period.code, Role.recap)
    if isinstance(env, LocalEnv):
        ws = load_workbook(ref.id)[SHEET_UNITS]
        assert ws.sheet_properties.outlinePr.summaryBelow is False
        return {r: d.outlineLevel for r, d in ws.row_dimensions.items() if d.outlineLevel}
    assert isinstance(env, GoogleEnv)
    import gspread

    client = gspread.Client(None, session=env.fake.session("pep@setwan.example"))  # type: ignore[arg-type]
    meta = client.open_by_key(ref.id).fetch_sheet_metadata(
        {"fields": "sheets(properties(title),rowGroups)"})
    sheet = next(s for s in meta["sheets"] if s["properties"]["title"] == SHEET_UNITS)
    levels: dict[int, int] = {}
    for g in sheet.get("rowGroups", []):
        for row in range(g["range"].get("startIndex", 0) + 1, g["range"]["endIndex"] + 1):
            levels[row] = max(levels.get(row, 0), g["depth"])
    return levels


def test_a_second_recap_replaces_the_folds(env: Env) -> None:
    env.run("distribute")
    env.run("recap", code=None)
    data = env.data
    data["units"] = [u for u in data["units"] if u["id"] != "arsip"]
    for s in data["sections"]:
        if s["unit"] == "arsip":
            s["unit"] = "umum"
    env.rewrite(data)
    env.run("recap", code=None)
    assert _outline_levels(env) == {3: 1, 4: 2, 5: 2, 6: 2, 7: 1, 8: 2}


def test_without_units_nothing_changes(tmp_path: Path) -> None:
    env = LocalEnv(tmp_path, small_config_data())
    env.run("distribute")
    data = json.loads(env.run("recap", "--format", "json", code=None).stdout)
    assert "units" not in data
    (ref,) = env.store().find(env.config.period.code, Role.recap)
    assert SHEET_UNITS not in load_workbook(ref.id).sheetnames


@pytest.mark.parametrize(("change", "named"), [
    (lambda d: d["units"][1].update(parent="tidak-ada"), "units[umum].parent"),
    (lambda d: d["units"][0].update(parent="arsip"), "saling menjadi induk"),
    (lambda d: d["sections"][0].update(unit="gudang"), "sections[bagian-1].unit"),
    (lambda d: d["sections"][0].pop("unit"), "sections[bagian-1].unit belum diisi"),
    (lambda d: d["units"].append(dict(d["units"][1])), "id unit ganda"),
])
def test_a_broken_tree_is_refused_naming_the_key(tmp_path: Path, change: Any,
                                                 named: str) -> None:
    data = tree_data()
    change(data)
    with pytest.raises(ConfigError) as caught:
        load_config(write_config(tmp_path, data))
    assert named in str(caught.value)


def test_a_unit_with_no_section_below_is_a_warning(tmp_path: Path) -> None:
    data = tree_data()
    data["units"].append({"id": "kosong", "name": "Bagian Kosong", "parent": "setwan"})
    path = write_config(tmp_path, data)
    warnings = config_warnings(path, load_config(path))
    assert any("'kosong'" in w and "tidak punya satu bagian" in w for w in warnings)


def test_the_example_config_carries_the_office_tree() -> None:
    from tests.conftest import REPO

    config = load_config(REPO / "config" / "sync.yaml")
    tops = [u.id for u in config.units if u.parent is None]
    assert len(tops) == 1
    bagian = {u.name for u in config.units if u.parent == tops[0]}
    assert {"Bagian Umum dan Keuangan", "Bagian Persidangan dan Perundang-undangan",
            "Bagian Fasilitasi Penganggaran dan Pengawasan"} <= bagian
    assert all(s.unit for s in config.sections)


def test_unit_viewers_read_their_units_workbooks_and_the_recap(tmp_path: Path) -> None:
    data = tree_data()
    data["units"][1]["viewers"] = ["kabag.umum@setwan.example"]  # Bagian Umum
    env = GoogleEnv(tmp_path, data)
    env.fake.add_user("kabag.umum@setwan.example")
    env.run("distribute")
    env.run("recap", code=None)

    def role(file_id: str) -> str | None:
        return next((p.role for p in env.fake.file(file_id).permissions
                     if p.email_address == "kabag.umum@setwan.example"), None)

    # bagian-1, bagian-2 and (through Subbagian Arsip) bagian-4 lie below Bagian Umum
    assert {s: role(env.section_ref(s).id) for s in UNIT_OF} == {
        "bagian-1": "reader", "bagian-2": "reader", "bagian-3": None, "bagian-4": "reader"}
    (recap,) = env.store().find(env.config.period.code, Role.recap)
    assert role(recap.id) == "reader"


def test_a_draft_counts_nowhere_until_its_section_hands_in(env: Env) -> None:
    """A section still typing (no 'Selesai') has drafts, not figures: no row of it counts or
    has a predikat, so the bands, the unit lines and the exports all agree."""
    env.run("distribute")
    env.type_into("bagian-1", {"B1-01": {"realisasi": 100}}, status="Selesai")
    env.type_into("bagian-2", {"B2-01": {"realisasi": 95}})  # typing, not handed in
    data = json.loads(env.run("recap", "--format", "json", code=None).stdout)
    draft = next(r for r in data["rows"] if r["indicator"] == "B2-01")
    assert draft["counts"] is False and not draft["rating"]
    assert "belum diserahkan" in draft["not_counted_reason"]
    units = {u["id"]: u for u in data["units"]}
    counted_rows = sum(r["counts"] for r in data["rows"])
    assert units["setwan"]["counted"] == counted_rows == 1
    assert sum(units["umum"]["bands"].values()) == units["umum"]["counted"] == 1


def test_a_tree_mistake_names_the_section_and_its_line(tmp_path: Path) -> None:
    """A whole-config check (the model knows no line for it) still names the section and the
    line of its `- id:`; the section id in brackets survives the terminal's markup."""
    data = tree_data()
    data["sections"][2].pop("unit")
    env = LocalEnv(tmp_path, data)
    result = env.run("status", code=2)
    text = result.output
    assert "sections[bagian-3].unit belum diisi" in text
    line = next(n for n, t in enumerate(env.config_path.read_text().splitlines(), 1)
                if t.strip() == "- id: bagian-3")
    assert f"(baris {line})" in text


def test_rekap_unit_names_and_header_words_are_shown_whole(tmp_path: Path) -> None:
    """What a Kepala Bagian reads: a long unit name and its head are never cut off (the
    column is as wide as they are, or they wrap in a row tall enough), and no header word
    is broken in two ("Menyerahk-an")."""
    from sheets_sync.domain import presentation as look

    data = tree_data()
    data["units"][3]["name"] = "Bagian Fasilitasi Penganggaran dan Pengawasan Keuangan Daerah"
    data["units"][3]["head"] = ("Kepala Bagian Fasilitasi Penganggaran dan Pengawasan "
                                "Keuangan Daerah Provinsi Jambi")
    env = LocalEnv(tmp_path, data)
    env.run("distribute")
    config = env.config  # bagian-3 reaches every target: "Sangat Tinggi" in bold on its unit
    env.type_into("bagian-3", {i.code: {"realisasi": i.target} for i in config.indicators_of(
        "bagian-3") if i.target}, status="Selesai")
    env.run("recap", code=None)
    (ref,) = env.store().find(env.config.period.code, Role.recap)
    ws = load_workbook(ref.id)[SHEET_UNITS]
    assert any(c.value == "Sangat Tinggi" for row in ws.iter_rows() for c in row)

    def px(col: int) -> float:  # openpyxl keeps Excel's width in characters
        return (ws.column_dimensions[ws.cell(1, col).column_letter].width or 8.43) * 7 + 5

    for col in range(1, ws.max_column + 1):
        header = str(ws.cell(1, col).value)
        assert px(col) >= max(look.text_px(w, bold=True) for w in header.split()) - 8, header
    predikat = next(c for c in range(1, ws.max_column + 1) if ws.cell(1, c).value == "Predikat")
    for row in range(2, ws.max_row + 1):
        rating = str(ws.cell(row, predikat).value or "")
        assert px(predikat) >= look.text_px(rating, bold=True) - 8, rating
        for col in (1, 3):
            text = str(ws.cell(row, col).value or "")
            needed = look.lines_needed(text, int(px(col)), bold=True)
            if needed > 1:  # wraps: in a row tall enough for every line
                assert ws.cell(row, col).alignment.wrap_text, (row, col)
                height = ws.row_dimensions[row].height or 15
                assert height >= needed * look.LINE_PX * 0.75 - 1, (row, col, text)
