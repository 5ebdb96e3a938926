"""The local store's fast values reader gives exactly what openpyxl's read-only
`iter_rows(values_only=True)` gives (issue 12: openpyxl's cells were most of a validate)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

from sheets_sync.adapters.local.workbook_io import Skipped, read_file
from sheets_sync.adapters.local.xlsx.values import as_seen, read_values
from sheets_sync.adapters.local.xlsx.xlsx_render import trim as _trim
from tests.backends import LocalEnv
from tests.conftest import small_config_data


def _openpyxl(path: Path, sheets: tuple[str, ...]) -> dict[str, list[list[object]]]:
    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        # as the section sees them: a percent-formatted number is the percentage it shows
        return {t: _trim([[as_seen(c.value, getattr(c, "number_format", None)) for c in r]
                          for r in wb[t].iter_rows()])
                for t in sheets if t in wb.sheetnames}
    finally:
        wb.close()


def _same(path: Path, sheets: tuple[str, ...]) -> None:
    fast = {t: _trim(g) for t, g in read_values(path, sheets).items()}
    assert repr(fast) == repr(_openpyxl(path, sheets))  # repr: 1 and 1.0 differ
    assert repr(read_file(path, sheets)) == repr(fast)


def test_every_kind_of_cell_reads_as_openpyxl_reads_it(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Kertas Kerja"
    ws["A1"], ws["B1"], ws["C1"] = "teks", 12, 12.5
    ws["D1"], ws["E1"] = True, False
    ws["A2"] = datetime(2026, 10, 6, 16, 0)
    ws["B2"] = date(2026, 10, 6)
    ws["C2"] = time(9, 30)
    ws["D2"] = timedelta(hours=30)
    ws["E2"] = 0.875
    ws["E2"].number_format = "0.0%"
    ws["F2"] = 1234.5
    ws["F2"].number_format = '#,##0.00;[Red]-#,##0.00'
    ws["A4"] = "=A1&\"x\""  # a formula without a cached value: empty, as in openpyxl
    ws["B4"] = "=1/0"
    ws["C5"] = CellRichText(["Rp ", TextBlock(InlineFont(b=True), "1.500.000")])
    ws["H9"] = "  spasi di tepi  "
    ws["A7"] = ""
    ws["B7"] = "_x000D_ x005F_"
    other = wb.create_sheet("Validasi")
    other["C3"] = -0.0
    other["A1"] = 1e-12
    other["B1"] = 12345678901234567890
    wb.create_sheet("Kosong")
    path = tmp_path / "macam.xlsx"
    wb.save(path)
    _same(path, ("Kertas Kerja", "Validasi", "Kosong", "Tidak Ada"))


def test_workbooks_the_flows_write_read_the_same(tmp_path: Path) -> None:
    env = LocalEnv(tmp_path, small_config_data(sections=2, indicators=6))
    env.run("distribute")
    env.type_into("bagian-1", {"B1-01": {"realisasi": 87.5, "keterangan": "ok"},
                               "B1-02": {"realisasi": "abc"}}, status="Selesai")
    env.run("validate", code=None)
    env.run("recap")
    paths = sorted((tmp_path / "config").rglob("*.xlsx"))
    assert len(paths) >= 4
    for path in paths:
        names = tuple(load_workbook(path, read_only=True).sheetnames)
        _same(path, names)


def test_a_damaged_file_still_gets_the_plain_message(tmp_path: Path) -> None:
    path = tmp_path / "rusak.xlsx"
    path.write_bytes(b"bukan zip")
    result = read_file(path, ("Kertas Kerja",))
    assert isinstance(result, Skipped) and "rusak.xlsx" in result.reason
