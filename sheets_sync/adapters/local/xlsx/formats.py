"""What a `Format` does to a cell's font, fill and alignment: one description for both
writers (`xlsx_render` on openpyxl cells, `xml_styles` on styles.xml), so they cannot drift.
The cell's current part is asked for (`current`) only when the format changes that part.

Attributes a format leaves as None stay as the cell has them. A section's own fill colour is
never replaced by the service's feedback colours nor taken away with them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from openpyxl.styles import Alignment, Font, PatternFill

from sheets_sync.domain.patch import Format
from sheets_sync.domain.worksheet import INPUT_FILL, ISSUE_FILLS

# Fills the service paints and may take back; any other colour is a section's own.
SERVICE_FILLS = {c.lstrip("#").upper() for c in (INPUT_FILL, *ISSUE_FILLS.values())}


def font(fmt: Format, current: Callable[[], Font]) -> Font | None:
    """The font `fmt` gives a cell whose font is `current()`; None: the font stays."""
    if fmt.bold is None and fmt.italic is None and fmt.font_color is None:
        return None
    old = current()
    return Font(name=old.name, size=old.sz, underline=old.u, strike=old.strike,
                bold=old.b if fmt.bold is None else fmt.bold,
                italic=old.i if fmt.italic is None else fmt.italic,
                color=argb(fmt.font_color) if fmt.font_color else old.color)


def fill(fmt: Format, current: Callable[[], Any]) -> PatternFill | None:
    """The fill `fmt` gives a cell whose fill is `current()`; None: the fill stays (none
    asked, or feedback over a section's own colour)."""
    if fmt.fill is None or (feedback_fill(fmt.fill) and their_fill(current())):
        return None
    return (PatternFill(fill_type="solid", fgColor=argb(fmt.fill)) if fmt.fill
            else PatternFill(fill_type=None))


def alignment(fmt: Format, current: Callable[[], Alignment | None]) -> Alignment | None:
    """The alignment `fmt` gives a cell aligned `current()` (None: the default); None: the
    alignment stays."""
    if fmt.wrap is None and fmt.align is None:
        return None
    old = current()
    if old is None:
        old = Alignment()
    return Alignment(wrap_text=old.wrap_text if fmt.wrap is None else fmt.wrap,
                     horizontal=old.horizontal if fmt.align is None else fmt.align,
                     vertical="top")


def feedback_fill(colour: str) -> bool:
    """Input yellow, an issue highlight, or no fill: what feedback paints and takes back."""
    return not colour or colour.lstrip("#").upper() in SERVICE_FILLS


def their_fill(old: Any) -> bool:
    """A solid colour the service does not paint: the section's own, left alone."""
    if old is None or old.fill_type != "solid":
        return False
    rgb = getattr(old.fgColor, "rgb", None)
    if not isinstance(rgb, str):  # a theme colour: a person chose it
        return True
    return rgb.upper()[-6:] not in SERVICE_FILLS


def argb(colour: str) -> str:
    return "FF" + colour.lstrip("#").upper()
