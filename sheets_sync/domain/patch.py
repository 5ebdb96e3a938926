"""A small, backend-neutral vocabulary for "what to write into a workbook".

Flows describe their writes as a `WorkbookPatch`; each adapter renders one patch in as few
calls as its backend allows (Google: one `spreadsheets.batchUpdate`; local: one save). Keeping
the vocabulary declarative is what lets the same flow meet the call budgets on Google and run
unchanged on .xlsx files.

Coordinates are 1-based (row, column), as a person reads a sheet.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from sheets_sync.domain.presentation import PageSetup


@dataclass(frozen=True)
class Formula:
    """A live formula in English function syntax, e.g. `=IF(F7=0,"",G7/F7*100)`.

    Only values of this type are ever written as formulas: a plain `str` that starts with `=`
    stays text on every backend (no formula injection from section-typed text).
    """

    text: str


Value = str | int | float | bool | Formula | None


@dataclass(frozen=True)
class CellRange:
    """A rectangle, 1-based and inclusive: rows top..bottom, columns left..right."""

    top: int
    left: int
    bottom: int
    right: int

    @classmethod
    def cell(cls, row: int, col: int) -> CellRange:
        return cls(row, col, row, col)

    @property
    def a1(self) -> str:
        start = a1(self.top, self.left)
        return start if (self.top, self.left) == (self.bottom, self.right) else (
            f"{start}:{a1(self.bottom, self.right)}"
        )

    def contains(self, row: int, col: int) -> bool:
        return self.top <= row <= self.bottom and self.left <= col <= self.right


@dataclass(frozen=True)
class Format:
    """Cell formatting. `None` leaves an attribute as it is; `fill=""` removes a fill."""

    bold: bool | None = None
    italic: bool | None = None
    fill: str | None = None  # "#RRGGBB"
    font_color: str | None = None
    number_format: str | None = None  # e.g. "#,##0.00"
    wrap: bool | None = None
    align: Literal["left", "center", "right"] | None = None


@dataclass(frozen=True)
class Validation:
    """A data-validation rule on a range: a dropdown list, or a number (optionally bounded)."""

    range: CellRange
    kind: Literal["list", "number"]
    options: tuple[str, ...] = ()
    minimum: float | None = None
    message: str = ""


@dataclass(frozen=True)
class Protection:
    """Protect the whole sheet except `editable`; `editors` may also edit the protected part.

    On Google the section's accounts are *not* editors of the protected part: they may type
    only in `editable`. On .xlsx the sheet protection of openpyxl plays the same role.
    """

    editable: tuple[CellRange, ...] = ()
    editors: tuple[str, ...] = ()
    description: str = ""


@dataclass(frozen=True)
class Chart:
    """A bar chart of one data column against a category column, rows top..bottom.

    Google: an addChart request (existing charts on the sheet are replaced); local: an
    openpyxl BarChart. `target`, when given, is a second column of the same rows drawn as a
    line over the bars (e.g. 100 % in every row: the target line)."""

    title: str
    categories: CellRange  # one column
    series: CellRange  # one column, same rows; its first row is the series name
    anchor: tuple[int, int]  # (row, col) of the chart's top-left corner
    kind: Literal["bar", "line"] = "bar"  # line: a value over periods (Tren)
    target: CellRange | None = None


# A chart's size, the same on every backend: small enough to fit a landscape page (the
# renderers start a new page at its anchor, so it never straddles a page break).
CHART_WIDTH_PX = 760
CHART_HEIGHT_PX = 360


@dataclass(frozen=True)
class Link:
    """A hyperlink shown as a short label ("Buka") instead of the long address."""

    url: str
    label: str


@dataclass(frozen=True)
class PdfLink:
    """Where a backend without print settings (Google) offers a ready PDF export of sheet
    `sheet`, following that sheet's `page_setup`. Backends that print (xlsx) leave it empty."""

    sheet: str
    label: str


@dataclass(frozen=True)
class BandColor:
    min: float  # inclusive lower bound; -inf for the lowest band
    fill: str  # "#RRGGBB"
    font: str


