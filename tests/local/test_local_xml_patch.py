"""The fast write (adapters/local/xlsx/xml_patch.py) gives a section exactly the workbook that
openpyxl's load, render and save give (issue 12: that took most of a first validate).

A differential oracle: the same patch goes through both paths on the same bytes, and both
results are loaded with openpyxl and compared cell by cell (value, font, fill, alignment,
number format, protection, note and its author) and sheet by sheet (state, frozen rows,
column widths), plus workbook protection and "last modified by". The workbooks are the ones
the project creates (distribute), filled the way a section saves, and the same again as
Excel saves them (shared strings, extension namespaces, rich notes).
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill

from sheets_sync.adapters.local import xlsx
from sheets_sync.adapters.local.xlsx import SERVICE_NAME, xml_patch
from sheets_sync.adapters.local.xlsx.errors import NotHandled
from sheets_sync.domain.patch import (
    CellRange,
    Chart,
    Format,
    Formula,
    Protection,
    SheetPatch,
    Validation,
    WorkbookPatch,
)
from sheets_sync.domain.worksheet import INPUT_FILL, ISSUE_FILLS
from tests.backends import LocalEnv
from tests.conftest import small_config_data
from tests.xlsx_oracle import assert_fast_and_same, excel_style, slow

WS, META, CHECKS = "Kertas Kerja", "_meta", "Validasi"


# --------------------------------------------------------------------------- workbooks


@pytest.fixture
def env(tmp_path: Path) -> LocalEnv:
    env = LocalEnv(tmp_path, small_config_data())
    env.run("distribute")
    return env


def path_of(env: LocalEnv, section: str) -> Path:
    return Path(env.section_ref(section).id)


def recorded_writes(monkeypatch: pytest.MonkeyPatch) -> list[tuple[bytes, WorkbookPatch]]:
    """Every (file as read, patch) the local store writes from now on."""
    seen: list[tuple[bytes, WorkbookPatch]] = []
    real = xlsx.write

    def record(data: bytes, patch: WorkbookPatch) -> bytes:
        seen.append((data, patch))
        return real(data, patch)

    monkeypatch.setattr(xlsx, "write", record)
    return seen


def refused(data: bytes, patch: WorkbookPatch) -> bool:
    """Whether the in-place write leaves this to openpyxl."""
    try:
        xml_patch.write_in_place(data, patch)
    except NotHandled:
        return True
    return False


def own_note_and_fill(path: Path) -> None:
    """The section's own note on G11 and its own green on I10 (both get feedback)."""
    wb = load_workbook(path)
    wb[WS]["G11"].comment = Comment("dari laporan bulan Juli", "Budi")
    wb[WS]["I10"].fill = PatternFill(fill_type="solid", fgColor="FF00B050")
    wb[WS]["I12"].comment = Comment("catatan kami", "Ani")  # never marked
    wb.save(path)


def valid(env: LocalEnv, section: str) -> dict[str, dict[str, Any]]:
    return {i.code: {"realisasi": i.target, "bukti": "https://drive.example/b.pdf"}
            for i in env.config.indicators_of(section)}


# --------------------------------------------------------------------------- feedback


def test_validate_feedback_and_its_removal_are_written_as_openpyxl_writes_them(env, monkeypatch):
    path = path_of(env, "bagian-1")
    own_note_and_fill(path)
    values = valid(env, "bagian-1")
    values["B1-01"]["realisasi"] = 50  # 50 %: needs a Keterangan (a warning)
    values["B1-02"]["realisasi"] = "salah"  # not a number (an error)
    values["B1-03"] = {"realisasi": "ünïcødé ✓ — 日本", "keterangan": "<b>&amp; 'kutip'"}
    env.type_into("bagian-1", values, status="Selesai")
    env.type_into("bagian-2", valid(env, "bagian-2"), status="Selesai")
    writes = recorded_writes(monkeypatch)
    env.run("validate", code=1)
    assert len(writes) == 2  # bagian-3, untouched, is not written
    for data, patch in writes:
        assert_fast_and_same(data, patch)
        assert_fast_and_same(excel_style(data), patch)
    ws = load_workbook(path)[WS]
    assert ws["B7"].value == "Perlu Konfirmasi"
    assert ws["G11"].comment.text.startswith("dari laporan bulan Juli\n\n-- sheets-sync --\n")
    assert ws["G11"].comment.author == "Budi" and ws["I10"].comment.author == SERVICE_NAME
    assert ws["I10"].fill.fgColor.rgb == "FF00B050"  # their colour, never our highlight
    assert ws["G11"].fill.fgColor.rgb == "FF" + ISSUE_FILLS["error"].lstrip("#")
    assert ws["I12"].value == "<b>&amp; 'kutip'" and ws["G12"].value == "ünïcødé ✓ — 日本"

    # the section corrects everything: the service takes back only its own marks
    writes.clear()
    env.type_into("bagian-1", valid(env, "bagian-1"), status="Selesai")
    env.run("validate")
    assert len(writes) == 1
    assert_fast_and_same(*writes[0])
    assert_fast_and_same(excel_style(writes[0][0]), writes[0][1])
    ws = load_workbook(path)[WS]
    assert ws["B7"].value == "Valid"
    assert ws["G11"].comment.text == "dari laporan bulan Juli" and ws["I10"].comment is None
    assert ws["I12"].comment.text == "catatan kami"
    assert ws["I10"].fill.fgColor.rgb == "FF00B050"
    assert ws["G11"].fill.fgColor.rgb == "FF" + INPUT_FILL.lstrip("#")


