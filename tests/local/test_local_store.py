"""The local backend on real .xlsx files: the worksheet contract as a section sees it."""

from datetime import datetime

from openpyxl import load_workbook

from sheets_sync.adapters.local import LocalStore
from sheets_sync.domain import worksheet as ws
from sheets_sync.domain.patch import SheetPatch, WorkbookPatch
from sheets_sync.domain.worksheet_prefill import prefill_patch
from sheets_sync.ports import Role, Tags

PERIOD = "2026-TW3"


def distributed(tmp_path, config):
    store = LocalStore(tmp_path / "workspace")
    template = store.create("Template", Tags(Role.template, PERIOD), ws.template_patch(config))
    grid = store.read(template, [config.labels.sheet_worksheet])[config.labels.sheet_worksheet]
    layout = ws.locate(grid, config.labels)
    section = config.sections[0]
    ref = store.copy(template, "Kertas Kerja", Tags(Role.section, PERIOD, section.id))
    store.apply(ref, prefill_patch(config, section, layout, "Selasa", datetime(2026, 10, 1),
                                      ("pep@setwan.example",)))
    return store, ref, layout


def test_section_workbook_is_found_by_its_tags(tmp_path, config):
    store, ref, _ = distributed(tmp_path, config)
    found = store.find(PERIOD, Role.section)
    assert [(r.tags.section, r.id) for r in found] == [("bagian-1", ref.id)]
    assert {r.tags.role for r in store.find(PERIOD)} == {Role.template, Role.section}
    assert store.find("2026-TW4") == []


def test_only_input_cells_are_unlocked_and_the_sheet_is_protected(tmp_path, config):
    _, ref, layout = distributed(tmp_path, config)
    sheet = load_workbook(ref.id)[config.labels.sheet_worksheet]
    assert sheet.protection.sheet
    first = layout.first_row
    cols = layout.columns
    for key in ("realisasi", "keterangan", "bukti"):
        assert not sheet.cell(first, cols[key]).protection.locked, key
    for key in ("code", "target", "indicator", "capaian"):
        assert sheet.cell(first, cols[key]).protection.locked, key
    status_row, status_col = layout.header_cells["status"]
    assert not sheet.cell(status_row, status_col).protection.locked
    assert sheet.cell(status_row - 1, status_col).protection.locked  # the deadline cell


def test_status_dropdown_number_validation_and_live_capaian(tmp_path, config):
    _, ref, layout = distributed(tmp_path, config)
    sheet = load_workbook(ref.id)[config.labels.sheet_worksheet]
    kinds = {dv.type: dv for dv in sheet.data_validations.dataValidation}
    assert "Selesai" in kinds["list"].formula1 and "Sedang Diisi" in kinds["list"].formula1
    assert kinds["decimal"].operator == "greaterThanOrEqual"
    capaian = sheet.cell(layout.first_row + 1, layout.columns["capaian"]).value  # dokumen
    assert capaian.startswith("=IF(") and "G11/F11*100" in capaian
    percent = sheet.cell(layout.first_row, layout.columns["capaian"]).value  # %: reads 87,5%
    assert percent.startswith("=IF(") and "G10*100,G10)/F10*100" in percent


def test_meta_sheet_is_hidden_and_holds_the_snapshot(tmp_path, config):
    store, ref, _ = distributed(tmp_path, config)
    wb = load_workbook(ref.id)
    # very hidden: Excel's Unhide menu does not offer it (issue 8, finding 9)
    assert wb[config.labels.sheet_meta].sheet_state == "veryHidden"
    grids = store.read(ref, [config.labels.sheet_worksheet, config.labels.sheet_meta])
    sheet = ws.parse_section("bagian-1", grids, config.labels)
    assert sheet.meta.distributed
    assert [s.code for s in sheet.meta.snapshot] == [i.code for i in config.indicators_of("bagian-1")]
    assert [r.code for r in sheet.rows] == [s.code for s in sheet.meta.snapshot]
    assert sheet.status == "Belum Diisi"