@dataclass(frozen=True)
class BandRule:
    """Conditional formatting: a number in `range` takes the colours of the band it falls in,
    recomputed by the spreadsheet as the value changes. `bands` highest first (the config's
    rating order); text and empty cells stay uncoloured."""

    range: CellRange
    bands: tuple[BandColor, ...]
    # A column of the same rows saying whether a row counts (the recap's "Dihitung"): a
    # capaian that does not count (a negative realisasi, an open error) is not coloured as
    # if it were rated. None: every number is coloured.
    counted_column: int | None = None
    counted_text: str = "Ya"

    def bounds(self) -> list[tuple[BandColor, float | None, float | None]]:
        """(band, lower bound inclusive or None, upper bound exclusive or None)."""
        out = []
        upper: float | None = None
        for band in self.bands:
            lower = band.min if math.isfinite(band.min) else None
            out.append((band, lower, upper))
            upper = lower
        return out

    def condition(self, lower: float | None, upper: float | None) -> str:
        """The spreadsheet test for one band, relative to the range's top-left cell: a number
        in [lower, upper). The same text on Google (after "=") and in xlsx."""
        cell = a1(self.range.top, self.range.left)
        parts = [f"ISNUMBER({cell})"]
        parts += [f"{cell}>={_plain(lower)}"] if lower is not None else []
        parts += [f"{cell}<{_plain(upper)}"] if upper is not None else []
        if self.counted_column is not None:
            counted = "$" + a1(self.range.top, self.counted_column)
            parts.append(f'{counted}="{self.counted_text}"')
        return f"AND({','.join(parts)})"


def _plain(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else repr(float(x))


@dataclass
class SheetPatch:
    """Writes into one sheet (created if it does not exist yet)."""

    title: str
    values: dict[tuple[int, int], Value] = field(default_factory=dict)
    formats: list[tuple[CellRange, Format]] = field(default_factory=list)  # applied in order
    notes: dict[tuple[int, int], str] = field(default_factory=dict)  # "" removes a note
    clear_notes: list[CellRange] = field(default_factory=list)  # before `notes` are set
    clear: bool = False  # wipe the sheet's values and formats first (sheets the service owns)
    hidden: bool | None = None
    frozen_rows: int | None = None
    column_widths: dict[int, int] = field(default_factory=dict)  # in pixels
    validations: list[Validation] = field(default_factory=list)
    protection: Protection | None = None  # replaces any protection the service set before
    index: int | None = None  # position among the sheets when created
    # Rows added after the sheet's last row with data, never rewriting what is there (Audit).
    append_rows: list[list[Value]] = field(default_factory=list)
    # Compare-and-set: a value in `values` at one of these cells is written only if the cell
    # still holds the value given here (the status the flow read: a section that changed it
    # meanwhile wins). Checked where the backend reads at write time (local); Google has no
    # conditional write, so there the last write wins.
    expected: dict[tuple[int, int], Value] = field(default_factory=dict)
    charts: list[Chart] = field(default_factory=list)  # replaces the sheet's charts
    # Row -> outline level (1..7): rows a reader folds under the row above them (a unit's
    # lines under the unit). Google: row groups; xlsx: outline levels. Replaces the sheet's.
    row_outline: dict[int, int] = field(default_factory=dict)
    # --- presentation (what a person opening or printing the sheet sees)
    frozen_cols: int | None = None
    row_heights: dict[int, int] = field(default_factory=dict)  # in pixels
    merges: list[CellRange] = field(default_factory=list)
    links: dict[tuple[int, int], Link] = field(default_factory=dict)  # label written as value
    pdf_links: dict[tuple[int, int], PdfLink] = field(default_factory=dict)
    filter: CellRange | None = None  # a basic filter over a table (header row included)
    band_rules: list[BandRule] = field(default_factory=list)  # replace the sheet's rules
    page_setup: PageSetup | None = None
    page_breaks: list[int] = field(default_factory=list)  # a new printed page starts at row

    @property
    def presents(self) -> bool:
        """Whether the patch uses the presentation features beyond values and formats."""
        return bool(self.frozen_cols is not None or self.row_heights or self.merges
                    or self.links or self.pdf_links or self.filter or self.band_rules
                    or self.page_setup or self.page_breaks or self.row_outline)

    def put_row(self, row: int, col: int, cells: list[Value]) -> None:
        for offset, v in enumerate(cells):
            self.values[(row, col + offset)] = v

    def put_table(self, row: int, col: int, rows: list[list[Value]]) -> None:
        for r, cells in enumerate(rows):
            self.put_row(row + r, col, cells)


@dataclass
class WorkbookPatch:
    sheets: list[SheetPatch] = field(default_factory=list)
    delete_sheets: list[str] = field(default_factory=list)  # e.g. the default "Sheet1"
    # The spreadsheet's locale where the backend keeps one (Google), e.g. "id_ID": how the
    # number formats show separators. Only for workbooks people read, not ones they type in
    # (the locale also changes how typed text becomes numbers).
    locale: str | None = None

    def sheet(self, title: str) -> SheetPatch:
        for s in self.sheets:
            if s.title == title:
                return s
        patch = SheetPatch(title)
        self.sheets.append(patch)
        return patch


# --------------------------------------------------------------------------- A1 helpers


def column_letter(col: int) -> str:
    letters = ""
    while col > 0:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def a1(row: int, col: int) -> str:
    return f"{column_letter(col)}{row}"
