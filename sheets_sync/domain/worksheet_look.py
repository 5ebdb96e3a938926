"""How a section's workbook reads: the Status cell and its one-line instruction, a legend
for the yellow input cells, wrapped long text with fitting row heights, the Petunjuk sheet
and the print setup. Pure; `worksheet.template_patch`, `worksheet_prefill.prefill_patch` and
the feedback's Validasi sheet call it, so the contract's columns stay where `worksheet.py`
defines them.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sheets_sync.domain import presentation as look
from sheets_sync.domain.models import Config, Labels
from sheets_sync.domain.patch import CellRange, Format, SheetPatch

SHEET_INSTRUCTIONS = "Petunjuk"
# px: one column, wrapped, printed landscape. LibreOffice does not shrink a sheet of one
# column to the page, so the column itself fits the narrower paper (A4) at full size, with
# room for a font a third wider than Calibri (DejaVu Sans, where Carlito is missing).
INSTRUCTION_WIDTH = 700
STATUS_FILL = "#FFE699"  # the one cell a section sets when done: stronger than the inputs
LEGEND_ROW = 2  # the empty row under the title of the generated template
# The contract's column widths by key (template), used to estimate wrapped heights. "No" is
# wide enough for the header block's labels above the table (Batas Waktu, ...)
WIDTHS = {"no": 95, "code": 80, "sasaran": 220, "indicator": 300, "unit": 90, "target": 90,
          "realisasi": 100, "capaian": 90, "keterangan": 220, "bukti": 200, "budget": 130,
          "budget_real": 150, "budget_capaian": 110}


def status_hint(labels: Labels) -> str:
    return (f"◄ Pilih dari daftar: '{labels.status_filling}' selama mengisi, "
            f"'{labels.status_done}' bila semua isian sudah lengkap. "
            f"'{labels.status_confirm}', '{labels.status_valid}' dan "
            f"'{labels.status_approved}' diisi oleh PEP.")


def legend(labels: Labels) -> str:
    return (f"Isi hanya sel berwarna kuning ({labels.col_realisasi}, {labels.col_keterangan}, "
            f"{labels.col_bukti}) dan {labels.status}; sel lain dikunci. "
            f"Petunjuk lengkap: lembar '{SHEET_INSTRUCTIONS}'.")


def decorate_sheet(ws: SheetPatch, config: Config, status_cell: tuple[int, int] | None,
                   header_row: int, first: int, last: int, columns: dict[str, int],
                   texts: dict[int, list[tuple[str, str]]],
                   taken: Collection[tuple[int, int]] = ()) -> None:
    """The section's Kertas Kerja as a reader meets it. `texts`: per table row, the
    (column key, text) of the prefilled long texts, for the row heights. The hint and the
    legend go only into cells the template leaves empty (`taken`: an office's own template
    may have its text there)."""
    labels = config.labels
    if status_cell is not None and (status_cell[0], status_cell[1] + 2) not in taken:
        row, col = status_cell
        ws.formats.append((CellRange.cell(row, col), Format(bold=True, fill=STATUS_FILL)))
        # two columns on: the status itself ("Perlu Konfirmasi") shows whole beside it
        ws.values[(row, col + 2)] = status_hint(labels)
        ws.formats.append((CellRange.cell(row, col + 2), Format(italic=True,
                                                                 font_color="#7F6000")))
    if header_row > LEGEND_ROW + 1 and (LEGEND_ROW, 1) not in taken:
        ws.values[(LEGEND_ROW, 1)] = legend(labels)
        ws.formats.append((CellRange.cell(LEGEND_ROW, 1), Format(italic=True)))
    if columns:
        # every table cell wraps and sits at the top: a row reads as one line of text, and
        # long text grows the row instead of running over its neighbours
        ws.formats.append((CellRange(first, 1, last, max(columns.values())),
                           Format(wrap=True)))
    for row, cells in texts.items():
        # at least two lines: room for a Keterangan or a link the section types later
        ws.row_heights[row] = look.fitted_height(
            [(t, WIDTHS.get(k, 100)) for k, t in cells if t], minimum_lines=2)
    ws.page_setup = look.page_setup(config.reports.paper, repeat_rows=header_row,
                                    repeat_from=header_row,
                                    footer=f"{ws.title} — {config.period.label}")


def header_height(headers: list[str], widths: list[int]) -> int:
    """The table header's row: every (bold, wrapped) header whole in its column."""
    return look.fitted_height(list(zip(headers, widths, strict=False)), bold=True)


