"""styles.xml for the fast write: a cell's format merged as `formats` says.

A cell style (`xf`) is kept as a hashable `XfKey`; the font, fill and alignment a format
sets are built by `formats` with openpyxl's own style classes, as for the openpyxl path.
New fonts, fills, number formats and cell styles are appended to their lists (an equal one
already there is reused, so writing the same feedback again adds nothing).
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple
from xml.etree.ElementTree import Element, fromstring, tostring

from openpyxl.styles import Alignment, Font
from openpyxl.styles.fills import Fill
from openpyxl.styles.numbers import BUILTIN_FORMATS, BUILTIN_FORMATS_REVERSE

from sheets_sync.adapters.local.xlsx import formats
from sheets_sync.adapters.local.xlsx.errors import NotHandled
from sheets_sync.adapters.local.xlsx.xml_parts import NS, esc_attr, root_tag
from sheets_sync.domain.patch import Format


class XfKey(NamedTuple):
    """A cell style: its attributes (sorted), alignment, protection, and whether it holds
    anything this module cannot write again (then it is only ever reused, never copied)."""

    attrs: tuple[tuple[str, str], ...]
    alignment: Alignment | None
    protection: tuple[tuple[str, str], ...] | None
    foreign: bool = False

    def get(self, name: str) -> str:
        return dict(self.attrs).get(name, "0")


# What openpyxl gives a cell it creates: font, fill, border and number format 0.
NEW_CELL = XfKey((("borderId", "0"), ("fillId", "0"), ("fontId", "0"), ("numFmtId", "0"),
                  ("xfId", "0")), None, None)
_LISTS = ("numFmts", "fonts", "fills", "cellXfs")


def _key(xf: Element) -> XfKey:
    foreign = any(k.startswith("{") for k in xf.attrib)
    # off by default: openpyxl writes these on every style, Excel leaves them out
    attrs = {k: v for k, v in xf.attrib.items()
             if not (k in ("pivotButton", "quotePrefix") and v in ("0", "false"))}
    alignment = protection = None
    for child in xf:
        if child.tag == f"{NS}alignment":
            alignment = Alignment.from_tree(child)
        elif child.tag == f"{NS}protection" and not any(k.startswith("{") for k in child.attrib):
            protection = tuple(sorted(child.attrib.items()))
        else:
            foreign = True
    return XfKey(tuple(sorted(attrs.items())), alignment, protection, foreign)


def _xml(el: Any) -> str:
    return tostring(el.to_tree(), encoding="unicode")


class Styles:
    def __init__(self, text: str) -> None:
        root_tag(text, "styleSheet")
        self.text = text
        root = fromstring(text)
        self._lists: dict[str, list[Element]] = {}
        for name in _LISTS:
            found = root.find(NS + name)
            self._lists[name] = list(found) if found is not None else []
        self.custom = {int(f.get("numFmtId") or 0): f.get("formatCode") or ""
                       for f in self._lists["numFmts"]}
        self._added: dict[str, list[str]] = {name: [] for name in _LISTS}
        self._fonts: dict[int, Font] = {}
        self._fills: dict[int, Any] = {}
        self._keys = [_key(xf) for xf in self._lists["cellXfs"]]
        self._index: dict[XfKey, int] = {}
        for n, k in enumerate(self._keys):
            self._index.setdefault(k, n)
        self._memo: dict[tuple[XfKey, Format], XfKey] = {}

    @property
    def changed(self) -> bool:
        return any(self._added.values())

    # ------------------------------------------------------------------ reading

    def key_of(self, style: int | None) -> XfKey:
        """The style of a cell (None: a cell that does not exist yet)."""
        if style is None:
            return NEW_CELL
        if not 0 <= style < len(self._keys):
            if style == 0 and not self._keys:
                return NEW_CELL
            raise NotHandled("a cell style that does not exist")
        return self._keys[style]

    def number_format(self, style: int) -> str:
        fid = int(self.key_of(style).get("numFmtId"))
        return self.custom.get(fid, BUILTIN_FORMATS.get(fid, "General"))

    def font(self, n: int) -> Font:
        if n not in self._fonts:
            self._fonts[n] = Font.from_tree(self._lists["fonts"][n])
        return self._fonts[n]

    def fill(self, n: int) -> Any:
        if n not in self._fills:
            self._fills[n] = Fill.from_tree(self._lists["fills"][n])
        return self._fills[n]

    # ------------------------------------------------------------------ formatting

    def formatted(self, key: XfKey, fmt: Format) -> XfKey:
        """`key` with `fmt` merged in, as `xlsx_render.format_cell` merges it into a cell."""
        memo = self._memo.get((key, fmt))
        if memo is not None:
            return memo
        attrs = dict(key.attrs)
        alignment = key.alignment
        new_font = formats.font(fmt, lambda: self.font(int(key.get("fontId"))))
        if new_font is not None:
            attrs["fontId"] = str(self._add("fonts", new_font, self.font))
            _applied(attrs, "applyFont")
        new_fill = formats.fill(fmt, lambda: self.fill(int(key.get("fillId"))))
        if new_fill is not None:
            attrs["fillId"] = str(self._add("fills", new_fill, self.fill))
            _applied(attrs, "applyFill")
        if fmt.number_format is not None:
            attrs["numFmtId"] = str(self._number_format_id(fmt.number_format))
            _applied(attrs, "applyNumberFormat")
        new_alignment = formats.alignment(fmt, lambda: alignment)
        if new_alignment is not None:
            alignment = new_alignment
            attrs["applyAlignment"] = "1"
        result = XfKey(tuple(sorted(attrs.items())), alignment, key.protection, key.foreign)
        self._memo[(key, fmt)] = result
        return result

    def _add(self, name: str, obj: Any, existing: Any) -> int:
        """The index of a font or fill equal to `obj`, appended when there is none."""
        for n in range(len(self._lists[name])):
            if existing(n) == obj:
                return n
        cache = self._fonts if name == "fonts" else self._fills
        n = len(self._lists[name]) + len(self._added[name])
        for m in range(len(self._lists[name]), n):
            if cache.get(m) == obj:
                return m
        cache[n] = obj
        self._added[name].append(_xml(obj))
        return n

    def _number_format_id(self, code: str) -> int:
        if code in BUILTIN_FORMATS_REVERSE:
            return int(BUILTIN_FORMATS_REVERSE[code])
        for fid, known in self.custom.items():
            if known == code:
                return fid
        fid = max([163, *self.custom]) + 1
        self.custom[fid] = code
        self._added["numFmts"].append(f'<numFmt numFmtId="{fid}" formatCode="{esc_attr(code)}"/>')
        return fid

    def index_of(self, key: XfKey) -> int:
        """The cellXfs index of a style, appended when the file has none equal to it."""
        found = self._index.get(key)
        if found is not None:
            return found
        if key.foreign:
            raise NotHandled("a cell style with parts this module cannot copy")
        attrs = "".join(f' {k}="{esc_attr(v)}"' for k, v in key.attrs)
        children = _xml(key.alignment) if key.alignment is not None else ""
        if key.protection is not None:
            children += "<protection" + "".join(f' {k}="{esc_attr(v)}"'
                                                 for k, v in key.protection) + "/>"
        self._added["cellXfs"].append(f"<xf{attrs}>{children}</xf>" if children
                                      else f"<xf{attrs}/>")
        n = len(self._keys) + len(self._added["cellXfs"]) - 1
        self._index[key] = n
        return n

    # ------------------------------------------------------------------ writing

    def to_text(self) -> str:
        text = self.text
        for name in _LISTS:
            added = self._added[name]
            if not added:
                continue
            total = len(self._lists[name]) + len(added)
            opening = list(re.finditer(rf"<{name}\b([^>]*?)(/?)>", text))
            if not opening and name == "numFmts":
                start = root_tag(text, "styleSheet").end()
                text = (f'{text[:start]}<numFmts count="{total}">{"".join(added)}</numFmts>'
                        f"{text[start:]}")
                continue
            if len(opening) != 1 or opening[0].group(2) or text.count(f"</{name}>") != 1:
                raise NotHandled(f"<{name}> not found once")
            close = text.index(f"</{name}>")
            start_tag = re.sub(r'\bcount="\d*"', f'count="{total}"', opening[0].group(0))
            text = (text[:opening[0].start()] + start_tag + text[opening[0].end():close]
                    + "".join(added) + text[close:])
        return text


def _applied(attrs: dict[str, str], flag: str) -> None:
    """A part the style now sets explicitly is applied (no flag, as openpyxl writes, means
    applied too)."""
    if flag in attrs:
        attrs[flag] = "1"
