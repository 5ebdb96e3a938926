"""Issue 20, item 3: every byte not ours stays. Cached formula results, in the forms
LibreOffice and Excel save them, survive the writes that go through openpyxl (approve,
reopen); the meta sheet an office program turned merely hidden is very hidden again.

`tests/fixtures/libreoffice-bagian-1.xlsx` is bagian-1's workbook (of `small_config_data`)
with Realisasi typed as formulas and a Keterangan formula giving text, saved by LibreOffice
(`soffice --headless --convert-to xlsx`, see `tests/fixtures/README.md`): its formulas carry
`aca="false"` and its `_meta` sheet is "hidden", not "very hidden"."""

from __future__ import annotations

import io
import json
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.packaging.custom import StringProperty
from openpyxl.workbook.defined_name import DefinedName

from sheets_sync.adapters.local import xlsx
from sheets_sync.domain.patch import SheetPatch, WorkbookPatch
from tests.backends import LocalEnv

FIXTURE = Path(__file__).parents[1] / "fixtures" / "libreoffice-bagian-1.xlsx"


# a distributed local workspace (`env`) and short waits for the period lock, from conftest
pytestmark = pytest.mark.usefixtures("short_lock_wait")


@pytest.fixture
def env(distributed_local: LocalEnv) -> LocalEnv:
    return distributed_local


def sheet_states(path: Path) -> dict[str, str]:
    xml = zipfile.ZipFile(path).read("xl/workbook.xml").decode()
    return dict(re.findall(r'<sheet name="([^"]+)"[^>]*state="([a-zA-Z]+)"', xml))


def realisasi(env: LocalEnv) -> list[object]:
    return [env.cell("bagian-1", "Kertas Kerja", f"G{r}") for r in range(10, 14)]


def test_libreoffice_formula_results_survive_approve_and_reopen(env):
    path = Path(env.section_ref("bagian-1").id)
    shutil.copyfile(FIXTURE, path)  # the section saved it in LibreOffice
    assert b'aca="false"' in zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml")
    assert sheet_states(path)["_meta"] == "hidden"
    assert realisasi(env) == [90, 10, 10, 5]
    env.run("validate")
    assert sheet_states(path)["_meta"] == "veryHidden"  # hidden from the Unhide menu again
    env.run("confirm", "bagian-1", "keterangan-capaian:B1-04", "--note", "benar")
    for command in (("approve", "bagian-1"), ("reopen", "bagian-1", "--reason", "cek lagi")):
        env.run(*command)
        assert realisasi(env) == [90, 10, 10, 5], command  # never blanked
        assert env.cell("bagian-1", "Kertas Kerja", "I10") == \
            "kurang 10 persen: anggaran dipotong"
        assert sheet_states(path)["_meta"] == "veryHidden"
    rows = {r["indicator"]: r["realisasi"] for r in
            json.loads(env.run("recap", "--format", "json").stdout)["rows"]
            if r["section"] == "bagian-1"}
    assert rows == {"B1-01": 90, "B1-02": 10, "B1-03": 10, "B1-04": 5}


def excel_formulas(path: Path) -> None:
    """What Excel saves for formulas a section filled down and an array formula: a shared
    formula (its first cell holds the text, the others only point at it) and `t="array"`,
    each with its cached result."""
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    xml = parts["xl/worksheets/sheet1.xml"].decode()
    cells = {
        "G10": '<f t="shared" ref="G10:G12" si="0">F10-1</f><v>99</v>',
        "G11": '<f t="shared" si="0"/><v>9</v>',
        "G12": '<f t="shared" si="0"/><v>9</v>',
        "G13": '<f t="array" ref="G13">SUM(F13:F13*1)</f><v>10</v>',
    }
    for ref, inner in cells.items():
        xml, n = re.subn(rf'<c r="{ref}"([^>]*?) ?/>', rf'<c r="{ref}"\1>{inner}</c>', xml)
        assert n == 1, ref
    parts["xl/worksheets/sheet1.xml"] = xml.encode()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    path.write_bytes(buf.getvalue())


