"""Finding a sheet's cells with regular expressions, for sheets written the plain way.

An XML parser, even ElementTree's C one driven by `iterparse`, builds and visits an element
per cell, per value and per string: about a second for the recap's "Rekap Indikator"
(~170,000 cells), which every recap update reads for its audit. The sheets this service writes
(openpyxl, `bulk_cells`), and most that Excel or LibreOffice save, put every cell as
`<c r="B7" s="3" t="s">` holding a `<v>`, a formula and a `<v>`, or an inline string: a
pattern finds those several times faster.

The scan gives exactly what the parser gives, or nothing: it refuses (`NotHandled`) a document
where a pattern could see something a parser would not, or miss something (comments, CDATA, a
DOCTYPE, a namespace other than the one default, characters XML forbids, a cell or a string of
another shape, an entity it does not know), and the caller parses that one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from sheets_sync.adapters.local.xlsx.errors import NotHandled

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
ROOT = f'<worksheet xmlns="{MAIN_NS}"'
# A cell: reference, style, type, then its content; the two common shapes without anything
# to unescape (a value; an inline string) are taken at once, any other goes to `_content`.
CELL = re.compile(r'<c r="([A-Z]{1,3}[1-9][0-9]{0,6})"(?: s="([0-9]{1,6})")?'
                  r'(?: t="([a-zA-Z]{1,9})")?\s*(?:/>|><v>([^<&\r]*)</v></c>'
                  r'|><is><t(?: xml:space="preserve")?>([^<&\r]*)</t></is></c>|>(.*?)</c>)',
                  re.DOTALL)
# A cell's content: an optional formula, then an optional value.
VALUE = re.compile(r'(?:<f(?:\s[^<>]*)?(?:/>|>[^<]*</f>))?(?:<v>([^<]*)</v>|(<v\s*/>))?')
INLINE = re.compile(r'<is>(?:<t(?:\s+xml:space="preserve")?\s*(?:/>|>([^<]*)</t>))?</is>')
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # not allowed in XML
ENTITY = re.compile(r"&(?:(amp|lt|gt|quot|apos)|#([0-9]{1,7})|#x([0-9a-fA-F]{1,6}));")
NAMED = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}
CELL_TAGS = ("<c ", "<c>", "<c/", "<c\t", "<c\n", "<c\r")


def scan_cells(data: bytes) -> Iterator[tuple[str, str | None, str, str | None]]:
    """(reference, style, type, text) per cell, in document order, as a parser
    reads them: `text` is the `<v>` text, or for an inline string (type "inlineStr") the
    string, None without either. Raises `NotHandled` before the first cell, or after the
    last (then the caller drops what it got)."""
    text = _document(data)
    found = 0
    for match in CELL.finditer(text):
        found += 1
        ref, style, kind, value, inline, other = match.groups()
        kind = kind or "n"
        if kind == "inlineStr":  # a parser looks for its <is> only
            yield ref, style, kind, inline if inline is not None else _content(kind, other)
        elif value is not None:  # and for the others' <v> only
            yield ref, style, kind, value
        else:
            yield ref, style, kind, None if inline is not None else _content(kind, other)
    if found != sum(text.count(tag) for tag in CELL_TAGS):
        raise NotHandled("a cell of another shape")


def _document(data: bytes) -> str:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise NotHandled("not UTF-8") from None
    text = text.removeprefix("\ufeff")
    if text.startswith("<?xml"):
        declaration, _, text = text.partition("?>")
        encoding = re.search(r"""encoding\s*=\s*["']([^"']*)["']""", declaration)
        if encoding is not None and encoding.group(1).lower() not in ("utf-8", "utf8"):
            raise NotHandled("another encoding")
        text = text.lstrip()
    if not text.startswith(ROOT) or not text.rstrip().endswith("</worksheet>"):
        raise NotHandled("not a plain worksheet")
    if "<!" in text or "<?" in text or text.count(MAIN_NS) != 1 or text.count('xmlns="') != 1:
        raise NotHandled("comments, CDATA, instructions or other namespaces")
    if FORBIDDEN.search(text):
        raise NotHandled("characters XML does not allow")
    return text


def _content(kind: str, inner: str | None) -> str | None:
    if not inner:
        return None
    if kind == "inlineStr":
        found = INLINE.fullmatch(inner)
        if found is None:
            raise NotHandled("rich text")
        return _unescaped(found.group(1) or "")
    found = VALUE.fullmatch(inner)
    if found is None:
        raise NotHandled("a cell's content of another shape")
    value, empty = found.groups()
    if value is not None:
        return _unescaped(value)
    return "" if empty else None  # as a parser: <v/> has the text "", no <v> has none


def _unescaped(text: str) -> str:
    """Text as the parser gives it: line ends as "\\n", references replaced."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "&" in text:
        if text.count("&") != len(ENTITY.findall(text)):
            raise NotHandled("an entity of another kind")
        text = ENTITY.sub(_entity, text)
    return text


def _entity(match: re.Match[str]) -> str:
    name, decimal, hexadecimal = match.groups()
    if name:
        return NAMED[name]
    code = int(decimal) if decimal else int(hexadecimal, 16)
    if code in (0x9, 0xA, 0xD) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD or (
            0x10000 <= code <= 0x10FFFF):
        return chr(code)
    raise NotHandled("a character XML does not allow")
