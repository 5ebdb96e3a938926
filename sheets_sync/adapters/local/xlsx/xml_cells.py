"""Cells of a worksheet part for the fast write (xml_sheet.py), as text.

Values are written as openpyxl writes them after xlsx_render._put: text as an inline
string, a `Formula` as a formula, text starting with "=" stays text; and read as openpyxl
loads them, for the compare-and-set of `expected`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any
from xml.etree.ElementTree import fromstring

from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.compat import safe_string

from sheets_sync.adapters.local.xlsx.errors import NotHandled
from sheets_sync.adapters.local.xlsx.values import element_text, xml_number
from sheets_sync.adapters.local.xlsx.xml_parts import MAIN_NS, attrs_of, esc_text, format_attrs
from sheets_sync.domain.patch import Formula, Value

MAX_ROW, MAX_COL = 1_048_576, 16_384
ROW = re.compile(r"""<row\b((?:[^>"']|"[^"]*"|'[^']*')*?)(/?)>""")
_CELL = re.compile(r"""<c\b((?:[^>"']|"[^"]*"|'[^']*')*?)(?:/>|>(.*?)</c>)""", re.S)
_REF = re.compile(r"([A-Z]{1,3})(\d+)")
_NOT_XML = re.compile("[\ud800-\udfff\ufffe\uffff]")


def parse_ref(ref: str) -> tuple[int, int]:
    m = _REF.fullmatch(ref)
    if m is None:
        raise NotHandled(f"cell reference {ref!r}")
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)), col


def cell_content(value: Value) -> tuple[str | None, str | None]:
    """(t attribute, children) of a cell holding `value`, as openpyxl writes it."""
    if value is None:
        return None, None
    if isinstance(value, bool):
        return "b", f"<v>{int(value)}</v>"
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            raise NotHandled("not a finite number")
        return "n", f"<v>{safe_string(value)}</v>"
    if isinstance(value, Formula):
        text, as_text = value.text, False
    elif isinstance(value, str):
        text, as_text = value, True
    else:
        raise NotHandled(f"a value of type {type(value).__name__}")
    text = checked_string(text)
    if not text:
        return "inlineStr", None  # as openpyxl writes an empty text
    if text in ERROR_CODES:
        raise NotHandled("text openpyxl turns into an error value")
    if not as_text and len(text) > 1 and text.startswith("="):
        return None, f"<f>{esc_text(text[1:])}</f><v/>"
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return "inlineStr", f"<is><t{space}>{esc_text(text)}</t></is>"


def checked_string(text: str) -> str:
    """openpyxl's limits on text: cut at 32767 characters; characters XML cannot hold are
    refused (openpyxl raises on them, so the openpyxl path decides)."""
    text = text[:32767]
    if ILLEGAL_CHARACTERS_RE.search(text) or _NOT_XML.search(text):
        raise NotHandled("characters XML cannot hold")
    return text


class Cell:
    __slots__ = ("attrs", "inner")

    def __init__(self, attrs: dict[str, str], inner: str | None) -> None:
        self.attrs = attrs  # as written (escaped)
        self.inner = inner  # the children as text; None: an empty element

    @property
    def style(self) -> int:
        return int(self.attrs.get("s", "0"))

    def xml(self) -> str:
        attrs = format_attrs(self.attrs)
        return f"<c{attrs}>{self.inner}</c>" if self.inner else f"<c{attrs}/>"


class Row:
    __slots__ = ("attrs", "cells", "text")

    def __init__(self, attrs: dict[str, str], cells: dict[int, Cell], text: str | None) -> None:
        self.attrs = attrs
        self.cells = cells  # by column, in the order read
        self.text = text  # as read; None once changed

    def xml(self) -> str:
        if self.text is not None:
            return self.text
        self.attrs.pop("spans", None)  # an optional hint, no longer right
        body = "".join(self.cells[c].xml() for c in sorted(self.cells))
        return f"<row{format_attrs(self.attrs)}>{body}</row>"


def parse_row(text: str, r: int) -> Row:
    m = ROW.match(text)
    assert m is not None
    attrs = attrs_of(m.group(1))
    cells: dict[int, Cell] = {}
    if not m.group(2):
        body = text[m.end():-len("</row>")]
        pos, last = 0, 0
        for cm in _CELL.finditer(body):
            if body[pos:cm.start()].strip():
                raise NotHandled("something in a row besides cells")
            cattrs = attrs_of(cm.group(1))
            row, col = parse_ref(cattrs.get("r", ""))
            if row != r or col <= last:
                raise NotHandled("cells out of place")
            cells[col] = Cell(cattrs, cm.group(2) or None)
            last, pos = col, cm.end()
        if body[pos:].strip():
            raise NotHandled("something in a row besides cells")
    return Row(attrs, cells, text)


def writable(cell: Cell) -> None:
    """A cell a value may go into: no formula, nothing but a value and a style."""
    if cell.inner and "<f" in cell.inner:
        raise NotHandled("a formula cell")
    if set(cell.attrs) - {"r", "s", "t"}:
        raise NotHandled("cell metadata")


def loaded_value(cell: Cell, shared: Callable[[int], str], is_date: Callable[[int], bool]) -> Any:
    """The value openpyxl loads from a cell without a formula (no rich text, no dates)."""
    if not cell.inner:
        return None
    el = fromstring(f'<c xmlns="{MAIN_NS}"{format_attrs(cell.attrs)}>{cell.inner}</c>')
    kind = el.get("t", "n")
    if kind == "inlineStr":
        node = el.find(f"{{{MAIN_NS}}}is")
        if node is not None and node.find(f"{{{MAIN_NS}}}r") is not None:
            raise NotHandled("rich text")
        return element_text(node) if node is not None else None
    raw = el.findtext(f"{{{MAIN_NS}}}v")
    if not raw:  # no value, or an empty <v/>
        return None
    if kind == "n":
        if is_date(cell.style):
            raise NotHandled("a date")
        return xml_number(raw)
    if kind == "s":
        return shared(int(raw))
    if kind == "b":
        return bool(int(raw))
    if kind in ("e", "str"):
        return raw
    raise NotHandled(f"cell type {kind}")
