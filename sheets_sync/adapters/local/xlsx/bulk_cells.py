"""The cells of large cleared sheets, written as XML text and put into the saved package.

openpyxl spends several microseconds per cell building, styling and serialising its cell
objects; the recap's "Rekap Indikator" has ~170,000 cells. A sheet the patch clears keeps
nothing of its old self, so its cell data (`sheetData`) can be written here as text instead:
openpyxl renders and saves everything else (the sheet without cells, with its column widths,
frozen rows, validations, charts, visibility and page setup, and the rest of the workbook),
then this sheet's cells are put in the place of its empty `sheetData`.

Styles stay openpyxl's: the patch's formats are applied in order onto a scratch cell, once per
distinct combination (`xlsx_render.format_cell`, as the plain path does per cell), and the
resulting style is registered in the workbook's style table before it saves. The cell text is
what openpyxl's writer makes of the same values (openpyxl/cell/_writer.py): numbers as "%.16g",
booleans as 1/0, strings inline, a `Formula` as <f>, text starting "=" stays text. A value of
another type, or text XML cannot hold, leaves the sheet to openpyxl (which says what is wrong).
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import math
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from openpyxl.cell.cell import ERROR_CODES, Cell
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from sheets_sync.adapters.local.xlsx import sheet_setup
from sheets_sync.adapters.local.xlsx.errors import NotHandled
from sheets_sync.adapters.local.xlsx.xlsx_render import format_cell, render
from sheets_sync.adapters.local.xlsx.xml_cells import cell_content
from sheets_sync.domain.patch import Format, Formula, SheetPatch, WorkbookPatch

BULK_FROM = 2000  # values; below this openpyxl's own writer costs about as little
# What openpyxl writes for a sheet without cells: the places our cell data goes.
EMPTY_DATA = (b"<sheetData></sheetData>", b"<sheetData />", b"<sheetData/>")
EMPTY_DIMENSION = b'<dimension ref="A1:A1" />'
NONE_TAIL = ' t="n"/>'  # a cell holding None ("" is a value: an empty string)


@dataclass
class BulkSheet:
    """A cleared sheet rendered without its cells, and those cells as XML."""

    ws: Worksheet
    patch: SheetPatch
    dimension: str  # e.g. "A1:AA6401", as openpyxl computes it
    rows: str  # the <row> elements

    def spliced(self, xml: bytes) -> bytes:
        """The sheet's XML as openpyxl saved it without cells, with them."""
        # the size too: a reader in read-only mode goes by it (openpyxl's, for one)
        empty = next((e for e in EMPTY_DATA if xml.count(e) == 1), None)
        if empty is None or xml.count(EMPTY_DIMENSION) != 1:
            raise NotHandled(f"{self.ws.title} was saved unlike an empty sheet")
        dimension = f'<dimension ref="{self.dimension}" />'.encode()
        data = f"<sheetData>{self.rows}</sheetData>".encode()
        return xml.replace(EMPTY_DIMENSION, dimension).replace(empty, data)


def render_with_bulk(wb: Any, patch: WorkbookPatch,
                     bulk_from: int | None = None) -> list[BulkSheet]:
    """Render `patch` into `wb` as `xlsx_render.render` does, except the cells of large
    cleared sheets: those are returned, for `save_with_bulk`."""
    bulk_from = BULK_FROM if bulk_from is None else bulk_from
    count = Counter(sp.title for sp in patch.sheets)
    cells: dict[str, _Cells] = {}
    for sp in patch.sheets:
        if len(sp.values) >= bulk_from and count[sp.title] == 1 and _cells_only(sp):
            with contextlib.suppress(NotHandled):  # openpyxl writes this one
                cells[sp.title] = _Cells(sp)
    # row heights are attributes of the rows written with the cells
    frames = [dataclasses.replace(sp, values={}, formats=[], row_heights={})
              if sp.title in cells else sp for sp in patch.sheets]
    render(wb, WorkbookPatch(sheets=frames, delete_sheets=patch.delete_sheets))
    return [cells[t].sheet(wb, wb[t]) for t in cells]


def _cells_only(sp: SheetPatch) -> bool:
    """A cleared sheet whose cells depend on nothing but its values and formats."""
    if not (sp.clear and not sp.notes and not sp.clear_notes and sp.protection is None
            and not sp.append_rows and not sp.expected and not sp.links and not sp.merges
            and not sp.row_outline):
        return False
    rows = {r for r, _c in sp.values}  # a set: 6,400 rows x 120,000 values was 13 s a recap
    return all(row in rows for row in sp.row_heights)


def save_with_bulk(wb: Any, target: Path | IO[bytes], bulk: list[BulkSheet]) -> None:
    """Save `wb` to `target` with the cells of `bulk` in their sheets."""
    if not bulk:
        wb.save(target)
        return
    # openpyxl's save stored, not compressed: every member is compressed once, below
    saved = io.BytesIO()
    ExcelWriter(wb, zipfile.ZipFile(saved, "w", zipfile.ZIP_STORED, allowZip64=True)).save()
    by_part = {b.ws.path.lstrip("/"): b for b in bulk}  # the path openpyxl just saved it at
    with zipfile.ZipFile(saved) as src:
        entries = [(info.filename, src.read(info)) for info in src.infolist()]
    try:
        entries = [(name, by_part[name].spliced(data) if name in by_part else data)
                   for name, data in entries]
    except NotHandled:
        # openpyxl wrote an empty sheet differently than expected: let it write the cells
        render(wb, WorkbookPatch(sheets=[
            SheetPatch(b.ws.title, values=b.patch.values, formats=b.patch.formats,
                       row_heights=b.patch.row_heights)
            for b in bulk]))
        wb.save(target)
        return
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as dst:
        for name, data in entries:
            dst.writestr(name, data)


