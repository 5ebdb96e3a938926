"""How every face the service writes looks: one description, rendered by each backend.

The recap (Google and .xlsx), the xlsx exports and the PDF reports take their number formats,
band colours and paper from here, so the same value reads the same everywhere and a change of
style is made once. Pure: no backend, no library.

Number formats are Excel/Sheets format codes. The separators they show follow the locale of
the file (Google: the spreadsheet's locale, set to `id_ID`; Excel and LibreOffice: the
computer's, which in these offices is Indonesian), so `#,##0` reads `1.250.000` there.
Capaian is kept as a percentage number (87.5, not 0.875): its format appends ` %` literally.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from sheets_sync.domain.models import RatingScheme

# --------------------------------------------------------------------------- number formats

WHOLE = "#,##0"  # counts, targets in units
DECIMAL = "#,##0.##"  # a realisasi as typed: 12.000 or 87,5
PERCENT = '0.0" %"'  # capaian, stored as 87.5
RUPIAH = '"Rp"\\ #,##0'  # pagu and realisasi anggaran
DATETIME = "dd/mm/yyyy hh:mm"
DATE = "dd/mm/yyyy"


def number_format_for(value: object) -> str | None:
    """The format a number reads best in: WHOLE for a whole number (Excel shows `#,##0.##` on
    100 as "100," with a dangling comma), DECIMAL for one with decimals; None for text."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if not math.isfinite(value):
        return None
    return WHOLE if float(round(value, 2)).is_integer() else DECIMAL


def decimal_runs(values: Sequence[object]) -> list[tuple[int, int]]:
    """(first, last) indices of the runs of consecutive values that need DECIMAL: a column
    formatted WHOLE as a whole takes DECIMAL only there (a Format per run, not per cell)."""
    runs: list[tuple[int, int]] = []
    for i, v in enumerate(values):
        if number_format_for(v) != DECIMAL:
            continue
        if runs and runs[-1][1] == i - 1:
            runs[-1] = (runs[-1][0], i)
        else:
            runs.append((i, i))
    return runs

# --------------------------------------------------------------------------- colours

HEADER_FILL = "#1F4E78"  # dark blue header rows, white bold text
HEADER_FONT = "#FFFFFF"
TITLE_FONT = "#1F4E78"
TARGET_LINE = "#C00000"  # the 100 % target line over a capaian chart (xlsx, PDF)
SUBTLE_FILL = "#F2F2F2"  # summary blocks, group rows
LINK_FONT = "#0563C1"

# Band colours from best to worst, as the Renja evaluation's five bands read: dark green,
# green, yellow, orange, red. A config with another number of bands takes colours spread
# over the same scale, best first, so "green is good" holds for any scheme.
_BAND_SCALE = (
    ("#63BE7B", "#000000"),  # Sangat Tinggi
    ("#C6EFCE", "#006100"),  # Tinggi
    ("#FFEB9C", "#7F6000"),  # Sedang
    ("#F4B183", "#833C0B"),  # Rendah (not the error fill #F8CBAD: never read as a finding)
    ("#FF7C80", "#000000"),  # Sangat Rendah
)


@dataclass(frozen=True)
class BandStyle:
    label: str
    min: float  # inclusive lower bound of capaian (%), -inf for the lowest band
    fill: str  # "#RRGGBB"
    font: str


def band_styles(scheme: RatingScheme) -> list[BandStyle]:
    """One style per configured band, highest band first (the config's order)."""
    n = len(scheme.bands)
    last = len(_BAND_SCALE) - 1
    styles = []
    for i, band in enumerate(scheme.bands):
        pick = 0 if n == 1 else round(i * last / (n - 1))
        fill, font = _BAND_SCALE[pick]
        styles.append(BandStyle(band.label, band.min, fill, font))
    return styles


def band_style(scheme: RatingScheme, label: str) -> BandStyle | None:
    """The style of the band named `label` (a predikat), or None for no predikat."""
    return next((s for s in band_styles(scheme) if s.label == label), None)


# --------------------------------------------------------------------------- paper

# Paper sizes in millimetres (width x height, portrait). F4 ("Folio") is what many
# Indonesian government offices print on.
PAPER_MM = {"A4": (210.0, 297.0), "F4": (215.0, 330.0)}


@dataclass(frozen=True)
class PageSetup:
    """A sheet's print setup: what the xlsx renderers write and the PDF export follows.

    Google Sheets has no print settings in its API; the Google recap offers a PDF export link
    carrying the same choices instead.
    """

    paper: Literal["A4", "F4"] = "A4"
    landscape: bool = True
    fit_width: bool = True  # one page wide, as many pages tall as needed
    repeat_rows: int = 0  # header rows printed on every page (rows 1..n)
    margins_cm: float = 1.5
    footer: str = ""  # left footer text, e.g. "Periode 2026-TW3"; page numbers on the right
    repeat_from: int = 1  # the first repeated row: rows repeat_from..repeat_rows repeat
    # every footer: `footer` on the left, the print date in the middle, "Halaman n dari m"
    # on the right (the renderers add those two)


def printable_px(setup: PageSetup) -> int:
    """The width a sheet may have to print at full size, in pixels (96 per inch)."""
    width, height = PAPER_MM[setup.paper]
    across = height if setup.landscape else width
    return int((across - 2 * setup.margins_cm * 10) / 25.4 * 96)


PAGE_FOOTER_PAGE = "Halaman &P dari &N"  # Excel/LibreOffice header-footer codes
PAGE_FOOTER_DATE = "Dicetak &D"


def page_setup(paper: str, *, repeat_rows: int = 0, repeat_from: int = 1, footer: str = "",
               landscape: bool = True) -> PageSetup:
    """The office's print setup for a sheet; `paper` is the config's `reports.paper`."""
    return PageSetup(paper="F4" if paper == "F4" else "A4", landscape=landscape,
                     repeat_rows=repeat_rows, repeat_from=repeat_from, footer=footer)


# --------------------------------------------------------------------------- row heights

LINE_PX = 20  # one line of 11 pt text (15 pt)
CHAR_PX = 7.0  # an average character of 11 pt Calibri/Carlito, a little generous
PAD_PX = 10  # cell padding left and right
BOLD = 1.12  # bold characters are wider


def text_px(text: str, *, bold: bool = False) -> int:
    """The width a one-line `text` needs in a cell, padding included."""
    return int(len(text) * CHAR_PX * (BOLD if bold else 1) + PAD_PX) + 1


def lines_needed(text: str, width_px: int, *, bold: bool = False) -> int:
    """How many lines `text` wraps to in a column `width_px` wide (an estimate that errs on
    the tall side, so nothing is cut in any viewer)."""
    per_line = max(1, int((width_px - PAD_PX) / (CHAR_PX * (BOLD if bold else 1))))
    total = 0
    for paragraph in str(text).split("\n"):
        total += max(1, -(-len(paragraph) // per_line))
    return total


def fitted_height(cells: list[tuple[str, int]], minimum_lines: int = 1, *,
                  bold: bool = False) -> int:
    """A row height in pixels that shows every (text, column width) of the row whole."""
    lines = max([minimum_lines, *(lines_needed(t, w, bold=bold) for t, w in cells if t)])
    return lines * LINE_PX + 4
