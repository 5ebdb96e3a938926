"""The fast write of a `WorkbookPatch` into an .xlsx file: the package edited in place.

An openpyxl load and save of a section workbook costs about a tenth of a second, most of
`sync validate`'s time for 80 sections. The feedback it writes touches a few dozen cells, so
here the zip is opened, the sheet XML of the cells the patch names, styles.xml, the notes
and the workbook part are edited as text, and every other member is copied unchanged.

The result is what `xlsx_render.render` and an openpyxl save give the user (the same
values, formats, notes, views, widths, states and workbook protection). Anything this does
not handle with certainty raises `NotHandled`, and the front door uses openpyxl as before:
a new sheet, deleted sheets, validations, protection, appended rows, charts, a value over a
formula, rich text or a date where a value goes, merged cells, a part it cannot parse, ...
"""

from __future__ import annotations

import dataclasses
import io
import logging
import re
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from xml.etree.ElementTree import fromstring

from openpyxl.styles.numbers import is_date_format

from sheets_sync.adapters.local.xlsx import sheet_setup
from sheets_sync.adapters.local.xlsx.errors import NotHandled
from sheets_sync.adapters.local.xlsx.notes import SERVICE_NAME
from sheets_sync.adapters.local.xlsx.values import element_text
from sheets_sync.adapters.local.xlsx.xlsx_render import same_value
from sheets_sync.adapters.local.xlsx.xml_cells import MAX_COL, MAX_ROW
from sheets_sync.adapters.local.xlsx.xml_notes import SheetNotes
from sheets_sync.adapters.local.xlsx.xml_parts import (
    NS,
    REL_NS,
    TAG,
    ContentTypes,
    Rels,
    attrs_of,
    checked_text,
    format_attrs,
    prefix_for,
    root_tag,
)
from sheets_sync.adapters.local.xlsx.xml_sheet import SheetXml
from sheets_sync.adapters.local.xlsx.xml_styles import Styles, XfKey
from sheets_sync.domain.patch import CellRange, SheetPatch, WorkbookPatch

log = logging.getLogger(__name__)

CORE_NS = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
DCTERMS_NS = "http://purl.org/dc/terms/"
FORMAT_LIMIT = 200_000  # cells one format may cover before openpyxl is as good
PROTECTED = '<workbookProtection lockStructure="1"/>'  # what render() sets


def write_in_place(data: bytes, patch: WorkbookPatch) -> bytes:
    """The workbook `data` with `patch` written in; `NotHandled` when openpyxl must do it."""
    if not handles(patch):
        raise NotHandled("the patch asks for more")
    try:
        return _Package(data).apply(patch)
    except Exception as exc:  # anything unforeseen: the openpyxl path decides, as before
        log.debug("fast write not used: %s: %s", type(exc).__name__, exc)
        raise NotHandled(str(exc)) from exc


def handles(patch: WorkbookPatch) -> bool:
    """Whether the patch asks only for what the fast write does (the file may still not be)."""
    titles = [s.title for s in patch.sheets]
    return not patch.delete_sheets and len(set(titles)) == len(titles) and not any(
        s.validations or s.protection is not None or s.append_rows or s.charts
        or (s.presents and not _heights_only(s)) for s in patch.sheets)


def _heights_only(s: SheetPatch) -> bool:
    """Of the presentation, only row heights (the feedback's Validasi sheet): done here."""
    return bool(s.row_heights) and not dataclasses.replace(s, row_heights={}).presents


@dataclass
class _Sheet:
    name: str
    state: str  # visible, hidden, veryHidden
    part: str | None  # None: a chart sheet, or a sheet without its part


