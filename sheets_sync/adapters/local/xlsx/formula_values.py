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

from sheets_sync.adapters.local.xlsx.values import UNREADABLE, sheet_parts

# A plain formula with its saved result, as Excel and LibreOffice write one.
SAVED = re.compile(r'<c r="([A-Z]{1,3}[0-9]{1,7})"([^>]*)><f>([^<]*)</f><v>([^<]*)</v></c>')
# The same cell as openpyxl writes it: the formula, an empty value.
WRITTEN = re.compile(r'<c r="([A-Z]{1,3}[0-9]{1,7})"([^>]*)><f>([^<]*)</f><v ?/></c>')
KIND = re.compile(r'\st="([a-z]+)"')

Results = dict[str, dict[str, tuple[str, str | None, str]]]  # sheet -> cell -> saved


def saved_results(package: bytes) -> Results:
    """Per sheet, cell -> (formula, result type, result) of every formula saved with its
    result (none for a package that cannot be read: nothing to keep)."""
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
    if b"<f>" not in xml:
        return {}
    out = {}
    for ref, attrs, formula, value in SAVED.findall(xml.decode("utf-8")):
        kind = KIND.search(attrs)
        out[ref] = (formula, kind.group(1) if kind else None, value)
    return out


def _put_back(xml: str, results: dict[str, tuple[str, str | None, str]]) -> str:
    def one(match: re.Match[str]) -> str:
        ref, attrs, formula = match.group(1), match.group(2), match.group(3)
        saved = results.get(ref)
        if saved is None or saved[0] != formula or KIND.search(attrs):
            return match.group(0)  # a formula the write changed, or one it typed itself
        kind = f' t="{saved[1]}"' if saved[1] else ""
        return f'<c r="{ref}"{attrs}{kind}><f>{formula}</f><v>{saved[2]}</v></c>'

    return WRITTEN.sub(one, xml)

