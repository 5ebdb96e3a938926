"""One worksheet part for the fast write: cells, the view, column widths, as text.

Only the rows the patch touches are parsed (xml_cells.py); every other row, and every
element the service does not change, is written back exactly as it was read.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from typing import Any

from openpyxl.compat import safe_string

from sheets_sync.adapters.local.xlsx.errors import NotHandled
from sheets_sync.adapters.local.xlsx.xml_cells import (
    MAX_COL,
    MAX_ROW,
    ROW,
    Cell,
    Row,
    cell_content,
    loaded_value,
    parse_ref,
    parse_row,
    writable,
)
from sheets_sync.adapters.local.xlsx.xml_parts import (
    REL_NS,
    TAG,
    Element,
    attrs_of,
    format_attrs,
    prefix_for,
    root_tag,
    split_children,
)
from sheets_sync.domain.patch import CellRange, Value, column_letter

# The children of <worksheet>, in the order the schema requires.
ORDER = ("sheetPr", "dimension", "sheetViews", "sheetFormatPr", "cols", "sheetData",
         "sheetCalcPr", "sheetProtection", "protectedRanges", "scenarios", "autoFilter",
         "sortState", "dataConsolidate", "customSheetViews", "mergeCells", "phoneticPr",
         "conditionalFormatting", "dataValidations", "hyperlinks", "printOptions",
         "pageMargins", "pageSetup", "headerFooter", "rowBreaks", "colBreaks",
         "customProperties", "cellWatches", "ignoredErrors", "smartTags", "drawing",
         "legacyDrawing", "legacyDrawingHF", "drawingHF", "picture", "oleObjects", "controls",
         "webPublishItems", "tableParts", "extLst")
# What a cleared sheet keeps (how it prints), and what it may drop; anything else: openpyxl.
_KEPT_ON_CLEAR = ("sheetPr", "sheetFormatPr", "printOptions", "pageMargins", "pageSetup",
                  "headerFooter")
_DROPPED_ON_CLEAR = ("dimension", "sheetViews", "cols", "sheetData", "mergeCells")
_ROW_NUMBER = re.compile(r"""(?:^|\s)r\s*=\s*["'](\d+)["']""")


class SheetXml:
    def __init__(self, text: str) -> None:
        self.root = root_tag(text, "worksheet")
        self.root_attrs = attrs_of(self.root.group(3))
        if text.count("<sheetData") != 1:
            raise NotHandled("no single <sheetData>")
        sd = TAG.match(text, text.index("<sheetData"))
        end = text.rstrip()
        if sd is None or sd.group(2) != "sheetData" or not end.endswith("</worksheet>"):
            raise NotHandled("sheet structure")
        if sd.group(4):
            self.data, after = "", sd.end()
        else:
            close = text.index("</sheetData>", sd.end())
            self.data, after = text[sd.end():close], close + len("</sheetData>")
        self.elements = [*split_children(text, self.root.end(), sd.start()),
                         Element("sheetData", None),
                         *split_children(text, after, len(end) - len("</worksheet>"))]
        self.text = text
        self.rows: dict[int, Row] = {}
        self._spans: dict[int, tuple[int, int]] | None = None  # row -> where it is in `data`
        self.changed = False
        self.cleared = False

    # ------------------------------------------------------------------ elements

    def element(self, name: str) -> Element | None:
        found = [e for e in self.elements if e.name == name]
        if len(found) > 1:
            raise NotHandled(f"<{name}> more than once")
        return found[0] if found else None

    def put_element(self, name: str, text: str | None) -> None:
        """Replace, insert (in schema order) or, with None, remove a child of the root."""
        self.changed = True
        old = self.element(name)
        if old is None:
            if text is not None:
                self._insert(Element(name, text))
        elif text is None:
            self.elements.remove(old)
        else:
            old.text = text

    def _insert(self, element: Element) -> None:
        if any(e.name not in ORDER for e in self.elements):
            raise NotHandled("an element of unknown place")
        rank = ORDER.index(element.name)
        at = next((n for n, e in enumerate(self.elements) if ORDER.index(e.name) > rank),
                  len(self.elements))
        self.elements.insert(at, element)

    # ------------------------------------------------------------------ rows and cells

    def _index(self) -> dict[int, tuple[int, int]]:
        if self._spans is None:
            spans: dict[int, tuple[int, int]] = {}
            last, pos = 0, 0
            for m in ROW.finditer(self.data):
                if m.start() < pos or self.data[pos:m.start()].strip():
                    raise NotHandled("something between rows")
                found = _ROW_NUMBER.search(m.group(1))
                r = found.group(1) if found else ""
                if not r.isdigit() or int(r) <= last:
                    raise NotHandled("rows without numbers, or out of order")
                last = int(r)
                if m.group(2):
                    pos = m.end()
                else:
                    pos = self.data.find("</row>", m.end())
                    if pos < 0:
                        raise NotHandled("an unclosed row")
                    pos += len("</row>")
                spans[last] = (m.start(), pos)
            if self.data[pos:].strip():
                raise NotHandled("something after the rows")
            self._spans = spans
        return self._spans

    def row(self, r: int, create: bool = False) -> Row | None:
        found = self.rows.get(r)
        if found is not None:
            return found
        span = self._index().get(r)
        if span is None:
            if not create:
                return None
            found = Row({"r": str(r)}, {}, None)
        else:
            found = parse_row(self.data[span[0]:span[1]], r)
        self.rows[r] = found
        return found

    def cell(self, r: int, c: int, create: bool = False) -> Cell | None:
        if not (1 <= r <= MAX_ROW and 1 <= c <= MAX_COL):
            raise NotHandled("outside the sheet")
        row = self.row(r, create)
        if row is None:
            return None
        found = row.cells.get(c)
        if found is None and create:
            found = row.cells[c] = Cell({"r": f"{column_letter(c)}{r}"}, None)
            row.text = None
        return found

    def style_of(self, r: int, c: int) -> int | None:
        found = self.cell(r, c)
        return None if found is None else found.style

    def set_style(self, r: int, c: int, style: int) -> None:
        found = self.cell(r, c, create=style != 0)
        if found is None or found.style == style:
            return
        attrs = {k: v for k, v in found.attrs.items() if k != "s"}
        found.attrs = {"r": attrs.pop("r"), "s": str(style), **attrs}
        self._touched(r)

    def read_value(self, r: int, c: int, shared: Callable[[int], str],
                   is_date: Callable[[int], bool]) -> Any:
        """The cell's value as openpyxl loads it (for the compare-and-set of `expected`)."""
        found = self.cell(r, c)
        if found is None:
            return None
        writable(found)
        return loaded_value(found, shared, is_date)

    def set_value(self, r: int, c: int, value: Value) -> None:
        kind, inner = cell_content(value)
        found = self.cell(r, c, create=kind is not None or inner is not None)
        if found is None:
            return
        writable(found)
        if inner == found.inner and kind == found.attrs.get("t"):
            return
        found.attrs.pop("t", None)
        if kind is not None:
            found.attrs["t"] = kind
        found.inner = inner
        self._touched(r)

    def _touched(self, r: int) -> None:
        self.rows[r].text = None
        self.changed = True

    def clear(self) -> None:
        """Wipe values and formats: a sheet as openpyxl creates it, printing as before."""
        names = {e.name for e in self.elements}
        if names - set(_KEPT_ON_CLEAR) - set(_DROPPED_ON_CLEAR):
            raise NotHandled("a cleared sheet holding more than values and formats")
        setup = self.element("pageSetup")
        if setup is not None and ":id=" in (setup.text or ""):
            raise NotHandled("printer settings")
        view = self.element("sheetViews")
        selected = view is not None and re.search(r'<sheetView\b[^>]*\btabSelected="(1|true)"',
                                                  view.text or "")
        self.elements = [e for e in self.elements if e.name in _KEPT_ON_CLEAR]
        self._insert(Element("sheetData", None))
        self.put_element("sheetViews", '<sheetViews><sheetView{} workbookViewId="0">'
                         '<selection activeCell="A1" sqref="A1"/></sheetView></sheetViews>'
                         .format(' tabSelected="1"' if selected else ""))
        self.put_element("dimension", '<dimension ref="A1:A1"/>')
        self.data, self._spans, self.rows, self.cleared = "", {}, {}, True

    # ------------------------------------------------------------------ view and columns

    def merged(self) -> list[CellRange]:
        found = self.element("mergeCells")
        out = []
        for m in re.finditer(r'<mergeCell\b[^>]*\bref="([^"]+)"', (found.text or "") if found else ""):
            first, _, last = m.group(1).partition(":")
            (top, left), (bottom, right) = parse_ref(first), parse_ref(last or first)
            out.append(CellRange(top, left, bottom, right))
        return out

    def freeze(self, rows: int) -> None:
        """openpyxl's `freeze_panes = A{rows + 1}` (0: no frozen rows) on the first view."""
        view = self.element("sheetViews")
        text = view.text if view is not None else None
        m = re.search(r"<sheetView\b[^>]*?(/?)>", text or "")
        if text is None or m is None or m.group(1):
            raise NotHandled("no sheet view to freeze")
        end = text.find("</sheetView>", m.end())
        body = text[m.end():end]
        if end < 0 or re.search(r"<\w+:", body):
            raise NotHandled("a sheet view of unknown content")
        body = re.sub(r"<pane\b[^>]*/>", "", body, count=1)
        if rows:
            selection = re.search(r"<selection\b([^>]*?)/>", body)
            if selection is None:
                raise NotHandled("a view without a selection")
            sel = {k: v for k, v in attrs_of(selection.group(1)).items() if k != "pane"}
            sel = {"pane": "bottomLeft", **sel}
            body = (body[:selection.start()] + f"<selection{format_attrs(sel)}/>"
                    + body[selection.end():])
            body = (f'<pane ySplit="{rows}" topLeftCell="A{rows + 1}" activePane="bottomLeft" '
                    f'state="frozen"/>' + body)
        new = text[:m.end()] + body + text[end:]
        if new != text:
            self.put_element("sheetViews", new)

    def set_widths(self, widths: dict[int, float]) -> None:
        """Set column widths (in Excel's character units), as openpyxl's column_dimensions."""
        cols = self.element("cols")
        entries: dict[int, dict[str, str]] = {}
        for m in re.finditer(r"<col\b([^>]*?)(/?)>", (cols.text or "") if cols else ""):
            attrs = attrs_of(m.group(1))
            low, high = int(attrs.get("min", "0")), int(attrs.get("max", "0"))
            if not m.group(2) or low < 1 or high < low or low in entries:
                raise NotHandled("column entries")
            if low != high and any(low <= c <= high for c in widths):
                raise NotHandled("a width inside a range of columns")
            entries[low] = attrs
        for c, width in widths.items():
            attrs = entries.setdefault(c, {"min": str(c), "max": str(c)})
            attrs.update(width=safe_string(width), customWidth="1")
        body = "".join(f"<col{format_attrs(entries[c])}/>" for c in sorted(entries))
        text = f"<cols>{body}</cols>" if body else None
        if text != (cols.text if cols else None):
            self.put_element("cols", text)

    # ------------------------------------------------------------------ notes' drawing

    def legacy_drawing(self) -> str | None:
        """The relationship id of the sheet's legacy (VML) drawing."""
        found = self.element("legacyDrawing")
        if found is None:
            return None
        m = TAG.match(found.text or "")
        attrs = attrs_of(m.group(3)) if m else {}
        for name, value in attrs.items():
            prefix, _, local = name.rpartition(":")
            if local == "id" and prefix and REL_NS in (
                    attrs.get(f"xmlns:{prefix}"), self.root_attrs.get(f"xmlns:{prefix}")):
                return value
        raise NotHandled("a legacy drawing without its relationship")

    def set_legacy_drawing(self, rid: str | None) -> None:
        if rid is None:
            self.put_element("legacyDrawing", None)
            return
        prefix = prefix_for(self.root_attrs, REL_NS)
        declare = "" if prefix else f' xmlns:r="{REL_NS}"'
        self.put_element("legacyDrawing", f'<legacyDrawing{declare} {prefix or "r"}:id="{rid}"/>')

    # ------------------------------------------------------------------ writing

    def _dimension(self) -> None:
        found = self.element("dimension")
        if found is None or not self.rows:
            return
        m = re.search(r'\bref="([A-Z]+\d+)(?::([A-Z]+\d+))?"', found.text or "")
        if m is None:
            return
        old = f"{m.group(1)}:{m.group(2) or m.group(1)}"
        corners = [] if self.cleared else [parse_ref(m.group(1)), parse_ref(m.group(2) or m.group(1))]
        corners += [(r, c) for r, row in self.rows.items() for c, cell in row.cells.items()
                    if cell.inner or "s" in cell.attrs]
        rows, cols = [r for r, _ in corners] or [1], [c for _, c in corners] or [1]
        ref = f"{column_letter(min(cols))}{min(rows)}:{column_letter(max(cols))}{max(rows)}"
        if ref != old:
            self.put_element("dimension", f'<dimension ref="{ref}"/>')

    def to_text(self) -> str:
        self._dimension()
        index = self._index()
        starts = sorted(index)
        parts, pos = [], 0
        for r in sorted(self.rows):
            span = index.get(r)
            if span is None:  # a new row: before the first one below it
                below = bisect.bisect_right(starts, r)
                at = index[starts[below]][0] if below < len(starts) else len(self.data)
                span = (at, at)
            parts += [self.data[pos:span[0]], self.rows[r].xml()]
            pos = span[1]
        rows_text = "".join(parts) + self.data[pos:]
        out = [self.text[:self.root.end()]]
        for e in self.elements:
            if e.name == "sheetData":
                out.append(f"<sheetData>{rows_text}</sheetData>" if rows_text else "<sheetData/>")
            else:
                out.append(e.text or "")
        out.append("</worksheet>")
        return "".join(out)
