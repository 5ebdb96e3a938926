"""Reading cell values out of an .xlsx file quickly, for the local store's reads.

openpyxl's read-only mode builds a cell object (with its style) for every cell; reading 80
filled worksheets took most of `sync validate` (issue 12). The flows need only the values,
as openpyxl's `iter_rows(values_only=True)` with `data_only=True` gives them: shared and
inline strings, numbers (int when written without a point or exponent), booleans, error
codes as text, the cached result of a formula, and numbers in a date or time format as
`datetime`/`time`/`timedelta`. This reads the sheet XML once, by pattern where it is written
plainly (`cell_scan`), else with the C parser, and returns the same grid. Anything unexpected
falls back to openpyxl (`NotHandled`).
"""

from __future__ import annotations

import contextlib
import io
import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from typing import Any
from xml.etree.ElementTree import ParseError, XMLParser, iterparse

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
from openpyxl.utils.cell import column_index_from_string
from openpyxl.utils.datetime import (
    CALENDAR_MAC_1904,
    CALENDAR_WINDOWS_1900,
    from_excel,
    from_ISO8601,
)

from sheets_sync.adapters.local.xlsx.cell_scan import scan_cells
from sheets_sync.adapters.local.xlsx.errors import NotHandled
from sheets_sync.domain.numbers import CurrencyValue, PercentValue
from sheets_sync.ports import ALL_SHEETS

NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"


DIGITS = "0123456789"


# What reading a package that is damaged or not as expected raises, besides `NotHandled`
UNREADABLE = (zipfile.BadZipFile, KeyError, ValueError, ParseError, OSError, EOFError,
              zlib.error, NotHandled)


def _xml(zf: zipfile.ZipFile, name: str) -> Any:
    from xml.etree.ElementTree import fromstring

    return fromstring(zf.read(name), parser=XMLParser())


def _sheet_paths(zf: zipfile.ZipFile) -> tuple[dict[str, str], bool]:
    wb = _xml(zf, "xl/workbook.xml")
    pr = wb.find(f"{NS}workbookPr")
    date1904 = pr is not None and pr.get("date1904") in ("1", "true")
    return {name: part for name, (part, _kind) in sheet_parts(zf, wb).items()}, date1904


def sheet_parts(zf: zipfile.ZipFile, workbook: Any = None) -> dict[str, tuple[str, str]]:
    """Sheet name -> (its part in the package, its relationship type: a worksheet's or a
    chart sheet's), in the workbook's order. `workbook`: xl/workbook.xml, already parsed."""
    wb = workbook if workbook is not None else _xml(zf, "xl/workbook.xml")
    rels = _xml(zf, "xl/_rels/workbook.xml.rels")
    by_id = {r.get("Id"): r for r in rels.iter(f"{PKG_REL_NS}Relationship")}
    out = {}
    for sheet in wb.iter(f"{NS}sheet"):
        rel = by_id.get(sheet.get(f"{REL_NS}id"))
        target = rel.get("Target") if rel is not None else None
        if rel is None or not target:
            raise NotHandled("sheet without a target")
        path = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
        out[sheet.get("name") or ""] = (posixpath.normpath(path), rel.get("Type") or "")
    return out


def element_text(node: Any) -> str:
    """A string item's text as openpyxl gives it: the plain text, then every run's (not
    the phonetic hints)."""
    parts = []
    plain = node.find(f"{NS}t")
    if plain is not None and plain.text is not None:
        parts.append(plain.text)
    for run in node.findall(f"{NS}r"):
        t = run.find(f"{NS}t")
        if t is not None and t.text is not None:
            parts.append(t.text)
    return "".join(parts)


def _shared_strings(zf: zipfile.ZipFile) -> list[str]:
    if "xl/sharedStrings.xml" not in zf.namelist():
        return []
    root = _xml(zf, "xl/sharedStrings.xml")
    return [element_text(si).replace("x005F_", "") for si in root.iter(f"{NS}si")]


_QUOTED = re.compile(r'"[^"]*"|\\.')  # literal text in a number format: "%" or \% shows a sign only
_LOCALE_TAG = re.compile(r"\[\$-[0-9A-Fa-f]+\]")  # [$-421]: a locale, no currency symbol
_MONEY = re.compile(r"rp|idr|[$€£¥]", re.IGNORECASE)


def number_kind(fmt: str | None) -> str | None:
    """What a number format says about the number a section sees: "percent" (Excel and
    LibreOffice store `87,5%` as 0.875 with the format `0.0%`), "currency" (`[$Rp-421]#,##0`),
    else None."""
    if not fmt:
        return None
    if "%" in fmt and "%" in _QUOTED.sub("", fmt):
        return "percent"
    if _MONEY.search(_LOCALE_TAG.sub("", fmt)):
        return "currency"
    return None


