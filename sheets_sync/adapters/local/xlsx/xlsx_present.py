"""The presentation part of a `SheetPatch` in an openpyxl worksheet: row heights, merged
cells, short hyperlinks, a filter, conditional formatting by band, print setup and page
breaks. `xlsx_render` calls `present` after the values and formats.

Google's counterpart is `adapters/google/render_present.py`; both read the same patch.
"""

from __future__ import annotations

from typing import Any

from openpyxl.formatting.formatting import ConditionalFormattingList
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.properties import PageSetupProperties

from sheets_sync.adapters.local.xlsx import sheet_setup
from sheets_sync.domain.patch import BandRule, SheetPatch
from sheets_sync.domain.presentation import (
    LINK_FONT,
    PAGE_FOOTER_DATE,
    PAGE_FOOTER_PAGE,
    PageSetup,
)

CM_PER_INCH = 2.54
# Excel's paper size codes (ECMA-376 pageSetup@paperSize): 9 = A4, 14 = Folio 8.5 x 13 in,
# the F4 of Indonesian offices (215 x 330 mm).
PAPER_SIZE = {"A4": 9, "F4": 14}


def present(ws: Any, sp: SheetPatch) -> None:
    for row, pixels in sp.row_heights.items():
        ws.row_dimensions[row].height = sheet_setup.row_height(pixels)
    merged = {str(r) for r in ws.merged_cells.ranges}
    for rng in sp.merges:
        if rng.a1 not in merged:
            ws.merge_cells(rng.a1)
    for (row, col), link in sp.links.items():
        cell = ws.cell(row=row, column=col)
        cell.value = link.label
        cell.hyperlink = link.url
        old = cell.font
        cell.font = Font(name=old.name, size=old.sz, bold=old.b, underline="single",
                         color="FF" + LINK_FONT.lstrip("#"))
    if sp.filter is not None:
        ws.auto_filter.ref = sp.filter.a1
    if sp.band_rules:
        ws.conditional_formatting = ConditionalFormattingList()  # replace, as on Google
        for rule in sp.band_rules:
            band_rules(ws, rule)
    if sp.page_setup is not None:
        page_setup(ws, sp.page_setup)
    if sp.page_breaks:
        taken = {b.id for b in ws.row_breaks.brk}
        for row in sp.page_breaks:
            if row - 1 not in taken:
                ws.row_breaks.append(Break(id=row - 1))  # a break after the row above


def band_rules(ws: Any, rule: BandRule) -> None:
    for band, lower, upper in rule.bounds():
        fill = "FF" + band.fill.lstrip("#").upper()
        ws.conditional_formatting.add(rule.range.a1, FormulaRule(
            formula=[rule.condition(lower, upper)], stopIfTrue=True,
            fill=PatternFill(start_color=fill, end_color=fill, fill_type="solid"),
            font=Font(color="FF" + band.font.lstrip("#").upper())))


def page_setup(ws: Any, setup: PageSetup) -> None:
    """Landscape A4/F4, one page wide, header rows on every page, margins and the footer."""
    ws.page_setup.orientation = "landscape" if setup.landscape else "portrait"
    ws.page_setup.paperSize = PAPER_SIZE.get(setup.paper, 9)
    if setup.fit_width:
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0  # as many pages tall as needed
    inches = setup.margins_cm / CM_PER_INCH
    margins = ws.page_margins
    margins.left = margins.right = margins.top = margins.bottom = round(inches, 2)
    margins.header = margins.footer = round(inches / 2, 2)
    if setup.repeat_rows:
        ws.print_title_rows = f"{setup.repeat_from}:{setup.repeat_rows}"
    ws.print_options.gridLines = False
    footer = ws.oddFooter
    footer.left.text = setup.footer.replace("&", "&&")
    footer.center.text = PAGE_FOOTER_DATE
    footer.right.text = PAGE_FOOTER_PAGE
    for part in (footer.left, footer.center, footer.right):
        part.size = 8
