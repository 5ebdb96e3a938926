"""The differential oracle of tests/local/test_local_xml_patch.py: the openpyxl path of a write,
what a user sees of a workbook, and a workbook made to look as Excel saves it."""

from __future__ import annotations

import io
import re
import warnings
import zipfile
from typing import Any

from openpyxl import load_workbook

from sheets_sync.adapters.local.xlsx import SERVICE_NAME, xml_patch
from sheets_sync.adapters.local.xlsx.errors import NotHandled
from sheets_sync.adapters.local.xlsx.values import read_values
from sheets_sync.adapters.local.xlsx.xlsx_render import render
from sheets_sync.domain.patch import WorkbookPatch
from sheets_sync.ports import ALL_SHEETS

# --------------------------------------------------------------------------- the oracle


def slow(data: bytes, patch: WorkbookPatch) -> bytes:
    """The openpyxl path of `xlsx.write`, plainly: load, render, save."""
    wb = load_workbook(io.BytesIO(data))
    render(wb, patch)
    wb.properties.lastModifiedBy = SERVICE_NAME
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _color(c: Any) -> Any:
    return None if c is None else (c.type, c.value, c.tint)


def _cell(cell: Any) -> tuple[Any, ...]:
    f, fill, a, note = cell.font, cell.fill, cell.alignment, cell.comment
    return (cell.value, cell.data_type, f.name, f.sz, f.b, f.i, f.u, f.strike, _color(f.color),
            fill.fill_type, _color(getattr(fill, "fgColor", None)), a.wrap_text, a.horizontal,
            a.vertical, cell.number_format, cell.protection.locked,
            (note.text, note.author) if note else None)


def _opened(data: bytes) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # opens without a single warning
        return load_workbook(io.BytesIO(data))


def assert_same_for_the_user(fast: bytes, reference: bytes) -> None:
    a, b = _opened(fast), _opened(reference)
    assert [(s.title, s.sheet_state) for s in a.worksheets] == [
        (s.title, s.sheet_state) for s in b.worksheets]
    assert bool(a.security and a.security.lockStructure) and bool(b.security.lockStructure)
    assert a.properties.lastModifiedBy == b.properties.lastModifiedBy == SERVICE_NAME
    for wa, wb in zip(a.worksheets, b.worksheets, strict=True):
        assert wa.freeze_panes == wb.freeze_panes, wa.title
        widths = [{k: d.width for k, d in w.column_dimensions.items() if d.customWidth}
                  for w in (wa, wb)]
        assert widths[0] == widths[1], wa.title
        cells = {(c.row, c.column) for w in (wa, wb) for row in w.iter_rows() for c in row
                 if c.value is not None or c.has_style or c.comment}
        for r, c in sorted(cells):
            assert _cell(wa.cell(r, c)) == _cell(wb.cell(r, c)), (wa.title, r, c)
    # the project's own fast reader reads both alike
    assert repr(read_values(io.BytesIO(fast), (ALL_SHEETS,))) == repr(
        read_values(io.BytesIO(reference), (ALL_SHEETS,)))


def assert_fast_and_same(data: bytes, patch: WorkbookPatch) -> bytes:
    try:
        fast = xml_patch.write_in_place(data, patch)
    except NotHandled as exc:
        raise AssertionError(f"the fast write fell back: {exc}") from exc
    assert_same_for_the_user(fast, slow(data, patch))
    return fast


def excel_style(data: bytes) -> bytes:
    """The workbook as Excel saves it: shared strings, declarations and extension namespaces
    on every part, row spans, rich-text notes, no workbook protection yet."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        parts = {n: z.read(n).decode() for n in z.namelist()}
    strings: list[str] = []
    decl = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
    ext = ('xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
           'mc:Ignorable="x14ac xr" '
           'xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac" '
           'xmlns:xr="http://schemas.microsoft.com/office/spreadsheetml/2014/revision"')
    main = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'

    def share(m: re.Match[str]) -> str:
        strings.append(f"<si><t{m.group(2)}>{m.group(3)}</t></si>")
        return f'<c{m.group(1)} t="s"><v>{len(strings) - 1}</v></c>'

    for name in [n for n in parts if n.startswith("xl/worksheets/sheet")]:
        text = re.sub(r'<c([^>]*?) t="inlineStr"><is><t((?: xml:space="preserve")?)>(.*?)</t></is></c>',
                      share, parts[name])
        text = re.sub(r"<worksheet\b[^>]*>", f'<worksheet {main} {rel} {ext} '
                      f'xr:uid="{{00000000-0001-0000-0000-000000000000}}">', text, count=1)
        parts[name] = decl + re.sub(r'<row r="(\d+)"', r'<row r="\1" spans="1:13" '
                                    r'x14ac:dyDescent="0.25"', text)
    parts["xl/sharedStrings.xml"] = (decl + f'<sst {main} count="{len(strings)}" '
                                     f'uniqueCount="{len(strings)}">{"".join(strings)}</sst>')
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        "</Relationships>", '<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
        "</Relationships>")
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        "</Types>", '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
    styles = re.sub(r"<styleSheet\b[^>]*>", f"<styleSheet {main} {ext}>", parts["xl/styles.xml"])
    parts["xl/styles.xml"] = decl + styles.replace("<fonts ", '<fonts x14ac:knownFonts="1" ', 1)
    book = re.sub(r"<workbook\b[^>]*>", f"<workbook {main} {rel} {ext}>", parts["xl/workbook.xml"])
    book = re.sub(r"<workbookProtection[^>]*/>", "", book).replace(
        "<bookViews>", '<mc:AlternateContent><mc:Choice Requires="x15"><x15ac:absPath '
        'xmlns:x15ac="http://schemas.microsoft.com/office/spreadsheetml/2010/11/ac" '
        'url="C:\\Kerja\\"/></mc:Choice></mc:AlternateContent><xr:revisionPtr '
        'revIDLastSave="0" documentId="8_{1}"/><bookViews>')
    parts["xl/workbook.xml"] = decl + book
    for name in [n for n in parts if n.startswith("xl/comments")]:
        parts[name] = decl + re.sub(  # Excel's notes are runs of formatted text
            r"<text><t([^>]*)>(.*?)</t></text>",
            r'<text><r><rPr><sz val="9"/><rFont val="Tahoma"/></rPr><t\1>\2</t></r></text>',
            parts[name], flags=re.S)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            z.writestr(name, text.encode())
    return out.getvalue()