def test_a_status_the_section_changed_meanwhile_stays(env, monkeypatch):
    env.type_into("bagian-1", {"B1-02": {"realisasi": "salah"}}, status="Selesai")
    writes = recorded_writes(monkeypatch)
    env.run("validate", code=1)
    data, patch = writes[0]  # the file as validate read it, and what it wrote
    assert patch.sheets[1].expected  # the status is compare-and-set
    wb = load_workbook(io.BytesIO(data))
    wb[WS]["B7"] = "Sedang Diisi"  # the section saved between our read and our write
    changed = io.BytesIO()
    wb.save(changed)
    for before in (changed.getvalue(), excel_style(changed.getvalue())):
        fast = assert_fast_and_same(before, patch)
        assert load_workbook(io.BytesIO(fast))[WS]["B7"].value == "Sedang Diisi"
    fast = assert_fast_and_same(excel_style(data), patch)  # unchanged: ours goes in
    assert load_workbook(io.BytesIO(fast))[WS]["B7"].value == "Perlu Konfirmasi"


def test_a_realisasi_typed_as_a_formula_keeps_its_value_after_feedback(env):
    """openpyxl cannot recompute a formula and drops the value Excel saved with it; the
    in-place write leaves the cell as Excel saved it."""
    path = path_of(env, "bagian-1")
    env.type_into("bagian-1", {"B1-01": {"realisasi": 1}, "B1-02": {"realisasi": "salah"}},
                  status="Selesai")
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    typed = re.sub(r'<c r="G10"([^>]*?) t="n"><v>1</v></c>', r'<c r="G10"\1><f>40+10</f><v>50</v></c>',
                   sheet)
    assert typed != sheet
    parts["xl/worksheets/sheet1.xml"] = typed.encode()
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    env.run("validate", code=1)
    assert env.cell("bagian-1", WS, "G10") == 50  # as Excel computed it
    ws = load_workbook(path)[WS]
    assert ws["G10"].value == "=40+10" and "sheets-sync" in ws["G11"].comment.text


# --------------------------------------------------------------------------- every kind


KINDS = WorkbookPatch([
    SheetPatch(WS, values={(3, 4): "=SUM(A1:A2)", (3, 5): Formula("=1+1"), (3, 6): Formula("="),
                           (4, 4): "ünïcødé ✓ 日本語", (4, 5): None, (4, 6): "  spasi  ",
                           (5, 4): "", (5, 5): 12, (5, 6): -3.5, (6, 4): 1e20, (6, 5): True,
                           (6, 6): False, (2, 4): "<&>\"' baris1\nbaris2", (2, 5): 12345678901234567890,
                           (3, 2): None, (7, 2): "Selesai"},
               expected={(7, 2): "Belum Diisi"},
               formats=[(CellRange(3, 4, 4, 6), Format(bold=True, italic=True, font_color="#C00000")),
                        (CellRange(5, 4, 5, 6), Format(number_format="0.00%", align="center")),
                        (CellRange(6, 4, 6, 6), Format(number_format="#,##0.000", wrap=True)),
                        (CellRange(10, 7, 12, 7), Format(fill="")),
                        (CellRange(10, 7, 11, 7), Format(fill=ISSUE_FILLS["warning"])),
                        (CellRange(10, 9, 10, 9), Format(fill=ISSUE_FILLS["error"], bold=False)),
                        (CellRange(3, 2, 3, 3), Format(fill="#123456")),
                        (CellRange(2, 4, 2, 4), Format(fill=INPUT_FILL, align="right"))],
               notes={(10, 7): "catatan layanan", (11, 7): "", (20, 20): "jauh di luar"},
               clear_notes=[CellRange(12, 9, 12, 9)], column_widths={14: 120, 15: 33}),
    SheetPatch(META, values={(1, 1): None, (2, 2): "diganti", (30, 3): 7}, frozen_rows=2,
               column_widths={1: 200}, hidden=True),
    SheetPatch(CHECKS, hidden=True, values={(1, 1): "tidak dibersihkan"},
               formats=[(CellRange(1, 1, 1, 8), Format(italic=True))]),
])


