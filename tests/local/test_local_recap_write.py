"""The local recap's fast write makes the same workbook as the plain openpyxl path.

Fast: the sheets a patch clears are not parsed (`cleared_sheets`) and the cells of large
cleared sheets are written as XML (`bulk_cells`; here every cleared sheet, whatever its size).
Plain: openpyxl loads, renders and saves everything. Both must give what a person opening the
file sees (values, formulas, fonts, fills, alignments, number formats, sheet states, frozen
rows, column widths, validations, charts, notes) and what the service reads back.
"""

from __future__ import annotations

import contextlib
import io
import math
import shutil
import zipfile
from collections.abc import Iterator
from copy import copy
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.utils.exceptions import IllegalCharacterError

from sheets_sync.adapters.local import LocalStore, xlsx
from sheets_sync.adapters.local.xlsx import bulk_cells
from sheets_sync.adapters.local.xlsx.cleared_sheets import EMPTY_SHEET, without_cleared
from sheets_sync.adapters.local.xlsx.values import read_values
from sheets_sync.domain.numbers import CurrencyValue, PercentValue
from sheets_sync.domain.patch import (
    CellRange,
    Chart,
    Format,
    Formula,
    SheetPatch,
    Validation,
    WorkbookPatch,
)
from sheets_sync.domain.worksheet import HEADER_FILL, INPUT_FILL
from sheets_sync.ports import ALL_SHEETS, FileRef, Role, Tags
from tests.backends import LocalEnv
from tests.conftest import small_config_data

PERIOD = "2026-TW3"
TAGS = Tags(Role.recap, PERIOD)

# Every kind of value a patch may hold, and what openpyxl makes of it.
EDGE_VALUES: list[Any] = [
    1, -2.5, 10**17, 0.1 + 0.2, 1e-300, 123456789012345678901, True, False,
    PercentValue(87.5), CurrencyValue(1500000.0), "teks", "", " kiri", "kanan ", "   ",
    "baris\nbaru", "cr\rlf", "tab\tdi sini", 'a & b <c> "d" \'e\'', "=1+1", "=", "#N/A",
    "#DIV/0!", "ünïcödé — 漢字 😀", "_x000D_ harfiah", "x" * 40_000, None,
    Formula('=IF(A2=0,"",B2/A2*100)'), Formula("=A2&\"<&>\""), Formula("#REF!"),
    Formula("bukan rumus"), Formula("="),
]