class _Cells:
    """A sheet patch's values as cell XML, and which formats cover which cell."""

    def __init__(self, sp: SheetPatch) -> None:
        self.patch = sp
        # each value's cell XML after the style attribute: ' t="n"><v>1</v></c>'; a text
        # repeated down a column (period, section, status) is escaped once
        texts: dict[str, str] = {}
        self.tails = {}
        for key, value in sp.values.items():
            if type(value) is str:
                tail = texts.get(value)
                if tail is None:
                    tail = texts[value] = _tail(value)
                self.tails[key] = tail
            else:
                self.tails[key] = _tail(value)
        covering: dict[tuple[int, int], list[int]] = {}
        for n, (rng, _fmt) in enumerate(sp.formats):
            for r in range(rng.top, rng.bottom + 1):
                for c in range(rng.left, rng.right + 1):
                    covering.setdefault((r, c), []).append(n)
        self.formats = {key: tuple(ns) for key, ns in covering.items()}

    def sheet(self, wb: Any, ws: Worksheet) -> BulkSheet:
        styles = {combination: f' s="{sid}"' for combination, sid in self._style_ids(wb).items()}
        tails, formats = self.tails, self.formats
        # row by row, as openpyxl writes them (values come mostly in order: a quick sort)
        keys = list(tails)
        keys += [key for key in formats if key not in tails]
        if not keys:
            return BulkSheet(ws, self.patch, "A1:A1", "")
        keys.sort()
        first_col, width = min(col for _r, col in keys), max(col for _r, col in keys)
        letters = ["", *(get_column_letter(c) for c in range(1, width + 1))]
        out: list[str] = []
        cells: list[str] = []
        current = keys[0][0]
        for key in keys:
            row, col = key
            if row != current:
                if cells:
                    out.append(f'<row r="{current}"{self._row_attrs(current)}>{"".join(cells)}</row>')
                    cells = []
                current = row
            combination = formats.get(key)
            style = styles.get(combination, "") if combination else ""
            tail = tails.get(key, NONE_TAIL)
            if tail is NONE_TAIL and not style:
                continue  # as openpyxl: a cell holding None without a style is not written
            cells.append(f'<c r="{letters[col]}{row}"{style}{tail}')
        if cells:
            out.append(f'<row r="{current}"{self._row_attrs(current)}>{"".join(cells)}</row>')
        dimension = f"{letters[first_col]}{keys[0][0]}:{letters[width]}{keys[-1][0]}"
        return BulkSheet(ws, self.patch, dimension, "".join(out))

    def _row_attrs(self, row: int) -> str:
        pixels = self.patch.row_heights.get(row)
        return f' ht="{sheet_setup.row_height(pixels)}" customHeight="1"' if pixels else ""

    def _style_ids(self, wb: Any) -> dict[tuple[int, ...], int]:
        """Style id per combination of formats, registered in `wb`; none for a combination
        that leaves the default style (openpyxl writes no style for such a cell)."""
        scratch = Worksheet(wb)  # not added to the workbook: only its style tables are used
        ids = {}
        # one style per distinct list of formats, however many ranges repeat it (a number
        # format per run of rows makes thousands of combinations of a few formats)
        made: dict[tuple[Format, ...], int | None] = {}
        for combination in set(self.formats.values()):
            formats = tuple(self.patch.formats[n][1] for n in combination)
            if formats not in made:
                cell = Cell(scratch, row=1, column=1)
                for fmt in formats:
                    format_cell(cell, fmt)
                made[formats] = (wb._cell_styles.add(StyleArray(cell._style))
                                 if any(cell._style) else None)
            if (sid := made[formats]) is not None:
                ids[combination] = sid
        return ids


def _tail(value: Any) -> str:
    """The cell XML after its style, as openpyxl writes it after `xlsx_render._put`: the
    in-place writer's `cell_content`, with the shapes only a new sheet meets."""
    kind = type(value)
    if kind is int or kind is float:  # the most common first
        return _number_tail(value)
    if value is None:
        return NONE_TAIL
    text = value.text if isinstance(value, Formula) else value
    if isinstance(text, str) and text in ERROR_CODES:
        return f' t="e"><v>{text}</v></c>'  # openpyxl writes these as error values
    t, children = cell_content(value)
    attr = f' t="{t}"' if t else ""
    return f"{attr}>{children}</c>" if children is not None else f"{attr}/>"


def _number_tail(value: float) -> str:
    if isinstance(value, float) and not math.isfinite(value):
        raise NotHandled("not a finite number")
    return f' t="n"><v>{"%.16g" % value}</v></c>'  # noqa: UP031 (openpyxl's safe_string)
