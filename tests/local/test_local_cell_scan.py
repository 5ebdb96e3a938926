"""Finding cells by pattern (`cell_scan`) gives what the XML parser gives, or refuses.

Both go through the same conversion (`values._placed`), so equal raw cells mean equal grids;
a refused document is read by the parser, as before."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.utils.datetime import CALENDAR_WINDOWS_1900

from sheets_sync.adapters.local.xlsx import bulk_cells
from sheets_sync.adapters.local.xlsx.cell_scan import scan_cells
from sheets_sync.adapters.local.xlsx.errors import NotHandled
from sheets_sync.adapters.local.xlsx.values import _parsed_cells, _placed, read_values
from sheets_sync.domain.patch import Formula, SheetPatch, WorkbookPatch

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def both(data: bytes) -> tuple[list[Any], list[Any]]:
    return list(scan_cells(data)), list(_parsed_cells(data))


def grid(raw: Any) -> dict[int, dict[int, Any]]:
    return _placed(raw, ["nol", "satu"], {}, CALENDAR_WINDOWS_1900)


def sheet_xml(cells: str, *, head: str = "") -> bytes:
    return (f'{head}<worksheet xmlns="{MAIN}" xmlns:r="urn:r"><sheetData><row r="1">{cells}'
            f"</row></sheetData></worksheet>").encode()


def saved_sheets(wb: Any) -> list[bytes]:
    out = io.BytesIO()
    wb.save(out)
    with zipfile.ZipFile(out) as zf:
        return [zf.read(n) for n in zf.namelist() if n.startswith("xl/worksheets/sheet")]


TEXTS = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters=(
    [chr(c) for c in range(32) if chr(c) not in "\t\n\r"] + ["\ufffe", "\uffff"])), max_size=30)
VALUES = st.one_of(TEXTS, st.integers(-10**18, 10**18), st.booleans(), st.none(),
                   st.floats(allow_nan=False, allow_infinity=False),
                   TEXTS.map(lambda t: Formula("=" + t)))


@settings(max_examples=60, deadline=None)
@given(st.lists(VALUES, min_size=1, max_size=12))
def test_what_openpyxl_and_the_bulk_writer_save_is_scanned_as_parsed(values):
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    for n, value in enumerate(values, start=1):
        cell = ws.cell(row=n, column=n % 5 + 1)
        if isinstance(value, Formula):
            cell.value = value.text
        else:
            cell.value = value
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"
    patch = SheetPatch("Besar", clear=True, values={(n, 2): v for n, v in enumerate(values, 1)})
    bulky = Workbook()
    bulk = bulk_cells.render_with_bulk(bulky, WorkbookPatch([patch]), bulk_from=0)
    out = io.BytesIO()
    bulk_cells.save_with_bulk(bulky, out, bulk)  # type: ignore[arg-type]
    with zipfile.ZipFile(out) as zf:
        sheets = saved_sheets(wb) + [zf.read(n) for n in zf.namelist()
                                     if n.startswith("xl/worksheets/sheet")]
    for data in sheets:
        scanned, parsed = both(data)  # accepted: no NotHandled
        assert scanned == parsed


@pytest.mark.parametrize("cells", [
    '<c r="A1" s="2" t="s"><v>1</v></c><c r="B1" t="s"><v>0</v></c>',  # shared strings
    '<c r="A1"><f t="shared" ref="A1:A3" si="0">B1*2</f><v>4</v></c><c r="A2"><f t="shared" si="0"/><v/></c>',
    '<c r="A1" t="str"><f>"a"&amp;"b"</f><v>ab</v></c><c r="B1" t="e"><v>#N/A</v></c>',
    '<c r="A1" t="inlineStr"><is><t xml:space="preserve"> a &amp; b &lt;c&gt; &#13;&#x41;&quot;</t></is></c>',
    '<c r="A1" t="inlineStr"><is><t>baris\r\nbaru\rlagi</t></is></c>'
    '<c r="B1" t="inlineStr"><is><t/></is></c>',
    '<c r="A1" t="inlineStr"><is></is></c><c r="B1" t="inlineStr"/><c r="C1" t="inlineStr"><v>9</v></c>',
    '<c r="A1" t="n"><v>1.5E+3</v></c><c r="B1" t="b"><v>1</v></c><c r="C1" s="1" />',
    '<c r="A1" t="str"><is><t>x</t></is></c><c r="B1" t="d"><v>2026-10-07T10:00:00</v></c>',
    '<c r="AB12" t="n"><v> 7 </v></c><c r="XFD1048576"><v>3</v></c><c r="A1"></c>',
])
def test_plain_shapes_from_other_writers_are_scanned_as_parsed(cells):
    scanned, parsed = both(sheet_xml(cells, head='<?xml version="1.0" encoding="UTF-8" '
                                                 'standalone="yes"?>\r\n'))
    assert scanned == parsed
    assert repr(grid(scanned)) == repr(grid(parsed))


@pytest.mark.parametrize("data", [
    sheet_xml('<c r="A1" t="inlineStr"><is><r><t>a</t></r><r><t>b</t></r></is></c>'),  # rich
    sheet_xml('<!-- <c r="A1"><v>1</v></c> --><c r="B1"><v>2</v></c>'),
    sheet_xml('<c r="A1" t="inlineStr"><is><t><![CDATA[<x>]]></t></is></c>'),
    sheet_xml('<c r="A1" cm="1"><v>1</v></c><c r="B1"><v>2</v></c>'),  # another attribute
    sheet_xml('<c t="n" r="A1"><v>1</v></c>'),  # another order
    sheet_xml('<c r="A1"><v>&nbsp;</v></c>'),  # an entity XML does not define
    sheet_xml('<c r="A1"><v>1</v><extLst/></c>'),
    sheet_xml('<c r="A1"><v>1</v></c>', head='<?xml version="1.0" encoding="windows-1252"?>'),
    f'<x:worksheet xmlns:x="{MAIN}"><x:sheetData><x:row r="1"><x:c r="A1"><x:v>1</x:v>'
    f'</x:c></x:row></x:sheetData></x:worksheet>'.encode(),
    sheet_xml('<c r="A1" xmlns="urn:other"><v>1</v></c>'),
    sheet_xml('<c r="A1"><v>1</v></c>')[:-5],  # cut short
])
def test_anything_else_is_refused_and_left_to_the_parser(data):
    with pytest.raises(NotHandled):
        list(scan_cells(data))


def test_a_real_recap_sheet_is_scanned(tmp_path: Path) -> None:
    """The recap's own sheets take the fast way (and read as they did)."""
    patch = SheetPatch("Rekap Indikator", clear=True)
    patch.put_table(1, 1, [["Periode", "Kode", "Realisasi", "Capaian (%)", "Waktu"]] + [
        ["2026-TW3", f"B1-{n:02d}", n * 1.5, None if n % 3 else "x & <y>", "  "]
        for n in range(1, 300)])
    wb = Workbook()
    bulk = bulk_cells.render_with_bulk(wb, WorkbookPatch([patch]), bulk_from=0)
    wb.remove(wb["Sheet"])
    path = tmp_path / "rekap.xlsx"
    bulk_cells.save_with_bulk(wb, path, bulk)
    with zipfile.ZipFile(path) as zf:
        data = zf.read("xl/worksheets/sheet1.xml")
    scanned, parsed = both(data)
    assert len(scanned) == 300 * 5 - 200 and scanned == parsed  # None is not written
    rows = read_values(path, ("Rekap Indikator",))["Rekap Indikator"]
    assert rows[3] == ["2026-TW3", "B1-03", 4.5, "x & <y>", "  "]