def test_excel_shared_and_array_formula_results_survive_an_openpyxl_write(env, monkeypatch):
    ref = env.section_ref("bagian-1")
    wb = load_workbook(ref.id)  # the office's own document parts
    wb.custom_doc_props.append(StringProperty(name="NomorSurat", value="050/1/SETDA"))
    wb.defined_names["Realisasi_Kami"] = DefinedName(
        "Realisasi_Kami", attr_text="'Kertas Kerja'!$G$10:$G$13")
    wb.save(ref.id)
    excel_formulas(Path(ref.id))
    assert realisasi(env) == [99, 9, 9, 10]
    monkeypatch.setattr(xlsx.SHORTCUTS, "in_place", False)  # approve's path
    env.store().apply(ref, WorkbookPatch([SheetPatch("Validasi", values={(1, 1): "x"})]))
    assert realisasi(env) == [99, 9, 9, 10]  # kept, as Excel computed them
    wb = load_workbook(ref.id)
    assert [p.value for p in wb.custom_doc_props] == ["050/1/SETDA"]
    assert wb.defined_names["Realisasi_Kami"].attr_text == "'Kertas Kerja'!$G$10:$G$13"


PRINTER_BYTES = b"\x00\x01printer: HP LaserJet, duplex, tray 2\x00" * 20


def excel_printer_settings(path: Path, target: str = "../printerSettings/printerSettings1.bin"
                           ) -> None:
    """Tie a printer settings part to the worksheet, as Excel saves one after a print (its
    target relative to the sheet, or absolute as some programs write it)."""
    with zipfile.ZipFile(path) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    parts["xl/printerSettings/printerSettings1.bin"] = PRINTER_BYTES
    rels = "xl/worksheets/_rels/sheet1.xml.rels"
    text = parts.get(rels, b'<?xml version="1.0" encoding="UTF-8"?>\n<Relationships xmlns="'
                     b'http://schemas.openxmlformats.org/package/2006/relationships">'
                     b'</Relationships>').decode()
    parts[rels] = text.replace("</Relationships>", (
        '<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/'
        f'2006/relationships/printerSettings" Target="{target}"/>'
        "</Relationships>")).encode()
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    if 'xmlns:r="' not in sheet[:sheet.find(">", sheet.find("<worksheet"))]:
        sheet = sheet.replace("<worksheet ", '<worksheet xmlns:r="http://schemas.'
                              'openxmlformats.org/officeDocument/2006/relationships" ', 1)
    sheet, n = re.subn(r"<pageSetup\b([^>]*?)/>", r'<pageSetup\1 r:id="rId99"/>', sheet)
    assert n == 1
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>", b'<Default Extension="bin" ContentType="application/vnd.openxmlformats-'
        b'officedocument.spreadsheetml.printerSettings"/></Types>')
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    path.write_bytes(buf.getvalue())


def printer_settings_of_worksheet(path: Path) -> bytes | None:
    """The printer settings part tied to 'Kertas Kerja' (by its pageSetup r:id), if any."""
    from sheets_sync.adapters.local.xlsx.values import sheet_parts

    with zipfile.ZipFile(path) as z:
        part = sheet_parts(z)["Kertas Kerja"][0]
        rid = re.search(r'<pageSetup\b[^>]*\br:id="([^"]+)"', z.read(part).decode())
        if rid is None:
            return None
        folder, name = part.rsplit("/", 1)
        rels = z.read(f"{folder}/_rels/{name}.rels").decode()
        target = re.search(rf'Id="{rid.group(1)}"[^>]*Target="([^"]+)"', rels) or re.search(
            rf'Target="([^"]+)"[^>]*Id="{rid.group(1)}"', rels)
        assert target is not None
        found = target.group(1)
        return z.read(found.lstrip("/") if found.startswith("/")
                      else f"xl/{found.removeprefix('../')}")


@pytest.mark.parametrize("target", ["../printerSettings/printerSettings1.bin",
                                    "/xl/printerSettings/printerSettings1.bin"])
def test_printer_settings_survive_the_writes_that_go_through_openpyxl(env, monkeypatch, target):
    ref = env.section_ref("bagian-1")
    excel_printer_settings(Path(ref.id), target)
    assert printer_settings_of_worksheet(Path(ref.id)) == PRINTER_BYTES
    monkeypatch.setattr(xlsx.SHORTCUTS, "in_place", False)  # approve's path
    env.store().apply(ref, WorkbookPatch([SheetPatch("Validasi", values={(1, 1): "x"})]))
    assert printer_settings_of_worksheet(Path(ref.id)) == PRINTER_BYTES
    load_workbook(ref.id)  # still a workbook an office program opens
    monkeypatch.setattr(xlsx.SHORTCUTS, "in_place", True)  # and kept by the in-place path
    env.store().apply(ref, WorkbookPatch([SheetPatch("Validasi", values={(1, 1): "y"})]))
    assert printer_settings_of_worksheet(Path(ref.id)) == PRINTER_BYTES