def test_text_that_looks_like_a_formula_stays_text(tmp_path, config):
    store, ref, _ = distributed(tmp_path, config)
    patch = WorkbookPatch([SheetPatch("Validasi", values={(2, 1): "=HYPERLINK(\"http://x\")"})])
    store.apply(ref, patch)
    cell = load_workbook(ref.id)["Validasi"]["A2"]
    assert cell.data_type == "s" and cell.value == '=HYPERLINK("http://x")'


def test_a_write_keeps_what_the_section_saved(tmp_path, config):
    store, ref, layout = distributed(tmp_path, config)
    wb = load_workbook(ref.id)  # the section types and saves, as in Excel
    wb[config.labels.sheet_worksheet].cell(layout.first_row, layout.columns["realisasi"]).value = 77
    wb.save(ref.id)
    store.apply(ref, WorkbookPatch([SheetPatch("Validasi", clear=True, values={(1, 1): "x"})]))
    grid = store.read(ref, [config.labels.sheet_worksheet])[config.labels.sheet_worksheet]
    assert grid[layout.first_row - 1][layout.columns["realisasi"] - 1] == 77


def test_read_skips_missing_sheets_and_trims(tmp_path, config):
    store, ref, _ = distributed(tmp_path, config)
    grids = store.read(ref, ["Validasi", "Tidak Ada"])
    assert list(grids) == ["Validasi"]
    assert grids["Validasi"] == [list(ws.VALIDATION_HEADERS)]


def test_changed_since_uses_modification_time(tmp_path, config):
    store, ref, _ = distributed(tmp_path, config)
    later = datetime(2100, 1, 1)
    assert store.changed_since(PERIOD, later) == []
    assert {r.id for r in store.changed_since(PERIOD, None)} >= {ref.id}


def test_appended_rows_keep_formula_looking_text_as_text(tmp_path, config):
    store, ref, _ = distributed(tmp_path, config)
    patch = WorkbookPatch([SheetPatch("Audit", append_rows=[["=1+1", 5], ["b", None]])])
    store.apply(ref, patch)
    store.apply(ref, WorkbookPatch([SheetPatch("Audit", append_rows=[["c"]])]))
    sheet = load_workbook(ref.id)["Audit"]
    assert [[c.value for c in row][:2] for row in sheet.iter_rows()] == [
        ["=1+1", 5], ["b", None], ["c", None]]
    assert sheet["A1"].data_type == "s"


def test_a_save_during_our_write_is_kept(tmp_path, config, monkeypatch):
    """A section saves while the service is writing the same file: the service starts again
    from the section's version instead of replacing it."""
    from sheets_sync.adapters.local import files

    store, ref, layout = distributed(tmp_path, config)
    real_swap = files.swap_in
    calls = {"n": 0}

    def race_and_swap(path, tmp, read, backups):
        calls["n"] += 1
        if calls["n"] == 1:  # the section saves right after our temp file was written
            theirs = load_workbook(ref.id)
            theirs[config.labels.sheet_worksheet].cell(
                layout.first_row, layout.columns["realisasi"]).value = 55
            theirs.save(ref.id)
        return real_swap(path, tmp, read, backups)

    monkeypatch.setattr(files, "swap_in", race_and_swap)
    store.apply(ref, WorkbookPatch([SheetPatch("Validasi", clear=True, values={(1, 1): "x"})]))
    wb = load_workbook(ref.id)
    assert wb[config.labels.sheet_worksheet].cell(
        layout.first_row, layout.columns["realisasi"]).value == 55
    assert wb["Validasi"]["A1"].value == "x"
    assert calls["n"] == 2  # started again from the section's version


def test_status_is_not_overwritten_when_the_section_changed_it(tmp_path, config):
    store, ref, layout = distributed(tmp_path, config)
    status = layout.header_cells["status"]
    wb = load_workbook(ref.id)
    wb[config.labels.sheet_worksheet].cell(*status).value = "Sedang Diisi"  # after our read
    wb.save(ref.id)
    patch = SheetPatch(config.labels.sheet_worksheet, values={status: "Valid"},
                       expected={status: "Selesai"})
    store.apply(ref, WorkbookPatch([patch]))
    assert load_workbook(ref.id)[config.labels.sheet_worksheet].cell(*status).value == "Sedang Diisi"