class _Package:
    def __init__(self, data: bytes) -> None:
        self.zip = zipfile.ZipFile(io.BytesIO(data))
        self.infos = self.zip.infolist()
        self.names = {i.filename for i in self.infos}
        if len(self.names) != len(self.infos) or any(i.flag_bits & 1 for i in self.infos):
            raise NotHandled("duplicate or encrypted members")
        self.out: dict[str, bytes | None] = {}
        self.root_rels = Rels(self.read("_rels/.rels"), "")
        office = self.root_rels.of_type("/officeDocument")
        if len(office) != 1 or self.root_rels.part(office[0]) != "xl/workbook.xml":
            raise NotHandled("workbook part")
        self.wb_text = checked_text(self._need("xl/workbook.xml"))
        root_tag(self.wb_text, "workbook")
        self.wb_rels = Rels(self.read("xl/_rels/workbook.xml.rels"), "xl/workbook.xml")
        tree = fromstring(self.wb_text)
        self.sheets: list[_Sheet] = []
        listed = tree.find(f"{NS}sheets")
        for el in listed if listed is not None else []:
            rel = self.wb_rels.get(el.get(f"{{{REL_NS}}}id", ""))
            part = self.wb_rels.part(rel) if rel and rel.type == f"{REL_NS}/worksheet" else None
            self.sheets.append(_Sheet(el.get("name", ""), el.get("state") or "visible", part))
        view = tree.find(f"{NS}bookViews/{NS}workbookView")
        self.active = int(view.get("activeTab") or 0) if view is not None else 0
        self.states_changed = False
        self.sheet_xml: dict[str, SheetXml] = {}
        self.rels: dict[str, Rels] = {}
        self._styles: Styles | None = None
        self._strings: list[str | None] | None = None
        self._types: ContentTypes | None = None

    # ------------------------------------------------------------------ parts

    def read(self, name: str) -> bytes | None:
        if name in self.out:
            return self.out[name]
        return self.zip.read(name) if name in self.names else None

    def _need(self, name: str) -> bytes:
        data = self.read(name)
        if data is None:
            raise NotHandled(f"{name} missing")
        return data

    def write(self, name: str, data: bytes | None) -> None:
        self.out[name] = data

    def _part(self, suffix: str) -> str:
        found = self.wb_rels.of_type(suffix)
        if len(found) != 1:
            raise NotHandled(f"no single {suffix} part")
        return self.wb_rels.part(found[0])

    @property
    def styles(self) -> Styles:
        if self._styles is None:
            self._styles = Styles(checked_text(self._need(self._part("/styles"))))
        return self._styles

    @property
    def types(self) -> ContentTypes:
        if self._types is None:
            self._types = ContentTypes(self._need("[Content_Types].xml"))
        return self._types

    def _sheet(self, part: str) -> SheetXml:
        if part not in self.sheet_xml:
            self.sheet_xml[part] = SheetXml(checked_text(self._need(part)))
            self.rels[part] = Rels(self.read(Rels(None, part).path), part)
        return self.sheet_xml[part]

    def shared_string(self, n: int) -> str:
        if self._strings is None:
            root = fromstring(checked_text(self._need(self._part("/sharedStrings"))))
            self._strings = [None if si.find(f"{NS}r") is not None
                             else element_text(si).replace("x005F_", "") for si in root.iter(f"{NS}si")]
        found = self._strings[n]
        if found is None:
            raise NotHandled("rich text")
        return found

    def is_date(self, style: int) -> bool:
        return style != 0 and is_date_format(self.styles.number_format(style))

    # ------------------------------------------------------------------ the patch

    def apply(self, patch: WorkbookPatch) -> bytes:
        for sp in patch.sheets:
            sheet = next((s for s in self.sheets if s.name == sp.title), None)
            if sheet is None or sheet.part is None:
                raise NotHandled(f"no worksheet {sp.title!r} yet")
            self._apply_sheet(sheet, sheet.part, sp)
        for part, ws in self.sheet_xml.items():
            if ws.changed:
                self.write(part, ws.to_text().encode("utf-8"))
            rels = self.rels[part]
            if rels.changed:
                self.write(rels.path, rels.to_bytes() if rels.items else None)
        if self._styles is not None and self._styles.changed:
            self.write(self._part("/styles"), self._styles.to_text().encode("utf-8"))
        if self._types is not None and self._types.changed:
            self.write("[Content_Types].xml", self._types.to_bytes())
        self._write_workbook()
        self._write_core()
        return self._zipped()

    def _apply_sheet(self, sheet: _Sheet, part: str, sp: SheetPatch) -> None:
        ws = self._sheet(part)
        if sp.clear:
            if self.rels[part].items:
                raise NotHandled("a cleared sheet with related parts")
            if "xl/calcChain.xml" in self.names and "<f" in ws.data:
                raise NotHandled("a cleared sheet with formulas in the calculation chain")
            ws.clear()
        merged = ws.merged()

        def check(rng: CellRange) -> None:
            if any(m.top <= rng.bottom and rng.top <= m.bottom and m.left <= rng.right
                   and rng.left <= m.right for m in merged):
                raise NotHandled("merged cells")

        for (r, c), value in sp.values.items():
            check(CellRange.cell(r, c))
            # read first: a formula, rich text or a date there is openpyxl's to replace
            now = ws.read_value(r, c, self.shared_string, self.is_date)
            if (r, c) in sp.expected and not same_value(now, sp.expected[(r, c)]):
                continue  # changed since the flow read it: the section's value stays
            ws.set_value(r, c, value)
        self._format(ws, sp, check)
        if sp.clear_notes or sp.notes:
            notes = SheetNotes(self.read, ws, self.rels[part])
            for rng in sp.clear_notes:
                notes.clear(rng)
            for cell, text in sp.notes.items():
                check(CellRange.cell(*cell))
                notes.set(cell, text)
            notes.save(self.names | set(self.out), self.write, self.types)
        if sp.hidden is not None:
            self._set_state(sheet, sheet_setup.state(sp.hidden), ws)
        if sp.frozen_rows is not None:
            ws.freeze(sp.frozen_rows)
        for r, pixels in sp.row_heights.items():
            # as openpyxl writes row_dimensions[r].height: ht in points, customHeight
            row = ws.row(r, create=True) if 1 <= r <= MAX_ROW else None
            if row is None:
                raise NotHandled("a row outside the sheet")
            row.attrs["ht"] = str(sheet_setup.row_height(pixels))
            row.attrs["customHeight"] = "1"
            ws._touched(r)
        if sp.column_widths:
            if not all(1 <= c <= MAX_COL for c in sp.column_widths):
                raise NotHandled("a column outside the sheet")
            ws.set_widths({c: sheet_setup.column_width(px) for c, px in sp.column_widths.items()})

    def _format(self, ws: SheetXml, sp: SheetPatch,
                check: Callable[[CellRange], None]) -> None:
        if not sp.formats:
            return
        styles = self.styles
        start: dict[tuple[int, int], XfKey] = {}
        now: dict[tuple[int, int], XfKey] = {}
        for rng, fmt in sp.formats:
            if (rng.bottom - rng.top + 1) * (rng.right - rng.left + 1) > FORMAT_LIMIT:
                raise NotHandled("a format over a very large range")
            check(rng)
            for r in range(rng.top, rng.bottom + 1):
                for c in range(rng.left, rng.right + 1):
                    key = now.get((r, c))
                    if key is None:
                        key = start[(r, c)] = styles.key_of(ws.style_of(r, c))
                    now[(r, c)] = styles.formatted(key, fmt)
        for cell, key in now.items():
            if key != start[cell]:
                ws.set_style(*cell, styles.index_of(key))

    def _set_state(self, sheet: _Sheet, state: str, ws: SheetXml) -> None:
        """Hide or show a sheet; never the one in view, nor the last one visible."""
        if sheet.state == state:
            return
        if state != "visible":
            index = self.sheets.index(sheet)
            others = [s for s in self.sheets if s is not sheet and s.state == "visible"]
            view = ws.element("sheetViews")
            if index == self.active or not others or 'tabSelected="1"' in (
                    (view.text or "") if view else ""):
                raise NotHandled("hiding the sheet in view")
        sheet.state = state
        self.states_changed = True

    # ------------------------------------------------------------------ workbook and core

    def _write_workbook(self) -> None:
        text = self.wb_text
        if self.states_changed:
            block = re.search(r"<sheets\b[^>]*>(.*?)</sheets>", text, re.S)
            tags = list(_tag("sheet").finditer(block.group(1))) if block else []
            if block is None or len(tags) != len(self.sheets) or not all(t.group(2) for t in tags):
                raise NotHandled("sheet list")
            body = "".join(f"<sheet{format_attrs({**attrs_of(t.group(1)), 'state': s.state})}/>"
                           for t, s in zip(tags, self.sheets, strict=True))
            text = text[:block.start(1)] + body + text[block.end(1):]
        found = _tag("workbookProtection").search(text)
        if found is not None:
            if not found.group(2):
                raise NotHandled("workbook protection")
            if attrs_of(found.group(1)) != {"lockStructure": "1"}:
                text = text[:found.start()] + PROTECTED + text[found.end():]
        else:
            at = re.search(r"<bookViews\b|<sheets\b", text)
            if at is None:
                raise NotHandled("workbook structure")
            text = text[:at.start()] + PROTECTED + text[at.start():]
        if text != self.wb_text:
            self.write("xl/workbook.xml", text.encode("utf-8"))

    def _write_core(self) -> None:
        """`cp:lastModifiedBy` is the service, and the modified time now, as a save sets."""
        found = self.root_rels.of_type("/metadata/core-properties")
        if len(found) != 1:
            raise NotHandled("document properties")
        part = self.root_rels.part(found[0])
        text = checked_text(self._need(part))
        root = TAG.search(text)
        attrs = attrs_of(root.group(3)) if root else {}
        cp = prefix_for(attrs, CORE_NS)
        if root is None or cp is None or root.group(2) != f"{cp}:coreProperties":
            raise NotHandled("document properties")
        mine = f"<{cp}:lastModifiedBy>{SERVICE_NAME}</{cp}:lastModifiedBy>"
        last = re.search(rf"<{cp}:lastModifiedBy\s*/>|<{cp}:lastModifiedBy>[^<]*</{cp}:lastModifiedBy>",
                         text)
        if last is not None:
            text = text[:last.start()] + mine + text[last.end():]
        else:
            end = text.rindex(f"</{cp}:coreProperties>")
            text = text[:end] + mine + text[end:]
        dc = prefix_for(attrs, DCTERMS_NS)
        if dc:
            now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            text = re.sub(rf"(<{dc}:modified\b[^>]*>)[^<]*(</{dc}:modified>)",
                          lambda m: m.group(1) + now + m.group(2), text, count=1)
        self.write(part, text.encode("utf-8"))

    def _zipped(self) -> bytes:
        buf = io.BytesIO()
        stamp = time.localtime()[:6]
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
            for info in self.infos:
                name = info.filename
                if name in self.out:
                    data = self.out[name]
                    if data is None:
                        continue
                    out.writestr(_info(name, stamp, zipfile.ZIP_DEFLATED, info.external_attr), data)
                else:
                    out.writestr(_info(name, info.date_time, info.compress_type, info.external_attr),
                                 self.zip.read(name))
            for name, added in self.out.items():
                if name not in self.names and added is not None:
                    out.writestr(_info(name, stamp, zipfile.ZIP_DEFLATED, 0o600 << 16), added)
        return buf.getvalue()


def _tag(name: str) -> re.Pattern[str]:
    """A start or empty tag `name`: (attributes, "/" when empty)."""
    return re.compile(rf"""<{name}\b((?:[^>"']|"[^"]*"|'[^']*')*?)(/?)>""")


def _info(name: str, stamp: tuple[int, ...], compression: int, external: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=stamp)  # type: ignore[arg-type]
    info.compress_type = compression
    info.external_attr = external
    return info