@contextlib.contextmanager
def plain(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The plain openpyxl path: every sheet loaded, every cell through openpyxl."""
    with monkeypatch.context() as m:
        m.setattr(xlsx.SHORTCUTS, "bulk_from", 10**9)
        m.setattr(xlsx.SHORTCUTS, "skip_cleared", False)
        yield


@pytest.fixture
def fast(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The fast path for every cleared sheet; the titles it wrote as XML, to show it ran."""
    monkeypatch.setattr(xlsx.SHORTCUTS, "bulk_from", 0)
    written: list[str] = []
    real = bulk_cells.save_with_bulk

    def spy(wb: Any, target: Any, bulk: list[bulk_cells.BulkSheet]) -> None:
        written.extend(b.ws.title for b in bulk)
        real(wb, target, bulk)

    monkeypatch.setattr(bulk_cells, "save_with_bulk", spy)
    return written


def seen(path: str | Path) -> dict[str, Any]:
    """What a person sees opening the workbook, sheet by sheet, and what the service reads."""
    wb = load_workbook(path)
    out: dict[str, Any] = {"order": wb.sheetnames, "locked": wb.security.lockStructure,
                           "grids": read_values(path, (ALL_SHEETS,)), "read only": {}}
    streamed = load_workbook(path, read_only=True, data_only=True)  # goes by the sizes
    for ws in streamed.worksheets:
        out["read only"][ws.title] = [[_same_nan(v) for v in row]
                                      for row in ws.iter_rows(values_only=True)]
    streamed.close()
    for ws in wb.worksheets:
        cells = {c.coordinate: (_same_nan(c.value), c.data_type, copy(c.font), copy(c.fill),
                                copy(c.alignment), c.number_format,
                                c.comment.text if c.comment else None)
                 for row in ws.iter_rows() for c in row}
        charts = [(type(ch).__name__, [s.val.numRef.f for s in ch.series],
                   ch.anchor._from.row, ch.anchor._from.col) for ch in ws._charts]
        out[ws.title] = {
            "state": ws.sheet_state, "frozen": ws.freeze_panes, "size": ws.dimensions,
            "widths": {k: d.width for k, d in ws.column_dimensions.items() if d.customWidth},
            "validations": sorted((str(v.sqref), v.type, v.formula1, v.error)
                                  for v in ws.data_validations.dataValidation),
            "charts": charts, "landscape": ws.page_setup.orientation, "cells": cells,
        }
    return out


def _same_nan(value: Any) -> Any:
    return "nan" if isinstance(value, float) and math.isnan(value) else value


def assert_same(fast_path: str | Path, plain_path: str | Path) -> None:
    got, want = seen(fast_path), seen(plain_path)
    assert got.keys() == want.keys()
    for key in want:  # sheet by sheet and cell by cell: a readable diff when one differs
        if isinstance(want[key], dict) and "cells" in want[key]:
            for cell, value in want[key]["cells"].items():
                assert got[key]["cells"].get(cell) == value, f"{key}!{cell}"
        assert got[key] == want[key], key


# --------------------------------------------------------------------------- edge values


def edge_patch(*, first: bool) -> WorkbookPatch:
    """Cleared sheets with every kind of value and overlapping formats; on the first write
    also a note, a chart and a sheet that later writes clear."""
    edge = SheetPatch("Uji", clear=True, index=0, frozen_rows=1,
                      column_widths={1: 130, 3: 300})
    edge.put_row(1, 1, ["Nilai", "Jenis", "Catatan"])
    for n, value in enumerate(EDGE_VALUES, start=2):
        edge.put_row(n, 1, [value, type(value).__name__, n, value])  # D: no format
    bottom = len(EDGE_VALUES) + 1
    edge.formats += [
        (CellRange(1, 1, 1, 3), Format(bold=True, fill=HEADER_FILL, font_color="#FFFFFF",
                                       wrap=True)),
        (CellRange(2, 1, 6, 3), Format(fill="#F8CBAD")),
        (CellRange(3, 2, 3, 2), Format(fill="")),  # taken away again
        (CellRange(7, 1, 7, 3), Format(fill="#123456")),  # a colour of "their" own ...
        (CellRange(7, 1, 8, 3), Format(fill=INPUT_FILL)),  # ... the service does not paint over
        (CellRange(2, 1, bottom, 1), Format(number_format="#,##0.00", align="right")),
        (CellRange(bottom + 3, 5, bottom + 5, 6), Format(italic=True, align="center")),  # empty
        (CellRange(4, 3, 4, 3), Format(bold=False, wrap=False)),
    ]
    edge.validations = [Validation(CellRange(2, 3, bottom, 3), "number", minimum=0,
                                   message="angka"),
                        Validation(CellRange(2, 2, 3, 2), "list", options=("Ya", "Tidak"))]
    edge.charts = [Chart("Nilai", categories=CellRange(1, 2, 6, 2), series=CellRange(1, 3, 6, 3),
                         anchor=(2, 5))]
    hidden = SheetPatch("_tersembunyi", clear=True, hidden=True, index=1)
    hidden.put_table(1, 1, [["a", 1], ["b", 2.5]])
    noted = SheetPatch("Catatan", clear=True, index=2)  # notes: openpyxl writes this one
    noted.put_row(1, 1, ["x", "y"])
    noted.notes[(1, 1)] = "catatan layanan" if first else ""
    kept = SheetPatch("Dicatat", index=3)
    kept.append_rows = [["baris", 1], ["baris", 2]]
    # a date leaves the sheet to openpyxl (it sets a date format)
    dated = SheetPatch("Tanggal", clear=True, index=4)
    dated.put_row(1, 1, [datetime(2026, 10, 7, 10, 0), float("nan"), "teks"])
    return WorkbookPatch(sheets=[edge, hidden, noted, kept, dated])


def make(tmp_path: Path, name: str, patch: WorkbookPatch) -> FileRef:
    return LocalStore(tmp_path / name).create("Rekap", TAGS, patch)


def test_edge_values_create_and_update_as_openpyxl_would(tmp_path, monkeypatch, fast):
    with plain(monkeypatch):
        plain_ref = make(tmp_path, "plain", edge_patch(first=True))
    fast_ref = make(tmp_path, "fast", edge_patch(first=True))
    assert_same(fast_ref.id, plain_ref.id)

    with plain(monkeypatch):
        LocalStore(tmp_path / "plain").apply(plain_ref, edge_patch(first=False))
    LocalStore(tmp_path / "fast").apply(fast_ref, edge_patch(first=False))
    assert_same(fast_ref.id, plain_ref.id)
    assert sorted(set(fast)) == ["Uji", "_tersembunyi"]  # the others went through openpyxl
    wb = load_workbook(fast_ref.id)
    assert wb["_tersembunyi"].sheet_state == "veryHidden" and wb.sheetnames[0] == "Uji"
    assert wb["Catatan"]["A1"].comment is None  # the note went with the cleared sheet
    assert [r[0] for r in read_values(fast_ref.id, ("Dicatat",))["Dicatat"]] == ["baris"] * 4


def test_text_xml_cannot_hold_is_refused_as_before(tmp_path, fast):
    patch = WorkbookPatch([SheetPatch("Uji", clear=True, values={(1, 1): "bel\x07"})])
    with pytest.raises(IllegalCharacterError):
        make(tmp_path, "fast", patch)


def test_an_unexpected_empty_sheet_falls_back_to_openpyxl(tmp_path, monkeypatch, fast):
    monkeypatch.setattr(bulk_cells, "EMPTY_DATA", (b"<not-there/>",))
    with plain(monkeypatch):
        plain_ref = make(tmp_path, "plain", edge_patch(first=True))
    assert_same(make(tmp_path, "fast", edge_patch(first=True)).id, plain_ref.id)


def test_cleared_sheets_are_emptied_before_loading_and_the_rest_left_alone(tmp_path):
    ref = make(tmp_path, "w", edge_patch(first=True))
    data = Path(ref.id).read_bytes()
    patch = WorkbookPatch([SheetPatch("Uji", clear=True), SheetPatch("Dicatat"),
                           SheetPatch("Tidak Ada", clear=True)])
    before, after = zipfile.ZipFile(io.BytesIO(data)), zipfile.ZipFile(io.BytesIO(without_cleared(
        data, patch)))
    gone = set(before.namelist()) - set(after.namelist())
    assert gone == {"xl/worksheets/_rels/sheet1.xml.rels"}  # Uji's chart is not followed
    assert after.read("xl/worksheets/sheet1.xml") == EMPTY_SHEET
    for name in after.namelist():
        if name != "xl/worksheets/sheet1.xml":
            assert after.read(name) == before.read(name), name
    assert without_cleared(data, WorkbookPatch([SheetPatch("Uji")])) == data  # nothing cleared
    assert without_cleared(b"not a zip", patch) == b"not a zip"  # openpyxl says it is damaged


# --------------------------------------------------------------------------- the real recap


def test_recap_create_and_update_as_openpyxl_would(tmp_path, monkeypatch, fast):
    """The recap the flow writes (through the CLI), against its very patches replayed through
    the plain path: created, then updated with audit lines and the watcher's memory."""
    env = LocalEnv(tmp_path / "env", small_config_data(sections=3, indicators=5))
    env.run("distribute")
    env.type_into("bagian-1", {"B1-01": {"realisasi": "87,5%"}, "B1-02": {"realisasi": 3,
                  "budget_real": "Rp 1.500.000", "keterangan": "=SUM(A1:A3) & <b>"}},
                  status="Selesai")
    env.type_into("bagian-2", {"B2-01": {"realisasi": "abc", "bukti": " https://x.example "}})
    patches: list[WorkbookPatch] = []
    real_create, real_apply = LocalStore.create, LocalStore.apply

    def create(store: LocalStore, name: str, tags: Tags, patch: WorkbookPatch) -> FileRef:
        if tags.role is Role.recap:
            patches.append(patch)
        return real_create(store, name, tags, patch)

    def apply(store: LocalStore, ref: FileRef, patch: WorkbookPatch) -> None:
        if ref.tags.role is Role.recap:
            patches.append(patch)
        real_apply(store, ref, patch)

    monkeypatch.setattr(LocalStore, "create", create)
    monkeypatch.setattr(LocalStore, "apply", apply)

    env.run("recap")
    (recap_ref,) = env.store().find(PERIOD, Role.recap)
    with plain(monkeypatch):
        plain_ref = real_create(LocalStore(tmp_path / "plain"), recap_ref.name, TAGS,
                                patches[0])
    assert_same(recap_ref.id, plain_ref.id)
    assert "Rekap Indikator" in fast

    env.type_into("bagian-1", {"B1-01": {"realisasi": 80}, "B1-03": {"realisasi": 9}})
    env.type_into("bagian-3", {"B3-02": {"realisasi": "12,5"}}, status="Selesai")
    env.run("watch", "--once")  # the recap update carries the watcher's memory (_watch)
    assert len(patches) == 2 and any(sp.title == "_watch" for sp in patches[1].sheets)
    assert any(sp.append_rows for sp in patches[1].sheets)  # audit lines
    with plain(monkeypatch):
        real_apply(LocalStore(tmp_path / "plain"), plain_ref, patches[1])
    assert_same(recap_ref.id, plain_ref.id)
    audit = read_values(recap_ref.id, ("Audit",))["Audit"]
    assert any(r[2] == "B1-01" for r in audit[1:])


def test_a_fast_update_of_a_plain_recap_and_back(tmp_path, monkeypatch, fast):
    """Files written by either path are read and updated alike by the other."""
    with plain(monkeypatch):
        plain_ref = make(tmp_path, "plain", edge_patch(first=True))
    other = tmp_path / "fast" / PERIOD / "rekap"
    other.mkdir(parents=True)
    shutil.copy(plain_ref.id, other / "Rekap.xlsx")
    fast_ref = LocalStore(tmp_path / "fast").find(PERIOD, Role.recap)[0]
    LocalStore(tmp_path / "fast").apply(fast_ref, edge_patch(first=False))
    with plain(monkeypatch):
        LocalStore(tmp_path / "plain").apply(plain_ref, edge_patch(first=False))
    assert_same(fast_ref.id, plain_ref.id)
