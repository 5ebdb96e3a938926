"""A section's workbook as it prints and reads: every sheet landscape and one page wide, the
Petunjuk column narrower than the page, the table header tall enough for its wrapped texts,
amounts and percentages formatted, the Status value whole in its cell."""

from datetime import datetime

import pytest
from openpyxl import load_workbook

from sheets_sync.adapters.local import LocalStore
from sheets_sync.domain import presentation as look
from sheets_sync.domain import worksheet as ws
from sheets_sync.domain.numbers import parse_number
from sheets_sync.domain.worksheet_prefill import prefill_patch
from sheets_sync.ports import Role, Tags

PERIOD = "2026-TW3"
PX_PER_CHAR = 7  # openpyxl's column width unit, in pixels
WIDE_FONT = 1.3  # LibreOffice without Calibri/Carlito draws text this much wider


def section_book(tmp_path, config):
    store = LocalStore(tmp_path / "workspace")
    template = store.create("Template", Tags(Role.template, PERIOD), ws.template_patch(config))
    grid = store.read(template, [config.labels.sheet_worksheet])[config.labels.sheet_worksheet]
    layout = ws.locate(grid, config.labels)
    section = config.sections[0]
    ref = store.copy(template, "Kertas Kerja", Tags(Role.section, PERIOD, section.id))
    store.apply(ref, prefill_patch(config, section, layout, "Selasa", datetime(2026, 10, 1)))
    return store, ref, layout


def px(sheet, letter: str) -> float:
    return sheet.column_dimensions[letter].width * PX_PER_CHAR


def test_every_visible_sheet_prints_landscape_one_page_wide(tmp_path, config):
    _store, ref, _layout = section_book(tmp_path, config)
    book = load_workbook(ref.id)
    visible = [s for s in book.worksheets if s.sheet_state == "visible"]
    assert {s.title for s in visible} >= {"Kertas Kerja", "Petunjuk"}
    for sheet in visible:
        assert sheet.page_setup.orientation == "landscape", sheet.title
        assert sheet.sheet_properties.pageSetUpPr.fitToPage, sheet.title
        assert sheet.page_setup.fitToWidth == 1, sheet.title


@pytest.mark.parametrize("paper", ["A4", "F4"])
def test_petunjuk_column_fits_the_page_even_in_a_wider_font(tmp_path, config, paper):
    """LibreOffice does not shrink a one-column sheet to the page: the column must fit."""
    _store, ref, _layout = section_book(tmp_path, config)
    sheet = load_workbook(ref.id)["Petunjuk"]
    page = look.printable_px(look.page_setup(paper))
    assert px(sheet, "A") * WIDE_FONT <= page
    # and every line wraps inside it: its row is as tall as its text needs
    for row in range(1, sheet.max_row + 1):
        text = sheet.cell(row, 1).value
        assert sheet.cell(row, 1).alignment.wrap_text
        lines = look.lines_needed(text, int(px(sheet, "A")))
        assert sheet.row_dimensions[row].height >= lines * 15 * 0.99, text


def test_table_header_row_is_tall_enough_for_its_wrapped_headers(tmp_path, config):
    _store, ref, layout = section_book(tmp_path, config)
    sheet = load_workbook(ref.id)["Kertas Kerja"]
    row = layout.header_row
    headers = {sheet.cell(row, c).value: c for c in range(1, sheet.max_column + 1)}
    assert "Realisasi Anggaran (Rp)" in headers
    height = sheet.row_dimensions[row].height
    assert height is not None
    for text, col in headers.items():
        letter = sheet.cell(row, col).column_letter
        lines = look.lines_needed(text, int(px(sheet, letter)), bold=True)
        assert height >= lines * 15 * 0.99, text
    assert height >= 2 * 15  # "Realisasi Anggaran (Rp)" takes two lines


def test_amounts_and_percentages_are_formatted_and_typed_values_read_back(tmp_path, config):
    store, ref, layout = section_book(tmp_path, config)
    book = load_workbook(ref.id)
    sheet = book["Kertas Kerja"]
    first = layout.first_row
    cols = layout.columns
    budget_row = next(r for r in range(first, first + 4)
                      if sheet.cell(r, cols["budget"]).value is not None)
    assert sheet.cell(budget_row, cols["budget"]).number_format == look.WHOLE
    assert sheet.cell(budget_row, cols["budget_real"]).number_format == look.WHOLE
    assert sheet.cell(budget_row, cols["capaian"]).number_format == look.PERCENT
    assert sheet.cell(budget_row, cols["budget_capaian"]).number_format == look.PERCENT
    # a section types an amount into the formatted input cell: read back as typed
    sheet.cell(budget_row, cols["budget_real"]).value = 2610357000
    sheet.cell(budget_row, cols["realisasi"]).value = 87.5
    book.save(ref.id)
    grid = store.read(ref, ["Kertas Kerja"])["Kertas Kerja"]
    typed = grid[budget_row - 1][cols["budget_real"] - 1]
    assert parse_number(typed).value == 2610357000
    assert not parse_number(typed).currency  # not taken for rupiah typed in another unit
    assert parse_number(grid[budget_row - 1][cols["realisasi"] - 1]).value == 87.5


def test_status_column_holds_the_longest_status_whole(tmp_path, config):
    _store, ref, layout = section_book(tmp_path, config)
    sheet = load_workbook(ref.id)["Kertas Kerja"]
    row, col = layout.header_cells["status"]
    letter = sheet.cell(row, col).column_letter
    longest = max(config.labels.all_statuses, key=len)
    assert px(sheet, letter) >= look.text_px(longest, bold=True) - 1


def test_target_and_pagu_whole_unless_a_value_has_decimals(tmp_path, config):
    config.indicators_of(config.sections[0].id)[0].target = 87.5
    _store, ref, layout = section_book(tmp_path, config)
    sheet = load_workbook(ref.id)["Kertas Kerja"]
    col = layout.columns["target"]
    first = layout.first_row
    assert sheet.cell(first, col).number_format == look.DECIMAL
    assert sheet.cell(first + 1, col).number_format == look.WHOLE


@pytest.mark.parametrize("kind", ["local", "google"])
def test_an_amount_typed_into_the_formatted_cell_reaches_the_recap(tmp_path, kind):
    from tests.backends import GoogleEnv, LocalEnv
    from tests.conftest import small_config_data

    env = (LocalEnv if kind == "local" else GoogleEnv)(tmp_path, small_config_data())
    env.run("distribute")
    budget = next(i for i in env.config.indicators_of("bagian-1") if i.budget)
    env.type_into("bagian-1", {budget.code: {"realisasi": 5, "budget_real": 610357}},
                  status="Selesai")
    env.run("recap", code=None)
    grid = env.recap_grid("Rekap Indikator")
    head = grid[0]
    row = next(r for r in grid if r[head.index("Kode")] == budget.code)
    assert row[head.index("Realisasi Anggaran (Rp)")] == 610357
    assert row[head.index("Dihitung")] == "Ya"  # not taken for rupiah in another unit