def test_values_formats_notes_and_views_of_every_kind(env):
    path = path_of(env, "bagian-1")
    own_note_and_fill(path)
    wb = load_workbook(path)
    wb[WS]["I10"].fill = PatternFill(fill_type="solid", fgColor="FFFF9900")  # their orange
    wb[WS]["I12"].comment = Comment("catatan kami\n\n-- sheets-sync --\nlama", "Ani")
    wb.save(path)
    data = path.read_bytes()
    for before in (data, excel_style(data)):
        fast = assert_fast_and_same(before, KINDS)
        ws = load_workbook(io.BytesIO(fast))[WS]
        assert ws["D3"].value == "=SUM(A1:A2)" and ws["D3"].data_type == "s"
        assert ws["E3"].value == "=1+1" and ws["E3"].data_type == "f"
        assert ws["I10"].fill.fgColor.rgb == "FFFF9900"  # a section's own colour stays
        assert ws["I12"].comment.text == "catatan kami"
        # the same formats again (a value over the new formula would go through openpyxl)
        again = WorkbookPatch([SheetPatch(sp.title, formats=sp.formats, notes=sp.notes)
                               for sp in KINDS.sheets])
        assert _styles_count(assert_fast_and_same(fast, again)) == _styles_count(fast)
        assert refused(fast, KINDS)


def _styles_count(data: bytes) -> tuple[int, ...]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        styles = z.read("xl/styles.xml").decode()
    return tuple(len(re.findall(rf"<{tag}\b", styles)) for tag in ("font", "fill", "xf"))


def test_parts_the_patch_does_not_touch_are_copied_as_they_are(env):
    """What sheets-sync does not write stays byte for byte (openpyxl drops what it does
    not know, e.g. a custom part another program added)."""
    path = path_of(env, "bagian-1")
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    parts["customXml/item1.xml"] = b"<data>milik bagian</data>"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    patch = WorkbookPatch([SheetPatch(META, values={(1, 10): "x"})])
    fast = assert_fast_and_same(out.getvalue(), patch)
    with zipfile.ZipFile(io.BytesIO(fast)) as z:
        after = {n: z.read(n) for n in z.namelist()}
    changed = {n for n in parts if parts[n] != after.get(n)}
    # _meta is the 4th sheet (after Petunjuk); and the time
    assert changed - {"docProps/core.xml"} == {"xl/worksheets/sheet4.xml"}
    assert after.keys() == parts.keys()


# --------------------------------------------------------------------------- falling back


def test_what_the_fast_write_does_not_handle_goes_through_openpyxl(env):
    path = path_of(env, "bagian-1")
    wb = load_workbook(path)
    wb[META]["A40"] = CellRichText(["Rp ", TextBlock(InlineFont(b=True), "1.500.000")])
    wb[META].merge_cells("D40:E41")
    wb.save(path)
    data = path.read_bytes()
    unsupported = [
        WorkbookPatch([SheetPatch("Baru", values={(1, 1): 1})]),
        WorkbookPatch(delete_sheets=[CHECKS]),
        WorkbookPatch([SheetPatch(WS, validations=[Validation(CellRange.cell(20, 7), "number")])]),
        WorkbookPatch([SheetPatch(WS, protection=Protection())]),
        WorkbookPatch([SheetPatch(CHECKS, append_rows=[["a"]])]),
        WorkbookPatch([SheetPatch(CHECKS, charts=[Chart("c", CellRange(1, 1, 3, 1),
                                                        CellRange(1, 2, 3, 2), (5, 5))])]),
        WorkbookPatch([SheetPatch(WS, values={(10, 8): 5})]),  # over the Capaian formula
        WorkbookPatch([SheetPatch(META, values={(40, 1): "x"})]),  # over rich text
        WorkbookPatch([SheetPatch(META, values={(41, 5): "x"})]),  # inside merged cells
        WorkbookPatch([SheetPatch(META, values={(1, 1): "#N/A"})]),  # openpyxl: an error value
    ]
    for patch in unsupported:
        assert refused(data, patch), patch
    assert refused(data[:-100], KINDS)  # a damaged file: openpyxl reports it
    with pytest.raises(Exception, match="cannot be used in worksheets"):  # as before
        slow(data, WorkbookPatch([SheetPatch(META, values={(1, 1): "a\x01b"})]))
    assert refused(data, WorkbookPatch([SheetPatch(META, values={(1, 1): "a\x01b"})]))

    # through the store, the openpyxl path still writes what was asked
    store = env.store()
    store.apply(env.section_ref("bagian-1"),
                WorkbookPatch([SheetPatch(WS, values={(10, 8): 5, (3, 4): "ditulis"})]))
    ws = load_workbook(path)[WS]
    assert ws["H10"].value == 5 and ws["D3"].value == "ditulis"


