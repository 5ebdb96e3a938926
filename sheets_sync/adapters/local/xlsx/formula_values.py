"""Keeping the results Excel saved for a section's formulas across an openpyxl save.

openpyxl cannot compute formulas, and when it saves a workbook it writes every formula
without its result. A Realisasi typed as `=10*45` then reads as empty (to this service, and
to any program that reads saved values) until the section opens and saves the file in Excel
again. Most writes edit the package in place and never touch those cells (`xml_patch`); for
the writes that still go through openpyxl (approval, reopening, new targets, the recap), the
result each unchanged formula had is put back into the saved file, as Excel had saved it.
"""

from __future__ import annotations

import io
import re
import zipfile
from html import unescape

from openpyxl.formula.translate import Translator, TranslatorError

from sheets_sync.adapters.local.xlsx.values import UNREADABLE, sheet_parts

# A formula with its saved result, in every form Excel and LibreOffice write one: a plain
# `<f>`, one with attributes (LibreOffice's `aca="false"`, an array's `t="array" ref=..`), a
# shared formula's first cell (`t="shared" ref=.. si=..` and its text) and the cells that
# share it (`<f t="shared" si=".."/>`, no text of their own).
SAVED = re.compile(r'<c r="([A-Z]{1,3}[0-9]{1,7})"([^>]*)>'
                   r'(?:<f([^>]*)>([^<]*)</f>|<f([^>]*)/>)<v>([^<]*)</v></c>')
# The same cell as openpyxl writes it: the formula (a shared one spelled out), no value.
WRITTEN = re.compile(r'<c r="([A-Z]{1,3}[0-9]{1,7})"([^>]*)><f([^>]*)>([^<]*)</f>'
                     r'(?:<v ?/>|<v></v>)?</c>')
KIND = re.compile(r'\st="([a-z]+)"')
SHARED_ID = re.compile(r'\ssi="([0-9]+)"')
SHARED = re.compile(r'\st="shared"')

Results = dict[str, dict[str, tuple[str, str | None, str]]]  # sheet -> cell -> saved


def saved_results(package: bytes) -> Results:
    """Per sheet, cell -> (formula, result type, result) of every formula saved with its
    result (none for a package that cannot be read: nothing to keep). The formula is as
    written in the cell (unescaped); a shared one is spelled out for each cell, as openpyxl
    reads it."""
    try:
        with zipfile.ZipFile(io.BytesIO(package)) as old:
            return {name: found for name, (part, _kind) in sheet_parts(old).items()
                    if (found := _results(old.read(part)))}
    except UNREADABLE:
        return {}


def with_results(package: bytes, results: Results) -> bytes:
    """`package` (openpyxl's save, with a patch written in) with the saved result of every
    formula it kept as it was (`saved_results` of the workbook before)."""
    try:
        with zipfile.ZipFile(io.BytesIO(package)) as new:
            parts = {name: part for name, (part, _kind) in sheet_parts(new).items()}
            members = [(info, new.read(info)) for info in new.infolist()]
    except UNREADABLE:
        return package
    changed = {parts[name]: results[name] for name in results if name in parts}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info, data in members:
            if info.filename in changed:
                data = _put_back(data.decode("utf-8"), changed[info.filename]).encode("utf-8")
            dst.writestr(info, data)
    return out.getvalue()


def _results(xml: bytes) -> dict[str, tuple[str, str | None, str]]:
    """Cell -> (formula, result type, result) of the formulas with a saved result."""
    if b"<f" not in xml:
        return {}
    out = {}
    masters: dict[str, tuple[str, str]] = {}  # shared formula id -> (its text, its cell)
    for ref, attrs, fattrs, text, bare, value in SAVED.findall(xml.decode("utf-8")):
        formula = unescape(text)
        if fattrs and SHARED.search(fattrs):
            sid = SHARED_ID.search(fattrs)
            if sid and formula:
                masters[sid.group(1)] = (formula, ref)
        elif bare:  # a cell sharing a formula: spelled out from its first cell
            sid = SHARED_ID.search(bare)
            master = masters.get(sid.group(1)) if sid else None
            if master is None:
                continue
            try:
                formula = Translator("=" + master[0], origin=master[1]) \
                    .translate_formula(ref)[1:]
            except TranslatorError:
                continue
        kind = KIND.search(attrs)
        out[ref] = (formula, kind.group(1) if kind else None, value)
    return out


def _put_back(xml: str, results: dict[str, tuple[str, str | None, str]]) -> str:
    def one(match: re.Match[str]) -> str:
        ref, attrs, fattrs, text = match.groups()
        saved = results.get(ref)
        if saved is None or saved[0] != unescape(text) or KIND.search(attrs):
            return match.group(0)  # a formula the write changed, or one it typed itself
        kind = f' t="{saved[1]}"' if saved[1] else ""
        return f'<c r="{ref}"{attrs}{kind}><f{fattrs}>{text}</f><v>{saved[2]}</v></c>'

    return WRITTEN.sub(one, xml)
