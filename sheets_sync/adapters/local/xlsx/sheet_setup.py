"""What a sheet patch sets on a sheet besides its cells, in Excel's terms: one description
for both writers (`xlsx_render` on openpyxl, `xml_patch` on the sheet XML)."""

from __future__ import annotations


def state(hidden: bool) -> str:
    """Sheets the service hides are "very hidden": Excel's Unhide menu does not list them."""
    return "veryHidden" if hidden else "visible"


def column_width(pixels: int) -> float:
    """A column width in pixels (as Google takes it) in Excel's character units."""
    return round(pixels / 7, 1)


def row_height(pixels: int) -> float:
    """A row height in pixels (as Google takes it) in points, Excel's unit (`ht`)."""
    return round(pixels * 0.75, 1)