# --------------------------------------------------------------------------- random patches


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> list[bytes]:
    env = LocalEnv(tmp_path_factory.mktemp("xml"), small_config_data())
    env.run("distribute")
    path = path_of(env, "bagian-1")
    own_note_and_fill(path)
    env.type_into("bagian-1", {"B1-02": {"realisasi": "salah"}}, status="Selesai")
    env.run("validate", code=1)  # with feedback in place
    data = path.read_bytes()
    return [data, excel_style(data)]


_text = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Cn")), max_size=12)
_value = st.one_of(st.none(), _text, st.sampled_from(["=A1", " =x ", "Selesai", ""]),
                   st.integers(-10**6, 10**6), st.floats(allow_nan=False, allow_infinity=False),
                   st.booleans(), st.builds(Formula, st.sampled_from(["=1+2", "=A1*2", "x"])))
_colour = st.sampled_from([None, "", "#1F4E78", "#FFFFFF", INPUT_FILL, *ISSUE_FILLS.values()])
_format = st.builds(Format, bold=st.sampled_from([None, True, False]),
                    italic=st.sampled_from([None, True, False]), fill=_colour,
                    font_color=st.sampled_from([None, "#C00000"]),
                    number_format=st.sampled_from([None, "0.0%", "#,##0", "@"]),
                    wrap=st.sampled_from([None, True, False]),
                    align=st.sampled_from([None, "left", "center", "right"]))
# Kertas Kerja without its formula columns (H, M): values go anywhere else.
_cell_at = st.tuples(st.integers(1, 14), st.sampled_from([1, 2, 4, 6, 7, 9, 10, 12, 15]))
_range = st.builds(lambda r, c, h, w: CellRange(r, c, r + h, c + w), st.integers(1, 14),
                   st.integers(1, 14), st.integers(0, 3), st.integers(0, 2))


@st.composite
def _patches(draw: Any) -> WorkbookPatch:
    values = draw(st.dictionaries(_cell_at, _value, max_size=6))
    expected = {cell: draw(st.sampled_from(["Selesai", "Belum Diisi", None]))
                for cell in draw(st.lists(st.sampled_from(sorted(values) or [(7, 2)]), max_size=2))
                if cell in values}
    ws = SheetPatch(WS, values=values, expected=expected,
                    formats=draw(st.lists(st.tuples(_range, _format), max_size=4)),
                    notes=draw(st.dictionaries(_cell_at, st.sampled_from(["", "ada", "ünï\nx"]),
                                               max_size=3)),
                    clear_notes=draw(st.lists(_range, max_size=2)),
                    column_widths=draw(st.dictionaries(st.integers(14, 20), st.integers(10, 400),
                                                       max_size=2)))
    checks = SheetPatch(CHECKS, clear=draw(st.booleans()),
                        values=draw(st.dictionaries(_cell_at, _value, max_size=4)),
                        formats=draw(st.lists(st.tuples(_range, _format), max_size=2)),
                        frozen_rows=draw(st.sampled_from([None, 0, 1, 3])),
                        column_widths=draw(st.dictionaries(st.integers(1, 9),
                                                           st.integers(10, 400), max_size=3)))
    return WorkbookPatch([ws, checks])


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(patch=_patches(), excel=st.booleans())
def test_random_patches_are_written_as_openpyxl_writes_them(base, patch, excel):
    assert_fast_and_same(base[excel], patch)