def template_widths(labels: Labels, keys: tuple[str, ...]) -> dict[str, int]:
    """The template's column widths by key. The Status value sits in the header block's
    second column (the table's "code"), bold on its fill: wide enough for every status."""
    widths = {k: WIDTHS.get(k, 100) for k in keys}
    longest = max(labels.all_statuses, key=len)
    widths[keys[1]] = max(widths[keys[1]], look.text_px(longest, bold=True))
    return widths


def table_formats(ws: SheetPatch, first: int, last: int, columns: dict[str, int],
                  values: dict[str, list[Any]]) -> None:
    """Number formats of the table's columns: amounts in thousands, capaian with " %", and
    Target and Pagu as whole numbers except where a value has decimals (`values`: the
    prefilled values of those columns, in row order)."""
    fixed = {"budget_real": look.WHOLE, "capaian": look.PERCENT,
             "budget_capaian": look.PERCENT}
    for key, pattern in fixed.items():
        if key in columns:
            ws.formats.append((CellRange(first, columns[key], last, columns[key]),
                               Format(number_format=pattern)))
    for key, column in values.items():
        if key not in columns:
            continue
        col = columns[key]
        ws.formats.append((CellRange(first, col, last, col), Format(number_format=look.WHOLE)))
        for a, b in look.decimal_runs(column):
            ws.formats.append((CellRange(first + a, col, first + b, col),
                               Format(number_format=look.DECIMAL)))


def instructions_sheet(config: Config, index: int) -> SheetPatch:
    """The Petunjuk sheet: what a section does, in order, in the sheet's own words."""
    labels = config.labels
    sp = SheetPatch(SHEET_INSTRUCTIONS, index=index)
    lines = [
        f"PETUNJUK PENGISIAN KERTAS KERJA — {config.office.name}",
        f"1. Buka lembar '{labels.sheet_worksheet}'. Isi hanya sel berwarna kuning: "
        f"{labels.col_realisasi}, {labels.col_keterangan} dan {labels.col_bukti} (serta "
        f"{labels.col_budget_real} bila kolom itu ada). Sel lain dikunci.",
        f"2. {labels.col_realisasi}: tulis angka saja, tanpa satuan. Desimal dengan koma "
        "(87,5), ribuan boleh dengan titik (1.250). Untuk satuan persen tulis 87,5 atau 87,5%.",
        f"3. Bila capaian di bawah target, tulis alasannya di {labels.col_keterangan}.",
        f"4. {labels.col_bukti}: tautan ke dokumen pendukung (mis. Google Drive).",
        f"5. Selama mengisi, pilih Status '{labels.status_filling}'. Bila semua sudah lengkap, "
        f"pilih '{labels.status_done}' di sel Status (kuning tua, di atas tabel) sebelum "
        "batas waktu.",
        f"6. PEP memeriksa isian. Hasilnya muncul di lembar '{labels.sheet_validation}' dan "
        "sebagai catatan pada sel yang diberi warna. Perbaiki sel itu, lalu pilih "
        f"'{labels.status_done}' lagi.",
        f"7. Status '{labels.status_confirm}', '{labels.status_valid}' dan "
        f"'{labels.status_approved}' hanya diisi oleh PEP; jangan diubah.",
        "8. Jangan menambah, menghapus atau memindahkan baris dan kolom tabel.",
    ]
    for n, text in enumerate(lines, start=1):
        sp.values[(n, 1)] = text
        sp.row_heights[n] = look.fitted_height([(text, INSTRUCTION_WIDTH)])
    sp.formats.append((CellRange(1, 1, len(lines), 1), Format(wrap=True)))
    sp.formats.append((CellRange.cell(1, 1), Format(bold=True, font_color=look.TITLE_FONT)))
    sp.column_widths = {1: INSTRUCTION_WIDTH}
    sp.page_setup = look.page_setup(config.reports.paper,
                                    footer=f"{SHEET_INSTRUCTIONS} — {config.period.label}")
    return sp


def validation_rows_look(sp: SheetPatch, config: Config, rows: list[list[Any]],
                         widths: tuple[int, ...]) -> None:
    """The Validasi sheet: heights that show every wrapped message whole. (Its print setup
    comes with the template and stays when the sheet is rewritten.)"""
    for n, row in enumerate(rows, start=2):
        height = look.fitted_height([(str(v), w) for v, w in zip(row, widths, strict=False)
                                     if isinstance(v, str)])
        if height > look.LINE_PX + 4:
            sp.row_heights[n] = height


def validation_sheet_print(sp: SheetPatch, config: Config) -> None:
    sp.page_setup = look.page_setup(config.reports.paper, repeat_rows=1,
                                    footer=f"{sp.title} — {config.period.label}")