def as_seen(value: Any, fmt: str | None) -> Any:
    """A number as the section sees it: the percentage a percent format shows, or an amount
    of money; anything else as it is."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        kind = number_kind(fmt)
        if kind == "percent":
            return PercentValue.from_fraction(value)
        if kind == "currency":
            return CurrencyValue(value)
    return value


def _number_styles(zf: zipfile.ZipFile) -> dict[int, str | bool]:
    """Style index -> for a date/time style whether it is a duration (bool), else the number
    format's code when it is a percent or money format; other styles are left out."""
    if "xl/styles.xml" not in zf.namelist():
        return {}
    root = _xml(zf, "xl/styles.xml")
    custom = {int(f.get("numFmtId")): f.get("formatCode") or ""
              for f in root.iter(f"{NS}numFmt")}
    out: dict[int, str | bool] = {}
    xfs = root.find(f"{NS}cellXfs")
    for n, xf in enumerate(xfs.iter(f"{NS}xf") if xfs is not None else []):
        fid = int(xf.get("numFmtId") or 0)
        code = custom.get(fid, BUILTIN_FORMATS.get(fid, "General"))
        if is_date_format(code):
            out[n] = is_timedelta_format(code)
        elif number_kind(code):
            out[n] = code
    return out


def xml_number(text: str) -> int | float:
    if "." in text or "E" in text or "e" in text:
        return float(text)
    return int(text)


def read_values(path: Any, sheets: tuple[str, ...], *,
                scan: bool = True) -> dict[str, list[list[Any]]]:
    """The untrimmed values grid of each of `sheets` that the file has (`scan`: cells found
    by pattern where they can be, else all by the XML parser)."""
    with zipfile.ZipFile(path) as zf:
        paths, date1904 = _sheet_paths(zf)
        wanted = list(paths) if ALL_SHEETS in sheets else [s for s in sheets if s in paths]
        if not wanted:
            return {}
        strings = _shared_strings(zf)
        dates = _number_styles(zf)
        epoch = CALENDAR_MAC_1904 if date1904 else CALENDAR_WINDOWS_1900
        return {title: _sheet(zf, paths[title], strings, dates, epoch, scan) for title in wanted}


def _sheet(zf: zipfile.ZipFile, name: str, strings: list[str], dates: dict[int, str | bool],
           epoch: Any, scan: bool = True) -> list[list[Any]]:
    data = zf.read(name)
    cells = None
    if scan:  # most sheets: found by pattern, several times faster (cell_scan)
        with contextlib.suppress(NotHandled):
            cells = _placed(scan_cells(data), strings, dates, epoch)
    if cells is None:
        cells = _placed(_parsed_cells(data), strings, dates, epoch)
    if not cells:
        return []
    last_row = max(cells)
    width = max(max(r) for r in cells.values())
    grid = []
    for r in range(1, last_row + 1):
        found = cells.get(r)
        grid.append([found.get(c) for c in range(1, width + 1)] if found else [None] * width)
    return grid


RawCell = tuple[str, "str | None", str, "str | None"]  # as cell_scan.scan_cells gives them


def _parsed_cells(data: bytes) -> Iterator[RawCell]:
    """The cells as `scan_cells` gives them, by the XML parser (any document)."""
    c_tag, v_tag, is_tag = f"{NS}c", f"{NS}v", f"{NS}is"
    for _event, el in iterparse(io.BytesIO(data), events=("end",)):
        if el.tag != c_tag:
            if el.tag == f"{NS}row":
                el.clear()
            continue
        ref = el.get("r")
        if not ref:
            raise NotHandled("a cell without its reference")
        kind = el.get("t", "n")
        if kind == "inlineStr":
            node = el.find(is_tag)
            text = element_text(node) if node is not None else None
        else:
            text = el.findtext(v_tag)
        yield ref, el.get("s"), kind, text


def _placed(raw: Iterable[RawCell], strings: list[str], dates: dict[int, str | bool],
            epoch: Any) -> dict[int, dict[int, Any]]:
    """Row -> column -> value of the cells that hold one."""
    cells: dict[int, dict[int, Any]] = {}
    columns: dict[str, int] = {}
    for ref, style, kind, text in raw:
        if kind == "inlineStr":
            value: Any = text
        else:
            value = text or None
            if value is None:
                pass
            elif kind == "n":
                value = xml_number(value)
                number_style = dates.get(int(style or 0))
                if isinstance(number_style, str):
                    value = as_seen(value, number_style)
                elif number_style is not None:
                    try:
                        value = from_excel(value, epoch, timedelta=number_style)
                    except (OverflowError, ValueError):
                        value = "#VALUE!"
            elif kind == "s":
                value = strings[int(value)]
            elif kind == "b":
                value = bool(int(value))
            elif kind == "d":
                value = from_ISO8601(value)
            elif kind not in ("str", "e"):
                raise NotHandled(f"cell type {kind}")
        if value is not None:
            letters = ref.rstrip(DIGITS)
            col = columns.get(letters)
            if col is None:
                col = columns[letters] = column_index_from_string(letters)
            row = int(ref[len(letters):])
            found = cells.get(row)
            if found is None:
                found = cells[row] = {}
            found[col] = value
    return cells
