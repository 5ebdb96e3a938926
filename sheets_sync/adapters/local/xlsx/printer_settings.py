"""Keeping a sheet's printer settings across an openpyxl save.

Excel keeps what the office chose in the print dialog for a sheet (the printer's own
options: tray, duplex, quality) in a binary part, `xl/printerSettings/printerSettingsN.bin`,
tied to the sheet by a relationship and named by `r:id` on its `<pageSetup>`. openpyxl does
not load such parts, so a write through it (approval, reopening, new targets) would drop
them. The ones the workbook had are put back into the saved package, each tied to its sheet
again: every byte not the service's stays (the in-place path never touches them).
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile

from sheets_sync.adapters.local.xlsx.values import UNREADABLE, sheet_parts

PRINTER_REL = ("http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
               "printerSettings")
PRINTER_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.printerSettings"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
RELATIONSHIP = re.compile(r"<Relationship\b[^>]*/>")
ATTR = re.compile(r'([\w:]+)="([^"]*)"')
PAGE_SETUP = re.compile(r"<pageSetup\b([^>]*?)(/?)>")


def rels_part(part: str) -> str:
    """The relationships part of a package part: xl/worksheets/_rels/sheet1.xml.rels."""
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def kept_printer_settings(package: bytes) -> dict[str, bytes]:
    """Sheet name -> its printer settings part's bytes, where the sheet has one."""
    try:
        with zipfile.ZipFile(io.BytesIO(package)) as old:
            names = set(old.namelist())
            out = {}
            for sheet, (part, _kind) in sheet_parts(old).items():
                rels = rels_part(part)
                if rels not in names:
                    continue
                for rel in RELATIONSHIP.findall(old.read(rels).decode("utf-8", "replace")):
                    attrs = dict(ATTR.findall(rel))
                    if attrs.get("Type") != PRINTER_REL:
                        continue
                    written = attrs.get("Target", "")
                    target = (written.lstrip("/") if written.startswith("/") else  # absolute
                              posixpath.normpath(posixpath.join(posixpath.dirname(part),
                                                                written)))
                    if target in names:
                        out[sheet] = old.read(target)
                        break
            return out
    except UNREADABLE:
        return {}


def with_printer_settings(package: bytes, kept: dict[str, bytes]) -> bytes:
    """`package` (openpyxl's save) with each sheet's printer settings of `kept` back in
    place; a sheet that no longer has a `<pageSetup>` (or is gone) goes without."""
    try:
        with zipfile.ZipFile(io.BytesIO(package)) as new:
            members = {info.filename: (info, new.read(info)) for info in new.infolist()}
            parts = {name: part for name, (part, _kind) in sheet_parts(new).items()}
    except UNREADABLE:
        return package
    added: dict[str, bytes] = {}
    edited: dict[str, bytes] = {}
    for number, (sheet, data) in enumerate(sorted(kept.items()), start=1):
        part = parts.get(sheet)
        if part is None or part not in members:
            continue
        xml = members[part][1].decode("utf-8")
        setup = PAGE_SETUP.search(xml)
        if setup is None or "r:id=" in setup.group(1):
            continue
        target = f"xl/printerSettings/printerSettings{number}.bin"
        while target in members or target in added:
            number += 1000
            target = f"xl/printerSettings/printerSettings{number}.bin"
        rels = rels_part(part)
        rels_xml = (edited.get(rels) or members[rels][1] if rels in members else
                    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                    f'<Relationships xmlns="{RELS_NS}"></Relationships>'.encode())
        rels_text = rels_xml.decode("utf-8")
        ids = {dict(ATTR.findall(r)).get("Id") for r in RELATIONSHIP.findall(rels_text)}
        rid = next(f"rIdPs{n}" for n in range(1, len(ids) + 2) if f"rIdPs{n}" not in ids)
        relative = posixpath.relpath(target, posixpath.dirname(part))
        rels_text = rels_text.replace(
            "</Relationships>",
            f'<Relationship Id="{rid}" Type="{PRINTER_REL}" Target="{relative}"/>'
            "</Relationships>")
        if 'xmlns:r="' not in xml[:xml.find(">", xml.find("<worksheet")) + 1]:
            xml = xml.replace("<worksheet ", f'<worksheet xmlns:r="{R_NS}" ', 1)
            setup = PAGE_SETUP.search(xml)
            if setup is None:
                continue
        xml = (xml[:setup.start()] + f"<pageSetup{setup.group(1)} r:id=\"{rid}\""
               f"{setup.group(2)}>" + xml[setup.end():])
        edited[part], edited[rels] = xml.encode("utf-8"), rels_text.encode("utf-8")
        added[target] = data
    if not added:
        return package
    # one Override per part: a Default for .bin may already name another type (a macro part)
    types = members["[Content_Types].xml"][1].decode("utf-8")
    overrides = "".join(f'<Override PartName="/{name}" ContentType="{PRINTER_TYPE}"/>'
                        for name in added)
    edited["[Content_Types].xml"] = types.replace("</Types>", overrides + "</Types>").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, (info, data) in members.items():
            dst.writestr(info, edited.get(name, data))
        for name, data in edited.items():
            if name not in members:
                dst.writestr(name, data)
        for name, data in added.items():
            dst.writestr(name, data)
    return out.getvalue()
