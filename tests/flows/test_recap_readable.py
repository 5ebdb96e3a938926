"""The recap as leadership reads it in Excel: no dangling decimal comma on a whole number,
formats applied per run of rows (not per cell), the Ringkasan's texts whole in their cells."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from sheets_sync.domain import presentation as look
from sheets_sync.domain.patch import SheetPatch
from sheets_sync.domain.recap_layout import _table
from sheets_sync.ports import Role
from tests.backends import LocalEnv
from tests.conftest import small_config_data

PX_PER_CHAR = 7


def _filled(tmp_path: Path, statuses: tuple[str, ...] = ("Selesai",) * 3) -> LocalEnv:
    env = LocalEnv(tmp_path, small_config_data(sections=3, indicators=4))
    env.run("distribute")
    for n, s in enumerate(env.config.sections):
        share = (1.0, 0.875, 0.5)[n]
        env.type_into(s.id, {i.code: {"realisasi": round(i.target * share, 2)}
                             for i in env.config.indicators_of(s.id) if i.target},
                      status=statuses[n])
    env.run("recap")
    return env


def _book(env: LocalEnv) -> Any:
    (ref,) = env.store().find(env.config.period.code, Role.recap)
    return load_workbook(ref.id)


def _col(ws: Any, header: str, row: int = 1) -> int:
    return next(c.column for c in ws[row] if c.value == header)


def test_number_format_for_whole_and_decimal_values() -> None:
    assert look.number_format_for(100) == look.WHOLE
    assert look.number_format_for(100.0) == look.WHOLE
    assert look.number_format_for(87.5) == look.DECIMAL
    assert look.number_format_for(87.001) == look.WHOLE  # shown as 87, not "87,"
    assert look.number_format_for("95 - 100") is None
    assert look.number_format_for(True) is None


def test_rekap_indikator_whole_values_have_no_decimal_format(tmp_path: Path) -> None:
    wb = _book(_filled(tmp_path))
    ind = wb["Rekap Indikator"]
    seen = set()
    for header in ("Target", "Realisasi"):
        col = _col(ind, header)
        for r in range(2, ind.max_row + 1):
            cell = ind.cell(r, col)
            if isinstance(cell.value, (int, float)):
                want = look.number_format_for(cell.value)
                assert cell.number_format == want, (header, cell.value)
                seen.add(want)
    assert seen == {look.WHOLE, look.DECIMAL}  # the data holds both kinds


def test_formats_go_by_runs_of_rows_not_per_cell() -> None:
    sp = SheetPatch("x")
    values = [100, 87.5, 87.25, 3, 4, 5, 1.5, 2, "95 - 100"] * 800  # 7,200 rows
    for n, v in enumerate(values, start=2):
        sp.values[(n, 1)] = v
    _table(sp, 1, 1 + len(values), 1, {1: look.DECIMAL})
    number_formats = [f for _, f in sp.formats if f.number_format]
    decimal_runs = 2 * 800  # (87.5, 87.25) and (1.5) per block
    assert len(number_formats) == 1 + decimal_runs


def _fits(ws: Any, row: int, col: int) -> bool:
    """The cell's text shows whole: on one line in its column, or wrapped in a row as tall
    as its lines."""
    cell = ws.cell(row, col)
    text = str(cell.value)
    width = int(ws.column_dimensions[cell.column_letter].width * PX_PER_CHAR)
    bold = bool(cell.font and cell.font.b)
    if look.text_px(text, bold=bold) <= width:
        return True
    height = ws.row_dimensions[row].height or 15
    lines = look.lines_needed(text, width, bold=bold)
    return bool(cell.alignment.wrap_text) and height >= lines * 15 * 0.99


def test_ringkasan_texts_show_whole(tmp_path: Path) -> None:
    env = _filled(tmp_path, ("Selesai", "Selesai", "Sedang Diisi"))
    ws = _book(env)["Ringkasan"]
    label = next(c for c in ws["A"] if c.value == "Bagian dalam rata-rata kantor")
    assert _fits(ws, label.row, 1)
    for row in range(5, label.row + 3):
        if ws.cell(row, 1).value:
            assert _fits(ws, row, 1), ws.cell(row, 1).value
    top = next(c.row for c in ws["A"] if c.value == "Kode Bagian")
    predikat = _col(ws, "Predikat", top)
    texts = {ws.cell(r, 1).value: ws.cell(r, predikat).value for r in range(top + 1, top + 4)}
    assert texts["bagian-3"] == "— belum diserahkan"  # its status has a column of its own
    for r in range(top + 1, top + 4):
        assert _fits(ws, r, predikat), ws.cell(r, predikat).value
